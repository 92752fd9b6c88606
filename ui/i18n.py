"""Translations: every visible string goes through `t(key)`; catalogs live in `ui/locales/<lang>.json`.

`translate` is pure (the API uses it with the request's language); `t` reads the signed-in user's choice.
"""

import json
from functools import cache
from pathlib import Path
from typing import Any

LOCALES_DIR = Path(__file__).parent / 'locales'
LANGUAGES = ('fr', 'en')


@cache
def catalog(language: str) -> dict[str, str]:
    return json.loads((LOCALES_DIR / f'{language}.json').read_text(encoding='utf-8'))


def translate(key: str, language: str, **params: Any) -> str:
    text = catalog(language if language in LANGUAGES else 'fr').get(key) or catalog('fr').get(key) or key
    try:
        return text.format(**params) if params else text
    except (KeyError, IndexError, ValueError):
        return text


def current_language() -> str:
    from nicegui import app

    from settings import get_settings

    try:
        chosen = app.storage.user.get('language')
    except RuntimeError:  # outside a page request (startup, background task)
        chosen = None
    return chosen if chosen in LANGUAGES else get_settings().language


def t(key: str, **params: Any) -> str:
    return translate(key, current_language(), **params)


def language_from_header(accept_language: str | None, default: str) -> str:
    """The first supported language of an HTTP Accept-Language header."""
    for part in (accept_language or '').split(','):
        code = part.split(';')[0].strip().lower()[:2]
        if code in LANGUAGES:
            return code
    return default
