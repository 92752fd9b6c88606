"""The benchmark scenarios: one function each, registered with `@scenario` (see bench.registry).

Service scenarios time one service call in its own unit of work (`session_scope`), as a page does it in its
worker thread: that is the server time of a page or API call, without HTTP and rendering. Their inputs vary
from one iteration to the next (filters, offsets, queries) and are picked from the bench data in `setup`, so
that every iteration has something to find, at 50 clients as at 100,000.
"""

import random
from itertools import cycle

from sqlalchemy import func
from sqlmodel import col, select

from bench.registry import BenchContext, scenario
from db.models import Case, CaseStatus, Client, ClientStatus, Contact, User
from db.session import session_scope
from services.actor import Actor
from services.auth import actor_for
from services.cases import CaseFilter, board, board_stamp
from services.clients import ClientFilter, list_clients
from services.login import log_in
from services.paging import PageRequest
from services.search import search
from services.text import words

PAGE = 50
OFFSETS = (0, 0, 0, 50, 100, 150, 250, 500, 1000)  # mostly the first pages, as people page
FIXED_QUERIES = ('société', 'contrôle fiscal', 'déclaration g50', 'registre de commerce', 'levée de fonds',
                 'oran', 'sarl import')


@scenario('login', iterations=30)
def login(ctx: BenchContext) -> None:
    """The login service: user lookup, argon2 verify, lockout bookkeeping, commit."""
    outcome = log_in(ctx.admin_email, ctx.admin_password)
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
            ctx.state['actor'] = actor_for(session, user_id=user_id, tenant_id=ctx.tenant.id)
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
    """Case board first load (as pages.case_board): columns with counts and first cards, then the poll stamp."""
    with session_scope() as session:
        columns = board(session, ctx.state['actor'], CaseFilter())
    with session_scope() as session:
        board_stamp(session, ctx.state['actor'])
    if sum(column.total for column in columns) != ctx.state['case_count'] or \
            [column.status for column in columns] != list(CaseStatus):
        raise RuntimeError('case_board: the columns do not add up to the tenant\'s cases')
