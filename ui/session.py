"""The signed-in user of a browser session, kept in `app.storage.user` and re-checked on every page.

NiceGUI keys `app.storage.user` by a browser id kept in Starlette's signed session cookie. Signing in must give the
browser a new id (else whoever planted a cookie in it before would share the signed-in session: fixation), and a
cookie can only be set by an HTTP response, while the login form talks over the websocket. So the form, once the
password is right, leaves a one-time ticket in the (old) storage and sends the browser to `FINISH_PATH`, an HTTP
route that checks the ticket, moves the browser to a new id with a new storage, signs it in there and redirects.

A page asked for while signed out (a link to `/cases/402` in an e-mail) is carried through the sign-in as
`/login?next=/cases/402`, kept in the ticket, and opened once signed in: only a path of this app (`safe_next`), never
another site. It is relative to the app: behind a proxy, NiceGUI puts the proxy's prefix in front of every redirect.
"""

import secrets
import time
import uuid
from urllib.parse import quote, urlencode, urlsplit

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import app
from sqlmodel import Session

from db.session import session_scope
from services.actor import Actor
from services.auth import actor_for
from settings import Settings
from ui.data import in_thread

LOGIN_PATH = '/login'
FINISH_PATH = '/login/finish'
TICKET_KEY = 'sign_in_ticket'
TICKET_SECONDS = 60
SIGNED_IN_KEYS = ('user_id', 'tenant_id', 'session_version')
NEXT_MAX_LENGTH = 2000
HOME_PATH = '/'


def safe_next(target: str | None) -> str | None:
    """`target` if it is a path of this app worth opening after signing in, else None: never another site (`//host`,
    `/\\host`, `https://…`, or a tab or line break a browser would drop to make one), never the sign-in itself."""
    if not target or len(target) > NEXT_MAX_LENGTH or not target.startswith('/') or target.startswith('//'):
        return None
    if '\\' in target or any(ord(char) < 0x20 or ord(char) == 0x7F for char in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or parts.path.startswith((LOGIN_PATH, '/logout')):
        return None
    return target


def requested_path(path: str, query: str = '') -> str:
    """The app-relative address of a request (its path decoded by the server), to carry through the sign-in."""
    quoted = quote(path, safe="/:@!$&'()*+,;=")
    return f'{quoted}?{query}' if query else quoted


def login_path(next_path: str | None = None) -> str:
    """The sign-in page, carrying where to go once signed in (nothing for the dashboard or an unsafe target)."""
    target = safe_next(next_path)
    return LOGIN_PATH if target in (None, HOME_PATH) else f'{LOGIN_PATH}?{urlencode({"next": target})}'


def session_cookie_options(settings: Settings) -> dict:
    """Starlette's session cookie (NiceGUI's browser id): always HttpOnly (Starlette's own), SameSite=Lax, and
    Secure when the settings say the app is served over HTTPS (CRM_COOKIE_SECURE; on in production by default)."""
    return {'same_site': 'lax', 'https_only': settings.session_cookie_secure}


def start_sign_in(actor: Actor, session_version: int, next_path: str | None = None) -> str:
    """After a right password, over the websocket: the URL that finishes the sign-in in a fresh session, then
    opens `next_path` (if safe) or the dashboard."""
    nonce = secrets.token_urlsafe(32)
    app.storage.user[TICKET_KEY] = {'nonce': nonce, 'expires': time.time() + TICKET_SECONDS,
                                    'user_id': actor.user_id, 'tenant_id': actor.tenant_id,
                                    'session_version': session_version, 'language': actor.language,
                                    'next': safe_next(next_path)}
    return f'{FINISH_PATH}?ticket={nonce}'


async def finish_sign_in(request: Request, ticket: str) -> str | None:
    """Redeem the ticket of this browser's storage (once, within a minute) in a new browser id: where to go now, or
    None if there was no such ticket."""
    pending = app.storage.user.pop(TICKET_KEY, None)
    if not isinstance(pending, dict) or not ticket or pending['expires'] < time.time() \
            or not secrets.compare_digest(str(pending['nonce']), ticket):
        return None
    language = pending['language'] or app.storage.user.get('language')
    app.storage.user.clear()  # the old id stays signed out, whoever else holds it
    await _renew_browser_id(request)
    app.storage.user.update({key: pending[key] for key in SIGNED_IN_KEYS})
    if language:
        app.storage.user['language'] = language
    return safe_next(pending.get('next')) or HOME_PATH


async def _renew_browser_id(request: Request) -> None:
    """Give this browser a new id (sent back in the session cookie) and an empty user storage under it.
    NiceGUI (3.18) creates a storage only for the id a request arrives with: `_create_user_storage` is the one
    private call this needs (tests/pages/test_login.py would fail if NiceGUI changed it)."""
    new_id = str(uuid.uuid4())
    await app.storage._create_user_storage(new_id)
    request.session['id'] = new_id


def keep_signed_in(session_version: int) -> None:
    """After the user changed the password here: this session carries on, all others end."""
    app.storage.user['session_version'] = session_version


def sign_out() -> None:
    language = app.storage.user.get('language')
    app.storage.user.clear()
    if language:
        app.storage.user['language'] = language


def is_signed_in() -> bool:
    return bool(app.storage.user.get('user_id'))


def stored_actor(session: Session) -> Actor | None:
    """The signed-in Actor of this browser, in the caller's unit of work (the pages' own HTTP routes)."""
    stored = app.storage.user
    user_id, tenant_id = stored.get('user_id'), stored.get('tenant_id')
    if not user_id or not tenant_id:
        return None
    return actor_for(session, user_id=user_id, tenant_id=tenant_id, session_version=stored.get('session_version'))


def _load_actor(user_id: int, tenant_id: int, session_version: int | None) -> Actor | None:
    with session_scope(read_first=True) as session:
        return actor_for(session, user_id=user_id, tenant_id=tenant_id, session_version=session_version)


async def current_actor() -> Actor | None:
    """The active user behind this browser, or None: a deactivated user, or one whose sessions were ended (password
    or role changed), is signed out at once."""
    user_id, tenant_id = app.storage.user.get('user_id'), app.storage.user.get('tenant_id')
    if not user_id or not tenant_id:
        return None
    actor = await in_thread(_load_actor, user_id, tenant_id, app.storage.user.get('session_version'))
    if actor is None:
        sign_out()
    return actor


def to_login(next_path: str | None = None) -> RedirectResponse:
    return RedirectResponse(login_path(next_path))
