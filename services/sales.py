"""Sales: what a client bought, on a day, through a channel — product lines or a single amount.

Amounts are given and shown in currency units (Decimal, two decimals) and kept in cents of the tenant's currency.
A sale, its lines and the daily totals (`sale_day`) are written in one transaction: a refused sale writes nothing.
Lists read the sale indexes (tenant, date) and (tenant, client, date); a family filter goes through the lines'
(tenant, date, product) index, so a period of a million-sale tenant stays quick.
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import delete, func, or_
from sqlmodel import Session, col, select

from db.models import AuditAction, Client, ClientStatus, Product, Role, Sale, SaleLine, SearchEntity, Tenant
from services import audit, sale_days, search
from services.actor import Actor, require_write
from services.clients import client_in_tenant
from services.clock import today
from services.errors import Forbidden, Invalid, NotFound
from services.paging import Page, PageRequest, fetch_page
from services.products import CENT, MAX_PRICE, money, to_cents
from services.users import display_names
from services.validation import DbId, clean_text

SALES_CHANNELS = ('store', 'online', 'phone', 'field', 'marketplace')
FIRST_SALE_DAY = date(2000, 1, 1)
MAX_LINES = 100
MAX_QUANTITY = 1_000_000
MAX_TOTAL = Decimal('99999999999.99')  # per sale: a hundred billion units of currency
MAX_REFERENCE, MAX_NOTE = 60, 500
MAX_SEARCHED_CLIENTS = 500


class SaleLineInput(BaseModel):
    product_id: DbId
    quantity: int = 1
    unit_price: Decimal | None = None  # None: the product's current price


class SaleInput(BaseModel):
    """A sale: `lines`, or a single `amount` (exactly one of them), in the tenant's currency."""

    client_id: DbId
    sold_on: date
    channel: str = 'store'
    lines: list[SaleLineInput] = Field(default_factory=list)
    amount: Decimal | None = None
    reference: str | None = Field(default=None, max_length=MAX_REFERENCE)
    note: str | None = Field(default=None, max_length=MAX_NOTE)


