"""Plotly charts in the product's look: white, no toolbar, labels on the bars.

The figures are plain dicts, as plotly.js takes them: the same JSON as `go.Figure(...).to_plotly_json()` gave (the
`*_figure` functions are checked against plotly's objects by the tests), without plotly's validators, which weigh
about 16 MiB in the server's memory once a `go.Figure` has been built.

Each chart also has its `NARROW_*` layout changes, which `plotly_chart` applies in the browser when the chart is
narrower than `NARROW_WIDTH` (a phone): month labels angled and fewer, legends above the plot, tile labels kept.
"""

import json
from collections.abc import Sequence
from functools import cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from components.plotly_chart import plotly_chart

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


# Narrow treemaps: every tile's name, and only its name (its figures are in its hover and the legend beside), at
# 10 px at least (Plotly would shrink the small tiles' names to nothing).
NARROW_TREEMAP: dict = {'uniformtext': {'minsize': 10, 'mode': 'show'}, 'margin': {'l': 0, 'r': 0}}
LEGEND_ABOVE = {'orientation': 'h', 'x': 0, 'y': 1.02, 'yanchor': 'bottom'}
PARTIAL_GROUP = 'partial'


def _show(figure: Figure, mark: str, narrow: dict | None = None, narrow_traces: list[dict] | None = None) \
        -> plotly_chart:
    return plotly_chart({**figure, 'config': CHART_CONFIG}, narrow=narrow, narrow_traces=narrow_traces) \
        .classes('w-full').mark(mark)


