"""Who is acting: the current user, its tenant and its role, and the permission checks on them."""

from dataclasses import dataclass

from db.models import Role
from services.errors import Forbidden


@dataclass(frozen=True, slots=True)
class Actor:
    user_id: int
    tenant_id: int
    email: str
    role: Role
    full_name: str = ''
    tenant_name: str = ''
    language: str | None = None

    @property
    def can_write(self) -> bool:
        return self.role != Role.VIEWER

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def display_name(self) -> str:
        return self.full_name or self.email


def require_write(actor: Actor) -> None:
    if not actor.can_write:
        raise Forbidden('error.read_only')


def require_admin(actor: Actor) -> None:
    if not actor.is_admin:
        raise Forbidden('error.admin_only')


def require_manager(actor: Actor) -> None:
    """Managers and admins: running the data audit, merging clients."""
    if actor.role not in (Role.ADMIN, Role.MANAGER):
        raise Forbidden('error.manager_only')
