"""Realistic French/Algerian demo data (faker fr_FR), at the scale the caller chooses.

`fill_tenant` adds, per client, about 3 contacts, 2 cases (each with its creation in the status history) and
5 notes per case, plus the search entries of all of them (built by `services.search.entry_values`, so the global
search finds demo data). 100,000 clients (≈ 3.5 million rows with the search entries) load in a few minutes:
rows are generated in chunks of `CHUNK` clients with explicitly allocated ids, then written with COPY on
PostgreSQL and with executemany on SQLite (where the search_entry triggers keep FTS5 in step, row by row).
Case references are numbered per year of `opened_at`, in chronological order, after the tenant's last number
of that year; the case_sequence rows are locked for the whole fill and left at the last number used.
"""

import contextlib
import queue
import random
import threading
import time
from array import array
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from operator import itemgetter
from types import SimpleNamespace

import psycopg
from faker import Faker
from sqlalchemy import Table, insert, text, update
from sqlalchemy.dialects.postgresql import insert as postgres_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from db.models import (
    AuditAction,
    Case,
    CasePriority,
    CaseSequence,
    CaseStatus,
    CaseStatusChange,
    CaseType,
    Client,
    ClientKind,
    ClientStatus,
    ClientTag,
    ClientType,
    Contact,
    Note,
    NoteKind,
    Role,
    SearchEntity,
    SearchEntry,
    User,
    utcnow,
)
from services import audit
from services.search import entry_values
from services.tenants import TenantRead
from services.text import fold

CONTACTS_PER_CLIENT = (2, 3, 4)  # 3 on average
CASES_PER_CLIENT = 2
NOTES_PER_CASE = 5
CHUNK = 5000  # clients generated and written at a time: memory stays bounded whatever the scale
HISTORY_DAYS = 730  # cases opened over the past two years

ALGERIAN_CITIES = (
    ('Alger', '16000'), ('Oran', '31000'), ('Constantine', '25000'), ('Annaba', '23000'), ('Blida', '09000'),
    ('Sétif', '19000'), ('Tlemcen', '13000'), ('Béjaïa', '06000'), ('Tizi Ouzou', '15000'), ('Batna', '05000'),
    ('Boumerdès', '35000'), ('Tipaza', '42000'), ('Mostaganem', '27000'), ('Ghardaïa', '47000'),
)
ALGERIAN_STREETS = (
    'rue Didouche Mourad', 'boulevard Mohamed V', 'rue Larbi Ben M\'hidi', 'avenue de l\'ALN', 'rue Hassiba Ben Bouali',
    'boulevard Zighoud Youcef', 'rue Abane Ramdane', 'cité des 500 Logements', 'lotissement El Bina',
    'zone industrielle', 'rue Émir Abdelkader', 'boulevard Krim Belkacem', 'cité Djenane El Malik',
)
ALGERIAN_FIRST_NAMES = (
    'Amine', 'Yacine', 'Karim', 'Sofiane', 'Mehdi', 'Riad', 'Nassim', 'Samir', 'Walid', 'Farid', 'Mourad', 'Hakim',
    'Djamel', 'Rachid', 'Lotfi', 'Bilal', 'Nadia', 'Amina', 'Lina', 'Sarah', 'Yasmine', 'Meriem', 'Imane', 'Samia',
    'Lamia', 'Souad', 'Kenza', 'Rania', 'Feriel', 'Assia', 'Nesrine', 'Khadidja',
)
ALGERIAN_LAST_NAMES = (
    'Benali', 'Bouzid', 'Haddad', 'Mansouri', 'Khelifi', 'Saïdi', 'Belkacem', 'Brahimi', 'Zerrouki', 'Meziane',
    'Amrani', 'Hamidi', 'Boudiaf', 'Chérif', 'Rahmani', 'Aït Ahmed', 'Benmoussa', 'Chaouch', 'Djebbar', 'Ferhat',
    'Ghali', 'Kaci', 'Lounis', 'Messaoudi', 'Ouali', 'Saadi', 'Taleb', 'Yahiaoui', 'Ziani', 'Bensalem',
    'Bouchama', 'Hadjadj', 'Larbi', 'Medjahed', 'Tebboune', 'Zitouni', 'Belaïd', 'Kherbouche', 'Slimani',
)
COMPANY_FORMS = ('SARL', 'SARL', 'SPA', 'EURL', 'EURL', 'SNC', 'Société')
SECTORS = ('Tech', 'Import-Export', 'Agro', 'BTP', 'Conseil', 'Pharma', 'Logistique', 'Énergie', 'Textile',
           'Immobilier', 'Distribution', 'Finance', 'Transport', 'Plasturgie', 'Négoce', 'Services')
