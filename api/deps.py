"""What every API handler may depend on: the unit of work, the caller, paging."""

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Query, Request
from fastapi.security import OAuth2PasswordBearer
from sqlmodel import Session

from db.session import session_scope
from services.actor import Actor
from services.auth import actor_for_token
from services.errors import Unauthorized
from services.paging import MAX_PAGE_SIZE, PageRequest
from settings import get_settings

oauth2_scheme = OAuth2PasswordBearer(tokenUrl='/api/v1/auth/token', auto_error=False)

SAFE_METHODS = frozenset({'GET', 'HEAD', 'OPTIONS'})


def request_session(request: Request) -> Iterator[Session]:
    """The request's unit of work: a reading one for GET (no write lock on SQLite: readers never queue behind
    writers), a writing one otherwise (it waits for its turn to write before it starts)."""
    with session_scope(read_first=request.method in SAFE_METHODS) as session:
        yield session


# scope='function': commit before the response leaves, so a 201 means the row is saved.
SessionDep = Annotated[Session, Depends(request_session, scope='function')]


def current_actor(session: SessionDep, token: Annotated[str | None, Depends(oauth2_scheme)]) -> Actor:
    if not token:
        raise Unauthorized('error.token_missing')
    return actor_for_token(session, token, secret_key=get_settings().secret_key)


ActorDep = Annotated[Actor, Depends(current_actor)]


def actor_without_session(token: Annotated[str | None, Depends(oauth2_scheme)]) -> Actor:
    """The caller, looked up in a unit of work of its own, for handlers that must not hold a transaction (SQLite's
    write lock) while they work: an analysis waiting on an LLM, an audit reading the whole tenant."""
    with session_scope(read_first=True) as session:
        return current_actor(session, token)


LongActorDep = Annotated[Actor, Depends(actor_without_session)]


MAX_OFFSET = 2**31 - 1  # beyond, the databases' integers overflow (a 500 instead of an empty page)


def paging(limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 50,
           offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0) -> PageRequest:
    return PageRequest(limit=limit, offset=offset)


PageDep = Annotated[PageRequest, Depends(paging)]
