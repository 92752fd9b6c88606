"""What the API sends and accepts, separate from the tables."""

from copy import copy
from datetime import UTC, date, datetime
from typing import Annotated, Any, Generic, Literal, Self, TypeVar

from fastapi import Path, Query
from pydantic import AliasChoices, BaseModel, Field, create_model, field_validator

from db.models import AttendanceStatus, InteractionSource, InteractionType, NoteKind, Role
from services.cases import CaseInput
from services.clients import ClientInput
from services.contacts import ContactInput
from services.errors import Invalid
from services.interactions import (
    InteractionInput,
    InteractionRead,
    ParticipantInput,
    ParticipantRead,
    TimelineEntry,
    parse_type,
)
from services.kpis import KpiInput
from services.notes import MAX_NOTE_LENGTH, NoteInput
from services.pipeline import PipelineStats
from services.validation import MAX_ID, DbId

T = TypeVar('T')
DateT = TypeVar('DateT', date, datetime)


class PageOut(BaseModel, Generic[T]):
    items: list[T]
    total: int
    limit: int
    offset: int


class Token(BaseModel):
    access_token: str
    token_type: str = 'bearer'
    expires_in: int


class MeOut(BaseModel):
    id: int
    email: str
    full_name: str
    role: Role
    tenant_id: int
    tenant_name: str


class UserCreateIn(BaseModel):
    email: str = Field(max_length=254)
    password: str = Field(max_length=200)
    role: Role = Role.AGENT
    full_name: str = Field(default='', max_length=120)


class UserUpdateIn(BaseModel):
    role: Role | None = None
    is_active: bool | None = None
    full_name: str | None = Field(default=None, max_length=120)
    version: int | None = Field(default=None, description='The version you read; a stale one is refused (409).')


def partial(model: type[BaseModel], name: str) -> type[BaseModel]:
    """A PATCH body made from `model`: every field may be left out (only the fields sent change), each keeps its
    type and limits (an explicit null is refused where `model` refuses it), plus the `version` that was read."""
    fields: dict = {}
    for field_name, info in model.model_fields.items():
        info = copy(info)
        info.default, info.default_factory = None, None
        fields[field_name] = (info.annotation, info)
    version = Field(default=None, description='The version you read; a stale one is refused (409).')
    return create_model(name, __doc__=f'Partial update: any field of {model.__name__}.', **fields,
                        version=(int | None, version))


class NoteIn(BaseModel):
    """A note: `body` (or `content`) and `kind` (or `note_type`), the seed's spellings being unknown."""

    kind: NoteKind = Field(default=NoteKind.GENERAL, validation_alias=AliasChoices('kind', 'note_type'))
    body: str = Field(default='', max_length=MAX_NOTE_LENGTH, validation_alias=AliasChoices('body', 'content'))
    due_date: date | None = None
    done: bool = False

    def to_input(self) -> NoteInput:
        return NoteInput(**self.model_dump())


ClientPatchIn = partial(ClientInput, 'ClientPatchIn')
ContactPatchIn = partial(ContactInput, 'ContactPatchIn')
CasePatchIn = partial(CaseInput, 'CasePatchIn')
NotePatchIn = partial(NoteIn, 'NotePatchIn')


def without(model: type[BaseModel], name: str, *excluded: str) -> type[BaseModel]:
    """A body made from `model` less some fields (given by the path instead), each keeping its type and limits."""
    fields = {field_name: (info.annotation, copy(info)) for field_name, info in model.model_fields.items()
              if field_name not in excluded}
    return create_model(name, __doc__=f'{model.__name__} without {", ".join(excluded)}.', **fields)


# Every id the API takes, in the path, the query or the body, is bounded like the columns (see services.validation):
# out of range, the answer is a 422 naming the parameter or field, never a 500 nor a 404.
IdPath = Annotated[int, Path(ge=1, le=MAX_ID)]
IdQuery = Annotated[int | None, Query(ge=1, le=MAX_ID)]
# Dates given to filter by: years 1 or 9999 would overflow once converted to UTC or given a day more.
FIRST_YEAR, LAST_YEAR = 1900, 2200


def in_range(value: DateT, field: str) -> DateT:
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise Invalid('error.date_out_of_range', field=field)
    return value


# --- pipeline ------------------------------------------------------------------------------------------------------

