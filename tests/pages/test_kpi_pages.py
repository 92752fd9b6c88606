"""Monthly KPIs: a client's KPI tab (editing one month, counted meetings) and the KPI page's month totals."""

import asyncio
from collections.abc import Callable
from decimal import Decimal

from nicegui import ui
from nicegui.testing import User
from nicegui.testing.user_interaction import UserInteraction

from db.models import InteractionType, Role
from db.session import session_scope
from services.actor import Actor
from services.clock import today
from services.interactions import InteractionFilter, InteractionInput, create_interaction, list_interactions
from services.kpis import KpiInput, KpiRead, annual_summary, save_kpi
from services.paging import PageRequest
from tests.factories import make_tenant, make_user
from tests.pages import data
from tests.pages.helpers import PATIENT, sign_in, until

NNBSP = '\u202f'  # the thousands separator of French amounts


def month_of(actor: Actor, client_id: int, month: int, year: int | None = None) -> KpiRead:
    with session_scope() as session:
        return annual_summary(session, actor, client_id, year or today().year).months[month - 1]


def kpi(actor: Actor, client_id: int, **fields) -> KpiRead:
    day = today()
    with session_scope() as session:
        return save_kpi(session, actor, client_id, KpiInput(year=day.year, month=day.month, **fields))


def meeting(actor: Actor, client_id: int, title: str, **fields) -> None:
    with session_scope() as session:  # now: already happened when the page counts it
        create_interaction(session, actor, InteractionInput(client_id=client_id, type=InteractionType.MEETING,
                                                            title=title, **fields))


async def kpi_rows(user: User, expect: Callable[[list[dict]], bool] = lambda rows: len(rows) == 12) -> list[dict]:
    """The rows of the client's KPI table once `expect` holds: saving a month draws a new table, so look it up
    again each time."""
    await user.should_see(marker='client-kpi-table', retries=PATIENT)
    for _ in range(PATIENT):
        rows = user.find(marker='client-kpi-table').elements.pop().rows
        if expect(rows):
            return rows
        await asyncio.sleep(0.1)
    raise AssertionError(f'unexpected KPI rows: {rows}')


async def open_month(user: User, month: int) -> None:
    """Click a month's row of the KPI table, as a user does to edit it."""
    [row] = [row for row in await kpi_rows(user) if row['id'] == month]
    user.find(marker='client-kpi-table').trigger('rowClick', [{}, row, month - 1])
    await user.should_see(marker='kpi-save', retries=PATIENT)


def open_dialogs(user: User, marker: str) -> list[ui.element]:
    """The elements so marked that are in an open dialog (a closed dialog may stay in the page for a while)."""
    try:
        elements = user.find(marker=marker).elements
    except AssertionError:
        return []
    return [element for element in elements
            if all(dialog.value for dialog in element.ancestors() if isinstance(dialog, ui.dialog))]


def in_open_dialog(user: User, marker: str) -> ui.element:
    [element] = open_dialogs(user, marker)
    return element


async def test_editing_a_month_saves_it_and_the_table_follows(user: User, sqlite_db) -> None:
    admin = make_tenant()
    client = data.client(admin, 'SARL Indicateurs')
    await sign_in(user, admin.email)
    await user.open(f'/clients/{client.id}?tab=kpis')
    rows = await kpi_rows(user)
    assert [row['month'] for row in rows][:3] == ['janvier', 'février', 'mars']
    await open_month(user, 3)
    await user.should_see(f'KPI de mars {today().year}')
    user.find(marker='kpi-meetings').elements.pop().set_value(4)
    user.find(marker='kpi-pitches').elements.pop().set_value(2)
    user.find(marker='kpi-due').elements.pop().set_value(1)
    user.find(marker='kpi-closings').elements.pop().set_value(1)
    user.find(marker='kpi-revenue').clear().type('150000,50')
    user.find(marker='kpi-rate').clear().type('2,5')
    user.find(marker='kpi-save').click()
    await kpi_rows(user, lambda rows: rows[2]['closings'] == 1)  # the month saved, in the table
    march = month_of(admin, client.id, 3)
    assert (march.meetings, march.pitches, march.due_diligences, march.closings) == (4, 2, 1, 1)
    assert (march.revenue, march.commission_rate, march.commission) == \
        (Decimal('150000.50'), Decimal('2.50'), Decimal('3750.01'))
    assert march.meetings_overridden and march.pitches_overridden
    rows = await kpi_rows(user, lambda rows: rows[2]['meetings'] == '4')
    assert rows[2]['pitches'] == '2' and rows[2]['revenue'] == f'150{NNBSP}000,50'  # DZD in the column's title
    assert rows[2]['commission'] == f'3{NNBSP}750,01 (2,50 %)'
    total = user.find(marker='kpi-total-revenue').elements.pop()
    assert total.text == f'150{NNBSP}000,50 DZD'
    await open_month(user, 3)  # opened again, the month reads as it was typed, and saves unchanged
    assert (in_open_dialog(user, 'kpi-revenue').value, in_open_dialog(user, 'kpi-rate').value) == ('150000,50', '2,50')
    assert in_open_dialog(user, 'kpi-meetings').value == 4
    UserInteraction(user, {in_open_dialog(user, 'kpi-save')}, None).click()
    for _ in range(PATIENT):
        if not open_dialogs(user, 'kpi-save'):
            break
        await asyncio.sleep(0.1)
    assert not open_dialogs(user, 'kpi-save')
    again = month_of(admin, client.id, 3)
    assert (again.revenue, again.commission_rate, again.version) == (march.revenue, march.commission_rate,
                                                                     march.version)


