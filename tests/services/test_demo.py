import re
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import phonenumbers
import pytest
from sqlalchemy import func
from sqlmodel import col, select

from db.models import (
    AttendanceStatus,
    AuditLog,
    Case,
    CaseSequence,
    CaseStatusChange,
    Client,
    ClientKpi,
    ClientTag,
    Contact,
    Interaction,
    InteractionParticipant,
    InteractionSource,
    InteractionType,
    Note,
    NoteKind,
    PipelineStage,
    Product,
    Role,
    Sale,
    SaleDay,
    SaleLine,
    SearchEntity,
    SearchEntry,
    StageChange,
    User,
    utcnow,
)
from db.session import session_scope
from services import demo, interactions, kpis, pipeline
from services.cases import CaseInput, create_case
from services.clients import ClientInput, create_client, list_client_types
from services.demo import NOTES_PER_CASE, DemoResult, fill_tenant
from services.demo.catalogue import CHANNELS, FAMILIES, PRODUCTS, REFERENCE_PREFIXES, SINGLE_AMOUNT_NOTE
from services.demo.generator import DemoGenerator
from services.demo.products import catalogue
from services.demo.sales import SalesGenerator
from services.demo.sales_calendar import months_before
from services.paging import PageRequest
from services.search import search
from services.tenants import TenantRead
from tests.factories import make_tenant, make_user

E164_ALGERIAN_MOBILE = re.compile(r'^\+213[567]\d{8}$')
REFERENCE = re.compile(r'^DOS-(\d{4})-(\d{4,})$')


def _fill(actor, clients: int, seed: int = 2026, currency: str = 'DZD') -> DemoResult:
    with session_scope() as session:
        return fill_tenant(session, TenantRead(id=actor.tenant_id, name=actor.tenant_name, currency=currency),
                           clients=clients, seed=seed)


def _count(session, model, tenant_id: int) -> int:
    return session.exec(select(func.count()).select_from(model).where(model.tenant_id == tenant_id)).one()


def _numbers_by_year(session, tenant_id: int) -> dict[int, list[int]]:
    numbers = defaultdict(list)
    for reference in session.exec(select(Case.reference).where(Case.tenant_id == tenant_id)).all():
        year, number = REFERENCE.match(reference).groups()
        numbers[int(year)].append(int(number))
    return {year: sorted(found) for year, found in numbers.items()}


def _assert_numbering_without_gaps(session, tenant_id: int) -> dict[int, list[int]]:
    numbers = _numbers_by_year(session, tenant_id)
    sequences = dict(session.exec(select(CaseSequence.year, CaseSequence.last_number)
                                  .where(CaseSequence.tenant_id == tenant_id)).all())
    assert sequences == {year: len(found) for year, found in numbers.items()}
    for found in numbers.values():
        assert found == list(range(1, len(found) + 1))
    return numbers


