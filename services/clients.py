"""Clients: the companies and people a tenant works for. Listing, editing, archiving, duplicates, tags."""

from dataclasses import dataclass
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import exists, func, or_
from sqlmodel import Session, col, delete, select

from db.models import (
    AuditAction,
    Case,
    Client,
    ClientKind,
    ClientStatus,
    ClientTag,
    ClientType,
    Contact,
    Document,
    SearchEntity,
    User,
)
from db.session import after_commit
from services import audit, sale_days, search
from services.actor import Actor, require_admin, require_write
from services.analytics import moves as month_moves
from services.contact_details import optional_email, optional_phone
from services.errors import Conflict, Invalid, NotFound
from services.overview import counted_clients
from services.paging import Page, PageRequest, fetch_page, sort_column
from services.stages import entry_stage, set_stage, stage_in_tenant, stage_names
from services.storage import remove_stored_files
from services.text import fold, words
from services.users import display_names
from services.validation import DbId, clean_text

# A new tenant's client types, in its language (they are the tenant's own words from then on: renamed, removed).
CLIENT_TYPES_BY_LANGUAGE = {'fr': ('CGPI', 'Distributeur', 'Institutionnel', 'Entreprise', 'Particulier'),
                            'en': ('IFA', 'Wholesale', 'Institutional', 'Company', 'Individual')}
DEFAULT_CLIENT_TYPES = CLIENT_TYPES_BY_LANGUAGE['fr']
SORTABLE = {'name': Client.name, 'city': Client.city, 'created_at': Client.created_at,
            'updated_at': Client.updated_at, 'status': Client.status, 'client_type': Client.client_type}
MAX_TAGS, MAX_TAG_LENGTH = 20, 40
DUPLICATE_THRESHOLD = 85
DUPLICATE_CANDIDATES = 200
LEGAL_FORMS = frozenset({'sarl', 'spa', 'eurl', 'snc', 'sas', 'sasu', 'sa', 'ets', 'sci', 'scs', 'groupe', 'societe',
                         'ste', 'cabinet', 'et', 'de', 'des', 'du', 'la', 'le', 'les'})


class ClientInput(BaseModel):
    """What a user may set on a client (create and full update)."""

    kind: ClientKind = ClientKind.COMPANY
    name: str = Field(default='', max_length=200)
    email: str | None = Field(default=None, max_length=254)
    phone: str | None = Field(default=None, max_length=40)
    company: str | None = Field(default=None, max_length=200)
    address: str | None = Field(default=None, max_length=300)
    postal_code: str | None = Field(default=None, max_length=16)
    city: str | None = Field(default=None, max_length=120)
    country: str = Field(default='DZ', max_length=2)
    website: str | None = Field(default=None, max_length=300)
    status: ClientStatus = ClientStatus.ACTIVE
    client_type: str | None = Field(default=None, max_length=60)
    tags: list[str] = Field(default_factory=list)
    owner_id: DbId | None = Field(default=None, description='Left out of a new client: the user who creates it; '
                                  'null: no owner.')
    notes: str | None = Field(default=None, max_length=20_000)
    stage_id: DbId | None = None  # None: a new client starts at the first stage, an edited one stays where it is


class ClientRead(ClientInput):
    model_config = ConfigDict(frozen=True)

    id: int
    owner_name: str | None = None
    stage_name: str | None = None
    stage_entered_at: datetime | None = None
    created_at: datetime
    updated_at: datetime
    version: int


@dataclass(frozen=True)
class ClientFilter:
    search: str = ''
    status: ClientStatus | None = None  # None: every status but archived
    client_type: str | None = None
    tag: str | None = None
    owner_id: int | None = None
    sort: str = 'name'
    descending: bool = False


@dataclass(frozen=True)
class DuplicateCandidate:
    id: int
    name: str
    email: str | None
    city: str | None
    score: int
    reason: str  # 'email' or 'name'


def list_client_types(session: Session, actor: Actor) -> list[str]:
    rows = session.exec(select(ClientType.name).where(ClientType.tenant_id == actor.tenant_id)
                        .order_by(col(ClientType.position), col(ClientType.name))).all()
    return list(rows)


