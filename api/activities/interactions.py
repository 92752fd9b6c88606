"""Interactions (seed 003's activities, seed 001's interactions): log, list, edit, a client's timeline, and the
recent-activities widget."""

from datetime import datetime
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Header, Query, status
from pydantic import BaseModel
from sqlmodel import Session

from api.deps import ActorDep, PageDep, SessionDep
from api.schemas import (
    IdPath,
    IdQuery,
    InteractionIn,
    InteractionOut,
    InteractionPatchIn,
    PageOut,
    TimelineEntryOut,
    in_range,
)
from services import interactions as interactions_service
from services.actor import Actor
from services.errors import Invalid
from services.interactions import RECENT_LIMIT, InteractionFilter, InteractionRead, parse_types
from services.paging import Page
from settings import get_settings

TypesQuery = Annotated[str | None, Query(max_length=200, description='A comma list: email,appel,reunion…')]
IdempotencyHeader = Annotated[str | None, Header(alias='Idempotency-Key', min_length=1, max_length=120)]
EDITABLE = {'client_id', 'type', 'title', 'description', 'occurred_at', 'duration_minutes', 'contact_id', 'is_pitch',
            'metadata'}
CREATED = ('; a replay with an idempotency key already used answers 201 with the interaction logged then, and '
           'writes nothing')

router = APIRouter(tags=['interactions'])


def page_out(page: Page[InteractionRead]) -> PageOut[InteractionOut]:
    return PageOut[InteractionOut](items=[InteractionOut.of(read) for read in page.items], total=page.total,
                                   limit=page.limit, offset=page.offset)


def in_zone(value: datetime | None, field: str) -> datetime | None:
    """A date or time without a zone is the firm's (CRM_TIMEZONE)."""
    if value is None or in_range(value, field).tzinfo is not None:
        return value
    return value.replace(tzinfo=ZoneInfo(get_settings().timezone))


def log_interaction(session: Session, actor: Actor, body: InteractionIn, client_id: int | None,
                    idempotency_key: str | None) -> InteractionOut:
    if client_id is None:
        raise Invalid('error.required', field='organisation_id')
    data = body.to_input(client_id=client_id, idempotency_key=idempotency_key)
    return InteractionOut.of(interactions_service.create_interaction(session, actor, data))


def merged(current: InteractionRead, body: BaseModel) -> InteractionIn:
    """The interaction as it is, with the fields sent replaced (participants or recipients replace them all)."""
    changes = body.model_dump(exclude_unset=True, exclude={'version', 'idempotency_key'})
    if changes.get('client_id') is None:
        changes.pop('client_id', None)
    kept = current.model_dump(mode='json', include=EDITABLE)
    kept['participants'] = [] if changes.keys() & {'participants', 'recipients'} else [
        {'contact_id': p.contact_id, 'name': p.external_name, 'email': p.external_email, 'role': p.external_role,
         'is_organizer': p.is_organizer, 'attendance_status': p.attendance_status} for p in current.participants]
    return InteractionIn.model_validate({**kept, **changes})


@router.get('/interactions', response_model=PageOut[InteractionOut],
            summary='Interactions, newest first, filtered and paged (the total stops counting at 10,000)')
def list_interactions(session: SessionDep, actor: ActorDep, page: PageDep, organisation_id: IdQuery = None,
                      client_id: IdQuery = None, contact_id: IdQuery = None, activity_types: TypesQuery = None,
                      type_: Annotated[str | None, Query(alias='type', max_length=200)] = None,
                      created_by: IdQuery = None, since: datetime | None = None,
                      until: datetime | None = None) -> PageOut[InteractionOut]:
    filters = InteractionFilter(
        client_id=organisation_id if organisation_id is not None else client_id, contact_id=contact_id,
        types=tuple(parse_types([text for text in (activity_types, type_) if text])), created_by=created_by,
        since=in_zone(since, 'since'), until=in_zone(until, 'until'))
    return page_out(interactions_service.list_interactions(session, actor, filters, page))


@router.post('/interactions', response_model=InteractionOut, status_code=status.HTTP_201_CREATED,
             summary='Log an interaction (seed 003)' + CREATED)
def create_interaction(body: InteractionIn, session: SessionDep, actor: ActorDep,
                       idempotency_key: IdempotencyHeader = None) -> InteractionOut:
    return log_interaction(session, actor, body, body.client_id, idempotency_key)


