"""Sales: entry, lists with filters and their totals, a client's sales. Amounts are JSON strings with two decimals
("1726.50") in the tenant's currency, accepted as numbers or strings."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, status

from api.deps import ActorDep, PageDep, SessionDep
from api.schemas import IdPath, IdQuery, PageOut
from services import sales as sales_service
from services.clients import client_in_tenant
from services.products import MAX_FAMILY
from services.sales import ClientSalesSummary, SaleFilter, SaleInput, SaleRead, SaleTotals

router = APIRouter(tags=['sales'])


def sale_filter(start: Annotated[date | None, Query(description='First day included.')] = None,
                end: Annotated[date | None, Query(description='Last day included.')] = None,
                family: Annotated[str | None, Query(max_length=MAX_FAMILY,
                                                    description='Sales with a line of this family.')] = None,
                client_id: IdQuery = None,
                channel: Annotated[str | None, Query(max_length=16, description=' | '.join(
                    sales_service.SALES_CHANNELS))] = None,
                q: Annotated[str, Query(max_length=200, description="Words of the client's name, or a reference.")]
                = '') -> SaleFilter:
    return SaleFilter(start=start, end=end, family=family or None, client_id=client_id, channel=channel or None,
                      search=q)


FilterDep = Annotated[SaleFilter, Depends(sale_filter)]


@router.get('/sales', response_model=PageOut[SaleRead], summary='Sales, newest first, filtered and paged')
def list_sales(session: SessionDep, actor: ActorDep, page: PageDep, filters: FilterDep) -> PageOut[SaleRead]:
    result = sales_service.list_sales(session, actor, filters, page)
    return PageOut[SaleRead](items=result.items, total=result.total, limit=result.limit, offset=result.offset)


@router.get('/sales/totals', response_model=SaleTotals,
            summary='Count, revenue and average basket of the filtered sales (and the family share)')
def sales_totals(session: SessionDep, actor: ActorDep, filters: FilterDep) -> SaleTotals:
    return sales_service.sales_totals(session, actor, filters)


@router.post('/sales', response_model=SaleRead, status_code=status.HTTP_201_CREATED,
             summary='Record a sale: `lines` (unit price left out: the product\'s) or a single `amount`; '
                     'a refused sale writes nothing (422 with the `field` at fault, e.g. "lines.1.quantity")')
def create_sale(body: SaleInput, session: SessionDep, actor: ActorDep) -> SaleRead:
    return sales_service.create_sale(session, actor, body)


@router.get('/sales/{sale_id}', response_model=SaleRead)
def get_sale(sale_id: IdPath, session: SessionDep, actor: ActorDep) -> SaleRead:
    return sales_service.get_sale(session, actor, sale_id)


@router.delete('/sales/{sale_id}', status_code=status.HTTP_204_NO_CONTENT,
               summary='Delete a sale (managers and admins, or the user who entered it)')
def delete_sale(sale_id: IdPath, session: SessionDep, actor: ActorDep) -> None:
    sales_service.delete_sale(session, actor, sale_id)


@router.get('/clients/{client_id}/sales', response_model=PageOut[SaleRead], summary="A client's sales, newest first")
def client_sales(client_id: IdPath, session: SessionDep, actor: ActorDep, page: PageDep) -> PageOut[SaleRead]:
    client_in_tenant(session, actor, client_id)  # 404 for another tenant's client
    result = sales_service.list_sales(session, actor, SaleFilter(client_id=client_id), page)
    return PageOut[SaleRead](items=result.items, total=result.total, limit=result.limit, offset=result.offset)


@router.get('/clients/{client_id}/sales/summary', response_model=ClientSalesSummary,
            summary="A client's purchases at a glance: count, revenue, average basket, first and last sale")
def client_sales_summary(client_id: IdPath, session: SessionDep, actor: ActorDep) -> ClientSalesSummary:
    return sales_service.client_sales_summary(session, actor, client_id)
