"""Interactions created on behalf of other features (seed 003's `InteractionAutoCreatorService`).

The caller (a newsletter send, a webhook, an import) must never fail because of the activity log: each function
works inside a savepoint, logs what went wrong and returns None, leaving the caller's transaction intact. The
same source event never gives two interactions: each carries an idempotency key naming that event.
"""

import logging
from datetime import datetime
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from db.models import InteractionSource, InteractionType
from services.actor import Actor
from services.contact_details import optional_email
from services.errors import DomainError
from services.interactions import (
    MAX_PARTICIPANTS,
    InteractionInput,
    InteractionRead,
    ParticipantInput,
    create_interaction,
)

logger = logging.getLogger(__name__)


def recipients_to_participants(recipients: list[dict] | None) -> list[ParticipantInput]:
    """Seed 003's recipients ({email, name, role, person_id}) as participants."""
    return [ParticipantInput(contact_id=r.get('person_id'), name=r.get('name'), email=r.get('email'),
                             role=r.get('role')) for r in recipients or []]


def _deliverable(recipients: list[dict]) -> list[dict]:
    """The recipients worth listing: a malformed address is left out rather than losing the whole interaction."""
    kept = []
    for recipient in recipients:
        try:
            optional_email(recipient.get('email'))
        except DomainError:
            continue
        if recipient.get('email') or recipient.get('name') or recipient.get('person_id'):
            kept.append(recipient)
    return kept


def _safely(session: Session, actor: Actor, data: InteractionInput) -> InteractionRead | None:
    try:
        with session.begin_nested():
            return create_interaction(session, actor, data)
    except (DomainError, SQLAlchemyError, ValueError) as error:
        logger.warning('Failed to auto-create interaction', extra={'client_id': data.client_id,
                                                                   'key': data.idempotency_key, 'error': repr(error)})
        return None


def create_simple_interaction(session: Session, actor: Actor, *, organisation_id: int, activity_type: str,
                              title: str, description: str | None = None, recipients: list[dict] | None = None,
                              metadata: dict[str, Any] | None = None, occurred_at: datetime | None = None,
                              source: InteractionSource = InteractionSource.MANUAL,
                              idempotency_key: str | None = None) -> InteractionRead | None:
    try:
        data = InteractionInput(client_id=organisation_id, type=activity_type, title=title,
                                description=description or '', occurred_at=occurred_at, source=source,
                                metadata=metadata or {}, participants=recipients_to_participants(recipients),
                                idempotency_key=idempotency_key)
    except ValueError as error:
        logger.warning('Failed to auto-create interaction', extra={'client_id': organisation_id,
                                                                   'error': repr(error)})
        return None
    return _safely(session, actor, data)


def create_from_newsletter(session: Session, actor: Actor, *, campaign_id: int, organisation_id: int,
                           recipients: list[dict], campaign_name: str | None = None) -> InteractionRead | None:
    """One interaction per newsletter and client, with the first 50 recipients as participants and the full count
    in `total_recipients`."""
    title = f'Newsletter : {campaign_name}' if campaign_name else f'Newsletter n° {campaign_id}'
    return create_simple_interaction(
        session, actor, organisation_id=organisation_id, activity_type=InteractionType.NEWSLETTER, title=title[:200],
        recipients=_deliverable(recipients)[:MAX_PARTICIPANTS], source=InteractionSource.NEWSLETTER,
        metadata={'campaign_id': campaign_id, 'total_recipients': len(recipients)},
        idempotency_key=f'newsletter:{campaign_id}:{organisation_id}')
