from nicegui import ui


def empty_state(title: str, hint: str, *, icon: str = 'inbox') -> ui.column:
    with ui.column().classes('w-full items-center py-10 gap-2 text-center') as column:
        ui.icon(icon, size='3rem').classes('text-slate-300')
        ui.label(title).classes('text-base font-semibold text-slate-600')
        ui.label(hint).classes('text-sm crm-muted max-w-md')
    return column
