"""Files on disk: under CRM_DATA_DIR/documents/<tenant>/, each under a random name, never the user's."""

import codecs
import hashlib
import mimetypes
import os
import re
import secrets
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import filetype

from services.errors import Invalid
from settings import get_settings

SNIFF_BYTES = 8192
PREVIEWABLE = frozenset({'image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf'})
_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"|?*]')


@dataclass(frozen=True)
class StoredFile:
    stored_name: str
    size: int
    sha256: str
    content_type: str


def documents_dir(tenant_id: int) -> Path:
    return get_settings().data_dir.resolve() / 'documents' / str(int(tenant_id))


def stored_path(tenant_id: int, stored_name: str) -> Path:
    if not re.fullmatch(r'[0-9a-f]{32}', stored_name):
        raise Invalid('error.file_missing')
    return documents_dir(tenant_id) / stored_name[:2] / stored_name


def safe_filename(name: str | None) -> str:
    """The last path part of what the browser sent, without control or reserved characters: `../../etc/passwd`
    becomes `passwd`. Only shown and offered on download; never used as a path."""
    base = re.split(r'[\\/]', unicodedata.normalize('NFC', name or ''))[-1]
    base = _UNSAFE.sub('', base).strip().lstrip('.')
    return base[:200] or 'fichier'


def sniff_content_type(head: bytes, filename: str) -> str:
    """The type the bytes say they are; the file name only decides between plain-text kinds."""
    kind = filetype.guess(head)
    if kind is not None:
        return kind.mime
    guessed = mimetypes.guess_type(filename)[0] or ''
    if guessed in ('text/plain', 'text/csv', 'text/markdown') and _is_text(head):
        return guessed
    return 'text/plain' if head and _is_text(head) else 'application/octet-stream'


def _is_text(head: bytes) -> bool:
    try:  # not final: the sniffed head may end in the middle of a character
        codecs.getincrementaldecoder('utf-8')().decode(head, final=False)
    except UnicodeDecodeError:
        return False
    return b'\x00' not in head


PRIVATE_DIR, PRIVATE_FILE = 0o700, 0o600


def private_directory(path: Path) -> Path:
    """`path` and its missing parents under the data directory, readable by the app's own account only."""
    root = get_settings().data_dir.resolve()
    missing = [parent for parent in (path, *path.parents) if not parent.exists() and root in (parent, *parent.parents)]
    path.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
    for directory in missing:
        directory.chmod(PRIVATE_DIR)  # mkdir's mode goes through the umask, and parents get the default
    return path


def max_upload_bytes() -> int:
    return get_settings().max_upload_mb * 1024 * 1024


def save_stream(tenant_id: int, chunks: Iterable[bytes], filename: str) -> StoredFile:
    """Write the chunks under a fresh random name, hashing and counting as they come; refuse empty and
    oversized files (nothing is left on disk then)."""
    limit, digest, size, head = max_upload_bytes(), hashlib.sha256(), 0, b''
    stored_name = secrets.token_hex(16)
    path = stored_path(tenant_id, stored_name)
    private_directory(path.parent)
    partial = path.with_suffix('.part')
    try:
        with os.fdopen(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE), 'wb') as out:
            for chunk in chunks:
                size += len(chunk)
                if size > limit:
                    raise Invalid('error.file_too_large', field='file', max=get_settings().max_upload_mb)
                if len(head) < SNIFF_BYTES:
                    head += chunk[:SNIFF_BYTES - len(head)]
                digest.update(chunk)
                out.write(chunk)
        if size == 0:
            raise Invalid('error.file_empty', field='file')
        partial.rename(path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return StoredFile(stored_name, size, digest.hexdigest(), sniff_content_type(head, filename))


def remove_stored_files(tenant_id: int, stored_names: Iterable[str]) -> None:
    for name in stored_names:
        stored_path(tenant_id, name).unlink(missing_ok=True)
