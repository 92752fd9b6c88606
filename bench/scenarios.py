"""The benchmark scenarios: one function each, registered with `@scenario` (see bench.registry).

Service scenarios time one service call in its own unit of work (`session_scope`), as a page does it in its
worker thread: that is the server time of a page or API call, without HTTP and rendering. Their inputs vary
from one iteration to the next (filters, offsets, queries) and are picked from the bench data in `setup`, so
that every iteration has something to find, at 50 clients as at 100,000.
"""

import random
from itertools import cycle
from zoneinfo import ZoneInfo

from sqlalchemy import func, union
from sqlmodel import col, select

from bench.registry import BenchContext, scenario
from db.models import (
    Case,
    CaseStatus,
    Client,
    ClientStatus,
    Contact,
    Interaction,
    InteractionParticipant,
    StageChange,
    User,
    utcnow,
)
from db.session import session_scope
from services import interactions, kpis, pipeline
from services.actor import Actor
from services.auth import trusted_actor
from services.cases import CaseFilter, board_and_stamp, board_stamp
from services.clients import ClientFilter, list_clients
from services.login import log_in
from services.paging import PageRequest
from services.search import search
from services.stages import stages_of
from services.text import words
from settings import get_settings

PAGE = 50
OFFSETS = (0, 0, 0, 50, 100, 150, 250, 500, 1000)  # mostly the first pages, as people page
FIXED_QUERIES = ('société', 'contrôle fiscal', 'déclaration g50', 'registre de commerce', 'levée de fonds',
                 'oran', 'sarl import')


@scenario('login', iterations=30)
def login(ctx: BenchContext) -> None:
    """The login service: user lookup, argon2 verify, lockout bookkeeping, commit."""
    outcome = log_in(ctx.admin_email, ctx.admin_password, source='127.0.0.1')
    if outcome.actor is None:
        raise RuntimeError(f'bench login failed: {outcome.error_key}')


@scenario('api_token', iterations=30)
def api_token(ctx: BenchContext) -> None:
    """POST /api/v1/auth/token through the HTTP server."""
    ctx.http.post('/api/v1/auth/token',
                  data={'username': ctx.admin_email, 'password': ctx.admin_password}).raise_for_status()


@scenario('api_me', iterations=300)
def api_me(ctx: BenchContext) -> None:
    """GET /api/v1/me with a valid bearer token."""
    ctx.http.get('/api/v1/me', headers=ctx.auth_headers).raise_for_status()


def _actor(ctx: BenchContext) -> Actor:
    """The bench tenant's admin, as the pages see it."""
    if 'actor' not in ctx.state:
        with session_scope() as session:
            user_id = session.exec(select(User.id).where(User.email == ctx.admin_email)).one()
            ctx.state['actor'] = trusted_actor(session, user_id=user_id, tenant_id=ctx.tenant.id)
    return ctx.state['actor']


