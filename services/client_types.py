"""The tenant's list of client types: admins add, rename (clients follow) and remove unused ones."""

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from db.models import AuditAction, Client, ClientType
from services import audit
from services.actor import Actor, require_admin
from services.errors import Conflict, NotFound
from services.validation import clean_text


def client_type_usage(session: Session, actor: Actor) -> list[tuple[str, int]]:
    """(name, number of clients) for each type, in display order."""
    counts = dict(session.exec(select(Client.client_type, func.count()).where(Client.tenant_id == actor.tenant_id)
                               .group_by(Client.client_type)).all())
    names = session.exec(select(ClientType.name).where(ClientType.tenant_id == actor.tenant_id)
                         .order_by(col(ClientType.position), col(ClientType.name))).all()
    return [(name, counts.get(name, 0)) for name in names]


def _find(session: Session, actor: Actor, name: str) -> ClientType | None:
    return session.exec(select(ClientType).where(ClientType.tenant_id == actor.tenant_id,
                                                 func.lower(ClientType.name) == name.strip().lower())).first()


def add_client_type(session: Session, actor: Actor, name: str) -> str:
    require_admin(actor)
    name = clean_text(name, field='name', max_length=60, required=True)
    if _find(session, actor, name) is not None:
        raise Conflict('error.client_type_exists', field='name', name=name)
    last = session.exec(select(func.max(ClientType.position)).where(ClientType.tenant_id == actor.tenant_id)).one()
    session.add(ClientType(tenant_id=actor.tenant_id, name=name, position=(last or 0) + 1))
    audit.record(session, actor, tenant_id=actor.tenant_id, action=AuditAction.CREATE, entity='client_type',
                 entity_id=None, changes={'name': name})
    return name


def rename_client_type(session: Session, actor: Actor, old: str, new: str) -> str:
    """Rename a type and every client that has it, in one unit of work."""
    require_admin(actor)
    new = clean_text(new, field='name', max_length=60, required=True)
    current = _find(session, actor, old)
    if current is None:
        raise NotFound('error.client_type_unknown')
    other = _find(session, actor, new)
    if other is not None and other.id != current.id:
        raise Conflict('error.client_type_exists', field='name', name=new)
    session.execute(update(Client).where(Client.tenant_id == actor.tenant_id, Client.client_type == current.name)
                    .values(client_type=new, version=Client.version + 1))
    audit.record(session, actor, tenant_id=actor.tenant_id, action=AuditAction.UPDATE, entity='client_type',
                 entity_id=current.id, changes={'name': [current.name, new]})
    current.name = new
    session.add(current)
    return new


def remove_client_type(session: Session, actor: Actor, name: str) -> None:
    require_admin(actor)
    current = _find(session, actor, name)
    if current is None:
        raise NotFound('error.client_type_unknown')
    used = session.exec(select(func.count()).select_from(Client).where(
        Client.tenant_id == actor.tenant_id, Client.client_type == current.name)).one()
    if used:
        raise Conflict('error.client_type_in_use', n=used)
    audit.record(session, actor, tenant_id=actor.tenant_id, action=AuditAction.DELETE, entity='client_type',
                 entity_id=current.id, changes={'name': current.name})
    session.delete(current)
