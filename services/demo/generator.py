"""Rows of a tenant's demo data, generated chunk by chunk from one seeded random stream."""

import random
from array import array
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from functools import cache
from types import SimpleNamespace

from faker import Faker

from db.models import (
    Case,
    CaseStatus,
    Client,
    ClientKind,
    ClientStatus,
    Contact,
    Interaction,
    Note,
    NoteKind,
    SearchEntity,
    utcnow,
)
from services.demo.activity import ActivityGenerator
from services.demo.activity import slug as _slug
from services.demo.vocabulary import (
    ALGERIAN_CITIES,
    ALGERIAN_FIRST_NAMES,
    ALGERIAN_LAST_NAMES,
    ALGERIAN_STREETS,
    CASE_DESCRIPTIONS,
    CASE_TITLES,
    CASE_TYPE_WEIGHTS,
    CASES_PER_CLIENT,
    COMPANY_FORMS,
    CONTACT_ROLES,
    CONTACTS_PER_CLIENT,
    HISTORY_DAYS,
    MOBILE_PREFIXES,
    MONTHS,
    NOTE_BODIES,
    NOTE_KIND_WEIGHTS,
    NOTES_PER_CASE,
    OPEN_STATUS_WEIGHTS,
    PRIORITY_WEIGHTS,
    SECTORS,
    TAGS,
)
from services.search import entry_values


