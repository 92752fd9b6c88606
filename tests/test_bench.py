import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.registry import SCENARIOS
from bench.runner import main
from db.engine import configure_engine


@pytest.fixture
def restore_engine() -> Iterator[None]:
    """The bench points the process engine at its own database: put the tests' one back afterwards."""
    yield
    configure_engine(os.environ['CRM_DATABASE_URL'])


def test_bench_prints_one_row_per_scenario(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                           restore_engine: None) -> None:
    code = main(['--database-url', f'sqlite:///{tmp_path}/bench.db', '--clients', '50',
                 '--iterations-scale', '0.01'])

    assert code == 0
    out = capsys.readouterr().out
    assert 'Created tenant «Bench» with 50 demo clients' in out
    assert re.search(r'^database: sqlite .*«Bench»: 50 clients', out, re.MULTILINE)
    rows = {match['name']: match for match in re.finditer(
        r'^(?P<name>\w+)\s+(?P<n>\d+)\s+(?P<p50>\d+\.\d+)\s+(?P<p95>\d+\.\d+)$', out, re.MULTILINE)}
    assert set(rows) == set(SCENARIOS)
    for row in rows.values():
        assert int(row['n']) >= 1
        assert 0 <= float(row['p50']) <= float(row['p95'])
