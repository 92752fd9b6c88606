"""Clients, their contacts and their files; client types and tags."""

from typing import Annotated, Literal

from fastapi import APIRouter, Query, status
from fastapi.responses import FileResponse

from api.deps import ActorDep, PageDep, SessionDep
from api.files import FileField, FilesField, file_download, store_uploads
from api.schemas import ClientPatchIn, ContactPatchIn, IdPath, IdQuery, PageOut
from db.models import ClientStatus
from services import clients as clients_service
from services import contacts as contacts_service
from services import documents as documents_service
from services.clients import ClientFilter, ClientInput, ClientRead, DuplicateCandidate
from services.contacts import ContactInput, ContactRead
from services.documents import DocumentRead

ClientSort = Literal['name', 'city', 'created_at', 'updated_at', 'status', 'client_type']
Order = Literal['asc', 'desc']

router = APIRouter(tags=['clients'])


@router.get('/clients', response_model=PageOut[ClientRead],
            summary="The tenant's clients, filtered, sorted and paged (archived ones only with status=archived)")
def list_clients(session: SessionDep, actor: ActorDep, page: PageDep, q: Annotated[str, Query(max_length=200)] = '',
                 status: ClientStatus | None = None, client_type: str | None = None, tag: str | None = None,
                 owner_id: IdQuery = None, sort: ClientSort = 'name', order: Order = 'asc') -> PageOut[ClientRead]:
    filters = ClientFilter(search=q, status=status, client_type=client_type, tag=tag, owner_id=owner_id, sort=sort,
                           descending=order == 'desc')
    result = clients_service.list_clients(session, actor, filters, page)
    return PageOut[ClientRead](items=result.items, total=result.total, limit=result.limit, offset=result.offset)


@router.get('/clients/duplicates', response_model=list[DuplicateCandidate],
            summary='Clients that look like the one being entered (same e-mail, or a similar name)')
def find_duplicates(session: SessionDep, actor: ActorDep, name: Annotated[str, Query(max_length=200)] = '',
                    email: Annotated[str | None, Query(max_length=254)] = None,
                    exclude_id: IdQuery = None) -> list[DuplicateCandidate]:
    return clients_service.find_duplicates(session, actor, name=name, email=email, exclude_id=exclude_id)


@router.post('/clients', response_model=ClientRead, status_code=status.HTTP_201_CREATED,
             summary='Create a client (never blocked by look-alikes: see /clients/duplicates)')
def create_client(body: ClientInput, session: SessionDep, actor: ActorDep) -> ClientRead:
    return clients_service.create_client(session, actor, body)


@router.get('/clients/{client_id}', response_model=ClientRead)
def get_client(client_id: IdPath, session: SessionDep, actor: ActorDep) -> ClientRead:
    return clients_service.get_client(session, actor, client_id)


@router.patch('/clients/{client_id}', response_model=ClientRead, summary='Change some fields (send `version` to lock)')
def update_client(client_id: IdPath, body: ClientPatchIn, session: SessionDep, actor: ActorDep) -> ClientRead:
    current = clients_service.get_client(session, actor, client_id)
    changes = body.model_dump(exclude_unset=True, exclude={'version'})
    merged = ClientInput(**{**current.model_dump(include=set(ClientInput.model_fields)), **changes})
    return clients_service.update_client(session, actor, client_id, merged, expected_version=body.version)


@router.post('/clients/{client_id}/archive', response_model=ClientRead, summary='Archive a client')
def archive_client(client_id: IdPath, session: SessionDep, actor: ActorDep) -> ClientRead:
    return clients_service.set_status(session, actor, client_id, ClientStatus.ARCHIVED)


@router.post('/clients/{client_id}/restore', response_model=ClientRead, summary='Bring an archived client back')
def restore_client(client_id: IdPath, session: SessionDep, actor: ActorDep) -> ClientRead:
    return clients_service.set_status(session, actor, client_id, ClientStatus.ACTIVE)


@router.delete('/clients/{client_id}', status_code=status.HTTP_204_NO_CONTENT,
               summary='Delete an archived client without cases, for good (admins)')
def delete_client(client_id: IdPath, session: SessionDep, actor: ActorDep) -> None:
    clients_service.delete_client(session, actor, client_id)


@router.get('/clients/{client_id}/contacts', response_model=list[ContactRead])
def list_contacts(client_id: IdPath, session: SessionDep, actor: ActorDep) -> list[ContactRead]:
    return contacts_service.list_contacts(session, actor, client_id)


@router.post('/clients/{client_id}/contacts', response_model=ContactRead, status_code=status.HTTP_201_CREATED)
def create_contact(client_id: IdPath, body: ContactInput, session: SessionDep, actor: ActorDep) -> ContactRead:
    return contacts_service.create_contact(session, actor, client_id, body)


@router.patch('/contacts/{contact_id}', response_model=ContactRead,
              summary='Change some fields of a contact (send `version` to lock)')
def update_contact(contact_id: IdPath, body: ContactPatchIn, session: SessionDep, actor: ActorDep) -> ContactRead:
    current = contacts_service.get_contact(session, actor, contact_id)
    changes = body.model_dump(exclude_unset=True, exclude={'version'})
    merged = ContactInput(**{**current.model_dump(include=set(ContactInput.model_fields)), **changes})
    return contacts_service.update_contact(session, actor, contact_id, merged, expected_version=body.version)


@router.delete('/contacts/{contact_id}', status_code=status.HTTP_204_NO_CONTENT)
def delete_contact(contact_id: IdPath, session: SessionDep, actor: ActorDep) -> None:
    contacts_service.delete_contact(session, actor, contact_id)


@router.post('/clients/{client_id}/files', response_model=list[DocumentRead], status_code=status.HTTP_201_CREATED,
             summary='Upload files to a client (multipart field `files` or `file`)')
def upload_client_files(client_id: IdPath, session: SessionDep, actor: ActorDep, files: FilesField = None,
                        file: FileField = None) -> list[DocumentRead]:
    return store_uploads(session, actor, files, file, client_id=client_id)


@router.get('/clients/{client_id}/files', response_model=list[DocumentRead])
def list_client_files(client_id: IdPath, session: SessionDep, actor: ActorDep) -> list[DocumentRead]:
    return documents_service.list_documents(session, actor, client_id=client_id)


@router.get('/clients/{client_id}/files/{file_id}', response_class=FileResponse,
            summary='Download a file (`?inline=1` shows images and PDF in the browser)')
def download_client_file(client_id: IdPath, file_id: IdPath, session: SessionDep, actor: ActorDep,
                         inline: bool = False) -> FileResponse:
    document, path = documents_service.document_file(session, actor, file_id, client_id=client_id)
    return file_download(document, path, inline)


@router.get('/client-types', response_model=list[str], summary="The tenant's client types, in order")
def list_client_types(session: SessionDep, actor: ActorDep) -> list[str]:
    return clients_service.list_client_types(session, actor)


@router.get('/tags', response_model=list[str], summary='Tags used on clients')
def list_tags(session: SessionDep, actor: ActorDep) -> list[str]:
    return clients_service.list_tags(session, actor)
