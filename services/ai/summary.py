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
from services.ai.phrases import Ago, Day, Phrase, Quotes, Since, Word, phrase
from services.clock import local_date
from services.plain_text import plain_text

MAX_SENTENCES = 3
MAX_SENTENCE_LENGTH = 240
_SENTENCE_END = re.compile(r'(?<=[.!?])\s+|\n+')


def summarize(facts: CaseFacts, today: date, *, vocabulary: frozenset[str] = frozenset()) -> list[Phrase]:
    """The summary's sentences, in no language (services/ai/phrases.py writes them out)."""
    parts = [_facts_sentence(facts), _due_sentence(facts, today),
             phrase('summary.counts', notes=len(facts.notes), documents=facts.documents,
                    interactions=facts.interactions)]
    if not facts.status.is_open:
        parts.append(phrase('summary.closed'))
    highlights = informative_sentences(facts, vocabulary)
    if highlights:
        parts.append(phrase('summary.highlights', sentences=Quotes(quotes=highlights)))
    elif not facts.notes and not facts.description.strip():
        parts.append(phrase('summary.empty'))
    return parts


def _facts_sentence(facts: CaseFacts) -> Phrase:
    opened = local_date(facts.opened_at)
    kind = f'type.{facts.case_type.value}'
    return phrase('summary.facts', type=Word(word=kind), type_cap=Word(word=kind, capital=True), title=facts.title,
                  client=facts.client_name or '—', opened_ago=Ago(ago=opened), opened=Day(day=opened),
                  status=Word(word=f'status.{facts.status.value}'),
                  status_since=Since(since=local_date(facts.status_since)))


def _due_sentence(facts: CaseFacts, today: date) -> Phrase:
    if facts.due_date is None:
        return phrase('summary.no_due')
    if facts.due_date < today:
        return phrase('summary.due_past', due=Day(day=facts.due_date))
    return phrase('summary.due_future', due=Day(day=facts.due_date), due_in=Ago(ago=facts.due_date))


def sentences(facts: CaseFacts) -> list[str]:
    texts = [facts.description, *(note.body for note in facts.notes)]  # written in markdown: quoted as read
    found = []
    for text in texts:
        for sentence in _SENTENCE_END.split(plain_text(text)):
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
