"""The catalogue and sales."""

from fastapi import APIRouter

from api.sales import products, sales

router = APIRouter()
# in this order: the first route that matches wins
router.include_router(products.router)
router.include_router(sales.router)
