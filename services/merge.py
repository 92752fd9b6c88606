"""Merging a duplicate client into the one kept, in the caller's single unit of work (all or nothing).

Every table that points at a client is handled, so that afterwards only the merged client's own row (and its
search entry and audit history) still names it:
- moved to the kept client: contacts (with their interaction participations), cases (with notes and status
  history), interactions, sales and their lines (a line repeats its sale's client), documents, pipeline stage
  changes (the history stays whole: conversion figures do not change), recommendations already dismissed or done
  (unless the kept client has the same product and scenario: those are deleted);
- monthly KPIs (one row per client and month): a month only the merged client has moves over; a month both have is
  summed into the kept client's row — due diligences, closings and revenue added, the commission rate the
  revenue-weighted average (so the commission stays the sum of both, to the basis point), and meetings/pitches left
  to the count when neither typed one, else each side's typed number (or its count, read before the interactions
  move) added up;
- tags: the union (case-insensitive), on the kept client;
- deleted: the merged client's open recommendations (the next run offers the kept client its own), its RFM profile
  and its segment history (both are recomputed from the sales, which now belong to the kept client; the kept
  client's profile is refreshed by the next analytics run).
The kept client takes the merged client's e-mail, phone, company, website, type and owner where it has none, and
its address (street, postal code and city together) when it has none of the three. The merged client is archived,
never deleted, with «Fusionné dans …» at the head of its notes: it can be looked at (and restored) later. Both
clients get an audit-log entry; the kept one lists what moved.

Only managers and admins merge. Versions, when given, guard against merging clients someone just edited.
"""

from dataclasses import dataclass

from sqlalchemy import delete, exists, func, update
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from db.models import (
    AuditAction,
    Case,
    Client,
    ClientKpi,
    ClientProfile,
    ClientStatus,
    ClientTag,
    Contact,
    Document,
    Interaction,
    Recommendation,
    Sale,
    SaleLine,
    SearchEntity,
    SegmentChange,
    StageChange,
)
from services import audit, search
from services.actor import Actor, require_manager
from services.analytics import moves as month_moves
from services.clients import ClientRead, client_in_tenant, get_client, list_client_types
from services.errors import Conflict, Invalid, NotFound
from services.kpis import KpiRead, annual_summary
from settings import get_settings

FILLED_FIELDS = ('email', 'phone', 'company', 'website', 'client_type', 'owner_id')
ADDRESS_FIELDS = ('address', 'postal_code', 'city')
MERGED_NOTE = {'fr': 'Fusionné dans {name} (n° {id}).', 'en': 'Merged into {name} (#{id}).'}
# Tables whose rows simply change hands; versioned ones get a new version, so a form opened before the merge cannot
# send its row back to the archived client.
MOVED = (('contacts', Contact, True), ('cases', Case, True), ('interactions', Interaction, True),
         ('sales', Sale, False), ('sale_lines', SaleLine, False), ('documents', Document, False),
         ('stage_changes', StageChange, False))


@dataclass(frozen=True)
class MergeSide:
    """One client of a pair about to be merged, with what would move with it."""

    client: ClientRead
    contacts: int
    cases: int
    interactions: int
    sales: int


def merge_preview(session: Session, actor: Actor, first_id: int, second_id: int) -> list[MergeSide]:
    """Both clients of a pair side by side, to choose the one to keep."""
    sides = []
    for client_id in (first_id, second_id):
        client = client_in_tenant(session, actor, client_id)
        counts = [session.exec(select(func.count()).select_from(model).where(model.tenant_id == actor.tenant_id,
                                                                             model.client_id == client.id)).one()
                  for model in (Contact, Case, Interaction, Sale)]
        sides.append(MergeSide(get_client(session, actor, client.id), *counts))
    return sides


def _both(session: Session, actor: Actor, keep_id: int, merge_id: int) -> tuple[Client, Client]:
    """The two clients, locked in id order (two merges crossing each other wait instead of deadlocking)."""
    rows = session.exec(select(Client).where(Client.tenant_id == actor.tenant_id,
                                             col(Client.id).in_((keep_id, merge_id)))
                        .order_by(col(Client.id)).with_for_update()).all()
    found = {client.id: client for client in rows}
    if keep_id not in found or merge_id not in found:
        raise NotFound('error.client_not_found')
    return found[keep_id], found[merge_id]


