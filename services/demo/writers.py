"""Writing demo rows fast: executemany on SQLite, COPY from a writer thread on PostgreSQL.

A chunk maps keys of `WRITES` to their rows (dicts), and may add `tables`: (model, columns, rows) with rows as
tuples whose values are already what the database stores (dates and times as text), written after the others.
"""

import contextlib
import json
import queue
import threading
from array import array
from collections.abc import Sequence
from operator import itemgetter

import psycopg
from sqlalchemy import Table, insert, text
from sqlmodel import Session

from db.models import (
    Case,
    CaseStatusChange,
    Client,
    ClientKpi,
    ClientTag,
    Contact,
    Interaction,
    InteractionParticipant,
    Note,
    SearchEntry,
    StageChange,
)
from services.demo.columns import (
    CASE_COLUMNS,
    CLIENT_COLUMNS,
    CONTACT_COLUMNS,
    INTERACTION_COLUMNS,
    JSON_COLUMNS,
    KPI_COLUMNS,
    NOTE_COLUMNS,
    PARTICIPANT_COLUMNS,
    SEARCH_COLUMNS,
    STAGE_CHANGE_COLUMNS,
    STATUS_CHANGE_COLUMNS,
    TAG_COLUMNS,
)

BULK_SETTINGS = (('gin_pending_list_limit', '1GB'), ('maintenance_work_mem', '256MB'))
# Tables in foreign-key order, with the chunk key of their rows and the columns written.
WRITES = ((Client, 'clients', CLIENT_COLUMNS), (ClientTag, 'tags', TAG_COLUMNS), (Contact, 'contacts', CONTACT_COLUMNS),
          (Case, 'cases', CASE_COLUMNS), (CaseStatusChange, 'status_changes', STATUS_CHANGE_COLUMNS),
          (Note, 'notes', NOTE_COLUMNS), (SearchEntry, 'search_entries', SEARCH_COLUMNS),
          (StageChange, 'stage_changes', STAGE_CHANGE_COLUMNS), (Interaction, 'interactions', INTERACTION_COLUMNS),
          (InteractionParticipant, 'participants', PARTICIPANT_COLUMNS), (ClientKpi, 'kpis', KPI_COLUMNS))


class SqliteWriter:
    """executemany through SQLAlchemy Core, chunk after chunk; ids follow the largest one (the unit of work holds
    SQLite's write lock from its first statement, so nobody else takes them)."""

    def __init__(self, session: Session) -> None:
        self.session, self.last_ids = session, {}

    def __enter__(self) -> 'SqliteWriter':
        return self

    def __exit__(self, *_) -> None:
        return None

    def ids(self, model, count: int) -> Sequence[int]:
        table: Table = model.__table__
        if table.name not in self.last_ids:
            self.last_ids[table.name] = self.session.execute(
                text(f'SELECT coalesce(max(id), 0) FROM "{table.name}"')).scalar_one()
        first = self.last_ids[table.name] + 1
        self.last_ids[table.name] += count
        return range(first, first + count)

    def submit(self, chunk: dict[str, list]) -> None:
        for model, key, _ in WRITES:
            if chunk.get(key):
                self.session.execute(insert(model.__table__), chunk[key])  # Core: one executemany a table
        for model, columns, rows in chunk.get('tables', ()):  # tuples, values as the database stores them
            if rows:
                self.session.connection().exec_driver_sql(
                    f'INSERT INTO "{model.__table__.name}" ({", ".join(columns)}) '
                    f'VALUES ({", ".join("?" * len(columns))})', rows)