class StageIn(BaseModel):
    name: str
    is_lost: bool = Field(default=False, description='Where lost prospects go: never a step forward.')


class StageRenameIn(BaseModel):
    name: str


class StageOrderIn(BaseModel):
    ids: list[DbId] = Field(max_length=100, description='Every stage id of the tenant once, in the new order.')


class StageMoveIn(BaseModel):
    stage_id: DbId
    version: int | None = Field(default=None, description="The client's version you read; a stale one is 409.")


class StageCountOut(BaseModel):
    stage: str
    clients: int


class TypeCountOut(BaseModel):
    client_type: str
    clients: int


class ConversionOut(BaseModel):
    from_stage: str
    to_stage: str
    entered: int
    advanced: int
    rate: float = Field(description='advanced / entered, from 0 to 1 (0 when nobody entered).')


class PipelineStatsOut(BaseModel):
    start: date
    end: date
    by_stage: list[StageCountOut]
    by_type: list[TypeCountOut]
    active: int
    inactive: int
    conversions: list[ConversionOut]

    @classmethod
    def of(cls, stats: PipelineStats) -> Self:
        return cls(start=stats.start, end=stats.end, active=stats.active, inactive=stats.inactive,
                   by_stage=[StageCountOut(stage=name, clients=count) for name, count in stats.by_stage],
                   by_type=[TypeCountOut(client_type=name, clients=count) for name, count in stats.by_type],
                   conversions=[ConversionOut(from_stage=c.from_stage, to_stage=c.to_stage, entered=c.entered,
                                              advanced=c.advanced, rate=round(c.rate, 4)) for c in stats.conversions])


# --- interactions --------------------------------------------------------------------------------------------------

def source_of(metadata: dict[str, Any]) -> InteractionSource:
    """`metadata.source` when it names a source (seed 003 sends "manual"), else manual."""
    value = metadata.get('source')
    known = {source.value for source in InteractionSource}
    return InteractionSource(value) if isinstance(value, str) and value in known else InteractionSource.MANUAL


class ParticipantIn(BaseModel):
    """A participant, or one of seed 003's recipients: a contact of the CRM (`contact_id` or `person_id`), or an
    outside person (`name`/`external_name`, `email`/`external_email`, `role`/`external_role`)."""

    contact_id: DbId | None = Field(default=None, validation_alias=AliasChoices('contact_id', 'person_id'))
    name: str | None = Field(default=None, max_length=160, validation_alias=AliasChoices('name', 'external_name'))
    email: str | None = Field(default=None, max_length=254,
                              validation_alias=AliasChoices('email', 'external_email'))
    role: str | None = Field(default=None, max_length=80, validation_alias=AliasChoices('role', 'external_role'))
    is_organizer: bool = False
    attendance_status: AttendanceStatus = AttendanceStatus.CONFIRMED

    def to_input(self) -> ParticipantInput:
        return ParticipantInput(**self.model_dump())


class InteractionIn(BaseModel):
    """Seed 003's body. `organisation_id` (or `client_id`) is required unless the path names the client; `type`
    takes the French names too (appel, reunion, dejeuner…); `recipients` and `participants` add up (50 at most);
    `metadata.source` sets the source when it names one; `idempotency_key` (or the `Idempotency-Key` header)
    makes a retry harmless."""

    client_id: DbId | None = Field(default=None, validation_alias=AliasChoices('organisation_id', 'client_id'))
    type: str = Field(max_length=40)
    title: str = Field(default='', max_length=200)
    description: str | None = Field(default=None, max_length=50_000)
    occurred_at: datetime | None = Field(default=None, description='With its time zone; left out: now.')
    duration_minutes: int | None = None
    contact_id: DbId | None = Field(default=None, validation_alias=AliasChoices('contact_id', 'person_id'))
    is_pitch: bool = False
    metadata: dict[str, Any] = Field(default_factory=dict)
    recipients: list[ParticipantIn] = Field(default_factory=list)
    participants: list[ParticipantIn] = Field(default_factory=list)
    idempotency_key: str | None = Field(default=None, min_length=1, max_length=120)

    def to_input(self, *, client_id: int, idempotency_key: str | None = None) -> InteractionInput:
        return InteractionInput(
            client_id=client_id, type=parse_type(self.type), title=self.title, description=self.description or '',
            occurred_at=self.occurred_at, duration_minutes=self.duration_minutes, contact_id=self.contact_id,
            is_pitch=self.is_pitch, source=source_of(self.metadata), metadata=self.metadata,
            participants=[person.to_input() for person in self.recipients + self.participants],
            idempotency_key=self.idempotency_key or idempotency_key)


