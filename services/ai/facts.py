"""What the analyzer knows of a case, loaded in a few set-based queries so that a batch of cases costs the same
number of round trips as one."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from db.models import (
    Case,
    CasePriority,
    CaseStatus,
    CaseStatusChange,
    CaseType,
    Client,
    Contact,
    Document,
    Interaction,
    Note,
    NoteKind,
    utcnow,
)

CONTACT_KINDS = (NoteKind.CALL, NoteKind.MEETING, NoteKind.EMAIL)


@dataclass(frozen=True, slots=True)
class NoteFact:
    created_at: datetime
    kind: NoteKind
    body: str
    due_date: date | None = None
    done: bool = False


@dataclass(slots=True)
class CaseFacts:
    case_id: int
    tenant_id: int
    reference: str
    title: str
    case_type: CaseType
    status: CaseStatus
    priority: CasePriority
    description: str
    client_id: int
    client_name: str
    opened_at: datetime
    status_since: datetime
    due_date: date | None
    updated_at: datetime
    notes: list[NoteFact] = field(default_factory=list)
    documents: int = 0
    interactions: int = 0
    last_interaction_at: datetime | None = None
    last_document_at: datetime | None = None
    sensitive: list[str] = field(default_factory=list)

    @property
    def last_contact_at(self) -> datetime | None:
        """The latest exchange with the client: a past interaction, or a call, meeting or e-mail note on the case."""
        moments = [note.created_at for note in self.notes if note.kind in CONTACT_KINDS]
        if self.last_interaction_at:
            moments.append(self.last_interaction_at)
        return max(moments, default=None)

    @property
    def inputs_at(self) -> datetime:
        """When what the analysis read last changed: the case, its notes or its files."""
        moments = [self.updated_at, self.status_since, *(note.created_at for note in self.notes)]
        if self.last_document_at:
            moments.append(self.last_document_at)
        return max(moments)

    def text(self) -> str:
        """Everything written about the case, for retrieval: title, description, then the notes."""
        return '\n'.join([self.title, self.description, *(note.body for note in self.notes)])


def load_facts(session: Session, tenant_id: int, case_ids: Sequence[int], *,
               with_sensitive: bool = False) -> dict[int, CaseFacts]:
    cases = session.exec(select(Case).where(Case.tenant_id == tenant_id, col(Case.id).in_(case_ids))).all()
    if not cases:
        return {}
    ids = [case.id for case in cases]
    client_ids = {case.client_id for case in cases}
    clients = dict(session.exec(select(Client.id, Client.name).where(col(Client.id).in_(client_ids))).all())
    facts = {case.id: _case_facts(case, clients.get(case.client_id, '')) for case in cases}
    _add_status_since(session, facts, ids)
    _add_notes(session, facts, ids)
    _add_documents(session, facts, ids)
    _add_interactions(session, facts, client_ids)
    if with_sensitive:
        _add_sensitive(session, facts, client_ids)
    return facts


def _case_facts(case: Case, client_name: str) -> CaseFacts:
    return CaseFacts(case_id=case.id, tenant_id=case.tenant_id, reference=case.reference, title=case.title,
                     case_type=CaseType(case.case_type), status=CaseStatus(case.status),
                     priority=CasePriority(case.priority), description=case.description or '',
                     client_id=case.client_id, client_name=client_name, opened_at=case.opened_at,
                     status_since=case.opened_at, due_date=case.due_date, updated_at=case.updated_at)


def _add_status_since(session: Session, facts: dict[int, CaseFacts], ids: list[int]) -> None:
    rows = session.exec(select(CaseStatusChange.case_id, func.max(CaseStatusChange.changed_at))
                        .where(col(CaseStatusChange.case_id).in_(ids)).group_by(CaseStatusChange.case_id)).all()
    for case_id, changed_at in rows:
        facts[case_id].status_since = changed_at


def _add_notes(session: Session, facts: dict[int, CaseFacts], ids: list[int]) -> None:
    rows = session.exec(select(Note.case_id, Note.created_at, Note.kind, Note.body, Note.due_date, Note.done)
                        .where(col(Note.case_id).in_(ids)).order_by(Note.case_id, Note.created_at, Note.id)).all()
    for case_id, created_at, kind, body, due_date, done in rows:
        facts[case_id].notes.append(NoteFact(created_at, NoteKind(kind), body, due_date, done))


def _add_documents(session: Session, facts: dict[int, CaseFacts], ids: list[int]) -> None:
    rows = session.exec(select(Document.case_id, func.count(), func.max(Document.created_at))
                        .where(col(Document.case_id).in_(ids)).group_by(Document.case_id)).all()
    for case_id, count, latest in rows:
        facts[case_id].documents = count
        facts[case_id].last_document_at = latest


def _add_interactions(session: Session, facts: dict[int, CaseFacts], client_ids: set[int]) -> None:
    """Interactions belong to the client, not to one case: each of the client's cases sees them all."""
    rows = session.exec(select(Interaction.client_id, func.count(), func.max(Interaction.occurred_at))
                        .where(col(Interaction.client_id).in_(client_ids), Interaction.occurred_at <= utcnow())
                        .group_by(Interaction.client_id)).all()
    by_client = {client_id: (count, latest) for client_id, count, latest in rows}
    for fact in facts.values():
        fact.interactions, fact.last_interaction_at = by_client.get(fact.client_id, (0, None))


def _add_sensitive(session: Session, facts: dict[int, CaseFacts], client_ids: set[int]) -> None:
    """Names, e-mails and phones of the clients and their contacts: what pseudonymisation hides from an LLM."""
    values: dict[int, list[str]] = defaultdict(list)
    for client_id, name, email, phone in session.exec(
            select(Client.id, Client.name, Client.email, Client.phone).where(col(Client.id).in_(client_ids))).all():
        values[client_id] += [name, email, phone]
    for client_id, first, last, email, phone in session.exec(
            select(Contact.client_id, Contact.first_name, Contact.last_name, Contact.email, Contact.phone)
            .where(col(Contact.client_id).in_(client_ids)).order_by(Contact.id)).all():
        values[client_id] += [f'{first} {last}'.strip(), last, email, phone]
    for fact in facts.values():  # in order, the client first: its name is [PERSONNE_1]
        fact.sensitive = list(dict.fromkeys(value.strip() for value in values[fact.client_id]
                                            if value and value.strip()))