def seed_client_types(session: Session, tenant_id: int, language: str = 'fr') -> None:
    for position, name in enumerate(CLIENT_TYPES_BY_LANGUAGE.get(language, DEFAULT_CLIENT_TYPES)):
        session.add(ClientType(tenant_id=tenant_id, name=name, position=position))


def list_tags(session: Session, actor: Actor) -> list[str]:
    query = select(ClientTag.tag).where(ClientTag.tenant_id == actor.tenant_id).distinct().order_by(ClientTag.tag)
    return list(session.exec(query.limit(500)).all())


def _tags_of(session: Session, client_ids: list[int]) -> dict[int, list[str]]:
    tags: dict[int, list[str]] = {client_id: [] for client_id in client_ids}
    if client_ids:
        rows = session.exec(select(ClientTag.client_id, ClientTag.tag)
                            .where(col(ClientTag.client_id).in_(client_ids)).order_by(ClientTag.tag)).all()
        for client_id, tag in rows:
            tags[client_id].append(tag)
    return tags


def _reads(session: Session, clients: list[Client]) -> list[ClientRead]:
    tags = _tags_of(session, [c.id for c in clients])
    owners = display_names(session, {c.owner_id for c in clients})
    stages = stage_names(session, {c.stage_id for c in clients if c.stage_id})
    return [ClientRead(**client.model_dump(warnings=False, exclude={'tenant_id'}), tags=tags[client.id],
                       owner_name=owners.get(client.owner_id), stage_name=stages.get(client.stage_id))
            for client in clients]


def _filtered(session: Session, actor: Actor, filters: ClientFilter):
    if filters.status is None:  # the clients every figure counts
        query = select(Client).where(counted_clients(actor.tenant_id))
    else:
        query = select(Client).where(Client.tenant_id == actor.tenant_id, Client.status == filters.status)
    if filters.client_type:
        query = query.where(Client.client_type == filters.client_type)
    if filters.owner_id:
        query = query.where(Client.owner_id == filters.owner_id)
    if filters.tag:
        query = query.where(exists().where(ClientTag.client_id == Client.id,
                                           func.lower(ClientTag.tag) == filters.tag.strip().lower()))
    if filters.search.strip():
        matching = search.matching_ids(session, actor.tenant_id, SearchEntity.CLIENT, filters.search)
        if matching is None:
            return None
        query = query.where(col(Client.id).in_(matching))
    return query


def list_clients(session: Session, actor: Actor, filters: ClientFilter, page: PageRequest) -> Page[ClientRead]:
    query = _filtered(session, actor, filters)
    if query is None:
        return Page(items=[], total=0, limit=page.limit, offset=page.offset)
    order = sort_column(col(SORTABLE.get(filters.sort, Client.name)), filters.descending)
    rows, total = fetch_page(session, query, page, order, col(Client.id))
    return Page(items=_reads(session, rows), total=total, limit=page.limit, offset=page.offset)


def client_in_tenant(session: Session, actor: Actor, client_id: int) -> Client:
    client = session.get(Client, client_id)
    if client is None or client.tenant_id != actor.tenant_id:
        raise NotFound('error.client_not_found')
    return client


def get_client(session: Session, actor: Actor, client_id: int) -> ClientRead:
    return _reads(session, [client_in_tenant(session, actor, client_id)])[0]


def find_duplicates(session: Session, actor: Actor, *, name: str, email: str | None,
                    exclude_id: int | None = None, limit: int = 5) -> list[DuplicateCandidate]:
    """Clients that look like the one being entered: same e-mail, or a name at least 85 % alike."""
    found: dict[int, DuplicateCandidate] = {}
    email = (email or '').strip().lower()
    base = select(Client).where(Client.tenant_id == actor.tenant_id, Client.id != (exclude_id or 0))
    if email:
        for client in session.exec(base.where(func.lower(Client.email) == email).limit(limit)).all():
            found[client.id] = DuplicateCandidate(client.id, client.name, client.email, client.city, 100, 'email')
    folded = fold(name).strip()
    candidates: dict[int, Client] = {}
    for word in _distinctive_words(folded):
        ids = search.matching_ids(session, actor.tenant_id, SearchEntity.CLIENT, word)
        for client in session.exec(base.where(col(Client.id).in_(ids)).limit(DUPLICATE_CANDIDATES)).all():
            candidates.setdefault(client.id, client)
    from rapidfuzz import fuzz  # here, not at start: only the duplicate checks need it

    for client in candidates.values():
        score = int(fuzz.token_sort_ratio(folded, fold(client.name)))
        if score >= DUPLICATE_THRESHOLD and client.id not in found:
            found[client.id] = DuplicateCandidate(client.id, client.name, client.email, client.city, score, 'name')
    return sorted(found.values(), key=lambda c: -c.score)[:limit]