InteractionPatchIn = partial(InteractionIn, 'InteractionPatchIn')


class ParticipantOut(BaseModel):
    id: int
    external_name: str | None
    external_email: str | None
    external_role: str | None
    is_organizer: bool
    attendance_status: AttendanceStatus
    contact_id: int | None
    person_id: int | None
    contact_name: str | None

    @classmethod
    def of(cls, read: ParticipantRead) -> Self:
        return cls(**read.model_dump(), person_id=read.contact_id)


class InteractionOut(BaseModel):
    """Seed 003's response (`id` to `attachments_count`, same names and types), then the CRM's own fields."""

    id: int
    organisation_id: int
    type: InteractionType
    title: str
    description: str
    occurred_at: datetime
    participants: list[ParticipantOut]
    attachments_count: int = 0
    client_id: int
    client_name: str
    contact_id: int | None
    person_id: int | None
    contact_name: str | None
    duration_minutes: int | None
    is_pitch: bool
    is_planned: bool
    source: InteractionSource
    metadata: dict[str, Any]
    created_by: int | None
    created_by_name: str | None
    created_at: datetime
    updated_at: datetime
    version: int

    @field_validator('occurred_at', 'created_at', 'updated_at')
    @classmethod
    def _in_utc(cls, value: datetime) -> datetime:
        """Always in UTC (`…Z`): a freshly saved row still holds the offset it was sent with."""
        return value.astimezone(UTC) if value.tzinfo else value

    @classmethod
    def of(cls, read: InteractionRead) -> Self:
        return cls(**read.model_dump(exclude={'participants'}), organisation_id=read.client_id,
                   person_id=read.contact_id, is_planned=read.is_planned,
                   participants=[ParticipantOut.of(person) for person in read.participants])


class TimelineEntryOut(BaseModel):
    kind: Literal['interaction', 'stage']
    at: datetime
    interaction: InteractionOut | None = None
    from_stage: str | None = None
    to_stage: str | None = None
    changed_by: str | None = None

    @classmethod
    def of(cls, entry: TimelineEntry) -> Self:
        return cls(kind=entry.kind, at=entry.at, from_stage=entry.from_stage, to_stage=entry.to_stage,
                   changed_by=entry.changed_by,
                   interaction=InteractionOut.of(entry.interaction) if entry.interaction else None)


# --- webhooks ------------------------------------------------------------------------------------------------------

class WebhookInteractionIn(BaseModel):
    """Seed 003's webhook payload (Zapier, Make…)."""

    organisation_id: DbId = Field(validation_alias=AliasChoices('organisation_id', 'client_id'))
    type: str = Field(max_length=40)
    title: str = Field(default='', max_length=200)
    description: str | None = Field(default=None, max_length=50_000)
    recipients: list[ParticipantIn] | None = None
    provider: str | None = Field(default=None, max_length=60)
    occurred_at: datetime | None = Field(default=None, description='With its time zone; left out: now.')
    event_id: str | None = Field(default=None, min_length=1, max_length=100,
                                 description="The sender's id of the event: the same id is logged once.")

    def to_input(self, *, idempotency_key: str) -> InteractionInput:
        return InteractionInput(
            client_id=self.organisation_id, type=parse_type(self.type), title=self.title,
            description=self.description or '', occurred_at=self.occurred_at, source=InteractionSource.WEBHOOK,
            metadata={'source': 'webhook', 'provider': self.provider},
            participants=[person.to_input() for person in self.recipients or []], idempotency_key=idempotency_key)


class WebhookSecretOut(BaseModel):
    tenant_id: int = Field(description='What the sender puts in X-CRM-Tenant.')
    secret: str | None = Field(description='The HMAC-SHA256 key; none until the first rotation.')


# --- KPIs ----------------------------------------------------------------------------------------------------------

KpiMonthIn = without(KpiInput, 'KpiMonthIn', 'year', 'month')
