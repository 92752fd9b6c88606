"""Small input rules shared by services (one place per rule)."""

import re
from typing import Annotated

from pydantic import Field

from services.errors import Invalid

# Row ids are 32-bit integers on PostgreSQL (and kept so on SQLite): a larger one is refused where it comes in (422
# naming the field) instead of overflowing in the database (a 500). Every id a service input model or the API accepts
# is a `DbId`.
MAX_ID = 2**31 - 1
DbId = Annotated[int, Field(ge=1, le=MAX_ID)]

# Also run by the databases (data-quality audit): Python's `re` and PostgreSQL's regular expressions read it alike.
EMAIL_PATTERN = r'^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$'
_EMAIL = re.compile(EMAIL_PATTERN)


def clean_email(value: str | None, *, field: str = 'email') -> str:
    email = (value or '').strip().lower()
    if not email:
        raise Invalid('error.required', field=field)
    if len(email) > 254 or not _EMAIL.match(email):
        raise Invalid('error.email_invalid', field=field)
    return email


def clean_text(value: str | None, *, field: str, max_length: int, required: bool = False) -> str:
    text = (value or '').strip()
    if required and not text:
        raise Invalid('error.required', field=field)
    if len(text) > max_length:
        raise Invalid('error.too_long', field=field, max=max_length)
    return text