TAGS = ('VIP', 'export', 'prioritaire', 'partenaire', 'salon 2026', 'recommandé', 'PME', 'grand compte',
        'à relancer', 'nouveau')
CONTACT_ROLES = ('Gérant', 'Directeur général', 'Directrice financière', 'Comptable', 'Assistante de direction',
                 'Juriste', 'Responsable RH', 'Associé', 'Responsable achats', 'Expert-comptable')
MOBILE_PREFIXES = ('55', '66', '67', '69', '77', '78', '79')  # Ooredoo, Mobilis, Djezzy
MONTHS = ('janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre',
          'novembre', 'décembre')

CASE_TITLES = {
    CaseType.LEGAL: ('Constitution SARL', 'Constitution EURL', 'Constitution de société par actions',
                     'Litige commercial', 'Recouvrement de créances', 'Rédaction du contrat de distribution',
                     'Modification des statuts', 'Cession de parts sociales', 'Litige social (licenciement)',
                     'Augmentation de capital', 'Dissolution et liquidation', 'Bail commercial'),
    CaseType.FISCAL: ('Contrôle fiscal TVA {year}', 'Déclaration G50 {month} {year}', 'Bilan fiscal {year}',
                      'Déclaration IBS {year}', 'Réclamation contentieuse IRG', 'Remboursement de crédit de TVA',
                      'Régularisation TAP {year}', 'Vérification de comptabilité {year}', 'Déclaration G12'),
    CaseType.ADMINISTRATIVE: ('Renouvellement registre de commerce', 'Modification du registre de commerce',
                              'Immatriculation CNAS', 'Affiliation CASNOS', 'Demande d\'agrément',
                              'Obtention du NIF', 'Domiciliation du siège', 'Licence d\'importation',
                              'Certificat d\'existence'),
    CaseType.BUSINESS: ('Levée de fonds', 'Business plan {year}', 'Étude de marché', 'Dossier de crédit bancaire',
                        'Recherche de partenaires export', 'Évaluation d\'entreprise', 'Plan de financement ANADE'),
    CaseType.OTHER: ('Accompagnement général', 'Demande d\'information', 'Audit de conformité',
                     'Traduction de documents officiels'),
}
CASE_TYPE_WEIGHTS = {CaseType.LEGAL: 30, CaseType.FISCAL: 35, CaseType.ADMINISTRATIVE: 20, CaseType.BUSINESS: 10,
                     CaseType.OTHER: 5}
PRIORITY_WEIGHTS = {CasePriority.LOW: 15, CasePriority.NORMAL: 55, CasePriority.HIGH: 22, CasePriority.URGENT: 8}
OPEN_STATUS_WEIGHTS = {CaseStatus.NEW: 30, CaseStatus.IN_PROGRESS: 45, CaseStatus.WAITING_CLIENT: 25}
CASE_DESCRIPTIONS = (
    '{title} pour {client}. Interlocuteur principal : {contact}.',
    'Mandat signé par {contact} pour {client}. Honoraires forfaitaires convenus, pièces à réunir.',
    'Dossier ouvert à la demande de {contact} ({city}). Premier rendez-vous fixé, analyse des documents transmis.',
    '{client} nous confie ce dossier : {title}. Vérifier le registre de commerce, le NIF et les derniers bilans.',
)
NOTE_KIND_WEIGHTS = {NoteKind.GENERAL: 25, NoteKind.CALL: 25, NoteKind.MEETING: 15, NoteKind.EMAIL: 20,
                     NoteKind.TASK: 15}
