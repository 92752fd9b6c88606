"""How the UI tells the user what happened: toasts for success, translated messages for domain errors."""

from nicegui import ui

from services.errors import DomainError
from ui.i18n import t


def saved(message_key: str = 'toast.saved', **params) -> None:
    ui.notify(t(message_key, **params), type='positive', position='top-right')


def failed(error: DomainError) -> None:
    ui.notify(t(error.key, **error.params), type='negative', position='top-right', multi_line=True)
