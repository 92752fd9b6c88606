"""SQLite, the default database, under several users at once: readers never wait for writers, writers wait their
turn inside the app, and a unit of work that cannot get its turn says «busy», never «database is locked»."""

import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import pytest
from sqlmodel import select

import db.engine
from db.engine import DatabaseBusy
from db.models import Client
from db.session import session_scope
from tests.factories import count_rows, make_client, make_tenant


@contextmanager
def writer_holding_the_lock(actor) -> Iterator[None]:
    """Another user in the middle of a write: its transaction holds SQLite's write lock until the block ends."""
    started, finish = threading.Event(), threading.Event()

    def write() -> None:
        with session_scope() as session:
            session.add(Client(tenant_id=actor.tenant_id, name='En cours'))
            session.flush()
            started.set()
            finish.wait(30)

    thread = threading.Thread(target=write)
    thread.start()
    assert started.wait(10)
    try:
        yield
    finally:
        finish.set()
        thread.join(30)


def test_reading_units_of_work_go_on_while_another_user_writes(sqlite_db):
    actor = make_tenant()
    make_client(actor, 'Déjà là')
    with writer_holding_the_lock(actor):
        started = time.monotonic()
        with session_scope(read_first=True) as session:
            names = session.exec(select(Client.name).where(Client.tenant_id == actor.tenant_id)).all()
        waited = time.monotonic() - started
    assert names == ['Déjà là']  # the snapshot before the other user's write
    assert waited < 2  # a write lock taken up front would have waited for the writer (or failed)
    assert count_rows(Client, tenant_id=actor.tenant_id) == 2


def test_many_writers_at_once_all_succeed_in_turn(sqlite_db):
    actor = make_tenant()

    def create(number: int) -> None:
        make_client(actor, f'Client {number}')

    with ThreadPoolExecutor(max_workers=20) as pool:
        list(pool.map(create, range(60)))
    assert count_rows(Client, tenant_id=actor.tenant_id) == 60


def test_a_writer_that_cannot_get_its_turn_is_told_the_database_is_busy(sqlite_db, monkeypatch):
    actor = make_tenant()
    monkeypatch.setattr(db.engine, 'WRITE_WAIT_SECONDS', 0.2)
    with writer_holding_the_lock(actor), pytest.raises(DatabaseBusy), session_scope() as session:
        session.add(Client(tenant_id=actor.tenant_id, name='Trop tard'))
        session.flush()
    make_client(actor, 'Après')  # the turn came back: nothing stayed locked
    assert sorted(session_scope_names(actor)) == ['Après', 'En cours']


def session_scope_names(actor) -> list[str]:
    with session_scope(read_first=True) as session:
        return list(session.exec(select(Client.name).where(Client.tenant_id == actor.tenant_id)).all())
