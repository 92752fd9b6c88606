"""The data-quality audit (seed 002): a score from 0 to 100 for how far the tenant's data can be trusted, and the
lists behind each deduction. Every run is kept (`data_audit`), so the score can be followed over time.

The audited clients are the tenant's clients that are not archived (merged clients are archived). A share whose
denominator is zero counts as 1 (nothing to fault), except where said. Five components, 100 points:

- freshness (20) = 14 × fresh clients / clients + 6 × last-sale factor.
  A client is fresh when it was updated, bought, or had an interaction in the last 365 days. The last-sale factor
  is 1 when the tenant's latest sale is at most 30 days old, 0 from 180 days (or without any sale), linear between:
  a tenant whose last sale is 90 days old gets 0.6 of it.
- email (20) = 10 × clients with an e-mail / clients + 10 × valid e-mails / e-mails.
  Valid: services.validation.EMAIL_PATTERN, checked by the database itself (PostgreSQL `~`, SQLite REGEXP).
- phone (15) = 5 × clients with a phone / clients + 10 × valid phones / phones.
  Valid: `phonenumbers` says the number exists, read in the client's country (the app stores E.164). That check
  needs libphonenumber's metadata, so phones are streamed through it in batches (about 20 µs each), never loaded.
- duplicates (25) = 25 × max(0, 1 − 5 × clients in a likely pair / clients): no points left when a fifth of the
  clients have a look-alike. Pairs come from services.analytics.duplicates (same e-mail, same phone, similar name).
- diversity (20) = 10 × min(1, buyers of two families or more / buyers ÷ 0.5)
                 + 10 × min(1, max(0, (1 − revenue share of the top 10 % of products) ÷ 0.5)).
  Over the tenant's analysis window (AnalyticsSettings, 24 months by default). Buyers are the clients with a sale in
  the window; families come from sale lines (a sale entered as a single amount has none). Half of the buyers
  buying from two families earns the first half in full; the second half is full while the best-selling tenth of
  the products (at least one) makes at most half of the revenue, and empty when it makes all of it. Without any
  sale, both shares are 0: there is nothing to recommend from.

Each component's points are kept with one decimal; the score is the sum, rounded to the nearest integer.
Counts and shares are SQL aggregates; Python only sees the capped lists (LIST_LIMIT rows each), the phones (see
above) and, for the name comparison, one streamed pass over the clients' names (services.analytics.duplicates).
100,000 demo clients and a million sales are audited in about 20 s on PostgreSQL (names ≈ 7 s, phones ≈ 4 s,
families and products ≈ 5 s, the rest ≈ 1 s) and about 45 s on SQLite, where the run holds the write lock throughout.
"""

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from time import perf_counter
from typing import Any
from zoneinfo import ZoneInfo

import phonenumbers
from pydantic import BaseModel
from sqlalchemy import BigInteger, and_, case, cast, exists, func, not_, or_
from sqlmodel import Session, col, select

from db.models import AnalyticsSettings, Client, DataAudit, Interaction, Product, Sale, SaleLine
from db.session import read_scope, session_scope
from services.actor import Actor, require_manager
from services.analytics.duplicates import (
    RECENT_DAYS,
    audited,
    has_email,
    has_phone,
    scan_duplicates,
)
from services.analytics.rfm import DEFAULT_WINDOW, window_start
from services.clock import today as local_today
from services.contact_details import DEFAULT_REGION
from services.errors import NotFound
from services.users import display_names
from services.validation import EMAIL_PATTERN
from settings import get_settings

COMPONENTS = ('freshness', 'email', 'phone', 'duplicates', 'diversity')
WEIGHTS = {'freshness': 20, 'email': 20, 'phone': 15, 'duplicates': 25, 'diversity': 20}
LIST_LIMIT = 200
FRESH_DAYS = 365
SALE_FULL_DAYS, SALE_ZERO_DAYS = 30, 180
DUPLICATE_PENALTY = 5
TOP_PRODUCTS_SHOWN = 20
PHONE_BATCH = 5000
MAX_HISTORY = 365


class ComponentRead(BaseModel):
    code: str
    weight: int
    score: float  # points, out of `weight`
    metrics: dict[str, Any]


class AuditRead(BaseModel):
    id: int
    score: int
    created_at: datetime
    created_by: int | None
    created_by_name: str | None
    duration_ms: int
    components: list[ComponentRead]
    details: dict[str, Any]  # per component: the lists behind its deduction
    previous_score: int | None = None  # the run before this one, for the change


class AuditPoint(BaseModel):
    id: int
    created_at: datetime
    score: int
    components: dict[str, float]


@dataclass(frozen=True)
class _Component:
    points: float
    metrics: dict[str, Any]
    details: dict[str, Any]


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 1.0


