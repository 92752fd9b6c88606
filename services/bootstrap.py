"""First start: when the database has no user yet, create the first tenant and admin (and demo data)."""

from dataclasses import dataclass

from sqlmodel import Session, select

from db.models import User
from services.demo import fill_tenant
from services.passwords import check_password
from services.tenants import create_tenant
from settings import Settings

DEMO_PASSWORD = 'demo-crm-2026'
ADMIN_NAME = 'Administrateur'


@dataclass(frozen=True)
class FirstStart:
    tenant_id: int
    tenant_name: str
    admin_email: str
    admin_password: str
    demo_clients: int


def has_users(session: Session) -> bool:
    return session.exec(select(User.id).limit(1)).first() is not None


def first_start(session: Session, settings: Settings) -> FirstStart | None:
    """Create the first tenant when there is no user; None when there is nothing to do."""
    if has_users(session):
        return None
    password = settings.admin_password
    if password is None:
        if not settings.demo_data or settings.environment == 'production':
            return None
        password = DEMO_PASSWORD
    check_password(password, field='CRM_ADMIN_PASSWORD', email=settings.admin_email, full_name=ADMIN_NAME)
    tenant, admin = create_tenant(session, name=settings.tenant_name, admin_email=settings.admin_email,
                                  admin_password=password, admin_name=ADMIN_NAME)
    clients = 0
    if settings.demo_data:
        clients = fill_tenant(session, tenant, clients=settings.demo_clients).clients
    return FirstStart(tenant_id=tenant.id, tenant_name=tenant.name, admin_email=admin.email,
                      admin_password=password, demo_clients=clients)
