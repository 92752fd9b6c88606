"""How the UI tells the user what happened: toasts for success, translated messages for domain errors.

A toast raised just before navigating would vanish with the page: `flash` keeps it for the next page instead,
and `frame` shows it there.
"""

from nicegui import app, ui

from services.errors import DomainError
from ui.i18n import t
from ui.navigation import go

FLASH_KEY = 'flash'


def saved(message_key: str = 'toast.saved', **params) -> None:
    ui.notify(t(message_key, **params), type='positive', position='top-right')


def flash(message_key: str = 'toast.saved', **params) -> None:
    app.storage.user[FLASH_KEY] = t(message_key, **params)


def saved_and_go(path: str, message_key: str = 'toast.saved', **params) -> None:
    flash(message_key, **params)
    go(path)


def show_flash() -> None:
    message = app.storage.user.pop(FLASH_KEY, None)
    if message:
        ui.timer(0.05, lambda: ui.notify(message, type='positive', position='top-right'), once=True)


def failed(error: DomainError) -> None:
    ui.notify(t(error.key, **error.params), type='negative', position='top-right', multi_line=True)
