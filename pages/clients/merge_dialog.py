"""The merge of two look-alike clients: both side by side, the user picks the one to keep, confirms, and the other
is merged into it (services.merge) and archived."""

from nicegui import ui

from components.confirm import confirm
from components.formatting import format_date, format_integer
from services import merge
from services.actor import Actor
from services.clients import ClientRead
from services.contact_details import display_phone
from services.errors import DomainError
from services.merge import MergeSide
from ui.data import call
from ui.feedback import failed, saved
from ui.i18n import current_language, t

SIDE_CARD = 'crm-card p-4 gap-2 w-full border-2'


def _detail(icon: str, text: str | None) -> None:
    with ui.row().classes('items-center gap-2 no-wrap min-w-0'):
        ui.icon(icon, size='xs').classes('text-slate-400')
        ui.label(text or '—').classes('text-sm break-all' if text else 'text-sm crm-muted')


def _side_card(side: MergeSide, language: str) -> tuple[ui.card, ui.badge]:
    client = side.client
    with ui.card().classes(SIDE_CARD).mark(f'merge-side-{client.id}') as card:
        with ui.row().classes('w-full items-start justify-between no-wrap gap-2'):
            ui.link(client.name, f'/clients/{client.id}', new_tab=True) \
                .classes('font-semibold text-primary no-underline break-words min-w-0')
            badge = ui.badge('').props('rounded')
        _detail('mail', client.email)
        _detail('phone', display_phone(client.phone) if client.phone else None)
        _detail('place', ', '.join(part for part in (client.address, client.postal_code, client.city) if part))
        _detail('event', t('merge.created', date=format_date(client.created_at.date(), language)))
        ui.label(t('merge.counts', contacts=format_integer(side.contacts, language),
                   cases=format_integer(side.cases, language),
                   interactions=format_integer(side.interactions, language),
                   sales=format_integer(side.sales, language))).classes('text-xs crm-muted')
    return card, badge


async def merge_pair(actor: Actor, first_id: int, second_id: int) -> ClientRead | None:
    """Open the dialog for a pair (the first client kept by default); returns the kept client once merged."""
    try:
        sides = await call(merge.merge_preview, actor, first_id, second_id)
    except DomainError as problem:
        failed(problem)
        return None
    language = current_language()
    by_id = {side.client.id: side.client for side in sides}
    with ui.dialog() as dialog, ui.card().classes('crm-card p-5 gap-3 w-full max-w-3xl').mark('merge-dialog'):
        ui.label(t('merge.title')).classes('text-lg font-semibold')
        ui.label(t('merge.explain')).classes('text-sm crm-muted')
        choice = ui.radio({side.client.id: side.client.name for side in sides}, value=first_id) \
            .props('inline').mark('merge-keep')
        ui.label(t('merge.choose')).classes('text-xs crm-muted -mt-2')
        with ui.grid().classes('w-full grid-cols-1 sm:grid-cols-2 gap-3'):
            looks = {side.client.id: _side_card(side, language) for side in sides}
        for client_id, (card, _) in looks.items():  # a click on a card chooses it too
            card.classes('cursor-pointer').on('click', lambda _, client_id=client_id: choice.set_value(client_id))
        error = ui.label('').classes('text-negative text-sm').mark('merge-error')
        with ui.row().classes('w-full justify-end gap-2'):
            ui.button(t('action.cancel'), on_click=lambda: dialog.submit(None)).props('flat').mark('merge-cancel')
            go = ui.button(t('merge.confirm'), icon='call_merge').props('unelevated').mark('merge-go')

    def show_choice() -> None:
        for client_id, (card, badge) in looks.items():
            kept = client_id == choice.value
            card.style(f'border-color: {"var(--q-primary)" if kept else "transparent"}')
            badge.set_text(t('merge.kept') if kept else t('merge.archived'))
            badge.props(f'color={"primary" if kept else "grey-6"}')

    async def run_merge() -> None:
        kept = by_id[choice.value]
        gone = next(client for client_id, client in by_id.items() if client_id != kept.id)
        if not await confirm(t('merge.confirm_title', merged=gone.name, kept=kept.name),
                             t('merge.confirm_message', merged=gone.name, kept=kept.name),
                             confirm_label=t('merge.confirm'), cancel_label=t('action.cancel')):
            return
        go.props('loading')
        try:
            result = await call(merge.merge_clients, actor, kept.id, gone.id, keep_version=kept.version,
                                merge_version=gone.version)
        except DomainError as problem:
            go.props(remove='loading')
            error.set_text(t(problem.key, **problem.params))
            return
        saved('merge.done', merged=gone.name, kept=kept.name)
        dialog.submit(result)

    choice.on_value_change(show_choice)
    go.on_click(run_merge)
    show_choice()
    result = await dialog
    dialog.delete()
    return result
