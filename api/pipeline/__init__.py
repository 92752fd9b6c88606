"""The investor pipeline: stages, moves, statistics."""

from fastapi import APIRouter

from api.pipeline import pipeline

router = APIRouter()
# in this order: the first route that matches wins
router.include_router(pipeline.router)
