"""Sales analytics benchmarks on the bench tenant's demo sales (`services.demo.fill_tenant` gives each client about
10 sales): the RFM computation, product popularity, the dashboard of the last 12 months, the recommendations for all
clients and the data-quality audit, each in its own unit of work as the analytics run and the pages do them.

These keep the scenarios runnable at any scale (the bench test runs them on 50 clients); the figures at the volume
of the targets come from `python -m bench.sales_volume`.
"""

from bench.registry import BenchContext, scenario
from bench.scenarios import _actor
from db.session import session_scope
from services.analytics import dashboard, data_audit, popularity, recommendations, rfm


@scenario('analytics_rfm', iterations=5)
def analytics_rfm(ctx: BenchContext) -> None:
    """RFM scores, profiles and segments of the whole tenant (compute_profiles, 24 months), committed."""
    with session_scope() as session:
        summary = rfm.compute_profiles(session, ctx.tenant.id)
    if ctx.clients and not summary.clients:
        raise RuntimeError('analytics_rfm: no client profiled, the bench tenant has no sales')


@scenario('analytics_popularity', iterations=5)
def analytics_popularity(ctx: BenchContext) -> None:
    """Product popularity of the tenant (compute_popularity), committed."""
    with session_scope() as session:
        popularity.compute_popularity(session, ctx.tenant.id)


def _profiled(ctx: BenchContext) -> None:
    """Recommendations and the dashboard's segments read the profiles and the popularity: compute them once."""
    _actor(ctx)
    with session_scope() as session:
        rfm.compute_profiles(session, ctx.tenant.id)
        popularity.compute_popularity(session, ctx.tenant.id)


@scenario('analytics_dashboard_12m', iterations=30, setup=_profiled)
def analytics_dashboard_12m(ctx: BenchContext) -> None:
    """The sales dashboard of the last 12 months (KPIs, trend, families, top products, segments)."""
    with session_scope() as session:
        board = dashboard.dashboard(session, ctx.state['actor'], dashboard.resolve_period('12m'))
    if ctx.clients and not board.has_sales:
        raise RuntimeError('analytics_dashboard_12m: the dashboard sees no sales')


@scenario('analytics_recommendations', iterations=3, setup=_profiled)
def analytics_recommendations(ctx: BenchContext) -> None:
    """Recommendations for every client (all five scenarios), committed."""
    with session_scope() as session:
        recommendations.generate_recommendations(session, ctx.tenant.id)


@scenario('analytics_audit', iterations=3, setup=_actor)
def analytics_audit(ctx: BenchContext) -> None:
    """The data-quality audit of the tenant (freshness, e-mails, phones, duplicates, diversity), journaled."""
    with session_scope() as session:
        audit = data_audit.run_audit(session, ctx.state['actor'])
    if not 0 <= audit.score <= 100:
        raise RuntimeError(f'analytics_audit: score {audit.score}')
