"""A throwaway PostgreSQL cluster for the test session (or the server CRM_TEST_POSTGRES_URL names).

The clusters themselves live in `bench.postgres_cluster`, shared with the benches; this module keeps the names the
tests import.
"""

from bench.postgres_cluster import PG_BIN, available, throwaway_cluster

__all__ = ['PG_BIN', 'available', 'throwaway_cluster']