def _clamp(value: float) -> float:
    return max(0.0, min(1.0, value))


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, ZoneInfo(get_settings().timezone)).astimezone(UTC)


def _client_rows(rows) -> list[dict]:
    return [{key: (value.isoformat() if isinstance(value, date | datetime) else value)
             for key, value in row._mapping.items()} for row in rows]


# --- components ------------------------------------------------------------------------------------------------------

def _freshness(session: Session, tenant_id: int, today: date) -> _Component:
    since_day = today - timedelta(days=FRESH_DAYS)
    since = _day_start(since_day)
    fresh = or_(Client.updated_at >= since,
                exists().where(Sale.tenant_id == tenant_id, Sale.client_id == Client.id, Sale.sold_on > since_day),
                exists().where(Interaction.client_id == Client.id, Interaction.occurred_at >= since))
    clients, fresh_count = session.exec(select(func.count(), func.coalesce(func.sum(case((fresh, 1), else_=0)), 0))
                                        .where(audited(tenant_id))).one()
    stale = session.exec(select(Client.id, Client.name, Client.updated_at).where(audited(tenant_id), not_(fresh))
                         .order_by(col(Client.updated_at), col(Client.id)).limit(LIST_LIMIT)).all()
    last_sale = session.exec(select(func.max(Sale.sold_on)).where(Sale.tenant_id == tenant_id)).one()
    days = (today - last_sale).days if last_sale else None
    sale_factor = 0.0 if days is None else \
        _clamp(1 - (days - SALE_FULL_DAYS) / (SALE_ZERO_DAYS - SALE_FULL_DAYS))
    fresh_share = _share(fresh_count, clients)
    return _Component(
        points=14 * fresh_share + 6 * sale_factor,
        metrics={'clients': clients, 'fresh': fresh_count, 'stale': clients - fresh_count,
                 'fresh_share': round(fresh_share, 4), 'last_sale_on': last_sale.isoformat() if last_sale else None,
                 'days_since_last_sale': days, 'last_sale_factor': round(sale_factor, 4)},
        details={'stale_clients': _client_rows(stale)})


def _email(session: Session, tenant_id: int) -> _Component:
    valid = col(Client.email).regexp_match(EMAIL_PATTERN)
    clients, with_email, valid_count = session.exec(
        select(func.count(), func.coalesce(func.sum(case((has_email(), 1), else_=0)), 0),
               func.coalesce(func.sum(case((and_(has_email(), valid), 1), else_=0)), 0))
        .where(audited(tenant_id))).one()
    invalid = session.exec(select(Client.id, Client.name, Client.email).where(audited(tenant_id), has_email(),
                                                                               not_(valid))
                           .order_by(col(Client.name), col(Client.id)).limit(LIST_LIMIT)).all()
    missing = session.exec(select(Client.id, Client.name).where(audited(tenant_id), not_(has_email()))
                           .order_by(col(Client.name), col(Client.id)).limit(LIST_LIMIT)).all()
    completeness, validity = _share(with_email, clients), _share(valid_count, with_email)
    return _Component(
        points=10 * completeness + 10 * validity,
        metrics={'clients': clients, 'with_email': with_email, 'missing': clients - with_email,
                 'valid': valid_count, 'invalid': with_email - valid_count,
                 'completeness': round(completeness, 4), 'validity': round(validity, 4)},
        details={'invalid_emails': _client_rows(invalid), 'missing_emails': _client_rows(missing)})


def phone_is_valid(phone: str, country: str | None) -> bool:
    try:
        number = phonenumbers.parse(phone, (country or DEFAULT_REGION).upper())
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_valid_number(number)


def _phone(session: Session, tenant_id: int) -> _Component:
    clients, with_phone = session.exec(select(func.count(), func.coalesce(func.sum(case((has_phone(), 1), else_=0)), 0))
                                       .where(audited(tenant_id))).one()
    invalid_count, invalid = 0, []
    rows = session.exec(select(Client.id, Client.name, Client.phone, Client.country)
                        .where(audited(tenant_id), has_phone()).order_by(col(Client.name), col(Client.id))
                        .execution_options(yield_per=PHONE_BATCH))
    for row in rows:
        if not phone_is_valid(row.phone, row.country):
            invalid_count += 1
            if len(invalid) < LIST_LIMIT:
                invalid.append({'id': row.id, 'name': row.name, 'phone': row.phone, 'country': row.country})
    missing = session.exec(select(Client.id, Client.name).where(audited(tenant_id), not_(has_phone()))
                           .order_by(col(Client.name), col(Client.id)).limit(LIST_LIMIT)).all()
    completeness, validity = _share(with_phone, clients), _share(with_phone - invalid_count, with_phone)
    return _Component(
        points=5 * completeness + 10 * validity,
        metrics={'clients': clients, 'with_phone': with_phone, 'missing': clients - with_phone,
                 'valid': with_phone - invalid_count, 'invalid': invalid_count,
                 'completeness': round(completeness, 4), 'validity': round(validity, 4)},
        details={'invalid_phones': invalid, 'missing_phones': _client_rows(missing)})


