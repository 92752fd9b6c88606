from fastapi import APIRouter, status

from api.deps import ActorDep, PageDep, SessionDep
from api.schemas import IdPath, PageOut, UserCreateIn, UserUpdateIn
from services import users as users_service
from services.users import UserRead

router = APIRouter(prefix='/users', tags=['users'])


@router.get('', response_model=PageOut[UserRead], summary="The users of the caller's tenant")
def list_users(session: SessionDep, actor: ActorDep, page: PageDep, q: str = '') -> PageOut[UserRead]:
    result = users_service.list_users(session, actor, page, q)
    return PageOut[UserRead](items=result.items, total=result.total, limit=result.limit, offset=result.offset)


@router.get('/{user_id}', response_model=UserRead)
def get_user(user_id: IdPath, session: SessionDep, actor: ActorDep) -> UserRead:
    return users_service.get_user(session, actor, user_id)


@router.post('', response_model=UserRead, status_code=status.HTTP_201_CREATED, summary='Create a user (admin)')
def create_user(body: UserCreateIn, session: SessionDep, actor: ActorDep) -> UserRead:
    return users_service.create_user(session, actor, email=body.email, password=body.password, role=body.role,
                                     full_name=body.full_name)


@router.patch('/{user_id}', response_model=UserRead, summary='Change role, activation or name (admin)')
def update_user(user_id: IdPath, body: UserUpdateIn, session: SessionDep, actor: ActorDep) -> UserRead:
    return users_service.update_user(session, actor, user_id, expected_version=body.version, role=body.role,
                                     is_active=body.is_active, full_name=body.full_name)
