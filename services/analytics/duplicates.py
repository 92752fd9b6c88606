"""Likely duplicate clients, for the data-quality audit: found by cheap keys, never by comparing every pair.

Two passes over the tenant's clients that are not archived:
- exact keys, over the whole tenant, in SQL: clients sharing an e-mail (trimmed, lower case) or a phone (spaces,
  dots and dashes left out; the app stores phones in E.164, so one number is one string). One GROUP BY … HAVING
  count(*) > 1 per key, whatever the tenant's size; a group of k clients gives k − 1 pairs, each member with the
  group's oldest client (the one to keep by default).
- similar names, for recent clients only (updated in the last RECENT_DAYS days, RECENT_LIMIT at most, newest
  first) against every client: each name is blocked by its distinctive words (folded, legal forms and words under
  three letters left out, the WORDS_PER_NAME longest), looked up in the search index (CANDIDATES_PER_WORD clients
  per word at most, each word looked up once), and compared with rapidfuzz's token_sort_ratio on the names without
  their legal forms («SARL Atlas Négoce» ≈ «Atlas Negoce»). NAME_THRESHOLD % or more makes a pair.

The work is bounded by RECENT_LIMIT × WORDS_PER_NAME × CANDIDATES_PER_WORD comparisons, never O(n²) over the tenant.
A pair's reasons say what the two share: 'email', 'phone', 'name' (similarity ≥ NAME_THRESHOLD).
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from rapidfuzz import fuzz, process
from sqlalchemy import and_, bindparam, func, or_
from sqlmodel import Session, col, select

from db.models import Client, ClientStatus, SearchEntity
from services import search
from services.clients import LEGAL_FORMS
from services.text import fold, words

NAME_THRESHOLD = 90
RECENT_DAYS = 90
RECENT_LIMIT = 3000
WORDS_PER_NAME = 3
CANDIDATES_PER_WORD = 200
MAX_NAME_PAIRS = 5000
EXACT_GROUPS_LISTED = 200
CHUNK = 5000  # ids per IN (…) list


@dataclass(frozen=True)
class DuplicateScan:
    involved: int  # distinct clients in at least one pair: what the audit's score counts
    email_groups: int
    phone_groups: int
    name_pairs: int
    recent_scanned: int
    pairs: list[dict] = field(default_factory=list)  # the strongest pairs first, `limit` at most


def audited(tenant_id: int):
    """The clients an audit looks at: the tenant's, archived ones (and merged ones) left out."""
    return and_(Client.tenant_id == tenant_id, Client.status != ClientStatus.ARCHIVED)


def email_key():
    return func.lower(func.trim(Client.email))


def phone_key():
    return func.replace(func.replace(func.replace(Client.phone, ' ', ''), '.', ''), '-', '')


def has_email():
    return and_(col(Client.email).is_not(None), func.trim(Client.email) != '')


def has_phone():
    return and_(col(Client.phone).is_not(None), func.trim(Client.phone) != '')


def _plain_email(value: str | None) -> str:
    return (value or '').strip().lower()


def _plain_phone(value: str | None) -> str:
    return (value or '').replace(' ', '').replace('.', '').replace('-', '')


def comparable_name(name: str) -> str:
    """A name as compared: folded, legal forms left out («SARL Atlas Négoce» → «atlas negoce»)."""
    kept = [word for word in words(name) if word not in LEGAL_FORMS]
    return ' '.join(kept) or fold(name).strip()


def blocking_words(name: str) -> list[str]:
    kept = {word for word in words(name) if word not in LEGAL_FORMS and len(word) >= 3 and not word.isdigit()}
    return sorted(kept, key=lambda word: (-len(word), word))[:WORDS_PER_NAME]


def _summary(row) -> dict:
    return {'id': row.id, 'name': row.name, 'email': row.email, 'phone': row.phone, 'city': row.city}


_COLUMNS = (Client.id, Client.name, Client.email, Client.phone, Client.city)


