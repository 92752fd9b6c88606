"""Coloured chips for statuses and priorities (the same colour for the same meaning on every screen), and avatars."""

from nicegui import ui

CASE_STATUS_COLORS = {'new': 'blue-6', 'in_progress': 'indigo-6', 'waiting_client': 'amber-8',
                      'resolved': 'green-7', 'closed': 'grey-6'}
PRIORITY_COLORS = {'low': 'grey-6', 'normal': 'blue-grey-6', 'high': 'orange-8', 'urgent': 'red-7'}
CLIENT_STATUS_COLORS = {'active': 'green-7', 'inactive': 'grey-6', 'archived': 'brown-5'}


def chip(label: str, color: str, *, outline: bool = False) -> ui.badge:
    badge = ui.badge(label).props(f'color={color} rounded').classes('px-2 py-1 text-xs font-medium')
    if outline:
        badge.props('outline')
    return badge


def case_status_chip(status: str, label: str) -> ui.badge:
    return chip(label, CASE_STATUS_COLORS.get(status, 'grey-6'))


def priority_chip(priority: str, label: str) -> ui.badge:
    return chip(label, PRIORITY_COLORS.get(priority, 'grey-6'), outline=priority in ('low', 'normal'))


def client_status_chip(status: str, label: str) -> ui.badge:
    return chip(label, CLIENT_STATUS_COLORS.get(status, 'grey-6'))


RISK_COLORS = {'low': 'green-7', 'medium': 'amber-8', 'high': 'deep-orange-7', 'critical': 'red-8'}
RISK_ICONS = {'low': 'verified', 'medium': 'report', 'high': 'warning', 'critical': 'crisis_alert'}


def risk_chip(level: str, label: str, score: int | None = None) -> ui.badge:
    """The risk level of a case's latest analysis, with its score when given («Élevé · 62»)."""
    text = label if score is None else f'{label} · {score}'
    badge = chip(text, RISK_COLORS.get(level, 'grey-6'))
    badge.props(f'data-risk="{level}"')
    return badge


INTERACTION_ICONS = {'email': 'mail', 'call': 'call', 'meeting': 'groups', 'lunch': 'restaurant',
                     'note': 'sticky_note_2', 'webinar': 'cast_for_education', 'newsletter': 'campaign'}
INTERACTION_COLORS = {'email': 'blue', 'call': 'teal', 'meeting': 'indigo', 'lunch': 'orange', 'note': 'blue-grey',
                      'webinar': 'purple', 'newsletter': 'pink'}


def type_avatar(kind: str, *, size: str = 'md') -> ui.avatar:
    color = INTERACTION_COLORS.get(kind, 'grey')
    return ui.avatar(INTERACTION_ICONS.get(kind, 'forum'), color=f'{color}-1', text_color=f'{color}-9', size=size) \
        .props('font-size=0.9rem')


def initials_avatar(initials: str, *, color: str, text_color: str, size: str = 'md') -> ui.avatar:
    """A person's initials in a round badge, in the page's font. The initials are the avatar's content, not its
    `icon` (`ui.avatar('KB')` draws them with the Material Icons font, which has no letters: a serif fallback)."""
    with ui.avatar(color=color, text_color=text_color, size=size) as avatar:
        ui.label(initials).classes('font-semibold leading-none').mark('avatar-initials')
    return avatar


SEGMENT_COLORS = {'champions': '#1b7f5a', 'loyal': '#2a9d8f', 'potential_loyalists': '#57b894', 'new': '#3d7cc9',
                  'promising': '#74a9e0', 'need_attention': '#d4a72c', 'about_to_sleep': '#f4a261',
                  'at_risk': '#e76f51', 'cannot_lose': '#b83227', 'hibernating': '#8d99ae', 'lost': '#5c677d'}


def segment_chip(segment: str, label: str) -> ui.badge:
    """An RFM segment («Champions», «À risque»…) in the colour the analytics charts give it."""
    return ui.badge(label).props('rounded').classes('px-2 py-1 text-xs font-medium text-white') \
        .style(f'background: {SEGMENT_COLORS.get(segment, "#577590")}').mark(f'segment-{segment}')


def chip_data(label: str, color: str, *, outline: bool = False, top: bool = False, tooltip: str = '',
              risk: str | None = None) -> dict:
    """A chip as a client-side component draws it (see components/kanban.js): same colours as `chip`."""
    return {'label': label, 'color': color, 'outline': outline, 'top': top, 'tooltip': tooltip, 'risk': risk}


def priority_chip_data(priority: str, label: str) -> dict:
    return chip_data(label, PRIORITY_COLORS.get(priority, 'grey-6'), outline=priority in ('low', 'normal'))


def risk_chip_data(level: str, label: str, score: int, tooltip: str) -> dict:
    return chip_data(f'{label} · {score}', RISK_COLORS.get(level, 'grey-6'), top=True, tooltip=tooltip, risk=level)
