"""Interactions, monthly KPIs and the signed inbound webhook."""

from fastapi import APIRouter

from api.activities import interactions, kpis, webhooks

router = APIRouter()
# in this order: the first route that matches wins
router.include_router(interactions.router)
router.include_router(kpis.router)
router.include_router(webhooks.router)