class _Pairs:
    """Pairs found so far, keyed by (smaller id, larger id), with the reasons computed from both clients."""

    def __init__(self) -> None:
        self.found: dict[tuple[int, int], dict] = {}

    def add(self, first, second, similarity: int | None = None) -> None:
        one, other = (first, second) if first.id < second.id else (second, first)
        key = (one.id, other.id)
        if key in self.found:
            return
        if similarity is None:
            similarity = round(fuzz.token_sort_ratio(comparable_name(one.name), comparable_name(other.name)))
        reasons = []
        if _plain_email(one.email) and _plain_email(one.email) == _plain_email(other.email):
            reasons.append('email')
        if _plain_phone(one.phone) and _plain_phone(one.phone) == _plain_phone(other.phone):
            reasons.append('phone')
        if similarity >= NAME_THRESHOLD:
            reasons.append('name')
        self.found[key] = {'a': _summary(one), 'b': _summary(other), 'similarity': similarity, 'reasons': reasons}

    def strongest(self, limit: int) -> list[dict]:
        ordered = sorted(self.found.values(), key=lambda p: (-len(p['reasons']), -p['similarity'], p['a']['id'],
                                                              p['b']['id']))
        return ordered[:limit]


def _exact_groups(session: Session, tenant_id: int, key, present, pairs: _Pairs) -> tuple[int, object]:
    """How many groups share `key`, the subquery of their keys, and the pairs of the first groups listed."""
    duplicated = select(key).where(audited(tenant_id), present).group_by(key).having(func.count() > 1)
    groups = session.exec(select(func.count()).select_from(duplicated.subquery())).one()
    if groups:
        listed = list(session.exec(duplicated.order_by(key).limit(EXACT_GROUPS_LISTED)).all())
        members = session.exec(select(*_COLUMNS, key.label('shared')).where(audited(tenant_id), present,
                                                                             key.in_(listed))
                               .order_by(col(Client.id))).all()
        first_of: dict[str, object] = {}
        for row in members:
            first = first_of.setdefault(row.shared, row)
            if first is not row:
                pairs.add(first, row)
    return groups, duplicated


def _similar_names(session: Session, tenant_id: int, since: datetime, pairs: _Pairs) -> tuple[set[int], int]:
    """Pairs of a recent client and a client of a similar name; returns the clients in them and how many recent
    clients were scanned."""
    recent = session.exec(select(*_COLUMNS).where(audited(tenant_id), Client.updated_at >= since)
                          .order_by(col(Client.updated_at).desc(), col(Client.id).desc()).limit(RECENT_LIMIT)).all()
    by_word: dict[str, list] = {}
    involved: set[int] = set()
    found = 0
    for client in recent:
        candidates = {}
        for word in blocking_words(client.name):
            if word not in by_word:
                matching = search.matching_ids(session, tenant_id, SearchEntity.CLIENT, word)
                by_word[word] = list(session.exec(select(*_COLUMNS).where(audited(tenant_id),
                                                                          col(Client.id).in_(matching))
                                                  .limit(CANDIDATES_PER_WORD)).all())
            candidates.update((row.id, row) for row in by_word[word] if row.id != client.id)
        if not candidates:
            continue
        names = {client_id: comparable_name(row.name) for client_id, row in candidates.items()}
        for _, similarity, client_id in process.extract(comparable_name(client.name), names,
                                                        scorer=fuzz.token_sort_ratio, score_cutoff=NAME_THRESHOLD,
                                                        limit=None):
            pairs.add(client, candidates[client_id], round(similarity))
            involved.update((client.id, client_id))
            found += 1
        if found >= MAX_NAME_PAIRS:
            break
    return involved, len(recent)


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
    name_pairs = sum(1 for pair in pairs.found.values() if 'name' in pair['reasons'])
    return DuplicateScan(involved=exact + len(by_name) - also_exact, email_groups=email_groups,
                         phone_groups=phone_groups, name_pairs=name_pairs, recent_scanned=scanned,
                         pairs=pairs.strongest(limit))
