"""Interactions (seed 003's activities): calls, meetings, e-mails… with their participants, a client's timeline
and the recent-activities widget.

The package's modules, one idea each: `kinds` (types and their French names), `schemas` (what goes in and out),
`tenancy` (an interaction or contact of the actor's tenant), `reading` (one, a page, the latest, the coming ones),
`timeline` (a client's interactions and stage moves), `validation` (an interaction as given, checked), `participants`
(who took part) and `writing` (log, edit, remove). The names below are the package's public interface: pages, API
and other services import them from `services.interactions`.
"""

from services.interactions.kinds import MEETING_TYPES, TYPE_ALIASES, parse_type, parse_types
from services.interactions.participants import MAX_PARTICIPANTS
from services.interactions.reading import (
    COUNT_CAP,
    RECENT_LIMIT,
    activity_stamp,
    get_interaction,
    list_interactions,
    recent,
    upcoming,
)
from services.interactions.schemas import (
    InteractionFilter,
    InteractionInput,
    InteractionRead,
    ParticipantInput,
    ParticipantRead,
)
from services.interactions.tenancy import interaction_in_tenant
from services.interactions.timeline import TimelineEntry, timeline
from services.interactions.validation import MAX_DURATION_MINUTES, MAX_METADATA_BYTES
from services.interactions.writing import create_interaction, delete_interaction, update_interaction

__all__ = [
    'COUNT_CAP', 'MAX_DURATION_MINUTES', 'MAX_METADATA_BYTES', 'MAX_PARTICIPANTS', 'MEETING_TYPES', 'RECENT_LIMIT',
    'TYPE_ALIASES', 'InteractionFilter', 'InteractionInput', 'InteractionRead', 'ParticipantInput', 'ParticipantRead',
    'TimelineEntry', 'activity_stamp', 'create_interaction', 'delete_interaction', 'get_interaction',
    'interaction_in_tenant', 'list_interactions', 'parse_type', 'parse_types', 'recent', 'timeline', 'upcoming',
    'update_interaction',
]
