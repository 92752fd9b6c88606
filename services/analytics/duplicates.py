"""Likely duplicate clients, for the data-quality audit: found by cheap keys, never by comparing every pair.

Two passes over the tenant's clients that are not archived:
- exact keys, over the whole tenant, in SQL: clients sharing an e-mail (trimmed, lower case) or a phone (spaces,
  dots and dashes left out; the app stores phones in E.164, so one number is one string). One GROUP BY … HAVING
  count(*) > 1 per key, whatever the tenant's size; a group of k clients gives k − 1 pairs, each member with the
  group's oldest client (the one to keep by default).
- similar names, for recent clients (updated in the last RECENT_DAYS days, the RECENT_LIMIT newest) against every
  client. Names are compared without accents, case and legal forms («SARL Atlas Négoce» ≈ «Atlas Negoce») with
  rapidfuzz's token_sort_ratio; NAME_THRESHOLD % or more makes a pair. They are blocked by the first five letters of
  their words of three letters or more (so «Mohamed» and «Mohammed», «Atlas» and «Atlass» meet): a recent client is
  compared with at most CANDIDATES clients, taken from its rarest blocks first (a shared rare word says more than a
  common one). The blocks are built from one streamed pass over the clients' ids and names, held as compact
  strings: a query per blocking word would cost 10–25 ms on PostgreSQL, minutes for the thousands of distinct words
  of a varied tenant, while the pass costs about 2 s for 100,000 clients whatever the names.

Comparisons are bounded by RECENT_LIMIT × CANDIDATES, never O(n²) over the tenant. A pair's reasons say what the two
share: 'email', 'phone', 'name' (similarity ≥ NAME_THRESHOLD).
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, bindparam, func, or_
from sqlmodel import Session, col, select

from db.models import Client
from services.clients import LEGAL_FORMS
from services.overview import counted_clients
from services.text import fold, words

NAME_THRESHOLD = 90
RECENT_DAYS = 90
RECENT_LIMIT = 5000
CANDIDATES = 300
BLOCK_LETTERS = 5
MAX_NAME_PAIRS = 20_000
EXACT_GROUPS_LISTED = 200
CHUNK = 5000  # ids per IN (…) list
STREAM = 10_000  # rows per round trip of the names pass


@dataclass(frozen=True)
class DuplicateScan:
    involved: int  # distinct clients in at least one pair: what the audit's score counts
    email_groups: int
    phone_groups: int
    name_pairs: int
    recent_scanned: int
    pairs: list[dict] = field(default_factory=list)  # the strongest pairs first, `limit` at most


@dataclass(frozen=True)
class _Known:
    """What a pair's reasons are computed from: the comparable name, e-mail and phone keys."""

    name: str
    email: str
    phone: str


def audited(tenant_id: int):
    """The clients an audit looks at: the ones every figure counts (archived and merged ones left out)."""
    return counted_clients(tenant_id)


def email_key():
    return func.lower(func.trim(Client.email))


def phone_key():
    return func.replace(func.replace(func.replace(Client.phone, ' ', ''), '.', ''), '-', '')


def has_email():
    return and_(col(Client.email).is_not(None), func.trim(Client.email) != '')


def has_phone():
    return and_(col(Client.phone).is_not(None), func.trim(Client.phone) != '')


def comparable_name(name: str) -> str:
    """A name as compared: folded, legal forms left out («SARL Atlas Négoce» → «atlas negoce»)."""
    kept = [word for word in words(name) if word not in LEGAL_FORMS]
    return ' '.join(kept) or fold(name).strip()


def blocking_keys(comparable: str) -> set[str]:
    return {word[:BLOCK_LETTERS] for word in comparable.split() if len(word) >= 3 and not word.isdigit()}


def _known(name: str, email: str | None, phone: str | None) -> _Known:
    return _Known(comparable_name(name), (email or '').strip().lower(),
                  (phone or '').replace(' ', '').replace('.', '').replace('-', ''))


class _Pairs:
    """Pairs found so far, keyed by (smaller id, larger id): their name similarity and reasons."""

    def __init__(self) -> None:
        self.found: dict[tuple[int, int], tuple[int, list[str]]] = {}

    def add(self, first: int, second: int, known: dict[int, _Known], similarity: float | None = None) -> None:
        key = (min(first, second), max(first, second))
        if key in self.found:
            return
        one, other = known[key[0]], known[key[1]]
        if similarity is None:
            from rapidfuzz import fuzz  # imported on the first scan, not by every process that imports this module

            similarity = fuzz.token_sort_ratio(one.name, other.name)
        reasons = [reason for reason, same in (('email', one.email and one.email == other.email),
                                               ('phone', one.phone and one.phone == other.phone),
                                               ('name', similarity >= NAME_THRESHOLD)) if same]
        self.found[key] = (round(similarity), reasons)

    def strongest(self, session: Session, tenant_id: int, limit: int) -> list[dict]:
        ordered = sorted(self.found.items(), key=lambda item: (-len(item[1][1]), -item[1][0], item[0]))[:limit]
        ids = {client_id for key, _ in ordered for client_id in key}
        rows = {row.id: row for row in session.exec(
            select(Client.id, Client.name, Client.email, Client.phone, Client.city)
            .where(Client.tenant_id == tenant_id, col(Client.id).in_(ids))).all()} if ids else {}
        summary = lambda row: {'id': row.id, 'name': row.name, 'email': row.email, 'phone': row.phone,  # noqa: E731
                               'city': row.city}
        return [{'a': summary(rows[a]), 'b': summary(rows[b]), 'similarity': similarity, 'reasons': reasons}
                for (a, b), (similarity, reasons) in ordered]


