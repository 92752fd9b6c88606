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
from services.ai.phrases import long_date, say
from services.ai.schema import Risk, RiskFactor, risk_level
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


def assess(facts: CaseFacts, today: date, language: str, alarms: list[Alarm] | None = None) -> Risk:
    """`alarms`: the case's warning words when the caller has found them already (find_alarms)."""
    if not facts.status.is_open:
        return Risk(level='low', score=0, factors=[])
    factors = [factor for factor in (
        _deadline(facts, today, language), _priority(facts, language), _contact(facts, today, language),
        _waiting(facts, today, language), _progress(facts, today, language), _overdue_tasks(facts, today, language),
    ) if factor is not None]
    factors += _alarm_factors(find_alarms(facts) if alarms is None else alarms, language)
    score = min(100, sum(factor.weight for factor in factors))
    return Risk(level=risk_level(score), score=score, factors=factors)


def _days_since(moment: datetime, today: date) -> int:
    return (today - local_date(moment)).days


def _deadline(facts: CaseFacts, today: date, language: str) -> RiskFactor | None:
    if facts.due_date is None:
        return None
    days = (facts.due_date - today).days
    due = long_date(facts.due_date, language)
    if days < 0:
        return RiskFactor(code='overdue', label=say(language, 'risk.overdue'), weight=min(40, 30 + -days // 3),
                          evidence=say(language, 'risk.overdue.evidence', due=due, days=-days))
    weight = 25 if days <= 3 else 20 if days <= 7 else 10 if days <= 14 else 0
    if not weight:
        return None
    return RiskFactor(code='due_soon', label=say(language, 'risk.due_soon'), weight=weight,
                      evidence=say(language, 'risk.due_soon.evidence', due=due, days=days))


def _priority(facts: CaseFacts, language: str) -> RiskFactor | None:
    weight = {CasePriority.URGENT: 20, CasePriority.HIGH: 10}.get(facts.priority)
    if not weight:
        return None
    name = say(language, f'priority.{facts.priority.value}')
    return RiskFactor(code='priority', label=say(language, 'risk.priority', priority=name), weight=weight,
                      evidence=say(language, 'risk.priority.evidence', priority=name))


def _contact(facts: CaseFacts, today: date, language: str) -> RiskFactor | None:
    last = facts.last_contact_at
    if last is None:
        age = _days_since(facts.opened_at, today)
        if age <= 14:
            return None
        return RiskFactor(code='no_contact', label=say(language, 'risk.never_contacted'), weight=15,
                          evidence=say(language, 'risk.never_contacted.evidence', days=age))
    days = _days_since(last, today)
    if days <= 30:
        return None
    return RiskFactor(code='no_contact', label=say(language, 'risk.no_contact'),
                      weight=min(20, 10 + (days - 30) // 10 * 2),
                      evidence=say(language, 'risk.no_contact.evidence', days=days,
                                   last=long_date(local_date(last), language)))


def _waiting(facts: CaseFacts, today: date, language: str) -> RiskFactor | None:
    if facts.status != CaseStatus.WAITING_CLIENT:
        return None
    days = _days_since(facts.status_since, today)
    weight = 20 if days > 45 else 15 if days > 21 else 10 if days > 14 else 0
    if not weight:
        return None
    return RiskFactor(code='waiting_client', label=say(language, 'risk.waiting_client'), weight=weight,
                      evidence=say(language, 'risk.waiting_client.evidence', weeks=days // 7, days=days))


def _progress(facts: CaseFacts, today: date, language: str) -> RiskFactor | None:
    if facts.status == CaseStatus.NEW:
        days = _days_since(facts.opened_at, today)
        if days > 7:
            return RiskFactor(code='not_started', label=say(language, 'risk.not_started'), weight=10,
                              evidence=say(language, 'risk.not_started.evidence', days=days))
        return None
    idle = _days_since(facts.inputs_at, today)
    if idle > 30:
        return RiskFactor(code='stale', label=say(language, 'risk.stale'), weight=10,
                          evidence=say(language, 'risk.stale.evidence', days=idle))
    return None


def _overdue_tasks(facts: CaseFacts, today: date, language: str) -> RiskFactor | None:
    late = sorted(note.due_date for note in facts.notes
                  if note.kind == NoteKind.TASK and not note.done and note.due_date and note.due_date < today)
    if not late:
        return None
    return RiskFactor(code='overdue_tasks', label=say(language, 'risk.overdue_tasks'), weight=min(15, 5 * len(late)),
                      evidence=say(language, 'risk.overdue_tasks.evidence', count=len(late),
                                   due=long_date(late[0], language)))


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


def _alarm_factors(alarms: list[Alarm], language: str) -> list[RiskFactor]:
    factors, budget = [], ALARM_CAP
    for alarm in alarms:
        weight = min(alarm.weight, budget)
        if weight <= 0:
            break
        budget -= weight
        evidence = say(language, 'risk.alarm.note', term=alarm.term, day=long_date(local_date(alarm.noted_at),
                                                                                    language)) \
            if alarm.noted_at else say(language, 'risk.alarm.description', term=alarm.term)
        factors.append(RiskFactor(code='alarm', label=say(language, 'risk.alarm', term=alarm.term), weight=weight,
                                  evidence=evidence))
    return factors
