"""A small French tokenizer for matching case texts against the legal knowledge base.

Words are folded (lower-case, no accents), elided prefixes (l', d', qu'…) and stop words are dropped and what is left
is stemmed, so that «Sociétés», «societe» and «société» all give the same token.
"""

import re

import snowballstemmer

from services.text import fold

# Snowball's French stop words, as bm25s ships them (`bm25s.stopwords.STOPWORDS_FRENCH`, checked by a test): copied,
# since importing them would load bm25s, NumPy and SciPy into every process that tokenizes a word.
STOPWORDS_FRENCH = (
    'ai', 'aie', 'aient', 'aies', 'ait', 'as', 'au', 'aura', 'aurai', 'auraient', 'aurais', 'aurait', 'auras', 'aurez',
    'auriez', 'aurions', 'aurons', 'auront', 'aux', 'avaient', 'avais', 'avait', 'avec', 'avez', 'aviez', 'avions',
    'avons', 'ayant', 'ayante', 'ayantes', 'ayants', 'ayez', 'ayons', 'c', 'ce', 'ces', 'd', 'dans', 'de', 'des', 'du',
    'elle', 'en', 'es', 'est', 'et', 'eu', 'eue', 'eues', 'eurent', 'eus', 'eusse', 'eussent', 'eusses', 'eussiez',
    'eussions', 'eut', 'eux', 'eûmes', 'eût', 'eûtes', 'furent', 'fus', 'fusse', 'fussent', 'fusses', 'fussiez',
    'fussions', 'fut', 'fûmes', 'fût', 'fûtes', 'il', 'ils', 'j', 'je', 'l', 'la', 'le', 'les', 'leur', 'lui', 'm',
    'ma', 'mais', 'me', 'mes', 'moi', 'mon', 'même', 'n', 'ne', 'nos', 'notre', 'nous', 'on', 'ont', 'ou', 'par',
    'pas', 'pour', 'qu', 'que', 'qui', 's', 'sa', 'se', 'sera', 'serai', 'seraient', 'serais', 'serait', 'seras',
    'serez', 'seriez', 'serions', 'serons', 'seront', 'ses', 'soient', 'sois', 'soit', 'sommes', 'son', 'sont',
    'soyez', 'soyons', 'suis', 'sur', 't', 'ta', 'te', 'tes', 'toi', 'ton', 'tu', 'un', 'une', 'vos', 'votre', 'vous',
    'y', 'à', 'étaient', 'étais', 'était', 'étant', 'étante', 'étantes', 'étants', 'étiez', 'étions', 'été', 'étée',
    'étées', 'étés', 'êtes',
)

# Letters and digits in any script; the apostrophe, the hyphen and everything else separate words, except in «e-»
# words (e-commerce, e-fournisseur), which would otherwise lose their meaning with their one-letter prefix.
_WORD = re.compile(r'(?:\b[eE]-)?[^\W_]+')
_LIGATURES = str.maketrans({'œ': 'oe', 'æ': 'ae', 'ß': 'ss'})
# Prefixes that only exist elided («l'», «jusqu'»…): whatever they are written as, they carry no meaning.
_ELIDED = {'c', 'd', 'j', 'l', 'm', 'n', 's', 't', 'qu', 'jusqu', 'lorsqu', 'puisqu', 'quoiqu', 'presqu', 'quelqu'}
_EXTRA_STOP_WORDS = {
    'afin', 'ainsi', 'alors', 'apres', 'aucun', 'aucune', 'aupres', 'aussi', 'autre', 'autres', 'avant', 'avoir',
    'beaucoup', 'bien', 'car', 'ceci', 'cela', 'celle', 'celles', 'celui', 'ceux', 'cet', 'cette', 'chaque', 'chez',
    'comme', 'comment', 'dont', 'donc', 'encore', 'entre', 'etre', 'fait', 'faire', 'ici', 'lors', 'meme', 'moins',
    'ni', 'oui', 'peu', 'quand', 'quel', 'quelle', 'quelles', 'quels', 'sans', 'selon', 'si', 'sous',
    'tel', 'telle', 'tous', 'tout', 'toute', 'toutes', 'tres', 'vers', 'via', 'voici', 'voila', 'aujourd', 'hui',
}
STOP_WORDS = frozenset({fold(word) for word in STOPWORDS_FRENCH} | _EXTRA_STOP_WORDS | _ELIDED)
# Words the stemmer reduces onto a different, common word: «loyer» → «loi», «délit» → «del» (as «délai»),
# «testament» → «test», «avenant» → «aven» (as «avenir»), «lotissement» → «lot».
_STEM_EXCEPTIONS = {
    'loyer': 'loyer', 'loyers': 'loyer', 'delit': 'delit', 'delits': 'delit', 'testament': 'testament',
    'testaments': 'testament', 'avenant': 'avenant', 'avenants': 'avenant', 'lotissement': 'lotissement',
    'lotissements': 'lotissement',
}

_stemmer = snowballstemmer.stemmer('french')
_stems: dict[str, str | None] = {}
_CACHE_LIMIT = 20_000  # about 3 MiB; 200,000 words held 30 MiB for good after an «analyse all» on a large base


def _normalise(word: str) -> str | None:
    """The stem of one word, or None when the word carries no meaning (stop word, single character, one digit)."""
    folded = fold(word).translate(_LIGATURES).replace('-', '')
    if len(folded) < 2 or folded in STOP_WORDS:
        return None
    if folded.isdigit():
        return folded
    return _STEM_EXCEPTIONS.get(folded) or _stemmer.stemWord(folded)


def stem(word: str) -> str | None:
    """Cached `_normalise`: case texts repeat the same few thousand words."""
    try:
        return _stems[word]
    except KeyError:
        if len(_stems) >= _CACHE_LIMIT:
            _stems.clear()
        result = _stems[word] = _normalise(word)
        return result


def spans(text: str) -> list[tuple[str, int, int]]:
    """The meaningful tokens of a text as (stem, start, end), to quote the words back from the text."""
    result = []
    for match in _WORD.finditer(text):
        word = match.group()
        token = _stems[word] if word in _stems else stem(word)
        if token is not None:
            result.append((token, match.start(), match.end()))
    return result


def tokens(text: str) -> list[str]:
    return [token for word in _WORD.findall(text) if (token := stem(word)) is not None]


def words(text: str) -> list[str]:
    """The folded words of a text, stop words included: to compare two quotes of a text."""
    return [fold(word).translate(_LIGATURES) for word in _WORD.findall(text)]
