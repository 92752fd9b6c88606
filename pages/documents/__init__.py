"""Documents of a client or a case: the panel and the download route."""

from pages.documents import documents_panel


def register() -> None:
    documents_panel.register()
