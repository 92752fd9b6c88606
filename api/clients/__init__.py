"""Clients, and seed 000's `/api/crm/...` endpoints (clients and cases)."""

from fastapi import APIRouter

from api.clients import clients

router = APIRouter()
# in this order: the first route that matches wins
router.include_router(clients.router)
