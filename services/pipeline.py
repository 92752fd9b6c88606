"""The pipeline: stages editable by admins, the board of clients by stage, moves, stage history and stats."""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

from sqlalchemy import and_, case, exists, func
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from db.models import AuditAction, Client, ClientStatus, Interaction, PipelineStage, StageChange, utcnow
from services import audit
from services.actor import Actor, require_admin, require_write
from services.clients import client_in_tenant
from services.errors import Conflict, Invalid
from services.overview import clients_by_status, counted_clients
from services.stages import StageRead, set_stage, stage_in_tenant, stage_names, stages_of
from services.text import fold, words
from services.users import display_names
from services.validation import clean_text
from settings import get_settings

BOARD_PAGE = 20
MAX_STAGES = 20


@dataclass(frozen=True)
class StageUsage(StageRead):
    clients: int = 0  # the clients the board shows in the stage's column (not archived)
    archived: int = 0  # archived clients still at the stage: they move too when it is deleted

    @property
    def held(self) -> int:
        """Every client at the stage, archived ones included."""
        return self.clients + self.archived


@dataclass(frozen=True)
class PipelineFilter:
    client_type: str | None = None
    owner_id: int | None = None


@dataclass(frozen=True)
class PipelineCard:
    id: int
    name: str
    client_type: str | None
    city: str | None
    owner_name: str | None
    stage_id: int
    stage_entered_at: datetime | None
    last_interaction_at: datetime | None
    version: int


@dataclass(frozen=True)
class StageColumn:
    stage: StageRead
    total: int
    cards: list[PipelineCard] = field(default_factory=list)


@dataclass(frozen=True)
class StageMove:
    from_stage: str | None
    to_stage: str | None
    changed_by: str
    changed_at: datetime
    days_in_stage: float  # how long the client stayed at `to_stage` (until the next move, or until now)


@dataclass(frozen=True)
class Conversion:
    from_stage: str
    to_stage: str
    entered: int
    advanced: int

    @property
    def rate(self) -> float:
        return self.advanced / self.entered if self.entered else 0.0


@dataclass(frozen=True)
class PipelineStats:
    start: date
    end: date
    by_stage: list[tuple[str, int]]
    by_type: list[tuple[str, int]]
    active: int
    inactive: int
    conversions: list[Conversion]


# --- stages (admins) ---------------------------------------------------------------------------------------------

def list_stages(session: Session, actor: Actor) -> list[StageUsage]:
    """The stages with the board's count of each (the same number as its column) and its archived clients."""
    counted = stage_counts(session, actor)
    every = dict(session.exec(select(Client.stage_id, func.count()).where(Client.tenant_id == actor.tenant_id)
                              .group_by(Client.stage_id)).all())
    return [StageUsage(**stage.__dict__, clients=counted.get(stage.id, 0),
                       archived=every.get(stage.id, 0) - counted.get(stage.id, 0))
            for stage in stages_of(session, actor.tenant_id)]


def _unique_key(session: Session, tenant_id: int, name: str) -> str:
    base = '_'.join(words(fold(name)))[:32] or 'etape'
    taken = set(session.exec(select(PipelineStage.key).where(PipelineStage.tenant_id == tenant_id)).all())
    key, number = base, 2
    while key in taken:
        key, number = f'{base}_{number}', number + 1
    return key


def _clean_name(session: Session, actor: Actor, name: str, exclude_id: int | None = None) -> str:
    name = clean_text(name, field='name', max_length=60, required=True)
    names = session.exec(select(PipelineStage.name).where(PipelineStage.tenant_id == actor.tenant_id,
                                                          PipelineStage.id != (exclude_id or 0))).all()
    if name.lower() in {other.lower() for other in names}:
        raise Conflict('error.stage_exists', field='name', name=name)
    return name


