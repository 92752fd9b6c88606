"""Users of a tenant: listing, creation, role and activation changes, passwords (own change, admin reset)."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict
from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from db.models import AuditAction, Role, User, utcnow
from services import audit
from services.actor import Actor, require_admin
from services.auth import end_sign_ins
from services.errors import Conflict, Invalid, NotFound
from services.paging import Page, PageRequest, fetch_page
from services.passwords import check_password
from services.security import hash_password, verify_password
from services.validation import clean_email, clean_text


class UserRead(BaseModel):
    """A user as every surface shows it (pages, API, CLI): never the password hash."""

    model_config = ConfigDict(frozen=True)

    id: int
    email: str
    full_name: str
    role: Role
    is_active: bool
    is_locked: bool
    last_login_at: datetime | None
    created_at: datetime
    version: int


def to_read(user: User) -> UserRead:
    locked = user.locked_until is not None and user.locked_until > utcnow()
    return UserRead(id=user.id, email=user.email, full_name=user.full_name, role=Role(user.role),
                    is_active=user.is_active, is_locked=locked, last_login_at=user.last_login_at,
                    created_at=user.created_at, version=user.version)


def parse_role(value: str) -> Role:
    try:
        return Role(value)
    except ValueError as error:
        raise Invalid('error.role_invalid', field='role') from error


def insert_user(session: Session, actor: Actor | None, *, tenant_id: int, email: str, password: str,
                role: str | Role, full_name: str = '') -> UserRead:
    """Create a user in a tenant; callers check who may do it."""
    email = clean_email(email)
    role = parse_role(role)
    full_name = clean_text(full_name, field='full_name', max_length=120)
    check_password(password, email=email, full_name=full_name)
    if session.exec(select(User.id).where(func.lower(User.email) == email)).first() is not None:
        raise Conflict('error.email_taken', field='email')
    user = User(tenant_id=tenant_id, email=email, full_name=full_name, role=role,
                password_hash=hash_password(password))
    session.add(user)
    session.flush()
    audit.record(session, actor, tenant_id=tenant_id, action=AuditAction.CREATE, entity='user',
                 entity_id=user.id, changes={'email': email, 'role': role.value, 'full_name': full_name})
    return to_read(user)


def create_user(session: Session, actor: Actor, *, email: str, password: str, role: str | Role,
                full_name: str = '') -> UserRead:
    require_admin(actor)
    return insert_user(session, actor, tenant_id=actor.tenant_id, email=email, password=password, role=role,
                       full_name=full_name)


def list_users(session: Session, actor: Actor, page: PageRequest, search: str = '') -> Page[UserRead]:
    query = select(User).where(User.tenant_id == actor.tenant_id)
    if search.strip():
        pattern = f'%{search.strip().lower()}%'
        query = query.where(or_(func.lower(User.email).like(pattern), func.lower(User.full_name).like(pattern)))
    rows, total = fetch_page(session, query, page, col(User.email))
    return Page(items=[to_read(row) for row in rows], total=total, limit=page.limit, offset=page.offset)


def get_user(session: Session, actor: Actor, user_id: int) -> UserRead:
    return to_read(_user_in_tenant(session, actor, user_id))


def update_user(session: Session, actor: Actor, user_id: int, *, expected_version: int | None = None,
                role: str | Role | None = None, is_active: bool | None = None,
                full_name: str | None = None) -> UserRead:
    require_admin(actor)
    user = _user_in_tenant(session, actor, user_id)
    if expected_version is not None and expected_version != user.version:
        raise Conflict('error.stale_version')
    before = {'role': user.role, 'is_active': user.is_active, 'full_name': user.full_name}
    if role is not None:
        user.role = parse_role(role)
    if is_active is not None:
        user.is_active = is_active
        if is_active:
            user.failed_logins, user.locked_until = 0, None
    if full_name is not None:
        user.full_name = clean_text(full_name, field='full_name', max_length=120)
    _keep_an_active_admin(session, actor, user)
    changes = audit.diff(before, {'role': user.role, 'is_active': user.is_active, 'full_name': user.full_name})
    if changes.keys() & {'role', 'is_active'}:
        end_sign_ins(user)  # a new role or a deactivation counts from the next request, not the next sign-in
    if changes:
        user.version += 1
        session.add(user)
        session.flush()
        audit.record(session, actor, tenant_id=actor.tenant_id, action=AuditAction.UPDATE, entity='user',
                     entity_id=user.id, changes=changes)
    return to_read(user)


def change_own_password(session: Session, actor: Actor, *, current_password: str, new_password: str) -> int:
    """Change the actor's password; every other session and token of the actor ends. Returns the new session
    version, for the session that made the change to carry on."""
    user = _user_in_tenant(session, actor, actor.user_id)
    if not verify_password(current_password or '', user.password_hash):
        raise Invalid('error.current_password_wrong', field='current_password')
    check_password(new_password, field='new_password', email=user.email, full_name=user.full_name)
    _set_password(session, actor, user, new_password)
    return user.session_version


def reset_password(session: Session, actor: Actor, user_id: int, *, new_password: str) -> UserRead:
    """An admin gives a user of the tenant a new (temporary) password: the user's sessions and tokens end, and a
    lock after failed sign-ins is lifted."""
    require_admin(actor)
    user = _user_in_tenant(session, actor, user_id)
    check_password(new_password, email=user.email, full_name=user.full_name)
    user.failed_logins, user.locked_until = 0, None
    _set_password(session, actor, user, new_password)
    return to_read(user)


def set_password_by_email(session: Session, *, email: str, new_password: str) -> UserRead:
    """The command line's reset (an operator at the server, e.g. for an admin who lost the password)."""
    user = session.exec(select(User).where(func.lower(User.email) == clean_email(email))).first()
    if user is None:
        raise NotFound('error.user_not_found')
    check_password(new_password, email=user.email, full_name=user.full_name)
    user.failed_logins, user.locked_until = 0, None
    _set_password(session, None, user, new_password)
    return to_read(user)


