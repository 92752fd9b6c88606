"""Figures for the dashboard's first version: what the tenant holds today."""

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, col, select

from db.models import Client, ClientStatus, User
from services.actor import Actor


@dataclass(frozen=True)
class TenantOverview:
    clients: int
    active_clients: int
    users: int


def tenant_overview(session: Session, actor: Actor) -> TenantOverview:
    by_status = dict(session.exec(
        select(Client.status, func.count()).where(Client.tenant_id == actor.tenant_id).group_by(Client.status)
    ).all())
    users = session.exec(select(func.count()).select_from(User).where(
        User.tenant_id == actor.tenant_id, col(User.is_active).is_(True))).one()
    return TenantOverview(clients=sum(by_status.values()), active_clients=by_status.get(ClientStatus.ACTIVE, 0),
                          users=users)
