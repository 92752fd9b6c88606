"""A compact band of figures (label, value, caption): two per row on phones, all on one row from large screens.
Lighter than a row of KPI cards where the figures sit above a list, as on a client's sales tab."""

from nicegui import ui

from components.figure_title import definition_icon


def stat_grid(columns: int = 4) -> ui.element:
    large = {3: 'lg:grid-cols-3', 4: 'lg:grid-cols-4'}[columns]
    return ui.element('div').classes(f'crm-card bg-white w-full grid grid-cols-2 {large} gap-x-4 gap-y-3 p-4')


def stat(label: str, value: str, *, icon: str, mark: str | None = None, caption: str | None = None,
         definition: str | None = None) -> ui.column:
    """A figure of the band; `definition` (what is counted) goes in the tooltip of an info icon after the label."""
    with ui.column().classes('gap-0 min-w-0') as column:
        with ui.row().classes('items-center gap-1 no-wrap min-w-0'):
            ui.icon(icon).classes('text-primary text-base')
            ui.label(label).classes('text-xs sm:text-sm crm-muted truncate')
            if definition:
                definition_icon(definition)
        value_label = ui.label(value).classes('text-lg sm:text-2xl font-semibold whitespace-nowrap')
        if mark:
            value_label.mark(mark)
        if caption:
            ui.label(caption).classes('text-xs crm-muted')
    return column
