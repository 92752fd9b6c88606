from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from fastapi.security import OAuth2PasswordRequestForm

from api.deps import ActorDep
from api.errors import domain_error_response
from api.schemas import MeOut, Token
from services.errors import TooManyAttempts
from services.login import log_in
from services.security import issue_token
from settings import get_settings

router = APIRouter(tags=['auth'])

_TOO_MANY = {429: {'description': 'Too many failed sign-ins from this address: wait `Retry-After` seconds.',
                   'headers': {'Retry-After': {'description': 'seconds to wait', 'schema': {'type': 'integer'}}}}}


@router.post('/auth/token', response_model=Token, responses=_TOO_MANY,
             summary='Exchange e-mail and password for a bearer token')
def create_token(request: Request, form: Annotated[OAuth2PasswordRequestForm, Depends()]) -> Token | JSONResponse:
    outcome = log_in(form.username, form.password, source=request.client.host if request.client else None)
    try:
        actor = outcome.actor_or_raise()
    except TooManyAttempts as error:
        response = domain_error_response(request, error)
        response.headers['Retry-After'] = str(error.retry_after_seconds)
        return response
    settings = get_settings()
    token = issue_token(user_id=actor.user_id, tenant_id=actor.tenant_id, session_version=outcome.session_version,
                        secret_key=settings.secret_key, expiry_hours=settings.token_expiry_hours)
    return Token(access_token=token, expires_in=settings.token_expiry_hours * 3600)


@router.get('/me', response_model=MeOut, summary='The user the token belongs to')
def read_me(actor: ActorDep) -> MeOut:
    return MeOut(id=actor.user_id, email=actor.email, full_name=actor.full_name, role=actor.role,
                 tenant_id=actor.tenant_id, tenant_name=actor.tenant_name)
