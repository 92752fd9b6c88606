"""Sign-in: API tokens."""

from fastapi import APIRouter

from api.auth import auth

router = APIRouter()
# in this order: the first route that matches wins
router.include_router(auth.router)
