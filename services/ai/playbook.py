"""What to do next, from a playbook per case type and status, adjusted to the case's deadline, risk and words.

A step is (its phrase in services/ai/phrases.py, days from today). Its due date is today plus those days, brought
forward to the day before the case's due date when that comes first (never before today).
"""

from datetime import date, timedelta

from db.models import CaseStatus, CaseType
from services.ai.facts import CaseFacts
from services.ai.findings import FactorFinding, StepFinding
from services.ai.phrases import Day, Phrase, phrase
from services.ai.risk import Alarm
from services.ai.schema import RiskLevel

Step = tuple[str, int]

STEPS: dict[tuple[CaseType, CaseStatus], list[Step]] = {
    (CaseType.LEGAL, CaseStatus.NEW): [('step.legal.qualify', 1), ('step.legal.collect', 3),
                                       ('step.legal.deadlines', 2)],
    (CaseType.LEGAL, CaseStatus.IN_PROGRESS): [('step.legal.chronology', 5), ('step.legal.running_deadlines', 2)],
    (CaseType.LEGAL, CaseStatus.WAITING_CLIENT): [('step.legal.chase_documents', 1),
                                                  ('step.legal.draft_submissions', 4)],
    (CaseType.FISCAL, CaseStatus.NEW): [('step.fiscal.list_notices', 2), ('step.fiscal.check_deadline', 1)],
    (CaseType.FISCAL, CaseStatus.IN_PROGRESS): [('step.fiscal.prepare_claim', 5), ('step.fiscal.check_bases', 3)],
    (CaseType.FISCAL, CaseStatus.WAITING_CLIENT): [('step.fiscal.call_for_documents', 1),
                                                   ('step.fiscal.prepare_reply', 3)],
    (CaseType.ADMINISTRATIVE, CaseStatus.NEW): [('step.administrative.list_documents', 2),
                                                ('step.administrative.find_office', 2)],
    (CaseType.ADMINISTRATIVE, CaseStatus.IN_PROGRESS): [('step.administrative.file', 5),
                                                        ('step.administrative.follow_up', 10)],
    (CaseType.ADMINISTRATIVE, CaseStatus.WAITING_CLIENT): [('step.administrative.chase_documents', 1)],
    (CaseType.BUSINESS, CaseStatus.NEW): [('step.business.scope', 2), ('step.business.proposal', 5)],
    (CaseType.BUSINESS, CaseStatus.IN_PROGRESS): [('step.business.review', 5), ('step.business.next_steps', 7)],
    (CaseType.BUSINESS, CaseStatus.WAITING_CLIENT): [('step.business.chase_proposal', 1)],
    (CaseType.OTHER, CaseStatus.NEW): [('step.other.qualify', 1)],
    (CaseType.OTHER, CaseStatus.IN_PROGRESS): [('step.other.review', 7)],
    (CaseType.OTHER, CaseStatus.WAITING_CLIENT): [('step.other.chase', 1)],
}
CLOSING: list[Step] = [('step.closing', 7)]

ALARM_STEPS: dict[str, Step] = {
    'mise en demeure': ('step.alarm.formal_notice', 2),
    'redressement': ('step.alarm.reassessment', 3),
    'contrôle fiscal': ('step.alarm.tax_audit', 3),
    'vérification de comptabilité': ('step.alarm.accounts_audit', 3),
    'assignation': ('step.alarm.summons', 2),
    'forclusion': ('step.alarm.foreclosure', 0),
    'licenciement': ('step.alarm.dismissal', 3),
    'impayé': ('step.alarm.unpaid', 3),
}


def _due(days: int, facts: CaseFacts, today: date) -> date:
    due = today + timedelta(days=days)
    if facts.due_date and facts.due_date > today:
        due = min(due, facts.due_date - timedelta(days=1))
    return max(due, today)


def _evidence(factors: list[FactorFinding], code: str) -> Phrase | None:
    return next((factor.evidence for factor in factors if factor.code == code), None)


def next_steps(facts: CaseFacts, factors: list[FactorFinding], alarms: list[Alarm], today: date) -> list[StepFinding]:
    codes = {factor.code for factor in factors}
    steps: list[tuple[Step, str]] = []
    if 'overdue' in codes:
        steps.append((('step.new_due_date', 0), 'overdue'))
    if 'no_contact' in codes and facts.status != CaseStatus.WAITING_CLIENT:
        steps.append((('step.call_client', 1), 'no_contact'))
    steps += [(ALARM_STEPS[alarm.term], 'alarm') for alarm in alarms if alarm.term in ALARM_STEPS]
    if facts.status.is_open:
        steps += [(step, 'playbook') for step in STEPS.get((facts.case_type, facts.status), [])]
    elif facts.status == CaseStatus.RESOLVED:
        steps += [(step, 'playbook') for step in CLOSING]
    seen, result = set(), []
    for (key, days), origin in steps:
        if key in seen:
            continue
        seen.add(key)
        result.append(StepFinding(title=phrase(key), due_date=_due(days, facts, today),
                                  why=_evidence(factors, origin) if origin in ('overdue', 'no_contact') else None))
    return sorted(result[:8], key=lambda step: step.due_date)  # stable: same-day steps keep their order


def recommendations(facts: CaseFacts, level: RiskLevel, today: date) -> list[Phrase]:
    items = []
    if level in ('high', 'critical'):
        items.append(phrase('reco.priority'))
    if facts.due_date is None and facts.status.is_open:
        items.append(phrase('reco.set_due_date'))
    elif facts.due_date and facts.status.is_open and facts.due_date >= today:
        items.append(phrase('reco.block_time', due=Day(day=facts.due_date)))
    if not facts.notes and not facts.description.strip():
        items.append(phrase('reco.describe'))
    if facts.documents == 0 and facts.status.is_open:
        items.append(phrase('reco.attach'))
    items.append(phrase(f'advice.{facts.case_type.value}'))
    return items
