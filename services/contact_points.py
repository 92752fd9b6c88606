"""How to reach clients and contacts (e-mail, phone, website), read for many at once: for lists of search results,
which hold only a title and a line of text."""

from dataclasses import dataclass

from sqlmodel import Session, col, select

from db.models import Client, Contact
from services.actor import Actor


@dataclass(frozen=True)
class ContactPoints:
    email: str | None
    phone: str | None  # E.164
    website: str | None = None


def of_clients(session: Session, actor: Actor, client_ids: set[int]) -> dict[int, ContactPoints]:
    if not client_ids:
        return {}
    rows = session.exec(select(Client.id, Client.email, Client.phone, Client.website)
                        .where(Client.tenant_id == actor.tenant_id, col(Client.id).in_(client_ids))).all()
    return {client_id: ContactPoints(email, phone, website) for client_id, email, phone, website in rows}


def of_contacts(session: Session, actor: Actor, contact_ids: set[int]) -> dict[int, ContactPoints]:
    if not contact_ids:
        return {}
    rows = session.exec(select(Contact.id, Contact.email, Contact.phone)
                        .where(Contact.tenant_id == actor.tenant_id, col(Contact.id).in_(contact_ids))).all()
    return {contact_id: ContactPoints(email, phone) for contact_id, email, phone in rows}
