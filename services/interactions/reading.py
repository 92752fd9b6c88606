"""Reading interactions: one, a filtered page, the latest and the coming ones, and a stamp that changes with them."""

from sqlalchemy import func, union
from sqlmodel import Session, col, select

from db.models import Client, Contact, Interaction, InteractionParticipant, InteractionType, utcnow
from services.actor import Actor
from services.clients import client_in_tenant
from services.errors import Invalid
from services.interactions.schemas import InteractionFilter, InteractionRead, ParticipantRead
from services.interactions.tenancy import contact_in_tenant, interaction_in_tenant
from services.paging import Page, PageRequest
from services.users import display_names

RECENT_LIMIT = 5
COUNT_CAP = 10_000


def _contact_names(session: Session, contact_ids: set[int | None]) -> dict[int, str]:
    wanted = {i for i in contact_ids if i}
    if not wanted:
        return {}
    rows = session.exec(select(Contact.id, Contact.first_name, Contact.last_name)
                        .where(col(Contact.id).in_(wanted))).all()
    return {contact_id: f'{first} {last}'.strip() for contact_id, first, last in rows}


def reads(session: Session, rows: list[Interaction]) -> list[InteractionRead]:
    """The rows as read, with their participants, client, contact and author names (a few queries in all)."""
    if not rows:
        return []
    ids = [row.id for row in rows]
    participants = session.exec(select(InteractionParticipant).where(col(InteractionParticipant.interaction_id)
                                                                     .in_(ids)).order_by(InteractionParticipant.id)).all()
    contacts = _contact_names(session, {r.contact_id for r in rows} | {p.contact_id for p in participants})
    clients = dict(session.exec(select(Client.id, Client.name)
                                .where(col(Client.id).in_({r.client_id for r in rows}))).all())
    users = display_names(session, {r.created_by for r in rows})
    by_interaction: dict[int, list[ParticipantRead]] = {i: [] for i in ids}
    for p in participants:
        by_interaction[p.interaction_id].append(ParticipantRead(
            id=p.id, contact_id=p.contact_id, contact_name=contacts.get(p.contact_id), external_name=p.external_name,
            external_email=p.external_email, external_role=p.external_role, is_organizer=p.is_organizer,
            attendance_status=p.attendance_status))
    return [InteractionRead(
        id=r.id, client_id=r.client_id, client_name=clients.get(r.client_id, ''), contact_id=r.contact_id,
        contact_name=contacts.get(r.contact_id), type=r.type, title=r.title, description=r.description,
        occurred_at=r.occurred_at, duration_minutes=r.duration_minutes, is_pitch=r.is_pitch, source=r.source,
        metadata=r.extra or {}, created_by=r.created_by, created_by_name=users.get(r.created_by),
        participants=by_interaction[r.id], created_at=r.created_at, updated_at=r.updated_at, version=r.version)
        for r in rows]


def get_interaction(session: Session, actor: Actor, interaction_id: int) -> InteractionRead:
    return reads(session, [interaction_in_tenant(session, actor, interaction_id)])[0]


def _filtered(session: Session, actor: Actor, filters: InteractionFilter):
    query = select(Interaction).where(Interaction.tenant_id == actor.tenant_id)
    if filters.client_id is not None:
        query = query.where(Interaction.client_id == client_in_tenant(session, actor, filters.client_id).id)
    if filters.contact_id is not None:
        contact = contact_in_tenant(session, actor, filters.contact_id)
        # One IN over a UNION, not `contact_id = … OR id IN (…)`: PostgreSQL cannot combine an OR with a sub-select
        # in one index scan, and would walk the tenant's whole (tenant_id, occurred_at) index backwards to find
        # a contact's few interactions (seconds at a million interactions).
        involved = union(select(Interaction.id).where(Interaction.contact_id == contact.id),
                         select(InteractionParticipant.interaction_id)
                         .where(InteractionParticipant.contact_id == contact.id))
        query = query.where(col(Interaction.id).in_(involved))
    if filters.types:
        query = query.where(col(Interaction.type).in_(filters.types))
    if filters.created_by is not None:
        query = query.where(Interaction.created_by == filters.created_by)
    if filters.since is not None:
        query = query.where(Interaction.occurred_at >= filters.since)
    if filters.until is not None:
        query = query.where(Interaction.occurred_at < filters.until)
    return query


def list_interactions(session: Session, actor: Actor, filters: InteractionFilter,
                      page: PageRequest) -> Page[InteractionRead]:
    """Newest first. The total is counted up to 10,000 at most: past that, the pages say "10,000+"."""
    query = _filtered(session, actor, filters)
    total = session.exec(select(func.count()).select_from(query.limit(COUNT_CAP).subquery())).one()
    rows = session.exec(query.order_by(col(Interaction.occurred_at).desc(), col(Interaction.id).desc())
                        .offset(page.offset).limit(page.limit)).all()
    return Page(items=reads(session, list(rows)), total=total, limit=page.limit, offset=page.offset)


def recent(session: Session, actor: Actor, *, client_id: int | None = None, contact_id: int | None = None,
           types: list[InteractionType] | None = None, limit: int = RECENT_LIMIT) -> list[InteractionRead]:
    """The latest interactions that already happened (planned ones are not "recent"), of a client, a contact or
    the whole tenant."""
    if not 1 <= limit <= 50:
        raise Invalid('error.page_limit', field='limit', max=50)
    query = _filtered(session, actor, InteractionFilter(client_id=client_id, contact_id=contact_id,
                                                        types=tuple(types or ())))
    rows = session.exec(query.where(Interaction.occurred_at <= utcnow())
                        .order_by(col(Interaction.occurred_at).desc(), col(Interaction.id).desc()).limit(limit)).all()
    return reads(session, list(rows))


def upcoming(session: Session, actor: Actor, *, client_id: int | None = None, limit: int = 5) -> list[InteractionRead]:
    query = _filtered(session, actor, InteractionFilter(client_id=client_id))
    rows = session.exec(query.where(Interaction.occurred_at > utcnow())
                        .order_by(col(Interaction.occurred_at), col(Interaction.id)).limit(limit)).all()
    return reads(session, list(rows))


def activity_stamp(session: Session, actor: Actor, client_id: int | None = None) -> tuple:
    """Changes when an interaction of the tenant (or of one client) is logged, edited or removed."""
    query = select(func.count(), func.max(Interaction.updated_at)).where(Interaction.tenant_id == actor.tenant_id)
    if client_id is not None:
        query = query.where(Interaction.client_id == client_id)
    return tuple(session.exec(query).one())
