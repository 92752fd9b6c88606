from nicegui import ui


async def confirm(title: str, message: str, *, confirm_label: str, cancel_label: str,
                  danger: bool = True) -> bool:
    """Ask before doing something destructive; True when the user confirms."""
    with ui.dialog() as dialog, ui.card().classes('crm-card p-5 gap-3 min-w-80'):
        ui.label(title).classes('text-lg font-semibold')
        ui.label(message).classes('crm-muted')
        with ui.row().classes('w-full justify-end gap-2'):
            ui.button(cancel_label, on_click=lambda: dialog.submit(False)).props('flat').mark('confirm-cancel')
            ui.button(confirm_label, on_click=lambda: dialog.submit(True)) \
                .props(f'unelevated color={"negative" if danger else "primary"}').mark('confirm-ok')
    result = await dialog
    dialog.delete()
    return bool(result)
