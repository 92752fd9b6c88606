"""The services' messages (services.messages) in the reader's words: a translation key and its parameters, with
amounts (`<name>_cents`) written as `<name>` in the tenant's currency."""

from typing import Any

from components.formatting import format_money
from services.messages import Message
from ui.i18n import translate

DEFAULT_CURRENCY = 'DZD'


def reason_text(key: str, params: dict[str, Any], language: str, currency: str = DEFAULT_CURRENCY) -> str:
    """The message in `language`: amounts (`<name>_cents`) become `<name>` in the tenant's currency."""
    values: dict[str, Any] = {}
    for name, value in (params or {}).items():
        if name.endswith('_cents') and isinstance(value, int | float):
            values[name.removesuffix('_cents')] = format_money(value / 100, currency, language)
        elif isinstance(value, float) and value.is_integer():
            values[name] = int(value)
        else:
            values[name] = value
    return translate(key, language, **values)


def message_text(message: Message, language: str) -> str:
    """A `services.messages.Wording`: what the faces hand to a service that writes text."""
    return reason_text(message.key, message.params, language, message.currency or DEFAULT_CURRENCY)
