"""Plotly charts in the product's look: white, no toolbar, labels on the bars."""

import plotly.graph_objects as go
from nicegui import ui

CHART_CONFIG = {'displayModeBar': False, 'responsive': True}
PRIMARY = '#1d4e89'
PALETTE = ('#1d4e89', '#2a9d8f', '#e9c46a', '#f4a261', '#e76f51', '#6d597a', '#8ab17d', '#577590')


def _show(figure: go.Figure, mark: str, height: int) -> ui.plotly:
    figure.update_layout(margin={'l': 10, 'r': 10, 't': 10, 'b': 10}, height=height, plot_bgcolor='white',
                         paper_bgcolor='white', font={'family': 'Inter, system-ui, sans-serif', 'size': 12})
    return ui.plotly({**figure.to_plotly_json(), 'config': CHART_CONFIG}).classes('w-full').mark(mark)


def bar_chart(labels: list[str], values: list[float], mark: str, *, colors: list[str] | str = PRIMARY,
              texts: list[str] | None = None, height: int = 240, headroom: float = 0) -> ui.plotly:
    """Horizontal bars, first label on top; `headroom` (a share of the largest value) keeps room on the right for
    the texts written after the shorter bars (on phones)."""
    figure = go.Figure(go.Bar(x=values, y=labels, orientation='h', marker_color=colors,
                              text=texts or values, textposition='auto', hoverinfo='y+text', cliponaxis=not headroom))
    xaxis: dict = {'visible': False}
    if headroom and values:
        xaxis['range'] = [0, max(max(values), 0) * (1 + headroom) or 1]
    figure.update_layout(yaxis={'autorange': 'reversed', 'automargin': True}, xaxis=xaxis)
    return _show(figure, mark, height)


def column_chart(labels: list[str], series: dict[str, list[float]], mark: str, *, height: int = 260) -> ui.plotly:
    """Vertical bars, one group per label and one colour per series."""
    figure = go.Figure([go.Bar(name=name, x=labels, y=values, marker_color=PALETTE[index % len(PALETTE)])
                        for index, (name, values) in enumerate(series.items())])
    figure.update_layout(barmode='group', legend={'orientation': 'h', 'y': -0.15},
                         yaxis={'gridcolor': '#eef2f7', 'automargin': True}, xaxis={'automargin': True},
                         showlegend=len(series) > 1)
    return _show(figure, mark, height)


def donut_chart(labels: list[str], values: list[float], mark: str, *, height: int = 240) -> ui.plotly:
    figure = go.Figure(go.Pie(labels=labels, values=values, hole=0.55, marker={'colors': list(PALETTE)},
                              textinfo='value+percent', sort=False))
    figure.update_layout(legend={'orientation': 'h', 'y': -0.1})
    return _show(figure, mark, height)


def line_chart(labels: list[str], series: dict[str, list[float]], mark: str, *,
               hover: dict[str, list[str]] | None = None, muted: tuple[str, ...] = (), height: int = 280,
               separators: str | None = None) -> ui.plotly:
    """One line per series over the same labels; `muted` series (a comparison) are grey and dashed, `hover` gives
    each point's text (formatted amounts), `separators` the decimal and thousands marks (', ' in French)."""
    traces = []
    for index, (name, values) in enumerate(series.items()):
        quiet = name in muted
        texts = (hover or {}).get(name)
        traces.append(go.Scatter(
            name=name, x=labels, y=values, mode='lines+markers',
            line={'color': '#94a3b8' if quiet else PALETTE[index % len(PALETTE)], 'width': 2 if quiet else 3,
                  'dash': 'dot' if quiet else 'solid', 'shape': 'spline', 'smoothing': 0.4},
            marker={'size': 4 if quiet else 6}, text=texts,
            hovertemplate='%{x}<br>%{text}<extra>%{fullData.name}</extra>' if texts else None))
    figure = go.Figure(traces)
    figure.update_layout(legend={'orientation': 'h', 'x': 0, 'y': 1.02, 'yanchor': 'bottom'}, hovermode='x unified',
                         yaxis={'gridcolor': '#eef2f7', 'automargin': True, 'rangemode': 'tozero'},
                         xaxis={'automargin': True}, showlegend=len(series) > 1)
    if separators:
        figure.update_layout(separators=separators)
    return _show(figure, mark, height)


def treemap_chart(ids: list[str], labels: list[str], values: list[float], mark: str, *, colors: list[str],
                  texts: list[str], hovers: list[str] | None = None, min_share: float = 0.05,
                  height: int = 300) -> ui.plotly:
    """Flat tiles sized by value, with `texts` under their labels (and `hovers` on hover); a click reports the
    tile's id as the point's `customdata`. Tiles under `min_share` of the total stay blank: their text would not be
    readable (a legend beside the chart names them)."""
    total = sum(values) or 1
    figure = go.Figure(go.Treemap(
        ids=ids, labels=labels, parents=[''] * len(ids), values=values, customdata=ids, text=texts,
        hovertext=hovers or texts, sort=True, marker={'colors': colors, 'line': {'color': 'white', 'width': 2}},
        tiling={'pad': 2}, textposition='middle center', insidetextfont={'color': 'white'},
        texttemplate=['<b>%{label}</b><br>%{text}' if value / total >= min_share else '' for value in values],
        hovertemplate='<b>%{label}</b><br>%{hovertext}<extra></extra>', pathbar={'visible': False}))
    return _show(figure, mark, height)
