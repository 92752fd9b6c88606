"""Person names in free text, found by rules rather than a model, so that pseudonymisation can hide third parties
(a witness, an opposing party, a colleague) and not only the client's own people.

A name is a run of capitalised words, joined by spaces and particles («Ben», «Ould», «El», «de»…), that
- follows a title or a civility («M.», «Mme», «Maître», «le témoin», «l'avocat», «fils de»…): masked whatever it is;
- or holds a common first name, or a first or last name the tenant already knows that is not a French word;
- or holds a capitalised word no French dictionary knows (`simplemma`), unless it is the lone first word of a
  sentence (where every word is capitalised).
French words («Code civil», «Cour suprême», «Relance», «Janvier»), places, legal forms and acronyms never make a
name on their own; a word in capitals is a name only next to another name word («Karim BENALI»).

The rules lean towards masking: a company or a small place the lists do not know is masked as a person, which costs
the model a little context; a name sent in clear cannot be taken back."""

import re
from collections.abc import Collection
from dataclasses import dataclass
from functools import lru_cache

from services.ai.name_words import (
    CIVILITIES,
    FILIATION_WORDS,
    FIRST_NAMES,
    NOT_NAMES,
    PARTICLES,
    PLACE_PHRASES,
    PLACES,
    TITLE_WORDS,
)

Span = tuple[int, int]

_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
# «l'avocat», «d'Ahmed», «L'IBS»: the elided article is a word of its own (but «M'Hamed» is one name).
_ELISION = re.compile(r"(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu|quoiqu|[CDJLNST]|Qu)['’](?=[^\W\d_])")
_SPACE = re.compile(r'[ \t\u00a0\u202f]+')
_INITIAL_GAP = re.compile(r'\.[ \t\u00a0\u202f]*')
_SENTENCE_END = '.!?…\n\r'
_OPENERS = ' \t\u00a0\u202f«»"“”‘’\'([{-–—•*·>'
_PLACES = re.compile('|'.join(rf'(?<!\w){re.escape(place)}(?!\w)' for place in PLACE_PHRASES), re.IGNORECASE)

STRONG, NAME, COMMON, CAPS, STOP = 'strong', 'name', 'common', 'caps', 'stop'


@lru_cache(maxsize=50_000)
def is_french_word(word: str) -> bool:
    """A word of simplemma's French dictionary (forms included: «générale», «impôts»). Loaded on first use."""
    import simplemma  # its French dictionary costs some 25 MB: only in processes that pseudonymise

    return simplemma.is_known(word, lang='fr')


@dataclass(frozen=True, slots=True)
class _Token:
    start: int
    end: int
    text: str

    @property
    def fold(self) -> str:
        return self.text.casefold()

    @property
    def capitalised(self) -> bool:
        """«Karim», «BENALI», «Ben-Ali», «Aït»; not «iPhone» nor «WhatsApp» (a capital inside: a brand)."""
        text = self.text
        if len(text) < 2 or not text[0].isupper():
            return False
        if text.isupper():
            return True
        return not any(char.isupper() for part in re.split(r"[-'’]", text) for char in part[1:])


def _tokens(text: str) -> list[_Token]:
    tokens = []
    for match in _WORD.finditer(text):
        start, word = match.start(), match.group()
        elided = _ELISION.match(word)
        if elided:
            tokens.append(_Token(start, start + elided.end(), word[:elided.end()]))
            start, word = start + elided.end(), word[elided.end():]
        tokens.append(_Token(start, start + len(word), word))
    return tokens


