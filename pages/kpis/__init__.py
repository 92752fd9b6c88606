"""Monthly KPIs per client."""

from pages.kpis import kpi_views


def register() -> None:
    kpi_views.register()
