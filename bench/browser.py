"""`python -m bench.browser`: what a user feels in the browser, screen by screen, on a real server.

The database is filled by the project's demo filler (bench.browser_data: 100,000 clients by default, on a
throwaway PostgreSQL 15, or `--data-dir DIR` to keep the filled cluster for the next runs, or `--database-url`),
the app runs as `crm serve` in a subprocess (bench.browser_app), and headless Chromium (Debian's, offline) signs
in as the bench admin. Each round loads every screen cold (the address typed in), then goes once round the app the
way a user does (drawer, a row of the list, the header search, the case list's «Tableau» button); see
bench.browser_screens for the screens and how their data is recognised, bench.browser_probe for how it is timed.
`--warmup` rounds (1) go first, untimed. The tables give, per screen, in ms: cold load (navigation start → data
painted), in-app navigation (click or Enter → data painted), the time to first byte of the page (responseStart −
requestStart), measures and failures (an error page: HTTP 500, NiceGUI's «response_timeout»; or no data within
--timeout); then where a page load's time goes; then the server's memory (RSS after warm-up, at the end, peak)
and CPU. `--users N` runs N browsers at once, each going round the app with a think time between actions;
`--duration MIN` runs rounds until that time is up (memory growth). It reports, it never judges.
"""

import argparse
import contextlib
import json
import os
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

from bench import browser_report as report
from bench.browser_app import AppServer, free_port
from bench.browser_data import BenchData, database, prepare_data
from bench.browser_light import LightUser, run_light_users
from bench.browser_priority import LowPriority
from bench.browser_user import BrowserUser, Sample

SAMPLE_EVERY = 30.0  # seconds between two readings of the server's memory
MIB = 1024


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog='python -m bench.browser', description=__doc__.splitlines()[0])
    parser.add_argument('--database-url', help='bench this database (default: a throwaway PostgreSQL 15 cluster)')
    parser.add_argument('--data-dir', type=Path, help='keep the PostgreSQL cluster in DIR: filled by the first run, '
                                                      'reused by the next ones (e.g. /var/tmp/crm-bench-pg)')
    parser.add_argument('--pg-port', type=int, help='port of the PostgreSQL cluster (default: a free one)')
    parser.add_argument('--clients', type=int, default=100_000, help='demo clients of the bench tenant when it is '
                                                                     'created (default 100,000)')
    parser.add_argument('--no-analyses', action='store_true', help='skip the analytics run and AI analyses of a '
                                                                   'new bench tenant')
    parser.add_argument('--rounds', type=int, default=20, help='measured rounds per user (default 20)')
    parser.add_argument('--warmup', type=int, default=1, help='untimed rounds of the first user before (default 1)')
    parser.add_argument('--duration', type=float, help='minutes: run rounds until then instead of --rounds')
    parser.add_argument('--users', type=int, default=1, help='users going round the app at once (default 1)')
    parser.add_argument('--browsers', type=int, help='how many of the users are real browsers, the others being '
                                                     'light users (bench.browser_light); default: up to 2')
    parser.add_argument('--think', type=float, help='seconds a user pauses before each action, ±50%% (default 0.5 '
                                                    'with one user, 10 with several)')
    parser.add_argument('--timeout', type=float, default=30.0, help='seconds before a load counts as failed')
    parser.add_argument('--port', type=int, help='port of the app (default: the first free from 18100)')
    parser.add_argument('--json', type=Path, help='also write every measure to this JSON file')
    return parser


@dataclass
class Run:
    """A bench run's measures and the server's readings, shared by the users' threads."""

    server: AppServer
    samples: list[Sample] = field(default_factory=list)
    memory: list[tuple[float, int]] = field(default_factory=list)  # (seconds since start, VmRSS KiB)
    lock: threading.Lock = field(default_factory=threading.Lock)
    stopped: threading.Event = field(default_factory=threading.Event)  # the measures are over
    halt: threading.Event = field(default_factory=threading.Event)  # stop the users now (Ctrl+C, an error)
    cleanups: list[Callable[[], None]] = field(default_factory=list)

    def record(self, sample: Sample) -> None:
        with self.lock:
            self.samples.append(sample)

    def watch_memory(self) -> None:
        started = time.monotonic()
        while True:
            self.memory.append((time.monotonic() - started, self.server.memory()['VmRSS']))
            if self.stopped.wait(SAMPLE_EVERY):
                return