NOTE_BODIES = {
    NoteKind.GENERAL: (
        'Point sur le dossier {reference} : pièces reçues, analyse en cours.',
        'Le client a transmis les statuts de la société et l\'extrait du registre de commerce.',
        'Il manque l\'attestation de mise à jour CNAS et l\'extrait de rôle. Relance prévue.',
        'Synthèse : risque faible, nous recommandons de régulariser avant la fin du trimestre.',
        'Dossier complet, transmis à l\'associé pour validation.',
    ),
    NoteKind.CALL: (
        'Appel de {contact} : souhaite connaître l\'avancement du dossier « {title} ».',
        'Appel sortant vers {contact}, messagerie. Rappeler demain matin.',
        'Échange téléphonique avec {contact} : accord sur les honoraires et le calendrier.',
        'Appel de {contact} : l\'inspecteur des impôts a demandé des justificatifs complémentaires.',
    ),
    NoteKind.MEETING: (
        'Réunion au cabinet avec {contact} : revue des documents et prochaines étapes.',
        'Rendez-vous chez le client à {city} : visite des locaux, signature du mandat.',
        'Visioconférence avec {contact} et l\'expert-comptable : validation du bilan {year}.',
        'Réunion avec la banque à {city} pour présenter le dossier de la société.',
    ),
    NoteKind.EMAIL: (
        'E-mail envoyé à {contact} : liste des pièces manquantes (NIF, NIS, article d\'imposition).',
        'Réponse de {contact} par e-mail : documents envoyés en pièce jointe.',
        'Courriel de l\'administration fiscale reçu, transmis au client pour avis.',
        'Envoi du projet de courrier à {contact} pour relecture.',
    ),
    NoteKind.TASK: (
        'Préparer le projet de statuts de la société',
        'Déposer la déclaration G50 avant le 20 du mois',
        'Relancer {contact} pour la copie du registre de commerce',
        'Vérifier le calcul de la TAP et de la TVA',
        'Envoyer la note d\'honoraires à {contact}',
        'Programmer un rendez-vous avec le notaire à {city}',
        'Préparer les pièces pour le CNRC',
    ),
}

# Column order of each table as written (ids explicit where children or search entries need them).
CLIENT_COLUMNS = ('id', 'tenant_id', 'kind', 'name', 'email', 'phone', 'company', 'address', 'postal_code', 'city',
                  'country', 'website', 'status', 'client_type', 'owner_id', 'notes', 'created_at', 'updated_at',
                  'version')
TAG_COLUMNS = ('tenant_id', 'client_id', 'tag')
CONTACT_COLUMNS = ('id', 'tenant_id', 'client_id', 'first_name', 'last_name', 'email', 'phone', 'role',
                   'created_at', 'updated_at', 'version')
CASE_COLUMNS = ('id', 'tenant_id', 'reference', 'title', 'client_id', 'case_type', 'status', 'priority',
                'description', 'assignee_id', 'due_date', 'opened_at', 'closed_at', 'created_at', 'updated_at',
                'version')
STATUS_CHANGE_COLUMNS = ('tenant_id', 'case_id', 'from_status', 'to_status', 'changed_by', 'changed_at')
NOTE_COLUMNS = ('id', 'tenant_id', 'case_id', 'kind', 'body', 'author_id', 'due_date', 'done', 'created_at',
                'updated_at', 'version')
SEARCH_COLUMNS = ('tenant_id', 'entity', 'entity_id', 'parent_id', 'title', 'subtitle', 'words')
TABLES = (Client, ClientTag, Contact, Case, CaseStatusChange, Note, SearchEntry, CaseSequence)


@dataclass(frozen=True)
class DemoResult:
    clients: int
    contacts: int = 0
    cases: int = 0
    notes: int = 0
    tags: int = 0
    search_entries: int = 0
    seconds: float = 0.0


def fill_tenant(session: Session, tenant: TenantRead, *, clients: int, seed: int = 2026) -> DemoResult:
    """Add `clients` demo clients to the tenant with their contacts, cases, notes and search entries.

    Runs in the caller's unit of work (nothing is committed here). Deterministic for a given seed and database.
    """
    started = time.perf_counter()
    users = list(session.exec(select(User.id).where(User.tenant_id == tenant.id, col(User.is_active).is_(True),
                                                    User.role != Role.VIEWER).order_by(col(User.id))).all())
    types = list(session.exec(select(ClientType.name).where(ClientType.tenant_id == tenant.id)
                              .order_by(col(ClientType.position), col(ClientType.name))).all())
    generator = _Generator(tenant.id, users, types, seed, clients)
    numbers = _lock_sequences(session, tenant.id, generator.years)
    generator.number_cases(numbers)
    counts = dict.fromkeys(('clients', 'contacts', 'cases', 'notes', 'tags', 'search_entries'), 0)
    postgres = session.get_bind().dialect.name == 'postgresql'
    with _PostgresWriter(session) if postgres else _SqliteWriter(session) as writer:
        for first in range(0, clients, CHUNK):
            chunk = generator.chunk(first, min(CHUNK, clients - first), writer.ids)
            for key in counts:
                counts[key] += len(chunk[key])
            writer.submit(chunk)
    for year, last in numbers.items():
        session.execute(update(CaseSequence).where(CaseSequence.tenant_id == tenant.id, CaseSequence.year == year)
                        .values(last_number=last))
    result = DemoResult(**counts, seconds=time.perf_counter() - started)
    audit.record(session, None, tenant_id=tenant.id, action=AuditAction.CREATE, entity='client', entity_id=None,
                 changes={'demo_clients': result.clients, 'demo_contacts': result.contacts,
                          'demo_cases': result.cases, 'demo_notes': result.notes})
    return result


