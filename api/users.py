from fastapi import APIRouter, status

from api.deps import ActorDep, PageDep, SessionDep
from api.schemas import PageOut, UserCreateIn, UserOut, UserUpdateIn
from services import users as users_service

router = APIRouter(prefix='/users', tags=['users'])


@router.get('', response_model=PageOut[UserOut], summary="The users of the caller's tenant")
def list_users(session: SessionDep, actor: ActorDep, page: PageDep, q: str = '') -> PageOut[UserOut]:
    result = users_service.list_users(session, actor, page, q)
    return PageOut[UserOut](items=[UserOut.model_validate(u) for u in result.items], total=result.total,
                            limit=result.limit, offset=result.offset)


@router.get('/{user_id}', response_model=UserOut)
def get_user(user_id: int, session: SessionDep, actor: ActorDep) -> UserOut:
    return UserOut.model_validate(users_service.get_user(session, actor, user_id))


@router.post('', response_model=UserOut, status_code=status.HTTP_201_CREATED, summary='Create a user (admin)')
def create_user(body: UserCreateIn, session: SessionDep, actor: ActorDep) -> UserOut:
    created = users_service.create_user(session, actor, email=body.email, password=body.password, role=body.role,
                                        full_name=body.full_name)
    return UserOut.model_validate(created)


@router.patch('/{user_id}', response_model=UserOut, summary='Change role, activation or name (admin)')
def update_user(user_id: int, body: UserUpdateIn, session: SessionDep, actor: ActorDep) -> UserOut:
    updated = users_service.update_user(session, actor, user_id, expected_version=body.version, role=body.role,
                                        is_active=body.is_active, full_name=body.full_name)
    return UserOut.model_validate(updated)
