"""Every table, imported here so that Alembic and the app see the whole metadata."""

from sqlmodel import SQLModel

from db.models.accounts import Tenant, User
from db.models.audit import AuditLog
from db.models.base import utcnow
from db.models.clients import Client
from db.models.enums import AuditAction, ClientKind, ClientStatus, Role

metadata = SQLModel.metadata

__all__ = [
    'AuditAction', 'AuditLog', 'Client', 'ClientKind', 'ClientStatus', 'Role', 'Tenant', 'User', 'metadata',
    'utcnow',
]
