"""Contacts: the people of a client."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import Session, col, select

from db.models import AuditAction, Client, Contact, SearchEntity
from services import audit, search
from services.actor import Actor, require_write
from services.clients import client_in_tenant
from services.contact_details import optional_email, optional_phone
from services.errors import Conflict, NotFound
from services.validation import clean_text

MAX_CONTACTS_SHOWN = 500


class ContactInput(BaseModel):
    first_name: str = Field(default='', max_length=80)
    last_name: str = Field(default='', max_length=80)
    email: str | None = Field(default=None, max_length=254)
    phone: str | None = Field(default=None, max_length=40)
    role: str | None = Field(default=None, max_length=80)


class ContactRead(ContactInput):
    model_config = ConfigDict(frozen=True)

    id: int
    client_id: int
    created_at: datetime
    version: int

    @property
    def full_name(self) -> str:
        return f'{self.first_name} {self.last_name}'.strip()


def _read(contact: Contact) -> ContactRead:
    return ContactRead(**contact.model_dump(warnings=False, exclude={'tenant_id', 'updated_at'}))


def _validated(data: ContactInput, country: str) -> dict:
    return {
        'first_name': clean_text(data.first_name, field='first_name', max_length=80),
        'last_name': clean_text(data.last_name, field='last_name', max_length=80, required=True),
        'email': optional_email(data.email),
        'phone': optional_phone(data.phone, region=country),
        'role': clean_text(data.role, field='role', max_length=80) or None,
    }


def _contact_in_tenant(session: Session, actor: Actor, contact_id: int) -> Contact:
    contact = session.get(Contact, contact_id)
    if contact is None or contact.tenant_id != actor.tenant_id:
        raise NotFound('error.contact_not_found')
    return contact


def list_contacts(session: Session, actor: Actor, client_id: int) -> list[ContactRead]:
    client = client_in_tenant(session, actor, client_id)
    rows = session.exec(select(Contact).where(Contact.client_id == client.id)
                        .order_by(col(Contact.last_name), col(Contact.first_name)).limit(MAX_CONTACTS_SHOWN)).all()
    return [_read(row) for row in rows]


def create_contact(session: Session, actor: Actor, client_id: int, data: ContactInput) -> ContactRead:
    require_write(actor)
    client = client_in_tenant(session, actor, client_id)
    values = _validated(data, client.country)
    contact = Contact(tenant_id=actor.tenant_id, client_id=client.id, **values)
    session.add(contact)
    session.flush()
    search.index(session, SearchEntity.CONTACT, contact, client.name)
    audit.record(session, actor, tenant_id=actor.tenant_id, action=AuditAction.CREATE, entity='contact',
                 entity_id=contact.id, changes=audit.diff({}, values))
    return _read(contact)


def update_contact(session: Session, actor: Actor, contact_id: int, data: ContactInput,
                   expected_version: int | None = None) -> ContactRead:
    require_write(actor)
    contact = _contact_in_tenant(session, actor, contact_id)
    if expected_version is not None and expected_version != contact.version:
        raise Conflict('error.stale_version')
    client = session.get(Client, contact.client_id)
    values = _validated(data, client.country)
    changes = audit.diff(contact.model_dump(warnings=False, include=set(values)), values)
    if changes:
        for name, value in values.items():
            setattr(contact, name, value)
        contact.version += 1
        session.add(contact)
        search.index(session, SearchEntity.CONTACT, contact, client.name)
        audit.record(session, actor, tenant_id=actor.tenant_id, action=AuditAction.UPDATE, entity='contact',
                     entity_id=contact.id, changes=changes)
        session.flush()
    return _read(contact)


def delete_contact(session: Session, actor: Actor, contact_id: int) -> None:
    require_write(actor)
    contact = _contact_in_tenant(session, actor, contact_id)
    search.forget(session, SearchEntity.CONTACT, [contact.id])
    audit.record(session, actor, tenant_id=actor.tenant_id, action=AuditAction.DELETE, entity='contact',
                 entity_id=contact.id, changes={'name': f'{contact.first_name} {contact.last_name}'.strip()})
    session.delete(contact)


def get_contact(session: Session, actor: Actor, contact_id: int) -> ContactRead:
    return _read(_contact_in_tenant(session, actor, contact_id))
