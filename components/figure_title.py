"""A figure's or a chart's title with its definition: an info icon whose tooltip says what is counted.

The same word must mean the same number on every screen; the definition beside it says which. The tooltip shows on
hover and on keyboard focus, and stays on a tap on phones (Quasar's own tooltip shows only while the finger is down):
the icon drives it itself, in the browser.
"""

from nicegui import ui


def definition_icon(definition: str) -> ui.icon:
    """A small focusable info icon; its tooltip (and its accessible name) is `definition`."""
    icon = ui.icon('info_outline').classes('text-base text-slate-400 hover:text-slate-600 focus:text-slate-600 '
                                           'cursor-help shrink-0')
    icon.props('tabindex=0 role=img')
    icon._props['aria-label'] = definition
    with icon:
        tip = ui.tooltip(definition).props('no-parent-event max-width=20rem').classes('text-sm')
    show, hide = (f'() => runMethod({tip.id}, "{name}", [])' for name in ('show', 'hide'))
    for event in ('mouseenter', 'focus', 'click'):
        icon.on(event, js_handler=show)
    for event in ('mouseleave', 'blur'):
        icon.on(event, js_handler=hide)
    return icon


def figure_title(title: str, definition: str, *, classes: str = 'font-semibold', mark: str | None = None) -> ui.row:
    """`title` followed by the info icon of its `definition`, on one line (the title is cut with «…» if need be)."""
    with ui.row().classes('items-center gap-1 no-wrap min-w-0') as row:
        label = ui.label(title).classes(f'{classes} truncate')
        definition_icon(definition)
    if mark:
        label.mark(mark)
    return row
