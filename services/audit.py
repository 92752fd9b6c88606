"""The audit trail: every create, update and delete done through a service leaves a row here."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import Enum
from typing import Any

from sqlmodel import Session, col, select

from db.models import AuditAction, AuditLog
from services.actor import Actor, require_admin
from services.paging import Page, PageRequest, fetch_page

REDACTED_FIELDS = frozenset({'password', 'password_hash'})


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """Fields whose value changed, as {field: [old, new]}, with secrets redacted."""
    changed = {}
    for field, new in after.items():
        old = before.get(field)
        if _plain(old) != _plain(new):
            changed[field] = ['***', '***'] if field in REDACTED_FIELDS else [_plain(old), _plain(new)]
    return changed


def record(session: Session, actor: Actor | None, *, tenant_id: int, action: AuditAction, entity: str,
           entity_id: int | None, changes: dict[str, Any]) -> None:
    session.add(AuditLog(
        tenant_id=tenant_id,
        user_id=(actor.user_id or None) if actor else None,
        user_email=actor.email if actor else 'system',
        action=action,
        entity=entity,
        entity_id=entity_id,
        changes={field: value if field not in REDACTED_FIELDS else '***' for field, value in changes.items()},
    ))


@dataclass(frozen=True)
class AuditEntry:
    id: int
    created_at: datetime
    user_email: str
    action: str
    entity: str
    entity_id: int | None
    changes: dict[str, Any]


@dataclass(frozen=True)
class AuditFilter:
    entity: str | None = None
    action: str | None = None
    user_email: str | None = None
    date_from: date | None = None
    date_to: date | None = None


def list_entries(session: Session, actor: Actor, filters: AuditFilter, page: PageRequest) -> Page[AuditEntry]:
    require_admin(actor)
    query = select(AuditLog).where(AuditLog.tenant_id == actor.tenant_id)
    if filters.entity:
        query = query.where(AuditLog.entity == filters.entity)
    if filters.action:
        query = query.where(AuditLog.action == filters.action)
    if filters.user_email:
        query = query.where(col(AuditLog.user_email).ilike(f'%{filters.user_email.strip()}%'))
    if filters.date_from:
        query = query.where(AuditLog.created_at >= _start_of(filters.date_from))
    if filters.date_to:
        query = query.where(AuditLog.created_at < _start_of(filters.date_to + timedelta(days=1)))
    rows, total = fetch_page(session, query, page, col(AuditLog.created_at).desc(), col(AuditLog.id).desc())
    items = [AuditEntry(id=row.id, created_at=row.created_at, user_email=row.user_email, action=row.action,
                        entity=row.entity, entity_id=row.entity_id, changes=row.changes) for row in rows]
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)


def audited_entities(session: Session, actor: Actor) -> list[str]:
    require_admin(actor)
    query = select(AuditLog.entity).where(AuditLog.tenant_id == actor.tenant_id).distinct()
    return sorted(session.exec(query).all())


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)
