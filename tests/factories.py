"""Test data built through the services, as a user would build it."""

from itertools import count

from sqlalchemy import func
from sqlmodel import select

from db.models import Role
from db.session import session_scope
from services.actor import Actor
from services.auth import trusted_actor
from services.cases import CaseInput, CaseRead, create_case
from services.clients import ClientInput, ClientRead, create_client
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
        actor = trusted_actor(session, user_id=user_id, tenant_id=tenant_id)
    assert actor is not None
    return actor


def make_client(actor: Actor, name: str | None = None, **fields) -> ClientRead:
    """A client created through the service; `fields` are any of ClientInput's."""
    with session_scope() as session:
        return create_client(session, actor, ClientInput(name=name or f'Client {next(_sequence)}', **fields))


def make_case(actor: Actor, client_id: int | None = None, title: str | None = None, **fields) -> CaseRead:
    """A case created through the service, on a fresh client unless `client_id` is given; `fields` are any of
    CaseInput's."""
    if client_id is None:
        client_id = make_client(actor).id
    with session_scope() as session:
        return create_case(session, actor, CaseInput(client_id=client_id, title=title or f'Dossier {next(_sequence)}',
                                                     **fields))


def count_rows(model, **where) -> int:
    """How many rows of `model` have the given column values (all rows without any)."""
    with session_scope() as session:
        query = select(func.count()).select_from(model)
        for name, value in where.items():
            query = query.where(getattr(model, name) == value)
        return session.exec(query).one()
