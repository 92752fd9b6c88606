"""Moving between screens inside the shell."""

from nicegui import background_tasks, context, ui


def go(path: str) -> None:
    """Show the screen at `path`; the screen already shown is drawn again (after a save, with fresh data), where
    `ui.navigate.to` would leave a sub-page in place when its address does not change."""
    client = context.client
    router = client.sub_pages_router
    if router.current_path == path:
        background_tasks.create(router.refresh(), name=f'redraw {path}', context=client)
    else:
        ui.navigate.to(path)
