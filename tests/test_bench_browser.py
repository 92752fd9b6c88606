"""`python -m bench.browser` at a tiny scale: SQLite, 200 clients, one round, no think time, no warm-up."""

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.browser import main
from bench.browser_screens import SCREENS
from db.engine import configure_engine
from tools.chromium import CHROMEDRIVER, CHROMIUM

ROW = re.compile(r'^(?P<screen>\w+)\s+(?P<cold>\d+)\s+\d+\s+(?P<in_app>\d+|—)\s+(?:\d+|—)\s+(?P<ttfb>\d+)\s+'
                 r'\d+\+\d+\s+(?P<failed>\d+)$', re.MULTILINE)


@pytest.fixture
def restore_engine() -> Iterator[None]:
    """The bench points the process engine at its own database: put the tests' one back afterwards."""
    yield
    configure_engine(os.environ['CRM_DATABASE_URL'])


def _require_chromium() -> None:
    missing = [path for path in (CHROMIUM, CHROMEDRIVER) if not (Path(path).is_file() or shutil.which(path))]
    if not missing:
        return
    message = f'{", ".join(missing)} not found: install Debian\'s chromium and chromium-driver'
    if os.environ.get('CI') == 'true':
        pytest.fail(message)
    pytest.skip(message)


def test_browser_bench_measures_every_screen(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                             restore_engine: None) -> None:
    _require_chromium()
    code = main(['--database-url', f'sqlite:///{tmp_path}/bench.db', '--clients', '200', '--rounds', '1',
                 '--warmup', '0', '--think', '0', '--timeout', '60', '--json', str(tmp_path / 'samples.json')])

    assert code == 0
    out = capsys.readouterr().out
    assert 'Created tenant «Bench» with 200 demo clients' in out
    rows = {match['screen']: match for match in ROW.finditer(out)}
    assert set(rows) == set(SCREENS), out
    assert all(row['failed'] == '0' for row in rows.values()), out
    assert all(row['in_app'] != '—' for row in rows.values()), out
    assert re.search(r'^server RSS: \d+ MiB after warm-up', out, re.MULTILINE)
    assert (tmp_path / 'samples.json').stat().st_size > 0