def create_stage(session: Session, actor: Actor, name: str, *, is_lost: bool = False) -> StageRead:
    """A new stage, placed before the lost one (or last)."""
    require_admin(actor)
    name = _clean_name(session, actor, name)
    stages = stages_of(session, actor.tenant_id)
    if len(stages) >= MAX_STAGES:
        raise Invalid('error.too_many_stages', max=MAX_STAGES)
    stage = PipelineStage(tenant_id=actor.tenant_id, key=_unique_key(session, actor.tenant_id, name), name=name,
                          position=len(stages), is_lost=is_lost)
    session.add(stage)
    session.flush()
    # Positions may have gaps (deleted stages) or a lost stage amid forward ones (reordered): insert before the
    # first lost stage of the current order and number every stage again, rather than trusting `len(forward)`.
    ordered = [s.id for s in stages]
    ordered.insert(next((n for n, s in enumerate(stages) if s.is_lost), len(stages)), stage.id)
    rows = {row.id: row for row in session.exec(select(PipelineStage)
                                                .where(PipelineStage.tenant_id == actor.tenant_id)).all()}
    for position, stage_id in enumerate(ordered):
        rows[stage_id].position = position
        session.add(rows[stage_id])
    session.flush()
    audit.record(session, actor, tenant_id=actor.tenant_id, action=AuditAction.CREATE, entity='pipeline_stage',
                 entity_id=stage.id, changes={'name': [None, name]})
    return StageRead(stage.id, stage.key, stage.name, stage.position, stage.is_lost)


def rename_stage(session: Session, actor: Actor, stage_id: int, name: str) -> StageRead:
    require_admin(actor)
    stage = stage_in_tenant(session, actor, stage_id, field='id')
    name = _clean_name(session, actor, name, exclude_id=stage.id)
    if name != stage.name:
        audit.record(session, actor, tenant_id=actor.tenant_id, action=AuditAction.UPDATE, entity='pipeline_stage',
                     entity_id=stage.id, changes={'name': [stage.name, name]})
        stage.name = name
        session.add(stage)
        session.flush()
    return StageRead(stage.id, stage.key, stage.name, stage.position, stage.is_lost)


def reorder_stages(session: Session, actor: Actor, ordered_ids: list[int]) -> list[StageRead]:
    """`ordered_ids` must list every stage of the tenant once."""
    require_admin(actor)
    stages = {stage.id: stage for stage in session.exec(
        select(PipelineStage).where(PipelineStage.tenant_id == actor.tenant_id)).all()}
    if sorted(ordered_ids) != sorted(stages):
        raise Invalid('error.stage_order_invalid', field='ids')
    for position, stage_id in enumerate(ordered_ids):
        stages[stage_id].position = position
        session.add(stages[stage_id])
    audit.record(session, actor, tenant_id=actor.tenant_id, action=AuditAction.UPDATE, entity='pipeline_stage',
                 entity_id=None, changes={'order': [None, [stages[i].name for i in ordered_ids]]})
    session.flush()
    return stages_of(session, actor.tenant_id)


def delete_stage(session: Session, actor: Actor, stage_id: int, *, move_to_id: int | None = None) -> None:
    """Remove a stage. Its clients must go somewhere: to `move_to_id`, each move recorded; without it, a stage in
    use is refused. The last forward stage cannot go."""
    require_admin(actor)
    stage = stage_in_tenant(session, actor, stage_id, field='id')
    others = [s for s in stages_of(session, actor.tenant_id) if s.id != stage.id]
    if not stage.is_lost and not any(not s.is_lost for s in others):
        raise Conflict('error.stage_last')
    clients = session.exec(select(Client).where(Client.tenant_id == actor.tenant_id, Client.stage_id == stage.id)).all()
    if clients:
        if move_to_id is None:
            raise Conflict('error.stage_in_use', count=len(clients))
        if move_to_id == stage.id:
            raise Invalid('error.stage_unknown', field='move_to_id')
        target = stage_in_tenant(session, actor, move_to_id, field='move_to_id')
        for client in clients:
            set_stage(session, actor, client, target.id)
            client.version += 1
        session.flush()
    audit.record(session, actor, tenant_id=actor.tenant_id, action=AuditAction.DELETE, entity='pipeline_stage',
                 entity_id=stage.id, changes={'name': stage.name, 'moved_clients': len(clients)})
    session.delete(stage)
    session.flush()


# --- moves ---------------------------------------------------------------------------------------------------------

