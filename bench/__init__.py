"""`make bench` / `python -m bench`: time a few scenarios against a database filled by `crm demo`.

The bench prints one table (scenario, n, p50, p95 in milliseconds). It reports, it never judges: the exit
code is 0 unless something crashes. HTTP scenarios go through a real uvicorn server started in a thread on
127.0.0.1 and an httpx client (see bench.server), not an in-process TestClient. To add a scenario, write one
function in bench/scenarios.py and decorate it with `@scenario(name, iterations=N)` (see bench.registry).
"""
