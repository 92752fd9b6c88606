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
              texts: list[str] | None = None, height: int = 240) -> ui.plotly:
    """Horizontal bars, first label on top."""
    figure = go.Figure(go.Bar(x=values, y=labels, orientation='h', marker_color=colors,
                              text=texts or values, textposition='auto', hoverinfo='y+text'))
    figure.update_layout(yaxis={'autorange': 'reversed', 'automargin': True}, xaxis={'visible': False})
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
