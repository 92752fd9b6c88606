"""Settings › AI › legal knowledge base: a server-paged list, an entry form, JSON export, import and reset."""

import asyncio
import html
import re
from typing import get_args

from nicegui import ui

from components.confirm import confirm
from components.empty_state import empty_state
from components.file_drop import file_drop
from components.formatting import human_size
from components.paged_table import TableQuery, paged_table
from services.actor import Actor
from services.ai import knowledge_store
from services.ai.knowledge import CaseType, parse_import
from services.ai.knowledge_store import MAX_IMPORT_BYTES, LegalTextRead, decode_import
from services.errors import DomainError, Invalid
from services.paging import PageRequest
from ui.data import call, in_thread
from ui.feedback import failed, saved
from ui.i18n import current_language, t

EXPORT_NAME = 'base-juridique.json'


def _columns() -> list[dict]:
    return [
        {'name': 'code', 'label': t('ai_settings.field_code'), 'field': 'code', 'align': 'left',
         'classes': 'font-mono text-xs'},
        {'name': 'reference', 'label': t('ai_settings.field_reference'), 'field': 'reference', 'align': 'left',
         'classes': 'gt-xs whitespace-normal', 'headerClasses': 'gt-xs'},
        {'name': 'title', 'label': t('ai_settings.field_title'), 'field': 'title', 'align': 'left',
         'classes': 'whitespace-normal'},
        {'name': 'article', 'label': t('ai_settings.field_article'), 'field': 'article', 'align': 'left',
         'classes': 'gt-sm', 'headerClasses': 'gt-sm'},
        {'name': 'keywords', 'label': t('ai_settings.keywords_count'), 'field': 'keywords', 'align': 'right',
         'classes': 'gt-xs', 'headerClasses': 'gt-xs'},
        {'name': 'actions', 'label': '', 'field': 'id', 'align': 'right'},
    ]


def _actions_slot() -> str:
    edit, delete = html.escape(t('action.edit')), html.escape(t('action.delete'))
    return f'''
        <q-td :props="props" auto-width>
            <q-btn flat round dense size="sm" icon="edit" title="{edit}" aria-label="{edit}"
                   @click.stop="() => $parent.$emit('edit_entry', props.row)" />
            <q-btn flat round dense size="sm" icon="delete_outline" color="negative" title="{delete}"
                   aria-label="{delete}" @click.stop="() => $parent.$emit('delete_entry', props.row)" />
        </q-td>'''


def split_keywords(text: str) -> list[str]:
    """Keywords typed one per line or separated by commas."""
    return [word.strip() for word in re.split(r'[,\n]', text) if word.strip()]


async def _capped_chunks(file) -> list[bytes]:
    """The uploaded file's chunks, read no further than one past the limit: `decode_import` then refuses it."""
    chunks, size = [], 0
    async for chunk in file.iterate():
        chunks.append(chunk)
        size += len(chunk)
        if size > MAX_IMPORT_BYTES:
            break
    return chunks


