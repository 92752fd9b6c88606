"""Risk of a case, explained: each factor has a weight and its evidence, and the score is their sum (at most 100).

Weights, in points:
- due date passed: 30, plus 1 per 3 days late (at most 40); due within 3 days: 25, within 7: 20, within 14: 10;
- priority urgent: 20, high: 10;
- no contact with the client (past interaction, or call/meeting/e-mail note) for more than 30 days: 10, plus 2 per
  further 10 days (at most 20); none at all since an opening more than 14 days ago: 15;
- waiting on the client for more than 14 days: 10, 21: 15, 45: 20;
- still «new» more than 7 days after opening: 10; nothing added or changed for more than 30 days: 10;
- open tasks past their date: 5 each (at most 15);
- warning words in the description or notes (mise en demeure, redressement, forclusion…): their own weights,
  together at most 35, the latest occurrence given as evidence.
Closed and resolved cases carry no risk.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime

from db.models import CasePriority, CaseStatus, NoteKind
from services.ai.facts import CaseFacts
from services.ai.findings import FactorFinding
from services.ai.phrases import LABELS, Day, Word, phrase
from services.clock import local_date
from services.text import fold

ALARM_CAP = 35
ALARM_TERMS: dict[str, int] = {
    'mise en demeure': 15, 'redressement': 15, 'forclusion': 15, 'cessation de paiement': 15, 'faillite': 15,
    'saisie conservatoire': 15, 'saisie-arrêt': 15, 'liquidation judiciaire': 15,
    'assignation': 12, 'contrôle fiscal': 12, 'vérification de comptabilité': 12,
    'contentieux': 10, 'pénalité': 10, 'impayé': 10, 'plainte': 10, 'huissier': 10, 'dernier délai': 10,
    'majoration': 8, 'amende': 8, 'licenciement': 8, 'litige': 8, 'prescription': 6, 'relance': 4,
}
_BY_FOLDED = {fold(term): term for term in ALARM_TERMS}
_ALARM = re.compile(r'\b(' + '|'.join(re.escape(term) for term in sorted(_BY_FOLDED, key=len, reverse=True))
                    + r')(?:s|es)?\b')


@dataclass(frozen=True, slots=True)
class Alarm:
    term: str
    weight: int
    noted_at: datetime | None  # None: found in the description


def assess(facts: CaseFacts, today: date, alarms: list[Alarm] | None = None) -> list[FactorFinding]:
    """The risk factors of the case on `today` (none when it is closed or resolved); `alarms`: its warning words
    when the caller has found them already (find_alarms)."""
    if not facts.status.is_open:
        return []
    factors = [factor for factor in (
        _deadline(facts, today), _priority(facts), _contact(facts, today), _waiting(facts, today),
        _progress(facts, today), _overdue_tasks(facts, today),
    ) if factor is not None]
    return factors + _alarm_factors(find_alarms(facts) if alarms is None else alarms)


def _days_since(moment: datetime, today: date) -> int:
    return (today - local_date(moment)).days


def _factor(code: str, key: str, weight: int, evidence_key: str | None = None, **values) -> FactorFinding:
    """A factor whose label is LABELS[key] and evidence LABELS[evidence_key or key.evidence], from `values`."""
    in_label = {name: value for name, value in values.items() if f'{{{name}}}' in ''.join(LABELS[key])}
    return FactorFinding(code=code, weight=weight, label=phrase(key, **in_label),
                         evidence=phrase(evidence_key or f'{key}.evidence', **values))


def _deadline(facts: CaseFacts, today: date) -> FactorFinding | None:
    if facts.due_date is None:
        return None
    days = (facts.due_date - today).days
    if days < 0:
        return _factor('overdue', 'risk.overdue', min(40, 30 + -days // 3), due=Day(day=facts.due_date), days=-days)
    weight = 25 if days <= 3 else 20 if days <= 7 else 10 if days <= 14 else 0
    if not weight:
        return None
    return _factor('due_soon', 'risk.due_soon', weight, due=Day(day=facts.due_date), days=days)


def _priority(facts: CaseFacts) -> FactorFinding | None:
    weight = {CasePriority.URGENT: 20, CasePriority.HIGH: 10}.get(facts.priority)
    if not weight:
        return None
    word = f'priority.{facts.priority.value}'
    return _factor('priority', 'risk.priority', weight, priority=Word(word=word),
                   priority_cap=Word(word=word, capital=True))


def _contact(facts: CaseFacts, today: date) -> FactorFinding | None:
    last = facts.last_contact_at
    if last is None:
        age = _days_since(facts.opened_at, today)
        if age <= 14:
            return None
        return _factor('no_contact', 'risk.never_contacted', 15, days=age)
    days = _days_since(last, today)
    if days <= 30:
        return None
    return _factor('no_contact', 'risk.no_contact', min(20, 10 + (days - 30) // 10 * 2), days=days,
                   last=Day(day=local_date(last)))


def _waiting(facts: CaseFacts, today: date) -> FactorFinding | None:
    if facts.status != CaseStatus.WAITING_CLIENT:
        return None
    days = _days_since(facts.status_since, today)
    weight = 20 if days > 45 else 15 if days > 21 else 10 if days > 14 else 0
    if not weight:
        return None
    return _factor('waiting_client', 'risk.waiting_client', weight, weeks=days // 7, days=days)


def _progress(facts: CaseFacts, today: date) -> FactorFinding | None:
    if facts.status == CaseStatus.NEW:
        days = _days_since(facts.opened_at, today)
        return _factor('not_started', 'risk.not_started', 10, days=days) if days > 7 else None
    idle = _days_since(facts.inputs_at, today)
    return _factor('stale', 'risk.stale', 10, days=idle) if idle > 30 else None


def _overdue_tasks(facts: CaseFacts, today: date) -> FactorFinding | None:
    late = sorted(note.due_date for note in facts.notes
                  if note.kind == NoteKind.TASK and not note.done and note.due_date and note.due_date < today)
    if not late:
        return None
    return _factor('overdue_tasks', 'risk.overdue_tasks', min(15, 5 * len(late)), count=len(late),
                   due=Day(day=late[0]))


def find_alarms(facts: CaseFacts) -> list[Alarm]:
    """Each warning word once, where it was written last (the newest note, else the description)."""
    found: dict[str, Alarm] = {}
    for note in reversed(facts.notes):
        for term in _terms(note.body) - found.keys():
            found[term] = Alarm(term, ALARM_TERMS[term], note.created_at)
    for term in _terms(f'{facts.title}\n{facts.description}') - found.keys():
        found[term] = Alarm(term, ALARM_TERMS[term], None)
    return sorted(found.values(), key=lambda alarm: (-alarm.weight, alarm.term))


def _terms(text: str) -> set[str]:
    return {_BY_FOLDED[term] for term in _ALARM.findall(fold(text))}


def _alarm_factors(alarms: list[Alarm]) -> list[FactorFinding]:
    factors, budget = [], ALARM_CAP
    for alarm in alarms:
        weight = min(alarm.weight, budget)
        if weight <= 0:
            break
        budget -= weight
        where = {'evidence_key': 'risk.alarm.note', 'day': Day(day=local_date(alarm.noted_at))} if alarm.noted_at \
            else {'evidence_key': 'risk.alarm.description'}
        factors.append(_factor('alarm', 'risk.alarm', weight, term=alarm.term, **where))
    return factors
