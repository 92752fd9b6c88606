"""The tables `bench.browser` prints: per screen, what the user waits for (cold load, in-app navigation, time to
first byte, failed loads), and where the time of a page load goes (medians, ms since the navigation started)."""

import statistics
from collections.abc import Iterable, Sequence

from bench.browser_screens import SCREENS
from bench.browser_user import Sample
from bench.runner import percentile

SUMMARY = ('screen', 'cold p50', 'cold p95', 'in-app p50', 'in-app p95', 'TTFB p50', 'n', 'failed')
PHASES = ('response', 'html', 'dom_content_loaded', 'ws_created', 'ws_open', 'data_in_dom', 'data',
          'click_to_navigation', 'long_tasks')
PHASE_HEADERS = ('page load (ms since navigation start)', 'first byte', 'HTML', 'DOMContentLoaded', 'socket created',
                 'socket open', 'data in DOM', 'data painted', 'click → navigation', 'long tasks before paint')


def _values(samples: Iterable[Sample], kind: str) -> list[float]:
    return sorted(s.ms for s in samples if s.kind == kind and s.ms is not None)


def _cell(values: Sequence[float], fraction: float) -> str:
    return f'{percentile(values, fraction):.0f}' if values else '—'


def _median(values: Sequence[float]) -> str:
    return f'{statistics.median(values):.0f}' if values else '—'


def table(rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]

    def line(cells: Sequence[str]) -> str:
        return '  '.join(cell.ljust(width) if column == 0 else cell.rjust(width)
                         for column, (cell, width) in enumerate(zip(cells, widths, strict=True))).rstrip()

    return '\n'.join([line(rows[0]), line(['-' * width for width in widths]), *map(line, rows[1:])])


def summary(samples: Sequence[Sample]) -> str:
    """screen × cold and in-app p50/p95, TTFB p50 (cold loads), measures and failures, in ms."""
    rows = [SUMMARY]
    for name in SCREENS:
        mine = [s for s in samples if s.screen == name and s.kind in ('cold', 'in_app')]
        cold, in_app = _values(mine, 'cold'), _values(mine, 'in_app')
        ttfb = sorted(s.ttfb for s in mine if s.kind == 'cold' and s.ttfb is not None)
        failed = sum(s.ms is None for s in mine)
        rows.append((name, _cell(cold, 0.5), _cell(cold, 0.95), _cell(in_app, 0.5), _cell(in_app, 0.95),
                     _median(ttfb), f'{len(cold)}+{len(in_app)}', str(failed)))
    return table(rows)


def light_summary(samples: Sequence[Sample]) -> str:
    """The light users' page loads per screen: time to first byte and to the whole HTML, in ms, and failures."""
    rows = [('light users: screen', 'first byte p50', 'first byte p95', 'HTML p50', 'HTML p95', 'n', 'failed')]
    for name in SCREENS:
        mine = [s for s in samples if s.screen == name and s.kind == 'http']
        html = _values(mine, 'http')
        first = sorted(s.ttfb for s in mine if s.ms is not None and s.ttfb is not None)
        rows.append((name, _cell(first, 0.5), _cell(first, 0.95), _cell(html, 0.5), _cell(html, 0.95),
                     str(len(mine)), str(sum(s.ms is None for s in mine))))
    return table(rows)


def phases(samples: Sequence[Sample]) -> str:
    """Medians of the page-load phases: cold loads, and in-app navigations that loaded a new document."""
    rows = [PHASE_HEADERS]
    for kind in ('cold', 'in_app'):
        for name in SCREENS:
            mine = [s.phases for s in samples if s.screen == name and s.kind == kind and s.ms is not None and s.phases]
            if not mine:
                continue
            cells = [_median([p[phase] for p in mine if phase in p]) for phase in PHASES]
            rows.append((f'{name} ({kind.replace("_", "-")})', *cells))
    return table(rows) if len(rows) > 1 else '(no page load: every in-app navigation stayed in the same document)'


def navigation_kinds(samples: Sequence[Sample]) -> str:
    in_app = [s for s in samples if s.kind == 'in_app' and s.ms is not None]
    reloads = sum(bool(s.reloaded) for s in in_app)
    return f'in-app navigations: {reloads} full page loads, {len(in_app) - reloads} in the same document'


def failures(samples: Sequence[Sample]) -> str:
    """The distinct errors with their counts, per screen."""
    counts: dict[tuple[str, str, str], int] = {}
    for sample in samples:
        if sample.ms is None:
            key = (sample.screen, sample.kind, sample.error or '?')
            counts[key] = counts.get(key, 0) + 1
    return '\n'.join(f'  {screen} ({kind}) × {n}: {error}' for (screen, kind, error), n in sorted(counts.items()))
