"""Scenarios and what they run against.

A scenario is a function of a `BenchContext` that performs one timed iteration; it raises when the iteration
does not do what it should (a 401 timed as fast as a 200 would be a lie). Register it with the decorator:

    @scenario('api_me', iterations=300)
    def api_me(ctx: BenchContext) -> None:
        ctx.http.get('/api/v1/me', headers=ctx.auth_headers).raise_for_status()

Untimed preparation goes in `setup=` (called once with the context, before the warm-up) or in `ctx.state`.
"""

from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import httpx
from sqlalchemy.engine import Engine

from services.tenants import TenantRead

ScenarioFn = Callable[['BenchContext'], object]


@dataclass(frozen=True)
class Scenario:
    name: str
    run: ScenarioFn
    iterations: int
    warmup: int = 1
    setup: ScenarioFn | None = None
    description: str = ''


SCENARIOS: dict[str, Scenario] = {}


def scenario(name: str, *, iterations: int, warmup: int = 1,
             setup: ScenarioFn | None = None) -> Callable[[ScenarioFn], ScenarioFn]:
    """Register the decorated function as scenario `name`, timed `iterations` times (before scaling)."""
    if iterations < 1 or warmup < 0:
        raise ValueError('a scenario needs at least one iteration and no negative warm-up')

    def register(function: ScenarioFn) -> ScenarioFn:
        if name in SCENARIOS:
            raise ValueError(f'scenario {name!r} is registered twice')
        description = (function.__doc__ or '').strip().splitlines()
        SCENARIOS[name] = Scenario(name=name, run=function, iterations=iterations, warmup=warmup, setup=setup,
                                   description=description[0] if description else '')
        return function

    return register


@dataclass
class BenchContext:
    """What scenarios run against: the filled database, the bench tenant and its admin, an HTTP server."""

    engine: Engine
    tenant: TenantRead
    clients: int
    admin_email: str
    admin_password: str
    state: dict[str, Any] = field(default_factory=dict)
    _resources: ExitStack = field(default_factory=ExitStack)

    @cached_property
    def server_url(self) -> str:
        """Started on first use: a uvicorn server with the REST API, in a thread of this process."""
        from bench.server import serve_api

        return self._resources.enter_context(serve_api())

    @cached_property
    def http(self) -> httpx.Client:
        """A keep-alive HTTP client on the bench server."""
        return self._resources.enter_context(httpx.Client(base_url=self.server_url, timeout=30))

    @cached_property
    def token(self) -> str:
        response = self.http.post('/api/v1/auth/token',
                                  data={'username': self.admin_email, 'password': self.admin_password})
        response.raise_for_status()
        return response.json()['access_token']

    @property
    def auth_headers(self) -> dict[str, str]:
        return {'Authorization': f'Bearer {self.token}'}

    def close(self) -> None:
        self._resources.close()
