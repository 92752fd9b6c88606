"""Catalogue and sales test data, written straight to the tables (fast enough for hundreds of sales per test).

Daily totals are rebuilt after each call, so dashboards see the sales exactly as if they had been entered by hand.
"""

from dataclasses import dataclass
from datetime import date
from itertools import count

from sqlmodel import select

from db.models import Product, Sale, SaleLine
from db.session import session_scope
from services import sale_days
from services.actor import Actor
from services.products import folded

_sequence = count(1)


def make_product(actor: Actor, name: str | None = None, *, family: str = 'Épicerie', price: int = 1000,
                 sku: str | None = None, is_active: bool = True) -> int:
    """A product; `price` in whole currency units. Returns its id."""
    number = next(_sequence)
    with session_scope() as session:
        sku, name = sku or f'SKU-{number:05d}', name or f'Produit {number}'
        product = Product(tenant_id=actor.tenant_id, sku=sku, name=name, folded=folded(sku, name),
                          family=family, price_cents=price * 100, is_active=is_active)
        session.add(product)
        session.flush()
        return product.id


@dataclass(frozen=True)
class Line:
    product_id: int
    quantity: int = 1
    unit_price: int | None = None  # whole units; None: the product's price


def make_sale(actor: Actor, client_id: int, sold_on: date, lines: list[Line] | None = None, *,
              amount: int | None = None, channel: str = 'store') -> int:
    """A sale of `lines`, or of a single `amount` (whole units). Returns its id."""
    return make_sales(actor, [(client_id, sold_on, lines, amount)], channel=channel)[0]


def make_sales(actor: Actor, sales: list[tuple[int, date, list[Line] | None, int | None]], *,
               channel: str = 'store') -> list[int]:
    """Many sales in one transaction: (client id, date, lines or None, amount or None) each."""
    ids = []
    with session_scope() as session:
        prices = dict(session.exec(select(Product.id, Product.price_cents)
                                   .where(Product.tenant_id == actor.tenant_id)).all())
        for client_id, sold_on, lines, amount in sales:
            rows = [SaleLine(tenant_id=actor.tenant_id, sale_id=0, product_id=line.product_id, client_id=client_id,
                             sold_on=sold_on, quantity=line.quantity,
                             unit_price_cents=(line.unit_price * 100 if line.unit_price is not None
                                               else prices[line.product_id]),
                             total_cents=0) for line in lines or []]
            for row in rows:
                row.total_cents = row.quantity * row.unit_price_cents
            total = sum(row.total_cents for row in rows) if rows else (amount or 0) * 100
            sale = Sale(tenant_id=actor.tenant_id, client_id=client_id, sold_on=sold_on, channel=channel,
                        total_cents=total, created_by=actor.user_id)
            session.add(sale)
            session.flush()
            for row in rows:
                row.sale_id = sale.id
            session.add_all(rows)
            ids.append(sale.id)
        session.flush()
        sale_days.rebuild(session, actor.tenant_id)
    return ids
