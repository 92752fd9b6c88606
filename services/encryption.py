"""Secrets at rest: values the server must send elsewhere or sign with (an LLM API key and the inbound webhooks'
signing secret today; SMTP passwords and mail-provider keys tomorrow) are stored encrypted with Fernet (AES-128-CBC
and HMAC-SHA256) under keys from the environment.

`CRM_SECRETS_KEYS` lists Fernet keys, comma-separated: the first encrypts, every one decrypts, so a key is rotated by
putting a new one first, running `crm rotate-secrets`, then removing the old one. Production refuses to start
without it (settings.py). In development only, without it, a key is derived from `CRM_SECRET_KEY` (with a warning):
data encrypted so cannot be read once `CRM_SECRETS_KEYS` is set, and has to be typed again.

A stored value is `enc:` followed by the Fernet token; a value without the prefix is a clear one from before this
module, read as it is until `seal_stored_secrets` (at every start) encrypts it.
"""

import base64
import functools
import hashlib
import logging
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlmodel import Session

from db.models import AiSettings, Tenant
from settings import get_settings

log = logging.getLogger(__name__)

PREFIX = 'enc:'
# The columns that hold secrets: (table, column, its length; see `max_clear_length`).
SECRET_COLUMNS = [(AiSettings, 'api_key', 400), (Tenant, 'webhook_secret', 400)]


class UnreadableSecret(Exception):
    """The value was encrypted with a key that is no longer in `CRM_SECRETS_KEYS` (or was altered)."""


def stored_length(size: int) -> int:
    """The length of the stored form of a secret of `size` bytes: the prefix and a Fernet token (version, time,
    IV and HMAC: 57 bytes, and the padded cipher text), in base64."""
    return len(PREFIX) + 4 * -(-(57 + 16 * (size // 16 + 1)) // 3)


def max_clear_length(column_length: int) -> int:
    """The longest secret (in bytes) whose stored form fits a column of `column_length` characters."""
    size = 0
    while stored_length(size + 1) <= column_length:
        size += 1
    return size


def _derived_key(secret_key: str) -> bytes:
    return base64.urlsafe_b64encode(hashlib.sha256(b'crm-secrets-at-rest\0' + secret_key.encode()).digest())


@functools.lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...], secret_key: str):
    from cryptography.fernet import Fernet, MultiFernet  # only in a process that handles secrets

    if not keys:
        log.warning('CRM_SECRETS_KEYS is not set: secrets are encrypted with a key derived from CRM_SECRET_KEY '
                    '(development only; production refuses to start without CRM_SECRETS_KEYS)')
        return MultiFernet([Fernet(_derived_key(secret_key))])
    return MultiFernet([Fernet(key.encode('ascii')) for key in keys])


def _box():
    settings = get_settings()
    return _fernet(tuple(settings.secrets_keys), settings.secret_key)


def new_key() -> str:
    from cryptography.fernet import Fernet

    return Fernet.generate_key().decode('ascii')


def is_sealed(stored: str) -> bool:
    return stored.startswith(PREFIX)


def seal(clear: str) -> str:
    """The stored form of a secret; an empty secret stays empty (nothing saved)."""
    if not clear:
        return ''
    return PREFIX + _box().encrypt(clear.encode('utf-8')).decode('ascii')


def reveal(stored: str) -> str:
    """The clear secret; `UnreadableSecret` when no configured key opens it."""
    if not is_sealed(stored):
        return stored  # empty, or clear from before encryption
    from cryptography.fernet import InvalidToken

    try:
        return _box().decrypt(stored[len(PREFIX):].encode('ascii')).decode('utf-8')
    except (InvalidToken, UnicodeError, ValueError):
        raise UnreadableSecret('no configured key decrypts this value') from None


def _rotated(stored: str) -> str:
    from cryptography.fernet import InvalidToken

    try:
        return PREFIX + _box().rotate(stored[len(PREFIX):].encode('ascii')).decode('ascii')
    except (InvalidToken, UnicodeError, ValueError):
        raise UnreadableSecret('no configured key decrypts this value') from None


@dataclass(frozen=True)
class SealReport:
    encrypted: int = 0  # clear values now encrypted
    rotated: int = 0  # values re-encrypted with the first key
    unreadable: int = 0  # values no configured key opens: left as they are, to be typed again


def _rewrite(session: Session, rotate: bool) -> SealReport:
    encrypted = rotated = unreadable = 0
    for table, name, _length in SECRET_COLUMNS:
        column = getattr(table, name)
        key_columns = list(table.__table__.primary_key.columns)
        for row in session.execute(select(*key_columns, column).where(column != '')).all():
            *keys, stored = row
            if is_sealed(stored) and not rotate:
                continue
            try:
                new = _rotated(stored) if is_sealed(stored) else seal(stored)
            except UnreadableSecret:
                unreadable += 1
                continue
            encrypted, rotated = encrypted + (not is_sealed(stored)), rotated + is_sealed(stored)
            where = [key == value for key, value in zip(key_columns, keys, strict=True)]
            session.execute(update(table).where(*where).values({name: new}))
    return SealReport(encrypted, rotated, unreadable)


def seal_stored_secrets(session: Session) -> SealReport:
    """Encrypt the secrets still stored in clear (at every start; nothing to do after the first)."""
    return _rewrite(session, rotate=False)


def rotate_stored_secrets(session: Session) -> SealReport:
    """Re-encrypt every stored secret with the first key of `CRM_SECRETS_KEYS` (and encrypt the clear ones)."""
    return _rewrite(session, rotate=True)
