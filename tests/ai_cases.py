"""Cases written as a consultant would, aged as needed: the material of the AI analysis tests.

A scenario is built through the services (client, case, notes), then its dates are moved back in time with plain
UPDATEs, since services stamp everything «now»."""

from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import update
from sqlmodel import col, select

from db.models import Case, CaseStatusChange, Interaction, InteractionType, Note, utcnow
from db.session import session_scope
from services.actor import Actor
from services.cases import CaseRead, update_case
from services.clock import today
from services.notes import NoteInput, add_note
from tests.factories import make_case, make_client


@dataclass(frozen=True)
class Scenario:
    name: str
    case_type: str
    title: str
    description: str = ''
    notes: tuple[tuple[int, str, str], ...] = ()  # (days ago, kind, body)
    status: str = 'in_progress'
    priority: str = 'normal'
    opened_days_ago: int = 5
    status_days_ago: int | None = None  # None: since the opening
    due_in: int | None = None  # days from today; negative: passed
    contact_days_ago: int | None = None  # a past interaction with the client
    tasks: tuple[tuple[int, str], ...] = ()  # (due in days from today, body): open tasks written today
    references: tuple[str, ...] = ()  # substrings of references expected among the results
    no_references: bool = False
    level: str = 'low'
    score: int | None = None
    factor_codes: frozenset[str] = field(default_factory=frozenset)


def build(actor: Actor, scenario: Scenario, client_name: str = 'Sarl Atlas Négoce') -> CaseRead:
    client = make_client(actor, client_name)
    due = today() + timedelta(days=scenario.due_in) if scenario.due_in is not None else None
    case = make_case(actor, client.id, scenario.title, case_type=scenario.case_type, description=scenario.description,
                     priority=scenario.priority, due_date=due)
    with session_scope() as session:
        if scenario.status != 'new':
            update_case(session, actor, case.id, {'status': scenario.status})
        for days_ago, kind, body in scenario.notes:
            note = add_note(session, actor, case.id, NoteInput(kind=kind, body=body))
            session.execute(update(Note).where(col(Note.id) == note.id)
                            .values(created_at=utcnow() - timedelta(days=days_ago)))
        for due_in, body in scenario.tasks:
            add_note(session, actor, case.id, NoteInput(kind='task', body=body,
                                                        due_date=today() + timedelta(days=due_in)))
        backdate(session, case.id, scenario.opened_days_ago,
                 scenario.status_days_ago if scenario.status_days_ago is not None else scenario.opened_days_ago)
        if scenario.contact_days_ago is not None:
            session.add(Interaction(tenant_id=actor.tenant_id, client_id=client.id, type=InteractionType.CALL,
                                    title='Appel', occurred_at=utcnow() - timedelta(days=scenario.contact_days_ago)))
    return case


def backdate(session, case_id: int, opened_days_ago: int, status_days_ago: int) -> None:
    opened = utcnow() - timedelta(days=opened_days_ago)
    session.execute(update(Case).where(col(Case.id) == case_id).values(opened_at=opened, created_at=opened,
                                                                        updated_at=opened))
    changes = session.exec(select(CaseStatusChange).where(CaseStatusChange.case_id == case_id)
                           .order_by(col(CaseStatusChange.id))).all()
    for change in changes:
        change.changed_at = opened
    if changes:
        changes[-1].changed_at = utcnow() - timedelta(days=status_days_ago)
    session.add_all(changes)