def _think(args: argparse.Namespace) -> float:
    return args.think if args.think is not None else (0.5 if args.users == 1 else 10.0)


def _browser(run: Run, data: BenchData, args: argparse.Namespace, index: int) -> BrowserUser:
    user = BrowserUser(run.server.url, data, timeout=args.timeout, think=_think(args), halt=run.halt,
                       driver_port=free_port(run.server.port + 1 + index))
    try:
        user.start()
        user.login()
    except BaseException:
        user.quit()
        raise
    return user


def _light_users(run: Run, data: BenchData, args: argparse.Namespace, count: int) -> list[LightUser]:
    """`count` light users, each with a session of its own, signed in through a browser kept for that (a light user
    signed out by a failure signs in again through it)."""
    if not count:
        return []
    browser = _browser(run, data, args, args.browsers)
    run.cleanups.append(browser.quit)
    lock = threading.Lock()

    def sign_in() -> dict[str, str]:
        with lock:
            return browser.new_session()

    return [LightUser(run.server.url, sign_in(), data, _think(args), args.timeout, run.halt, run.record, sign_in)
            for _ in range(count)]


def _loop(user: BrowserUser, run: Run, rounds: int, deadline: float | None, name: str) -> None:
    done = failed = 0

    def record(sample: Sample) -> None:
        nonlocal failed
        failed += sample.ms is None
        run.record(sample)

    while not run.halt.is_set() and ((done < rounds) if deadline is None else (time.monotonic() < deadline)):
        failed = 0
        user.round(record, deadline)
        done += 1
        print(f'bench.browser: {name} round {done}{f"/{rounds}" if deadline is None else ""} done'
              f'{f", {failed} failed" if failed else ""}', file=sys.stderr, flush=True)


def measure(server: AppServer, data: BenchData, args: argparse.Namespace) -> tuple[Run, dict]:
    """Warm up with one browser's round, then the measured rounds: the browsers in threads, the light users in one
    more (more than two browsers run at a low CPU priority)."""
    run, browsers = Run(server), []
    low = LowPriority(lambda: [user.driver_pid for user in browsers if user.driver_pid]) if args.browsers > 2 \
        else contextlib.nullcontext()
    try:
        with low:
            for index in range(args.browsers):
                browsers.append(_browser(run, data, args, index))
            light = _light_users(run, data, args, args.users - args.browsers)
            return run, _measured(run, browsers, light, args)
    except BaseException:
        run.halt.set()
        raise
    finally:
        for cleanup in [*run.cleanups, *(user.quit for user in browsers)]:
            cleanup()


def _measured(run: Run, browsers: list[BrowserUser], light: list[LightUser], args: argparse.Namespace) -> dict:
    server = run.server
    think, browsers[0].think = browsers[0].think, 0.0  # warming the server up needs no pauses
    for _ in range(args.warmup):
        browsers[0].round(lambda _: None)
    browsers[0].think = think
    readings = {'warm': server.memory(), 'cpu_start': server.cpu(), 'wall_start': time.monotonic(),
                'load_start': os.getloadavg()[0]}
    watcher = threading.Thread(target=run.watch_memory, daemon=True)
    watcher.start()
    deadline = time.monotonic() + args.duration * 60 if args.duration else None
    with ThreadPoolExecutor(max_workers=len(browsers) + 1) as pool:
        futures = [pool.submit(_loop, user, run, args.rounds, deadline, f'browser {index + 1}')
                   for index, user in enumerate(browsers)]
        if light:
            futures.append(pool.submit(run_light_users, light, args.rounds, deadline))
        try:
            for future in futures:
                future.result()
        finally:  # before the pool waits for its threads: an interrupted run stops them after their current action
            run.halt.set()
            run.stopped.set()
    watcher.join()
    readings.update(end=server.memory(), cpu_end=server.cpu(), wall_end=time.monotonic(),
                    load_end=os.getloadavg()[0], socket_failures=sum(len(user.socket_failures) for user in light))
    return readings


