"""AI analysis of cases: widgets, the case panel and the AI settings."""

from pages.ai import ai_settings


def register() -> None:
    ai_settings.register()