class NameFinder:
    """Finds the person names of a text; `known` holds casefolded first and last names the tenant knows."""

    def __init__(self, known: Collection[str] = frozenset()) -> None:
        self.known = known

    def spans(self, text: str) -> list[Span]:
        tokens = _tokens(text)
        found: list[Span] = []
        index = 0
        while index < len(tokens):
            run = self._run(text, tokens, index)
            if not run:
                index += 1
                continue
            found += self._names(text, tokens, index, run)
            index += len(run)
        return found

    # --- runs of capitalised words ---------------------------------------------------------------------------------

    def _run(self, text: str, tokens: list[_Token], index: int) -> list[_Token]:
        """The capitalised words from `index` on, with the particles and initials between them."""
        if not self._starts_run(text, tokens[index]):
            return []
        run = [tokens[index]]
        position = index + 1
        while position < len(tokens):
            token = tokens[position]
            if not self._joined(text, run[-1], token):
                break
            if (token.capitalised and token.text not in CIVILITIES) or _is_initial(text, token):
                run.append(token)
                position += 1
            elif token.fold in PARTICLES and position + 1 < len(tokens) and tokens[position + 1].capitalised \
                    and self._joined(text, token, tokens[position + 1]):
                run += [token, tokens[position + 1]]
                position += 2
            else:
                break
        return run

    @staticmethod
    def _starts_run(text: str, token: _Token) -> bool:
        if token.text in CIVILITIES and not _is_initial(text, token):
            return False
        return token.capitalised or _is_initial(text, token)

    @staticmethod
    def _joined(text: str, before: _Token, after: _Token) -> bool:
        gap = text[before.end:after.start]
        if _is_initial(text, before):
            return bool(_INITIAL_GAP.fullmatch(gap))
        return bool(_SPACE.fullmatch(gap))

    # --- which parts of a run are names ------------------------------------------------------------------------------

    def _names(self, text: str, tokens: list[_Token], index: int, run: list[_Token]) -> list[Span]:
        titled = _announced(text, tokens, index)
        places = [match.span() for match in _PLACES.finditer(text, run[0].start, run[-1].end)]
        found, part = [], []
        for token in run:
            kind = self._kind(token, places)
            if kind == STOP or token.fold in TITLE_WORDS:
                found += self._part(text, part, titled)
                part, titled = [], token.fold in TITLE_WORDS
                continue
            part.append((token, kind))
        return found + self._part(text, part, titled)

    def _part(self, text: str, part: list[tuple[_Token, str]], titled: bool) -> list[Span]:
        while part and part[-1][0].fold in PARTICLES:  # «Karim de» of «Karim de Blida»
            part = part[:-1]
        if not titled:
            # «Relance Haddad», «Appel de Karim Benali»: a French word capitalised as a sentence's first word is not
            # part of the name; inside a sentence «Pierre Barre» is a name like any other.
            while part and part[0][1] == COMMON and _sentence_start(text, part[0][0].start):
                part = part[1:]
            while part and part[0][0].fold in PARTICLES and not part[0][0].capitalised:  # «de» of «Réponse de…»
                part = part[1:]
            kinds = [kind for token, kind in part if token.fold not in PARTICLES]
            if STRONG not in kinds and NAME not in kinds:
                return []
            if kinds == [NAME] and _sentence_start(text, part[0][0].start):
                return []
        if not part:
            return []
        return [(part[0][0].start, part[-1][0].end)]

    def _kind(self, token: _Token, places: list[Span]) -> str:
        fold = token.fold
        if fold in NOT_NAMES or fold in PLACES or any(start <= token.start < end for start, end in places):
            return STOP
        if len(fold) == 1:
            return CAPS  # an initial: part of a name, never one alone
        words = {fold, *(part for part in re.split(r"[-'’]", fold) if len(part) > 1)}
        if words & FIRST_NAMES:  # chosen by hand: «Jean», «Nadir» are names before they are words
            return STRONG
        if is_french_word(fold):
            return COMMON
        if words & self.known:
            return STRONG
        return CAPS if token.text.isupper() else NAME


def _is_initial(text: str, token: _Token) -> bool:
    """«K.» in «K. Benali» (but «M.» is a civility)."""
    return len(token.text) == 1 and token.text.isupper() and text[token.end:token.end + 1] == '.' \
        and token.text != 'M'


def _announced(text: str, tokens: list[_Token], index: int) -> bool:
    """Whether the word at `index` follows a civility («M.», «Mme»), a title word («témoin», «Maître») or «fils de»."""
    if index == 0:
        return False
    before = tokens[index - 1]
    gap = text[before.end:tokens[index].start]
    if before.text in CIVILITIES and re.fullmatch(r'\.?[ \t\u00a0\u202f]+', gap):
        return True
    if not _SPACE.fullmatch(gap) and not (before.text.endswith(("'", '’')) and not gap):
        return False
    if before.fold in TITLE_WORDS:
        return True
    return before.fold in ('de', "d'", 'd’') and index > 1 and tokens[index - 2].fold in FILIATION_WORDS


def _sentence_start(text: str, position: int) -> bool:
    """Nothing but spaces, quotes, brackets, bullets or a list number between a sentence's end and `position`."""
    cursor = position - 1
    while cursor >= 0 and (text[cursor] in _OPENERS or text[cursor].isdigit()
                           or (text[cursor] in '.)' and cursor > 0 and text[cursor - 1].isdigit())):
        cursor -= 1
    return cursor < 0 or text[cursor] in _SENTENCE_END


def find_names(text: str, known: Collection[str] = frozenset()) -> list[Span]:
    """The (start, end) of each person name in `text`, in order."""
    return NameFinder(known).spans(text)
