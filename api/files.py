"""Uploads and downloads, shared by case files, client files, seed 000's endpoints and the pages."""

import unicodedata
from pathlib import Path
from typing import Annotated
from urllib.parse import quote

from fastapi import File, UploadFile
from fastapi.responses import FileResponse
from sqlmodel import Session

from services import documents as documents_service
from services.actor import Actor
from services.documents import DocumentRead
from services.errors import Invalid

UPLOAD_CHUNK = 1 << 20
FilesField = Annotated[list[UploadFile] | None, File(description='One or several files.')]
FileField = Annotated[UploadFile | None, File(description='One file (same as `files`).')]


def store_uploads(session: Session, actor: Actor, files: list[UploadFile] | None, file: UploadFile | None = None,
                  *, case_id: int | None = None, client_id: int | None = None) -> list[DocumentRead]:
    """Store every uploaded file (fields `files` and `file`), each read in 1 MiB chunks so that the size limit
    applies while reading. They share the request's unit of work: if one is refused, none is kept."""
    uploads = [*(files or []), *([file] if file is not None else [])]
    if not uploads:
        raise Invalid('error.required', field='files')
    return [documents_service.add_document(session, actor, filename=upload.filename,
                                           chunks=iter(lambda upload=upload: upload.file.read(UPLOAD_CHUNK), b''),
                                           case_id=case_id, client_id=client_id)
            for upload in uploads]


def _ascii_fallback(name: str) -> str:
    ascii_name = unicodedata.normalize('NFKD', name).encode('ascii', 'ignore').decode('ascii')
    return ascii_name.replace('"', '').replace('\\', '').strip() or 'fichier'


def file_download(document: DocumentRead, path: Path, inline: bool = False) -> FileResponse:
    """The stored bytes under their original name; shown in the browser only when asked for and previewable."""
    disposition = 'inline' if inline and document.previewable else 'attachment'
    name = document.original_name
    header = f'{disposition}; filename="{_ascii_fallback(name)}"'
    if _ascii_fallback(name) != name:
        header += f"; filename*=UTF-8''{quote(name, safe='')}"
    return FileResponse(path, media_type=document.content_type,
                        headers={'Content-Disposition': header, 'X-Content-Type-Options': 'nosniff'})
