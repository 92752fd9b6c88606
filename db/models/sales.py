"""Seed 002's catalogue and sales. Money is kept in cents of the tenant's currency, so sums are exact everywhere.

A sale line repeats its sale's client and date: the analytics (RFM, families, popularity, cross-sell) then read the
lines alone, through covering indexes, instead of joining a million sales.
"""

from datetime import date

from sqlalchemy import BigInteger, CheckConstraint, Column, Date, Index, String, UniqueConstraint
from sqlmodel import Field

from db.models.base import TenantOwned, Timestamped, Versioned


class Product(TenantOwned, Timestamped, Versioned, table=True):
    __table_args__ = (
        UniqueConstraint('tenant_id', 'sku'),
        Index('ix_product_tenant_name', 'tenant_id', 'name'),
        Index('ix_product_tenant_family_price', 'tenant_id', 'family', 'price_cents'),
        CheckConstraint('price_cents >= 0', name='price_non_negative'),
    )

    id: int | None = Field(default=None, primary_key=True)
    sku: str = Field(max_length=64)
    name: str = Field(max_length=200)
    family: str = Field(default='', max_length=80)
    price_cents: int = Field(default=0, sa_column=Column(BigInteger, nullable=False, default=0))
    is_active: bool = Field(default=True)
    description: str | None = Field(default=None, max_length=1000)
    folded: str = Field(default='', max_length=300)  # SKU and name without accents or case: what search matches


class Sale(TenantOwned, Timestamped, table=True):
    """A purchase by a client: either lines (product × quantity × unit price) or a single amount."""

    __table_args__ = (
        Index('ix_sale_tenant_sold', 'tenant_id', 'sold_on', 'client_id', postgresql_include=['total_cents']),
        # total_cents as a key column, not an INCLUDE: SQLite then also answers RFM from the index alone.
        Index('ix_sale_tenant_client_sold', 'tenant_id', 'client_id', 'sold_on', 'total_cents'),
        Index('ix_sale_tenant_reference', 'tenant_id', 'reference'),  # a sale found by its invoice number
        CheckConstraint('total_cents >= 0', name='total_non_negative'),
    )

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key='client.id', ondelete='CASCADE', index=True)
    sold_on: date = Field(sa_type=Date)
    channel: str = Field(default='store', sa_type=String(16))
    currency: str = Field(default='DZD', max_length=3)
    total_cents: int = Field(default=0, sa_column=Column(BigInteger, nullable=False, default=0))
    reference: str | None = Field(default=None, max_length=60)
    note: str | None = Field(default=None, max_length=500)
    created_by: int | None = Field(default=None, foreign_key='user.id', ondelete='SET NULL')


class SaleLine(TenantOwned, table=True):
    __tablename__ = 'sale_line'
    __table_args__ = (
        Index('ix_sale_line_tenant_sold', 'tenant_id', 'sold_on', 'product_id', postgresql_include=['total_cents']),
        Index('ix_sale_line_tenant_client', 'tenant_id', 'client_id', 'product_id',
              postgresql_include=['sold_on', 'total_cents']),
        Index('ix_sale_line_tenant_product', 'tenant_id', 'product_id', 'client_id'),
        CheckConstraint('quantity > 0', name='quantity_positive'),
        CheckConstraint('unit_price_cents >= 0 AND total_cents >= 0', name='amounts_non_negative'),
    )

    id: int | None = Field(default=None, primary_key=True)
    sale_id: int = Field(foreign_key='sale.id', ondelete='CASCADE', index=True)
    product_id: int = Field(foreign_key='product.id', ondelete='RESTRICT')
    client_id: int = Field(foreign_key='client.id', ondelete='CASCADE')  # the sale's, repeated
    sold_on: date = Field(sa_type=Date)  # the sale's, repeated
    quantity: int
    unit_price_cents: int = Field(sa_column=Column(BigInteger, nullable=False))
    total_cents: int = Field(sa_column=Column(BigInteger, nullable=False))


class SaleDay(TenantOwned, table=True):
    """Sales totals per day and product family, kept up to date with every write: the dashboard's trend, revenue
    and family charts read a few hundred of these rows instead of the sales. `family` is '' for the day's whole
    sales (count and revenue of every sale, lines or not); other rows hold the revenue of the family's lines."""

    __tablename__ = 'sale_day'
    __table_args__ = (UniqueConstraint('tenant_id', 'day', 'family'),)

    id: int | None = Field(default=None, primary_key=True)
    day: date = Field(sa_type=Date)
    family: str = Field(default='', max_length=80)
    sales: int = Field(default=0)
    units: int = Field(default=0)
    revenue_cents: int = Field(default=0, sa_column=Column(BigInteger, nullable=False, default=0))


class SaleProductMonth(TenantOwned, table=True):
    """Sale lines per month and product, kept up to date with every write (services.sale_days): the dashboard's top
    products read the whole months of a period here (a few hundred rows a month) and only the days of its partial
    edge months from the lines. `month` is the month's first day."""

    __tablename__ = 'sale_product_month'
    # the unique constraint's index, (tenant_id, month, product_id), is also the one that reads a tenant's months
    __table_args__ = (UniqueConstraint('tenant_id', 'month', 'product_id'),)

    id: int | None = Field(default=None, primary_key=True)
    month: date = Field(sa_type=Date)
    product_id: int = Field(foreign_key='product.id', ondelete='CASCADE')
    lines: int = Field(default=0)
    units: int = Field(default=0)
    revenue_cents: int = Field(default=0, sa_column=Column(BigInteger, nullable=False, default=0))
