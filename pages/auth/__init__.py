"""Signing in and out, and the signed-in user's own account."""

from pages.auth import account, login


def register() -> None:
    login.register()
    account.register()
