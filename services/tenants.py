"""Tenants: created by the operator (CLI or first start), each with its first admin."""

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, select

from db.models import AuditAction, Role, Tenant
from services import audit
from services.ai.knowledge_store import seed_legal_texts
from services.clients import seed_client_types
from services.errors import Conflict, NotFound
from services.stages import seed_stages
from services.users import UserRead, insert_user
from services.validation import clean_text
from settings import get_settings


@dataclass(frozen=True)
class TenantRead:
    id: int
    name: str
    currency: str


def create_tenant(session: Session, *, name: str, admin_email: str, admin_password: str,
                  admin_name: str = '', language: str | None = None) -> tuple[TenantRead, UserRead]:
    """A tenant, its admin, and its first client types and pipeline stages in `language` (by default the
    instance's, CRM_LANGUAGE)."""
    language = language or get_settings().language
    name = clean_text(name, field='name', max_length=120, required=True)
    if find_tenant(session, name) is not None:
        raise Conflict('error.tenant_exists', field='name', name=name)
    tenant = Tenant(name=name)
    session.add(tenant)
    session.flush()
    audit.record(session, None, tenant_id=tenant.id, action=AuditAction.CREATE, entity='tenant',
                 entity_id=tenant.id, changes={'name': name})
    admin = insert_user(session, None, tenant_id=tenant.id, email=admin_email, password=admin_password,
                        role=Role.ADMIN, full_name=admin_name)
    seed_client_types(session, tenant.id, language)
    seed_stages(session, tenant.id, language)
    seed_legal_texts(session, tenant.id)
    return TenantRead(id=tenant.id, name=tenant.name, currency=tenant.currency), admin


def find_tenant(session: Session, name: str) -> TenantRead | None:
    tenant = session.exec(select(Tenant).where(func.lower(Tenant.name) == name.strip().lower())).first()
    return TenantRead(id=tenant.id, name=tenant.name, currency=tenant.currency) if tenant else None


def require_tenant(session: Session, name: str) -> TenantRead:
    tenant = find_tenant(session, name)
    if tenant is None:
        raise NotFound('error.tenant_not_found', name=name)
    return tenant
