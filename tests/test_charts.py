"""The chart figures, written as plain dicts, are exactly what plotly's objects gave (`go.Figure.to_plotly_json`)."""

from decimal import Decimal

import plotly.graph_objects as go
import pytest

from components import charts
from components.charts import PALETTE, PRIMARY


def _plotly(figure: go.Figure, height: int) -> dict:
    """The figure as `components.charts` built it with plotly before the dicts."""
    figure.update_layout(margin={'l': 10, 'r': 10, 't': 10, 'b': 10}, height=height, plot_bgcolor='white',
                         paper_bgcolor='white', font={'family': 'Inter, system-ui, sans-serif', 'size': 12})
    return figure.to_plotly_json()


@pytest.mark.parametrize(('labels', 'values', 'colors', 'texts', 'headroom'), [
    (['Ouvert', 'En cours'], [3, 5], ['#2196f3', '#3f51b5'], None, 0),
    (['A', 'B', 'C'], [1.5, 0, 12.25], PRIMARY, ['1,5 €', '0 €', '12,25 €'], 0.3),
    (['A'], [Decimal('2.50')], PRIMARY, None, 0),
    ([], [], PRIMARY, None, 0.2),
])
def test_bar_figure(labels, values, colors, texts, headroom):
    figure = go.Figure(go.Bar(x=values, y=labels, orientation='h', marker_color=colors, text=texts or values,
                              textposition='auto', hoverinfo='y+text', cliponaxis=not headroom))
    xaxis: dict = {'visible': False}
    if headroom and values:
        xaxis['range'] = [0, max(max(values), 0) * (1 + headroom) or 1]
    figure.update_layout(yaxis={'autorange': 'reversed', 'automargin': True}, xaxis=xaxis)
    assert charts.bar_figure(labels, values, colors=colors, texts=texts, height=200, headroom=headroom) \
        == _plotly(figure, 200)


@pytest.mark.parametrize('series', [{'Réunions': [1, 2, 3]}, {'2025': [1, 2, 3], '2026': [4.5, 0, 2]}])
def test_column_figure(series):
    figure = go.Figure([go.Bar(name=name, x=['jan', 'fév', 'mar'], y=values, marker_color=PALETTE[index])
                        for index, (name, values) in enumerate(series.items())])
    figure.update_layout(barmode='group', legend={'orientation': 'h', 'y': -0.15},
                         yaxis={'gridcolor': '#eef2f7', 'automargin': True}, xaxis={'automargin': True},
                         showlegend=len(series) > 1)
    assert charts.column_figure(['jan', 'fév', 'mar'], series) == _plotly(figure, 260)


def test_donut_figure():
    figure = go.Figure(go.Pie(labels=['Gagné', 'Perdu'], values=[7, 2], hole=0.55, marker={'colors': list(PALETTE)},
                              textinfo='value+percent', sort=False))
    figure.update_layout(legend={'orientation': 'h', 'y': -0.1})
    assert charts.donut_figure(['Gagné', 'Perdu'], [7, 2]) == _plotly(figure, 240)


@pytest.mark.parametrize(('hover', 'muted', 'separators'), [
    (None, (), None),
    ({'Cette année': ['1 200 €', '0 €'], 'Année passée': ['900 €', '10 €']}, ('Année passée',), ', '),
    ({'Cette année': []}, (), None),
])
def test_line_figure(hover, muted, separators):
    series = {'Cette année': [1200.0, 0.0], 'Année passée': [900, 10]}
    traces = []
    for index, (name, values) in enumerate(series.items()):
        quiet = name in muted
        texts = (hover or {}).get(name)
        traces.append(go.Scatter(
            name=name, x=['janv.', 'févr.'], y=values, mode='lines+markers',
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
    assert charts.line_figure(['janv.', 'févr.'], series, hover=hover, muted=muted, separators=separators) \
        == _plotly(figure, 280)


@pytest.mark.parametrize('hovers', [None, ['12 clients', '3 clients', '1 client']])
def test_treemap_figure(hovers):
    ids, labels, values = ['champions', 'at_risk', 'lost'], ['Champions', 'À risque', 'Perdus'], [12, 3, 1]
    colors, texts = ['#2a9d8f', '#e76f51', '#94a3b8'], ['75 %', '19 %', '6 %']
    total = sum(values)
    figure = go.Figure(go.Treemap(
        ids=ids, labels=labels, parents=[''] * len(ids), values=values, customdata=ids, text=texts,
        hovertext=hovers or texts, sort=True, marker={'colors': colors, 'line': {'color': 'white', 'width': 2}},
        tiling={'pad': 2}, textposition='middle center', insidetextfont={'color': 'white'},
        texttemplate=['<b>%{label}</b><br>%{text}' if value / total >= 0.1 else '' for value in values],
        hovertemplate='<b>%{label}</b><br>%{hovertext}<extra></extra>', pathbar={'visible': False}))
    assert charts.treemap_figure(ids, labels, values, colors=colors, texts=texts, hovers=hovers, min_share=0.1) \
        == _plotly(figure, 300)