def _typed_or_counted(typed: int | None, counted: int) -> int:
    return counted if typed is None else typed


def _counts(session: Session, actor: Actor, client_id: int, years: set[int]) -> dict[tuple[int, int], KpiRead]:
    """A client's months of `years` as the KPI pages show them (with the meetings and pitches counted)."""
    return {(month.year, month.month): month for year in sorted(years)
            for month in annual_summary(session, actor, client_id, year).months}


def _merge_kpis(session: Session, actor: Actor, keep: Client, merged: Client) -> int:
    """Fold the merged client's months into the kept client's (before the interactions move, which the counts
    read); returns how many months both clients had."""
    theirs = session.exec(select(ClientKpi).where(ClientKpi.tenant_id == actor.tenant_id,
                                                  ClientKpi.client_id == merged.id)).all()
    ours = {(row.year, row.month): row for row in session.exec(
        select(ClientKpi).where(ClientKpi.tenant_id == actor.tenant_id, ClientKpi.client_id == keep.id)).all()}
    clashes = [(ours[(row.year, row.month)], row) for row in theirs if (row.year, row.month) in ours]
    typed = {row.year for pair in clashes for row in pair if row.meetings is not None or row.pitches is not None}
    our_counts, their_counts = _counts(session, actor, keep.id, typed), _counts(session, actor, merged.id, typed)
    for kept_row, their_row in clashes:
        period = (kept_row.year, kept_row.month)
        for name in ('meetings', 'pitches'):
            ours_typed, theirs_typed = getattr(kept_row, name), getattr(their_row, name)
            if ours_typed is not None or theirs_typed is not None:
                setattr(kept_row, name,
                        _typed_or_counted(ours_typed, getattr(our_counts[period], f'{name}_counted'))
                        + _typed_or_counted(theirs_typed, getattr(their_counts[period], f'{name}_counted')))
        revenue = kept_row.revenue_cents + their_row.revenue_cents
        if revenue:
            kept_row.commission_bps = round((kept_row.revenue_cents * kept_row.commission_bps
                                             + their_row.revenue_cents * their_row.commission_bps) / revenue)
        kept_row.revenue_cents = revenue
        kept_row.due_diligences += their_row.due_diligences
        kept_row.closings += their_row.closings
        kept_row.version += 1
        session.add(kept_row)
        session.delete(their_row)
    session.flush()
    session.execute(update(ClientKpi).where(ClientKpi.tenant_id == actor.tenant_id, ClientKpi.client_id == merged.id)
                    .values(client_id=keep.id, version=ClientKpi.version + 1)
                    .execution_options(synchronize_session=False))
    return len(clashes)


def _merge_tags(session: Session, keep: Client, merged: Client) -> list[str]:
    """The union of both clients' tags (a tag differing only by case is kept once); returns the kept client's."""
    rows = session.exec(select(ClientTag.client_id, ClientTag.tag)
                        .where(col(ClientTag.client_id).in_((keep.id, merged.id))).order_by(ClientTag.tag)).all()
    tags = {keep.id: [tag for client_id, tag in rows if client_id == keep.id],
            merged.id: [tag for client_id, tag in rows if client_id == merged.id]}
    known = {tag.lower() for tag in tags[keep.id]}
    for tag in tags[merged.id]:
        if tag.lower() not in known:
            known.add(tag.lower())
            tags[keep.id].append(tag)
            session.add(ClientTag(tenant_id=keep.tenant_id, client_id=keep.id, tag=tag))
    session.execute(delete(ClientTag).where(ClientTag.client_id == merged.id))
    return tags[keep.id]


def _merge_recommendations(session: Session, actor: Actor, keep: Client, merged: Client) -> int:
    mine = (Recommendation.tenant_id == actor.tenant_id, Recommendation.client_id == merged.id)
    session.execute(delete(Recommendation).where(*mine, Recommendation.status == 'open')
                    .execution_options(synchronize_session=False))
    kept = aliased(Recommendation)
    clash = exists().where(kept.tenant_id == actor.tenant_id, kept.client_id == keep.id,
                           kept.product_id == Recommendation.product_id, kept.scenario == Recommendation.scenario)
    moved = session.execute(update(Recommendation).where(*mine, ~clash).values(client_id=keep.id)
                            .execution_options(synchronize_session=False)).rowcount
    session.execute(delete(Recommendation).where(*mine).execution_options(synchronize_session=False))
    return moved


