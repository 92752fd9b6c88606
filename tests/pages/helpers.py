import asyncio

from nicegui.testing import User

from tests.factories import PASSWORD

PATIENT = 100  # retries of 0.1 s: an upper bound for slow machines (argon2 logins, worker threads)


async def sign_in(user: User, email: str, password: str = PASSWORD) -> None:
    await user.open('/login')
    user.find(marker='login-email').type(email)
    user.find(marker='login-password').type(password)
    user.find(marker='login-submit').click()
    await user.should_see(marker='page-title', retries=PATIENT)


async def table_rows(user: User, marker: str, expect=None) -> list[dict]:
    """The rows of the `ui.table` marked so; with `expect`, wait until expect(rows) holds."""
    await user.should_see(marker=marker, retries=PATIENT)
    table = user.find(marker=marker).elements.pop()
    for _ in range(PATIENT):
        if expect is None or expect(table.rows):
            break
        await asyncio.sleep(0.1)
    return table.rows
