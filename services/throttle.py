"""The per-address limit on failed sign-ins: so many failures in a sliding window, then a pause.

Counted in the database, so every instance of the app sees the same count. `SignInThrottle` is all that the
sign-in needs: another store (Redis, once the app scales out) only has to answer the same two questions.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from math import ceil
from typing import Protocol

from sqlmodel import Session, col, delete, select

from db.models import SignInFailure

MAX_SOURCE_LENGTH = 64  # an IPv6 address with a zone fits


@dataclass(frozen=True)
class ThrottlePolicy:
    max_failures: int = 10
    window: timedelta = timedelta(minutes=5)


class SignInThrottle(Protocol):
    def retry_after(self, source: str, now: datetime) -> int | None:
        """Seconds before `source` may try again, or None when it may try now."""

    def record_failure(self, source: str, now: datetime) -> None:
        ...


def source_key(address: str | None) -> str:
    """The address a failure is counted under (requests without one share a single count)."""
    return (address or 'unknown').strip()[:MAX_SOURCE_LENGTH] or 'unknown'


class DatabaseThrottle:
    """Failures as rows of `sign_in_failure`, written in the caller's unit of work."""

    def __init__(self, session: Session, policy: ThrottlePolicy) -> None:
        self.session, self.policy = session, policy

    def retry_after(self, source: str, now: datetime) -> int | None:
        # The failure that must leave the window before another try: the max_failures-th most recent.
        blocking = self.session.exec(
            select(SignInFailure.failed_at)
            .where(SignInFailure.source == source_key(source), SignInFailure.failed_at > now - self.policy.window)
            .order_by(col(SignInFailure.failed_at).desc())
            .offset(self.policy.max_failures - 1).limit(1)).first()
        if blocking is None:
            return None
        return max(1, ceil((blocking + self.policy.window - now).total_seconds()))

    def record_failure(self, source: str, now: datetime) -> None:
        self.session.exec(delete(SignInFailure).where(SignInFailure.failed_at <= now - self.policy.window))
        self.session.add(SignInFailure(source=source_key(source), failed_at=now))