def _move_rows(session: Session, actor: Actor, keep: Client, merged: Client) -> dict[str, int]:
    moved = {'kpi_months_summed': _merge_kpis(session, actor, keep, merged)}
    for name, model, versioned in MOVED:
        values = {'client_id': keep.id, **({'version': model.version + 1} if versioned else {})}
        moved[name] = session.execute(update(model).where(model.tenant_id == actor.tenant_id,
                                                          model.client_id == merged.id).values(**values)
                                      .execution_options(synchronize_session=False)).rowcount
    moved['recommendations'] = _merge_recommendations(session, actor, keep, merged)
    month_moves.forget_client(session, actor.tenant_id, merged.id)  # their segment history goes
    for model in (ClientProfile, SegmentChange):
        session.execute(delete(model).where(model.tenant_id == actor.tenant_id, model.client_id == merged.id)
                        .execution_options(synchronize_session=False))
    return moved


def _fill_empty_fields(session: Session, actor: Actor, keep: Client, merged: Client) -> dict[str, list]:
    filled = {}
    for field in FILLED_FIELDS:
        theirs = getattr(merged, field)
        if getattr(keep, field) in (None, '') and theirs not in (None, ''):
            if field == 'client_type' and theirs not in list_client_types(session, actor):
                continue
            filled[field] = [None, theirs]
    if all(getattr(keep, field) in (None, '') for field in ADDRESS_FIELDS):
        filled.update({field: [None, getattr(merged, field)] for field in ADDRESS_FIELDS
                       if getattr(merged, field) not in (None, '')})
    for field, (_, value) in filled.items():
        setattr(keep, field, value)
    return filled


def _archive(merged: Client, keep: Client, actor: Actor) -> str:
    language = actor.language if actor.language in MERGED_NOTE else get_settings().language
    note = MERGED_NOTE.get(language, MERGED_NOTE['fr']).format(name=keep.name, id=keep.id)
    merged.notes = f'{note}\n\n{merged.notes}' if merged.notes else note
    merged.status = ClientStatus.ARCHIVED
    merged.version += 1
    return note


def _reindex(session: Session, keep: Client, tags: list[str]) -> None:
    """The kept client's entry (new fields and tags), and its contacts and cases, found with its name."""
    search.index(session, SearchEntity.CLIENT, keep, ' '.join(tags))
    contacts = session.exec(select(Contact).where(Contact.client_id == keep.id)).all()
    search.index_many(session, SearchEntity.CONTACT, contacts, keep.name)
    cases = session.exec(select(Case).where(Case.client_id == keep.id)).all()
    search.index_many(session, SearchEntity.CASE, cases, keep.name)


def merge_clients(session: Session, actor: Actor, keep_id: int, merge_id: int, *, keep_version: int | None = None,
                  merge_version: int | None = None) -> ClientRead:
    """Merge client `merge_id` into client `keep_id`; returns the kept client."""
    require_manager(actor)
    if keep_id == merge_id:
        raise Invalid('error.merge_self', field='merge_id')
    keep, merged = _both(session, actor, keep_id, merge_id)
    if keep.status == ClientStatus.ARCHIVED:
        raise Conflict('error.merge_into_archived')
    if (keep_version is not None and keep_version != keep.version) \
            or (merge_version is not None and merge_version != merged.version):
        raise Conflict('error.stale_version')
    moved = _move_rows(session, actor, keep, merged)
    tags = _merge_tags(session, keep, merged)
    filled = _fill_empty_fields(session, actor, keep, merged)
    previous_status = merged.status
    note = _archive(merged, keep, actor)
    keep.version += 1
    session.add_all((keep, merged))
    session.flush()
    _reindex(session, keep, tags)
    summary = ', '.join(f'{name} {count}' for name, count in moved.items() if count)
    audit.record(session, actor, tenant_id=actor.tenant_id, action=AuditAction.UPDATE, entity='client',
                 entity_id=keep.id, changes={'merged_from': f'{merged.name} (#{merged.id})',
                                             'moved_rows': summary or '—', **filled})
    audit.record(session, actor, tenant_id=actor.tenant_id, action=AuditAction.UPDATE, entity='client',
                 entity_id=merged.id, changes={'status': [str(previous_status), ClientStatus.ARCHIVED.value],
                                               'merged_into': f'{keep.name} (#{keep.id})', 'notes': note})
    session.flush()
    return get_client(session, actor, keep.id)
