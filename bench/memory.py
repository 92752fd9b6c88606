"""`python -m bench.memory`: the resident memory of `crm serve` at start, after warm-up and after a browsing run.

The bench prepares the database in its own process (migrate, the «Bench» tenant filled with demo clients, one
analytics run), so that the server it then starts (`python -m cli serve`, as `crm serve`) only serves. Simulated
users are headless chromiums (Debian's chromium and chromedriver, offline): each signs in, opens every main screen
once (the warm-up), then keeps opening screens at random (seeded) for the given minutes, with a short dwell on each.
A NiceGUI page is only built for good once its websocket is connected, so a real browser is the honest measure.

The server's VmRSS (from /proc) is printed right after it starts listening, after the warm-up (all users idle on
their last screen), every `--sample` seconds of the run, and at the end, with the growth over the run. Options:
`--database-url` (default: a throwaway SQLite file), `--clients`, `--users`, `--minutes`, `--server-env KEY=VALUE`
(e.g. MALLOC_ARENA_MAX=2) to compare settings. From the repository root.
"""

import argparse
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

BENCH_TENANT = 'Bench'
BENCH_EMAIL = 'bench@bench.dz'
BENCH_PASSWORD = 'bench-password'
STARTUP_TIMEOUT = 120.0
PAGE_TIMEOUT = 30.0
REST_SCREEN = '/clients'  # where every user waits for a reading: the same state after the warm-up and the run
SCREENS = ('/', '/clients', '/clients/{client_id}', '/cases', '/cases/{case_id}', '/cases/board', '/pipeline',
           '/activities', '/kpis', '/sales', '/analytics', '/products')


@dataclass
class Counters:
    pages: int = 0
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def page(self) -> None:
        with self.lock:
            self.pages += 1

    def error(self, message: str) -> None:
        with self.lock:
            self.errors.append(message)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog='python -m bench.memory', description=__doc__.splitlines()[0])
    parser.add_argument('--database-url', help='database to serve (default: a throwaway SQLite file); the «Bench» '
                                               'tenant is created and filled when missing')
    parser.add_argument('--clients', type=int, default=2_000, help='demo clients of a new bench tenant (2,000)')
    parser.add_argument('--port', type=int, default=18201, help='port of the server (18201)')
    parser.add_argument('--users', type=int, default=4, help='simulated users, one headless chromium each (4)')
    parser.add_argument('--minutes', type=float, default=5.0, help='minutes of browsing after the warm-up (5)')
    parser.add_argument('--dwell', type=float, default=2.0, help='seconds each user stays on a screen (2)')
    parser.add_argument('--sample', type=float, default=30.0, help='seconds between two RSS samples (30)')
    parser.add_argument('--settle', type=float, default=15.0,
                        help='idle seconds before the warm-up and end readings (15)')
    parser.add_argument('--email', default=BENCH_EMAIL, help='user the browsers sign in as (the bench admin)')
    parser.add_argument('--password', default=BENCH_PASSWORD, help='their password')
    parser.add_argument('--trace-screens', action='store_true',
                        help='print the RSS after each screen of the first user\'s warm-up')
    parser.add_argument('--seed', type=int, default=2026, help='random seed of the browsing (2026)')
    parser.add_argument('--server-env', action='append', default=[], metavar='KEY=VALUE',
                        help='extra environment of the server (repeatable), e.g. MALLOC_ARENA_MAX=2')
    return parser


def rss_mib(pid: int) -> float:
    for line in Path(f'/proc/{pid}/status').read_text().splitlines():
        if line.startswith('VmRSS:'):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f'no VmRSS for process {pid}')


