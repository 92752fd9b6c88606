"""Documents of a case or a client: several files at once, server-side size check, download and preview.

Also the `/files/{id}` download route used by the pages (session-authenticated, tenant-checked).
"""

from fastapi import Request
from fastapi.responses import JSONResponse
from nicegui import app, ui

from api.files import file_download
from components.confirm import confirm
from components.empty_state import empty_state
from components.file_drop import file_drop
from components.formatting import format_datetime, human_size
from db.session import session_scope
from services import documents as documents_service
from services.actor import Actor
from services.documents import DocumentRead
from services.errors import DomainError
from services.storage import max_upload_bytes
from ui.data import call
from ui.feedback import failed, saved
from ui.i18n import current_language, t
from ui.session import stored_actor

ICONS = {'application/pdf': 'picture_as_pdf', 'image/': 'image', 'text/': 'description'}


def _icon(content_type: str) -> str:
    return next((icon for prefix, icon in ICONS.items() if content_type.startswith(prefix)), 'insert_drive_file')


def register() -> None:
    @app.get('/files/{document_id}', include_in_schema=False)
    def download(document_id: int, request: Request, inline: bool = False):
        with session_scope() as session:
            actor = stored_actor(session)
            if actor is None:
                return JSONResponse({'detail': 'not signed in'}, status_code=401)
            try:
                document, path = documents_service.document_file(session, actor, document_id)
            except DomainError:
                return JSONResponse({'detail': 'not found'}, status_code=404)
        return file_download(document, path, inline)


class DocumentsPanel:
    def __init__(self, actor: Actor, *, case_id: int | None = None, client_id: int | None = None) -> None:
        self.actor, self.case_id, self.client_id = actor, case_id, client_id
        self.language = current_language()
        if actor.can_write:
            limit = human_size(max_upload_bytes(), self.language)
            self.upload = file_drop(t('documents.drop_here'), t('documents.size_limit', max=limit),
                                    multiple=True, auto_upload=True, max_file_size=max_upload_bytes(),
                                    on_upload=self._on_upload,
                                    on_rejected=lambda: ui.notify(t('documents.too_large', max=limit),
                                                                  type='negative')) \
                .mark('documents-upload')
            self.upload.on('failed', lambda: ui.notify(t('documents.upload_failed', max=limit), type='negative'),
                           args=[])
        self.list = ui.column().classes('w-full gap-0')

    async def _on_upload(self, event) -> None:
        content = await event.file.read()
        try:
            document = await call(documents_service.add_document, self.actor, filename=event.file.name,
                                  chunks=[content], case_id=self.case_id, client_id=self.client_id)
        except DomainError as problem:
            failed(problem)
            return
        saved('documents.uploaded', name=document.original_name)
        await self.refresh()

    async def refresh(self) -> None:
        documents = await call(documents_service.list_documents, self.actor, case_id=self.case_id,
                               client_id=self.client_id)
        self.list.clear()
        with self.list:
            if not documents:
                empty_state(t('documents.empty_title'), t('documents.empty_hint'), icon='folder_off')
            for index, document in enumerate(documents):
                if index:
                    ui.separator()
                self._row(document)

    def _row(self, document: DocumentRead) -> None:
        with ui.row().classes('w-full items-center gap-3 py-2 no-wrap').mark(f'document-{document.original_name}'):
            ui.icon(_icon(document.content_type), size='sm').classes('text-primary')
            with ui.column().classes('gap-0 flex-1 min-w-0'):
                ui.link(document.original_name, f'/files/{document.id}').classes('font-medium truncate') \
                    .mark(f'download-{document.original_name}')
                ui.label(f'{human_size(document.size, self.language)} · '
                         f'{format_datetime(document.created_at, self.language)} · {document.uploaded_by_name}') \
                    .classes('text-xs crm-muted')
            if document.previewable:
                ui.button(icon='visibility', on_click=lambda d=document: self._preview(d)) \
                    .props('flat round dense').tooltip(t('documents.preview'))
            if self.actor.can_write:
                ui.button(icon='delete_outline', on_click=lambda d=document: self._delete(d)) \
                    .props('flat round dense color=negative').tooltip(t('action.delete')) \
                    .mark(f'delete-{document.original_name}')

    def _preview(self, document: DocumentRead) -> None:
        with ui.dialog().props('maximized') as dialog, ui.card().classes('w-full h-full p-2'):
            with ui.row().classes('w-full items-center'):
                ui.label(document.original_name).classes('font-semibold')
                ui.space()
                ui.button(icon='close', on_click=dialog.close).props('flat round')
            url = f'/files/{document.id}?inline=true'
            if document.content_type.startswith('image/'):
                ui.image(url).props('fit=contain').classes('w-full h-full')
            else:
                ui.element('iframe').props(f'src={url}').classes('w-full h-full border-0')
        dialog.open()

    async def _delete(self, document: DocumentRead) -> None:
        if not await confirm(t('documents.delete_title'), t('documents.delete_message', name=document.original_name),
                             confirm_label=t('action.delete'), cancel_label=t('action.cancel')):
            return
        try:
            await call(documents_service.delete_document, self.actor, document.id)
        except DomainError as problem:
            failed(problem)
            return
        saved('documents.deleted', name=document.original_name)
        await self.refresh()
