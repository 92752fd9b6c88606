from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.security import OAuth2PasswordRequestForm

from api.deps import ActorDep
from api.schemas import MeOut, Token
from services.login import log_in
from services.security import issue_token
from settings import get_settings

router = APIRouter(tags=['auth'])


@router.post('/auth/token', response_model=Token, summary='Exchange e-mail and password for a bearer token')
def create_token(form: Annotated[OAuth2PasswordRequestForm, Depends()]) -> Token:
    actor = log_in(form.username, form.password).actor_or_raise()
    settings = get_settings()
    token = issue_token(user_id=actor.user_id, tenant_id=actor.tenant_id, secret_key=settings.secret_key,
                        expiry_hours=settings.token_expiry_hours)
    return Token(access_token=token, expires_in=settings.token_expiry_hours * 3600)


@router.get('/me', response_model=MeOut, summary='The user the token belongs to')
def read_me(actor: ActorDep) -> MeOut:
    return MeOut(id=actor.user_id, email=actor.email, full_name=actor.full_name, role=actor.role,
                 tenant_id=actor.tenant_id, tenant_name=actor.tenant_name)
