"""Units of work: one session per unit, committed on success and rolled back on error."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlmodel import Session

from db.engine import READ_FIRST, get_engine

_AFTER_COMMIT, _AFTER_ROLLBACK = 'after_commit', 'after_rollback'


def after_commit(session: Session, action: Callable[[], None]) -> None:
    """Run `action` once the unit of work has committed (never if it rolls back): e.g. removing files."""
    session.info.setdefault(_AFTER_COMMIT, []).append(action)


def after_rollback(session: Session, action: Callable[[], None]) -> None:
    """Run `action` if the unit of work fails: e.g. removing a file written for a row that was never saved."""
    session.info.setdefault(_AFTER_ROLLBACK, []).append(action)


def _new_session(*, read_first: bool) -> Session:
    engine = get_engine()
    return Session(engine.execution_options(**{READ_FIRST: True}) if read_first else engine, expire_on_commit=False)


@contextmanager
def session_scope(*, read_first: bool = False) -> Iterator[Session]:
    """A unit of work. By default it may write: on SQLite it waits for its turn to write before it starts.
    `read_first=True` is for work that mostly reads (showing a screen, answering a GET): it takes no lock, so
    readers never wait for writers; should it write after all, SQLite may refuse with «database is locked» when a
    writer went first (`db.engine.is_busy_error`), and the work can be run again as a writer."""
    session = _new_session(read_first=read_first)
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
    session = _new_session(read_first=True)
    try:
        yield session
    finally:
        session.rollback()
        session.close()