def test_a_fill_creates_the_announced_rows(db):
    admin = make_tenant()
    result = _fill(admin, 50)

    assert (result.clients, result.cases, result.notes) == (50, 100, 100 * NOTES_PER_CASE)
    assert 100 <= result.contacts <= 200
    tenant = admin.tenant_id
    with session_scope() as session:
        assert _count(session, Client, tenant) == 50
        assert _count(session, Contact, tenant) == result.contacts
        assert _count(session, Case, tenant) == 100
        assert _count(session, CaseStatusChange, tenant) == 100
        assert _count(session, Note, tenant) == 500
        assert _count(session, ClientTag, tenant) == result.tags > 0
        by_entity = dict(session.exec(select(SearchEntry.entity, func.count()).where(SearchEntry.tenant_id == tenant)
                                      .group_by(SearchEntry.entity)).all())
        assert by_entity == {'client': 50, 'contact': result.contacts, 'case': 100, 'note': 500}
        assert result.search_entries == sum(by_entity.values())
        clients = session.exec(select(Client).where(Client.tenant_id == tenant)).all()
        contacts = session.exec(select(Contact).where(Contact.tenant_id == tenant)).all()
        cases = session.exec(select(Case).where(Case.tenant_id == tenant)).all()
        notes = session.exec(select(Note).where(Note.tenant_id == tenant)).all()
        types = set(list_client_types(session, admin))
        audit = session.exec(select(AuditLog).where(AuditLog.tenant_id == tenant)
                             .order_by(col(AuditLog.id).desc())).first()

    phones = [row.phone for row in [*clients, *contacts] if row.phone]
    assert len(phones) > 100
    for phone in phones:
        assert E164_ALGERIAN_MOBILE.match(phone), phone
        assert phonenumbers.is_valid_number(phonenumbers.parse(phone)), phone
    assert {client.client_type for client in clients} - {None} <= types
    assert {case.status for case in cases} >= {'closed', 'resolved'}
    assert sum(case.status in ('closed', 'resolved') for case in cases) > 50  # most cases are done
    assert all(case.closed_at is None for case in cases if case.status not in ('closed', 'resolved'))
    assert all(case.opened_at <= note.created_at for case in cases for note in notes if note.case_id == case.id)
    assert all(case.assignee_id == admin.user_id for case in cases)  # the only user: everything is hers
    tasks = [note for note in notes if note.kind == NoteKind.TASK]
    assert tasks and all(task.due_date is not None for task in tasks)
    assert all(note.due_date is None and not note.done for note in notes if note.kind != NoteKind.TASK)
    assert audit.changes['demo_clients'] == 50 and audit.changes['demo_notes'] == 500
    assert audit.changes['demo_interactions'] == result.interactions > 0


def test_references_follow_the_calendar_and_the_sequence(db):
    admin = make_tenant()
    _fill(admin, 50)
    with session_scope() as session:
        numbers = _assert_numbering_without_gaps(session, admin.tenant_id)
        cases = session.exec(select(Case).where(Case.tenant_id == admin.tenant_id)).all()
    assert len(numbers) >= 2  # two years of history
    for year in numbers:
        in_year = [case for case in cases if case.reference.startswith(f'DOS-{year}-')]
        assert all(case.opened_at.year == year for case in in_year)
        by_number = sorted(in_year, key=lambda case: int(case.reference.rsplit('-', 1)[1]))
        assert [case.opened_at for case in by_number] == sorted(case.opened_at for case in in_year)


def test_demo_data_is_found_by_the_global_search(db):
    admin = make_tenant()
    _fill(admin, 40)
    with session_scope() as session:
        client = session.exec(select(Client).where(Client.tenant_id == admin.tenant_id,
                                                   Client.kind == 'company').order_by(col(Client.id))).first()
        contact = session.exec(select(Contact).where(Contact.tenant_id == admin.tenant_id)
                               .order_by(col(Contact.id).desc())).first()
        case = session.exec(select(Case).where(Case.tenant_id == admin.tenant_id).order_by(col(Case.id))).first()
        note = session.exec(select(Note).where(Note.tenant_id == admin.tenant_id, col(Note.body).contains('société'))
                            .order_by(col(Note.id))).first()

        def found(query: str) -> set[tuple[str, int]]:
            return {(hit.entity, hit.entity_id) for hit in search(session, admin, query, limit=200)}

        assert (SearchEntity.CLIENT, client.id) in found(client.name)
        assert (SearchEntity.CLIENT, client.id) in found(client.email)
        assert (SearchEntity.CONTACT, contact.id) in found(f'{contact.first_name} {contact.last_name}')
        assert (SearchEntity.CASE, case.id) in found(case.reference)
        reference = session.get(Case, note.case_id).reference
        assert (SearchEntity.NOTE, note.id) in found(f'SOCIÉTÉ {reference}')  # accents and case do not matter


def test_a_second_fill_continues_the_numbering(db):
    admin = make_tenant()
    with session_scope() as session:
        client = create_client(session, admin, ClientInput(name='Cabinet Haddad'))
        first = create_case(session, admin, CaseInput(client_id=client.id, title='Constitution SARL'))
    _fill(admin, 15, seed=1)
    _fill(admin, 15, seed=2)
    with session_scope() as session:
        numbers = _assert_numbering_without_gaps(session, admin.tenant_id)
        assert sum(len(found) for found in numbers.values()) == 61
        following = create_case(session, admin, CaseInput(client_id=client.id, title='Litige commercial'))
    year = first.opened_at.year
    assert first.reference == f'DOS-{year}-0001'
    assert following.reference == f'DOS-{year}-{len(numbers[year]) + 1:04d}'