def prepare(database_url: str, clients: int, email: str, password: str) -> tuple[int, int]:
    """Migrate; create the «Bench» tenant (its admin signs in as `email`) with demo clients when no user has this
    e-mail; run the tenant's analytics once if it never had them. Returns a client id and a case id of the tenant."""
    from sqlmodel import select

    from db.engine import configure_engine
    from db.migrate import upgrade_to_head
    from db.models import AnalyticsRun, Case, Client, User
    from db.session import session_scope
    from services.analytics import runs
    from services.demo import fill_tenant, refresh_statistics
    from services.tenants import create_tenant

    engine = configure_engine(database_url)
    upgrade_to_head(engine)
    with session_scope() as session:
        tenant_id = session.exec(select(User.tenant_id).where(User.email == email)).first()
    if tenant_id is None:
        started = time.perf_counter()
        with session_scope() as session:
            tenant, _ = create_tenant(session, name=BENCH_TENANT, admin_email=email, admin_password=password,
                                      admin_name='Bench Admin')
            filled = fill_tenant(session, tenant, clients=clients)
        refresh_statistics(engine)
        tenant_id = tenant.id
        print(f'Filled «{BENCH_TENANT}» with {filled.clients} demo clients in {time.perf_counter() - started:.0f} s.',
              flush=True)
    with session_scope() as session:
        analysed = session.exec(select(AnalyticsRun.id).where(AnalyticsRun.tenant_id == tenant_id)).first()
        run = None if analysed else runs.queue_run(session, tenant_id, 'manual')
    if run is not None:
        started = time.perf_counter()
        runs.run_analytics(run.id)
        print(f'Ran the tenant\'s analytics in {time.perf_counter() - started:.0f} s.', flush=True)
    with session_scope() as session:
        client_id = session.exec(select(Client.id).where(Client.tenant_id == tenant_id).order_by(Client.id)).first()
        case_id = session.exec(select(Case.id).where(Case.tenant_id == tenant_id).order_by(Case.id)).first()
    engine.dispose()
    return client_id, case_id


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(('127.0.0.1', port)) == 0


@contextmanager
def server(database_url: str, port: int, data_dir: Path, extra_env: Sequence[str]) -> Iterator[int]:
    """`crm serve` in a child process (its own process group); yields its pid once it listens."""
    env = {**os.environ, 'CRM_DATABASE_URL': database_url, 'CRM_PORT': str(port), 'CRM_HOST': '127.0.0.1',
           'CRM_DATA_DIR': str(data_dir), 'CRM_DEMO_DATA': 'false'}
    for item in extra_env:
        key, _, value = item.partition('=')
        env[key] = value
    if _listening(port):
        raise RuntimeError(f'port {port} is already in use')
    log = (data_dir / 'server.log').open('w')
    process = subprocess.Popen([sys.executable, '-m', 'cli', 'serve'], env=env, stdout=log, stderr=subprocess.STDOUT,
                               start_new_session=True)
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while not _listening(port):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f'the server did not start; see {data_dir / "server.log"}')
            time.sleep(0.2)
        yield process.pid
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()


class User:
    """One headless chromium, signed in as the bench admin."""

    def __init__(self, base_url: str, counters: Counters, email: str, password: str) -> None:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        from tools.chromium import CHROMEDRIVER, CHROMIUM, CHROMIUM_ARGUMENTS

        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for argument in CHROMIUM_ARGUMENTS:
            options.add_argument(argument)
        options.add_argument('--window-size=1366,900')
        self.driver = webdriver.Chrome(service=Service(executable_path=shutil.which(CHROMEDRIVER) or CHROMEDRIVER),
                                       options=options)
        self.driver.set_page_load_timeout(PAGE_TIMEOUT)
        self.base_url = base_url
        self.counters = counters
        self.email, self.password = email, password
        self.signed_in = False

    def _wait(self, condition, what: str) -> None:
        deadline = time.monotonic() + PAGE_TIMEOUT
        while not condition():
            if time.monotonic() > deadline:
                raise TimeoutError(what)
            time.sleep(0.1)

    def _connected(self) -> bool:
        return bool(self.driver.execute_script('return window.did_handshake === true'))

    def sign_in(self, attempts: int = 3) -> None:
        from selenium.webdriver.common.by import By
        from selenium.webdriver.common.keys import Keys

        for attempt in range(attempts):
            try:
                self.driver.get(f'{self.base_url}/login')
                self._wait(self._connected, 'login page')
                self.driver.find_element(By.CSS_SELECTOR, 'input[type=email]').send_keys(self.email)
                self.driver.find_element(By.CSS_SELECTOR, 'input[type=password]').send_keys(self.password, Keys.ENTER)
                self._wait(lambda: self.driver.current_url.rstrip('/') == self.base_url, 'sign-in')
                self.signed_in = True
                return
            except Exception as error:  # a busy machine: try again
                if attempt == attempts - 1:
                    raise RuntimeError(f'cannot sign in as {self.email}') from error

    def open(self, path: str) -> None:
        if not self.signed_in:
            return
        try:
            self.driver.get(self.base_url + path)
            self._wait(self._connected, path)
            if '/login' in self.driver.current_url:
                raise RuntimeError(f'{path}: signed out')
            self.counters.page()
        except Exception as error:  # a slow page or a lost websocket is counted, not fatal
            self.counters.error(f'{path}: {type(error).__name__}: {str(error).splitlines()[0][:120]}')

    def quit(self) -> None:
        self.driver.quit()