def _distinctive_words(folded_name: str) -> list[str]:
    """The longest words of a name, legal forms left out: where a look-alike most likely shares a word."""
    kept = [w for w in words(folded_name) if w not in LEGAL_FORMS and len(w) > 2]
    return sorted(set(kept), key=len, reverse=True)[:3] or words(folded_name)[:1]


def _clean_tags(tags: list[str]) -> list[str]:
    cleaned: dict[str, str] = {}
    for tag in tags:
        tag = ' '.join(str(tag).split())
        if not tag:
            continue
        if len(tag) > MAX_TAG_LENGTH:
            raise Invalid('error.tag_too_long', field='tags', max=MAX_TAG_LENGTH)
        cleaned.setdefault(tag.lower(), tag)
    if len(cleaned) > MAX_TAGS:
        raise Invalid('error.too_many_tags', field='tags', max=MAX_TAGS)
    return list(cleaned.values())


def _validated(session: Session, actor: Actor, data: ClientInput) -> dict:
    values = data.model_dump(exclude={'tags'})
    values['name'] = clean_text(data.name, field='name', max_length=200, required=True)
    country = (data.country or 'DZ').strip().upper()
    if len(country) != 2 or not country.isalpha():
        raise Invalid('error.country_invalid', field='country')
    values['country'] = country
    values['email'] = optional_email(data.email)
    values['phone'] = optional_phone(data.phone, region=country)
    for field in ('company', 'address', 'postal_code', 'city', 'website', 'notes', 'client_type'):
        values[field] = (values[field] or '').strip() or None
    if values['client_type'] and values['client_type'] not in list_client_types(session, actor):
        raise Invalid('error.client_type_unknown', field='client_type')
    if data.owner_id is not None:
        owner = session.get(User, data.owner_id)
        if owner is None or owner.tenant_id != actor.tenant_id:
            raise Invalid('error.owner_unknown', field='owner_id')
    if data.stage_id is not None:
        stage_in_tenant(session, actor, data.stage_id)
    return values


def _set_tags(session: Session, client: Client, tags: list[str]) -> None:
    session.execute(delete(ClientTag).where(ClientTag.client_id == client.id))
    for tag in tags:
        session.add(ClientTag(tenant_id=client.tenant_id, client_id=client.id, tag=tag))


def create_client(session: Session, actor: Actor, data: ClientInput) -> ClientRead:
    """A new client is its creator's unless an owner (or explicitly none) is given."""
    require_write(actor)
    if 'owner_id' not in data.model_fields_set:
        data = data.model_copy(update={'owner_id': actor.user_id})
    values, tags = _validated(session, actor, data), _clean_tags(data.tags)
    stage_id = values.pop('stage_id') or entry_stage(session, actor.tenant_id).id
    client = Client(tenant_id=actor.tenant_id, **values)
    session.add(client)
    session.flush()
    set_stage(session, actor, client, stage_id)
    values['stage_id'] = stage_id
    _set_tags(session, client, tags)
    search.index(session, SearchEntity.CLIENT, client, ' '.join(tags))
    audit.record(session, actor, tenant_id=actor.tenant_id, action=AuditAction.CREATE, entity='client',
                 entity_id=client.id, changes=audit.diff({}, {**values, 'tags': tags}))
    return get_client(session, actor, client.id)


