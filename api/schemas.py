"""What the API sends and accepts, separate from the tables."""

from copy import copy
from datetime import date
from typing import Generic, TypeVar

from pydantic import AliasChoices, BaseModel, Field, create_model

from db.models import NoteKind, Role
from services.cases import CaseInput
from services.clients import ClientInput
from services.contacts import ContactInput
from services.notes import MAX_NOTE_LENGTH, NoteInput

T = TypeVar('T')


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
