"""Global search over clients, contacts, cases and notes: one API, FTS5 on SQLite, tsvector on PostgreSQL.

Every searchable row has a `search_entry` whose `words` are folded (lower case, no accents) and split on
punctuation by `services.text`, so «société» finds «Societe» on both databases, and PostgreSQL's parser never sees
`DOS-2026-0001` (signed numbers) or `k.zeroual@atlas.dz` (one e-mail token) whole. Services call `index_*` in
the same unit of work as the change.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, text
from sqlmodel import Session, col, select

from db.models import Case, Client, Contact, Note, SearchEntity, SearchEntry
from services.actor import Actor
from services.plain_text import plain_text
from services.text import words

MAX_QUERY_WORDS = 8


@dataclass(frozen=True)
class SearchHit:
    entity: SearchEntity
    entity_id: int
    parent_id: int | None
    title: str
    subtitle: str

    @property
    def path(self) -> str:
        if self.entity == SearchEntity.CLIENT:
            return f'/clients/{self.entity_id}'
        if self.entity == SearchEntity.CASE:
            return f'/cases/{self.entity_id}'
        if self.entity == SearchEntity.CONTACT:
            return f'/clients/{self.parent_id}?tab=contacts'
        return f'/cases/{self.parent_id}'


def entry_values(entity: SearchEntity, row: Client | Contact | Case | Note, context: str = '') -> dict:
    """The search_entry columns of one row (also used by bulk loaders). `context`: the client or case name."""
    parent_id = None
    if entity == SearchEntity.CLIENT:
        title, subtitle = row.name, ' · '.join(p for p in (row.city, row.email) if p)
        parts = (row.name, row.company, row.email, row.phone, row.city, context)
    elif entity == SearchEntity.CONTACT:
        title, parent_id = f'{row.first_name} {row.last_name}'.strip(), row.client_id
        subtitle = ' · '.join(p for p in (context, row.role, row.email) if p)
        parts = (row.first_name, row.last_name, row.email, row.phone, row.role, context)
    elif entity == SearchEntity.CASE:
        title, subtitle = f'{row.reference} · {row.title}', context
        parts = (row.reference, row.reference.replace('-', ''), row.title, context, row.description[:1000])
    else:
        title, subtitle, parent_id = (row.body.strip().splitlines() or [''])[0][:120], context, row.case_id
        parts = (row.body[:2000], context)
    return {'tenant_id': row.tenant_id, 'entity': entity, 'entity_id': row.id, 'parent_id': parent_id,
            'title': title[:300], 'subtitle': subtitle[:300], 'words': ' '.join(words(' '.join(p for p in parts if p)))}


def index(session: Session, entity: SearchEntity, row: Client | Contact | Case | Note, context: str = '') -> None:
    """Create or refresh the search entry of one row, in the caller's unit of work."""
    index_many(session, entity, [row], context)


def index_many(session: Session, entity: SearchEntity, rows: Sequence[Client | Contact | Case | Note],
               context: str = '') -> None:
    """Create or refresh the entries of several rows of one kind (one lookup query for all of them)."""
    if not rows:
        return
    existing = {entry.entity_id: entry for entry in session.exec(
        select(SearchEntry).where(SearchEntry.entity == entity,
                                  col(SearchEntry.entity_id).in_([row.id for row in rows]))).all()}
    for row in rows:
        values = entry_values(entity, row, context)
        entry = existing.get(row.id)
        if entry is None:
            session.add(SearchEntry(**values))
            continue
        for name, value in values.items():
            setattr(entry, name, value)
        session.add(entry)


def forget(session: Session, entity: SearchEntity, entity_ids: list[int]) -> None:
    if entity_ids:
        session.execute(delete(SearchEntry).where(SearchEntry.entity == entity,
                                                  col(SearchEntry.entity_id).in_(entity_ids)))


RANKED_CANDIDATES = 200


def _prefixed(tokens: list[str]) -> list[tuple[str, bool]]:
    """Which words match as prefixes: the last one (the user is still typing it) and the longer ones. Short or
    numeric words match whole, so `DOS-2026-0042` does not drag in every `dos…` and `2026…` of a million notes."""
    last = len(tokens) - 1
    return [(token, index == last or (len(token) >= 4 and not token.isdigit())) for index, token in enumerate(tokens)]


def _tsquery(tokens: list[str]) -> str:
    return ' & '.join(f'{token}:*' if prefix else token for token, prefix in _prefixed(tokens))


def _fts_query(tokens: list[str]) -> str:
    return ' '.join(f'"{token}"*' if prefix else f'"{token}"' for token, prefix in _prefixed(tokens))


def search(session: Session, actor: Actor, query: str, *, limit: int = 20) -> list[SearchHit]:
    """The best hits for `query` in the actor's tenant. On PostgreSQL, ranking is computed on a bounded set of
    matches, so a very common word costs no more than a rare one."""
    tokens = words(query)[:MAX_QUERY_WORDS]
    if not tokens:
        return []
    if session.get_bind().dialect.name == 'postgresql':
        sql = text("SELECT entity, entity_id, parent_id, title, subtitle FROM ("
                   "SELECT id, entity, entity_id, parent_id, title, subtitle, words FROM search_entry "
                   "WHERE tenant_id = :tenant AND to_tsvector('simple', words) @@ to_tsquery('simple', :query) "
                   "LIMIT :candidates) AS candidate "
                   "ORDER BY ts_rank(to_tsvector('simple', words), to_tsquery('simple', :query)) DESC, id DESC "
                   "LIMIT :limit")
        params = {'query': _tsquery(tokens), 'candidates': RANKED_CANDIDATES}
    else:
        sql = text('SELECT e.entity, e.entity_id, e.parent_id, e.title, e.subtitle FROM search_fts '
                   'JOIN search_entry e ON e.id = search_fts.rowid '
                   'WHERE search_fts MATCH :query AND e.tenant_id = :tenant '
                   'ORDER BY bm25(search_fts), e.id DESC LIMIT :limit')
        params = {'query': _fts_query(tokens)}
    rows = session.execute(sql, {**params, 'tenant': actor.tenant_id, 'limit': limit}).all()
    return [_hit(*row) for row in rows]


def _hit(entity: str, entity_id: int, parent_id: int | None, title: str, subtitle: str) -> SearchHit:
    """A note's title is the first line of its markdown: shown as the words it reads, not its marks."""
    kind = SearchEntity(entity)
    if kind == SearchEntity.NOTE:
        title = plain_text(title) or title
    return SearchHit(kind, entity_id, parent_id, title, subtitle)


def matching_ids(session: Session, tenant_id: int, entity: SearchEntity, query: str):
    """A subquery of the ids of `entity` rows that match every word of `query` (None: no words)."""
    tokens = words(query)[:MAX_QUERY_WORDS]
    if not tokens:
        return None
    if session.get_bind().dialect.name == 'postgresql':
        return text("SELECT entity_id FROM search_entry WHERE tenant_id = :search_tenant AND entity = :search_entity "
                    "AND to_tsvector('simple', words) @@ to_tsquery('simple', :search_query)").bindparams(
            search_tenant=tenant_id, search_entity=entity.value, search_query=_tsquery(tokens))
    # FTS first, then the tenant and kind: SQLite (without statistics) would otherwise walk every entry.
    return text('SELECT e.entity_id FROM search_entry e WHERE e.id IN '
                '(SELECT rowid FROM search_fts WHERE search_fts MATCH :search_query) '
                'AND e.tenant_id = :search_tenant AND e.entity = :search_entity').bindparams(
        search_tenant=tenant_id, search_entity=entity.value, search_query=_fts_query(tokens))