def test_a_failed_fill_leaves_nothing_behind(db, monkeypatch):
    """A row refused while writing (here in the third chunk) fails the whole fill, from the writing thread on
    PostgreSQL too, and the unit of work rolls back: no half-filled tenant, no consumed reference numbers."""
    admin = make_tenant()
    monkeypatch.setattr(demo, 'CHUNK', 10)
    real_client, made = DemoGenerator._client, []

    def client_without_kind(self, client_id, first_case):
        client, tags = real_client(self, client_id, first_case)
        made.append(client_id)
        if len(made) == 25:
            client['kind'] = None  # NOT NULL
        return client, tags

    monkeypatch.setattr(DemoGenerator, '_client', client_without_kind)
    with pytest.raises(Exception, match=r'(?i)null'):
        _fill(admin, 60)
    with session_scope() as session:
        for model in (Client, SearchEntry, StageChange, Interaction, InteractionParticipant, ClientKpi, Product, Sale,
                      SaleLine, SaleDay):
            assert _count(session, model, admin.tenant_id) == 0, model
        assert session.exec(select(func.count()).select_from(CaseSequence)
                            .where(CaseSequence.tenant_id == admin.tenant_id)).one() == 0


# --- pipeline, interactions, KPIs ----------------------------------------------------------------------------------

def test_every_demo_client_is_at_a_stage_with_a_plausible_history(db):
    admin = make_tenant()
    result = _fill(admin, 80)
    tenant, now = admin.tenant_id, utcnow()
    with session_scope() as session:
        stages = {stage.id: stage for stage in session.exec(select(PipelineStage)
                                                             .where(PipelineStage.tenant_id == tenant)).all()}
        clients = session.exec(select(Client).where(Client.tenant_id == tenant)).all()
        changes = session.exec(select(StageChange).where(StageChange.tenant_id == tenant)
                               .order_by(col(StageChange.client_id), col(StageChange.changed_at))).all()
    assert result.stage_changes == len(changes)
    lost = {stage_id for stage_id, stage in stages.items() if stage.is_lost}
    history = defaultdict(list)
    for change in changes:
        history[change.client_id].append(change)
    for client in clients:
        moves = history[client.id]
        assert client.stage_id in stages
        assert 1 <= len(moves) <= 6
        assert moves[0].from_stage_id is None and moves[0].changed_at == client.created_at
        assert [m.from_stage_id for m in moves[1:]] == [m.to_stage_id for m in moves[:-1]]  # a chain
        assert moves[-1].to_stage_id == client.stage_id and moves[-1].changed_at == client.stage_entered_at
        assert all(earlier.changed_at <= later.changed_at <= now for earlier, later in pairwise(moves))
        forward = [stages[m.to_stage_id].position for m in moves if m.to_stage_id not in lost]
        assert forward == sorted(set(forward))  # only forward, never twice at a stage
        assert all(m.to_stage_id not in lost for m in moves[:-1])  # lost, if ever, at the end
        assert all(m.changed_by == client.owner_id for m in moves)
        assert client.updated_at >= client.stage_entered_at
    at = Counter(client.stage_id for client in clients)
    assert len(at) >= 4  # spread over the board
    assert 0 < sum(at[stage_id] for stage_id in lost) < len(clients) / 3
    assert max(len(moves) for moves in history.values()) >= 4
    with session_scope() as session:
        columns = pipeline.board(session, admin, pipeline.PipelineFilter())
    assert sum(column.total for column in columns) == sum(client.status != 'archived' for client in clients)


