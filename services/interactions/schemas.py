"""What goes in and out of the interaction services: an interaction and its participants, as given and as read,
and the filters of a list."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from db.models import AttendanceStatus, InteractionSource, InteractionType, utcnow
from services.interactions.kinds import TYPE_ALIASES
from services.validation import DbId


class ParticipantInput(BaseModel):
    contact_id: DbId | None = None
    name: str | None = Field(default=None, max_length=160)
    email: str | None = Field(default=None, max_length=254)
    role: str | None = Field(default=None, max_length=80)
    is_organizer: bool = False
    attendance_status: AttendanceStatus = AttendanceStatus.CONFIRMED


class InteractionInput(BaseModel):
    client_id: DbId
    type: InteractionType
    title: str = Field(default='', max_length=200)
    description: str = Field(default='', max_length=50_000)
    occurred_at: datetime | None = None  # None: now
    duration_minutes: int | None = None
    contact_id: DbId | None = None
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
