import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

_TEST_ROOT = Path(tempfile.mkdtemp(prefix='crm-test-'))
# Settings are read when the app module loads: point them at throwaway places first.
os.environ.update({
    'CRM_DATABASE_URL': f'sqlite:///{_TEST_ROOT}/crm.db',
    'CRM_DATA_DIR': str(_TEST_ROOT / 'data'),
    'CRM_DEMO_DATA': '0',
    'CRM_LANGUAGE': 'fr',
    'CRM_SECRET_KEY': 'test-secret-key-that-is-long-enough-for-hs256',
    # The fake LLM (tests/fake_llm.py) listens on 127.0.0.1, which outgoing calls refuse unless allowed.
    'CRM_OUTGOING_ALLOWED_HOSTS': '127.0.0.1',
})
os.environ.pop('CRM_ADMIN_PASSWORD', None)

import pytest  # noqa: E402
from sqlalchemy import text  # noqa: E402
from sqlalchemy.engine import Engine  # noqa: E402

from db.engine import configure_engine  # noqa: E402
from db.migrate import upgrade_to_head  # noqa: E402
from db.models import metadata  # noqa: E402
from settings import reload_settings  # noqa: E402
from tests import postgres  # noqa: E402

reload_settings()
SQLITE_URL = os.environ['CRM_DATABASE_URL']


@pytest.fixture(scope='session')
def postgres_url() -> Iterator[str]:
    if not postgres.available():
        if os.environ.get('CI') == 'true':
            pytest.fail('PostgreSQL is required in CI: install postgresql-15 or set CRM_TEST_POSTGRES_URL')
        pytest.skip('PostgreSQL binaries not found')
    with postgres.throwaway_cluster() as url:
        yield url


_migrated: set[str] = set()


def _fresh(url: str) -> Engine:
    engine = configure_engine(url)
    if url not in _migrated:
        upgrade_to_head(engine)
        _migrated.add(url)
    _empty_tables(engine)
    return engine


def _empty_tables(engine: Engine) -> None:
    tables = [table.name for table in metadata.sorted_tables]
    with engine.begin() as connection:
        if engine.dialect.name == 'postgresql':
            connection.execute(text('TRUNCATE ' + ', '.join(f'"{name}"' for name in tables)
                                    + ' RESTART IDENTITY CASCADE'))
        else:
            for name in reversed(tables):
                connection.execute(text(f'DELETE FROM "{name}"'))


@pytest.fixture(params=['sqlite', 'postgresql'])
def db(request: pytest.FixtureRequest) -> Iterator[Engine]:
    """The process engine on an empty, migrated database: each service and API test runs on both backends."""
    url = SQLITE_URL if request.param == 'sqlite' else request.getfixturevalue('postgres_url')
    yield _fresh(url)


@pytest.fixture
def sqlite_db() -> Iterator[Engine]:
    """The app's own database, emptied: for page and browser tests."""
    yield _fresh(SQLITE_URL)


from nicegui import app as _nicegui_app  # noqa: E402

_NICEGUI_LIFESPAN = _nicegui_app.router.lifespan_context


@pytest.fixture(autouse=True)
def _one_lifespan_per_replay() -> Iterator[None]:
    """NiceGUI's `user` fixture replays main.py for every test, and each `include_router` of `api.install` wraps the
    app's lifespan once more (FastAPI merges the router's into it); NiceGUI's reset does not undo it. Without this,
    the nesting grows by three per page test until Python's recursion limit breaks a late test's start-up."""
    _nicegui_app.router.lifespan_context = _NICEGUI_LIFESPAN
    yield