def test_demo_interactions_are_realistic(db):
    admin = make_tenant()
    agent = make_user(admin, role=Role.AGENT)
    make_user(admin, role=Role.VIEWER)  # viewers log nothing
    result = _fill(admin, 80)
    tenant, now = admin.tenant_id, utcnow()
    with session_scope() as session:
        rows = session.exec(select(Interaction).where(Interaction.tenant_id == tenant)).all()
        participants = session.exec(select(InteractionParticipant)
                                    .where(InteractionParticipant.tenant_id == tenant)).all()
        clients = {client.id: client for client in session.exec(select(Client).where(Client.tenant_id == tenant))}
        contacts = {contact.id: contact for contact in session.exec(select(Contact)
                                                                    .where(Contact.tenant_id == tenant))}
        users = set(session.exec(select(User.id).where(User.tenant_id == tenant, User.role != Role.VIEWER)).all())
    assert (result.interactions, result.participants) == (len(rows), len(participants))
    assert 5 * len(clients) <= len(rows) <= 20 * len(clients)  # about 10 a client
    per_client = Counter(row.client_id for row in rows)
    assert max(per_client.values()) >= 3 * len(rows) / len(clients)  # a long tail
    types = Counter(row.type for row in rows)
    assert set(types) <= set(InteractionType)
    assert types[InteractionType.EMAIL] > types[InteractionType.MEETING] > types[InteractionType.WEBINAR] > 0
    sources = Counter(row.source for row in rows)
    assert sources[InteractionSource.MANUAL] > len(rows) / 2 and sources[InteractionSource.NEWSLETTER] > 0
    assert {row.created_by for row in rows} == users == {admin.user_id, agent.user_id}
    planned = [row for row in rows if row.occurred_at > now]
    assert planned and all(row.occurred_at < now + timedelta(days=43) for row in planned)
    assert all(row.type in ('meeting', 'lunch', 'call') for row in planned)
    assert min(row.occurred_at for row in rows) >= now - timedelta(days=3 * 365 + 1)
    assert any(row.is_pitch for row in rows)
    keys = [row.idempotency_key for row in rows if row.idempotency_key]
    assert len(keys) == len(set(keys)) >= sources[InteractionSource.NEWSLETTER]
    by_interaction = defaultdict(list)
    for participant in participants:
        by_interaction[participant.interaction_id].append(participant)
    for row in rows:
        client = clients[row.client_id]
        assert row.title.strip() and len(row.title) <= 200
        assert row.created_at <= max(row.occurred_at, now) or row.source == InteractionSource.IMPORT
        assert (row.source == InteractionSource.IMPORT) == (row.occurred_at < client.created_at
                                                             and row.type != InteractionType.NEWSLETTER)
        assert row.contact_id is None or contacts[row.contact_id].client_id == client.id
        if row.type in ('call', 'meeting', 'lunch', 'webinar'):
            assert 5 <= row.duration_minutes <= 120
        else:
            assert row.duration_minutes is None
        people = by_interaction.pop(row.id, [])
        if row.type in ('meeting', 'lunch', 'webinar'):
            assert people
        else:
            assert not people
        for person in people:
            if person.contact_id is None:
                assert person.external_name and '@' in person.external_email and person.external_role
            else:
                assert contacts[person.contact_id].client_id == client.id and person.external_name is None
            future = row.occurred_at > now
            assert (person.attendance_status in (AttendanceStatus.INVITED, AttendanceStatus.CONFIRMED)) == future
    assert not by_interaction  # every participant belongs to an interaction of the tenant
    assert any(p.contact_id is None for p in participants) and any(p.contact_id for p in participants)

    busiest = per_client.most_common(1)[0][0]
    with session_scope() as session:
        page = interactions.list_interactions(session, admin, interactions.InteractionFilter(client_id=busiest),
                                              PageRequest(limit=50))
        timeline = interactions.timeline(session, admin, busiest, PageRequest(limit=50))
        recent = interactions.recent(session, admin, client_id=busiest)
    assert page.total == per_client[busiest] and page.items
    assert timeline.total > page.total and {entry.kind for entry in timeline.items} <= {'interaction', 'stage'}
    assert recent and all(item.occurred_at <= utcnow() for item in recent)