def _memory_lines(run: Run, readings: dict) -> list[str]:
    warm, end = readings['warm'], readings['end']
    cpu = (readings['cpu_end'] - readings['cpu_start']) / (readings['wall_end'] - readings['wall_start'])
    growth = ', '.join(f'{seconds / 60:.1f} min {rss / MIB:.0f}' for seconds, rss in run.memory[::max(1, len(
        run.memory) // 12)])
    return [f'server RSS: {warm["VmRSS"] / MIB:.0f} MiB after warm-up, {end["VmRSS"] / MIB:.0f} MiB at the end '
            f'(peak {end["VmHWM"] / MIB:.0f} MiB); over time (MiB): {growth}',
            f'server CPU: {cpu:.0%} of one core on average while measuring; machine: {os.cpu_count()} CPUs, load '
            f'average {readings["load_start"]:.1f} at the start, {readings["load_end"]:.1f} at the end']


def print_report(data: BenchData, server: AppServer, args: argparse.Namespace, run: Run, readings: dict) -> None:
    minutes = (readings['wall_end'] - readings['wall_start']) / 60
    print(f'\ndatabase: {data.url.split("@")[-1]} · {data.clients:,} clients · app {server.url} · '
          f'{args.users} user(s) · {minutes:.1f} min measured · {len(run.samples) / minutes:.0f} measures a minute')
    print(report.summary(run.samples))
    if any(sample.kind == 'http' for sample in run.samples):
        print(f'\n{report.light_summary(run.samples)}')
        print(f'light users\' sockets refused or failed: {readings["socket_failures"]}')
    print()
    print(report.phases(run.samples))
    print(report.navigation_kinds(run.samples))
    if errors := report.failures(run.samples):
        print(f'failed loads:\n{errors}')
    print('\n'.join(_memory_lines(run, readings)))
    print(f'server log: {readings["log_timeouts"]} page(s) not ready within response_timeout, '
          f'{readings["log_tracebacks"]} traceback(s)')


def _interrupted(*_) -> None:
    raise KeyboardInterrupt


def run_bench(args: argparse.Namespace) -> tuple[BenchData, AppServer, Run, dict]:
    """Prepare the data, start the server, measure, stop everything."""
    with database(args.database_url, args.data_dir, args.pg_port) as url:
        data = prepare_data(url, args.clients, analyses=not args.no_analyses)
        with tempfile.TemporaryDirectory(prefix='crm-bench-browser-') as directory:
            server = AppServer(url, args.port or free_port(), Path(directory))
            try:
                server.start()
                run, readings = measure(server, data, args)
            except Exception:
                if server.log_path.exists():
                    print(server.log_path.read_text(errors='replace')[-3000:], file=sys.stderr)
                raise
            finally:
                server.stop()
            log = server.log_path.read_text(errors='replace')
            readings.update(log_timeouts=log.count(' not ready after '), log_tracebacks=log.count('Traceback'))
    return data, server, run, readings


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    args.browsers = min(args.users, 2) if args.browsers is None else args.browsers
    if args.clients < 1 or args.rounds < 1 or args.users < 1 or args.warmup < 0:
        parser.error('--clients, --rounds and --users must be 1 or more, --warmup 0 or more')
    if not 1 <= args.browsers <= args.users:
        parser.error('--browsers must be between 1 and --users')
    previous = signal.signal(signal.SIGTERM, _interrupted)  # killed, or a timeout: clean up as on Ctrl+C
    try:
        data, server, run, readings = run_bench(args)
    finally:
        signal.signal(signal.SIGTERM, previous)
    print_report(data, server, args, run, readings)
    if args.json:
        args.json.write_text(json.dumps({'argv': list(argv or sys.argv[1:]), 'readings': readings,
                                         'memory': run.memory, 'samples': [asdict(s) for s in run.samples]}))
    return 0


if __name__ == '__main__':
    sys.exit(main())