class DemoGenerator:
    """Rows of a tenant's demo data, chunk by chunk, from one seeded random stream."""

    def __init__(self, tenant_id: int, users: list[int], client_types: list[str], seed: int, clients: int,
                 stages: Sequence[tuple[int, bool]] = ()) -> None:
        """`stages`: the tenant's pipeline stages in board order, as (id, is_lost)."""
        self.tenant_id, self.users, self.client_types = tenant_id, users, client_types
        self.rng = random.Random(seed)
        self.now = utcnow()
        self.today = self.now.date()
        fake = _faker()
        fake.seed_instance(seed)
        fake.unique.clear()
        self.first_names = ALGERIAN_FIRST_NAMES * 3 + tuple(fake.unique.first_name() for _ in range(150))
        self.last_names = ALGERIAN_LAST_NAMES * 3 + tuple(fake.unique.last_name() for _ in range(200))
        self.french_places = tuple((fake.city(), fake.postcode(), fake.street_address()) for _ in range(300))
        # Every case's opening time, then its rank: references follow the calendar within each year.
        span = HISTORY_DAYS * 86400
        self.opened = array('d', (self.now.timestamp() - self.rng.random() * span
                                  for _ in range(clients * CASES_PER_CLIENT)))
        self.years = {datetime.fromtimestamp(t, self.now.tzinfo).year for t in self.opened}
        self.numbers = array('q', bytes(8 * len(self.opened)))
        self.activity = ActivityGenerator(self.rng, tenant_id, users, stages, self.now, self.first_names,
                                          self.last_names)

    def number_cases(self, last_numbers: dict[int, int]) -> None:
        """Give each case its number within its year, in opening order, after `last_numbers` (updated)."""
        for position in sorted(range(len(self.opened)), key=self.opened.__getitem__):
            year = datetime.fromtimestamp(self.opened[position], self.now.tzinfo).year
            last_numbers[year] += 1
            self.numbers[position] = last_numbers[year]

    # -- one chunk ---------------------------------------------------------------------------------------------

    def chunk(self, first: int, count: int, ids: Callable[[type, int], Sequence[int]]) -> dict[str, list[dict]]:
        rng = self.rng
        contact_counts = [rng.choice(CONTACTS_PER_CLIENT) for _ in range(count)]
        client_ids = iter(ids(Client, count))
        contact_ids = iter(ids(Contact, sum(contact_counts)))
        case_ids = iter(ids(Case, count * CASES_PER_CLIENT))
        note_ids = iter(ids(Note, count * CASES_PER_CLIENT * NOTES_PER_CASE))
        out: dict[str, list[dict]] = {key: [] for key in ('clients', 'tags', 'contacts', 'cases', 'status_changes',
                                                          'notes', 'search_entries', 'stage_changes',
                                                          'interactions', 'participants', 'kpis')}
        for offset in range(count):
            index = first + offset
            positions = range(index * CASES_PER_CLIENT, (index + 1) * CASES_PER_CLIENT)
            first_case = min(self.opened[p] for p in positions)
            client, tags = self._client(next(client_ids), first_case)
            out['clients'].append(client)
            out['tags'].extend({'tenant_id': self.tenant_id, 'client_id': client['id'], 'tag': tag} for tag in tags)
            out['search_entries'].append(_entry(SearchEntity.CLIENT, client, ' '.join(tags)))
            contacts = [self._contact(next(contact_ids), client) for _ in range(contact_counts[offset])]
            out['contacts'].extend(contacts)
            out['search_entries'].extend(_entry(SearchEntity.CONTACT, c, client['name']) for c in contacts)
            for position in positions:
                case, case_contact = self._case(next(case_ids), client, contacts, position)
                out['cases'].append(case)
                out['status_changes'].append({'tenant_id': self.tenant_id, 'case_id': case['id'], 'from_status': None,
                                              'to_status': case['status'], 'changed_by': case['assignee_id'],
                                              'changed_at': case['opened_at']})
                out['search_entries'].append(_entry(SearchEntity.CASE, case, client['name']))
                context = f'{case["reference"]} {case["title"]}'
                for _ in range(NOTES_PER_CASE):
                    note = self._note(next(note_ids), case, client, contacts, case_contact)
                    out['notes'].append(note)
                    out['search_entries'].append(_entry(SearchEntity.NOTE, note, context))
            for key, rows in self.activity.client(client, contacts).items():
                out[key].extend(rows)
        self._resolve_interactions(out, ids)
        return out

    @staticmethod
    def _resolve_interactions(out: dict[str, list[dict]], ids: Callable[[type, int], Sequence[int]]) -> None:
        """Give the chunk's interactions their ids, then their participants and idempotency keys."""
        interactions = out['interactions']
        for row, interaction_id in zip(interactions, ids(Interaction, len(interactions)), strict=True):
            row['id'] = interaction_id
            if row['idempotency_key']:
                row['idempotency_key'] = row['idempotency_key'].format(id=interaction_id)
        for participant in out['participants']:
            participant['interaction_id'] = participant.pop('interaction')['id']

    def _person(self) -> tuple[str, str]:
        return self.rng.choice(self.first_names), self.rng.choice(self.last_names)

    def _mobile(self) -> str:
        return f'+213{self.rng.choice(MOBILE_PREFIXES)}{self.rng.randrange(10_000_000):07d}'

    def _user(self) -> int | None:
        return self.rng.choice(self.users) if self.users else None

    def _client(self, client_id: int, first_case: float) -> tuple[dict, list[str]]:
        rng = self.rng
        is_company = rng.random() < 0.7
        if rng.random() < 0.8:
            city, postal_code = rng.choice(ALGERIAN_CITIES)
            address, country = f'{rng.randrange(1, 120)} {rng.choice(ALGERIAN_STREETS)}', 'DZ'
        else:
            city, postal_code, address = rng.choice(self.french_places)
            country = 'FR'
        if is_company:
            base = f'{rng.choice(self.last_names)} {rng.choice(SECTORS)}'
            name = f'{rng.choice(COMPANY_FORMS)} {base}'
            email = f'contact@{_slug(base)}{client_id}.dz'
        else:
            first_name, last_name = self._person()
            name = f'{first_name} {last_name}'
            email = f'{_slug(first_name)}.{_slug(last_name)}{client_id}@example.dz'
        created = datetime.fromtimestamp(first_case - rng.random() * 60 * 86400, self.now.tzinfo)
        updated = created + (self.now - created) * rng.random() ** 2
        client = {
            'id': client_id, 'tenant_id': self.tenant_id,
            'kind': (ClientKind.COMPANY if is_company else ClientKind.INDIVIDUAL).value,
            'name': name, 'email': email if rng.random() < 0.9 else None,
            'phone': self._mobile() if rng.random() < 0.85 else None,
            'company': name if is_company else None, 'address': address, 'postal_code': postal_code,
            'city': city, 'country': country,
            'website': f'https://www.{email.split("@")[1]}' if is_company and rng.random() < 0.5 else None,
            'status': rng.choices((ClientStatus.ACTIVE, ClientStatus.INACTIVE, ClientStatus.ARCHIVED),
                                  weights=(80, 15, 5))[0].value,
            'client_type': rng.choice(self.client_types) if self.client_types and rng.random() < 0.95 else None,
            'owner_id': self._user(), 'notes': None, 'created_at': created, 'updated_at': updated, 'version': 1,
        }
        return client, rng.sample(TAGS, k=rng.choice((0, 0, 1, 1, 1, 2, 3)))

    def _contact(self, contact_id: int, client: dict) -> dict:
        first_name, last_name = self._person()
        domain = client['email'].split('@')[1] if client['email'] else 'example.dz'
        return {'id': contact_id, 'tenant_id': self.tenant_id, 'client_id': client['id'], 'first_name': first_name,
                'last_name': last_name, 'email': f'{_slug(first_name)}.{_slug(last_name)}@{domain}',
                'phone': self._mobile() if self.rng.random() < 0.8 else None,
                'role': self.rng.choice(CONTACT_ROLES), 'created_at': client['created_at'],
                'updated_at': client['created_at'], 'version': 1}

    def _case(self, case_id: int, client: dict, contacts: list[dict], position: int) -> tuple[dict, str]:
        rng = self.rng
        opened = datetime.fromtimestamp(self.opened[position], self.now.tzinfo)
        case_type = rng.choices(tuple(CASE_TYPE_WEIGHTS), weights=tuple(CASE_TYPE_WEIGHTS.values()))[0]
        title = rng.choice(CASE_TITLES[case_type]).format(year=opened.year - rng.choice((0, 1)),
                                                          month=MONTHS[opened.month - 1])
        age = (self.now - opened).days
        open_chance = 0.75 if age < 45 else 0.35 if age < 180 else 0.08
        closed_at = None
        if rng.random() < open_chance:
            status = rng.choices(tuple(OPEN_STATUS_WEIGHTS), weights=tuple(OPEN_STATUS_WEIGHTS.values()))[0]
            due = rng.random()
            due_date = (self.today - timedelta(days=rng.randrange(1, 60)) if due < 0.35
                        else self.today + timedelta(days=rng.randrange(1, 42)) if due < 0.8 else None)
            updated = opened + (self.now - opened) * rng.random()
        else:
            status = CaseStatus.CLOSED if rng.random() < 0.65 else CaseStatus.RESOLVED
            closed_at = opened + timedelta(days=rng.randrange(5, 120), hours=rng.randrange(0, 9))
            if closed_at > self.now:
                closed_at = opened + (self.now - opened) * rng.random()
            due_date = (opened + timedelta(days=rng.randrange(15, 90))).date() if rng.random() < 0.7 else None
            updated = closed_at
        contact = rng.choice(contacts) if contacts else None
        contact_name = f'{contact["first_name"]} {contact["last_name"]}' if contact else client['name']
        description = rng.choice(CASE_DESCRIPTIONS).format(title=title, client=client['name'], contact=contact_name,
                                                           city=client['city'])
        year = opened.year
        return {'id': case_id, 'tenant_id': self.tenant_id, 'reference': f'DOS-{year}-{self.numbers[position]:04d}',
                'title': title, 'client_id': client['id'], 'case_type': case_type.value, 'status': status.value,
                'priority': rng.choices(tuple(PRIORITY_WEIGHTS), weights=tuple(PRIORITY_WEIGHTS.values()))[0].value,
                'description': description, 'assignee_id': self._user(), 'due_date': due_date, 'opened_at': opened,
                'closed_at': closed_at, 'created_at': opened, 'updated_at': updated, 'version': 1}, contact_name

    def _note(self, note_id: int, case: dict, client: dict, contacts: list[dict], case_contact: str) -> dict:
        rng = self.rng
        kind = rng.choices(tuple(NOTE_KIND_WEIGHTS), weights=tuple(NOTE_KIND_WEIGHTS.values()))[0]
        end = case['closed_at'] or self.now
        created = case['opened_at'] + (end - case['opened_at']) * rng.random()
        contact = rng.choice(contacts) if contacts else None
        body = rng.choice(NOTE_BODIES[kind]).format(
            reference=case['reference'], title=case['title'], city=client['city'], year=created.year - 1,
            contact=f'{contact["first_name"]} {contact["last_name"]}' if contact else case_contact)
        due_date, done = None, False
        if kind == NoteKind.TASK:
            due_date = (created + timedelta(days=rng.randrange(2, 21))).date()
            done = case['closed_at'] is not None or rng.random() < (0.8 if due_date < self.today else 0.2)
        return {'id': note_id, 'tenant_id': self.tenant_id, 'case_id': case['id'], 'kind': kind.value, 'body': body,
                'author_id': self._user(), 'due_date': due_date, 'done': done, 'created_at': created,
                'updated_at': created, 'version': 1}


@cache
def _faker() -> Faker:
    return Faker('fr_FR')  # slow to build: once per process, reseeded by each fill


def _entry(entity: SearchEntity, row: dict, context: str) -> dict:
    values = entry_values(entity, SimpleNamespace(**row), context)
    values['entity'] = entity.value
    return values
