"""Password hashing (argon2 through passlib) and API tokens (JWT signed with the secret key)."""

from datetime import UTC, datetime, timedelta

import jwt
from passlib.context import CryptContext

from services.errors import Unauthorized

# OWASP's argon2id baseline (19 MiB, 2 passes, 1 lane): strong, and quick enough for busy login screens.
_passwords = CryptContext(schemes=['argon2'], deprecated='auto', argon2__memory_cost=19456, argon2__rounds=2,
                          argon2__parallelism=1)
TOKEN_ALGORITHM = 'HS256'
MIN_PASSWORD_LENGTH = 8


def hash_password(password: str) -> str:
    return _passwords.hash(password)


def verify_password(password: str, password_hash: str) -> bool:
    try:
        return _passwords.verify(password, password_hash)
    except (ValueError, TypeError):
        return False


def issue_token(*, user_id: int, tenant_id: int, secret_key: str, expiry_hours: int) -> str:
    now = datetime.now(UTC)
    payload = {'sub': str(user_id), 'tid': tenant_id, 'iat': now, 'exp': now + timedelta(hours=expiry_hours)}
    return jwt.encode(payload, secret_key, algorithm=TOKEN_ALGORITHM)


def read_token(token: str, *, secret_key: str) -> tuple[int, int]:
    """The (user_id, tenant_id) a valid token names; Unauthorized for an expired, forged or malformed one."""
    try:
        payload = jwt.decode(token, secret_key, algorithms=[TOKEN_ALGORITHM], options={'require': ['exp', 'sub']})
        return int(payload['sub']), int(payload['tid'])
    except jwt.ExpiredSignatureError as error:
        raise Unauthorized('error.token_expired') from error
    except (jwt.InvalidTokenError, KeyError, ValueError, TypeError) as error:
        raise Unauthorized('error.token_invalid') from error