class PostgresWriter:
    """COPY into the tables on the session's connection (so in its transaction), from a thread: PostgreSQL
    stores one chunk while Python generates the next. Ids come from the tables' own sequences, drawn on a
    second connection (nextval is not transactional), so drawing them never waits for a COPY.

    New search entries go to the pending lists of the GIN indexes, merged into them once per chunk
    (`gin_clean_pending_list`, sorted in bulk): about twice as fast as letting each COPY merge 4 MB at a time.
    Without the right to do that (the index owner's), the usual settings stay.

    The fill commits synchronously even on a server with `synchronous_commit = off`: after an asynchronous commit,
    the VACUUM that `refresh_statistics` runs right away cannot mark the first tables' pages all-visible (their
    rows lack the "committed" hint bit), and the list and board counts lose their index-only scans.
    """

    def __init__(self, session: Session) -> None:
        self.raw = session.connection().connection.driver_connection
        bind = session.get_bind()
        self.engine = getattr(bind, 'engine', bind)
        self.queue: queue.Queue = queue.Queue(maxsize=1)  # one chunk being written, one waiting: bounded memory
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name='demo-copy', daemon=True)
        self.gin_indexes: list[str] = []
        self.saved: dict[str, str] = {}

    def __enter__(self) -> 'PostgresWriter':
        self.id_connection = self.engine.connect().execution_options(isolation_level='AUTOCOMMIT')
        with self.raw.cursor() as cursor:
            cursor.execute("SELECT set_config('synchronous_commit', 'on', true)")
            self.gin_indexes = [row[0] for row in cursor.execute(
                "SELECT index.relname FROM pg_index JOIN pg_class index ON index.oid = pg_index.indexrelid "
                "JOIN pg_am ON pg_am.oid = index.relam WHERE pg_index.indrelid = 'search_entry'::regclass "
                "AND pg_am.amname = 'gin' ORDER BY index.relname")]
            if self.gin_indexes:
                for name, value in BULK_SETTINGS:
                    self.saved[name] = cursor.execute('SELECT current_setting(%s)', (name,)).fetchone()[0]
                    cursor.execute('SELECT set_config(%s, %s, true)', (name, value))
        self.thread.start()
        return self

    def __exit__(self, kind, error, _traceback) -> None:
        if error is not None:  # the generator failed: drop the chunk still waiting, the unit of work will roll back
            with contextlib.suppress(queue.Empty):
                self.queue.get_nowait()
        self._put(None)
        self.thread.join()
        self.id_connection.close()
        if self.error is not None:
            if error is None:
                raise self.error
            return
        if self.saved:
            with self.raw.cursor() as cursor:
                for name, value in self.saved.items():
                    cursor.execute('SELECT set_config(%s, %s, true)', (name, value))

    def ids(self, model, count: int) -> Sequence[int]:
        if not count:
            return []
        rows = self.id_connection.exec_driver_sql(
            "SELECT nextval(pg_get_serial_sequence(%(table)s, 'id')) FROM generate_series(1, %(count)s)",
            {'table': f'"{model.__table__.name}"', 'count': count})
        return array('q', (row[0] for row in rows))

    def submit(self, chunk: dict[str, list[dict]]) -> None:
        self._put(chunk)

    def _put(self, chunk: dict | None) -> None:
        while self.thread.is_alive():
            try:
                self.queue.put(chunk, timeout=0.5)
                return
            except queue.Full:
                continue
        if self.error is not None and chunk is not None:
            raise self.error

    def _run(self) -> None:
        try:
            while (chunk := self.queue.get()) is not None:
                for model, key, columns in WRITES:
                    self._copy(model.__table__.name, columns, chunk.get(key, ()))
                for model, columns, rows in chunk.get('tables', ()):
                    self._copy_tuples(model.__table__.name, columns, rows)
                self._clean_pending_lists()
        except BaseException as error:  # re-raised in the generating thread
            self.error = error

    def _copy(self, table: str, columns: Sequence[str], rows: list[dict]) -> None:
        if not rows:
            return
        values = itemgetter(*columns)
        as_json = [index for index, column in enumerate(columns) if (table, column) in JSON_COLUMNS]
        with self.raw.cursor() as cursor, cursor.copy(f'COPY "{table}" ({", ".join(columns)}) FROM STDIN') as copy:
            if not as_json:
                for row in rows:
                    copy.write_row(values(row))
                return
            for row in rows:
                record = list(values(row))
                for index in as_json:
                    record[index] = json.dumps(record[index], ensure_ascii=False, separators=(',', ':'))
                copy.write_row(record)

    def _copy_tuples(self, table: str, columns: Sequence[str], rows: list[tuple]) -> None:
        if not rows:
            return
        with self.raw.cursor() as cursor, cursor.copy(f'COPY "{table}" ({", ".join(columns)}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row(row)

    def _clean_pending_lists(self) -> None:
        if not self.gin_indexes:
            return
        with self.raw.cursor() as cursor:
            cursor.execute('SAVEPOINT demo_gin')
            try:
                for index in self.gin_indexes:
                    cursor.execute('SELECT gin_clean_pending_list(%s::regclass)', (index,))
                cursor.execute('RELEASE SAVEPOINT demo_gin')
            except psycopg.errors.InsufficientPrivilege:
                cursor.execute('ROLLBACK TO SAVEPOINT demo_gin')
                for name, value in self.saved.items():
                    cursor.execute('SELECT set_config(%s, %s, true)', (name, value))
                self.gin_indexes, self.saved = [], {}
