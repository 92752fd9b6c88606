"""«What will be sent»: the exact messages an analysis would send to the tenant's model, shown before any call, with
the placeholders that stand for names, e-mails and phones highlighted."""

import html
import json
import re

from nicegui import ui

from services.ai.analyses import LlmPreview
from ui.i18n import t

PREVIEW_CSS = '''
.crm-placeholder { background: #fde68a; color: #78350f; border-radius: 4px; padding: 0 .2em; font-weight: 600; }
.crm-preview-text { max-height: 55vh; overflow: auto; overflow-wrap: anywhere; }
'''
_PLACEHOLDER = re.compile(r'\[(?:PERSONNE|EMAIL|TEL)_\d+\]')
TEXT = 'w-full whitespace-pre-wrap font-mono text-xs leading-relaxed rounded border border-slate-200 bg-slate-50 p-3 ' \
    'crm-preview-text'


def readable(content: str) -> str:
    """A user message («intro line» then one line of JSON) with its JSON indented; anything else as it is."""
    intro, _, payload = content.partition('\n')
    try:
        return f'{intro}\n{json.dumps(json.loads(payload), ensure_ascii=False, indent=2)}'
    except json.JSONDecodeError:
        return content


def highlighted(text: str) -> str:
    """The text as HTML: escaped, each placeholder in a <mark>."""
    return _PLACEHOLDER.sub(lambda match: f'<mark class="crm-placeholder">{match.group()}</mark>', html.escape(text))


def show_preview(preview: LlmPreview) -> None:
    ui.add_css(PREVIEW_CSS)
    system, user = preview.messages[0].content, preview.messages[-1].content
    with ui.dialog() as dialog, ui.card().classes('crm-card p-5 gap-3 w-full max-w-3xl').mark('ai-preview-dialog'):
        with ui.row().classes('w-full items-center gap-2 no-wrap'):
            ui.icon('visibility', size='sm').classes('text-primary shrink-0')
            ui.label(t('ai.preview_title')).classes('font-semibold min-w-0')
            ui.space()
            ui.button(icon='close', on_click=dialog.close).props('flat round dense').mark('ai-preview-close')
        ui.label(t('ai.preview_destination', model=preview.model, destination=preview.destination)) \
            .classes('text-sm crm-muted')
        _privacy(preview)
        with ui.expansion(t('ai.preview_system'), icon='rule').classes('w-full') \
                .props('dense header-class="px-0"').mark('ai-preview-system'):
            ui.html(highlighted(system), sanitize=True).classes(TEXT)
        ui.label(t('ai.preview_user')).classes('text-xs crm-muted uppercase tracking-wide font-semibold pt-1')
        ui.html(highlighted(readable(user)), sanitize=True).classes(TEXT).mark('ai-preview-user')
        ui.label(t('ai.preview_note')).classes('text-xs crm-muted')
        with ui.row().classes('w-full justify-end gap-2'):
            ui.button(t('ai.preview_copy'), icon='content_copy',
                      on_click=lambda: _copy(user)).props('flat no-caps').mark('ai-preview-copy')
            ui.button(t('action.close'), on_click=dialog.close).props('unelevated no-caps')
    dialog.on('hide', dialog.delete)
    dialog.open()


def _privacy(preview: LlmPreview) -> None:
    if not preview.pseudonymize:
        with ui.row().classes('w-full items-center gap-2 rounded bg-amber-50 px-3 py-2 no-wrap') \
                .mark('ai-preview-clear'):
            ui.icon('warning', size='xs').classes('text-amber-800 shrink-0')
            ui.label(t('ai.preview_clear')).classes('text-sm text-amber-900')
        return
    with ui.column().classes('w-full gap-2 rounded bg-slate-50 px-3 py-2').mark('ai-preview-masked'):
        with ui.row().classes('w-full items-center gap-2 no-wrap'):
            ui.icon('shield', size='xs').classes('text-primary shrink-0')
            ui.label(t('ai.preview_masked', count=len(preview.placeholders))).classes('text-sm')
        if preview.placeholders:
            ui.html(' '.join(highlighted(placeholder) for placeholder in preview.placeholders), sanitize=True) \
                .classes('text-xs font-mono leading-relaxed')


def _copy(text: str) -> None:
    ui.clipboard.write(text)
    ui.notify(t('ai.preview_copied'), type='positive', position='top-right')
