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


@pytest.mark.parametrize(('series', 'counts'), [({'Réunions': [1, 2, 3]}, False),
                                                ({'2025': [1, 2, 3], '2026': [4.5, 0, 2]}, False),
                                                ({'RDV': [0, 1, 0], 'Pitchs': [1, 0, 0]}, True),
                                                ({'RDV': [0, 7, 2]}, True)])
def test_column_figure(series, counts):
    figure = go.Figure([go.Bar(name=name, x=['jan', 'fév', 'mar'], y=values, marker_color=PALETTE[index])
                        for index, (name, values) in enumerate(series.items())])
    yaxis: dict = {'gridcolor': '#eef2f7', 'automargin': True}
    if counts:
        yaxis.update(rangemode='tozero', tickformat='d')
        if max(max(values) for values in series.values()) < 5:
            yaxis['dtick'] = 1
    figure.update_layout(barmode='group', legend={'orientation': 'h', 'x': 0, 'y': 1.02, 'yanchor': 'bottom'},
                         yaxis=yaxis, xaxis={'automargin': True}, showlegend=len(series) > 1)
    assert charts.column_figure(['jan', 'fév', 'mar'], series, counts=counts) == _plotly(figure, 260)


def test_donut_figure():
    figure = go.Figure(go.Pie(labels=['Gagné', 'Perdu'], values=[7, 2], hole=0.55, marker={'colors': list(PALETTE)},
                              textinfo='value+percent', sort=False))
    figure.update_layout(legend={'orientation': 'h', 'y': -0.1})
    assert charts.donut_figure(['Gagné', 'Perdu'], [7, 2]) == _plotly(figure, 240)


def _line_trace(name: str, labels: list, values: list, color: str, quiet: bool, texts) -> go.Scatter:
    return go.Scatter(
        name=name, x=labels, y=values, mode='lines+markers',
        line={'color': color, 'width': 2 if quiet else 3, 'dash': 'dot' if quiet else 'solid', 'shape': 'spline',
              'smoothing': 0.4},
        marker={'size': 4 if quiet else 6}, text=texts,
        hovertemplate='%{x}<br>%{text}<extra>%{fullData.name}</extra>' if texts else None)


@pytest.mark.parametrize(('hover', 'muted', 'separators'), [
    (None, (), None),
    ({'Cette année': ['1 200 €', '0 €'], 'Année passée': ['900 €', '10 €']}, ('Année passée',), ', '),
    ({'Cette année': []}, (), None),
])
def test_line_figure(hover, muted, separators):
    series = {'Cette année': [1200.0, 0.0], 'Année passée': [900, 10]}
    figure = go.Figure([_line_trace(name, ['janv.', 'févr.'], values,
                                    '#94a3b8' if name in muted else PALETTE[index % len(PALETTE)], name in muted,
                                    (hover or {}).get(name))
                        for index, (name, values) in enumerate(series.items())])
    figure.update_layout(legend={'orientation': 'h', 'x': 0, 'y': 1.02, 'yanchor': 'bottom'}, hovermode='x unified',
                         yaxis={'gridcolor': '#eef2f7', 'automargin': True, 'rangemode': 'tozero'},
                         xaxis={'automargin': True}, showlegend=len(series) > 1)
    if separators:
        figure.update_layout(separators=separators)
    assert charts.line_figure(['janv.', 'févr.'], series, hover=hover, muted=muted, separators=separators) \
        == _plotly(figure, 280)


