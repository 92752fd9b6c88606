"""Plotly charts in the product's look: white, no toolbar, labels on the bars.

The figures are plain dicts, as plotly.js takes them: the same JSON as `go.Figure(...).to_plotly_json()` gave (the
`*_figure` functions are checked against plotly's objects by the tests), without plotly's validators, which weigh
about 16 MiB in the server's memory once a `go.Figure` has been built.
"""

import json
from collections.abc import Sequence
from functools import cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from nicegui import ui

CHART_CONFIG = {'displayModeBar': False, 'responsive': True}
PRIMARY = '#1d4e89'
PALETTE = ('#1d4e89', '#2a9d8f', '#e9c46a', '#f4a261', '#e76f51', '#6d597a', '#8ab17d', '#577590')
Figure = dict[str, Any]


@cache
def _template() -> dict:
    """Plotly's default template ('plotly'), which `go.Figure` writes into every figure's layout; read from its
    JSON file in the plotly package without importing plotly."""
    spec = find_spec('plotly')
    assert spec is not None and spec.submodule_search_locations, 'the plotly package is required'
    path = Path(spec.submodule_search_locations[0]) / 'package_data' / 'templates' / 'plotly.json'
    return json.loads(path.read_text(encoding='utf-8'))


def _texts(values: Sequence | None) -> list | None:
    """What plotly makes of a text array: strings, numbers written with `str`, None kept."""
    if values is None:
        return None
    return [value if value is None or isinstance(value, str) else str(value) for value in values]


def _trace(kind: str, **properties: Any) -> dict:
    """A trace as plotly writes it: its type, and only the properties that are set."""
    return {'type': kind, **{name: value for name, value in properties.items() if value is not None}}


def _figure(traces: list[dict], height: int, **layout: Any) -> Figure:
    return {'data': traces, 'layout': {
        **layout, 'margin': {'l': 10, 'r': 10, 't': 10, 'b': 10}, 'height': height, 'plot_bgcolor': 'white',
        'paper_bgcolor': 'white', 'font': {'family': 'Inter, system-ui, sans-serif', 'size': 12},
        'template': _template()}}


def _colors(colors: Sequence[str] | str) -> list[str] | str:
    return colors if isinstance(colors, str) else list(colors)


def _show(figure: Figure, mark: str) -> ui.plotly:
    return ui.plotly({**figure, 'config': CHART_CONFIG}).classes('w-full').mark(mark)


def bar_figure(labels: list[str], values: list[float], *, colors: list[str] | str = PRIMARY,
               texts: list[str] | None = None, height: int = 240, headroom: float = 0) -> Figure:
    xaxis: dict = {'visible': False}
    if headroom and values:
        xaxis['range'] = [0, max(max(values), 0) * (1 + headroom) or 1]
    bar = _trace('bar', x=list(values), y=list(labels), orientation='h', marker={'color': _colors(colors)},
                 text=_texts(texts or values), textposition='auto', hoverinfo='y+text', cliponaxis=not headroom)
    return _figure([bar], height, yaxis={'autorange': 'reversed', 'automargin': True}, xaxis=xaxis)


def bar_chart(labels: list[str], values: list[float], mark: str, *, colors: list[str] | str = PRIMARY,
              texts: list[str] | None = None, height: int = 240, headroom: float = 0) -> ui.plotly:
    """Horizontal bars, first label on top; `headroom` (a share of the largest value) keeps room on the right for
    the texts written after the shorter bars (on phones)."""
    return _show(bar_figure(labels, values, colors=colors, texts=texts, height=height, headroom=headroom), mark)


def column_figure(labels: list[str], series: dict[str, list[float]], *, height: int = 260) -> Figure:
    bars = [_trace('bar', name=str(name), x=list(labels), y=list(values),
                   marker={'color': PALETTE[index % len(PALETTE)]})
            for index, (name, values) in enumerate(series.items())]
    return _figure(bars, height, barmode='group', legend={'orientation': 'h', 'y': -0.15},
                   yaxis={'gridcolor': '#eef2f7', 'automargin': True}, xaxis={'automargin': True},
                   showlegend=len(series) > 1)


