"""The data of `bench.ai_volume`: a tenant filled in bulk with N open cases on N/2 clients, 0 to 8 notes each (200 to
400 characters of French, see bench.ai_scenarios.NoteTexts), their status history and 0 to 6 interactions per client
(COPY on PostgreSQL, executemany on SQLite, as `services.demo` does)."""

import math
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.engine import Engine

from bench.ai_scenarios import NoteTexts
from db.models import Case, CaseStatus, Client, Interaction, Note, utcnow
from db.session import session_scope
from services.actor import Actor
from services.auth import trusted_actor
from services.demo import refresh_statistics
from services.demo.vocabulary import (
    ALGERIAN_CITIES,
    ALGERIAN_FIRST_NAMES,
    ALGERIAN_LAST_NAMES,
    CASE_DESCRIPTIONS,
    CASE_TITLES,
    CASE_TYPE_WEIGHTS,
    COMPANY_FORMS,
    INTERACTION_TYPE_WEIGHTS,
    MONTHS,
    OPEN_STATUS_WEIGHTS,
    PRIORITY_WEIGHTS,
    SECTORS,
)
from services.demo.writers import WRITES, PostgresWriter, SqliteWriter
from services.tenants import create_tenant

CHUNK = 2000  # cases generated and written at a time
NOTES_PER_CASE = range(0, 9)
INTERACTIONS_PER_CLIENT = range(0, 7)
HISTORY_DAYS = 540
TENANT = 'Bench IA'
INTERACTION_TITLES = ('Appel de suivi', 'Rendez-vous au cabinet', 'E-mail : pièces manquantes', 'Point téléphonique',
                      'Visioconférence avec la direction', 'Relance par e-mail', 'Déjeuner d\'affaires')