def move_client(session: Session, actor: Actor, client_id: int, stage_id: int,
                expected_version: int | None = None) -> StageRead:
    require_write(actor)
    client = client_in_tenant(session, actor, client_id)
    if expected_version is not None and expected_version != client.version:
        raise Conflict('error.stale_version')
    target = stage_in_tenant(session, actor, stage_id)
    before = client.stage_id
    if set_stage(session, actor, client, target.id):
        client.version += 1
        audit.record(session, actor, tenant_id=actor.tenant_id, action=AuditAction.UPDATE, entity='client',
                     entity_id=client.id, changes={'stage_id': [before, target.id]})
        session.flush()
    return StageRead(target.id, target.key, target.name, target.position, target.is_lost)


def next_stage(session: Session, actor: Actor, client: Client) -> StageRead:
    stages = stages_of(session, actor.tenant_id)
    current = next((s for s in stages if s.id == client.stage_id), None)
    if current is not None and current.is_lost:
        raise Conflict('error.stage_lost_no_next')
    forward = [s for s in stages if not s.is_lost and (current is None or s.position > current.position)]
    if not forward:
        raise Conflict('error.stage_last_reached')
    return forward[0]


def move_to_next_stage(session: Session, actor: Actor, client_id: int) -> StageRead:
    require_write(actor)
    client = client_in_tenant(session, actor, client_id)
    return move_client(session, actor, client.id, next_stage(session, actor, client).id)


def stage_history(session: Session, actor: Actor, client_id: int) -> list[StageMove]:
    """The client's moves, newest first, each with the time spent at the stage it led to."""
    client = client_in_tenant(session, actor, client_id)
    rows = session.exec(select(StageChange).where(StageChange.client_id == client.id)
                        .order_by(col(StageChange.changed_at), col(StageChange.id))).all()
    stage_ids = {i for row in rows for i in (row.from_stage_id, row.to_stage_id) if i}
    names = stage_names(session, stage_ids)
    users = display_names(session, {row.changed_by for row in rows})
    now, moves = utcnow(), []
    for index, row in enumerate(rows):
        left = rows[index + 1].changed_at if index + 1 < len(rows) else now
        moves.append(StageMove(names.get(row.from_stage_id), names.get(row.to_stage_id),
                               users.get(row.changed_by, ''), row.changed_at,
                               max((left - row.changed_at).total_seconds(), 0) / 86400))
    return moves[::-1]


def time_in_stages(session: Session, actor: Actor, client_id: int) -> list[tuple[str, float]]:
    """Days spent at each stage, summed over every stay, in pipeline order of first arrival."""
    totals: dict[str, float] = {}
    for move in reversed(stage_history(session, actor, client_id)):
        if move.to_stage:
            totals[move.to_stage] = totals.get(move.to_stage, 0.0) + move.days_in_stage
    return list(totals.items())


# --- the board -----------------------------------------------------------------------------------------------------

def _board_query(actor: Actor, filters: PipelineFilter):
    """The board's clients: the ones every figure counts (not archived), filtered."""
    query = select(Client).where(counted_clients(actor.tenant_id))
    if filters.client_type:
        query = query.where(Client.client_type == filters.client_type)
    if filters.owner_id:
        query = query.where(Client.owner_id == filters.owner_id)
    return query


def stage_counts(session: Session, actor: Actor, filters: PipelineFilter | None = None) -> dict[int, int]:
    """Stage id → its clients as the board counts them (not archived, filtered): the one count of a stage that the
    board's columns, the pipeline's statistics and the pipeline settings show."""
    base = _board_query(actor, filters or PipelineFilter()).subquery()
    return {stage_id: int(count) for stage_id, count in session.exec(
        select(base.c.stage_id, func.count()).where(base.c.stage_id.is_not(None)).group_by(base.c.stage_id)).all()}


