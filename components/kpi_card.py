from nicegui import ui

from components.figure_title import figure_title

DELTA_LOOKS = {1: ('arrow_upward', 'text-positive'), -1: ('arrow_downward', 'text-negative'),
               0: ('trending_flat', 'crm-muted')}


def kpi_card(label: str, value: str, *, icon: str, definition: str, caption: str | None = None,
             mark: str | None = None, delta: tuple[str, int] | None = None, delta_hint: str | None = None) -> ui.card:
    """A figure with its label and its `definition` (what is counted, in the label's tooltip); `delta` = (text,
    direction: 1 up in green, -1 down in red, 0 unchanged)."""
    with ui.card().classes('crm-card p-4 min-w-48 flex-1') as card:
        with ui.row().classes('items-center justify-between w-full no-wrap gap-2'):
            figure_title(label, definition, classes='text-sm crm-muted')
            ui.icon(icon).classes('text-primary text-xl')
        value_label = ui.label(value).classes('text-3xl font-semibold')
        if mark:
            value_label.mark(mark)
        if delta:
            arrow, colour = DELTA_LOOKS[(delta[1] > 0) - (delta[1] < 0)]
            with ui.row().classes('items-center gap-1 no-wrap text-xs min-w-0'):
                ui.icon(arrow, size='16px').classes(colour)
                change = ui.label(delta[0]).classes(f'{colour} font-semibold whitespace-nowrap')
                if mark:
                    change.mark(f'{mark}-delta')
                if delta_hint:
                    ui.label(delta_hint).classes('crm-muted truncate')
        if caption:
            caption_label = ui.label(caption).classes('text-xs crm-muted')
            if mark:
                caption_label.mark(f'{mark}-caption')
    return card


def kpi_skeleton() -> ui.card:
    with ui.card().classes('crm-card p-4 min-w-48 flex-1') as card:
        ui.skeleton('text').classes('w-1/2')
        ui.skeleton('text').classes('text-3xl w-1/3')
    return card
