"""An audit entry as a user reads it: «Statut : Actif → Archivé · Échéance : 31/12/2026» (English: «Status: Active →
Archived · Due date: 2026-12-31»), never the stored keys («demo_contacts : 605», «client_status»).

A field is named by the label its entity's form uses (`client.city`, `case.due_date`), else by `audit.field.<name>`
for what no form shows, else by `field.<name>`; a value by the label of its enumeration where it has one.
"""

from datetime import date, datetime
from typing import Any

from components.formatting import (
    format_date,
    format_datetime,
    format_integer,
    format_money,
    format_percent,
    human_size,
)
from ui.i18n import catalog, current_language, t

MAX_VALUE = 80  # characters of a text value (a description, a note) shown in the log

VALUE_KEYS = {  # (entity, field) → the translation prefix of its values; entity '*': any
    ('client', 'status'): 'client_status', ('client', 'kind'): 'client_kind', ('case', 'status'): 'case_status',
    ('*', 'case_type'): 'case_type', ('*', 'priority'): 'priority', ('note', 'kind'): 'note_kind',
    ('interaction', 'type'): 'interaction_type', ('sale', 'channel'): 'channel', ('user', 'role'): 'role',
    ('recommendation', 'status'): 'reco.status', ('ai_settings', 'provider'): 'ai_settings.provider',
}
FORMS = {'client_kpi': 'kpi', 'pipeline_stage': 'stages', 'user': 'users'}  # entity → its form's labels
_DATE_SUFFIXES = ('_date', '_on')
_MOMENT_SUFFIXES = ('_at',)


def _known(key: str) -> bool:
    return key in catalog(current_language())


def field_key(entity: str, field: str) -> str | None:
    """The translation key naming an entity's field, None if no one named it yet."""
    form = FORMS.get(entity, entity)
    base = field.removesuffix('_id').removesuffix('_cents').removesuffix('_bps')
    candidates = (f'{form}.{field}', f'{form}.{base}', f'audit.field.{field}', f'field.{field}')
    return next((key for key in candidates if _known(key)), None)


def field_label(entity: str, field: str) -> str:
    """The name a user knows the field by; a readable fallback («Postal code») for a field nobody named yet."""
    key = field_key(entity, field)
    return t(key) if key else field.replace('_', ' ').capitalize()


def entity_label(entity: str) -> str:
    key = f'entity.{entity}'
    return t(key) if _known(key) else entity.replace('_', ' ').capitalize()


def _day(text: str, moment: bool) -> str | None:
    try:
        value = datetime.fromisoformat(text) if moment else date.fromisoformat(text[:10])
    except ValueError:
        return None
    language = current_language()
    return format_datetime(value, language) if moment else format_date(value, language)


def _number(field: str, value: int, language: str) -> str:
    if field.endswith('_id'):
        return f'#{value}'
    if field.endswith('_cents'):
        return format_money(value / 100, language=language)
    if field.endswith('_bps'):
        return format_percent(value / 100, language)
    if field == 'size':
        return human_size(value, language)
    return format_integer(value, language)


def value_text(entity: str, field: str, value: Any) -> str:
    if value is None or value == '' or value == []:
        return '—'
    if isinstance(value, bool):
        return t('common.yes') if value else t('common.no')
    if isinstance(value, list):
        return ', '.join(value_text(entity, field, item) for item in value)
    if isinstance(value, int):
        return _number(field, value, current_language())
    text = str(value)
    prefix = VALUE_KEYS.get((entity, field)) or VALUE_KEYS.get(('*', field))
    if prefix and _known(f'{prefix}.{text}'):
        return t(f'{prefix}.{text}')
    if prefix and _known(f'{prefix}_{text}'):
        return t(f'{prefix}_{text}')
    if field.endswith(_DATE_SUFFIXES + _MOMENT_SUFFIXES):
        return _day(text, field.endswith(_MOMENT_SUFFIXES)) or text
    return text if len(text) <= MAX_VALUE else text[:MAX_VALUE].rstrip() + '…'


def describe_changes(entity: str, changes: dict, *, created: bool = False) -> str:
    """`{field: [old, new]}` or `{field: value}` as a line a user reads; what was created shows its values."""
    parts = []
    for field, value in changes.items():
        name = field_label(entity, field)
        if isinstance(value, list) and len(value) == 2 and not (created and value[0] is None):
            parts.append(t('audit.change', field=name, old=value_text(entity, field, value[0]),
                           new=value_text(entity, field, value[1])))
        else:
            shown = value[1] if isinstance(value, list) and len(value) == 2 else value
            if created and shown in (None, '', []):
                continue  # what a creation left empty says nothing
            parts.append(t('audit.value', field=name, value=value_text(entity, field, shown)))
    return ' · '.join(parts)
