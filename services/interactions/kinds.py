"""Interaction types as users and the seed name them: `appel`, `réunion`… are accepted wherever a type is given."""

from db.models import InteractionType
from services.errors import Invalid

MEETING_TYPES = (InteractionType.MEETING, InteractionType.LUNCH)

# The seed's French names (and their accented spellings) are accepted wherever a type is given.
TYPE_ALIASES = {'appel': InteractionType.CALL, 'reunion': InteractionType.MEETING,
                'réunion': InteractionType.MEETING, 'dejeuner': InteractionType.LUNCH,
                'déjeuner': InteractionType.LUNCH, 'webinaire': InteractionType.WEBINAR,
                'courriel': InteractionType.EMAIL, 'mail': InteractionType.EMAIL}


def parse_type(value: str | InteractionType) -> InteractionType:
    text = str(value).strip().lower()
    try:
        return TYPE_ALIASES.get(text) or InteractionType(text)
    except ValueError as error:
        raise Invalid('error.interaction_type_unknown', field='type', value=str(value)[:40]) from error


def parse_types(values: str | list[str] | None) -> list[InteractionType]:
    """`email,appel` or ['email', 'appel'] → [email, call]; empty → []."""
    if not values:
        return []
    items = values.split(',') if isinstance(values, str) else [v for value in values for v in value.split(',')]
    return list(dict.fromkeys(parse_type(item) for item in items if item.strip()))
