"""Clients › one client › «Ventes», above the sales: the client's RFM profile (segment, scores, basket, rhythm,
favourite families, budget, how the segment moved) and its open recommendations."""

from decimal import Decimal

from nicegui import ui

from components.badges import segment_chip
from components.formatting import format_date, format_integer, format_money
from components.stat_grid import stat, stat_grid
from pages.analytics.recommendation_widgets import client_recommendations
from services.actor import Actor
from services.analytics import rfm
from services.analytics.rfm import ProfileRead, SegmentChangeRead
from ui.data import call
from ui.i18n import current_language, t

HISTORY_SHOWN = 3


def _money(cents: int, currency: str, language: str) -> str:
    return format_money(Decimal(cents) / 100, currency, language, decimals=0)


def _move_text(change: SegmentChangeRead, language: str) -> str:
    when = format_date(change.changed_at.date(), language)
    if change.from_segment is None:
        return t('insights.entered', segment=t(f'segment.{change.to_segment}'), date=when)
    if change.to_segment is None:
        return t('insights.left', segment=t(f'segment.{change.from_segment}'), date=when)
    return t('insights.moved', origin=t(f'segment.{change.from_segment}'), target=t(f'segment.{change.to_segment}'),
             date=when)


def _profile(profile: ProfileRead, history: list[SegmentChangeRead], currency: str, language: str) -> None:
    with ui.row().classes('w-full items-center gap-2'):
        ui.icon('insights').classes('text-primary')
        ui.label(t('insights.title')).classes('font-semibold')
        segment_chip(profile.segment, t(f'segment.{profile.segment}'))
        ui.label(f'R {profile.r_score} · F {profile.f_score} · M {profile.m_score}') \
            .classes('text-sm font-medium crm-muted').mark('insights-scores')
        ui.space()
        ui.link(t('insights.segment_link'), f'/analytics/segments/{profile.segment}').classes('text-sm text-primary')
    with stat_grid(4):
        stat(t('insights.basket'), _money(profile.avg_basket_cents, currency, language), icon='shopping_basket',
             mark='insights-basket')
        rhythm = (t('insights.every_days', n=format_integer(round(profile.avg_interval_days), language))
                  if profile.avg_interval_days else t('insights.single_purchase'))
        stat(t('insights.rhythm'), rhythm, icon='update', mark='insights-rhythm',
             caption=t('insights.purchases', n=format_integer(profile.frequency, language),
                       months=profile.window_months))
        stat(t('insights.recency'), t('insights.days_ago', n=format_integer(profile.recency_days, language)),
             icon='event', caption=format_date(profile.last_purchase_on, language), mark='insights-recency')
        stat(t('insights.budget'), _money(profile.budget_cents, currency, language), icon='account_balance_wallet',
             caption=t('insights.budget_hint'), mark='insights-budget')
    with ui.row().classes('w-full items-center gap-2'):
        ui.label(t('insights.families')).classes('text-sm crm-muted')
        for family in profile.top_families:
            ui.badge(family).props('outline rounded color=primary').classes('px-2 py-1').mark('insights-family')
    for change in history[:HISTORY_SHOWN]:
        with ui.row().classes('items-center gap-2 no-wrap text-sm').mark('insights-move'):
            ui.icon('swap_vert').classes('crm-muted')
            ui.label(_move_text(change, language)).classes('crm-muted')


async def client_insights(box: ui.column, actor: Actor, client_id: int, currency: str) -> None:
    """Fill `box` with the client's profile and recommendations (skeletons first)."""
    language = current_language()
    box.clear()
    with box:
        for _ in range(2):
            ui.skeleton('rect').classes('w-full h-16')
    profile = await call(rfm.get_profile, actor, client_id)
    history = await call(rfm.client_segment_history, actor, client_id) if profile else []
    box.clear()
    with box:
        with ui.card().classes('crm-card w-full p-4 gap-3').mark('client-profile'):
            if profile:
                _profile(profile, history, currency, language)
            else:
                with ui.row().classes('items-center gap-2 no-wrap'):
                    ui.icon('insights').classes('crm-muted')
                    ui.label(t('insights.none')).classes('text-sm crm-muted').mark('insights-none')
        await client_recommendations(actor, client_id)