async def test_an_empty_meetings_field_counts_the_months_meetings(user: User, sqlite_db) -> None:
    admin = make_tenant()
    client = data.client(admin, 'EURL Comptée')
    meeting(admin, client.id, 'Réunion de cadrage')
    meeting(admin, client.id, 'Présentation de l\'offre', is_pitch=True)
    month = today().month
    await sign_in(user, admin.email)
    await user.open(f'/clients/{client.id}?tab=kpis')
    rows = await kpi_rows(user)
    assert (rows[month - 1]['meetings'], rows[month - 1]['pitches']) == ('2 ⟳', '1 ⟳')
    assert user.find(marker='kpi-total-meetings').elements.pop().text == '2'
    await open_month(user, month)
    assert user.find(marker='kpi-meetings').elements.pop().value is None
    await user.should_see('auto : 2')
    user.find(marker='kpi-closings').elements.pop().set_value(1)
    user.find(marker='kpi-save').click()
    await kpi_rows(user, lambda rows: rows[month - 1]['closings'] == 1)
    saved = month_of(admin, client.id, month)
    assert saved.saved and (saved.meetings, saved.closings) == (2, 1) and not saved.meetings_overridden
    meeting(admin, client.id, 'Comité de suivi')  # still counted: nobody typed a number
    assert month_of(admin, client.id, month).meetings == 3
    rows = await kpi_rows(user, lambda rows: rows[month - 1]['closings'] == 1)
    assert rows[month - 1]['meetings'] == '2 ⟳'


async def test_bad_amounts_are_explained_in_the_dialog(user: User, sqlite_db) -> None:
    admin = make_tenant()
    client = data.client(admin, 'SPA Montants')
    await sign_in(user, admin.email)
    await user.open(f'/clients/{client.id}?tab=kpis')
    await open_month(user, 5)
    user.find(marker='kpi-revenue').clear().type('-500')
    user.find(marker='kpi-save').click()
    await user.should_see('Montant invalide : un nombre positif est attendu.', retries=PATIENT)
    assert user.find(marker='kpi-error').elements.pop().text == 'Montant invalide : un nombre positif est attendu.'
    in_open_dialog(user, 'kpi-save')  # the dialog stays open
    user.find(marker='kpi-revenue').clear().type('douze')
    user.find(marker='kpi-save').click()
    await asyncio.sleep(0.2)
    assert user.find(marker='kpi-error').elements.pop().text == 'Montant invalide : un nombre positif est attendu.'
    user.find(marker='kpi-revenue').clear().type('1000')
    user.find(marker='kpi-rate').clear().type('120')
    user.find(marker='kpi-save').click()
    await asyncio.sleep(0.2)
    assert user.find(marker='kpi-error').elements.pop().text == 'Montant invalide : un nombre positif est attendu.'
    assert month_of(admin, client.id, 5).saved is False
    user.find(marker='kpi-revenue').clear().type('1 000')  # as French users write it
    user.find(marker='kpi-rate').clear().type('10')
    user.find(marker='kpi-save').click()
    await until(lambda: month_of(admin, client.id, 5).saved)
    assert month_of(admin, client.id, 5).revenue == Decimal('1000.00')


async def test_a_second_month_opens_its_own_dialog(user: User, sqlite_db) -> None:
    admin = make_tenant()
    client = data.client(admin, 'SNC Deux mois')
    await sign_in(user, admin.email)
    await user.open(f'/clients/{client.id}?tab=kpis')
    await open_month(user, 1)
    user.find(marker='kpi-closings').elements.pop().set_value(3)
    user.find(marker='kpi-save').click()
    await kpi_rows(user, lambda rows: rows[0]['closings'] == 3)
    await open_month(user, 2)
    in_open_dialog(user, 'kpi-closings').set_value(5)
    UserInteraction(user, {in_open_dialog(user, 'kpi-save')}, None).click()
    await kpi_rows(user, lambda rows: rows[1]['closings'] == 5)
    assert (month_of(admin, client.id, 1).closings, month_of(admin, client.id, 2).closings) == (3, 5)


async def test_only_twelve_months_can_be_chosen(user: User, sqlite_db) -> None:
    admin = make_tenant()
    client = data.client(admin, 'EURL Calendrier')
    await sign_in(user, admin.email)
    await user.open(f'/clients/{client.id}?tab=kpis')
    rows = await kpi_rows(user)
    assert [row['id'] for row in rows] == list(range(1, 13))
    await user.open('/kpis')
    await user.should_see(marker='kpi-month', retries=PATIENT)
    months = user.find(marker='kpi-month').elements.pop()
    assert list(months.options) == list(range(1, 13)) and months.options[12] == 'décembre'


