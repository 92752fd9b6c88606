"""The benchmark scenarios: one function each, registered with `@scenario` (see bench.registry)."""

from bench.registry import BenchContext, scenario
from services.login import log_in


@scenario('login', iterations=30)
def login(ctx: BenchContext) -> None:
    """The login service: user lookup, argon2 verify, lockout bookkeeping, commit."""
    outcome = log_in(ctx.admin_email, ctx.admin_password)
    if outcome.actor is None:
        raise RuntimeError(f'bench login failed: {outcome.error_key}')


@scenario('api_token', iterations=30)
def api_token(ctx: BenchContext) -> None:
    """POST /api/v1/auth/token through the HTTP server."""
    ctx.http.post('/api/v1/auth/token',
                  data={'username': ctx.admin_email, 'password': ctx.admin_password}).raise_for_status()


@scenario('api_me', iterations=300)
def api_me(ctx: BenchContext) -> None:
    """GET /api/v1/me with a valid bearer token."""
    ctx.http.get('/api/v1/me', headers=ctx.auth_headers).raise_for_status()
