"""Domain errors: raised by services, mapped once to a notification (UI) and once to an HTTP status (API).

Each carries a translation key and its parameters, so that each surface speaks the user's language.
"""

from typing import Any


class DomainError(Exception):
    status_code = 400
    default_key = 'error.invalid'

    def __init__(self, key: str | None = None, **params: Any) -> None:
        self.key = key or self.default_key
        self.params = params
        super().__init__(self.key)


class NotFound(DomainError):
    status_code = 404
    default_key = 'error.not_found'


class Forbidden(DomainError):
    status_code = 403
    default_key = 'error.forbidden'


class Unauthorized(DomainError):
    status_code = 401
    default_key = 'error.unauthorized'


class Invalid(DomainError):
    status_code = 422
    default_key = 'error.invalid'

    def __init__(self, key: str | None = None, *, field: str | None = None, **params: Any) -> None:
        super().__init__(key, **params)
        self.field = field


class Conflict(DomainError):
    status_code = 409
    default_key = 'error.conflict'


class Busy(DomainError):
    """Too much of one kind of work at once (e.g. every outgoing-call thread waiting on a slow LLM): the request is
    refused at once rather than left waiting; HTTP 503 with `Retry-After: retry_after` seconds."""

    status_code = 503
    default_key = 'error.busy'

    def __init__(self, key: str | None = None, *, retry_after: int = 5, **params: Any) -> None:
        super().__init__(key, **params)
        self.retry_after = retry_after


class TooManyAttempts(DomainError):
    """Too many failed sign-ins from one address: try again in `retry_after_seconds`."""

    status_code = 429
    default_key = 'error.too_many_attempts'

    def __init__(self, key: str | None = None, *, retry_after_seconds: int | None = None, **params: Any) -> None:
        super().__init__(key, **params)
        self.retry_after_seconds = retry_after_seconds