class SaleLineRead(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: int
    product_id: int
    sku: str
    name: str
    family: str
    quantity: int
    unit_price: Decimal
    total: Decimal


class SaleRead(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: int
    client_id: int
    client_name: str
    sold_on: date
    channel: str
    currency: str
    total: Decimal
    lines: list[SaleLineRead]
    reference: str | None
    note: str | None
    created_by: int | None
    created_by_name: str | None
    created_at: datetime


@dataclass(frozen=True)
class SaleFilter:
    start: date | None = None
    end: date | None = None
    family: str | None = None  # sales with at least one line of that family
    client_id: int | None = None
    channel: str | None = None
    search: str = ''  # words of the client's name, or the sale's reference


class SaleTotals(BaseModel):
    """The filtered sales at a glance; `family_revenue` is the family's share when the filter names one."""

    count: int
    revenue: Decimal
    average_basket: Decimal
    currency: str
    family_revenue: Decimal | None = None


class ClientSalesSummary(BaseModel):
    client_id: int
    count: int
    revenue: Decimal
    average_basket: Decimal
    first_sale: date | None
    last_sale: date | None
    currency: str


def tenant_currency(session: Session, tenant_id: int) -> str:
    tenant = session.get(Tenant, tenant_id)
    return tenant.currency if tenant else 'DZD'


def average(total_cents: int, count: int) -> Decimal:
    return (Decimal(total_cents) / count * CENT).quantize(CENT, ROUND_HALF_UP) if count else Decimal('0.00')


def may_delete(actor: Actor, created_by: int | None) -> bool:
    """Managers and admins delete any sale; an agent only the sales it entered."""
    return actor.can_write and (actor.role in (Role.ADMIN, Role.MANAGER) or created_by == actor.user_id)


# --- reading -------------------------------------------------------------------------------------------------------

def _reads(session: Session, actor: Actor, sales: list[Sale]) -> list[SaleRead]:
    if not sales:
        return []
    ids = [sale.id for sale in sales]
    names = dict(session.exec(select(Client.id, Client.name)
                              .where(col(Client.id).in_({sale.client_id for sale in sales}))).all())
    rows = session.exec(select(SaleLine, Product.sku, Product.name, Product.family)
                        .join(Product, col(Product.id) == SaleLine.product_id)
                        .where(SaleLine.tenant_id == actor.tenant_id, col(SaleLine.sale_id).in_(ids))
                        .order_by(col(SaleLine.sale_id), col(SaleLine.id))).all()
    lines: dict[int, list[SaleLineRead]] = {sale_id: [] for sale_id in ids}
    for line, sku, name, family in rows:
        lines[line.sale_id].append(SaleLineRead(
            id=line.id, product_id=line.product_id, sku=sku, name=name, family=family, quantity=line.quantity,
            unit_price=money(line.unit_price_cents), total=money(line.total_cents)))
    authors = display_names(session, {sale.created_by for sale in sales})
    return [SaleRead(id=sale.id, client_id=sale.client_id, client_name=names.get(sale.client_id, ''),
                     sold_on=sale.sold_on, channel=sale.channel, currency=sale.currency,
                     total=money(sale.total_cents), lines=lines[sale.id], reference=sale.reference, note=sale.note,
                     created_by=sale.created_by, created_by_name=authors.get(sale.created_by),
                     created_at=sale.created_at) for sale in sales]


def _check_filter(filters: SaleFilter) -> None:
    if filters.start and filters.end and filters.start > filters.end:
        raise Invalid('error.period_invalid', field='end')
    if filters.channel and filters.channel not in SALES_CHANNELS:
        raise Invalid('error.sale_channel_unknown', field='channel')


def _filtered(session: Session, actor: Actor, filters: SaleFilter):
    """The tenant's sales matching `filters`, as a query on Sale."""
    _check_filter(filters)
    query = select(Sale).where(Sale.tenant_id == actor.tenant_id)
    if filters.start:
        query = query.where(Sale.sold_on >= filters.start)
    if filters.end:
        query = query.where(Sale.sold_on <= filters.end)
    if filters.client_id:
        query = query.where(Sale.client_id == filters.client_id)
    if filters.channel:
        query = query.where(Sale.channel == filters.channel)
    if filters.family:
        query = query.where(col(Sale.id).in_(_family_lines(session, actor, filters, SaleLine.sale_id)))
    text = ' '.join(filters.search.split())
    if text:
        query = query.where(_searched(session, actor, text))
    return query


def _family_lines(session: Session, actor: Actor, filters: SaleFilter, *columns):
    """`columns` of the lines of the filter's family, period and client: a range of the lines' (tenant, date,
    product) index, the family's products given as a list."""
    products = session.exec(select(Product.id).where(Product.tenant_id == actor.tenant_id,
                                                     Product.family == filters.family)).all()
    lines = select(*columns).where(SaleLine.tenant_id == actor.tenant_id, col(SaleLine.product_id).in_(products))
    if filters.start:
        lines = lines.where(SaleLine.sold_on >= filters.start)
    if filters.end:
        lines = lines.where(SaleLine.sold_on <= filters.end)
    if filters.client_id:
        lines = lines.where(SaleLine.client_id == filters.client_id)
    return lines


def _searched(session: Session, actor: Actor, text: str):
    """Sales of the clients whose name holds the words, or whose reference is the text (as typed, in capitals or in
    small letters: three probes of the reference index). A few hundred clients go to the client index as a list of
    ids; beyond, they are so common that walking the newest sales finds a page at once."""
    by_reference = col(Sale.reference).in_({text, text.upper(), text.lower()})
    clients = search.matching_ids(session, actor.tenant_id, SearchEntity.CLIENT, text)
    if clients is None:
        return by_reference
    ids = session.exec(select(Client.id).where(Client.tenant_id == actor.tenant_id, col(Client.id).in_(clients))
                       .limit(MAX_SEARCHED_CLIENTS + 1)).all()
    if len(ids) <= MAX_SEARCHED_CLIENTS:
        clients = ids
    return or_(col(Sale.client_id).in_(clients), by_reference)


def list_sales(session: Session, actor: Actor, filters: SaleFilter, page: PageRequest) -> Page[SaleRead]:
    """The filtered sales, newest first."""
    rows, total = fetch_page(session, _filtered(session, actor, filters), page, col(Sale.sold_on).desc(),
                             col(Sale.id).desc())
    return Page(items=_reads(session, actor, rows), total=total, limit=page.limit, offset=page.offset)


def sales_totals(session: Session, actor: Actor, filters: SaleFilter) -> SaleTotals:
    """Count, revenue and average basket of the filtered sales (and the family's revenue within them)."""
    matching = _filtered(session, actor, filters).subquery()
    count, cents = session.exec(select(func.count(), func.coalesce(func.sum(matching.c.total_cents), 0))).one()
    family_revenue = None
    if filters.family:
        lines = _family_lines(session, actor, filters, func.coalesce(func.sum(SaleLine.total_cents), 0))
        if filters.channel or filters.search.strip():  # filters the lines do not carry: through their sales
            lines = lines.where(col(SaleLine.sale_id).in_(select(matching.c.id)))
        family_revenue = money(int(session.exec(lines).one()))
    return SaleTotals(count=count, revenue=money(int(cents)), average_basket=average(int(cents), count),
                      currency=tenant_currency(session, actor.tenant_id), family_revenue=family_revenue)


def _sale_in_tenant(session: Session, actor: Actor, sale_id: int) -> Sale:
    sale = session.get(Sale, sale_id)
    if sale is None or sale.tenant_id != actor.tenant_id:
        raise NotFound('error.sale_not_found')
    return sale


def get_sale(session: Session, actor: Actor, sale_id: int) -> SaleRead:
    return _reads(session, actor, [_sale_in_tenant(session, actor, sale_id)])[0]


def client_sales_summary(session: Session, actor: Actor, client_id: int) -> ClientSalesSummary:
    """A client's purchases at a glance: how many, how much, since when, until when. Its sales themselves come
    from `list_sales(SaleFilter(client_id=…))`."""
    client = client_in_tenant(session, actor, client_id)
    count, cents, first, last = session.exec(
        select(func.count(), func.coalesce(func.sum(Sale.total_cents), 0), func.min(Sale.sold_on),
               func.max(Sale.sold_on)).where(Sale.tenant_id == actor.tenant_id, Sale.client_id == client.id)).one()
    return ClientSalesSummary(client_id=client.id, count=count, revenue=money(int(cents)),
                              average_basket=average(int(cents), count), first_sale=first, last_sale=last,
                              currency=tenant_currency(session, actor.tenant_id))


# --- writing -------------------------------------------------------------------------------------------------------

def _sale_client(session: Session, actor: Actor, client_id: int) -> Client:
    client = session.get(Client, client_id)
    if client is None or client.tenant_id != actor.tenant_id:
        raise Invalid('error.sale_client_unknown', field='client_id')
    if client.status == ClientStatus.ARCHIVED:
        raise Invalid('error.sale_client_archived', field='client_id')
    return client


def _check_header(data: SaleInput) -> None:
    if data.sold_on > today():
        raise Invalid('error.sale_date_future', field='sold_on')
    if data.sold_on < FIRST_SALE_DAY:
        raise Invalid('error.sale_date_too_old', field='sold_on', year=FIRST_SALE_DAY.year)
    if data.channel not in SALES_CHANNELS:
        raise Invalid('error.sale_channel_unknown', field='channel')
    if bool(data.lines) == (data.amount is not None):
        raise Invalid('error.sale_lines_or_amount', field='amount' if data.lines else 'lines')
    if len(data.lines) > MAX_LINES:
        raise Invalid('error.sale_too_many_lines', field='lines', max=MAX_LINES)


def _priced_lines(session: Session, actor: Actor, data: SaleInput) -> list[SaleLine]:
    """The lines to write, priced and checked (unsaved: sale, client and date are set by the caller)."""
    wanted = {line.product_id for line in data.lines}
    products = {product.id: product for product in session.exec(
        select(Product).where(Product.tenant_id == actor.tenant_id, col(Product.id).in_(wanted)))}
    rows = []
    for index, line in enumerate(data.lines):
        product = products.get(line.product_id)
        if product is None:
            raise Invalid('error.sale_product_unknown', field=f'lines.{index}.product_id')
        if not product.is_active:
            raise Invalid('error.sale_product_archived', field=f'lines.{index}.product_id', name=product.name)
        if not 1 <= line.quantity <= MAX_QUANTITY:
            raise Invalid('error.sale_quantity_invalid', field=f'lines.{index}.quantity', max=MAX_QUANTITY)
        unit = product.price_cents if line.unit_price is None else \
            to_cents(line.unit_price, field=f'lines.{index}.unit_price', maximum=MAX_PRICE)
        rows.append(SaleLine(tenant_id=actor.tenant_id, sale_id=0, product_id=product.id, client_id=0,
                             sold_on=data.sold_on, quantity=line.quantity, unit_price_cents=unit,
                             total_cents=unit * line.quantity))
    return rows


def create_sale(session: Session, actor: Actor, data: SaleInput) -> SaleRead:
    """Check everything first, then write the sale, its lines and the daily totals together."""
    require_write(actor)
    client = _sale_client(session, actor, data.client_id)
    _check_header(data)
    reference = clean_text(data.reference, field='reference', max_length=MAX_REFERENCE) or None
    note = clean_text(data.note, field='note', max_length=MAX_NOTE) or None
    lines = _priced_lines(session, actor, data)
    if lines:
        total = sum(line.total_cents for line in lines)
        if total > MAX_TOTAL * 100:
            raise Invalid('error.sale_total_too_large', field='lines')
    else:
        total = to_cents(data.amount, field='amount', maximum=MAX_TOTAL, positive=True)
    sale = Sale(tenant_id=actor.tenant_id, client_id=client.id, sold_on=data.sold_on, channel=data.channel,
                currency=tenant_currency(session, actor.tenant_id), total_cents=total, reference=reference,
                note=note, created_by=actor.user_id or None)
    session.add(sale)
    session.flush()
    for line in lines:
        line.sale_id, line.client_id = sale.id, client.id
    session.add_all(lines)
    session.flush()
    sale_days.add_sale(session, sale, lines)
    audit.record(session, actor, tenant_id=actor.tenant_id, action=AuditAction.CREATE, entity='sale',
                 entity_id=sale.id, changes=audit.diff({}, {'client_id': client.id, 'sold_on': sale.sold_on,
                                                            'total': str(money(total)), 'lines': len(lines)}))
    return get_sale(session, actor, sale.id)


def delete_sale(session: Session, actor: Actor, sale_id: int) -> None:
    """Delete a sale (managers and admins, or the user who entered it), its lines and its share of the daily
    totals."""
    require_write(actor)
    sale = _sale_in_tenant(session, actor, sale_id)
    if not may_delete(actor, sale.created_by):
        raise Forbidden('error.sale_delete_forbidden')
    lines = list(session.exec(select(SaleLine).where(SaleLine.sale_id == sale.id)).all())
    sale_days.remove_sale(session, sale, lines)
    audit.record(session, actor, tenant_id=actor.tenant_id, action=AuditAction.DELETE, entity='sale',
                 entity_id=sale.id, changes={'client_id': sale.client_id, 'sold_on': sale.sold_on.isoformat(),
                                             'total': str(money(sale.total_cents))})
    session.execute(delete(SaleLine).where(col(SaleLine.sale_id) == sale.id))
    session.delete(sale)
    session.flush()
