"""Cases, their notes and their files."""

from typing import Annotated, Literal

from fastapi import APIRouter, Query, status
from fastapi.responses import FileResponse

from api.deps import ActorDep, PageDep, SessionDep
from api.files import FileField, FilesField, file_download, store_uploads
from api.schemas import CasePatchIn, IdPath, IdQuery, NoteIn, NotePatchIn, PageOut
from db.models import CasePriority, CaseStatus, CaseType
from services import cases as cases_service
from services import documents as documents_service
from services import notes as notes_service
from services.cases import CaseFilter, CaseInput, CaseRead, StatusChangeRead
from services.documents import DocumentRead
from services.notes import NoteInput, NoteRead

CaseSort = Literal['reference', 'title', 'due_date', 'updated_at', 'priority', 'status', 'opened_at']
Order = Literal['asc', 'desc']

router = APIRouter(tags=['cases'])


@router.get('/cases', response_model=PageOut[CaseRead], summary="The tenant's cases, filtered, sorted and paged")
def list_cases(session: SessionDep, actor: ActorDep, page: PageDep,
               q: Annotated[str, Query(max_length=200)] = '', case_type: CaseType | None = None,
               status: CaseStatus | None = None, open_only: Annotated[bool, Query(alias='open')] = False,
               priority: CasePriority | None = None, assignee_id: IdQuery = None, client_id: IdQuery = None,
               overdue: bool = False, sort: CaseSort = 'updated_at', order: Order = 'desc') -> PageOut[CaseRead]:
    filters = CaseFilter(search=q, case_type=case_type, status=status, open_only=open_only, priority=priority,
                         assignee_id=assignee_id, client_id=client_id, overdue=overdue, sort=sort,
                         descending=order == 'desc')
    result = cases_service.list_cases(session, actor, filters, page)
    return PageOut[CaseRead](items=result.items, total=result.total, limit=result.limit, offset=result.offset)


@router.post('/cases', response_model=CaseRead, status_code=status.HTTP_201_CREATED,
             summary='Create a case (its reference DOS-<year>-<n> is given)')
def create_case(body: CaseInput, session: SessionDep, actor: ActorDep) -> CaseRead:
    return cases_service.create_case(session, actor, body)


@router.get('/cases/{case_id}', response_model=CaseRead)
def get_case(case_id: IdPath, session: SessionDep, actor: ActorDep) -> CaseRead:
    return cases_service.get_case(session, actor, case_id)


@router.patch('/cases/{case_id}', response_model=CaseRead, summary='Change some fields (send `version` to lock)')
def update_case(case_id: IdPath, body: CasePatchIn, session: SessionDep, actor: ActorDep) -> CaseRead:
    changes = body.model_dump(exclude_unset=True, exclude={'version'})
    return cases_service.update_case(session, actor, case_id, changes, expected_version=body.version)


@router.delete('/cases/{case_id}', status_code=status.HTTP_204_NO_CONTENT,
               summary='Delete a case with its notes and files (managers and admins)')
def delete_case(case_id: IdPath, session: SessionDep, actor: ActorDep) -> None:
    cases_service.delete_case(session, actor, case_id)


@router.get('/cases/{case_id}/history', response_model=list[StatusChangeRead], summary='Status changes, newest first')
def case_history(case_id: IdPath, session: SessionDep, actor: ActorDep) -> list[StatusChangeRead]:
    return cases_service.status_history(session, actor, case_id)


@router.get('/cases/{case_id}/notes', response_model=list[NoteRead], summary='Notes of a case, newest first')
def list_notes(case_id: IdPath, session: SessionDep, actor: ActorDep) -> list[NoteRead]:
    return notes_service.list_notes(session, actor, case_id)


@router.post('/cases/{case_id}/notes', response_model=NoteRead, status_code=status.HTTP_201_CREATED,
             summary='Add a note (`body` or `content`; `kind` or `note_type`)')
def add_note(case_id: IdPath, body: NoteIn, session: SessionDep, actor: ActorDep) -> NoteRead:
    return notes_service.add_note(session, actor, case_id, body.to_input())


@router.patch('/notes/{note_id}', response_model=NoteRead, summary='Change a note (send `version` to lock)')
def update_note(note_id: IdPath, body: NotePatchIn, session: SessionDep, actor: ActorDep) -> NoteRead:
    current = notes_service.get_note(session, actor, note_id)
    changes = body.model_dump(exclude_unset=True, exclude={'version'})
    merged = NoteInput(**{**current.model_dump(include=set(NoteInput.model_fields)), **changes})
    return notes_service.update_note(session, actor, note_id, merged, expected_version=body.version)


@router.post('/cases/{case_id}/files', response_model=list[DocumentRead], status_code=status.HTTP_201_CREATED,
             summary='Upload files to a case (multipart field `files` or `file`)')
def upload_case_files(case_id: IdPath, session: SessionDep, actor: ActorDep, files: FilesField = None,
                      file: FileField = None) -> list[DocumentRead]:
    return store_uploads(session, actor, files, file, case_id=case_id)


@router.get('/cases/{case_id}/files', response_model=list[DocumentRead], summary='Files of a case, newest first')
def list_case_files(case_id: IdPath, session: SessionDep, actor: ActorDep) -> list[DocumentRead]:
    return documents_service.list_documents(session, actor, case_id=case_id)


@router.get('/cases/{case_id}/files/{file_id}', response_class=FileResponse,
            summary='Download a file (`?inline=1` shows images and PDF in the browser)')
def download_case_file(case_id: IdPath, file_id: IdPath, session: SessionDep, actor: ActorDep,
                       inline: bool = False) -> FileResponse:
    document, path = documents_service.document_file(session, actor, file_id, case_id=case_id)
    return file_download(document, path, inline)


@router.delete('/files/{file_id}', status_code=status.HTTP_204_NO_CONTENT, summary='Delete a file (case or client)')
def delete_file(file_id: IdPath, session: SessionDep, actor: ActorDep) -> None:
    documents_service.delete_document(session, actor, file_id)
