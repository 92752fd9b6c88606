"""A few sentences on a case: its facts, then the most informative sentences of its description and notes.

A sentence is informative when it carries words that are rare across the case (inverse document frequency over
the case's own sentences), warning words or words of the legal knowledge base; long sentences are not favoured
(the score is divided by the square root of their length)."""

import math
import re
from collections import Counter
from datetime import date

from services.ai.facts import CaseFacts
from services.ai.french import tokens
from services.ai.phrases import duration, long_date, say
from services.clock import local_date

MAX_SENTENCES = 3
MAX_SENTENCE_LENGTH = 240
_SENTENCE_END = re.compile(r'(?<=[.!?])\s+|\n+')


def summarize(facts: CaseFacts, today: date, language: str, *, vocabulary: frozenset[str] = frozenset()) -> str:
    parts = [_facts_sentence(facts, today, language), _due_sentence(facts, today, language),
             say(language, 'summary.counts', notes=len(facts.notes), documents=facts.documents,
                 interactions=facts.interactions)]
    if not facts.status.is_open:
        parts.append(say(language, 'summary.closed'))
    highlights = informative_sentences(facts, vocabulary)
    if highlights:
        parts.append(say(language, 'summary.highlights', sentences=' '.join(f'«\u00a0{s}\u00a0»' if language != 'en'
                                                                             else f'“{s}”' for s in highlights)))
    elif not facts.notes and not facts.description.strip():
        parts.append(say(language, 'summary.empty'))
    return ' '.join(parts)


def _facts_sentence(facts: CaseFacts, today: date, language: str) -> str:
    kind = say(language, f'type.{facts.case_type.value}')
    return say(language, 'summary.facts', type=kind, type_cap=kind.capitalize(), title=facts.title,
               client=facts.client_name or '—', age=duration((today - local_date(facts.opened_at)).days, language),
               opened=long_date(local_date(facts.opened_at), language),
               status=say(language, f'status.{facts.status.value}'),
               since=duration((today - local_date(facts.status_since)).days, language))


def _due_sentence(facts: CaseFacts, today: date, language: str) -> str:
    if facts.due_date is None:
        return say(language, 'summary.no_due')
    if facts.due_date < today:
        return say(language, 'summary.due_past', due=long_date(facts.due_date, language))
    return say(language, 'summary.due_future', due=long_date(facts.due_date, language),
               days=duration((facts.due_date - today).days, language))


def sentences(facts: CaseFacts) -> list[str]:
    texts = [facts.description, *(note.body for note in facts.notes)]
    found = []
    for text in texts:
        for sentence in _SENTENCE_END.split(text or ''):
            sentence = ' '.join(sentence.split()).strip(' -*#>')
            if sentence:
                found.append(sentence)
    return found


def informative_sentences(facts: CaseFacts, vocabulary: frozenset[str] = frozenset()) -> list[str]:
    candidates = [(index, sentence, tokens(sentence)) for index, sentence in enumerate(sentences(facts))]
    candidates = [item for item in candidates if len(item[2]) >= 4]
    if not candidates:
        return []
    frequency = Counter(token for _, _, words in candidates for token in set(words))
    total = len(candidates)

    def score(words: list[str]) -> float:
        unique = set(words)
        weight = sum(math.log(1 + total / frequency[word]) * (2 if word in vocabulary else 1) for word in unique)
        return weight / math.sqrt(len(words))

    best = sorted(candidates, key=lambda item: (-score(item[2]), item[0]))[:MAX_SENTENCES]
    return [_shorten(sentence) for _, sentence, _ in sorted(best)]


def _shorten(sentence: str) -> str:
    if len(sentence) <= MAX_SENTENCE_LENGTH:
        return sentence
    return sentence[:MAX_SENTENCE_LENGTH].rsplit(' ', 1)[0] + '…'
