"""The investor pipeline: board, statistics, a client's stage, and its settings."""

from pages.pipeline import pipeline_board, pipeline_settings


def register() -> None:
    pipeline_board.register()
    pipeline_settings.register()
