"""Password hashing (argon2 through passlib) and API tokens (JWT signed with the secret key)."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt
from passlib.context import CryptContext

from services.errors import Unauthorized

# OWASP's argon2id baseline (19 MiB, 2 passes, 1 lane): strong, and quick enough for busy login screens.
_passwords = CryptContext(schemes=['argon2'], deprecated='auto', argon2__memory_cost=19456, argon2__rounds=2,
                          argon2__parallelism=1)
TOKEN_ALGORITHM = 'HS256'


def hash_password(password: str) -> str:
    return _passwords.hash(password)


def verify_password(password: str, password_hash: str) -> bool:
    try:
        return _passwords.verify(password, password_hash)
    except (ValueError, TypeError):
        return False


@dataclass(frozen=True)
class TokenClaims:
    """What a valid API token names: the user, its tenant, and the user's session version when it was issued."""

    user_id: int
    tenant_id: int
    session_version: int


def issue_token(*, user_id: int, tenant_id: int, session_version: int, secret_key: str, expiry_hours: int) -> str:
    now = datetime.now(UTC)
    payload = {'sub': str(user_id), 'tid': tenant_id, 'ver': session_version, 'iat': now,
               'exp': now + timedelta(hours=expiry_hours)}
    return jwt.encode(payload, secret_key, algorithm=TOKEN_ALGORITHM)


def read_token(token: str, *, secret_key: str) -> TokenClaims:
    """The claims of a valid token; Unauthorized for an expired, forged or malformed one (one without a session
    version included: it could not be revoked)."""
    try:
        payload = jwt.decode(token, secret_key, algorithms=[TOKEN_ALGORITHM],
                             options={'require': ['exp', 'sub', 'tid', 'ver']})
        return TokenClaims(user_id=int(payload['sub']), tenant_id=int(payload['tid']),
                           session_version=int(payload['ver']))
    except jwt.ExpiredSignatureError as error:
        raise Unauthorized('error.token_expired') from error
    except (jwt.InvalidTokenError, KeyError, ValueError, TypeError) as error:
        raise Unauthorized('error.token_invalid') from error