class OpenCases:
    """Open cases with their clients, status history, notes and the clients' interactions, chunk by chunk."""

    def __init__(self, tenant_id: int, user_id: int, seed: int) -> None:
        self.tenant_id, self.user_id = tenant_id, user_id
        self.rng = random.Random(seed)
        self.texts = NoteTexts(seed)
        self.now = utcnow()
        self.number = 0

    def chunk(self, count: int, ids: Callable[[type, int], Sequence[int]]) -> dict[str, list[dict]]:
        rng, now = self.rng, self.now
        out: dict[str, list[dict]] = {key: [] for _, key, _ in WRITES}
        clients = [self._client(client_id) for client_id in ids(Client, math.ceil(count / 2))]
        out['clients'] = clients
        for client in clients:
            for _ in range(rng.choice(INTERACTIONS_PER_CLIENT)):
                kind = rng.choices(tuple(INTERACTION_TYPE_WEIGHTS), weights=tuple(INTERACTION_TYPE_WEIGHTS.values()))[0]
                moment = now - timedelta(days=rng.uniform(-20, HISTORY_DAYS))  # a few are planned
                out['interactions'].append({
                    'tenant_id': self.tenant_id, 'client_id': client['id'], 'contact_id': None, 'type': kind.value,
                    'title': rng.choice(INTERACTION_TITLES), 'description': '', 'occurred_at': moment,
                    'duration_minutes': None, 'is_pitch': False, 'source': 'manual', 'extra': {},
                    'created_by': self.user_id, 'idempotency_key': None, 'created_at': moment, 'updated_at': moment,
                    'version': 1})
        for row, interaction_id in zip(out['interactions'], ids(Interaction, len(out['interactions'])), strict=True):
            row['id'] = interaction_id
        case_ids = ids(Case, count)
        for position, case_id in enumerate(case_ids):
            case = self._case(case_id, clients[position // 2])
            out['cases'].append(case)
            out['status_changes'].append({'tenant_id': self.tenant_id, 'case_id': case_id, 'from_status': None,
                                          'to_status': CaseStatus.NEW.value, 'changed_by': self.user_id,
                                          'changed_at': case['opened_at']})
            if case['status'] != CaseStatus.NEW.value:
                moved = case['opened_at'] + (now - case['opened_at']) * rng.random() * 0.5
                out['status_changes'].append({'tenant_id': self.tenant_id, 'case_id': case_id,
                                              'from_status': CaseStatus.NEW.value, 'to_status': case['status'],
                                              'changed_by': self.user_id, 'changed_at': moved})
            moments = sorted(case['opened_at'] + (now - case['opened_at']) * rng.random()
                             for _ in range(rng.choice(NOTES_PER_CASE)))
            for moment in moments:
                out['notes'].append({'tenant_id': self.tenant_id, 'case_id': case_id, 'author_id': self.user_id,
                                     'created_at': moment, 'updated_at': moment, 'version': 1,
                                     **self.texts.note(moment, now.date())})
            if moments:
                case['updated_at'] = max(case['updated_at'], moments[-1])
        for row, note_id in zip(out['notes'], ids(Note, len(out['notes'])), strict=True):
            row['id'] = note_id
        return out

    def _client(self, client_id: int) -> dict:
        rng = self.rng
        created = self.now - timedelta(days=rng.uniform(HISTORY_DAYS, HISTORY_DAYS + 365))
        city, postal_code = rng.choice(ALGERIAN_CITIES)
        if rng.random() < 0.7:
            name = f'{rng.choice(COMPANY_FORMS)} {rng.choice(ALGERIAN_LAST_NAMES)} {rng.choice(SECTORS)}'
            kind, company = 'company', name
        else:
            name = f'{rng.choice(ALGERIAN_FIRST_NAMES)} {rng.choice(ALGERIAN_LAST_NAMES)}'
            kind, company = 'individual', None
        return {'id': client_id, 'tenant_id': self.tenant_id, 'kind': kind, 'name': name,
                'email': f'contact{client_id}@example.dz', 'phone': None, 'company': company, 'address': None,
                'postal_code': postal_code, 'city': city, 'country': 'DZ', 'website': None, 'status': 'active',
                'client_type': None, 'owner_id': self.user_id, 'notes': None, 'stage_id': None,
                'stage_entered_at': None, 'created_at': created, 'updated_at': created, 'version': 1}

    def _case(self, case_id: int, client: dict) -> dict:
        rng, now = self.rng, self.now
        opened = now - timedelta(days=rng.random() ** 2 * HISTORY_DAYS)  # more recent cases than old ones
        case_type = rng.choices(tuple(CASE_TYPE_WEIGHTS), weights=tuple(CASE_TYPE_WEIGHTS.values()))[0]
        title = rng.choice(CASE_TITLES[case_type]).format(year=opened.year - rng.choice((0, 1)),
                                                          month=MONTHS[opened.month - 1])
        status = rng.choices(tuple(OPEN_STATUS_WEIGHTS), weights=tuple(OPEN_STATUS_WEIGHTS.values()))[0]
        due = rng.random()
        due_date = (now.date() - timedelta(days=rng.randrange(1, 60)) if due < 0.35
                    else now.date() + timedelta(days=rng.randrange(1, 42)) if due < 0.8 else None)
        contact = f'{rng.choice(ALGERIAN_FIRST_NAMES)} {rng.choice(ALGERIAN_LAST_NAMES)}'
        description = rng.choice(CASE_DESCRIPTIONS).format(title=title, client=client['name'], contact=contact,
                                                           city=client['city'])
        self.number += 1
        return {'id': case_id, 'tenant_id': self.tenant_id, 'reference': f'DOS-{opened.year}-{self.number:05d}',
                'title': title, 'client_id': client['id'], 'case_type': case_type.value, 'status': status.value,
                'priority': rng.choices(tuple(PRIORITY_WEIGHTS), weights=tuple(PRIORITY_WEIGHTS.values()))[0].value,
                'description': description, 'assignee_id': self.user_id, 'due_date': due_date, 'opened_at': opened,
                'closed_at': None, 'created_at': opened, 'updated_at': opened + (now - opened) * rng.random(),
                'version': 1}


@dataclass
class Filled:
    clients: int = 0
    cases: int = 0
    notes: int = 0
    interactions: int = 0
    seconds: float = 0.0


def fill(engine: Engine, cases: int, seed: int) -> tuple[Actor, Filled]:
    """A new tenant with its admin, filled with `cases` open cases; the admin as an Actor, and what was written."""
    started = time.perf_counter()
    with session_scope() as session:
        tenant, admin = create_tenant(session, name=TENANT, admin_email='bench-ia@bench.dz',
                                      admin_password='bench-password', admin_name='Bench IA')
    filled = Filled()
    with session_scope() as session:
        generator = OpenCases(tenant.id, admin.id, seed)
        postgres = engine.dialect.name == 'postgresql'
        with PostgresWriter(session) if postgres else SqliteWriter(session) as writer:
            for first in range(0, cases, CHUNK):
                chunk = generator.chunk(min(CHUNK, cases - first), writer.ids)
                filled.clients += len(chunk['clients'])
                filled.cases += len(chunk['cases'])
                filled.notes += len(chunk['notes'])
                filled.interactions += len(chunk['interactions'])
                writer.submit(chunk)
    refresh_statistics(engine)
    filled.seconds = time.perf_counter() - started
    with session_scope() as session:
        actor = trusted_actor(session, user_id=admin.id, tenant_id=tenant.id)
    return actor, filled
