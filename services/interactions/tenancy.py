"""An interaction or a contact of the actor's tenant, or NotFound (Invalid when the contact was given in a form)."""

from sqlmodel import Session

from db.models import Contact, Interaction
from services.actor import Actor
from services.errors import Invalid, NotFound


def interaction_in_tenant(session: Session, actor: Actor, interaction_id: int) -> Interaction:
    row = session.get(Interaction, interaction_id)
    if row is None or row.tenant_id != actor.tenant_id:
        raise NotFound('error.interaction_not_found')
    return row


def contact_in_tenant(session: Session, actor: Actor, contact_id: int) -> Contact:
    contact = session.get(Contact, contact_id)
    if contact is None or contact.tenant_id != actor.tenant_id:
        raise NotFound('error.contact_not_found')
    return contact


def given_contact(session: Session, actor: Actor, contact_id: int, *, field: str) -> Contact:
    try:
        return contact_in_tenant(session, actor, contact_id)
    except NotFound as error:
        raise Invalid('error.contact_unknown', field=field) from error
