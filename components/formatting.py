"""Dates and numbers the French way (22/11/2026, 1 234 567,89) or the English way."""

from datetime import datetime
from zoneinfo import ZoneInfo

DISPLAY_ZONE = ZoneInfo('Africa/Algiers')


def format_datetime(moment: datetime | None, language: str = 'fr') -> str:
    if moment is None:
        return '—'
    local = moment.astimezone(DISPLAY_ZONE)
    return local.strftime('%d/%m/%Y %H:%M' if language == 'fr' else '%Y-%m-%d %H:%M')


def format_integer(value: int, language: str = 'fr') -> str:
    text = f'{value:,}'
    return text.replace(',', '\u202f') if language == 'fr' else text