def narrow_labels(labels: Sequence[str], most: int) -> dict:
    """The narrow layout of a chart over months: the labels at 45°, so that they keep clear of each other and of the
    legend above, and `most` of them at most, every n-th one counted back from the last (the current month keeps
    its label)."""
    xaxis: dict[str, Any] = {'tickangle': -45}
    if len(labels) > most:
        step = -(-len(labels) // most)
        xaxis.update(tickmode='array', tickvals=list(labels)[::-step][::-1])
    return {'xaxis': xaxis}


def bar_figure(labels: list[str], values: list[float], *, colors: list[str] | str = PRIMARY,
               texts: list[str] | None = None, height: int = 240, headroom: float = 0) -> Figure:
    xaxis: dict = {'visible': False}
    if headroom and values:
        xaxis['range'] = [0, max(max(values), 0) * (1 + headroom) or 1]
    bar = _trace('bar', x=list(values), y=list(labels), orientation='h', marker={'color': _colors(colors)},
                 text=_texts(texts or values), textposition='auto', hoverinfo='y+text', cliponaxis=not headroom)
    return _figure([bar], height, yaxis={'autorange': 'reversed', 'automargin': True}, xaxis=xaxis)


def bar_chart(labels: list[str], values: list[float], mark: str, *, colors: list[str] | str = PRIMARY,
              texts: list[str] | None = None, height: int = 240, headroom: float = 0) -> plotly_chart:
    """Horizontal bars, first label on top; `headroom` (a share of the largest value) keeps room on the right for
    the texts written after the shorter bars (on phones)."""
    return _show(bar_figure(labels, values, colors=colors, texts=texts, height=height, headroom=headroom), mark)


def column_figure(labels: list[str], series: dict[str, list[float]], *, height: int = 260,
                  counts: bool = False) -> Figure:
    bars = [_trace('bar', name=str(name), x=list(labels), y=list(values),
                   marker={'color': PALETTE[index % len(PALETTE)]})
            for index, (name, values) in enumerate(series.items())]
    yaxis: dict[str, Any] = {'gridcolor': '#eef2f7', 'automargin': True}
    if counts:  # whole numbers: no «0,5» tick
        yaxis.update(rangemode='tozero', tickformat='d')
        if max((max(values, default=0) for values in series.values()), default=0) < 5:
            yaxis['dtick'] = 1
    return _figure(bars, height, barmode='group', legend=LEGEND_ABOVE, yaxis=yaxis, xaxis={'automargin': True},
                   showlegend=len(series) > 1)


def column_chart(labels: list[str], series: dict[str, list[float]], mark: str, *, height: int = 260,
                 counts: bool = False) -> plotly_chart:
    """Vertical bars, one group per label and one colour per series, the legend above (below, it would meet the
    labels once they are angled on a phone); `counts`: whole numbers on the axis."""
    return _show(column_figure(labels, series, height=height, counts=counts), mark, narrow_labels(labels, 12))


def donut_figure(labels: list[str], values: list[float], *, height: int = 240) -> Figure:
    pie = _trace('pie', labels=list(labels), values=list(values), hole=0.55, marker={'colors': list(PALETTE)},
                 textinfo='value+percent', sort=False)
    return _figure([pie], height, legend={'orientation': 'h', 'y': -0.1})


def donut_chart(labels: list[str], values: list[float], mark: str, *, height: int = 240) -> plotly_chart:
    return _show(donut_figure(labels, values, height=height), mark)


def _partial_traces(name: str, labels: list[str], values: list[float], texts: list[str] | None,
                    color: str) -> list[dict]:
    """The last point of a series that is only partly counted (the current month): a dotted segment from the point
    before it, named `name` in the legend, and an open marker that carries its hover."""
    return [_trace('scatter', name=name, x=labels[-2:], y=values[-2:], mode='lines', legendgroup=PARTIAL_GROUP,
                   line={'color': color, 'width': 3, 'dash': 'dot'}, hoverinfo='skip'),
            _trace('scatter', name=name, x=labels[-1:], y=values[-1:], mode='markers', legendgroup=PARTIAL_GROUP,
                   showlegend=False, marker={'color': color, 'size': 9, 'symbol': 'circle-open', 'line': {'width': 2}},
                   text=_texts(texts[-1:]) if texts else None,
                   hovertemplate='%{x}<br>%{text}<extra>%{fullData.name}</extra>' if texts else None)]


def line_figure(labels: list[str], series: dict[str, list[float]], *, hover: dict[str, list[str]] | None = None,
                muted: tuple[str, ...] = (), height: int = 280, separators: str | None = None,
                partial: str | None = None) -> Figure:
    traces = []
    for index, (name, values) in enumerate(series.items()):
        quiet = name in muted
        texts = (hover or {}).get(name)
        color = '#94a3b8' if quiet else PALETTE[index % len(PALETTE)]
        split = bool(partial) and not quiet and len(values) > 1
        shown = [*values[:-1], None] if split else list(values)
        traces.append(_trace(
            'scatter', name=str(name), x=list(labels), y=shown, mode='lines+markers',
            line={'color': color, 'width': 2 if quiet else 3, 'dash': 'dot' if quiet else 'solid', 'shape': 'spline',
                  'smoothing': 0.4},
            marker={'size': 4 if quiet else 6}, text=_texts(texts),
            hovertemplate='%{x}<br>%{text}<extra>%{fullData.name}</extra>' if texts else None))
        if split:
            traces += _partial_traces(str(partial), list(labels), list(values), texts, color)
    layout: dict[str, Any] = {
        'legend': LEGEND_ABOVE, 'hovermode': 'x unified',
        'yaxis': {'gridcolor': '#eef2f7', 'automargin': True, 'rangemode': 'tozero'}, 'xaxis': {'automargin': True},
        'showlegend': len(series) > 1 or bool(partial)}
    if separators:
        layout['separators'] = separators
    return _figure(traces, height, **layout)


def line_chart(labels: list[str], series: dict[str, list[float]], mark: str, *,
               hover: dict[str, list[str]] | None = None, muted: tuple[str, ...] = (), height: int = 280,
               separators: str | None = None, partial: str | None = None) -> plotly_chart:
    """One line per series over the same labels; `muted` series (a comparison) are grey and dashed, `hover` gives
    each point's text (formatted amounts), `separators` the decimal and thousands marks (', ' in French).
    `partial` names the last label when it is only partly counted (the current month, in the legend): the last
    segment of each other series is then dotted and ends with an open marker, instead of falling off a cliff."""
    return _show(line_figure(labels, series, hover=hover, muted=muted, height=height, separators=separators,
                             partial=partial), mark, narrow_labels(labels, 6))


def _two_lines(label: str, width: int = 14) -> str:
    """A tile's name on two lines when it is long, cut at the space nearest its middle."""
    if len(label) <= width or ' ' not in label:
        return label
    cut = min((index for index, char in enumerate(label) if char == ' '), key=lambda index: abs(index - len(label) / 2))
    return f'{label[:cut]}<br>{label[cut + 1:]}'


def treemap_figure(ids: list[str], labels: list[str], values: list[float], *, colors: list[str], texts: list[str],
                   hovers: list[str] | None = None, min_share: float = 0.05, height: int = 300) -> Figure:
    total = sum(values) or 1
    floor = total * min_share
    treemap = _trace(
        'treemap', ids=list(ids), labels=list(labels), parents=[''] * len(ids),
        values=[max(value, floor) if value else 0 for value in values],
        customdata=list(ids), text=_texts(texts), hovertext=_texts(hovers or texts), sort=True,
        marker={'colors': list(colors), 'line': {'color': 'white', 'width': 2}}, tiling={'pad': 2},
        textposition='middle center', insidetextfont={'color': 'white'},
        texttemplate=[f'<b>{_two_lines(label)}</b><br>%{{text}}' if value >= floor else f'<b>{_two_lines(label)}</b>'
                      for label, value in zip(labels, values, strict=True)],
        hovertemplate='<b>%{label}</b><br>%{hovertext}<extra></extra>', pathbar={'visible': False})
    return _figure([treemap], height)


def treemap_chart(ids: list[str], labels: list[str], values: list[float], mark: str, *, colors: list[str],
                  texts: list[str], hovers: list[str] | None = None, min_share: float = 0.05,
                  height: int = 300) -> plotly_chart:
    """Flat tiles sized by value, each named, with `texts` under the names (and `hovers` on hover); a click reports
    the tile's id as the point's `customdata`. A tile under `min_share` of the total is drawn at `min_share`, with its
    name only, so that the name stays readable (its true figure is in its hover and in the legend beside the chart);
    on a phone every tile shows its name only, at 10 px at least."""
    figure = treemap_figure(ids, labels, values, colors=colors, texts=texts, hovers=hovers, min_share=min_share,
                            height=height)
    return _show(figure, mark, NARROW_TREEMAP, [narrow_treemap(labels)])


def narrow_treemap(labels: list[str]) -> dict:
    """A narrow treemap's trace: the tiles' names only."""
    return {'texttemplate': [f'<b>{_two_lines(label)}</b>' for label in labels]}
