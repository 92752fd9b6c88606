"""Administration: users, client types and the audit log."""

from pages.admin import audit, client_types, users


def register() -> None:
    users.register()
    client_types.register()
    audit.register()
