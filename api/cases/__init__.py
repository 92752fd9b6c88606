"""Cases (dossiers), their notes and files."""

from fastapi import APIRouter

from api.cases import cases

router = APIRouter()
# in this order: the first route that matches wins
router.include_router(cases.router)
