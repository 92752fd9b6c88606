"""Logging, editing and removing interactions (with their participants), audited. Logging is idempotent on a key."""

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from db.models import AuditAction, Interaction, InteractionParticipant
from services import audit
from services.actor import Actor, require_write
from services.errors import Conflict
from services.interactions.participants import validated_participants
from services.interactions.reading import get_interaction, reads
from services.interactions.schemas import InteractionInput, InteractionRead
from services.interactions.tenancy import interaction_in_tenant
from services.interactions.validation import validated


def _existing(session: Session, actor: Actor, key: str | None) -> Interaction | None:
    if not key:
        return None
    return session.exec(select(Interaction).where(Interaction.tenant_id == actor.tenant_id,
                                                  Interaction.idempotency_key == key)).first()


def create_interaction(session: Session, actor: Actor, data: InteractionInput) -> InteractionRead:
    """Log an interaction. With an `idempotency_key` already used, the interaction logged then is returned and
    nothing is written."""
    require_write(actor)
    earlier = _existing(session, actor, data.idempotency_key)
    if earlier is not None:
        return reads(session, [earlier])[0]
    values = validated(session, actor, data)
    participants = validated_participants(session, actor, values['client_id'], data.participants)
    row = Interaction(tenant_id=actor.tenant_id, created_by=actor.user_id or None,
                      idempotency_key=data.idempotency_key, **values)
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:  # the same event, logged by another request meanwhile
        earlier = _existing(session, actor, data.idempotency_key)
        if earlier is None:
            raise
        return reads(session, [earlier])[0]
    for participant in participants:
        participant.interaction_id = row.id
        session.add(participant)
    audit.record(session, actor, tenant_id=actor.tenant_id, action=AuditAction.CREATE, entity='interaction',
                 entity_id=row.id, changes=audit.diff({}, {k: v for k, v in values.items() if k != 'extra'}))
    session.flush()
    return get_interaction(session, actor, row.id)


def update_interaction(session: Session, actor: Actor, interaction_id: int, data: InteractionInput,
                       expected_version: int | None = None) -> InteractionRead:
    """Replace what a user may edit (participants included); the source and idempotency key stay."""
    require_write(actor)
    row = interaction_in_tenant(session, actor, interaction_id)
    if expected_version is not None and expected_version != row.version:
        raise Conflict('error.stale_version')
    values = validated(session, actor, data.model_copy(
        update={'source': row.source, 'occurred_at': data.occurred_at or row.occurred_at}))
    participants = validated_participants(session, actor, values['client_id'], data.participants)
    before = {name: getattr(row, name) for name in values}
    for name, value in values.items():
        setattr(row, name, value)
    row.version += 1
    session.add(row)
    for old in session.exec(select(InteractionParticipant)
                            .where(InteractionParticipant.interaction_id == row.id)).all():
        session.delete(old)
    session.flush()
    for participant in participants:
        participant.interaction_id = row.id
        session.add(participant)
    audit.record(session, actor, tenant_id=actor.tenant_id, action=AuditAction.UPDATE, entity='interaction',
                 entity_id=row.id, changes=audit.diff(before, values))
    session.flush()
    return get_interaction(session, actor, row.id)


def delete_interaction(session: Session, actor: Actor, interaction_id: int) -> None:
    require_write(actor)
    row = interaction_in_tenant(session, actor, interaction_id)
    audit.record(session, actor, tenant_id=actor.tenant_id, action=AuditAction.DELETE, entity='interaction',
                 entity_id=row.id, changes={'title': row.title, 'type': row.type,
                                            'occurred_at': row.occurred_at.isoformat()})
    session.delete(row)
    session.flush()
