"""Messages of the services: a translation key and its parameters, put into words by the faces (pages, API).

Services never translate. When a service must write text (an interaction it creates, say), its caller hands it a
`Wording`: the face's way of putting a message into words in a given language.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Message:
    """A translation key and its parameters; amounts are given in cents as `<name>_cents`, in `currency`."""

    key: str
    params: dict[str, Any] = field(default_factory=dict)
    currency: str | None = None


Wording = Callable[[Message, str], str]  # (message, language) → text