def _duplicates(session: Session, tenant_id: int, today: date) -> _Component:
    clients = session.exec(select(func.count()).select_from(Client).where(audited(tenant_id))).one()
    scan = scan_duplicates(session, tenant_id, since=_day_start(today - timedelta(days=RECENT_DAYS)),
                           limit=LIST_LIMIT)
    share = scan.involved / clients if clients else 0.0
    return _Component(
        points=25 * max(0.0, 1 - DUPLICATE_PENALTY * share),
        metrics={'clients': clients, 'involved': scan.involved, 'involved_share': round(share, 4),
                 'email_groups': scan.email_groups, 'phone_groups': scan.phone_groups,
                 'name_pairs': scan.name_pairs, 'recent_scanned': scan.recent_scanned, 'recent_days': RECENT_DAYS},
        details={'pairs': scan.pairs})


def _window(session: Session, tenant_id: int) -> int:
    months = session.exec(select(AnalyticsSettings.rfm_window_months)
                          .where(AnalyticsSettings.tenant_id == tenant_id)).first()
    return months or DEFAULT_WINDOW


def _diversity(session: Session, tenant_id: int, today: date) -> _Component:
    months = _window(session, tenant_id)
    start = window_start(today, months)
    buyers = session.exec(select(func.count(func.distinct(Sale.client_id)))
                          .where(Sale.tenant_id == tenant_id, Sale.sold_on > start, Sale.sold_on <= today)).one()
    families = (select(SaleLine.client_id, func.count(func.distinct(func.nullif(Product.family, ''))).label('n'))
                .join(Product, col(Product.id) == SaleLine.product_id)
                .where(SaleLine.tenant_id == tenant_id, SaleLine.sold_on > start, SaleLine.sold_on <= today)
                .group_by(SaleLine.client_id).subquery())
    multi = session.exec(select(func.count()).select_from(families).where(families.c.n >= 2)).one()
    single = session.exec(select(Client.id, Client.name, families.c.n.label('families'))
                          .join(families, families.c.client_id == Client.id)
                          .where(Client.tenant_id == tenant_id, families.c.n < 2)
                          .order_by(col(Client.name), col(Client.id)).limit(LIST_LIMIT)).all()
    revenue = (select(SaleLine.product_id, cast(func.sum(SaleLine.total_cents), BigInteger).label('revenue'))
               .where(SaleLine.tenant_id == tenant_id, SaleLine.sold_on > start, SaleLine.sold_on <= today)
               .group_by(SaleLine.product_id).subquery())
    ranked = select(revenue.c.product_id, revenue.c.revenue,
                    func.row_number().over(order_by=(revenue.c.revenue.desc(), revenue.c.product_id)).label('rank'),
                    func.count().over().label('products')).subquery()
    products, total, top = session.exec(
        select(func.count(), func.coalesce(func.sum(ranked.c.revenue), 0),
               func.coalesce(func.sum(case((ranked.c.rank <= (ranked.c.products + 9) // 10, ranked.c.revenue),
                                           else_=0)), 0))).one()
    top_rows = session.exec(select(Product.id, Product.name, Product.family, ranked.c.revenue.label('revenue_cents'))
                            .join(ranked, ranked.c.product_id == Product.id)
                            .where(ranked.c.rank <= min(TOP_PRODUCTS_SHOWN, math.ceil(products / 10) or 1))
                            .order_by(ranked.c.rank)).all()
    multi_share = multi / buyers if buyers else 0.0
    top_share = int(top) / int(total) if total else 1.0
    return _Component(
        points=10 * min(1.0, multi_share / 0.5) + 10 * _clamp((1 - top_share) / 0.5),
        metrics={'window_months': months, 'buyers': buyers, 'multi_family_buyers': multi,
                 'multi_family_share': round(multi_share, 4), 'products_sold': products,
                 'top_products': math.ceil(products / 10), 'revenue_cents': int(total),
                 'top_revenue_cents': int(top), 'top_share': round(top_share, 4)},
        details={'single_family_buyers': _client_rows(single),
                 'top_products': [{**row._mapping, 'share': round(row.revenue_cents / int(total), 4) if total else 0}
                                  for row in top_rows]})


# --- runs and journal ------------------------------------------------------------------------------------------------

def measure(session: Session, actor: Actor, *, today: date | None = None) -> DataAudit:
    """Audit the actor's tenant (managers and admins): the journal row, not yet added to any session."""
    require_manager(actor)
    today = today or local_today()
    started = perf_counter()
    tenant_id = actor.tenant_id
    parts = {'freshness': _freshness(session, tenant_id, today), 'email': _email(session, tenant_id),
             'phone': _phone(session, tenant_id), 'duplicates': _duplicates(session, tenant_id, today),
             'diversity': _diversity(session, tenant_id, today)}
    score = (math.floor(sum(part.points for part in parts.values()) + 0.5))
    return DataAudit(tenant_id=tenant_id, score=score, created_by=actor.user_id or None,
                     components={code: {'weight': WEIGHTS[code], 'score': round(part.points, 1),
                                        'metrics': part.metrics} for code, part in parts.items()},
                     details={code: part.details for code, part in parts.items()},
                     duration_ms=int((perf_counter() - started) * 1000))


def run_audit(session: Session, actor: Actor, *, today: date | None = None) -> AuditRead:
    """Audit the actor's tenant now and keep the run in the journal, in the caller's unit of work."""
    audit = measure(session, actor, today=today)
    session.add(audit)
    session.flush()
    return _read(session, audit)


def audit_now(actor: Actor, *, today: date | None = None) -> AuditRead:
    """`run_audit` for pages and the API: the tenant is read in a read-only unit of work (on SQLite, other users
    keep writing during the tens of seconds a big tenant takes), then the result is kept in a short one."""
    with read_scope() as session:
        audit = measure(session, actor, today=today)
    with session_scope() as session:
        session.add(audit)
        session.flush()
        return _read(session, audit)


def _previous_score(session: Session, audit: DataAudit) -> int | None:
    return session.exec(select(DataAudit.score).where(DataAudit.tenant_id == audit.tenant_id,
                                                      or_(DataAudit.created_at < audit.created_at,
                                                          and_(DataAudit.created_at == audit.created_at,
                                                               DataAudit.id < audit.id)))
                        .order_by(col(DataAudit.created_at).desc(), col(DataAudit.id).desc()).limit(1)).first()


def _unresolved(session: Session, tenant_id: int, details: dict) -> dict:
    """The stored lists, less the duplicate pairs already dealt with (a client of the pair archived or deleted):
    the journal keeps what the run found, the page shows what is left to do."""
    pairs = details.get('duplicates', {}).get('pairs', [])
    ids = {client['id'] for pair in pairs for client in (pair['a'], pair['b'])}
    if not ids:
        return details
    current = set(session.exec(select(Client.id).where(audited(tenant_id), col(Client.id).in_(ids))).all())
    left = [pair for pair in pairs if pair['a']['id'] in current and pair['b']['id'] in current]
    return {**details, 'duplicates': {**details['duplicates'], 'pairs': left}}


def _read(session: Session, audit: DataAudit) -> AuditRead:
    names = display_names(session, {audit.created_by}) if audit.created_by else {}
    return AuditRead(
        id=audit.id, score=audit.score, created_at=audit.created_at, created_by=audit.created_by,
        created_by_name=names.get(audit.created_by), duration_ms=audit.duration_ms,
        components=[ComponentRead(code=code, weight=audit.components[code]['weight'],
                                  score=audit.components[code]['score'], metrics=audit.components[code]['metrics'])
                    for code in COMPONENTS if code in audit.components],
        details=_unresolved(session, audit.tenant_id, audit.details), previous_score=_previous_score(session, audit))


def get_audit(session: Session, actor: Actor, audit_id: int) -> AuditRead:
    audit = session.get(DataAudit, audit_id)
    if audit is None or audit.tenant_id != actor.tenant_id:
        raise NotFound('error.audit_not_found')
    return _read(session, audit)


def latest_audit(session: Session, actor: Actor) -> AuditRead | None:
    audit = session.exec(select(DataAudit).where(DataAudit.tenant_id == actor.tenant_id)
                         .order_by(col(DataAudit.created_at).desc(), col(DataAudit.id).desc()).limit(1)).first()
    return _read(session, audit) if audit else None


def audit_history(session: Session, actor: Actor, *, limit: int = 60) -> list[AuditPoint]:
    """The latest `limit` runs, oldest first (for the chart): date, score and each component's points."""
    limit = max(1, min(limit, MAX_HISTORY))
    rows = session.exec(select(DataAudit.id, DataAudit.created_at, DataAudit.score, DataAudit.components)
                        .where(DataAudit.tenant_id == actor.tenant_id)
                        .order_by(col(DataAudit.created_at).desc(), col(DataAudit.id).desc()).limit(limit)).all()
    return [AuditPoint(id=row.id, created_at=row.created_at, score=row.score,
                       components={code: row.components[code]['score'] for code in COMPONENTS
                                   if code in row.components})
            for row in reversed(rows)]
