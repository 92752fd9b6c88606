"""Cases (dossiers): references, editing with optimistic locking, status history, lists and the board."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import and_, func, update
from sqlalchemy import case as sql_case
from sqlalchemy.dialects.postgresql import insert as postgres_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from db.models import (
    AuditAction,
    Case,
    CasePriority,
    CaseSequence,
    CaseStatus,
    CaseStatusChange,
    CaseType,
    Client,
    ClientStatus,
    Document,
    Note,
    SearchEntity,
    User,
    utcnow,
)
from db.session import after_commit
from services import audit, search
from services.actor import Actor, require_write
from services.clients import client_in_tenant
from services.clock import local_now, today
from services.errors import Conflict, Forbidden, Invalid, NotFound
from services.paging import Page, PageRequest, fetch_page, sort_column
from services.storage import remove_stored_files
from services.users import display_names
from services.validation import DbId, clean_text

OPEN_STATUSES = tuple(status for status in CaseStatus if status.is_open)
SORTABLE = {'reference': Case.id, 'title': Case.title, 'due_date': Case.due_date, 'updated_at': Case.updated_at,
            'priority': Case.priority, 'status': Case.status, 'opened_at': Case.opened_at}
BOARD_PAGE = 20


def open_cases():
    """A case is open until it is resolved or closed: the dashboard's «Dossiers ouverts» and the board's columns."""
    return col(Case.status).in_(OPEN_STATUSES)


def overdue_cases(day: date):
    """Open cases whose due date is before `day` (today): the dashboard's «Dossiers en retard», the list's filter."""
    return and_(open_cases(), col(Case.due_date) < day)


class CaseInput(BaseModel):
    title: str = Field(default='', max_length=200)
    client_id: DbId
    case_type: CaseType = CaseType.OTHER
    status: CaseStatus = CaseStatus.NEW
    priority: CasePriority = CasePriority.NORMAL
    description: str = Field(default='', max_length=50_000)
    assignee_id: DbId | None = None
    due_date: date | None = None


class CaseRead(CaseInput):
    model_config = ConfigDict(frozen=True)

    id: int
    reference: str
    client_name: str
    assignee_name: str | None
    opened_at: datetime
    closed_at: datetime | None
    created_at: datetime
    updated_at: datetime
    version: int

    @property
    def is_overdue(self) -> bool:
        return self.status.is_open and self.due_date is not None and self.due_date < today()


@dataclass(frozen=True)
class CaseFilter:
    search: str = ''
    case_type: CaseType | None = None
    status: CaseStatus | None = None
    open_only: bool = False
    priority: CasePriority | None = None
    assignee_id: int | None = None
    client_id: int | None = None
    overdue: bool = False
    sort: str = 'updated_at'
    descending: bool = True


@dataclass(frozen=True)
class StatusChangeRead:
    from_status: CaseStatus | None
    to_status: CaseStatus
    changed_by: str
    changed_at: datetime


@dataclass(frozen=True)
class BoardColumn:
    status: CaseStatus
    total: int
    cards: list[CaseRead] = field(default_factory=list)


def next_reference(session: Session, tenant_id: int, year: int) -> str:
    """`DOS-<year>-<n>`, n one more than the last of that tenant and year. The row lock taken by the UPDATE holds
    other creators until this unit of work ends; a rollback gives the number back, so there are no gaps."""
    dialect_insert = postgres_insert if session.get_bind().dialect.name == 'postgresql' else sqlite_insert
    session.execute(dialect_insert(CaseSequence).values(tenant_id=tenant_id, year=year, last_number=0)
                    .on_conflict_do_nothing())
    number = session.execute(update(CaseSequence).where(CaseSequence.tenant_id == tenant_id, CaseSequence.year == year)
                             .values(last_number=CaseSequence.last_number + 1)
                             .returning(CaseSequence.last_number)).scalar_one()
    return f'DOS-{year}-{number:04d}'


def _reads(session: Session, cases: list[Case]) -> list[CaseRead]:
    client_ids = {case.client_id for case in cases}
    clients = dict(session.exec(select(Client.id, Client.name).where(col(Client.id).in_(client_ids))).all()) \
        if client_ids else {}
    assignees = display_names(session, {case.assignee_id for case in cases if case.assignee_id})
    return [CaseRead(**case.model_dump(warnings=False, exclude={'tenant_id'}),
                     client_name=clients.get(case.client_id, ''), assignee_name=assignees.get(case.assignee_id))
            for case in cases]


def case_in_tenant(session: Session, actor: Actor, case_id: int) -> Case:
    case = session.get(Case, case_id)
    if case is None or case.tenant_id != actor.tenant_id:
        raise NotFound('error.case_not_found')
    return case


def get_case(session: Session, actor: Actor, case_id: int) -> CaseRead:
    return _reads(session, [case_in_tenant(session, actor, case_id)])[0]


def _validated(session: Session, actor: Actor, data: CaseInput, current: CaseInput | None = None) -> dict:
    """`current`: the case as saved; the client it already has may since be archived, and its assignee
    deactivated, without freezing the case (only a new client or assignee must be active)."""
    values = data.model_dump()
    values['title'] = clean_text(data.title, field='title', max_length=200, required=True)
    values['description'] = (data.description or '').strip()
    try:
        client = client_in_tenant(session, actor, data.client_id)
    except NotFound as error:
        raise Invalid('error.client_unknown', field='client_id') from error
    if client.status == ClientStatus.ARCHIVED and (current is None or current.client_id != data.client_id):
        raise Invalid('error.client_archived', field='client_id')
    if data.assignee_id is not None:
        assignee = session.get(User, data.assignee_id)
        if assignee is None or assignee.tenant_id != actor.tenant_id or (
                not assignee.is_active and (current is None or current.assignee_id != data.assignee_id)):
            raise Invalid('error.assignee_unknown', field='assignee_id')
    return values


def _record_status(session: Session, actor: Actor, case: Case, before: CaseStatus | None) -> None:
    session.add(CaseStatusChange(tenant_id=case.tenant_id, case_id=case.id, from_status=before,
                                 to_status=case.status, changed_by=actor.user_id))
    if case.status.is_open:
        case.closed_at = None
    elif before is None or CaseStatus(before).is_open:
        case.closed_at = utcnow()


def _index(session: Session, case: Case) -> None:
    client_name = session.exec(select(Client.name).where(Client.id == case.client_id)).one()
    search.index(session, SearchEntity.CASE, case, client_name)


def create_case(session: Session, actor: Actor, data: CaseInput) -> CaseRead:
    require_write(actor)
    values = _validated(session, actor, data)
    now = utcnow()
    case = Case(tenant_id=actor.tenant_id, reference=next_reference(session, actor.tenant_id, local_now().year),
                opened_at=now, **values)
    case.status = CaseStatus(case.status)
    session.add(case)
    session.flush()
    _record_status(session, actor, case, None)
    _index(session, case)
    audit.record(session, actor, tenant_id=actor.tenant_id, action=AuditAction.CREATE, entity='case',
                 entity_id=case.id, changes=audit.diff({}, {'reference': case.reference, **values}))
    session.flush()
    return get_case(session, actor, case.id)


def update_case(session: Session, actor: Actor, case_id: int, changes: dict,
                expected_version: int | None = None) -> CaseRead:
    """Apply the given fields (any of CaseInput's); a stale `expected_version` is refused."""
    require_write(actor)
    case = case_in_tenant(session, actor, case_id)
    if expected_version is not None and expected_version != case.version:
        raise Conflict('error.stale_version')
    current = CaseInput(**case.model_dump(warnings=False, include=set(CaseInput.model_fields)))
    try:
        merged = CaseInput(**{**current.model_dump(), **changes})
    except ValueError as error:
        raise Invalid('error.invalid') from error
    values = _validated(session, actor, merged, current)
    before = current.model_dump()
    diff = audit.diff(before, values)
    if not diff:
        return get_case(session, actor, case.id)
    previous_status = case.status
    for name, value in values.items():
        setattr(case, name, value)
    case.version += 1
    if 'status' in diff:
        _record_status(session, actor, case, CaseStatus(previous_status))
    session.add(case)
    _index(session, case)
    if 'title' in diff:  # notes are found (and shown) with their case's reference and title, as services.notes does
        notes = session.exec(select(Note).where(Note.case_id == case.id)).all()
        search.index_many(session, SearchEntity.NOTE, notes, f'{case.reference} {case.title}')
    audit.record(session, actor, tenant_id=actor.tenant_id, action=AuditAction.UPDATE, entity='case',
                 entity_id=case.id, changes=diff)
    session.flush()
    return get_case(session, actor, case.id)


def move_case(session: Session, actor: Actor, case_id: int, status: CaseStatus,
              expected_version: int | None = None) -> CaseRead:
    return update_case(session, actor, case_id, {'status': status}, expected_version)


def delete_case(session: Session, actor: Actor, case_id: int) -> None:
    """Delete a case with its notes, history and files; managers and admins only."""
    require_write(actor)
    if actor.role not in ('admin', 'manager'):
        raise Forbidden('error.manager_only')
    case = case_in_tenant(session, actor, case_id)
    note_ids = list(session.exec(select(Note.id).where(Note.case_id == case.id)).all())
    stored = list(session.exec(select(Document.stored_name).where(Document.case_id == case.id)).all())
    search.forget(session, SearchEntity.NOTE, note_ids)
    search.forget(session, SearchEntity.CASE, [case.id])
    audit.record(session, actor, tenant_id=actor.tenant_id, action=AuditAction.DELETE, entity='case',
                 entity_id=case.id, changes={'reference': case.reference, 'title': case.title})
    session.delete(case)
    session.flush()
    after_commit(session, lambda: remove_stored_files(actor.tenant_id, stored))


def _filtered(session: Session, actor: Actor, filters: CaseFilter):
    query = select(Case).where(Case.tenant_id == actor.tenant_id)
    if filters.case_type:
        query = query.where(Case.case_type == filters.case_type)
    if filters.status:
        query = query.where(Case.status == filters.status)
    elif filters.open_only:
        query = query.where(open_cases())
    if filters.priority:
        query = query.where(Case.priority == filters.priority)
    if filters.assignee_id:
        query = query.where(Case.assignee_id == filters.assignee_id)
    if filters.client_id:
        query = query.where(Case.client_id == filters.client_id)
    if filters.overdue:
        query = query.where(overdue_cases(today()))
    if filters.search.strip():
        matching = search.matching_ids(session, actor.tenant_id, SearchEntity.CASE, filters.search)
        if matching is None:
            return None
        query = query.where(col(Case.id).in_(matching))
    return query


def list_cases(session: Session, actor: Actor, filters: CaseFilter, page: PageRequest) -> Page[CaseRead]:
    query = _filtered(session, actor, filters)
    if query is None:
        return Page(items=[], total=0, limit=page.limit, offset=page.offset)
    order = sort_column(col(SORTABLE.get(filters.sort, Case.updated_at)), filters.descending)
    rows, total = fetch_page(session, query, page, order, col(Case.id).desc())
    return Page(items=_reads(session, rows), total=total, limit=page.limit, offset=page.offset)


def _board_query(session: Session, actor: Actor, filters: CaseFilter):
    """The board's cases: every status (the columns), the other filters applied; None when a search matches none."""
    return _filtered(session, actor, CaseFilter(**{**filters.__dict__, 'status': None, 'open_only': False}))


def _by_status(session: Session, query) -> dict[str, tuple[int, datetime | None]]:
    """status → (how many cases, when the last of them changed), in one pass over the status index."""
    base = query.subquery()
    rows = session.exec(select(base.c.status, func.count(), func.max(base.c.updated_at)).group_by(base.c.status))
    return {status: (count, latest) for status, count, latest in rows.all()}


def _stamp(summary: dict[str, tuple[int, datetime | None]]) -> tuple:
    return tuple(sorted((str(status), count, str(latest)) for status, (count, latest) in summary.items()))


def board_and_stamp(session: Session, actor: Actor, filters: CaseFilter,
                    limits: dict[CaseStatus, int] | None = None) -> tuple[list[BoardColumn], tuple]:
    """One column per status with its count and its most recently updated cards (a bounded number each), and the
    stamp `board_stamp` gives for the same filters while nothing changes."""
    query = _board_query(session, actor, filters)
    if query is None:
        return [BoardColumn(status, 0) for status in CaseStatus], ()
    summary = _by_status(session, query)
    rows = {status: list(session.exec(query.where(Case.status == status)
                                      .order_by(col(Case.updated_at).desc(), col(Case.id).desc())
                                      .limit((limits or {}).get(status, BOARD_PAGE))).all())
            for status in CaseStatus if status in summary}
    reads = iter(_reads(session, [case for cases in rows.values() for case in cases]))  # names read once
    columns = [BoardColumn(status, summary.get(status, (0, None))[0],
                           [next(reads) for _ in rows.get(status, [])]) for status in CaseStatus]
    return columns, _stamp(summary)


def board(session: Session, actor: Actor, filters: CaseFilter, limits: dict[CaseStatus, int] | None = None
          ) -> list[BoardColumn]:
    """The board's columns (see `board_and_stamp`)."""
    return board_and_stamp(session, actor, filters, limits)[0]


def board_stamp(session: Session, actor: Actor, filters: CaseFilter | None = None) -> tuple:
    """Changes whenever a case the board shows is created, moved, edited or deleted (each write sets its
    `updated_at`, and a deletion changes a count): a board polls it. Read from the status index alone."""
    query = _board_query(session, actor, filters or CaseFilter())
    return () if query is None else _stamp(_by_status(session, query))


def status_history(session: Session, actor: Actor, case_id: int) -> list[StatusChangeRead]:
    case = case_in_tenant(session, actor, case_id)
    rows = session.exec(select(CaseStatusChange).where(CaseStatusChange.case_id == case.id)
                        .order_by(col(CaseStatusChange.changed_at).desc(), col(CaseStatusChange.id).desc())).all()
    names = display_names(session, {row.changed_by for row in rows if row.changed_by})
    return [StatusChangeRead(CaseStatus(row.from_status) if row.from_status else None, CaseStatus(row.to_status),
                             names.get(row.changed_by, ''), row.changed_at) for row in rows]


def case_counts(session: Session, actor: Actor) -> dict:
    """Open cases by status and by type, overdue ones, and those due within a week (for the dashboard): one pass
    over the (tenant, status, type, due date) index."""
    day = today()
    late = sql_case((overdue_cases(day), 1), else_=0)
    rows = session.exec(select(Case.status, Case.case_type, func.count(), func.sum(late))
                        .where(Case.tenant_id == actor.tenant_id, open_cases())
                        .group_by(Case.status, Case.case_type)).all()
    by_status: dict[str, int] = {}
    by_type: dict[str, int] = {}
    overdue = 0
    for status, case_type, count, late_count in rows:
        by_status[status] = by_status.get(status, 0) + count
        by_type[case_type] = by_type.get(case_type, 0) + count
        overdue += late_count or 0
    return {'by_status': by_status, 'by_type': by_type, 'overdue': overdue, 'today': day,
            'week_end': day + timedelta(days=7)}


def due_soon(session: Session, actor: Actor, *, days: int = 7, limit: int = 10) -> list[CaseRead]:
    day = today()
    query = select(Case).where(Case.tenant_id == actor.tenant_id, open_cases(),
                               col(Case.due_date) >= day, col(Case.due_date) <= day + timedelta(days=days))
    rows = session.exec(query.order_by(col(Case.due_date), col(Case.id)).limit(limit)).all()
    return _reads(session, list(rows))


