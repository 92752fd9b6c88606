"""The dashboard and the global search."""

from pages.home import dashboard, search


def register() -> None:
    dashboard.register()
    search.register()
