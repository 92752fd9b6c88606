"""Units of work: one session per unit, committed on success and rolled back on error."""

from collections.abc import Iterator
from contextlib import contextmanager

from sqlmodel import Session

from db.engine import get_engine


@contextmanager
def session_scope() -> Iterator[Session]:
    session = Session(get_engine(), expire_on_commit=False)
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def get_session() -> Iterator[Session]:
    """FastAPI dependency: the request's unit of work."""
    with session_scope() as session:
        yield session
