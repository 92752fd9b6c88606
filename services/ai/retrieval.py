"""Finds the legal texts that a case is about, offline and deterministically.

An entry of the knowledge base is a candidate only when one of its keywords occurs in the case text (a phrase must
appear as a whole, in one sentence), so a text with no legal matter gets no reference at all. The candidates are then
ranked by BM25 (bm25s) over the entry's title, description and keywords, plus a bonus per matched keyword, with a
modest boost when the entry is meant for the case's type.
"""

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING

from services.ai import french
from services.ai.knowledge import LegalEntry
from services.ai.schema import LegalReference

if TYPE_CHECKING:
    import bm25s  # with NumPy: imported by `LegalIndex.build`, the first time a case is analysed

KEYWORD_REPEAT = 3  # keywords count three times as much as the title and description words in BM25
KEYWORD_BONUS = 2.0  # points per word of each matched keyword, on top of BM25
CASE_TYPE_BOOST = 1.15  # an entry meant for the case's type scores 15 % more; others are never excluded
RELEVANCE_HALF = 12.0  # relevance = score / (score + RELEVANCE_HALF): a score of 12 (about two keywords) gives 0.5
MAX_WHY = 6
_MAX_GAP = 25  # at most this many characters between two words of a phrase (stop words, punctuation)
_SENTENCE_END = re.compile(r'[.;!?\n]')


Stems = tuple[str, ...]
Occurrence = tuple[Stems, int, int]  # a keyword's stems, the index of its first and of its last word in the text


@dataclass(frozen=True, slots=True)
class _Keyword:
    entry: int
    text: str
    size: int


@dataclass(slots=True)
class _Match:
    keyword: _Keyword
    start: int
    end: int
    count: int


class LegalIndex:
    def __init__(self, entries: Sequence[LegalEntry], retriever: 'bm25s.BM25 | None',
                 keywords: dict[Stems, list[_Keyword]]) -> None:
        self._entries = tuple(entries)
        self._retriever = retriever
        self._keywords = keywords
        self._by_first: dict[str, list[Stems]] = {}
        for stems in sorted(keywords):
            self._by_first.setdefault(stems[0], []).append(stems)
        self._shadowable = _shadowable(keywords)
        self.vocabulary = frozenset(stem for stems in keywords for stem in stems)  # the keywords' stems

    @classmethod
    def build(cls, entries: Sequence[LegalEntry]) -> 'LegalIndex':
        keywords: dict[Stems, list[_Keyword]] = {}
        for number, entry in enumerate(entries):
            for keyword in entry.keywords:
                if not (stems := tuple(french.tokens(keyword))):
                    continue
                same = keywords.setdefault(stems, [])
                if all(other.entry != number for other in same):  # «caution» and «cautionnement» count once
                    same.append(_Keyword(number, keyword, len(stems)))
        retriever = None
        if entries:
            import bm25s

            retriever = bm25s.BM25()
            retriever.index([_document(entry) for entry in entries], show_progress=False)
        return cls(entries, retriever, keywords)

    def search(self, text: str, case_type: str | None = None, limit: int = 5) -> list[LegalReference]:
        words = french.spans(text)
        candidates = self._candidates(text, words)
        if not candidates or self._retriever is None or limit <= 0:
            return []
        query = sorted({stem for stem, _, _ in words if stem in self._retriever.vocab_dict})
        bm25 = self._retriever.get_scores(query)
        scored = []
        for number, matches in candidates.items():
            entry = self._entries[number]
            score = float(bm25[number]) + _keyword_points(matches)
            if case_type is not None and case_type in entry.case_types:
                score *= CASE_TYPE_BOOST
            scored.append((-round(score, 6), entry.code, number))
        scored.sort()
        return [self._reference(text, number, candidates[number], -score) for score, _, number in scored[:limit]]

    def _candidates(self, text: str, words: list[tuple[str, int, int]]) -> dict[int, list[_Match]]:
        """The entries with at least one keyword in the text, with where each keyword first occurs."""
        first_seen: dict[Stems, tuple[int, int]] = {}
        counts: dict[Stems, int] = {}
        for stems, first, last in _unshadowed(self._occurrences(text, words), self._shadowable):
            first_seen.setdefault(stems, (words[first][1], words[last][2]))
            counts[stems] = counts.get(stems, 0) + 1
        candidates: dict[int, list[_Match]] = {}
        for stems, (start, end) in first_seen.items():
            for keyword in self._keywords[stems]:
                candidates.setdefault(keyword.entry, []).append(_Match(keyword, start, end, counts[stems]))
        return candidates

    def _occurrences(self, text: str, words: list[tuple[str, int, int]]) -> list[Occurrence]:
        stems = [stem for stem, _, _ in words]
        result = []
        for position, stem in enumerate(stems):
            for keyword in self._by_first.get(stem, ()):
                end = position + len(keyword)
                if end == position + 1 or (
                        tuple(stems[position:end]) == keyword and _contiguous(text, words[position:end])):
                    result.append((keyword, position, end - 1))
        return result

    def _reference(self, text: str, number: int, matches: list[_Match], score: float) -> LegalReference:
        entry = self._entries[number]
        return LegalReference(code=entry.code, reference=entry.reference, title=entry.title, article=entry.article,
                              why=_why(text, matches), relevance=_relevance(score))


