from nicegui import ui


def kpi_card(label: str, value: str, *, icon: str, caption: str | None = None, mark: str | None = None) -> ui.card:
    with ui.card().classes('crm-card p-4 min-w-48 flex-1') as card:
        with ui.row().classes('items-center justify-between w-full no-wrap'):
            ui.label(label).classes('text-sm crm-muted')
            ui.icon(icon).classes('text-primary text-xl')
        value_label = ui.label(value).classes('text-3xl font-semibold')
        if mark:
            value_label.mark(mark)
        if caption:
            ui.label(caption).classes('text-xs crm-muted')
    return card


def kpi_skeleton() -> ui.card:
    with ui.card().classes('crm-card p-4 min-w-48 flex-1') as card:
        ui.skeleton('text').classes('w-1/2')
        ui.skeleton('text').classes('text-3xl w-1/3')
    return card