@router.post('/interactions/investor/{client_id}', response_model=InteractionOut,
             status_code=status.HTTP_201_CREATED, summary="Log an interaction of a client (seed 001's path)" + CREATED)
@router.post('/clients/{client_id}/interactions', response_model=InteractionOut, status_code=status.HTTP_201_CREATED,
             summary='Log an interaction of a client' + CREATED)
def create_client_interaction(client_id: IdPath, body: InteractionIn, session: SessionDep, actor: ActorDep,
                              idempotency_key: IdempotencyHeader = None) -> InteractionOut:
    return log_interaction(session, actor, body, client_id, idempotency_key)


@router.get('/interactions/investor/{client_id}', response_model=PageOut[InteractionOut],
            summary="A client's interactions, newest first (seed 001's path)")
@router.get('/clients/{client_id}/interactions', response_model=PageOut[InteractionOut],
            summary="A client's interactions, newest first")
def list_client_interactions(client_id: IdPath, session: SessionDep, actor: ActorDep,
                             page: PageDep) -> PageOut[InteractionOut]:
    filters = InteractionFilter(client_id=client_id)
    return page_out(interactions_service.list_interactions(session, actor, filters, page))


@router.get('/interactions/{interaction_id}', response_model=InteractionOut)
def get_interaction(interaction_id: IdPath, session: SessionDep, actor: ActorDep) -> InteractionOut:
    return InteractionOut.of(interactions_service.get_interaction(session, actor, interaction_id))


@router.put('/interactions/{interaction_id}', response_model=InteractionOut,
            summary='Change some fields (as PATCH: the fields left out stay; send `version` to lock)')
@router.patch('/interactions/{interaction_id}', response_model=InteractionOut,
              summary='Change some fields (participants or recipients, when sent, replace them all; send `version` '
                      'to lock)')
def update_interaction(interaction_id: IdPath, body: InteractionPatchIn, session: SessionDep,
                       actor: ActorDep) -> InteractionOut:
    changed = merged(interactions_service.get_interaction(session, actor, interaction_id), body)
    data = changed.to_input(client_id=changed.client_id)
    return InteractionOut.of(interactions_service.update_interaction(session, actor, interaction_id, data,
                                                                     expected_version=body.version))


@router.delete('/interactions/{interaction_id}', status_code=status.HTTP_204_NO_CONTENT)
def delete_interaction(interaction_id: IdPath, session: SessionDep, actor: ActorDep) -> None:
    interactions_service.delete_interaction(session, actor, interaction_id)


@router.get('/clients/{client_id}/timeline', response_model=PageOut[TimelineEntryOut],
            summary="A client's interactions and pipeline moves in one list, newest first")
def client_timeline(client_id: IdPath, session: SessionDep, actor: ActorDep,
                    page: PageDep) -> PageOut[TimelineEntryOut]:
    result = interactions_service.timeline(session, actor, client_id, page)
    return PageOut[TimelineEntryOut](items=[TimelineEntryOut.of(entry) for entry in result.items],
                                     total=result.total, limit=result.limit, offset=result.offset)


@router.get('/organisations/{client_id}/activities/recent', response_model=list[InteractionOut],
            summary="A client's latest interactions that took place (seed 003's widget; `limit` 1 to 50)")
@router.get('/clients/{client_id}/activities/recent', response_model=list[InteractionOut],
            summary="A client's latest interactions that took place (`limit` 1 to 50)")
def recent_for_client(client_id: IdPath, session: SessionDep, actor: ActorDep, limit: int = RECENT_LIMIT,
                      activity_types: TypesQuery = None) -> list[InteractionOut]:
    reads = interactions_service.recent(session, actor, client_id=client_id, types=parse_types(activity_types),
                                        limit=limit)
    return [InteractionOut.of(read) for read in reads]


@router.get('/contacts/{contact_id}/activities/recent', response_model=list[InteractionOut],
            summary="A contact's latest interactions: theirs, or where they took part (`limit` 1 to 50)")
@router.get('/persons/{contact_id}/activities/recent', response_model=list[InteractionOut],
            summary="A contact's latest interactions (seed 003's `personId`)")
def recent_for_contact(contact_id: IdPath, session: SessionDep, actor: ActorDep, limit: int = RECENT_LIMIT,
                       activity_types: TypesQuery = None) -> list[InteractionOut]:
    reads = interactions_service.recent(session, actor, contact_id=contact_id, types=parse_types(activity_types),
                                        limit=limit)
    return [InteractionOut.of(read) for read in reads]

