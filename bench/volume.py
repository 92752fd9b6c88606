"""`python -m bench.volume`: the bench at the volume of the speed targets, on a throwaway PostgreSQL 15.

100,000 clients by default (so 300,000 contacts, 200,000 cases, 1,000,000 notes, about 1,000,000 interactions
with 350,000 participants, 290,000 stage changes and 150,000 monthly KPI rows): the cluster is started in a
temporary directory (bench.postgres_cluster, the one the test suite uses, or CRM_TEST_POSTGRES_URL), filled by the
bench with `services.demo.fill_tenant` (the fill time is printed), benched, then thrown away. Other options go to
`python -m bench` unchanged (--scenario, --iterations-scale). From the repository root, with the server binaries
of PostgreSQL 15 installed (`postgresql-15`); about five minutes of fill on two cores, then the scenarios.
"""

import argparse
import sys
from collections.abc import Sequence

from bench.postgres_cluster import PG_BIN, available, throwaway_cluster
from bench.runner import main as bench

TARGET_CLIENTS = 100_000


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog='python -m bench.volume', description=__doc__.splitlines()[0])
    parser.add_argument('--clients', type=int, default=TARGET_CLIENTS,
                        help=f'demo clients of the bench tenant (default {TARGET_CLIENTS:,})')
    args, bench_options = parser.parse_known_args(argv)
    if not available():
        print(f'bench.volume: no PostgreSQL server binaries in {PG_BIN} (install postgresql-15, or set '
              'CRM_TEST_POSTGRES_URL to a disposable database)', file=sys.stderr)
        return 1
    with throwaway_cluster() as url:
        return bench(['--database-url', url, '--clients', str(args.clients), *bench_options])


if __name__ == '__main__':
    sys.exit(main())