def column_chart(labels: list[str], series: dict[str, list[float]], mark: str, *, height: int = 260) -> ui.plotly:
    """Vertical bars, one group per label and one colour per series."""
    return _show(column_figure(labels, series, height=height), mark)


def donut_figure(labels: list[str], values: list[float], *, height: int = 240) -> Figure:
    pie = _trace('pie', labels=list(labels), values=list(values), hole=0.55, marker={'colors': list(PALETTE)},
                 textinfo='value+percent', sort=False)
    return _figure([pie], height, legend={'orientation': 'h', 'y': -0.1})


def donut_chart(labels: list[str], values: list[float], mark: str, *, height: int = 240) -> ui.plotly:
    return _show(donut_figure(labels, values, height=height), mark)


def line_figure(labels: list[str], series: dict[str, list[float]], *, hover: dict[str, list[str]] | None = None,
                muted: tuple[str, ...] = (), height: int = 280, separators: str | None = None) -> Figure:
    traces = []
    for index, (name, values) in enumerate(series.items()):
        quiet = name in muted
        texts = (hover or {}).get(name)
        traces.append(_trace(
            'scatter', name=str(name), x=list(labels), y=list(values), mode='lines+markers',
            line={'color': '#94a3b8' if quiet else PALETTE[index % len(PALETTE)], 'width': 2 if quiet else 3,
                  'dash': 'dot' if quiet else 'solid', 'shape': 'spline', 'smoothing': 0.4},
            marker={'size': 4 if quiet else 6}, text=_texts(texts),
            hovertemplate='%{x}<br>%{text}<extra>%{fullData.name}</extra>' if texts else None))
    layout: dict[str, Any] = {
        'legend': {'orientation': 'h', 'x': 0, 'y': 1.02, 'yanchor': 'bottom'}, 'hovermode': 'x unified',
        'yaxis': {'gridcolor': '#eef2f7', 'automargin': True, 'rangemode': 'tozero'}, 'xaxis': {'automargin': True},
        'showlegend': len(series) > 1}
    if separators:
        layout['separators'] = separators
    return _figure(traces, height, **layout)


def line_chart(labels: list[str], series: dict[str, list[float]], mark: str, *,
               hover: dict[str, list[str]] | None = None, muted: tuple[str, ...] = (), height: int = 280,
               separators: str | None = None) -> ui.plotly:
    """One line per series over the same labels; `muted` series (a comparison) are grey and dashed, `hover` gives
    each point's text (formatted amounts), `separators` the decimal and thousands marks (', ' in French)."""
    return _show(line_figure(labels, series, hover=hover, muted=muted, height=height, separators=separators), mark)


def treemap_figure(ids: list[str], labels: list[str], values: list[float], *, colors: list[str], texts: list[str],
                   hovers: list[str] | None = None, min_share: float = 0.05, height: int = 300) -> Figure:
    total = sum(values) or 1
    treemap = _trace(
        'treemap', ids=list(ids), labels=list(labels), parents=[''] * len(ids), values=list(values),
        customdata=list(ids), text=_texts(texts), hovertext=_texts(hovers or texts), sort=True,
        marker={'colors': list(colors), 'line': {'color': 'white', 'width': 2}}, tiling={'pad': 2},
        textposition='middle center', insidetextfont={'color': 'white'},
        texttemplate=['<b>%{label}</b><br>%{text}' if value / total >= min_share else '' for value in values],
        hovertemplate='<b>%{label}</b><br>%{hovertext}<extra></extra>', pathbar={'visible': False})
    return _figure([treemap], height)


def treemap_chart(ids: list[str], labels: list[str], values: list[float], mark: str, *, colors: list[str],
                  texts: list[str], hovers: list[str] | None = None, min_share: float = 0.05,
                  height: int = 300) -> ui.plotly:
    """Flat tiles sized by value, with `texts` under their labels (and `hovers` on hover); a click reports the
    tile's id as the point's `customdata`. Tiles under `min_share` of the total stay blank: their text would not be
    readable (a legend beside the chart names them)."""
    return _show(treemap_figure(ids, labels, values, colors=colors, texts=texts, hovers=hovers, min_share=min_share,
                                height=height), mark)