def _document(entry: LegalEntry) -> list[str]:
    keywords = [stem for keyword in entry.keywords for stem in french.tokens(keyword)]
    return french.tokens(entry.title) + french.tokens(entry.covers) + keywords * KEYWORD_REPEAT


def _contiguous(text: str, words: list[tuple[str, int, int]]) -> bool:
    """Whether the words of a phrase follow each other in one sentence, with only short words or signs between."""
    for (_, _, end), (_, start, _) in pairwise(words):
        if start - end > _MAX_GAP or _SENTENCE_END.search(text, end, start):
            return False
    return True


def _shadowable(keywords: Iterable[Stems]) -> frozenset[Stems]:
    """The keywords that are part of a longer keyword («faute» of «faute grave»)."""
    keywords = set(keywords)
    parts = set()
    for stems in keywords:
        for size in range(1, len(stems)):
            parts.update(stems[i:i + size] for i in range(len(stems) - size + 1))
    return frozenset(parts & keywords)


def _unshadowed(occurrences: list[Occurrence], shadowable: frozenset[Stems]) -> list[Occurrence]:
    """Drops the occurrences lying inside a longer keyword's: «faute» in «faute grave», «comptabilité» in
    «vérification de comptabilité». The words then count for the more specific keyword (and its entry) only."""
    ends_from: dict[int, list[tuple[int, int]]] = {}
    for stems, first, last in occurrences:
        if len(stems) > 1:
            ends_from.setdefault(first, []).append((last, len(stems)))
    longest = max((len(stems) for stems, _, _ in occurrences), default=0)

    def shadowed(stems: Stems, first: int, last: int) -> bool:
        return stems in shadowable and any(
            other_last >= last and size > len(stems)
            for start in range(first - longest + 1, first + 1)
            for other_last, size in ends_from.get(start, ())
        )

    return [occurrence for occurrence in occurrences if not shadowed(*occurrence)]


def _keyword_points(matches: list[_Match]) -> float:
    """Longer phrases are more specific; repeating a keyword adds a little (logarithmically)."""
    return sum(KEYWORD_BONUS * match.keyword.size * (1 + math.log(match.count)) for match in matches)


def _relevance(score: float) -> float:
    # Saturating, so it does not depend on the other results: 0 for nothing, 0.5 at RELEVANCE_HALF, towards 1 above.
    return round(score / (score + RELEVANCE_HALF), 2) if score > 0 else 0.0


def _why(text: str, matches: list[_Match]) -> list[str]:
    """The matched keywords as written in the case, the most specific (longest) first, without repeats."""
    ordered = sorted(matches, key=lambda m: (-m.keyword.size, -len(m.keyword.text), m.start, m.keyword.text))
    result: list[str] = []
    seen: list[str] = []
    for match in ordered:
        surface = ' '.join(text[match.start:match.end].split())
        if len(surface) > 2 * len(match.keyword.text) + 10:
            surface = match.keyword.text
        words = f' {" ".join(french.words(surface))} '
        if any(words in other for other in seen):
            continue
        seen.append(words)
        result.append(surface)
        if len(result) == MAX_WHY:
            break
    return result