def test_demo_kpis_are_valid_monthly_rows_for_a_minority(db):
    admin = make_tenant()
    _fill(admin, 150)
    tenant = admin.tenant_id
    with session_scope() as session:
        rows = session.exec(select(ClientKpi).where(ClientKpi.tenant_id == tenant)).all()
        clients = {client.id: client for client in session.exec(select(Client).where(Client.tenant_id == tenant))}
    assert rows
    with_kpis = {row.client_id for row in rows}
    assert len(with_kpis) < len(clients) / 3
    assert len({(row.client_id, row.year, row.month) for row in rows}) == len(rows)
    now = datetime.now(UTC)
    for row in rows:
        assert 1 <= row.month <= 12 and (row.year, row.month) <= (now.year, now.month + 1)
        assert datetime(row.year, row.month, 1, tzinfo=UTC) >= clients[row.client_id].created_at.replace(
            day=1, hour=0, minute=0, second=0, microsecond=0) - timedelta(days=1)
        assert row.revenue_cents >= 0 and row.revenue_cents % 100 == 0
        assert 0 <= row.commission_bps <= 10_000
        assert 0 <= row.closings <= row.due_diligences
        assert row.version == 1
    assert sum(row.meetings is None for row in rows) > 0.7 * len(rows)  # mostly counted from interactions
    assert sum(row.pitches is None for row in rows) > 0.7 * len(rows)
    assert sum(row.revenue_cents > 0 for row in rows) > 0.9 * len(rows)
    year, month = Counter((row.year, row.month) for row in rows).most_common(1)[0][0]
    in_month = [row for row in rows if (row.year, row.month) == (year, month)]
    with session_scope() as session:
        summary = kpis.month_summary(session, admin, year, month)
    assert summary.totals.revenue * 100 == sum(row.revenue_cents for row in in_month)
    assert summary.totals.due_diligences == sum(row.due_diligences for row in in_month)
    assert summary.top_by_revenue


def test_the_generator_is_deterministic_for_a_seed(monkeypatch):
    """Same seed, same moment: the same rows (ids come from the caller)."""
    moment = utcnow()
    monkeypatch.setattr('services.demo.generator.utcnow', lambda: moment)

    def rows(seed: int, stages=((10, False), (11, False), (12, True))) -> dict[str, list[dict]]:
        numbers = defaultdict(int)

        def ids(model, count):
            first = numbers[model] + 1
            numbers[model] += count
            return range(first, first + count)

        generator = DemoGenerator(1, [7, 8], ['CGPI'], seed, 30, list(stages))
        generator.number_cases(defaultdict(int))
        return generator.chunk(0, 30, ids)

    first, again, other = rows(5), rows(5), rows(6)
    assert first == again
    assert first['interactions'] and first['interactions'] != other['interactions']
    assert {row['stage_id'] for row in first['clients']} <= {10, 11, 12}
    without_stages = rows(5, stages=())  # not a tenant made by create_tenant: interactions all the same
    assert {row['stage_id'] for row in without_stages['clients']} == {None}
    assert without_stages['interactions'] and not without_stages['stage_changes'] and not without_stages['kpis']


# --- catalogue and sales ---------------------------------------------------------------------------------------------

ALGIERS = ZoneInfo('Africa/Algiers')


def _sales_of(tenant_id: int) -> tuple[list[Product], list[Sale], list[SaleLine], list[SaleDay], list[Client]]:
    with session_scope() as session:
        return tuple(session.exec(select(model).where(model.tenant_id == tenant_id)).all()
                     for model in (Product, Sale, SaleLine, SaleDay, Client))


