"""Realistic French/Algerian demo data (faker fr_FR), at the scale the caller chooses."""

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

from faker import Faker
from sqlalchemy import insert
from sqlmodel import Session, select

from db.models import AuditAction, Client, ClientKind, ClientStatus, Role, User, utcnow
from services import audit
from services.tenants import TenantRead

CLIENT_TYPES = ('CGPI', 'Wholesale', 'Institutionnel', 'Entreprise', 'Particulier')
ALGERIAN_CITIES = (
    ('Alger', '16000'), ('Oran', '31000'), ('Constantine', '25000'), ('Annaba', '23000'), ('Blida', '09000'),
    ('Sétif', '19000'), ('Tlemcen', '13000'), ('Béjaïa', '06000'), ('Tizi Ouzou', '15000'), ('Batna', '05000'),
)
COMPANY_FORMS = ('SARL', 'SPA', 'EURL', 'SNC')
SECTORS = ('Tech', 'Import-Export', 'Agro', 'BTP', 'Conseil', 'Pharma', 'Logistique', 'Énergie', 'Textile',
           'Immobilier', 'Distribution', 'Finance')
TAGS = ('VIP', 'export', 'prioritaire', 'partenaire', 'salon 2026', 'recommandé', 'PME', 'grand compte')
BATCH = 1000


@dataclass(frozen=True)
class DemoResult:
    clients: int


def _algerian_mobile(rng: random.Random) -> str:
    return f'+213{rng.choice("567")}{rng.randrange(10_000_000, 99_999_999)}'


def _client_rows(tenant_id: int, owners: list[int], count: int, seed: int) -> Iterator[dict]:
    fake, rng = Faker('fr_FR'), random.Random(seed)
    fake.seed_instance(seed)
    now = utcnow()
    for index in range(count):
        is_company = rng.random() < 0.7
        city, postal_code = rng.choice(ALGERIAN_CITIES) if rng.random() < 0.8 else (fake.city(), fake.postcode())
        if is_company:
            base = f'{fake.last_name()} {rng.choice(SECTORS)}'
            name = f'{rng.choice(COMPANY_FORMS)} {base}'
            domain = base.lower().replace(' ', '').replace('é', 'e').replace('è', 'e').replace('-', '')
            email = f'contact@{domain}{index}.dz'
        else:
            first, last = fake.first_name(), fake.last_name()
            name = f'{first} {last}'
            email = f'{first}.{last}{index}@example.dz'.lower().replace(' ', '')
        created = now - _age(rng.randrange(0, 900))
        yield {
            'tenant_id': tenant_id, 'kind': ClientKind.COMPANY if is_company else ClientKind.INDIVIDUAL,
            'name': name, 'email': email if rng.random() < 0.9 else None,
            'phone': _algerian_mobile(rng) if rng.random() < 0.85 else None,
            'company': name if is_company else None, 'address': fake.street_address(), 'postal_code': postal_code,
            'city': city, 'country': 'DZ' if city in dict(ALGERIAN_CITIES) else 'FR',
            'website': f'https://www.{email.split("@")[1]}' if is_company and rng.random() < 0.5 else None,
            'status': rng.choices([ClientStatus.ACTIVE, ClientStatus.INACTIVE, ClientStatus.ARCHIVED],
                                  weights=[80, 15, 5])[0],
            'client_type': rng.choice(CLIENT_TYPES), 'tags': rng.sample(TAGS, k=rng.choice((0, 0, 1, 1, 2))),
            'owner_id': rng.choice(owners) if owners else None, 'notes': None,
            'created_at': created, 'updated_at': created, 'version': 1,
        }


def _age(days: int) -> timedelta:
    return timedelta(days=days, minutes=days * 7 % 1440)


def fill_tenant(session: Session, tenant: TenantRead, *, clients: int, seed: int = 2026) -> DemoResult:
    """Add `clients` demo clients to the tenant, in batches of bulk inserts."""
    owners = list(session.exec(select(User.id).where(User.tenant_id == tenant.id,
                                                     User.role != Role.VIEWER)).all())
    batch: list[dict] = []
    for row in _client_rows(tenant.id, owners, clients, seed):
        batch.append(row)
        if len(batch) == BATCH:
            session.execute(insert(Client), batch)
            batch = []
    if batch:
        session.execute(insert(Client), batch)
    audit.record(session, None, tenant_id=tenant.id, action=AuditAction.CREATE, entity='client', entity_id=None,
                 changes={'demo_clients': clients})
    return DemoResult(clients=clients)
