"""Who took part in an interaction: contacts of the tenant or outside people (a name, an e-mail), each once."""

from sqlmodel import Session, select

from db.models import AttendanceStatus, Contact, InteractionParticipant
from services.actor import Actor
from services.contact_details import optional_email
from services.errors import Invalid
from services.interactions.schemas import ParticipantInput
from services.interactions.tenancy import given_contact
from services.validation import clean_text

MAX_PARTICIPANTS = 50


def validated_participants(session: Session, actor: Actor, client_id: int,
                           people: list[ParticipantInput]) -> list[InteractionParticipant]:
    """Validated participants, each person once. An outside e-mail that a contact of the tenant has is linked to
    that contact (one of this client's contacts first)."""
    rows: list[InteractionParticipant] = []
    seen: set[str] = set()
    for index, person in enumerate(people):
        field = f'participants.{index}'
        email = optional_email(person.email, field=f'{field}.email')
        contact = given_contact(session, actor, person.contact_id, field=f'{field}.contact_id') \
            if person.contact_id is not None else _contact_by_email(session, actor, client_id, email)
        name = clean_text(person.name, field=f'{field}.name', max_length=160) or None
        if contact is None and not (name or email):
            raise Invalid('error.participant_empty', field=field)
        identity = f'contact:{contact.id}' if contact else f'email:{email}' if email else f'name:{name.lower()}'
        if identity in seen:
            continue
        seen.add(identity)
        rows.append(InteractionParticipant(
            tenant_id=actor.tenant_id, contact_id=contact.id if contact else None,
            external_name=None if contact else name, external_email=None if contact else email,
            external_role=clean_text(person.role, field=f'{field}.role', max_length=80) or None,
            is_organizer=person.is_organizer, attendance_status=AttendanceStatus(person.attendance_status)))
    return rows


def _contact_by_email(session: Session, actor: Actor, client_id: int, email: str | None) -> Contact | None:
    if not email:
        return None
    matches = session.exec(select(Contact).where(Contact.tenant_id == actor.tenant_id, Contact.email == email)
                           .limit(20)).all()
    return next((c for c in matches if c.client_id == client_id), matches[0] if matches else None)
