"""Every table, imported here so that Alembic and the app see the whole metadata."""

from sqlmodel import SQLModel

from db.models.accounts import SignInFailure, Tenant, User
from db.models.ai import AiJob, AiSettings, CaseAnalysis, CaseRisk, LegalText
from db.models.analytics import (
    AnalyticsRun,
    AnalyticsSettings,
    ClientProfile,
    DataAudit,
    ProductPopularity,
    Recommendation,
    SegmentChange,
    SegmentMoveMonth,
)
from db.models.audit import AuditLog
from db.models.base import utcnow
from db.models.cases import Case, CaseSequence, CaseStatusChange, Document, Note
from db.models.clients import Client, ClientTag, ClientType, Contact
from db.models.enums import (
    AttendanceStatus,
    AuditAction,
    CasePriority,
    CaseStatus,
    CaseType,
    ClientKind,
    ClientStatus,
    InteractionSource,
    InteractionType,
    NoteKind,
    Role,
    SearchEntity,
)
from db.models.interactions import Interaction, InteractionParticipant
from db.models.kpis import ClientKpi
from db.models.pipeline import PipelineStage, StageChange
from db.models.sales import Product, Sale, SaleDay, SaleLine, SaleProductMonth
from db.models.search import SearchEntry

metadata = SQLModel.metadata

__all__ = [
    'AiJob', 'AiSettings', 'AnalyticsRun', 'AnalyticsSettings', 'AttendanceStatus', 'AuditAction', 'AuditLog',
    'Case', 'CaseAnalysis', 'CasePriority', 'CaseRisk', 'CaseSequence', 'CaseStatus', 'CaseStatusChange', 'CaseType',
    'Client', 'ClientKind', 'ClientKpi', 'ClientProfile', 'ClientStatus', 'ClientTag', 'ClientType', 'Contact',
    'DataAudit', 'Document', 'Interaction', 'InteractionParticipant', 'InteractionSource', 'InteractionType',
    'LegalText', 'Note', 'NoteKind', 'PipelineStage', 'Product', 'ProductPopularity', 'Recommendation', 'Role',
    'Sale', 'SaleDay', 'SaleLine', 'SaleProductMonth', 'SearchEntity', 'SearchEntry', 'SegmentChange',
    'SegmentMoveMonth', 'SignInFailure', 'StageChange', 'Tenant', 'User', 'metadata', 'utcnow'
]
