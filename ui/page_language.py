"""Quasar's own words (table paging, date pickers, the uploader, dialogs) in the signed-in user's language.

NiceGUI (3.18) writes a page's language into the HTML it serves: the `<html lang>`, the Quasar language pack the
page loads and `Quasar.lang.set(...)`, all from `Client.page.resolve_language()`, that is the `@ui.page`'s
`language` or else `ui.run(language=...)`: one language for every browser. `follow_user_language` gives this
browser's client its own copy of the page object carrying the user's language, before the HTML is built; the
header's language switch reloads the page, which builds it again in the new language.
"""

import copy

from nicegui import context

from ui.i18n import current_language

QUASAR_LANGUAGES = {'fr': 'fr', 'en': 'en-US'}  # ours → Quasar's language packs (nicegui/static/lang)


def quasar_language(language: str) -> str:
    return QUASAR_LANGUAGES.get(language, QUASAR_LANGUAGES['fr'])


def follow_user_language() -> None:
    """Serve this browser's page with Quasar in the user's language (call before the page's builder returns)."""
    client = context.client
    wanted = quasar_language(current_language())
    if client.page.resolve_language() == wanted:
        return
    page = copy.copy(client.page)  # the route's page object is shared by every browser: only this client's changes
    page.language = wanted
    client.page = page