def _in_threads(users: Sequence[User], work) -> None:
    threads = [threading.Thread(target=work, args=(index, user), daemon=True) for index, user in enumerate(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    os.environ.setdefault('SE_OFFLINE', 'true')
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # a stopped bench still stops its server and browsers
    workdir = Path(tempfile.mkdtemp(prefix='crm-memory-'))
    database_url = args.database_url or f'sqlite:///{workdir / "bench.db"}'
    try:
        client_id, case_id = prepare(database_url, args.clients, args.email, args.password)
        screens = [screen.format(client_id=client_id, case_id=case_id) for screen in SCREENS]
        counters = Counters()
        base_url = f'http://127.0.0.1:{args.port}'
        with server(database_url, args.port, workdir, args.server_env) as pid:
            time.sleep(1)
            start = rss_mib(pid)
            print(f'server pid {pid}: RSS at start {start:.1f} MiB', flush=True)
            users = [User(base_url, counters, args.email, args.password) for _ in range(args.users)]
            try:
                for user in users:  # one after the other: twenty sign-ins at once overwhelm a two-core machine
                    try:
                        user.sign_in()
                    except RuntimeError as error:
                        counters.error(str(error))

                def warm_up(index: int, user: User) -> None:
                    for screen in screens[index % len(screens):] + screens[:index % len(screens)]:
                        user.open(screen)
                        if args.trace_screens and index == 0:
                            time.sleep(1)
                            print(f'  {screen:28s} RSS {rss_mib(pid):.1f} MiB', flush=True)

                def rest(_: int, user: User) -> None:
                    user.open(REST_SCREEN)

                began = time.monotonic()
                _in_threads(users, warm_up)
                print(f'warm-up: {counters.pages} screens in {time.monotonic() - began:.0f} s, '
                      f'{sum(user.signed_in for user in users)} of {args.users} users signed in', flush=True)
                _in_threads(users, rest)
                time.sleep(args.settle)
                warm = rss_mib(pid)
                print(f'RSS after warm-up {warm:.1f} MiB', flush=True)

                stop_at = time.monotonic() + args.minutes * 60

                def browse(index: int, user: User) -> None:
                    rng = random.Random(args.seed + index)
                    while time.monotonic() < stop_at:
                        user.open(rng.choice(screens))
                        time.sleep(args.dwell)

                threads = threading.Thread(target=_in_threads, args=(users, browse), daemon=True)
                began, peak = time.monotonic(), warm
                threads.start()
                while threads.is_alive():
                    threads.join(timeout=args.sample)
                    current = rss_mib(pid)
                    peak = max(peak, current)
                    print(f'  {(time.monotonic() - began) / 60:5.1f} min  {counters.pages:6d} screens  '
                          f'RSS {current:.1f} MiB', flush=True)
                _in_threads(users, rest)
                time.sleep(args.settle)
                end = rss_mib(pid)
                for user in users:
                    user.driver.get('about:blank')  # every NiceGUI client is let go
                time.sleep(args.settle)
                gone = rss_mib(pid)
            finally:
                for user in users:
                    user.quit()
        print(f'\nRSS (MiB): start {start:.1f}, after warm-up {warm:.1f}, after {args.minutes:g} min of '
              f'{args.users} users ({counters.pages} screens, {len(counters.errors)} errors) {end:.1f}, '
              f'peak {peak:.1f}; growth over the run {end - warm:+.1f}; once the users have left {gone:.1f}')
        for message, count in Counter(counters.errors).most_common(10):
            print(f'  error ×{count}: {message}')
        return 0
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == '__main__':
    sys.exit(main())
