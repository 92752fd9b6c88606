"""Small input rules shared by services (one place per rule)."""

import re

from services.errors import Invalid

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
