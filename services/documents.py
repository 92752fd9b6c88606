"""Documents on a case or a client: stored by services.storage, described by a row."""

from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from pydantic import BaseModel, ConfigDict
from sqlmodel import Session, col, select

from db.models import AuditAction, Document, User
from db.session import after_commit, after_rollback
from services import audit
from services.actor import Actor, require_write
from services.cases import case_in_tenant
from services.clients import client_in_tenant
from services.errors import Forbidden, NotFound
from services.storage import PREVIEWABLE, remove_stored_files, safe_filename, save_stream, stored_path


class DocumentRead(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: int
    case_id: int | None
    client_id: int | None
    original_name: str
    content_type: str
    size: int
    sha256: str
    uploaded_by_name: str
    created_at: datetime

    @property
    def previewable(self) -> bool:
        return self.content_type in PREVIEWABLE


def _reads(session: Session, documents: list[Document]) -> list[DocumentRead]:
    ids = {d.uploaded_by for d in documents if d.uploaded_by}
    names = {user_id: name or email for user_id, name, email in session.exec(
        select(User.id, User.full_name, User.email).where(col(User.id).in_(ids))).all()} if ids else {}
    return [DocumentRead(**d.model_dump(warnings=False, exclude={'tenant_id', 'stored_name', 'uploaded_by'}),
                         uploaded_by_name=names.get(d.uploaded_by, '')) for d in documents]


def _owner_filter(session: Session, actor: Actor, case_id: int | None, client_id: int | None):
    if case_id is not None:
        return Document.case_id == case_in_tenant(session, actor, case_id).id
    if client_id is not None:
        return Document.client_id == client_in_tenant(session, actor, client_id).id
    raise NotFound('error.not_found')


def add_document(session: Session, actor: Actor, *, filename: str | None, chunks: Iterable[bytes],
                 case_id: int | None = None, client_id: int | None = None) -> DocumentRead:
    """Store one uploaded file on a case or a client; its bytes are checked on the way in."""
    require_write(actor)
    _owner_filter(session, actor, case_id, client_id)
    if case_id is not None and client_id is not None:  # both are stored: both must be the tenant's
        client_in_tenant(session, actor, client_id)
    name = safe_filename(filename)
    stored = save_stream(actor.tenant_id, chunks, name)
    after_rollback(session, lambda: remove_stored_files(actor.tenant_id, [stored.stored_name]))
    document = Document(tenant_id=actor.tenant_id, case_id=case_id, client_id=client_id, original_name=name,
                        stored_name=stored.stored_name, content_type=stored.content_type, size=stored.size,
                        sha256=stored.sha256, uploaded_by=actor.user_id)
    session.add(document)
    session.flush()
    audit.record(session, actor, tenant_id=actor.tenant_id, action=AuditAction.CREATE, entity='document',
                 entity_id=document.id, changes={'name': name, 'size': stored.size, 'case_id': case_id,
                                                 'client_id': client_id})
    return _reads(session, [document])[0]


def list_documents(session: Session, actor: Actor, *, case_id: int | None = None,
                   client_id: int | None = None) -> list[DocumentRead]:
    owner = _owner_filter(session, actor, case_id, client_id)
    rows = session.exec(select(Document).where(owner).order_by(col(Document.created_at).desc()).limit(500)).all()
    return _reads(session, list(rows))


def _document_in_tenant(session: Session, actor: Actor, document_id: int) -> Document:
    document = session.get(Document, document_id)
    if document is None or document.tenant_id != actor.tenant_id:
        raise NotFound('error.document_not_found')
    return document


def document_file(session: Session, actor: Actor, document_id: int, *, case_id: int | None = None,
                  client_id: int | None = None) -> tuple[DocumentRead, Path]:
    """The document and the path of its bytes, for a download; `case_id` or `client_id` also checks that it
    belongs there."""
    document = _document_in_tenant(session, actor, document_id)
    if (case_id is not None and document.case_id != case_id) or \
            (client_id is not None and document.client_id != client_id):
        raise NotFound('error.document_not_found')
    path = stored_path(actor.tenant_id, document.stored_name)
    if not path.is_file():
        raise NotFound('error.file_missing')
    return _reads(session, [document])[0], path


def delete_document(session: Session, actor: Actor, document_id: int) -> None:
    """Whoever added a document may delete it; others need a manager or admin role."""
    require_write(actor)
    document = _document_in_tenant(session, actor, document_id)
    if document.uploaded_by != actor.user_id and actor.role not in ('admin', 'manager'):
        raise Forbidden('error.document_not_yours')
    stored = document.stored_name
    audit.record(session, actor, tenant_id=actor.tenant_id, action=AuditAction.DELETE, entity='document',
                 entity_id=document.id, changes={'name': document.original_name})
    session.delete(document)
    after_commit(session, lambda: remove_stored_files(actor.tenant_id, [stored]))
