"""AI analysis of cases."""

from fastapi import APIRouter

from api.ai import ai

router = APIRouter()
# in this order: the first route that matches wins
router.include_router(ai.router)
