"""Interactions (seed 003's activities): calls, meetings, e-mails… with their participants, a client's timeline
and the recent-activities widget."""

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlalchemy import func, literal, union, union_all
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from db.models import (
    AttendanceStatus,
    AuditAction,
    Client,
    Contact,
    Interaction,
    InteractionParticipant,
    InteractionSource,
    InteractionType,
    StageChange,
    utcnow,
)
from services import audit
from services.actor import Actor, require_write
from services.clients import client_in_tenant
from services.contact_details import optional_email
from services.errors import Conflict, Invalid, NotFound
from services.paging import Page, PageRequest
from services.stages import stage_names
from services.users import display_names
from services.validation import clean_text

MAX_PARTICIPANTS = 50
MAX_METADATA_BYTES = 10_000
MAX_DURATION_MINUTES = 24 * 60
RECENT_LIMIT = 5
COUNT_CAP = 10_000
MEETING_TYPES = (InteractionType.MEETING, InteractionType.LUNCH)

# The seed's French names (and their accented spellings) are accepted wherever a type is given.
TYPE_ALIASES = {'appel': InteractionType.CALL, 'reunion': InteractionType.MEETING,
                'réunion': InteractionType.MEETING, 'dejeuner': InteractionType.LUNCH,
                'déjeuner': InteractionType.LUNCH, 'webinaire': InteractionType.WEBINAR,
                'courriel': InteractionType.EMAIL, 'mail': InteractionType.EMAIL}


def parse_type(value: str | InteractionType) -> InteractionType:
    text = str(value).strip().lower()
    try:
        return TYPE_ALIASES.get(text) or InteractionType(text)
    except ValueError as error:
        raise Invalid('error.interaction_type_unknown', field='type', value=str(value)[:40]) from error


def parse_types(values: str | list[str] | None) -> list[InteractionType]:
    """`email,appel` or ['email', 'appel'] → [email, call]; empty → []."""
    if not values:
        return []
    items = values.split(',') if isinstance(values, str) else [v for value in values for v in value.split(',')]
    return list(dict.fromkeys(parse_type(item) for item in items if item.strip()))


class ParticipantInput(BaseModel):
    contact_id: int | None = None
    name: str | None = Field(default=None, max_length=160)
    email: str | None = Field(default=None, max_length=254)
    role: str | None = Field(default=None, max_length=80)
    is_organizer: bool = False
    attendance_status: AttendanceStatus = AttendanceStatus.CONFIRMED


