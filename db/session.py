"""Units of work: one session per unit, committed on success and rolled back on error."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlmodel import Session

from db.engine import READ_ONLY, get_engine

_AFTER_COMMIT, _AFTER_ROLLBACK = 'after_commit', 'after_rollback'


def after_commit(session: Session, action: Callable[[], None]) -> None:
    """Run `action` once the unit of work has committed (never if it rolls back): e.g. removing files."""
    session.info.setdefault(_AFTER_COMMIT, []).append(action)


def after_rollback(session: Session, action: Callable[[], None]) -> None:
    """Run `action` if the unit of work fails: e.g. removing a file written for a row that was never saved."""
    session.info.setdefault(_AFTER_ROLLBACK, []).append(action)


@contextmanager
def session_scope() -> Iterator[Session]:
    session = Session(get_engine(), expire_on_commit=False)
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        for action in session.info.pop(_AFTER_ROLLBACK, []):
            action()
        raise
    finally:
        actions = session.info.pop(_AFTER_COMMIT, [])
        session.info.pop(_AFTER_ROLLBACK, None)
        session.close()
    for action in actions:  # reached only after a successful commit
        action()


@contextmanager
def read_scope() -> Iterator[Session]:
    """A unit of work that only reads (long reports, audits): on SQLite it holds no write lock, so other users keep
    writing while it runs; whatever it might write is rolled back."""
    session = Session(get_engine().execution_options(**{READ_ONLY: True}), expire_on_commit=False)
    try:
        yield session
    finally:
        session.rollback()
        session.close()


def get_session() -> Iterator[Session]:
    """FastAPI dependency: the request's unit of work."""
    with session_scope() as session:
        yield session
