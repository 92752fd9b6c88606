"""Notes on a case: general, call, meeting, e-mail, and tasks (with a due date and a done flag)."""

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import Session, col, select

from db.models import AuditAction, Case, CaseStatus, Note, NoteKind, SearchEntity, User
from services import audit, search
from services.actor import Actor, require_write
from services.cases import case_in_tenant
from services.clock import today
from services.errors import Conflict, Forbidden, Invalid, NotFound

MAX_NOTE_LENGTH = 20_000


class NoteInput(BaseModel):
    kind: NoteKind = NoteKind.GENERAL
    body: str = Field(default='', max_length=MAX_NOTE_LENGTH)
    due_date: date | None = None
    done: bool = False


class NoteRead(NoteInput):
    model_config = ConfigDict(frozen=True)

    id: int
    case_id: int
    author_id: int | None
    author_name: str
    created_at: datetime
    version: int


class TaskRead(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: int
    case_id: int
    case_reference: str
    case_title: str
    body: str
    due_date: date | None

    @property
    def is_overdue(self) -> bool:
        """Due before today in the firm's calendar (an open task: done ones are not listed)."""
        return self.due_date is not None and self.due_date < today()


def _reads(session: Session, notes: list[Note]) -> list[NoteRead]:
    author_ids = {note.author_id for note in notes if note.author_id}
    names = {user_id: name or email for user_id, name, email in session.exec(
        select(User.id, User.full_name, User.email).where(col(User.id).in_(author_ids))).all()} if author_ids else {}
    return [NoteRead(**note.model_dump(warnings=False, exclude={'tenant_id', 'updated_at'}),
                     author_name=names.get(note.author_id, '')) for note in notes]


def _validated(data: NoteInput) -> dict:
    body = (data.body or '').strip()
    if not body:
        raise Invalid('error.note_empty', field='body')
    is_task = data.kind == NoteKind.TASK
    return {'kind': data.kind, 'body': body, 'due_date': data.due_date if is_task else None,
            'done': data.done if is_task else False}


def _context(case: Case) -> str:
    return f'{case.reference} {case.title}'


def list_notes(session: Session, actor: Actor, case_id: int, *, limit: int = 200) -> list[NoteRead]:
    case = case_in_tenant(session, actor, case_id)
    rows = session.exec(select(Note).where(Note.case_id == case.id)
                        .order_by(col(Note.created_at).desc(), col(Note.id).desc()).limit(limit)).all()
    return _reads(session, list(rows))


def add_note(session: Session, actor: Actor, case_id: int, data: NoteInput) -> NoteRead:
    require_write(actor)
    case = case_in_tenant(session, actor, case_id)
    values = _validated(data)
    note = Note(tenant_id=actor.tenant_id, case_id=case.id, author_id=actor.user_id, **values)
    session.add(note)
    session.flush()
    search.index(session, SearchEntity.NOTE, note, _context(case))
    audit.record(session, actor, tenant_id=actor.tenant_id, action=AuditAction.CREATE, entity='note',
                 entity_id=note.id, changes={'case': case.reference, 'kind': note.kind})
    return _reads(session, [note])[0]


def _note_in_tenant(session: Session, actor: Actor, note_id: int) -> Note:
    note = session.get(Note, note_id)
    if note is None or note.tenant_id != actor.tenant_id:
        raise NotFound('error.note_not_found')
    return note


def get_note(session: Session, actor: Actor, note_id: int) -> NoteRead:
    return _reads(session, [_note_in_tenant(session, actor, note_id)])[0]


def update_note(session: Session, actor: Actor, note_id: int, data: NoteInput,
                expected_version: int | None = None) -> NoteRead:
    require_write(actor)
    note = _note_in_tenant(session, actor, note_id)
    if expected_version is not None and expected_version != note.version:
        raise Conflict('error.stale_version')
    values = _validated(data)
    changes = audit.diff(note.model_dump(warnings=False, include=set(values)), values)
    is_owner = note.author_id == actor.user_id or actor.role in ('admin', 'manager')
    if not is_owner and set(changes) - {'done'}:  # colleagues may tick a task done, nothing more
        raise Forbidden('error.note_not_yours')
    if changes:
        for name, value in values.items():
            setattr(note, name, value)
        note.version += 1
        session.add(note)
        search.index(session, SearchEntity.NOTE, note, _context(session.get(Case, note.case_id)))
        audit.record(session, actor, tenant_id=actor.tenant_id, action=AuditAction.UPDATE, entity='note',
                     entity_id=note.id, changes={k: v for k, v in changes.items() if k != 'body'}
                     | ({'body': ['…', '…']} if 'body' in changes else {}))
        session.flush()
    return _reads(session, [note])[0]


def set_task_done(session: Session, actor: Actor, note_id: int, done: bool) -> NoteRead:
    require_write(actor)
    note = _note_in_tenant(session, actor, note_id)
    if note.kind != NoteKind.TASK:
        raise Invalid('error.not_a_task')
    return update_note(session, actor, note_id, NoteInput(kind=note.kind, body=note.body, due_date=note.due_date,
                                                          done=done))


def open_tasks(session: Session, actor: Actor, *, limit: int = 10) -> list[TaskRead]:
    """The signed-in user's open tasks on open cases, soonest due first."""
    query = (select(Note, Case.reference, Case.title).join(Case, Case.id == Note.case_id)
             .where(Note.tenant_id == actor.tenant_id, Note.kind == NoteKind.TASK, col(Note.done).is_(False),
                    Note.author_id == actor.user_id,
                    col(Case.status).in_([s for s in CaseStatus if s.is_open]))
             .order_by(col(Note.due_date).asc().nulls_last(), col(Note.id)).limit(limit))  # the index's order
    return [TaskRead(id=note.id, case_id=note.case_id, case_reference=reference, case_title=title,
                     body=note.body, due_date=note.due_date) for note, reference, title in session.exec(query).all()]
