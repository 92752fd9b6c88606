"""The product catalogue. Prices are JSON strings with two decimals ("1250.50"), accepted as numbers or strings."""

from typing import Annotated, Literal

from fastapi import APIRouter, Query, status
from pydantic import Field

from api.deps import ActorDep, PageDep, SessionDep
from api.schemas import IdPath, PageOut
from services import products as products_service
from services.products import MAX_FAMILY, ProductFilter, ProductInput, ProductRead

ProductSort = Literal['name', 'sku', 'family', 'price', 'updated_at']
Order = Literal['asc', 'desc']
Status = Literal['active', 'archived', 'all']
ACTIVE = {'active': True, 'archived': False, 'all': None}

router = APIRouter(tags=['products'])


class ProductPutIn(ProductInput):
    version: int | None = Field(default=None, description='The version you read; a stale one is refused (409).')


@router.get('/products', response_model=PageOut[ProductRead],
            summary='The catalogue, searched (SKU or name, without case or accents), filtered, sorted and paged')
def list_products(session: SessionDep, actor: ActorDep, page: PageDep, q: Annotated[str, Query(max_length=200)] = '',
                  family: Annotated[str | None, Query(max_length=MAX_FAMILY)] = None, status: Status = 'active',
                  sort: ProductSort = 'name', order: Order = 'asc') -> PageOut[ProductRead]:
    filters = ProductFilter(search=q, family=family, active=ACTIVE[status], sort=sort, descending=order == 'desc')
    result = products_service.list_products(session, actor, filters, page)
    return PageOut[ProductRead](items=result.items, total=result.total, limit=result.limit, offset=result.offset)


@router.get('/products/families', response_model=list[str], summary='The families used in the catalogue')
def list_families(session: SessionDep, actor: ActorDep) -> list[str]:
    return products_service.product_families(session, actor)


@router.post('/products', response_model=ProductRead, status_code=status.HTTP_201_CREATED,
             summary='Add a product (SKU unique in the tenant whatever its case: 409 otherwise)')
def create_product(body: ProductInput, session: SessionDep, actor: ActorDep) -> ProductRead:
    return products_service.create_product(session, actor, body)


@router.get('/products/{product_id}', response_model=ProductRead)
def get_product(product_id: IdPath, session: SessionDep, actor: ActorDep) -> ProductRead:
    return products_service.get_product(session, actor, product_id)


@router.put('/products/{product_id}', response_model=ProductRead,
            summary='Replace a product (send `version` to lock: a stale one is 409)')
def update_product(product_id: IdPath, body: ProductPutIn, session: SessionDep, actor: ActorDep) -> ProductRead:
    data = ProductInput(**body.model_dump(exclude={'version'}))
    return products_service.update_product(session, actor, product_id, data, expected_version=body.version)


@router.post('/products/{product_id}/archive', response_model=ProductRead,
             summary='Archive a product: kept on its sales, no longer offered for new ones')
def archive_product(product_id: IdPath, session: SessionDep, actor: ActorDep) -> ProductRead:
    return products_service.set_active(session, actor, product_id, False)


@router.post('/products/{product_id}/restore', response_model=ProductRead, summary='Bring an archived product back')
def restore_product(product_id: IdPath, session: SessionDep, actor: ActorDep) -> ProductRead:
    return products_service.set_active(session, actor, product_id, True)


@router.delete('/products/{product_id}', status_code=status.HTTP_204_NO_CONTENT,
               summary='Delete a product that was never sold (a sold one is 409: archive it instead)')
def delete_product(product_id: IdPath, session: SessionDep, actor: ActorDep) -> None:
    products_service.delete_product(session, actor, product_id)