def update_client(session: Session, actor: Actor, client_id: int, data: ClientInput,
                  expected_version: int | None = None) -> ClientRead:
    require_write(actor)
    client = client_in_tenant(session, actor, client_id)
    if expected_version is not None and expected_version != client.version:
        raise Conflict('error.stale_version')
    values, tags = _validated(session, actor, data), _clean_tags(data.tags)
    if values['stage_id'] is None:
        values['stage_id'] = client.stage_id
    before = {**client.model_dump(warnings=False, include=set(values)),
              'tags': sorted(_tags_of(session, [client.id])[client.id], key=str.lower)}
    changes = audit.diff(before, {**values, 'tags': sorted(tags, key=str.lower)})
    if not changes:
        return get_client(session, actor, client.id)
    set_stage(session, actor, client, values.pop('stage_id'))
    for field, value in values.items():
        setattr(client, field, value)
    client.version += 1
    session.add(client)
    _set_tags(session, client, tags)
    search.index(session, SearchEntity.CLIENT, client, ' '.join(tags))
    if 'name' in changes:  # contacts and cases are found (and shown) with their client's name
        contacts = session.exec(select(Contact).where(Contact.client_id == client.id)).all()
        search.index_many(session, SearchEntity.CONTACT, contacts, client.name)
        cases = session.exec(select(Case).where(Case.client_id == client.id)).all()
        search.index_many(session, SearchEntity.CASE, cases, client.name)
    audit.record(session, actor, tenant_id=actor.tenant_id, action=AuditAction.UPDATE, entity='client',
                 entity_id=client.id, changes=changes)
    session.flush()
    return get_client(session, actor, client.id)


def set_status(session: Session, actor: Actor, client_id: int, status: ClientStatus) -> ClientRead:
    """Archive (or restore) a client: archiving is how a client is removed from daily lists."""
    require_write(actor)
    client = client_in_tenant(session, actor, client_id)
    if client.status != status:
        audit.record(session, actor, tenant_id=actor.tenant_id, action=AuditAction.UPDATE, entity='client',
                     entity_id=client.id, changes={'status': [client.status, status.value]})
        client.status, client.version = status, client.version + 1
        session.add(client)
        session.flush()
    return get_client(session, actor, client.id)


def delete_client(session: Session, actor: Actor, client_id: int) -> None:
    """Delete for good: admins only, archived clients only, and only without cases."""
    require_admin(actor)
    client = client_in_tenant(session, actor, client_id)
    if client.status != ClientStatus.ARCHIVED:
        raise Conflict('error.client_not_archived')
    if session.exec(select(Case.id).where(Case.client_id == client.id).limit(1)).first() is not None:
        raise Conflict('error.client_has_cases')
    contact_ids = list(session.exec(select(Contact.id).where(Contact.client_id == client.id)).all())
    stored = list(session.exec(select(Document.stored_name).where(Document.client_id == client.id)).all())
    search.forget(session, SearchEntity.CONTACT, contact_ids)
    search.forget(session, SearchEntity.CLIENT, [client.id])
    audit.record(session, actor, tenant_id=actor.tenant_id, action=AuditAction.DELETE, entity='client',
                 entity_id=client.id, changes={'name': client.name})
    sale_days.remove_client(session, actor.tenant_id, client.id)  # their sales go with them (cascade)
    month_moves.forget_client(session, actor.tenant_id, client.id)  # and their segment history
    session.delete(client)
    session.flush()
    after_commit(session, lambda: remove_stored_files(actor.tenant_id, stored))


def client_names(session: Session, actor: Actor, query: str, limit: int = 20) -> list[tuple[int, str]]:
    """(id, name) of non-archived clients for pickers: by search words, or the most recent ones."""
    base = select(Client.id, Client.name).where(Client.tenant_id == actor.tenant_id,
                                                Client.status != ClientStatus.ARCHIVED)
    if query.strip():
        ids = search.matching_ids(session, actor.tenant_id, SearchEntity.CLIENT, query)
        if ids is None:
            return []
        base = base.where(or_(col(Client.id).in_(ids)))
        return list(session.exec(base.order_by(Client.name).limit(limit)).all())
    return list(session.exec(base.order_by(col(Client.updated_at).desc()).limit(limit)).all())
