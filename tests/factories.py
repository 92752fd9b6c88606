"""Test data built through the services, as a user would build it."""

from itertools import count

from db.models import Role
from db.session import session_scope
from services.actor import Actor
from services.auth import actor_for
from services.tenants import create_tenant
from services.users import insert_user

PASSWORD = 'correct-horse-42'
_sequence = count(1)


def make_tenant(name: str | None = None, *, admin_email: str | None = None) -> Actor:
    """A tenant with its admin; returns the admin as an Actor."""
    number = next(_sequence)
    with session_scope() as session:
        tenant, admin = create_tenant(session, name=name or f'Cabinet {number}',
                                      admin_email=admin_email or f'admin{number}@example.dz',
                                      admin_password=PASSWORD, admin_name=f'Admin {number}')
    return load_actor(admin.id, tenant.id)


def make_user(tenant_admin: Actor, *, role: Role = Role.AGENT, email: str | None = None) -> Actor:
    with session_scope() as session:
        user = insert_user(session, tenant_admin, tenant_id=tenant_admin.tenant_id,
                           email=email or f'user{next(_sequence)}@example.dz', password=PASSWORD, role=role,
                           full_name='Amina Benali')
    return load_actor(user.id, tenant_admin.tenant_id)


def load_actor(user_id: int, tenant_id: int) -> Actor:
    with session_scope() as session:
        actor = actor_for(session, user_id=user_id, tenant_id=tenant_id)
    assert actor is not None
    return actor