def test_a_partial_last_month_is_a_dotted_segment_with_its_own_legend_entry():
    """The current month, counted up to today only, is not drawn as a cliff of the solid line: the solid line stops
    at the last whole month, a dotted segment named «Mois en cours (partiel)» leads to an open marker that carries
    the month's hover; the comparison line (muted) is left whole."""
    labels = ['oct. 26', 'nov. 26', 'déc. 26']
    series = {'CA': [80.0, 90.0, 12.0], 'Année précédente': [70, 60, 10]}
    hover = {'CA': ['80', '90', '12 — mois en cours'], 'Année précédente': ['70', '60', '10']}
    figure = go.Figure([
        _line_trace('CA', labels, [80.0, 90.0, None], PALETTE[0], False, hover['CA']),
        go.Scatter(name='Mois en cours (partiel)', x=labels[-2:], y=[90.0, 12.0], mode='lines', legendgroup='partial',
                   line={'color': PALETTE[0], 'width': 3, 'dash': 'dot'}, hoverinfo='skip'),
        go.Scatter(name='Mois en cours (partiel)', x=labels[-1:], y=[12.0], mode='markers', legendgroup='partial',
                   showlegend=False, marker={'color': PALETTE[0], 'size': 9, 'symbol': 'circle-open',
                                             'line': {'width': 2}},
                   text=['12 — mois en cours'], hovertemplate='%{x}<br>%{text}<extra>%{fullData.name}</extra>'),
        _line_trace('Année précédente', labels, [70, 60, 10], '#94a3b8', True, hover['Année précédente'])])
    figure.update_layout(legend={'orientation': 'h', 'x': 0, 'y': 1.02, 'yanchor': 'bottom'}, hovermode='x unified',
                         yaxis={'gridcolor': '#eef2f7', 'automargin': True, 'rangemode': 'tozero'},
                         xaxis={'automargin': True}, showlegend=True)
    assert charts.line_figure(labels, series, hover=hover, muted=('Année précédente',),
                              partial='Mois en cours (partiel)') == _plotly(figure, 280)


@pytest.mark.parametrize(('count', 'most', 'shown'), [
    (3, 6, None), (6, 6, None), (12, 6, ['m1', 'm3', 'm5', 'm7', 'm9', 'm11']), (12, 12, None),
    (13, 6, ['m0', 'm3', 'm6', 'm9', 'm12']), (60, 12, [f'm{n}' for n in range(4, 60, 5)]),
])
def test_narrow_month_labels_are_angled_and_at_most_a_dozen_ending_with_the_last(count, most, shown):
    labels = [f'm{n}' for n in range(count)]
    narrow = charts.narrow_labels(labels, most)
    go.Layout(**narrow)  # plotly's validators: every property exists
    assert narrow['xaxis']['tickangle'] == -45
    assert narrow['xaxis'].get('tickvals') == shown
    if shown:
        assert shown[-1] == labels[-1] and len(shown) <= most


def test_the_narrow_treemap_keeps_its_labels_readable():
    go.Layout(**charts.NARROW_TREEMAP)
    assert charts.NARROW_TREEMAP['uniformtext'] == {'minsize': 10, 'mode': 'show'}
    assert charts.narrow_treemap(['Champions', 'Sur le point de dormir']) == {
        'texttemplate': ['<b>Champions</b>', '<b>Sur le point<br>de dormir</b>']}  # names only


@pytest.mark.parametrize('hovers', [None, ['12 clients', '3 clients', '1 client']])
def test_treemap_figure(hovers):
    """Every tile is named; one under `min_share` of the total is drawn at `min_share`, with its name only."""
    ids, values = ['champions', 'at_risk', 'lost'], [12, 3, 1]
    labels = ['Champions', 'Sur le point de dormir', 'Perdus']
    colors, texts = ['#2a9d8f', '#e76f51', '#94a3b8'], ['75 %', '19 %', '6 %']
    figure = go.Figure(go.Treemap(
        ids=ids, labels=labels, parents=[''] * len(ids), values=[12, 3, 1.6], customdata=ids, text=texts,
        hovertext=hovers or texts, sort=True, marker={'colors': colors, 'line': {'color': 'white', 'width': 2}},
        tiling={'pad': 2}, textposition='middle center', insidetextfont={'color': 'white'},
        texttemplate=['<b>Champions</b><br>%{text}', '<b>Sur le point<br>de dormir</b><br>%{text}', '<b>Perdus</b>'],
        hovertemplate='<b>%{label}</b><br>%{hovertext}<extra></extra>', pathbar={'visible': False}))
    assert charts.treemap_figure(ids, labels, values, colors=colors, texts=texts, hovers=hovers, min_share=0.1) \
        == _plotly(figure, 300)
