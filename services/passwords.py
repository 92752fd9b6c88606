"""The password policy: what a new password must not be (ASVS 5.0, V6.2).

`common_passwords.txt` holds the 19,640 most common passwords of public breach corpora, lowercased and without
duplicates: the list Django ships (`django/contrib/auth/common-passwords.txt.gz`, BSD licence, compiled by Royce
Williams), taken as it is. A password is compared lowercased and without surrounding spaces, so `Password` and
` password ` are refused as `password` is.
"""

from functools import cache
from pathlib import Path

from services.errors import Invalid

MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 200  # argon2 hashes any length, but nobody types more; bounds the work per attempt
COMMON_PASSWORDS_FILE = Path(__file__).with_name('common_passwords.txt')


@cache
def common_passwords() -> frozenset[str]:
    return frozenset(COMMON_PASSWORDS_FILE.read_text(encoding='utf-8').splitlines())


def check_password(password: str | None, *, field: str = 'password', email: str = '', full_name: str = '') -> None:
    """Invalid (naming `field`) unless `password` may be a user's password; `email` and `full_name` are the user's."""
    password = password or ''
    if not password.strip():
        raise Invalid('error.password_blank', field=field)
    if len(password) < MIN_PASSWORD_LENGTH:
        raise Invalid('error.password_too_short', field=field, min=MIN_PASSWORD_LENGTH)
    if len(password) > MAX_PASSWORD_LENGTH:
        raise Invalid('error.password_too_long', field=field, max=MAX_PASSWORD_LENGTH)
    folded = password.strip().lower()
    if {folded, ' '.join(folded.split())} & _personal_words(email, full_name):
        raise Invalid('error.password_personal', field=field)
    if folded in common_passwords():
        raise Invalid('error.password_common', field=field)


def _personal_words(email: str, full_name: str) -> set[str]:
    """The user's e-mail, its part before the @, and the name with and without its spaces."""
    email, name = (email or '').strip().lower(), ' '.join((full_name or '').lower().split())
    return {word for word in (email, email.split('@')[0], name, name.replace(' ', '')) if word}
