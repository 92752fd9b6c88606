"""A tenant's legal knowledge base: its own editable copy of the bundled one, imported and exported as JSON, and
the ranking index built from it (kept in memory until an entry changes)."""

import threading
from collections.abc import Iterable
from datetime import datetime

from pydantic import ValidationError
from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from db.models import AuditAction, LegalText, utcnow
from services import audit
from services.actor import Actor, require_admin
from services.ai.knowledge import LegalEntry, default_entries, export_json, parse_import
from services.ai.retrieval import LegalIndex
from services.errors import Conflict, Invalid, NotFound
from services.paging import Page, PageRequest, fetch_page
from services.text import fold

_indexes: dict[int, tuple[tuple, LegalIndex]] = {}
_lock = threading.Lock()


class LegalTextRead(LegalEntry):
    id: int
    updated_at: datetime


def _entry(row: LegalText) -> LegalEntry:
    return LegalEntry(code=row.code, reference=row.reference, title=row.title, article=row.article,
                      covers=row.covers, keywords=list(row.keywords), case_types=list(row.case_types))


def _read(row: LegalText) -> LegalTextRead:
    return LegalTextRead(**_entry(row).model_dump(), id=row.id, updated_at=row.updated_at)


def folded_text(entry: LegalEntry) -> str:
    """What the list's search looks in, without accents: «societe» finds «Société»."""
    return fold(' '.join([entry.code, entry.reference, entry.title, *entry.keywords]))


def _rows(entries: list[LegalEntry], tenant_id: int) -> list[LegalText]:
    now = utcnow()
    return [LegalText(tenant_id=tenant_id, created_at=now, updated_at=now, folded=folded_text(entry),
                      **entry.model_dump()) for entry in entries]


def seed_legal_texts(session: Session, tenant_id: int) -> None:
    session.add_all(_rows(default_entries(), tenant_id))
    session.flush()


def entries_of(session: Session, tenant_id: int) -> list[LegalEntry]:
    rows = session.exec(select(LegalText).where(LegalText.tenant_id == tenant_id).order_by(LegalText.code)).all()
    return [_entry(row) for row in rows]


def _stamp(session: Session, tenant_id: int) -> tuple:
    return tuple(session.exec(select(func.count(), func.max(LegalText.updated_at), func.max(LegalText.id))
                              .where(LegalText.tenant_id == tenant_id)).one())


def tenant_index(session: Session, tenant_id: int) -> LegalIndex:
    """The tenant's ranking index, rebuilt only when its knowledge base changed since the last call."""
    stamp = _stamp(session, tenant_id)
    with _lock:
        cached = _indexes.get(tenant_id)
    if cached and cached[0] == stamp:
        return cached[1]
    index = LegalIndex.build(entries_of(session, tenant_id))
    with _lock:
        _indexes[tenant_id] = (stamp, index)
    return index


def list_legal_texts(session: Session, actor: Actor, search: str, page: PageRequest) -> Page[LegalTextRead]:
    query = select(LegalText).where(LegalText.tenant_id == actor.tenant_id)
    needle = fold(search).strip()
    if needle:
        escaped = needle.replace('\\', '\\\\').replace('%', '\\%').replace('_', '\\_')
        query = query.where(col(LegalText.folded).like(f'%{escaped}%', escape='\\'))
    rows, total = fetch_page(session, query, page, col(LegalText.code))
    return Page(items=[_read(row) for row in rows], total=total, limit=page.limit, offset=page.offset)


def _in_tenant(session: Session, actor: Actor, text_id: int) -> LegalText:
    row = session.get(LegalText, text_id)
    if row is None or row.tenant_id != actor.tenant_id:
        raise NotFound('error.legal_text_not_found')
    return row


def get_legal_text(session: Session, actor: Actor, text_id: int) -> LegalTextRead:
    return _read(_in_tenant(session, actor, text_id))


def save_legal_text(session: Session, actor: Actor, text_id: int | None, data: dict) -> LegalTextRead:
    """Create (no id) or replace an entry; admins only. `data` is validated as a LegalEntry."""
    require_admin(actor)
    try:
        entry = LegalEntry.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        raise Invalid('error.legal_text_invalid', field=str(first['loc'][0]) if first['loc'] else None,
                      reason=first['msg']) from error
    clash = session.exec(select(LegalText.id).where(LegalText.tenant_id == actor.tenant_id,
                                                    LegalText.code == entry.code)).first()
    if clash is not None and clash != text_id:
        raise Conflict('error.legal_text_code_taken', field='code', code=entry.code)
    row = _in_tenant(session, actor, text_id) if text_id else LegalText(tenant_id=actor.tenant_id, code=entry.code,
                                                                        reference='', title='')
    for name, value in entry.model_dump().items():
        setattr(row, name, value)
    row.folded, row.updated_at = folded_text(entry), utcnow()
    session.add(row)
    session.flush()
    audit.record(session, actor, tenant_id=actor.tenant_id,
                 action=AuditAction.UPDATE if text_id else AuditAction.CREATE, entity='legal_text',
                 entity_id=row.id, changes={'code': entry.code})
    return _read(row)


def delete_legal_text(session: Session, actor: Actor, text_id: int) -> None:
    require_admin(actor)
    row = _in_tenant(session, actor, text_id)
    audit.record(session, actor, tenant_id=actor.tenant_id, action=AuditAction.DELETE, entity='legal_text',
                 entity_id=row.id, changes={'code': row.code})
    session.delete(row)
    session.flush()


def replace_all(session: Session, actor: Actor, entries: list[LegalEntry]) -> int:
    require_admin(actor)
    session.execute(delete(LegalText).where(col(LegalText.tenant_id) == actor.tenant_id))
    session.add_all(_rows(entries, actor.tenant_id))
    session.flush()
    audit.record(session, actor, tenant_id=actor.tenant_id, action=AuditAction.UPDATE, entity='legal_text',
                 entity_id=None, changes={'replaced_with': len(entries)})
    return len(entries)


def import_legal_texts(session: Session, actor: Actor, text: str) -> int:
    """Replace the tenant's knowledge base with a JSON export; a single bad entry refuses the whole file."""
    require_admin(actor)
    return replace_all(session, actor, parse_import(text))


def reset_legal_texts(session: Session, actor: Actor) -> int:
    return replace_all(session, actor, default_entries())


def export_legal_texts(session: Session, actor: Actor) -> str:
    return export_json(entries_of(session, actor.tenant_id))


MAX_IMPORT_BYTES = 2 << 20


def decode_import(chunks: Iterable[bytes]) -> str:
    """The text of an uploaded knowledge base, refused past 2 MiB (counted while reading) or if not UTF-8."""
    data, size = [], 0
    for chunk in chunks:
        size += len(chunk)
        if size > MAX_IMPORT_BYTES:
            raise Invalid('error.kb_import_too_large', field='file', limit=MAX_IMPORT_BYTES >> 20)
        data.append(chunk)
    try:
        return b''.join(data).decode('utf-8-sig')
    except UnicodeDecodeError as error:
        raise Invalid('error.kb_import_encoding', field='file') from error
