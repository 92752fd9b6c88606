"""Recommendations as a seller sees them: listed per client and per scenario, dismissed or marked done (and reopened
by mistake's undo), turned into a planned call or a logged interaction in the same transaction.

The rules that produce them are in services.analytics.recommendations. Viewers read only; each action needs an
open recommendation (409 otherwise), and a concurrent action on the same one loses cleanly (the status is changed
by a conditional UPDATE). The interaction's title and description are written in the actor's language by the
`Wording` the caller hands over (services never translate).
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel
from sqlalchemy import func, update
from sqlmodel import Session, col, select

from db.models import (
    AuditAction,
    Client,
    ClientProfile,
    InteractionType,
    Product,
    Recommendation,
    SearchEntity,
    Tenant,
    utcnow,
)
from services import audit, search
from services.actor import Actor, require_write
from services.analytics.recommendations import SCENARIOS, generate_recommendations
from services.clients import client_in_tenant
from services.clock import local_now
from services.clock import today as clock_today
from services.errors import Conflict, Forbidden, Invalid, NotFound
from services.interactions import InteractionInput, create_interaction, parse_type
from services.messages import Message, Wording
from services.paging import Page, PageRequest, fetch_page
from services.validation import clean_text
from settings import get_settings

STATUSES = ('open', 'dismissed', 'done')
TASK_HOUR = 10  # a task planned for a day is due at 10:00, the firm's time
MAX_TASK_DAYS = 366
MAX_NOTE = 2000


class RecommendationRead(BaseModel):
    id: int
    client_id: int
    client_name: str
    segment: str | None
    product_id: int
    product_sku: str
    product_name: str
    product_family: str
    product_price_cents: int
    currency: str
    scenario: str
    score: int
    reason_key: str
    reason_params: dict[str, Any]
    status: str
    created_at: datetime
    acted_at: datetime | None
    interaction_id: int | None

    @property
    def reason_message(self) -> Message:
        """Why it is recommended, for the faces to put into words."""
        return Message(self.reason_key, self.reason_params, self.currency)


@dataclass(frozen=True)
class RecommendationFilter:
    scenario: str | None = None
    client_id: int | None = None
    status: str | None = 'open'  # None: every status
    segment: str | None = None
    search: str = ''  # words of the client's name


def _currency(session: Session, tenant_id: int) -> str:
    return session.exec(select(Tenant.currency).where(Tenant.id == tenant_id)).one()


def _query(actor: Actor):
    return (select(Recommendation, Client.name, ClientProfile.segment, Product.sku, Product.name, Product.family,
                   Product.price_cents)
            .join(Client, Client.id == Recommendation.client_id)
            .join(Product, Product.id == Recommendation.product_id)
            .outerjoin(ClientProfile, ClientProfile.client_id == Recommendation.client_id)
            .where(Recommendation.tenant_id == actor.tenant_id))


def _reads(rows: list, currency: str) -> list[RecommendationRead]:
    return [RecommendationRead(
        id=row.id, client_id=row.client_id, client_name=client_name, segment=segment, product_id=row.product_id,
        product_sku=sku, product_name=name, product_family=family, product_price_cents=price, currency=currency,
        scenario=row.scenario, score=row.score, reason_key=row.reason_key, reason_params=row.reason_params or {},
        status=row.status, created_at=row.created_at, acted_at=row.acted_at, interaction_id=row.interaction_id)
        for row, client_name, segment, sku, name, family, price in rows]


def _check(filters: RecommendationFilter) -> None:
    if filters.scenario is not None and filters.scenario not in SCENARIOS:
        raise Invalid('error.scenario_unknown', field='scenario')
    if filters.status is not None and filters.status not in STATUSES:
        raise Invalid('error.recommendation_status_unknown', field='status')


def list_recommendations(session: Session, actor: Actor, filters: RecommendationFilter,
                         page: PageRequest) -> Page[RecommendationRead]:
    """Best score first (then newest). The page's ids are found in the recommendations alone, then only those rows
    are joined to their client and product: sorting a hundred thousand joined rows for ten would take a second."""
    _check(filters)
    query = select(Recommendation.id).where(Recommendation.tenant_id == actor.tenant_id)
    if filters.scenario:
        query = query.where(Recommendation.scenario == filters.scenario)
    if filters.status:
        query = query.where(Recommendation.status == filters.status)
    if filters.client_id is not None:
        query = query.where(Recommendation.client_id == client_in_tenant(session, actor, filters.client_id).id)
    if filters.segment:
        query = query.where(col(Recommendation.client_id).in_(
            select(ClientProfile.client_id).where(ClientProfile.tenant_id == actor.tenant_id,
                                                  ClientProfile.segment == filters.segment)))
    if filters.search.strip():
        matching = search.matching_ids(session, actor.tenant_id, SearchEntity.CLIENT, filters.search)
        if matching is not None:
            query = query.where(col(Recommendation.client_id).in_(matching))
    ids, total = fetch_page(session, query, page, col(Recommendation.score).desc(), col(Recommendation.id).desc())
    rows = session.exec(_query(actor).where(col(Recommendation.id).in_(ids))).all() if ids else []
    position = {recommendation_id: index for index, recommendation_id in enumerate(ids)}
    rows = sorted(rows, key=lambda row: position[row[0].id])
    return Page(items=_reads(rows, _currency(session, actor.tenant_id)), total=total, limit=page.limit,
                offset=page.offset)


def counts_by_scenario(session: Session, actor: Actor, *, client_id: int | None = None,
                       status: str = 'open') -> dict[str, int]:
    """How many recommendations of each scenario (open ones by default), of the tenant or of one client."""
    _check(RecommendationFilter(status=status))
    query = (select(Recommendation.scenario, func.count())
             .where(Recommendation.tenant_id == actor.tenant_id, Recommendation.status == status)
             .group_by(Recommendation.scenario))
    if client_id is not None:
        query = query.where(Recommendation.client_id == client_in_tenant(session, actor, client_id).id)
    counts = dict(session.exec(query).all())
    return {scenario: counts.get(scenario, 0) for scenario in SCENARIOS}


def get_recommendation(session: Session, actor: Actor, recommendation_id: int) -> RecommendationRead:
    row = session.exec(_query(actor).where(Recommendation.id == recommendation_id)).first()
    if row is None:
        raise NotFound('error.recommendation_not_found')
    return _reads([row], _currency(session, actor.tenant_id))[0]


# --- acting on one -------------------------------------------------------------------------------------------------

def _set_status(session: Session, actor: Actor, recommendation_id: int, status: str, *, expected: tuple[str, ...],
                interaction_id: int | None = None) -> None:
    """Move a recommendation of the tenant from one of the `expected` statuses to `status`, or refuse: another user
    may have acted on it since it was read."""
    values: dict[str, Any] = {'status': status, 'interaction_id': interaction_id}
    values.update({'acted_at': None, 'acted_by': None} if status == 'open' else
                  {'acted_at': utcnow(), 'acted_by': actor.user_id or None})
    changed = session.execute(
        update(Recommendation)
        .where(Recommendation.id == recommendation_id, Recommendation.tenant_id == actor.tenant_id,
               col(Recommendation.status).in_(expected))
        .values(**values).execution_options(synchronize_session=False)).rowcount
    if not changed:
        get_recommendation(session, actor, recommendation_id)  # NotFound when it is not the tenant's
        raise Conflict('error.recommendation_not_open' if expected == ('open',) else 'error.recommendation_open')
    audit.record(session, actor, tenant_id=actor.tenant_id, action=AuditAction.UPDATE, entity='recommendation',
                 entity_id=recommendation_id, changes={'status': status})
    session.flush()


def _open(session: Session, actor: Actor, recommendation_id: int) -> RecommendationRead:
    require_write(actor)
    recommendation = get_recommendation(session, actor, recommendation_id)
    if recommendation.status != 'open':
        raise Conflict('error.recommendation_not_open')
    return recommendation


def dismiss(session: Session, actor: Actor, recommendation_id: int) -> RecommendationRead:
    _open(session, actor, recommendation_id)
    _set_status(session, actor, recommendation_id, 'dismissed', expected=('open',))
    return get_recommendation(session, actor, recommendation_id)


def mark_done(session: Session, actor: Actor, recommendation_id: int) -> RecommendationRead:
    _open(session, actor, recommendation_id)
    _set_status(session, actor, recommendation_id, 'done', expected=('open',))
    return get_recommendation(session, actor, recommendation_id)


def reopen(session: Session, actor: Actor, recommendation_id: int) -> RecommendationRead:
    """Undo a dismissal or a «done» (not one that became a task or an interaction: delete that instead)."""
    require_write(actor)
    recommendation = get_recommendation(session, actor, recommendation_id)
    if recommendation.status == 'open':
        raise Conflict('error.recommendation_open')
    if recommendation.interaction_id is not None:
        raise Conflict('error.recommendation_has_interaction')
    _set_status(session, actor, recommendation_id, 'open', expected=('dismissed', 'done'))
    return get_recommendation(session, actor, recommendation_id)


def _language(actor: Actor) -> str:
    return actor.language or get_settings().language


def _texts(recommendation: RecommendationRead, title_key: str, note: str, wording: Wording,
           language: str) -> tuple[str, str]:
    """The interaction's title and description: the note (if any), then the reason."""
    title = wording(Message(title_key, {'product': recommendation.product_name}), language)[:200]
    reason = wording(recommendation.reason_message, language)
    return title, f'{note}\n\n{reason}' if note else reason


