"""What the API sends and accepts, separate from the tables."""

from typing import Generic, TypeVar

from pydantic import BaseModel, Field

from db.models import Role

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