class InteractionInput(BaseModel):
    client_id: int
    type: InteractionType
    title: str = Field(default='', max_length=200)
    description: str = Field(default='', max_length=50_000)
    occurred_at: datetime | None = None  # None: now
    duration_minutes: int | None = None
    contact_id: int | None = None
    is_pitch: bool = False
    source: InteractionSource = InteractionSource.MANUAL
    metadata: dict[str, Any] = Field(default_factory=dict)
    participants: list[ParticipantInput] = Field(default_factory=list)
    idempotency_key: str | None = Field(default=None, max_length=120)

    @field_validator('type', mode='before')
    @classmethod
    def _alias(cls, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        text = value.strip().lower()  # as parse_type: ' Note ' and 'CALL' are accepted like 'appel'
        return TYPE_ALIASES.get(text, text)


class ParticipantRead(BaseModel):
    id: int
    contact_id: int | None
    contact_name: str | None
    external_name: str | None
    external_email: str | None
    external_role: str | None
    is_organizer: bool
    attendance_status: AttendanceStatus

    @property
    def display_name(self) -> str:
        return self.contact_name or self.external_name or self.external_email or ''


class InteractionRead(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: int
    client_id: int
    client_name: str
    contact_id: int | None
    contact_name: str | None
    type: InteractionType
    title: str
    description: str
    occurred_at: datetime
    duration_minutes: int | None
    is_pitch: bool
    source: InteractionSource
    metadata: dict[str, Any]
    created_by: int | None
    created_by_name: str | None
    participants: list[ParticipantRead]
    created_at: datetime
    updated_at: datetime
    version: int

    @property
    def is_planned(self) -> bool:
        return self.occurred_at > utcnow()


@dataclass(frozen=True)
class InteractionFilter:
    client_id: int | None = None
    contact_id: int | None = None
    types: tuple[InteractionType, ...] = ()
    created_by: int | None = None
    since: datetime | None = None
    until: datetime | None = None


@dataclass(frozen=True)
class TimelineEntry:
    """One line of a client's timeline: an interaction, or a move between pipeline stages."""

    kind: str  # 'interaction' or 'stage'
    at: datetime
    interaction: InteractionRead | None = None
    from_stage: str | None = None
    to_stage: str | None = None
    changed_by: str | None = None


# --- reading -------------------------------------------------------------------------------------------------------

def _contact_names(session: Session, contact_ids: set[int | None]) -> dict[int, str]:
    wanted = {i for i in contact_ids if i}
    if not wanted:
        return {}
    rows = session.exec(select(Contact.id, Contact.first_name, Contact.last_name)
                        .where(col(Contact.id).in_(wanted))).all()
    return {contact_id: f'{first} {last}'.strip() for contact_id, first, last in rows}


def _reads(session: Session, rows: list[Interaction]) -> list[InteractionRead]:
    if not rows:
        return []
    ids = [row.id for row in rows]
    participants = session.exec(select(InteractionParticipant).where(col(InteractionParticipant.interaction_id)
                                                                     .in_(ids)).order_by(InteractionParticipant.id)).all()
    contacts = _contact_names(session, {r.contact_id for r in rows} | {p.contact_id for p in participants})
    clients = dict(session.exec(select(Client.id, Client.name)
                                .where(col(Client.id).in_({r.client_id for r in rows}))).all())
    users = display_names(session, {r.created_by for r in rows})
    by_interaction: dict[int, list[ParticipantRead]] = {i: [] for i in ids}
    for p in participants:
        by_interaction[p.interaction_id].append(ParticipantRead(
            id=p.id, contact_id=p.contact_id, contact_name=contacts.get(p.contact_id), external_name=p.external_name,
            external_email=p.external_email, external_role=p.external_role, is_organizer=p.is_organizer,
            attendance_status=p.attendance_status))
    return [InteractionRead(
        id=r.id, client_id=r.client_id, client_name=clients.get(r.client_id, ''), contact_id=r.contact_id,
        contact_name=contacts.get(r.contact_id), type=r.type, title=r.title, description=r.description,
        occurred_at=r.occurred_at, duration_minutes=r.duration_minutes, is_pitch=r.is_pitch, source=r.source,
        metadata=r.extra or {}, created_by=r.created_by, created_by_name=users.get(r.created_by),
        participants=by_interaction[r.id], created_at=r.created_at, updated_at=r.updated_at, version=r.version)
        for r in rows]


def interaction_in_tenant(session: Session, actor: Actor, interaction_id: int) -> Interaction:
    row = session.get(Interaction, interaction_id)
    if row is None or row.tenant_id != actor.tenant_id:
        raise NotFound('error.interaction_not_found')
    return row


def get_interaction(session: Session, actor: Actor, interaction_id: int) -> InteractionRead:
    return _reads(session, [interaction_in_tenant(session, actor, interaction_id)])[0]


def _contact_in_tenant(session: Session, actor: Actor, contact_id: int) -> Contact:
    contact = session.get(Contact, contact_id)
    if contact is None or contact.tenant_id != actor.tenant_id:
        raise NotFound('error.contact_not_found')
    return contact


def _given_contact(session: Session, actor: Actor, contact_id: int, *, field: str) -> Contact:
    try:
        return _contact_in_tenant(session, actor, contact_id)
    except NotFound as error:
        raise Invalid('error.contact_unknown', field=field) from error


def _filtered(session: Session, actor: Actor, filters: InteractionFilter):
    query = select(Interaction).where(Interaction.tenant_id == actor.tenant_id)
    if filters.client_id is not None:
        query = query.where(Interaction.client_id == client_in_tenant(session, actor, filters.client_id).id)
    if filters.contact_id is not None:
        contact = _contact_in_tenant(session, actor, filters.contact_id)
        # One IN over a UNION, not `contact_id = … OR id IN (…)`: PostgreSQL cannot combine an OR with a sub-select
        # in one index scan, and would walk the tenant's whole (tenant_id, occurred_at) index backwards to find
        # a contact's few interactions (seconds at a million interactions).
        involved = union(select(Interaction.id).where(Interaction.contact_id == contact.id),
                         select(InteractionParticipant.interaction_id)
                         .where(InteractionParticipant.contact_id == contact.id))
        query = query.where(col(Interaction.id).in_(involved))
    if filters.types:
        query = query.where(col(Interaction.type).in_(filters.types))
    if filters.created_by is not None:
        query = query.where(Interaction.created_by == filters.created_by)
    if filters.since is not None:
        query = query.where(Interaction.occurred_at >= filters.since)
    if filters.until is not None:
        query = query.where(Interaction.occurred_at < filters.until)
    return query


def list_interactions(session: Session, actor: Actor, filters: InteractionFilter,
                      page: PageRequest) -> Page[InteractionRead]:
    """Newest first. The total is counted up to 10,000 at most: past that, the pages say "10,000+"."""
    query = _filtered(session, actor, filters)
    total = session.exec(select(func.count()).select_from(query.limit(COUNT_CAP).subquery())).one()
    rows = session.exec(query.order_by(col(Interaction.occurred_at).desc(), col(Interaction.id).desc())
                        .offset(page.offset).limit(page.limit)).all()
    return Page(items=_reads(session, list(rows)), total=total, limit=page.limit, offset=page.offset)


def recent(session: Session, actor: Actor, *, client_id: int | None = None, contact_id: int | None = None,
           types: list[InteractionType] | None = None, limit: int = RECENT_LIMIT) -> list[InteractionRead]:
    """The latest interactions that already happened (planned ones are not "recent"), of a client, a contact or
    the whole tenant."""
    if not 1 <= limit <= 50:
        raise Invalid('error.page_limit', field='limit', max=50)
    query = _filtered(session, actor, InteractionFilter(client_id=client_id, contact_id=contact_id,
                                                        types=tuple(types or ())))
    rows = session.exec(query.where(Interaction.occurred_at <= utcnow())
                        .order_by(col(Interaction.occurred_at).desc(), col(Interaction.id).desc()).limit(limit)).all()
    return _reads(session, list(rows))


def upcoming(session: Session, actor: Actor, *, client_id: int | None = None, limit: int = 5) -> list[InteractionRead]:
    query = _filtered(session, actor, InteractionFilter(client_id=client_id))
    rows = session.exec(query.where(Interaction.occurred_at > utcnow())
                        .order_by(col(Interaction.occurred_at), col(Interaction.id)).limit(limit)).all()
    return _reads(session, list(rows))


def activity_stamp(session: Session, actor: Actor, client_id: int | None = None) -> tuple:
    """Changes when an interaction of the tenant (or of one client) is logged, edited or removed."""
    query = select(func.count(), func.max(Interaction.updated_at)).where(Interaction.tenant_id == actor.tenant_id)
    if client_id is not None:
        query = query.where(Interaction.client_id == client_id)
    return tuple(session.exec(query).one())


def timeline(session: Session, actor: Actor, client_id: int, page: PageRequest) -> Page[TimelineEntry]:
    """A client's interactions and pipeline moves, newest first, in one paged list."""
    client = client_in_tenant(session, actor, client_id)
    events = union_all(
        select(literal('interaction').label('kind'), col(Interaction.id).label('id'),
               col(Interaction.occurred_at).label('at')).where(Interaction.client_id == client.id),
        select(literal('stage').label('kind'), col(StageChange.id).label('id'),
               col(StageChange.changed_at).label('at')).where(StageChange.client_id == client.id)).subquery()
    total = session.exec(select(func.count()).select_from(events)).one()
    rows = session.exec(select(events.c.kind, events.c.id).order_by(events.c.at.desc(), events.c.id.desc())
                        .offset(page.offset).limit(page.limit)).all()
    interaction_ids = [i for kind, i in rows if kind == 'interaction']
    stage_ids = [i for kind, i in rows if kind == 'stage']
    interactions = {r.id: r for r in _reads(session, list(session.exec(
        select(Interaction).where(col(Interaction.id).in_(interaction_ids))).all()))} if interaction_ids else {}
    changes = {c.id: c for c in session.exec(select(StageChange).where(col(StageChange.id).in_(stage_ids))).all()} \
        if stage_ids else {}
    stages = stage_names(session, {i for c in changes.values() for i in (c.from_stage_id, c.to_stage_id) if i})
    users = display_names(session, {c.changed_by for c in changes.values()})
    entries = []
    for kind, entry_id in rows:
        if kind == 'interaction':
            entries.append(TimelineEntry('interaction', interactions[entry_id].occurred_at,
                                         interaction=interactions[entry_id]))
        else:
            change = changes[entry_id]
            entries.append(TimelineEntry('stage', change.changed_at, from_stage=stages.get(change.from_stage_id),
                                         to_stage=stages.get(change.to_stage_id),
                                         changed_by=users.get(change.changed_by)))
    return Page(items=entries, total=total, limit=page.limit, offset=page.offset)


# --- writing -------------------------------------------------------------------------------------------------------

def _clean_metadata(metadata: dict[str, Any]) -> dict[str, Any]:
    try:
        size = len(json.dumps(metadata, default=str))
    except (TypeError, ValueError) as error:
        raise Invalid('error.metadata_invalid', field='metadata') from error
    if size > MAX_METADATA_BYTES:
        raise Invalid('error.metadata_too_large', field='metadata', max=MAX_METADATA_BYTES)
    return json.loads(json.dumps(metadata, default=str))


def _validated(session: Session, actor: Actor, data: InteractionInput) -> dict:
    client = client_in_tenant(session, actor, data.client_id)
    if data.contact_id is not None:
        contact = _given_contact(session, actor, data.contact_id, field='contact_id')
        if contact.client_id != client.id:
            raise Invalid('error.contact_other_client', field='contact_id')
    duration = data.duration_minutes
    if duration is not None and not 0 <= duration <= MAX_DURATION_MINUTES:
        raise Invalid('error.duration_invalid', field='duration_minutes', max=MAX_DURATION_MINUTES)
    occurred_at = data.occurred_at or utcnow()
    if occurred_at.tzinfo is None:
        raise Invalid('error.datetime_without_zone', field='occurred_at')
    if abs(occurred_at - utcnow()) > timedelta(days=366 * 50):
        raise Invalid('error.date_out_of_range', field='occurred_at')
    if len(data.participants) > MAX_PARTICIPANTS:
        raise Invalid('error.too_many_participants', field='participants', max=MAX_PARTICIPANTS)
    return {'client_id': client.id, 'contact_id': data.contact_id, 'type': parse_type(data.type),
            'title': clean_text(data.title, field='title', max_length=200, required=True),
            'description': (data.description or '').strip(), 'occurred_at': occurred_at,
            'duration_minutes': duration, 'is_pitch': data.is_pitch, 'source': data.source,
            'extra': _clean_metadata(data.metadata)}


def _participants(session: Session, actor: Actor, client_id: int,
                  people: list[ParticipantInput]) -> list[InteractionParticipant]:
    """Validated participants, each person once. An outside e-mail that a contact of the tenant has is linked to
    that contact (one of this client's contacts first)."""
    rows: list[InteractionParticipant] = []
    seen: set[str] = set()
    for index, person in enumerate(people):
        field = f'participants.{index}'
        email = optional_email(person.email, field=f'{field}.email')
        contact = _given_contact(session, actor, person.contact_id, field=f'{field}.contact_id') \
            if person.contact_id is not None else _contact_by_email(session, actor, client_id, email)
        name = clean_text(person.name, field=f'{field}.name', max_length=160) or None
        if contact is None and not (name or email):
            raise Invalid('error.participant_empty', field=field)
        identity = f'contact:{contact.id}' if contact else f'email:{email}' if email else f'name:{name.lower()}'
        if identity in seen:
            continue
        seen.add(identity)
        rows.append(InteractionParticipant(
            tenant_id=actor.tenant_id, contact_id=contact.id if contact else None,
            external_name=None if contact else name, external_email=None if contact else email,
            external_role=clean_text(person.role, field=f'{field}.role', max_length=80) or None,
            is_organizer=person.is_organizer, attendance_status=AttendanceStatus(person.attendance_status)))
    return rows


def _contact_by_email(session: Session, actor: Actor, client_id: int, email: str | None) -> Contact | None:
    if not email:
        return None
    matches = session.exec(select(Contact).where(Contact.tenant_id == actor.tenant_id, Contact.email == email)
                           .limit(20)).all()
    return next((c for c in matches if c.client_id == client_id), matches[0] if matches else None)


def _existing(session: Session, actor: Actor, key: str | None) -> Interaction | None:
    if not key:
        return None
    return session.exec(select(Interaction).where(Interaction.tenant_id == actor.tenant_id,
                                                  Interaction.idempotency_key == key)).first()


def create_interaction(session: Session, actor: Actor, data: InteractionInput) -> InteractionRead:
    """Log an interaction. With an `idempotency_key` already used, the interaction logged then is returned and
    nothing is written."""
    require_write(actor)
    earlier = _existing(session, actor, data.idempotency_key)
    if earlier is not None:
        return _reads(session, [earlier])[0]
    values = _validated(session, actor, data)
    participants = _participants(session, actor, values['client_id'], data.participants)
    row = Interaction(tenant_id=actor.tenant_id, created_by=actor.user_id or None,
                      idempotency_key=data.idempotency_key, **values)
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:  # the same event, logged by another request meanwhile
        earlier = _existing(session, actor, data.idempotency_key)
        if earlier is None:
            raise
        return _reads(session, [earlier])[0]
    for participant in participants:
        participant.interaction_id = row.id
        session.add(participant)
    audit.record(session, actor, tenant_id=actor.tenant_id, action=AuditAction.CREATE, entity='interaction',
                 entity_id=row.id, changes=audit.diff({}, {k: v for k, v in values.items() if k != 'extra'}))
    session.flush()
    return get_interaction(session, actor, row.id)


def update_interaction(session: Session, actor: Actor, interaction_id: int, data: InteractionInput,
                       expected_version: int | None = None) -> InteractionRead:
    """Replace what a user may edit (participants included); the source and idempotency key stay."""
    require_write(actor)
    row = interaction_in_tenant(session, actor, interaction_id)
    if expected_version is not None and expected_version != row.version:
        raise Conflict('error.stale_version')
    values = _validated(session, actor, data.model_copy(
        update={'source': row.source, 'occurred_at': data.occurred_at or row.occurred_at}))
    participants = _participants(session, actor, values['client_id'], data.participants)
    before = {name: getattr(row, name) for name in values}
    for name, value in values.items():
        setattr(row, name, value)
    row.version += 1
    session.add(row)
    for old in session.exec(select(InteractionParticipant)
                            .where(InteractionParticipant.interaction_id == row.id)).all():
        session.delete(old)
    session.flush()
    for participant in participants:
        participant.interaction_id = row.id
        session.add(participant)
    audit.record(session, actor, tenant_id=actor.tenant_id, action=AuditAction.UPDATE, entity='interaction',
                 entity_id=row.id, changes=audit.diff(before, values))
    session.flush()
    return get_interaction(session, actor, row.id)


def delete_interaction(session: Session, actor: Actor, interaction_id: int) -> None:
    require_write(actor)
    row = interaction_in_tenant(session, actor, interaction_id)
    audit.record(session, actor, tenant_id=actor.tenant_id, action=AuditAction.DELETE, entity='interaction',
                 entity_id=row.id, changes={'title': row.title, 'type': row.type,
                                            'occurred_at': row.occurred_at.isoformat()})
    session.delete(row)
    session.flush()
