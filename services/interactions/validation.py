"""An interaction as given, checked and cleaned into the values of its row (its participants aside)."""

import json
from datetime import timedelta
from typing import Any

from sqlmodel import Session

from db.models import utcnow
from services.actor import Actor
from services.clients import client_in_tenant
from services.errors import Invalid
from services.interactions.kinds import parse_type
from services.interactions.participants import MAX_PARTICIPANTS
from services.interactions.schemas import InteractionInput
from services.interactions.tenancy import given_contact
from services.validation import clean_text

MAX_METADATA_BYTES = 10_000
MAX_DURATION_MINUTES = 24 * 60


def _clean_metadata(metadata: dict[str, Any]) -> dict[str, Any]:
    try:
        size = len(json.dumps(metadata, default=str))
    except (TypeError, ValueError) as error:
        raise Invalid('error.metadata_invalid', field='metadata') from error
    if size > MAX_METADATA_BYTES:
        raise Invalid('error.metadata_too_large', field='metadata', max=MAX_METADATA_BYTES)
    return json.loads(json.dumps(metadata, default=str))


def validated(session: Session, actor: Actor, data: InteractionInput) -> dict:
    """The row's values; Invalid (with its field) at the first problem."""
    client = client_in_tenant(session, actor, data.client_id)
    if data.contact_id is not None:
        contact = given_contact(session, actor, data.contact_id, field='contact_id')
        if contact.client_id != client.id:
            raise Invalid('error.contact_other_client', field='contact_id')
    duration = data.duration_minutes
    if duration is not None and not 0 <= duration <= MAX_DURATION_MINUTES:
        raise Invalid('error.duration_invalid', field='duration_minutes', max=MAX_DURATION_MINUTES)
    occurred_at = data.occurred_at or utcnow()
    if occurred_at.tzinfo is None:
        raise Invalid('error.datetime_without_zone', field='occurred_at')
    if abs(occurred_at - utcnow()) > timedelta(days=366 * 50):
        raise Invalid('error.date_out_of_range', field='occurred_at')
    if len(data.participants) > MAX_PARTICIPANTS:
        raise Invalid('error.too_many_participants', field='participants', max=MAX_PARTICIPANTS)
    return {'client_id': client.id, 'contact_id': data.contact_id, 'type': parse_type(data.type),
            'title': clean_text(data.title, field='title', max_length=200, required=True),
            'description': (data.description or '').strip(), 'occurred_at': occurred_at,
            'duration_minutes': duration, 'is_pitch': data.is_pitch, 'source': data.source,
            'extra': _clean_metadata(data.metadata)}
