"""Dates and numbers the French way (22/11/2026, 1 234 567,89) or the English way."""

from datetime import date, datetime
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


def format_date(day: date | None, language: str = 'fr') -> str:
    if day is None:
        return '—'
    return day.strftime('%d/%m/%Y' if language == 'fr' else '%Y-%m-%d')


def human_size(size: int, language: str = 'fr') -> str:
    """A size in bytes the one way the app writes it: «71 o», «1,2 Mo» (fr) or «71 B», «1.2 MB» (en); powers of
    1024, one decimal from the kilobyte on."""
    units = ('o', 'Ko', 'Mo', 'Go') if language == 'fr' else ('B', 'KB', 'MB', 'GB')
    value, unit = float(size), 0
    while value >= 1024 and unit < len(units) - 1:
        value, unit = value / 1024, unit + 1
    text = f'{value:.0f}' if unit == 0 else f'{value:.1f}'.removesuffix('.0')
    return f'{text.replace(".", ",") if language == "fr" else text} {units[unit]}'


def format_money(amount, currency: str = 'DZD', language: str = 'fr', *, decimals: int = 2) -> str:
    """1234567.5 → «1 234 567,50 DZD» (fr) or «1,234,567.50 DZD» (en); decimals=0: «1 234 568 DZD»."""
    text = f'{amount:,.{decimals}f}'
    if language == 'fr':
        text = text.replace(',', '\u202f').replace('.', ',')
    return f'{text} {currency}'


def format_days(days: float, language: str = 'fr') -> str:
    """A stay or an age in days: «3 j», «< 1 j» (fr) or «3 d», «< 1 d» (en)."""
    unit = 'j' if language == 'fr' else 'd'
    return f'< 1 {unit}' if days < 1 else f'{int(days)} {unit}'


def format_percent(value: float, language: str = 'fr', *, signed: bool = False) -> str:
    """12.5 → «12,5 %» (fr) or «12.5%» (en); signed: «+12,5 %», «−3 %». One decimal at most."""
    number = f'{abs(value):,.1f}'.removesuffix('.0')
    if language == 'fr':
        number = number.replace(',', '\u202f').replace('.', ',')
    sign = ('+' if value > 0 else '\u2212' if value < 0 else '') if signed else ('-' if value < 0 else '')
    return f'{sign}{number}\u202f%' if language == 'fr' else f'{sign}{number}%'
