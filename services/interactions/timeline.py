"""A client's timeline: its interactions and its moves between pipeline stages, newest first, in one paged list."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, literal, union_all
from sqlmodel import Session, col, select

from db.models import Interaction, StageChange
from services.actor import Actor
from services.clients import client_in_tenant
from services.interactions.reading import reads
from services.interactions.schemas import InteractionRead
from services.paging import Page, PageRequest
from services.stages import stage_names
from services.users import display_names


@dataclass(frozen=True)
class TimelineEntry:
    """One line of a client's timeline: an interaction, or a move between pipeline stages."""

    kind: str  # 'interaction' or 'stage'
    at: datetime
    interaction: InteractionRead | None = None
    from_stage: str | None = None
    to_stage: str | None = None
    changed_by: str | None = None


def _interactions(session: Session, ids: list[int]) -> dict[int, InteractionRead]:
    if not ids:
        return {}
    return {r.id: r for r in reads(session, list(session.exec(
        select(Interaction).where(col(Interaction.id).in_(ids))).all()))}


def _stage_entries(session: Session, ids: list[int]) -> dict[int, TimelineEntry]:
    changes = {c.id: c for c in session.exec(select(StageChange).where(col(StageChange.id).in_(ids))).all()} \
        if ids else {}
    stages = stage_names(session, {i for c in changes.values() for i in (c.from_stage_id, c.to_stage_id) if i})
    users = display_names(session, {c.changed_by for c in changes.values()})
    return {change_id: TimelineEntry('stage', change.changed_at, from_stage=stages.get(change.from_stage_id),
                                     to_stage=stages.get(change.to_stage_id), changed_by=users.get(change.changed_by))
            for change_id, change in changes.items()}


def timeline(session: Session, actor: Actor, client_id: int, page: PageRequest) -> Page[TimelineEntry]:
    """A client's interactions and pipeline moves, newest first, in one paged list."""
    client = client_in_tenant(session, actor, client_id)
    events = union_all(
        select(literal('interaction').label('kind'), col(Interaction.id).label('id'),
               col(Interaction.occurred_at).label('at')).where(Interaction.client_id == client.id),
        select(literal('stage').label('kind'), col(StageChange.id).label('id'),
               col(StageChange.changed_at).label('at')).where(StageChange.client_id == client.id)).subquery()
    total = session.exec(select(func.count()).select_from(events)).one()
    rows = session.exec(select(events.c.kind, events.c.id).order_by(events.c.at.desc(), events.c.id.desc())
                        .offset(page.offset).limit(page.limit)).all()
    interactions = _interactions(session, [i for kind, i in rows if kind == 'interaction'])
    stages = _stage_entries(session, [i for kind, i in rows if kind == 'stage'])
    entries = [TimelineEntry('interaction', interactions[entry_id].occurred_at, interaction=interactions[entry_id])
               if kind == 'interaction' else stages[entry_id] for kind, entry_id in rows]
    return Page(items=entries, total=total, limit=page.limit, offset=page.offset)
