"""Administration: users and the audit log."""

from fastapi import APIRouter

from api.admin import audit, users

router = APIRouter()
# in this order: the first route that matches wins
router.include_router(users.router)
router.include_router(audit.router)
