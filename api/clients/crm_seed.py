"""Seed 000's REST endpoints, verbatim under /api/crm/ (same bearer token as /api/v1).

Each path calls the /api/v1 handler that does the same thing, so the two APIs cannot drift apart; only the file
upload differs (one multipart `file`, answered with that one file).
"""

from typing import Annotated

from fastapi import APIRouter, File, UploadFile, status
from fastapi.responses import FileResponse, JSONResponse

from api.ai import ai
from api.cases import cases
from api.clients import clients
from api.deps import ActorDep, SessionDep
from api.files import store_uploads
from api.schemas import IdPath, PageOut
from services.ai.analyses import AnalysisRead
from services.cases import CaseRead
from services.clients import ClientRead
from services.documents import DocumentRead
from services.notes import NoteRead

CRM_PREFIX = '/api/crm'


def upload_case_file(case_id: IdPath, session: SessionDep, actor: ActorDep,
                     file: Annotated[UploadFile, File(description='The file.')]) -> DocumentRead:
    return store_uploads(session, actor, None, file, case_id=case_id)[0]


def build_router() -> APIRouter:
    router = APIRouter(prefix=CRM_PREFIX, tags=['crm (seed 000)'])
    created = status.HTTP_201_CREATED
    routes = [
        ('/client', clients.create_client, 'POST', ClientRead, created, 'Create a client'),
        ('/client', clients.list_clients, 'GET', PageOut[ClientRead], None, 'List clients'),
        ('/client/{client_id}', clients.get_client, 'GET', ClientRead, None, 'Get a client'),
        ('/case', cases.create_case, 'POST', CaseRead, created, 'Create a case'),
        ('/case', cases.list_cases, 'GET', PageOut[CaseRead], None, 'List cases'),
        ('/case/{case_id}', cases.get_case, 'GET', CaseRead, None, 'Get a case'),
        ('/case/{case_id}', cases.update_case, 'PATCH', CaseRead, None, 'Update a case'),
        ('/case/{case_id}', cases.delete_case, 'DELETE', None, status.HTTP_204_NO_CONTENT, 'Delete a case'),
        ('/case/{case_id}/note', cases.add_note, 'POST', NoteRead, created, 'Add a note'),
        ('/case/{case_id}/note', cases.list_notes, 'GET', list[NoteRead], None, 'List the notes'),
        ('/case/{case_id}/file', upload_case_file, 'POST', DocumentRead, created, 'Upload a file (field `file`)'),
        ('/case/{case_id}/file', cases.list_case_files, 'GET', list[DocumentRead], None, 'List the files'),
        ('/case/{case_id}/ai-analyze', ai.analyze_case, 'POST', AnalysisRead, None, 'Run the AI analysis'),
    ]
    for path, endpoint, method, response_model, status_code, summary in routes:
        router.add_api_route(path, endpoint, methods=[method], response_model=response_model,
                             status_code=status_code, summary=summary)
    router.add_api_route('/case/{case_id}/file/{file_id}', cases.download_case_file, methods=['GET'],
                         response_class=FileResponse, summary='Download a file')

    @router.api_route('/{path:path}', methods=['GET', 'POST', 'PUT', 'PATCH', 'DELETE'], include_in_schema=False)
    def unknown_endpoint(path: str) -> JSONResponse:
        return JSONResponse({'detail': f'Unknown endpoint: {CRM_PREFIX}/{path}'}, status_code=404)

    return router