def _metadata(recommendation: RecommendationRead) -> dict[str, Any]:
    return {'recommendation_id': recommendation.id, 'scenario': recommendation.scenario,
            'product_id': recommendation.product_id, 'product_sku': recommendation.product_sku}


def task_moment(due: date) -> datetime:
    """When a task planned for `due` falls: 10:00 that day (firm's time), or the next full hour when that has
    passed (a task for today, asked in the afternoon) — always ahead, so that it is listed as planned."""
    zone = ZoneInfo(get_settings().timezone)
    moment = datetime.combine(due, time(TASK_HOUR), zone)
    if moment > utcnow():
        return moment
    return (local_now() + timedelta(hours=1)).replace(minute=0, second=0, microsecond=0)


def to_task(session: Session, actor: Actor, recommendation_id: int, *, due: date, wording: Wording,
            note: str = '') -> RecommendationRead:
    """Plan a call about the recommendation on `due` (a planned interaction) and mark it done, at once."""
    recommendation = _open(session, actor, recommendation_id)
    note = clean_text(note, field='note', max_length=MAX_NOTE)
    if not clock_today() <= due <= clock_today() + timedelta(days=MAX_TASK_DAYS):
        raise Invalid('error.task_due_invalid', field='due', max=MAX_TASK_DAYS)
    title, description = _texts(recommendation, 'reco.task_title', note, wording, _language(actor))
    interaction = create_interaction(session, actor, InteractionInput(
        client_id=recommendation.client_id, type=InteractionType.CALL, title=title, description=description,
        occurred_at=task_moment(due), metadata=_metadata(recommendation)))
    _set_status(session, actor, recommendation_id, 'done', expected=('open',), interaction_id=interaction.id)
    return get_recommendation(session, actor, recommendation_id)


def log_interaction(session: Session, actor: Actor, recommendation_id: int, *, type: InteractionType | str,
                    wording: Wording, note: str = '') -> RecommendationRead:
    """Log an exchange about the recommendation that just took place, and mark it done, at once."""
    recommendation = _open(session, actor, recommendation_id)
    kind = parse_type(type)
    note = clean_text(note, field='note', max_length=MAX_NOTE)
    title, description = _texts(recommendation, 'reco.log_title', note, wording, _language(actor))
    interaction = create_interaction(session, actor, InteractionInput(
        client_id=recommendation.client_id, type=kind, title=title, description=description,
        metadata=_metadata(recommendation)))
    _set_status(session, actor, recommendation_id, 'done', expected=('open',), interaction_id=interaction.id)
    return get_recommendation(session, actor, recommendation_id)


def regenerate(session: Session, actor: Actor) -> dict[str, int]:
    """Generate the tenant's recommendations now, from the latest profiles (managers and admins)."""
    require_write(actor)
    if actor.role not in ('admin', 'manager'):
        raise Forbidden('error.manager_only')
    return generate_recommendations(session, actor.tenant_id)