def _sample_clients(ctx: BenchContext, count: int) -> list[Client]:
    """`count` clients spread over the tenant (every k-th by id, archived ones left out: the list hides them),
    the same ones on every run."""
    with session_scope() as session:
        ids = list(session.exec(select(Client.id).where(Client.tenant_id == ctx.tenant.id,
                                                        Client.status != ClientStatus.ARCHIVED)
                                .order_by(col(Client.id))).all())
        picked = ids[::max(1, len(ids) // count)][:count]
        return list(session.exec(select(Client).where(col(Client.id).in_(picked)).order_by(col(Client.id))).all())


def _prepare_client_list(ctx: BenchContext) -> None:
    _actor(ctx)
    with session_scope() as session:
        groups = session.exec(select(Client.status, Client.client_type, func.count())
                              .where(Client.tenant_id == ctx.tenant.id,
                                     col(Client.status).in_([ClientStatus.ACTIVE, ClientStatus.INACTIVE]),
                                     col(Client.client_type).is_not(None))
                              .group_by(Client.status, Client.client_type)
                              .order_by(Client.status, Client.client_type)).all()
    requests = [(ClientFilter(status=ClientStatus(status), client_type=client_type, sort='name'),
                 PageRequest(limit=PAGE, offset=offset))
                for offset in OFFSETS for status, client_type, count in groups if offset < count]
    if not requests:
        raise RuntimeError('client_list: the bench tenant has no active or inactive client with a type')
    random.Random(len(requests)).shuffle(requests)
    ctx.state['client_list'] = cycle(requests)


@scenario('client_list', iterations=200, setup=_prepare_client_list)
def client_list(ctx: BenchContext) -> None:
    """Client list page: status + client type filters, sorted by name, 50 a page, varying filters and offsets."""
    filters, page = next(ctx.state['client_list'])
    with session_scope() as session:
        result = list_clients(session, ctx.state['actor'], filters, page)
    if not result.items or result.total <= page.offset:
        raise RuntimeError(f'client_list: nothing at offset {page.offset} for {filters}')


def _name_queries(clients: list[Client]) -> list[str]:
    """What people type to find a client: a surname, a company name's distinctive words, a name start."""
    queries = []
    for index, client in enumerate(clients):
        tokens = [token for token in client.name.split() if token not in ('SARL', 'SPA', 'EURL', 'SNC', 'Société')]
        if not tokens:
            continue
        if index % 3 == 0:
            queries.append(client.name)
        elif index % 3 == 1:
            queries.append(tokens[-1] if client.kind == 'individual' else tokens[0])
        else:
            queries.append(tokens[0][:4])
    return queries


def _prepare_client_search(ctx: BenchContext) -> None:
    _actor(ctx)
    queries = _name_queries(_sample_clients(ctx, 40))
    ctx.state['client_search'] = cycle(queries)


@scenario('client_search_list', iterations=100, setup=_prepare_client_search)
def client_search_list(ctx: BenchContext) -> None:
    """Client list page with search text (a name, a surname, a name start), first page of 50."""
    query = next(ctx.state['client_search'])
    with session_scope() as session:
        result = list_clients(session, ctx.state['actor'], ClientFilter(search=query), PageRequest(limit=PAGE))
    if not result.items:
        raise RuntimeError(f'client_search_list: nothing found for {query!r}')


def _prepare_global_search(ctx: BenchContext) -> None:
    _actor(ctx)
    clients = _sample_clients(ctx, 30)
    with session_scope() as session:
        references = list(session.exec(select(Case.reference).where(Case.tenant_id == ctx.tenant.id,
                                                                    col(Case.reference).like('DOS-%-0042'))).all())
        if not references:
            references = list(session.exec(select(Case.reference).where(Case.tenant_id == ctx.tenant.id)
                                           .order_by(col(Case.id)).limit(3)).all())
        contacts = session.exec(select(Contact.first_name, Contact.last_name)
                                .where(Contact.tenant_id == ctx.tenant.id,
                                       col(Contact.client_id).in_([client.id for client in clients[:10]]))
                                .order_by(col(Contact.id))).all()
    found = _name_queries(clients) + references + [f'{first} {last}' for first, last in contacts[:10]]
    queries = [(query, True) for query in found] + [(query, False) for query in FIXED_QUERIES]
    random.Random(len(queries)).shuffle(queries)
    ctx.state['global_search'] = cycle(queries)


@scenario('global_search', iterations=200, setup=_prepare_global_search)
def global_search(ctx: BenchContext) -> None:
    """Global search box: client names and name starts, contacts, case references, accented business words."""
    query, must_find = next(ctx.state['global_search'])
    with session_scope() as session:
        hits = search(session, ctx.state['actor'], query)
    if must_find and not hits and words(query):
        raise RuntimeError(f'global_search: nothing found for {query!r}')


def _prepare_case_board(ctx: BenchContext) -> None:
    _actor(ctx)
    with session_scope() as session:
        ctx.state['case_count'] = session.exec(select(func.count()).select_from(Case)
                                               .where(Case.tenant_id == ctx.tenant.id)).one()


@scenario('case_board', iterations=50, setup=_prepare_case_board)
def case_board(ctx: BenchContext) -> None:
    """Case board first load (as pages.case_board): columns with counts and first cards, and the stamp; then a
    poll of the stamp."""
    with session_scope() as session:
        columns, _ = board_and_stamp(session, ctx.state['actor'], CaseFilter())
    with session_scope() as session:
        board_stamp(session, ctx.state['actor'], CaseFilter())
    if sum(column.total for column in columns) != ctx.state['case_count'] or \
            [column.status for column in columns] != list(CaseStatus):
        raise RuntimeError('case_board: the columns do not add up to the tenant\'s cases')


# --- pipeline, interactions, KPIs ----------------------------------------------------------------------------------

def _live_clients(session, tenant_id: int, **where) -> int:
    """Clients of the tenant that the pipeline board shows (archived ones left out)."""
    query = select(func.count()).select_from(Client).where(Client.tenant_id == tenant_id,
                                                           Client.status != ClientStatus.ARCHIVED)
    for name, value in where.items():
        query = query.where(getattr(Client, name) == value)
    return session.exec(query).one()


def _prepare_pipeline_board(ctx: BenchContext) -> None:
    actor = _actor(ctx)
    with session_scope() as session:
        ctx.state['pipeline_stages'] = [stage.id for stage in stages_of(session, actor.tenant_id)]
        ctx.state['pipeline_clients'] = _live_clients(session, actor.tenant_id)


def _check_board(name: str, columns: list[pipeline.StageColumn], stage_ids: list[int], expected: int) -> None:
    if [column.stage.id for column in columns] != stage_ids or sum(column.total for column in columns) != expected:
        raise RuntimeError(f'{name}: the columns do not add up to the tenant\'s live clients')
    if expected and not any(column.cards for column in columns):
        raise RuntimeError(f'{name}: no card on the board')


@scenario('pipeline_board', iterations=50, setup=_prepare_pipeline_board)
def pipeline_board(ctx: BenchContext) -> None:
    """Pipeline board first load (as the page): default filters, columns with counts and 20 cards each (with
    their last interaction), then the poll stamp."""
    with session_scope() as session:
        columns = pipeline.board(session, ctx.state['actor'], pipeline.PipelineFilter())
    with session_scope() as session:
        pipeline.board_stamp(session, ctx.state['actor'])
    _check_board('pipeline_board', columns, ctx.state['pipeline_stages'], ctx.state['pipeline_clients'])


def _prepare_pipeline_filtered(ctx: BenchContext) -> None:
    _prepare_pipeline_board(ctx)
    with session_scope() as session:
        groups = session.exec(select(Client.client_type, func.count())
                              .where(Client.tenant_id == ctx.tenant.id, Client.status != ClientStatus.ARCHIVED,
                                     col(Client.client_type).is_not(None))
                              .group_by(Client.client_type).order_by(Client.client_type)).all()
        owners = session.exec(select(Client.owner_id, func.count())
                              .where(Client.tenant_id == ctx.tenant.id, Client.status != ClientStatus.ARCHIVED,
                                     col(Client.owner_id).is_not(None))
                              .group_by(Client.owner_id).order_by(Client.owner_id)).all()
    requests = [(pipeline.PipelineFilter(client_type=client_type), count) for client_type, count in groups]
    requests += [(pipeline.PipelineFilter(owner_id=owner_id), count) for owner_id, count in owners]
    if groups and owners:
        client_type, owner_id = groups[0][0], owners[0][0]
        with session_scope() as session:
            both = _live_clients(session, ctx.tenant.id, client_type=client_type, owner_id=owner_id)
        requests.append((pipeline.PipelineFilter(client_type=client_type, owner_id=owner_id), both))
    if not requests:
        raise RuntimeError('pipeline_board_filtered: the bench tenant has no client with a type or an owner')
    random.Random(len(requests)).shuffle(requests)
    ctx.state['pipeline_filters'] = cycle(requests)


@scenario('pipeline_board_filtered', iterations=50, setup=_prepare_pipeline_filtered)
def pipeline_board_filtered(ctx: BenchContext) -> None:
    """Pipeline board filtered by client type, by owner, or both (varying), then the poll stamp."""
    filters, expected = next(ctx.state['pipeline_filters'])
    with session_scope() as session:
        columns = pipeline.board(session, ctx.state['actor'], filters)
    with session_scope() as session:
        pipeline.board_stamp(session, ctx.state['actor'])
    _check_board('pipeline_board_filtered', columns, ctx.state['pipeline_stages'], expected)


def _interaction_clients(ctx: BenchContext) -> list[tuple[int, int, int]]:
    """(client id, interactions, stage changes) of clients spread over the tenant plus its five busiest ones (the
    long tail), the same ones on every run."""
    if 'interaction_clients' not in ctx.state:
        _actor(ctx)
        spread = [client.id for client in _sample_clients(ctx, 40)]
        with session_scope() as session:
            busiest = list(session.exec(select(Interaction.client_id).where(Interaction.tenant_id == ctx.tenant.id)
                                        .group_by(Interaction.client_id)
                                        .order_by(func.count().desc(), Interaction.client_id).limit(5)).all())
            picked = list(dict.fromkeys(spread + busiest))
            logged = dict(session.exec(select(Interaction.client_id, func.count())
                                       .where(col(Interaction.client_id).in_(picked))
                                       .group_by(Interaction.client_id)).all())
            moved = dict(session.exec(select(StageChange.client_id, func.count())
                                      .where(col(StageChange.client_id).in_(picked))
                                      .group_by(StageChange.client_id)).all())
        ctx.state['interaction_clients'] = [(client_id, logged.get(client_id, 0), moved.get(client_id, 0))
                                            for client_id in picked]
    return ctx.state['interaction_clients']


def _prepare_client_interactions(ctx: BenchContext) -> None:
    requests = [(client_id, offset, total) for client_id, total, _ in _interaction_clients(ctx)
                for offset in (0, 0, 0, PAGE, 2 * PAGE) if offset == 0 or offset < total]
    random.Random(len(requests)).shuffle(requests)
    ctx.state['client_interactions'] = cycle(requests)


@scenario('client_interactions', iterations=200, setup=_prepare_client_interactions)
def client_interactions(ctx: BenchContext) -> None:
    """A client's interaction list, page of 50 (participants, contact and author names included), mostly the first
    page, over clients with few interactions and the busiest ones."""
    client_id, offset, total = next(ctx.state['client_interactions'])
    with session_scope() as session:
        page = interactions.list_interactions(session, ctx.state['actor'],
                                              interactions.InteractionFilter(client_id=client_id),
                                              PageRequest(limit=PAGE, offset=offset))
    if page.total != min(total, interactions.COUNT_CAP) or len(page.items) != min(PAGE, max(total - offset, 0)):
        raise RuntimeError(f'client_interactions: client {client_id} at {offset}: {page.total} ≠ {total}')


def _prepare_client_timeline(ctx: BenchContext) -> None:
    requests = [(client_id, offset, logged + moved) for client_id, logged, moved in _interaction_clients(ctx)
                for offset in (0, 0, 0, PAGE) if offset == 0 or offset < logged + moved]
    random.Random(len(requests)).shuffle(requests)
    ctx.state['client_timeline'] = cycle(requests)


@scenario('client_timeline', iterations=200, setup=_prepare_client_timeline)
def client_timeline(ctx: BenchContext) -> None:
    """A client's timeline page of 50: interactions and stage moves, newest first."""
    client_id, offset, total = next(ctx.state['client_timeline'])
    with session_scope() as session:
        page = interactions.timeline(session, ctx.state['actor'], client_id, PageRequest(limit=PAGE, offset=offset))
    if page.total != total or len(page.items) != min(PAGE, max(total - offset, 0)):
        raise RuntimeError(f'client_timeline: client {client_id} at {offset}: {page.total} ≠ {total}')


def _prepare_recent_client(ctx: BenchContext) -> None:
    ctx.state['recent_client'] = cycle([client_id for client_id, _, _ in _interaction_clients(ctx)])


@scenario('recent_client', iterations=300, setup=_prepare_recent_client)
def recent_client(ctx: BenchContext) -> None:
    """Recent-activities widget of a client page: its last 5 interactions that already took place."""
    with session_scope() as session:
        interactions.recent(session, ctx.state['actor'], client_id=next(ctx.state['recent_client']))


def _prepare_recent_contact(ctx: BenchContext) -> None:
    """Contacts of the sampled clients, with whether they were in something (as the contact or a participant)."""
    clients = [client_id for client_id, _, _ in _interaction_clients(ctx)]
    with session_scope() as session:
        contacts = list(session.exec(select(Contact.id).where(col(Contact.client_id).in_(clients))
                                     .order_by(col(Contact.id))).all())
        involved = set(session.exec(union(
            select(Interaction.contact_id).where(col(Interaction.contact_id).in_(contacts),
                                                 Interaction.occurred_at <= utcnow()),
            select(InteractionParticipant.contact_id).join(
                Interaction, col(Interaction.id) == InteractionParticipant.interaction_id)
            .where(col(InteractionParticipant.contact_id).in_(contacts), Interaction.occurred_at <= utcnow())))
            .scalars().all())
    if not contacts:
        raise RuntimeError('recent_contact: the sampled clients have no contact')
    ctx.state['recent_contact'] = cycle([(contact_id, contact_id in involved) for contact_id in contacts])


@scenario('recent_contact', iterations=100, setup=_prepare_recent_contact)
def recent_contact(ctx: BenchContext) -> None:
    """Recent-activities widget of a contact: the last 5 interactions it was the contact of or took part in."""
    contact_id, involved = next(ctx.state['recent_contact'])
    with session_scope() as session:
        rows = interactions.recent(session, ctx.state['actor'], contact_id=contact_id)
    if involved and not rows:
        raise RuntimeError(f'recent_contact: nothing for contact {contact_id}')


@scenario('recent_tenant', iterations=300, setup=lambda ctx: _actor(ctx))
def recent_tenant(ctx: BenchContext) -> None:
    """Recent-activities widget of the dashboard: the tenant's last 5 interactions."""
    with session_scope() as session:
        rows = interactions.recent(session, ctx.state['actor'])
    if ctx.clients and not rows:
        raise RuntimeError('recent_tenant: no interaction in the tenant')


def _prepare_month_summary(ctx: BenchContext) -> None:
    """The last twelve months, the current one included (the firm's time zone)."""
    _actor(ctx)
    today = utcnow().astimezone(ZoneInfo(get_settings().timezone))
    current = today.year * 12 + today.month - 1
    months = [(index // 12, index % 12 + 1) for index in range(current - 11, current + 1)]
    random.Random(len(months)).shuffle(months)
    ctx.state['month_summary'] = cycle(months)


@scenario('kpi_month_summary', iterations=60, setup=_prepare_month_summary)
def kpi_month_summary(ctx: BenchContext) -> None:
    """Monthly KPI summary: totals over saved rows and counted interactions, top 10 by revenue and by meetings."""
    year, month = next(ctx.state['month_summary'])
    with session_scope() as session:
        summary = kpis.month_summary(session, ctx.state['actor'], year, month)
    if ctx.clients >= 1000 and not summary.clients_with_activity:
        raise RuntimeError(f'kpi_month_summary: no activity in {year}-{month:02d}')