def refresh_statistics(engine: Engine) -> None:
    """After a big fill (committed), on PostgreSQL: what autovacuum would do a little later (planner statistics,
    visibility map for index-only scans), so that the first queries already get good plans. Tables the user does
    not own are skipped with a warning by PostgreSQL. SQLite plans without statistics: nothing to do."""
    if engine.dialect.name != 'postgresql':
        return
    with engine.connect().execution_options(isolation_level='AUTOCOMMIT') as connection:
        for model in TABLES:
            connection.exec_driver_sql(f'VACUUM (ANALYZE) "{model.__table__.name}"')


def _lock_sequences(session: Session, tenant_id: int, years: Iterable[int]) -> dict[int, int]:
    """The last reference number of each year, with the case_sequence rows locked until the fill commits."""
    years = sorted(years)
    if not years:
        return {}
    dialect_insert = postgres_insert if session.get_bind().dialect.name == 'postgresql' else sqlite_insert
    session.execute(dialect_insert(CaseSequence).values([{'tenant_id': tenant_id, 'year': year, 'last_number': 0}
                                                          for year in years]).on_conflict_do_nothing())
    rows = session.execute(select(CaseSequence.year, CaseSequence.last_number)
                           .where(CaseSequence.tenant_id == tenant_id, col(CaseSequence.year).in_(years))
                           .order_by(col(CaseSequence.year)).with_for_update()).all()
    return dict(rows)


BULK_SETTINGS = (('gin_pending_list_limit', '1GB'), ('maintenance_work_mem', '256MB'))
# Tables in foreign-key order, with the chunk key of their rows and the columns written.
WRITES = ((Client, 'clients', CLIENT_COLUMNS), (ClientTag, 'tags', TAG_COLUMNS), (Contact, 'contacts', CONTACT_COLUMNS),
          (Case, 'cases', CASE_COLUMNS), (CaseStatusChange, 'status_changes', STATUS_CHANGE_COLUMNS),
          (Note, 'notes', NOTE_COLUMNS), (SearchEntry, 'search_entries', SEARCH_COLUMNS))


class _SqliteWriter:
    """executemany through SQLAlchemy Core, chunk after chunk; ids follow the largest one (the unit of work holds
    SQLite's write lock from its first statement, so nobody else takes them)."""

    def __init__(self, session: Session) -> None:
        self.session, self.last_ids = session, {}

    def __enter__(self) -> '_SqliteWriter':
        return self

    def __exit__(self, *_) -> None:
        return None

    def ids(self, model, count: int) -> Sequence[int]:
        table: Table = model.__table__
        if table.name not in self.last_ids:
            self.last_ids[table.name] = self.session.execute(
                text(f'SELECT coalesce(max(id), 0) FROM "{table.name}"')).scalar_one()
        first = self.last_ids[table.name] + 1
        self.last_ids[table.name] += count
        return range(first, first + count)

    def submit(self, chunk: dict[str, list[dict]]) -> None:
        for model, key, _ in WRITES:
            if chunk[key]:
                self.session.execute(insert(model.__table__), chunk[key])  # Core: one executemany a table