def board(session: Session, actor: Actor, filters: PipelineFilter,
          limits: dict[int, int] | None = None) -> list[StageColumn]:
    """One column per stage with its count and the clients that arrived there last (a bounded number each)."""
    query = _board_query(actor, filters)
    counts = stage_counts(session, actor, filters)
    stages = stages_of(session, actor.tenant_id)
    picked: dict[int, list[Client]] = {}
    for stage in stages:
        if counts.get(stage.id):
            limit = (limits or {}).get(stage.id, BOARD_PAGE)
            picked[stage.id] = list(session.exec(
                query.where(Client.stage_id == stage.id)
                .order_by(col(Client.stage_entered_at).desc(), col(Client.id).desc()).limit(limit)).all())
    clients = [client for rows in picked.values() for client in rows]
    last_seen = _last_interactions(session, [c.id for c in clients])
    owners = display_names(session, {c.owner_id for c in clients})
    return [StageColumn(stage, counts.get(stage.id, 0), [
        PipelineCard(c.id, c.name, c.client_type, c.city, owners.get(c.owner_id), stage.id, c.stage_entered_at,
                     last_seen.get(c.id), c.version) for c in picked.get(stage.id, [])]) for stage in stages]


def _last_interactions(session: Session, client_ids: list[int]) -> dict[int, datetime]:
    if not client_ids:
        return {}
    rows = session.exec(select(Interaction.client_id, func.max(Interaction.occurred_at))
                        .where(col(Interaction.client_id).in_(client_ids), Interaction.occurred_at <= utcnow())
                        .group_by(Interaction.client_id)).all()
    return {client_id: _aware(at) for client_id, at in rows}


def _aware(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def board_stamp(session: Session, actor: Actor) -> tuple:
    """Changes whenever a client of the tenant is created, moved, edited or deleted: the board polls it."""
    return tuple(session.exec(select(func.count(), func.max(Client.updated_at))
                              .where(Client.tenant_id == actor.tenant_id)).one())


# --- stats ---------------------------------------------------------------------------------------------------------

def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    zone = ZoneInfo(get_settings().timezone)
    return (datetime.combine(start, time.min, zone).astimezone(UTC),
            datetime.combine(end + timedelta(days=1), time.min, zone).astimezone(UTC))


def conversions(session: Session, actor: Actor, start: date, end: date) -> list[Conversion]:
    """For each forward stage and the one after it: of the clients that entered the stage during the period, how
    many went on to a later forward stage by the end of the period."""
    if end < start:
        raise Invalid('error.period_invalid', field='end')
    since, until = _bounds(start, end)
    forward = [s for s in stages_of(session, actor.tenant_id) if not s.is_lost]
    if len(forward) < 2:
        return []
    position = {s.id: s.position for s in forward}
    entry, later, target = aliased(StageChange), aliased(StageChange), aliased(PipelineStage)
    entered_at = aliased(PipelineStage)
    advanced = exists().where(later.client_id == entry.client_id, later.changed_at > entry.changed_at,
                              later.changed_at < until, target.id == later.to_stage_id,
                              col(target.is_lost).is_(False), target.position > entered_at.position)
    rows = session.exec(
        select(entry.to_stage_id, func.count(func.distinct(entry.client_id)),
               func.count(func.distinct(case((advanced, entry.client_id)))))
        .join(entered_at, and_(entered_at.id == entry.to_stage_id))
        .where(entry.tenant_id == actor.tenant_id, entry.changed_at >= since, entry.changed_at < until,
               col(entry.to_stage_id).in_(position))
        .group_by(entry.to_stage_id)).all()
    figures = {stage_id: (entered, moved) for stage_id, entered, moved in rows}
    return [Conversion(current.name, following.name, *figures.get(current.id, (0, 0)))
            for current, following in pairwise(forward)]


def pipeline_stats(session: Session, actor: Actor, start: date, end: date) -> PipelineStats:
    """The clients every figure counts (not archived) by stage (the board's counts), by type and by status."""
    per_stage = stage_counts(session, actor)
    live = select(Client).where(counted_clients(actor.tenant_id)).subquery()
    per_type = session.exec(select(live.c.client_type, func.count()).group_by(live.c.client_type)
                            .order_by(func.count().desc(), live.c.client_type)).all()
    per_status = clients_by_status(session, actor.tenant_id)
    return PipelineStats(
        start=start, end=end,
        by_stage=[(stage.name, per_stage.get(stage.id, 0)) for stage in stages_of(session, actor.tenant_id)],
        by_type=[(client_type or '', count) for client_type, count in per_type],
        active=per_status[ClientStatus.ACTIVE], inactive=per_status[ClientStatus.INACTIVE],
        conversions=conversions(session, actor, start, end))
