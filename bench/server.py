"""The REST API on a real uvicorn server, in a daemon thread of the bench process.

A plain FastAPI app with `api.install` (no NiceGUI pages), on a socket bound to 127.0.0.1 on a free port, with
uvicorn's default loop and HTTP implementation (what `crm serve` uses). Requests go over loopback TCP, so the
timings include the HTTP parsing and the thread pool hop a real client pays, not just the handler.
"""

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn
from fastapi import FastAPI

import api

STARTUP_TIMEOUT = 15.0


def build_app() -> FastAPI:
    app = FastAPI()
    api.install(app)
    return app


@contextmanager
def serve_api() -> Iterator[str]:
    """Yield the base URL of a running server; stop it on exit."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(('127.0.0.1', 0))
    host, port = sock.getsockname()
    # log_config=None leaves the process's logging alone; no access log inside the timings.
    config = uvicorn.Config(build_app(), log_config=None, log_level='warning', access_log=False,
                            lifespan='off')
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={'sockets': [sock]}, name='bench-uvicorn',
                              daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError('the bench HTTP server did not start')
            time.sleep(0.01)
        yield f'http://{host}:{port}'
    finally:
        server.should_exit = True
        thread.join(timeout=STARTUP_TIMEOUT)
        sock.close()
