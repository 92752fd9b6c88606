"""The firm's calendar: "today", "overdue" and reference years follow CRM_TIMEZONE, not the server's clock."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from db.models import utcnow
from settings import get_settings


def local_now() -> datetime:
    return utcnow().astimezone(ZoneInfo(get_settings().timezone))


def today() -> date:
    return local_now().date()


def local_date(moment: datetime) -> date:
    """The firm's calendar day of a moment."""
    return moment.astimezone(ZoneInfo(get_settings().timezone)).date()