def _exact_groups(session: Session, tenant_id: int, key, present, pairs: _Pairs) -> tuple[int, object]:
    """How many groups share `key`, the subquery of their keys, and the pairs of the first groups listed."""
    duplicated = select(key).where(audited(tenant_id), present).group_by(key).having(func.count() > 1)
    groups = session.exec(select(func.count()).select_from(duplicated.subquery())).one()
    if groups:
        listed = list(session.exec(duplicated.order_by(key).limit(EXACT_GROUPS_LISTED)).all())
        members = session.exec(select(Client.id, Client.name, Client.email, Client.phone, key.label('shared'))
                               .where(audited(tenant_id), present, key.in_(listed)).order_by(col(Client.id))).all()
        known = {row.id: _known(row.name, row.email, row.phone) for row in members}
        first_of: dict[str, int] = {}
        for row in members:
            first = first_of.setdefault(row.shared, row.id)
            if first != row.id:
                pairs.add(first, row.id, known)
    return groups, duplicated


def _blocks(session: Session, tenant_id: int) -> tuple[dict[int, _Known], dict[str, list[int]]]:
    """Every audited client's comparable name and keys, and the blocks: key → client ids."""
    known: dict[int, _Known] = {}
    blocks: dict[str, list[int]] = defaultdict(list)
    rows = session.exec(select(Client.id, Client.name, Client.email, Client.phone).where(audited(tenant_id))
                        .execution_options(yield_per=STREAM))
    for client_id, name, email, phone in rows:
        known[client_id] = _known(name, email, phone)
        for key in blocking_keys(known[client_id].name):
            blocks[key].append(client_id)
    return known, blocks


def _candidates(client_id: int, keys: set[str], blocks: dict[str, list[int]]) -> list[int]:
    found: dict[int, None] = {}
    for key in sorted(keys, key=lambda key: (len(blocks[key]), key)):  # rarest first
        for other in blocks[key]:
            if other != client_id:
                found[other] = None
                if len(found) >= CANDIDATES:
                    return list(found)
    return list(found)


def _similar_names(session: Session, tenant_id: int, since: datetime, pairs: _Pairs) -> tuple[set[int], int]:
    """Pairs of a recent client and a client of a similar name; returns the clients in them and how many recent
    clients were compared."""
    from rapidfuzz import fuzz, process

    recent = session.exec(select(Client.id).where(audited(tenant_id), Client.updated_at >= since)
                          .order_by(col(Client.updated_at).desc(), col(Client.id).desc()).limit(RECENT_LIMIT)).all()
    if not recent:
        return set(), 0
    known, blocks = _blocks(session, tenant_id)
    involved: set[int] = set()
    found = scanned = 0
    for client_id in recent:
        if found >= MAX_NAME_PAIRS:
            break
        scanned += 1
        me = known[client_id]
        choices = {other: known[other].name for other in _candidates(client_id, blocking_keys(me.name), blocks)}
        for _, similarity, other in process.extract(me.name, choices, scorer=fuzz.token_sort_ratio,
                                                    score_cutoff=NAME_THRESHOLD, limit=None):
            pairs.add(client_id, other, known, similarity)
            involved.update((client_id, other))
            found += 1
    return involved, scanned


def _chunks(ids: Iterable[int]) -> Iterable[list[int]]:
    ordered = sorted(ids)
    for start in range(0, len(ordered), CHUNK):
        yield ordered[start:start + CHUNK]


def scan_duplicates(session: Session, tenant_id: int, *, since: datetime, limit: int) -> DuplicateScan:
    pairs = _Pairs()
    email_groups, duplicated_emails = _exact_groups(session, tenant_id, email_key(), has_email(), pairs)
    phone_groups, duplicated_phones = _exact_groups(session, tenant_id, phone_key(), has_phone(), pairs)
    in_exact_group = or_(and_(has_email(), email_key().in_(duplicated_emails)),
                         and_(has_phone(), phone_key().in_(duplicated_phones)))
    exact = session.exec(select(func.count()).select_from(Client).where(audited(tenant_id), in_exact_group)).one() \
        if email_groups or phone_groups else 0
    by_name, scanned = _similar_names(session, tenant_id, since, pairs)
    also_exact = 0
    if exact and by_name:
        for chunk in _chunks(by_name):
            also_exact += session.exec(select(func.count()).select_from(Client).where(
                col(Client.id).in_(bindparam('ids', chunk, expanding=True)), in_exact_group)).one()
    name_pairs = sum(1 for _, reasons in pairs.found.values() if 'name' in reasons)
    return DuplicateScan(involved=exact + len(by_name) - also_exact, email_groups=email_groups,
                         phone_groups=phone_groups, name_pairs=name_pairs, recent_scanned=scanned,
                         pairs=pairs.strongest(session, tenant_id, limit))
