"""The signed-in user of a browser session, kept in `app.storage.user` and re-checked on every page."""

from fastapi.responses import RedirectResponse
from nicegui import app

from db.session import session_scope
from services.actor import Actor
from services.auth import actor_for
from ui.data import in_thread

LOGIN_PATH = '/login'


def sign_in(actor: Actor) -> None:
    app.storage.user.update({'user_id': actor.user_id, 'tenant_id': actor.tenant_id,
                             'language': actor.language or app.storage.user.get('language')})


def sign_out() -> None:
    language = app.storage.user.get('language')
    app.storage.user.clear()
    if language:
        app.storage.user['language'] = language


def is_signed_in() -> bool:
    return bool(app.storage.user.get('user_id'))


def _load_actor(user_id: int, tenant_id: int) -> Actor | None:
    with session_scope(read_first=True) as session:
        return actor_for(session, user_id=user_id, tenant_id=tenant_id)


async def current_actor() -> Actor | None:
    """The active user behind this browser, or None (a deactivated user is signed out at once)."""
    user_id, tenant_id = app.storage.user.get('user_id'), app.storage.user.get('tenant_id')
    if not user_id or not tenant_id:
        return None
    actor = await in_thread(_load_actor, user_id, tenant_id)
    if actor is None:
        sign_out()
    return actor


def to_login() -> RedirectResponse:
    return RedirectResponse(LOGIN_PATH)