def _set_password(session: Session, actor: Actor | None, user: User, new_password: str) -> None:
    user.password_hash = hash_password(new_password)
    user.version += 1
    end_sign_ins(user)
    session.add(user)
    session.flush()
    audit.record(session, actor, tenant_id=user.tenant_id, action=AuditAction.UPDATE, entity='user',
                 entity_id=user.id, changes={'password': '***'})


def _keep_an_active_admin(session: Session, actor: Actor, changed: User) -> None:
    if changed.role == Role.ADMIN and changed.is_active:
        return
    others = select(func.count()).select_from(User).where(
        User.tenant_id == actor.tenant_id, User.role == Role.ADMIN, col(User.is_active).is_(True),
        User.id != changed.id)
    if session.exec(others).one() == 0:
        raise Invalid('error.last_admin')


def _user_in_tenant(session: Session, actor: Actor, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None or user.tenant_id != actor.tenant_id:
        raise NotFound('error.user_not_found')
    return user


def set_own_language(session: Session, actor: Actor, language: str) -> None:
    if language not in ('fr', 'en'):
        raise Invalid('error.language_invalid', field='language')
    user = _user_in_tenant(session, actor, actor.user_id)
    user.language = language
    session.add(user)


def user_choices(session: Session, actor: Actor, limit: int = 500) -> dict[int, str]:
    """{id: display name} of the tenant's active users, for owner and assignee pickers."""
    rows = session.exec(select(User.id, User.full_name, User.email)
                        .where(User.tenant_id == actor.tenant_id, col(User.is_active).is_(True))
                        .order_by(User.full_name, User.email).limit(limit)).all()
    return {user_id: name or email for user_id, name, email in rows}


def display_names(session: Session, user_ids: set[int | None]) -> dict[int, str]:
    """{id: full name, or e-mail when there is none} of the given users."""
    wanted = {user_id for user_id in user_ids if user_id}
    if not wanted:
        return {}
    rows = session.exec(select(User.id, User.full_name, User.email).where(col(User.id).in_(wanted))).all()
    return {user_id: full_name or email for user_id, full_name, email in rows}