class EntryDialog:
    """Create (entry=None) or edit one legal text; the form is filled from a read model, never bound to it."""

    def __init__(self, card: 'KnowledgeBaseCard', entry: LegalTextRead | None) -> None:
        self.card, self.entry = card, entry
        values = entry.model_dump() if entry else {}
        with ui.dialog() as self.dialog, ui.card().classes('crm-card p-5 gap-3 w-full max-w-2xl'):
            ui.label(t('ai_settings.kb_edit_title', code=entry.code) if entry else t('ai_settings.kb_new_title')) \
                .classes('text-lg font-semibold break-all')
            self.fields = self._fields(values)
            self.error = ui.label('').classes('text-negative text-sm').mark('kb-entry-error')
            with ui.row().classes('w-full items-center gap-2'):
                if entry:
                    ui.button(t('action.delete'), icon='delete_outline', on_click=self._delete) \
                        .props('flat no-caps color=negative').mark('kb-entry-delete')
                ui.space()
                ui.button(t('action.cancel'), on_click=self.dialog.close).props('flat')
                ui.button(t('action.save'), on_click=self._save).props('unelevated').mark('kb-entry-save')
        self.dialog.open()

    def _fields(self, values: dict) -> dict[str, ui.element]:
        def text(name: str, max_length: int, label_key: str | None = None) -> ui.input:
            return ui.input(t(label_key or f'ai_settings.field_{name}'), value=values.get(name) or '') \
                .props(f'outlined dense maxlength={max_length}').classes('w-full').mark(f'kb-field-{name}')

        with ui.grid().classes('w-full grid-cols-1 sm:grid-cols-2 gap-3'):
            fields = {'code': text('code', 60), 'article': text('article', 120, 'ai_settings.article_optional')}
        fields['code'].props['hint'] = t('ai_settings.code_hint')
        for name in ('reference', 'title'):  # long, one line each: wrapped so that they can be read whole
            fields[name] = ui.textarea(t(f'ai_settings.field_{name}'), value=values.get(name) or '') \
                .props('outlined dense autogrow rows=1 maxlength=300').classes('w-full').mark(f'kb-field-{name}')
        fields['covers'] = ui.textarea(t('ai_settings.field_covers'), value=values.get('covers') or '') \
            .props('outlined dense autogrow maxlength=1000').classes('w-full').mark('kb-field-covers')
        fields['keywords'] = ui.textarea(t('ai_settings.field_keywords'), value='\n'.join(values.get('keywords', []))) \
            .props('outlined dense autogrow').classes('w-full').mark('kb-field-keywords')
        fields['keywords'].props['hint'] = t('ai_settings.keywords_hint')
        fields['case_types'] = ui.select({value: t(f'case_type.{value}') for value in get_args(CaseType)},
                                         multiple=True, value=list(values.get('case_types', [])),
                                         label=t('ai_settings.field_case_types')) \
            .props('outlined dense use-chips').classes('w-full').mark('kb-field-case_types')
        return fields

    def _data(self) -> dict:
        data = {name: ' '.join((self.fields[name].value or '').split())
                for name in ('code', 'reference', 'title', 'article')}
        data['covers'] = self.fields['covers'].value or ''
        data['keywords'] = split_keywords(self.fields['keywords'].value or '')
        data['case_types'] = list(self.fields['case_types'].value or [])
        return data

    def _show(self, problem: DomainError) -> None:
        message = t(problem.key, **problem.params)
        field = self.fields.get(getattr(problem, 'field', None) or '')
        if field is not None:
            field.error = message
        else:
            self.error.set_text(message)

    async def _save(self) -> None:
        self.error.set_text('')
        try:
            result = await call(knowledge_store.save_legal_text, self.card.actor, self.entry.id if self.entry else None,
                                self._data())
        except DomainError as problem:
            self._show(problem)
            return
        self.dialog.close()
        saved('ai_settings.kb_saved', code=result.code)
        await self.card.refresh()

    async def _delete(self) -> None:
        if await self.card.delete({'id': self.entry.id, 'code': self.entry.code}):
            self.dialog.close()


