"""Every table, imported here so that Alembic and the app see the whole metadata."""

from sqlmodel import SQLModel

from db.models.accounts import Tenant, User
from db.models.audit import AuditLog
from db.models.base import utcnow
from db.models.cases import Case, CaseSequence, CaseStatusChange, Document, Note
from db.models.clients import Client, ClientTag, ClientType, Contact
from db.models.enums import (
    AuditAction,
    CasePriority,
    CaseStatus,
    CaseType,
    ClientKind,
    ClientStatus,
    NoteKind,
    Role,
    SearchEntity,
)
from db.models.search import SearchEntry

metadata = SQLModel.metadata

__all__ = [
    'AuditAction', 'AuditLog', 'Case', 'CasePriority', 'CaseSequence', 'CaseStatus', 'CaseStatusChange',
    'CaseType', 'Client', 'ClientKind', 'ClientStatus', 'ClientTag', 'ClientType', 'Contact', 'Document', 'Note',
    'NoteKind', 'Role', 'SearchEntity', 'SearchEntry', 'Tenant', 'User', 'metadata', 'utcnow',
]
