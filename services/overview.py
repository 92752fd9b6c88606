"""The figures the home dashboard shows, and the definitions every screen counts clients and users by.

One word, one number: «Clients» is the clients the client list shows by default (archived ones left out) on the
dashboard, the list, the analyses, the pipeline and the data audit alike; «actifs» is the client's status «Actif»
(a client that bought recently is a «client acheteur», counted by `services.analytics.dashboard`).
"""

from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, func
from sqlmodel import Session, col, select

from db.models import Client, ClientStatus, User
from services.actor import Actor


@dataclass(frozen=True)
class TenantOverview:
    clients: int  # not archived: the client list's own count
    active_clients: int  # of those, the ones whose status is «Actif»
    archived_clients: int  # left out of `clients`
    users: int  # accounts that may sign in


def counted_clients(tenant_id: int) -> ColumnElement[bool]:
    """The clients every figure counts and the client list shows by default: the tenant's, archived ones (merged
    ones too) left out."""
    return and_(Client.tenant_id == tenant_id, Client.status != ClientStatus.ARCHIVED)


def clients_by_status(session: Session, tenant_id: int) -> dict[ClientStatus, int]:
    """Every status of the tenant's clients, archived included, with its number of clients (0 when none)."""
    counts = dict(session.exec(select(Client.status, func.count()).where(Client.tenant_id == tenant_id)
                               .group_by(Client.status)).all())
    return {status: int(counts.get(status, 0)) for status in ClientStatus}


def tenant_overview(session: Session, actor: Actor) -> TenantOverview:
    by_status = clients_by_status(session, actor.tenant_id)
    users = session.exec(select(func.count()).select_from(User).where(
        User.tenant_id == actor.tenant_id, col(User.is_active).is_(True))).one()
    archived = by_status[ClientStatus.ARCHIVED]
    return TenantOverview(clients=sum(by_status.values()) - archived, active_clients=by_status[ClientStatus.ACTIVE],
                          archived_clients=archived, users=users)
