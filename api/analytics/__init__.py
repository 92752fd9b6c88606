"""Sales analytics: RFM, popularity, dashboard, audits, recommendations."""

from fastapi import APIRouter

from api.analytics import analytics, recommendations, rfm

router = APIRouter()
# in this order: the first route that matches wins
router.include_router(rfm.router)
router.include_router(analytics.router)
router.include_router(recommendations.router)
