"""The app as users get it, for `bench.browser`: `crm serve` in a subprocess (migrations, then NiceGUI's uvicorn),
on 127.0.0.1, with its own data directory and a log file; its memory read from /proc."""

import os
import secrets
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

STARTUP_TIMEOUT = 120.0  # migrations are a no-op on a filled database, but a busy machine starts slowly
FIRST_PORT, LAST_PORT = 18100, 18199


def free_port(first: int = FIRST_PORT, last: int = LAST_PORT) -> int:
    """The first port of first..last that nobody listens on (127.0.0.1)."""
    for port in range(first, last + 1):
        with socket.socket() as sock:
            try:
                sock.bind(('127.0.0.1', port))
            except OSError:
                continue
            return port
    raise RuntimeError(f'no free port in {first}-{last}')


def server_environment(database_url: str, port: int, data_dir: Path) -> dict[str, str]:
    """This process's environment without its own app settings and test markers (NiceGUI takes PYTEST_CURRENT_TEST
    for a test run and would ignore the port), plus the bench server's settings."""
    inherited = {name: value for name, value in os.environ.items()
                 if not name.startswith(('CRM_', 'NICEGUI_', 'PYTEST_'))}
    return {**inherited, 'CRM_DATABASE_URL': database_url, 'CRM_HOST': '127.0.0.1', 'CRM_PORT': str(port),
            'CRM_DATA_DIR': str(data_dir), 'CRM_DEMO_DATA': '0', 'CRM_ENVIRONMENT': 'development',
            'CRM_SECRET_KEY': secrets.token_urlsafe(48), 'CRM_LANGUAGE': 'fr',
            'NICEGUI_STORAGE_PATH': str(data_dir / '.nicegui')}


def memory_kib(pid: int) -> dict[str, int]:
    """VmRSS (resident now) and VmHWM (peak resident) of a process, in KiB."""
    fields = {}
    for line in Path(f'/proc/{pid}/status').read_text().splitlines():
        name, _, value = line.partition(':')
        if name in ('VmRSS', 'VmHWM'):
            fields[name] = int(value.split()[0])
    return fields


def cpu_seconds(pid: int) -> float:
    """User + system CPU time the process has used."""
    stat = Path(f'/proc/{pid}/stat').read_text()
    fields = stat[stat.rindex(')') + 2:].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf('SC_CLK_TCK')


@dataclass
class AppServer:
    """`crm serve` started by `start()`, stopped by `stop()`; `url` once healthy."""

    database_url: str
    port: int
    data_dir: Path
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f'http://127.0.0.1:{self.port}'

    @property
    def log_path(self) -> Path:
        return self.data_dir / 'server.log'

    def start(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open('ab')
        self.process = subprocess.Popen([sys.executable, '-m', 'cli', 'serve'], stdout=log, stderr=subprocess.STDOUT,
                                        env=server_environment(self.database_url, self.port, self.data_dir),
                                        cwd=Path(__file__).resolve().parent.parent)
        log.close()
        try:
            self._wait_healthy()
        except BaseException:
            self.stop()
            raise

    def _wait_healthy(self) -> None:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f'the app stopped at start (exit {self.process.returncode}): see {self.log_path}')
            try:
                if httpx.get(f'{self.url}/healthz', timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f'the app did not answer /healthz within {STARTUP_TIMEOUT:.0f} s: see {self.log_path}')

    def memory(self) -> dict[str, int]:
        return memory_kib(self.process.pid)

    def cpu(self) -> float:
        return cpu_seconds(self.process.pid)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