class _PostgresWriter:
    """COPY into the tables on the session's connection (so in its transaction), from a thread: PostgreSQL
    stores one chunk while Python generates the next. Ids come from the tables' own sequences, drawn on a
    second connection (nextval is not transactional), so drawing them never waits for a COPY.

    New search entries go to the pending lists of the GIN indexes, merged into them once per chunk
    (`gin_clean_pending_list`, sorted in bulk): about twice as fast as letting each COPY merge 4 MB at a time.
    Without the right to do that (the index owner's), the usual settings stay.
    """

    def __init__(self, session: Session) -> None:
        self.raw = session.connection().connection.driver_connection
        bind = session.get_bind()
        self.engine = getattr(bind, 'engine', bind)
        self.queue: queue.Queue = queue.Queue(maxsize=1)  # one chunk being written, one waiting: bounded memory
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name='demo-copy', daemon=True)
        self.gin_indexes: list[str] = []
        self.saved: dict[str, str] = {}

    def __enter__(self) -> '_PostgresWriter':
        self.id_connection = self.engine.connect().execution_options(isolation_level='AUTOCOMMIT')
        with self.raw.cursor() as cursor:
            self.gin_indexes = [row[0] for row in cursor.execute(
                "SELECT index.relname FROM pg_index JOIN pg_class index ON index.oid = pg_index.indexrelid "
                "JOIN pg_am ON pg_am.oid = index.relam WHERE pg_index.indrelid = 'search_entry'::regclass "
                "AND pg_am.amname = 'gin' ORDER BY index.relname")]
            if self.gin_indexes:
                for name, value in BULK_SETTINGS:
                    self.saved[name] = cursor.execute('SELECT current_setting(%s)', (name,)).fetchone()[0]
                    cursor.execute('SELECT set_config(%s, %s, true)', (name, value))
        self.thread.start()
        return self

    def __exit__(self, kind, error, _traceback) -> None:
        if error is not None:  # the generator failed: drop the chunk still waiting, the unit of work will roll back
            with contextlib.suppress(queue.Empty):
                self.queue.get_nowait()
        self._put(None)
        self.thread.join()
        self.id_connection.close()
        if self.error is not None:
            if error is None:
                raise self.error
            return
        if self.saved:
            with self.raw.cursor() as cursor:
                for name, value in self.saved.items():
                    cursor.execute('SELECT set_config(%s, %s, true)', (name, value))

    def ids(self, model, count: int) -> Sequence[int]:
        if not count:
            return []
        rows = self.id_connection.exec_driver_sql(
            "SELECT nextval(pg_get_serial_sequence(%(table)s, 'id')) FROM generate_series(1, %(count)s)",
            {'table': f'"{model.__table__.name}"', 'count': count})
        return array('q', (row[0] for row in rows))

    def submit(self, chunk: dict[str, list[dict]]) -> None:
        self._put(chunk)

    def _put(self, chunk: dict | None) -> None:
        while self.thread.is_alive():
            try:
                self.queue.put(chunk, timeout=0.5)
                return
            except queue.Full:
                continue
        if self.error is not None and chunk is not None:
            raise self.error

    def _run(self) -> None:
        try:
            while (chunk := self.queue.get()) is not None:
                for model, key, columns in WRITES:
                    self._copy(model.__table__.name, columns, chunk[key])
                self._clean_pending_lists()
        except BaseException as error:  # re-raised in the generating thread
            self.error = error

    def _copy(self, table: str, columns: Sequence[str], rows: list[dict]) -> None:
        if not rows:
            return
        values = itemgetter(*columns)
        with self.raw.cursor() as cursor, cursor.copy(f'COPY "{table}" ({", ".join(columns)}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row(values(row))

    def _clean_pending_lists(self) -> None:
        if not self.gin_indexes:
            return
        with self.raw.cursor() as cursor:
            cursor.execute('SAVEPOINT demo_gin')
            try:
                for index in self.gin_indexes:
                    cursor.execute('SELECT gin_clean_pending_list(%s::regclass)', (index,))
                cursor.execute('RELEASE SAVEPOINT demo_gin')
            except psycopg.errors.InsufficientPrivilege:
                cursor.execute('ROLLBACK TO SAVEPOINT demo_gin')
                for name, value in self.saved.items():
                    cursor.execute('SELECT set_config(%s, %s, true)', (name, value))
                self.gin_indexes, self.saved = [], {}


class _Generator:
    """Rows of a tenant's demo data, chunk by chunk, from one seeded random stream."""

    def __init__(self, tenant_id: int, users: list[int], client_types: list[str], seed: int, clients: int) -> None:
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
                                                          'notes', 'search_entries')}
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
        return out

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


def _slug(value: str) -> str:
    return ''.join(c for c in fold(value) if c.isalnum())