def test_the_demo_catalogue_has_families_unique_skus_and_a_few_discontinued_products(db):
    admin = make_tenant()
    result = _fill(admin, 30)
    products, *_ = _sales_of(admin.tenant_id)

    assert result.products == len(products) == sum(len(items) for items in PRODUCTS.values()) >= 120
    assert len({product.sku for product in products}) == len(products)
    families = Counter(product.family for product in products)
    assert set(families) == {name for name, _, _ in FAMILIES} and min(families.values()) >= 10
    assert 3 <= sum(not product.is_active for product in products) <= 12
    prices = {product.name: product.price_cents for product in products}
    assert prices['Sel fin 1 kg'] == 3_000 and prices['Réfrigérateur 350 L'] == 9_500_000  # DZD, in cents
    assert all(price > 0 and price % 100 == 0 for price in prices.values())
    by_family = defaultdict(list)
    for product in products:
        by_family[product.family].append(product.price_cents)
    assert max(by_family['Électroménager']) > 20 * max(by_family['Produits laitiers'])  # a realistic spread


def test_demo_sales_have_a_long_tail_lapsed_and_new_clients_and_consistent_lines(db):
    admin = make_tenant()
    result = _fill(admin, 300)
    products, sales, lines, days, clients = _sales_of(admin.tenant_id)
    today = datetime.now(UTC).astimezone(ALGIERS).date()  # the fill's day (CRM_TIMEZONE's default)

    assert result.sales == len(sales) and result.sale_lines == len(lines)
    assert 8 <= len(sales) / len(clients) <= 12  # about 10 a client
    assert 2.0 <= len(lines) / len(sales) <= 3.0
    assert all(months_before(today, 30) < sale.sold_on <= today for sale in sales)
    assert all(sale.currency == 'DZD' and sale.channel in CHANNELS for sale in sales)
    assert len({sale.channel for sale in sales}) >= 4

    # Lines repeat their sale's client and day, and add up to its total; a few sales are a single amount.
    by_sale = defaultdict(list)
    for line in lines:
        by_sale[line.sale_id].append(line)
        assert line.quantity > 0 and line.total_cents == line.quantity * line.unit_price_cents
    for sale in sales:
        sale_lines = by_sale.pop(sale.id, [])
        assert all((line.client_id, line.sold_on) == (sale.client_id, sale.sold_on) for line in sale_lines)
        assert len({line.product_id for line in sale_lines}) == len(sale_lines) <= 6
        if sale_lines:
            assert sale.total_cents == sum(line.total_cents for line in sale_lines) and sale.note is None
        else:
            assert sale.total_cents > 0 and sale.note == SINGLE_AMOUNT_NOTE
        assert sale.created_at.astimezone(ALGIERS).date() == sale.sold_on
        assert (sale.reference is not None) == (sale.channel in REFERENCE_PREFIXES)
        if sale.channel in ('online', 'marketplace'):
            assert sale.created_by is None
        else:
            assert sale.created_by == admin.user_id
    assert not by_sale
    single = sum(sale.note is not None for sale in sales)
    assert 0.02 * len(sales) <= single <= 0.12 * len(sales)

    # A long tail: most revenue from a few clients, many clients with one or two purchases.
    count, revenue, first, last = Counter(), Counter(), {}, {}
    for sale in sales:
        count[sale.client_id] += 1
        revenue[sale.client_id] += sale.total_cents
        first[sale.client_id] = min(first.get(sale.client_id, sale.sold_on), sale.sold_on)
        last[sale.client_id] = max(last.get(sale.client_id, sale.sold_on), sale.sold_on)
    buyers = len(count)
    assert 0.85 * len(clients) <= buyers < len(clients)  # a few never bought
    assert max(count.values()) >= 4 * len(sales) / buyers
    assert sum(n <= 2 for n in count.values()) >= 0.1 * buyers
    top = sorted(revenue.values(), reverse=True)[:buyers // 5]
    assert sum(top) >= 0.55 * sum(revenue.values())  # Pareto: about 70 % for the top fifth
    lapsed = [client for client, day in last.items() if (today - day).days > 240]
    assert 0.08 * buyers <= len(lapsed) <= 0.45 * buyers
    regulars = [client for client in lapsed if count[client] >= 3]  # stopped buying, not one-off buyers
    assert len(regulars) >= 0.04 * buyers
    assert sum((today - last[client]).days <= 20 * 31 for client in regulars) >= 0.7 * len(regulars)
    new = [client for client, day in first.items() if (today - day).days <= 90]
    assert 0.03 * buyers <= len(new) <= 0.3 * buyers

    # Discontinued products are only in older sales.
    inactive = {product.id for product in products if not product.is_active}
    assert all((today - line.sold_on).days >= 140 for line in lines if line.product_id in inactive)
    assert {line.product_id for line in lines} - inactive  # the active ones sell

    # The daily totals are the sales'.
    whole = [row for row in days if row.family == '']
    assert sum(row.sales for row in whole) == len(sales)
    assert sum(row.revenue_cents for row in whole) == sum(sale.total_cents for sale in sales)
    assert sum(row.revenue_cents for row in days if row.family) == sum(line.total_cents for line in lines)
    assert sum(row.units for row in whole) == sum(line.quantity for line in lines)


def test_sales_follow_the_seasons():
    """Stationery sells at the rentrée, drinks in summer; Ramadan is busier than the month before it (no database:
    the generator's rows for 3,000 clients on a fixed day)."""
    rows = _generated(seed=11, clients=3000)
    sales, lines = rows
    families = {index + 1: entry.family for index, entry in enumerate(catalogue())}
    share = defaultdict(Counter)
    for line in lines:
        share[line[4][:7]][families[line[2]]] += line[7]

    def part(month: str, family: str) -> float:
        return share[month][family] / sum(share[month].values())

    assert part('2025-09', 'Papeterie') > 2 * part('2025-05', 'Papeterie')
    assert part('2025-07', 'Boissons') > 1.2 * part('2025-01', 'Boissons')
    per_day = Counter(sale[3] for sale in sales)
    ramadan = sum(per_day[(date(2026, 2, 20) + timedelta(days=d)).isoformat()] for d in range(25))
    before = sum(per_day[(date(2026, 1, 20) + timedelta(days=d)).isoformat()] for d in range(25))
    assert ramadan > 1.15 * before


def _generated(seed: int, clients: int) -> tuple[list[tuple], list[tuple]]:
    now = datetime(2026, 5, 15, 10, tzinfo=UTC)
    products = {entry.sku: (index + 1, entry.price_dzd * 100, 'inactive' not in entry.tags)
                for index, entry in enumerate(catalogue())}
    generator = SalesGenerator(1, 'DZD', products, [7, 8], seed, now, ALGIERS, postgres=True)
    numbers = defaultdict(int)

    def ids(model, count):
        first = numbers[model] + 1
        numbers[model] += count
        return range(first, first + count)

    statuses = ('active',) * 5 + ('inactive', 'archived')
    people = [{'id': index + 1, 'created_at': now - timedelta(days=(index * 37) % 800), 'owner_id': 7,
               'kind': 'company' if index % 3 else 'individual', 'status': statuses[index % 7]}
              for index in range(clients)]
    sales, lines = [], []
    for first in range(0, clients, 1000):
        chunk_sales, chunk_lines = generator.chunk(people[first:first + 1000], ids)
        sales += chunk_sales
        lines += chunk_lines
    return sales, lines


def test_demo_sales_are_deterministic_for_a_seed():
    first, again, other = _generated(5, 200), _generated(5, 200), _generated(6, 200)
    assert first == again
    assert first[0] and first[1] and first != other


def test_a_second_fill_reuses_the_catalogue_and_a_euro_workspace_gets_euro_prices(db):
    admin = make_tenant()
    first = _fill(admin, 20, seed=1)
    second = _fill(admin, 20, seed=2)
    products, sales, *_ = _sales_of(admin.tenant_id)
    assert (first.products, second.products) == (len(products), 0)
    assert len(sales) == first.sales + second.sales

    euros = make_tenant()
    _fill(euros, 20, currency='EUR')
    products, sales, *_ = _sales_of(euros.tenant_id)
    prices = {product.name: product.price_cents for product in products}
    assert prices['Réfrigérateur 350 L'] == 63_335 and prices['Sel fin 1 kg'] == 20  # 95,000 DA; 30 DA
    assert sales and {sale.currency for sale in sales} == {'EUR'}

    nobody = make_tenant()
    assert _fill(nobody, 0).products == 0
    assert _sales_of(nobody.tenant_id)[0] == []
