"""E-mail and phone rules for clients and contacts: validated, and phones stored in E.164."""

import phonenumbers

from services.errors import Invalid
from services.validation import clean_email

DEFAULT_REGION = 'DZ'


def optional_email(value: str | None, *, field: str = 'email') -> str | None:
    if not (value or '').strip():
        return None
    return clean_email(value, field=field)


def optional_phone(value: str | None, *, field: str = 'phone', region: str = DEFAULT_REGION) -> str | None:
    """`+213 555 123 456` and `0555 12 34 56` both give `+213555123456`."""
    if not (value or '').strip():
        return None
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException as error:
        raise Invalid('error.phone_invalid', field=field) from error
    if not phonenumbers.is_valid_number(number):
        raise Invalid('error.phone_invalid', field=field)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display_phone(e164: str | None) -> str:
    if not e164:
        return ''
    try:
        return phonenumbers.format_number(phonenumbers.parse(e164), phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    except phonenumbers.NumberParseException:
        return e164