async def test_kpi_page_shows_the_months_totals(user: User, sqlite_db) -> None:
    admin = make_tenant()
    first = data.client(admin, 'SARL Premier client')
    second = data.client(admin, 'SARL Second client')
    kpi(admin, first.id, meetings=3, revenue=Decimal('1000'), commission_rate=Decimal('10'))
    kpi(admin, second.id, revenue=Decimal('2500.50'), closings=1)
    meeting(admin, second.id, 'Réunion comptée')
    await sign_in(user, admin.email)
    await user.open('/kpis')
    await user.should_see(marker='kpi-month-meetings', retries=PATIENT)
    assert user.find(marker='kpi-month-meetings').elements.pop().text == '4'
    assert user.find(marker='kpi-month-revenue').elements.pop().text == f'3{NNBSP}500,50 DZD'
    await user.should_see('Commission : 100,00 DZD')
    await user.should_see('2 clients avec un RDV, un pitch ou une saisie')
    await user.should_see(marker='chart-top-revenue')
    with user.scope(marker='top-meetings'):
        await user.should_see('SARL Premier client')
        await user.should_see('SARL Second client')
    user.find(marker='kpi-month').elements.pop().set_value(1 if today().month != 1 else 2)  # nothing there
    for _ in range(PATIENT):
        if user.find(marker='kpi-month-meetings').elements.pop().text == '0':
            break
        await asyncio.sleep(0.1)
    assert user.find(marker='kpi-month-meetings').elements.pop().text == '0'
    await user.should_see('Aucun CA déclaré ce mois-ci')


async def test_viewers_read_kpis_without_editing(user: User, sqlite_db) -> None:
    admin = make_tenant()
    viewer = make_user(admin, role=Role.VIEWER)
    client = data.client(admin, 'SNC Lecture KPI')
    kpi(admin, client.id, closings=2)
    await sign_in(user, viewer.email)
    await user.open(f'/clients/{client.id}?tab=kpis')
    rows = await kpi_rows(user)
    user.find(marker='client-kpi-table').trigger('rowClick', [{}, rows[0], 0])
    await asyncio.sleep(0.2)
    await user.should_not_see(marker='kpi-save')


async def test_another_tenants_kpis_stay_hidden(user: User, sqlite_db) -> None:
    admin_a = make_tenant('Cabinet A')
    admin_b = make_tenant('Cabinet B')
    secret = data.client(admin_b, 'Client secret de B')
    kpi(admin_b, secret.id, meetings=7, revenue=Decimal('99999'))
    await sign_in(user, admin_a.email)
    await user.open(f'/clients/{secret.id}?tab=kpis')
    await user.should_see('Client introuvable.', retries=PATIENT)
    await user.should_not_see('Client secret de B')
    await user.open('/kpis')
    await user.should_see(marker='kpi-month-meetings', retries=PATIENT)
    assert user.find(marker='kpi-month-meetings').elements.pop().text == '0'
    assert user.find(marker='kpi-month-revenue').elements.pop().text == '0,00 DZD'
    await user.should_not_see('Client secret de B')


async def test_a_meeting_logged_on_the_client_page_is_counted_without_reload(user: User, sqlite_db) -> None:
    admin = make_tenant()
    client = data.client(admin, 'SARL Compteur')
    await sign_in(user, admin.email)
    await user.open(f'/clients/{client.id}')
    user.find(marker='tab-kpis').click()  # a tab reads its data when first opened
    await user.should_see(marker='kpi-total-meetings', retries=PATIENT)
    assert user.find(marker='kpi-total-meetings').elements.pop().text == '0'
    user.find(marker='quick-log').click()
    user.find(marker='quick-log-meeting').click()
    await user.should_see(marker='quick-save', retries=PATIENT)
    user.find(marker='quick-save').click()
    for _ in range(PATIENT):
        if user.find(marker='kpi-total-meetings').elements.pop().text == '1':
            break
        await asyncio.sleep(0.1)
    assert user.find(marker='kpi-total-meetings').elements.pop().text == '1'
    counted = month_of(admin, client.id, today().month)
    assert counted.meetings == 1 and not counted.saved
    with session_scope() as session:
        [logged] = list_interactions(session, admin, InteractionFilter(client_id=client.id), PageRequest()).items
    user.find(marker='tab-activities').click()
    await user.should_see(marker=f'interaction-delete-{logged.id}', retries=PATIENT)
    user.find(marker=f'interaction-delete-{logged.id}').click()
    await user.should_see(marker='confirm-ok', retries=PATIENT)
    user.find(marker='confirm-ok').click()
    for _ in range(PATIENT):
        if user.find(marker='kpi-total-meetings').elements.pop().text == '0':
            break
        await asyncio.sleep(0.1)
    assert user.find(marker='kpi-total-meetings').elements.pop().text == '0'