class KnowledgeBaseCard:
    def __init__(self, actor: Actor) -> None:
        self.actor = actor
        self.search = ''
        self._one_query_at_a_time = asyncio.Lock()  # so a slow, older search cannot overwrite a newer one
        with ui.card().classes('crm-card w-full p-5 gap-3').mark('kb-card'):
            with ui.row().classes('w-full items-center gap-2 no-wrap'):
                ui.icon('gavel', size='sm').classes('text-primary')
                ui.label(t('ai_settings.kb_title')).classes('text-base font-semibold')
            ui.label(t('ai_settings.kb_hint')).classes('text-sm crm-muted')
            with ui.row().classes('w-full items-center gap-2'):
                ui.input(placeholder=t('ai_settings.kb_search'), on_change=self._on_search) \
                    .props('outlined dense clearable debounce=300').classes('w-full sm:w-96').mark('kb-search')
                ui.space()
                ui.button(t('ai_settings.kb_add'), icon='add', on_click=lambda: self.open_entry(None)) \
                    .props('unelevated').classes('w-full sm:w-auto').mark('kb-add')
            with ui.row().classes('w-full items-center gap-1'):
                ui.button(t('ai_settings.kb_export'), icon='download', on_click=self._export) \
                    .props('flat dense no-caps').mark('kb-export')
                ui.button(t('ai_settings.kb_import'), icon='upload_file', on_click=self._open_import) \
                    .props('flat dense no-caps').mark('kb-import')
                ui.button(t('ai_settings.kb_reset'), icon='restart_alt', on_click=self._reset) \
                    .props('flat dense no-caps color=negative').mark('kb-reset')
            with ui.column().classes('w-full gap-2') as self.skeleton:
                for _ in range(5):
                    ui.skeleton('text').classes('w-full h-8')
            self.table = paged_table(columns=_columns(), fetch=self._fetch, rows_per_page=20,
                                     phone_columns=['code', 'title']).mark('kb-table')
            self.table.classes('cursor-pointer').set_visibility(False)
            self.table.add_slot('body-cell-actions', _actions_slot())
            self.table.on('rowClick', lambda e: self.open_entry(e.args[1]['id']))
            self.table.on('edit_entry', lambda e: self.open_entry(e.args['id']))
            self.table.on('delete_entry', lambda e: self.delete(e.args))
            self.empty = ui.column().classes('w-full')

    async def refresh(self, *, first_page: bool = False) -> None:
        await self.table.load(page=1 if first_page else self.table.pagination['page'])
        if not self.table.rows and self.table.pagination['page'] > 1:  # the last row of the last page went away
            await self.table.load(page=1)

    async def _fetch(self, query: TableQuery) -> tuple[list[dict], int]:
        async with self._one_query_at_a_time:  # the table shows the rows as soon as this returns, in this order
            page = await call(knowledge_store.list_legal_texts, self.actor, self.search,
                              PageRequest(limit=query.rows_per_page, offset=query.offset))
        rows = [{'id': entry.id, 'code': entry.code, 'reference': entry.reference, 'title': entry.title,
                 'article': entry.article or '—', 'keywords': len(entry.keywords)} for entry in page.items]
        self._show_empty(page.total == 0)
        return rows, page.total

    def _show_empty(self, empty: bool) -> None:
        self.skeleton.set_visibility(False)
        self.table.set_visibility(not empty)
        self.empty.clear()
        if empty:
            with self.empty:
                if self.search:
                    empty_state(t('ai_settings.kb_no_match', search=self.search), t('ai_settings.kb_no_match_hint'),
                                icon='search_off').mark('kb-empty')
                else:
                    empty_state(t('ai_settings.kb_empty'), t('ai_settings.kb_empty_hint'),
                                icon='gavel').mark('kb-empty')

    async def _on_search(self, event) -> None:
        self.search = (event.value or '').strip()
        await self.refresh(first_page=True)

    async def open_entry(self, text_id: int | None) -> None:
        entry = None
        if text_id is not None:
            try:
                entry = await call(knowledge_store.get_legal_text, self.actor, text_id)
            except DomainError as problem:
                failed(problem)
                await self.refresh()
                return
        EntryDialog(self, entry)

    async def delete(self, row: dict) -> bool:
        if not await confirm(t('ai_settings.kb_delete_title', code=row['code']), t('ai_settings.kb_delete_message'),
                             confirm_label=t('action.delete'), cancel_label=t('action.cancel')):
            return False
        try:
            await call(knowledge_store.delete_legal_text, self.actor, row['id'])
        except DomainError as problem:
            failed(problem)
            return False
        saved('ai_settings.kb_deleted', code=row['code'])
        await self.refresh()
        return True

    async def _export(self) -> None:
        text = await call(knowledge_store.export_legal_texts, self.actor)
        ui.download(text.encode('utf-8'), EXPORT_NAME, 'application/json')

    async def _reset(self) -> None:
        if not await confirm(t('ai_settings.kb_reset_title'), t('ai_settings.kb_reset_message'),
                             confirm_label=t('ai_settings.kb_reset'), cancel_label=t('action.cancel')):
            return
        try:
            count = await call(knowledge_store.reset_legal_texts, self.actor)
        except DomainError as problem:
            failed(problem)
            return
        saved('ai_settings.kb_reset_done', count=count)
        await self.refresh(first_page=True)

    def _open_import(self) -> None:
        with ui.dialog() as dialog, ui.card().classes('crm-card p-5 gap-3 w-full max-w-lg'):
            ui.label(t('ai_settings.kb_import_title')).classes('text-lg font-semibold')
            ui.label(t('ai_settings.kb_import_hint')).classes('text-sm crm-muted')

            async def received(event) -> None:
                error.set_text('')
                if await self._import(event.file, error):
                    dialog.close()
                else:
                    upload.reset()

            limit = human_size(MAX_IMPORT_BYTES, current_language())
            upload = file_drop(t('ai_settings.kb_import_drop'), t('documents.size_limit', max=limit),
                               auto_upload=True, max_file_size=MAX_IMPORT_BYTES, on_upload=received,
                               on_rejected=lambda: error.set_text(t('error.kb_import_too_large',
                                                                    limit=MAX_IMPORT_BYTES >> 20))) \
                .props('accept=".json,application/json"').mark('kb-upload')
            error = ui.label('').classes('text-negative text-sm break-words').mark('kb-import-error')
            with ui.row().classes('w-full justify-end'):
                ui.button(t('ai_settings.close'), on_click=dialog.close).props('flat')
        dialog.open()

    async def _import(self, file, error: ui.label) -> bool:
        """Check the whole file first, ask before replacing the base, then replace it; False if nothing changed."""
        try:
            text = decode_import(await _capped_chunks(file))
            entries = await in_thread(parse_import, text)
        except Invalid as problem:
            error.set_text(t(problem.key, **problem.params))
            return False
        if not await confirm(t('ai_settings.kb_import_confirm_title'),
                             t('ai_settings.kb_import_confirm_message', count=len(entries)),
                             confirm_label=t('ai_settings.kb_import_confirm'), cancel_label=t('action.cancel')):
            return False
        try:
            count = await call(knowledge_store.import_legal_texts, self.actor, text)
        except DomainError as problem:
            error.set_text(t(problem.key, **problem.params))
            return False
        saved('ai_settings.kb_imported', count=count)
        await self.refresh(first_page=True)
        return True
