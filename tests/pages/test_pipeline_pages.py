"""The pipeline board and its statistics, a client's stage on its page, and Settings › Pipeline."""

import asyncio
from collections.abc import Callable

from nicegui import ui
from nicegui.testing import User

from db.models import Role
from db.session import session_scope
from services.actor import Actor
from services.clients import get_client
from services.pipeline import StageUsage, list_stages, move_client
from services.webhooks import webhook_secret
from tests.factories import make_tenant, make_user
from tests.pages import data
from tests.pages.helpers import PATIENT, Board, sign_in


def stages(actor: Actor) -> dict[str, StageUsage]:
    """The tenant's stages by key (the defaults: prospect_froid … client, perdu)."""
    with session_scope() as session:
        return {stage.key: stage for stage in list_stages(session, actor)}


def stage_of(actor: Actor, client_id: int) -> str | None:
    with session_scope() as session:
        return get_client(session, actor, client_id).stage_name


def labels_in(user: User, marker: str) -> list[str]:
    """The texts of the labels inside the element so marked as it is now (a list redrawn since included)."""
    rows = [e for e in user.client.layout.descendants() if marker in e._markers]
    return [label.text for row in rows for label in row.descendants() if isinstance(label, ui.label)]


async def until(check: Callable[[], bool]) -> None:
    """Wait for a condition on the page (a count that a background refresh updates)."""
    for _ in range(PATIENT):
        if check():
            return
        await asyncio.sleep(0.1)
    assert check()


def counts_are(board: Board, expected: dict[StageUsage, str]) -> Callable[[], bool]:
    return lambda: all(board.count(stage.id) == text for stage, text in expected.items())


# --- the board -----------------------------------------------------------------------------------------------------

async def test_board_shows_every_stage_with_its_count(user: User, sqlite_db) -> None:
    admin = make_tenant()
    first = data.client(admin, 'SARL Atlas Conseil')
    second = data.client(admin, 'EURL Numidia')
    at = stages(admin)
    await sign_in(user, admin.email)
    await user.open('/pipeline')
    board = Board(user, 'pipeline-board')
    await board.shows(first.id)
    assert board.cards(at['prospect_froid'].id) == {first.id, second.id}
    assert [column['title'] for column in board.columns.values()] == \
        ['Prospect froid', 'Prospect tiède', 'Prospect chaud', 'Négociation', 'Client', 'Perdu']
    assert board.count(at['prospect_froid'].id) == '2'
    assert {board.count(stage.id) for key, stage in at.items() if key != 'prospect_froid'} == {'0'}
    assert board.element.props['labels']['empty'] == 'Aucun client à cette étape'
    assert board.card(first.id)['title'] == 'SARL Atlas Conseil'
    assert board.card(first.id)['href'] == f'/clients/{first.id}'


async def test_card_menu_moves_a_client_and_counts_follow(user: User, sqlite_db) -> None:
    admin = make_tenant()
    client = data.client(admin, 'SPA Mouvement')
    data.client(admin, 'SNC Reste')
    at = stages(admin)
    await sign_in(user, admin.email)
    await user.open('/pipeline')
    board = Board(user, 'pipeline-board')
    await board.shows(client.id)
    board.move(client.id, at['negociation'].id)
    await until(counts_are(board, {at['prospect_froid']: '1', at['negociation']: '1'}))
    assert stage_of(admin, client.id) == 'Négociation'
    assert board.cards(at['negociation'].id) == {client.id}


async def test_next_stage_arrow_moves_one_step_forward(user: User, sqlite_db) -> None:
    admin = make_tenant()
    client = data.client(admin, 'EURL Étape suivante')
    at = stages(admin)
    await sign_in(user, admin.email)
    await user.open('/pipeline')
    board = Board(user, 'pipeline-board')
    card = await board.shows(client.id)
    assert card['next'] == str(at['prospect_tiede'].id)
    board.move(client.id, card['next'])  # the arrow emits a move to the next stage
    await until(counts_are(board, {at['prospect_froid']: '0', at['prospect_tiede']: '1'}))
    assert stage_of(admin, client.id) == 'Prospect tiède'
    assert board.card(client.id)['next'] == str(at['prospect_chaud'].id)
    board.move(client.id, board.card(client.id)['next'])  # the refreshed card carries the new version
    await until(counts_are(board, {at['prospect_tiede']: '0', at['prospect_chaud']: '1'}))
    assert stage_of(admin, client.id) == 'Prospect chaud'


async def test_no_next_arrow_at_the_last_forward_stage_nor_when_lost(user: User, sqlite_db) -> None:
    admin = make_tenant()
    at = stages(admin)
    signed = data.client(admin, 'SARL Signée', stage_id=at['client'].id)
    lost = data.client(admin, 'SARL Perdue', stage_id=at['perdu'].id)
    await sign_in(user, admin.email)
    await user.open('/pipeline')
    board = Board(user, 'pipeline-board')
    await board.shows(signed.id)
    assert board.card(signed.id)['next'] is None
    assert board.card(lost.id)['next'] is None


async def test_drag_and_drop_moves_a_card(user: User, sqlite_db) -> None:
    admin = make_tenant()
    client = data.client(admin, 'SNC Glisser')
    at = stages(admin)
    await sign_in(user, admin.email)
    await user.open('/pipeline')
    board = Board(user, 'pipeline-board')
    await board.shows(client.id)
    board.move(client.id, at['client'].id)  # what a drop emits (tests/browser drag for real)
    await until(counts_are(board, {at['prospect_froid']: '0', at['client']: '1'}))
    assert stage_of(admin, client.id) == 'Client'


async def test_board_filters_by_client_type(user: User, sqlite_db) -> None:
    admin = make_tenant()
    institution = data.client(admin, 'Banque Institutionnelle', client_type='Institutionnel')
    adviser = data.client(admin, 'Cabinet CGPI', client_type='CGPI')
    at = stages(admin)
    await sign_in(user, admin.email)
    await user.open('/pipeline')
    board = Board(user, 'pipeline-board')
    await board.shows(adviser.id)
    assert board.count(at['prospect_froid'].id) == '2'
    user.find(marker='pipeline-type').elements.pop().set_value('CGPI')
    await until(counts_are(board, {at['prospect_froid']: '1'}))
    assert board.cards(at['prospect_froid'].id) == {adviser.id}
    user.find(marker='pipeline-type').elements.pop().set_value(None)
    await until(counts_are(board, {at['prospect_froid']: '2'}))
    assert institution.id in board.cards(at['prospect_froid'].id)


async def test_board_shows_another_users_move_without_reload(user: User, sqlite_db) -> None:
    admin = make_tenant()
    colleague = make_user(admin)
    client = data.client(admin, 'SARL Temps réel')
    at = stages(admin)
    await sign_in(user, admin.email)
    await user.open('/pipeline')
    board = Board(user, 'pipeline-board')
    await board.shows(client.id)
    with session_scope() as session:
        move_client(session, colleague, client.id, at['negociation'].id)
    for _ in range(150):  # the board polls every 5 s
        if board.count(at['negociation'].id) == '1':
            break
        await asyncio.sleep(0.1)
    assert board.count(at['negociation'].id) == '1'


# --- statistics ----------------------------------------------------------------------------------------------------

async def test_stats_tab_without_clients_shows_the_empty_state(user: User, sqlite_db) -> None:
    admin = make_tenant()
    await sign_in(user, admin.email)
    await user.open('/pipeline?tab=stats')
    await user.should_see(marker='chart-stages', retries=PATIENT)
    await user.should_see('Aucun mouvement sur la période')
    await user.should_not_see(marker='chart-conversions')
    await user.should_see('0 clients actifs, 0 inactifs (hors archivés)')


async def test_stats_tab_charts_stages_and_conversions(user: User, sqlite_db) -> None:
    admin = make_tenant()
    at = stages(admin)
    moved = data.client(admin, 'SARL Convertie', client_type='CGPI')
    data.client(admin, 'SARL Restée')
    data.client(admin, 'SARL Dormante', status='inactive')
    with session_scope() as session:
        move_client(session, admin, moved.id, at['prospect_tiede'].id)
    await sign_in(user, admin.email)
    await user.open('/pipeline?tab=stats')
    await user.should_see(marker='chart-conversions', retries=PATIENT)
    await user.should_see(marker='chart-stages')
    await user.should_see(marker='chart-types')
    await user.should_see(marker='chart-active')
    bars = user.find(marker='chart-stages').elements.pop().figure['data'][0]
    assert list(bars['y'][:2]) == ['Prospect froid', 'Prospect tiède'] and list(bars['x'][:2]) == [2, 1]
    conversion = user.find(marker='chart-conversions').elements.pop().figure['data'][0]
    assert conversion['y'][0] == 'Prospect froid → Prospect tiède'
    assert conversion['text'][0] == '33% (1/3)'
    await user.should_see('2 clients actifs, 1 inactifs (hors archivés)')
    user.find(marker='stats-period').elements.pop().set_value(30)
    await user.should_see(marker='chart-conversions', retries=PATIENT)


# --- a client's stage on its page ------------------------------------------------------------------------------------

async def test_stage_chip_moves_the_client_and_the_history_follows(user: User, sqlite_db) -> None:
    admin = make_tenant()
    client = data.client(admin, 'SARL Puce')
    await sign_in(user, admin.email)
    await user.open(f'/clients/{client.id}')
    await user.should_see(marker='client-stage-negociation', retries=PATIENT)
    assert user.find(marker='client-stage-chip').elements.pop().text == 'Prospect froid'
    user.find(marker='tab-activities').click()  # the timeline is read when its tab is first opened
    await user.should_see('Entrée dans le pipeline : Prospect froid', retries=PATIENT)
    user.find(marker='client-stage-chip').click()
    user.find(marker='client-stage-negociation').click()
    await user.should_see('Étape : Prospect froid → Négociation', retries=PATIENT)  # in the timeline
    await until(lambda: user.find(marker='client-stage-chip').elements.pop().text == 'Négociation')
    assert stage_of(admin, client.id) == 'Négociation'
    with user.scope(marker='time-in-stages'):
        await user.should_see('Négociation', retries=PATIENT)
        await user.should_see('Prospect froid')
    await user.should_see('Passer à « Client »')


async def test_next_stage_button_moves_forward_then_disappears_once_lost(user: User, sqlite_db) -> None:
    admin = make_tenant()
    client = data.client(admin, 'EURL Suivante')
    await sign_in(user, admin.email)
    await user.open(f'/clients/{client.id}')
    await user.should_see('Passer à « Prospect tiède »', retries=PATIENT)
    user.find(marker='client-next-stage').click()
    await user.should_see('Passer à « Prospect chaud »', retries=PATIENT)
    assert stage_of(admin, client.id) == 'Prospect tiède'
    user.find(marker='tab-activities').click()  # the timeline is read when its tab is first opened
    await user.should_see('Étape : Prospect froid → Prospect tiède', retries=PATIENT)
    with user.scope(marker='time-in-stages'):
        await user.should_see('Prospect tiède', retries=PATIENT)
    user.find(marker='client-stage-perdu').click()
    await user.should_not_see(marker='client-next-stage', retries=PATIENT)
    assert stage_of(admin, client.id) == 'Perdu'
    await user.should_see('Étape : Prospect tiède → Perdu', retries=PATIENT)


# --- read-only users -----------------------------------------------------------------------------------------------

async def test_viewers_cannot_move_cards_nor_stages(user: User, sqlite_db) -> None:
    admin = make_tenant()
    viewer = make_user(admin, role=Role.VIEWER)
    client = data.client(admin, 'SNC Lecture seule')
    at = stages(admin)
    await sign_in(user, viewer.email)
    await user.open('/pipeline')
    board = Board(user, 'pipeline-board')
    await board.shows(client.id)
    assert board.element.props['can-move'] is False  # read-only cards: no drag, no menu, no arrow
    board.move(client.id, at['client'].id)  # a forged move is refused by the server
    await asyncio.sleep(0.3)
    assert stage_of(admin, client.id) == 'Prospect froid'
    assert board.count(at['prospect_froid'].id) == '1'
    await user.open(f'/clients/{client.id}')
    await user.should_see(marker='client-stage-chip', retries=PATIENT)
    await user.should_not_see(marker='client-next-stage')
    await user.should_not_see(marker='client-stage-negociation')


# --- Settings › Pipeline -------------------------------------------------------------------------------------------

async def test_admin_adds_a_stage_before_the_lost_one(user: User, sqlite_db) -> None:
    admin = make_tenant()
    await sign_in(user, admin.email)
    await user.open('/admin/pipeline')
    await user.should_see(marker='stage-prospect_froid', retries=PATIENT)
    user.find(marker='stage-new').type('Rendez-vous pris')
    user.find(marker='stage-add').click()
    await until(lambda: 'Rendez-vous pris' in [stage.name for stage in stages(admin).values()])
    added = next(stage for stage in stages(admin).values() if stage.name == 'Rendez-vous pris')
    await user.should_see(marker=f'stage-{added.key}', retries=PATIENT)  # the new stage in the list
    names = [stage.name for stage in stages(admin).values()]
    assert names[-2:] == ['Rendez-vous pris', 'Perdu']
    assert user.find(marker='stage-new').elements.pop().value == ''
    user.find(marker='stage-new').type('rendez-vous PRIS')
    user.find(marker='stage-add').click()
    await user.should_see("L'étape « rendez-vous PRIS » existe déjà.", retries=PATIENT)
    assert len(stages(admin)) == 7


async def test_admin_renames_and_reorders_stages(user: User, sqlite_db) -> None:
    admin = make_tenant()
    await sign_in(user, admin.email)
    await user.open('/admin/pipeline')
    await user.should_see(marker='rename-stage-negociation', retries=PATIENT)
    user.find(marker='rename-stage-negociation').click()
    await user.should_see(marker='stage-rename', retries=PATIENT)
    user.find(marker='stage-rename').clear().type('Négociation finale')
    user.find(marker='stage-save').click()
    await until(lambda: 'Négociation finale' in labels_in(user, 'stage-negociation'))  # renamed in the list
    assert stages(admin)['negociation'].name == 'Négociation finale'
    await user.should_see(marker='stage-prospect_chaud', retries=PATIENT)
    with user.scope(marker='stage-prospect_chaud'):
        user.find(kind=ui.button, content='arrow_upward').click()
    for _ in range(PATIENT):
        if list(stages(admin))[:3] == ['prospect_froid', 'prospect_chaud', 'prospect_tiede']:
            break
        await asyncio.sleep(0.1)
    assert list(stages(admin)) == ['prospect_froid', 'prospect_chaud', 'prospect_tiede', 'negociation', 'client',
                                   'perdu']
    await user.should_see(marker='stage-client', retries=PATIENT)
    with user.scope(marker='stage-client'):
        user.find(kind=ui.button, content='arrow_downward').click()
    for _ in range(PATIENT):
        if list(stages(admin))[-1] == 'client':
            break
        await asyncio.sleep(0.1)
    assert list(stages(admin))[-2:] == ['perdu', 'client']


async def test_deleting_an_unused_stage_asks_first(user: User, sqlite_db) -> None:
    admin = make_tenant()
    await sign_in(user, admin.email)
    await user.open('/admin/pipeline')
    await user.should_see(marker='delete-stage-prospect_chaud', retries=PATIENT)
    user.find(marker='delete-stage-prospect_chaud').click()
    await user.should_see("Supprimer l'étape « Prospect chaud » ?", retries=PATIENT)
    user.find(marker='confirm-cancel').click()
    await asyncio.sleep(0.2)
    assert 'prospect_chaud' in stages(admin)
    user.find(marker='delete-stage-prospect_chaud').click()
    await user.should_see(marker='confirm-ok', retries=PATIENT)
    user.find(marker='confirm-ok').click()
    await user.should_see('Étape supprimée', retries=PATIENT)
    assert 'prospect_chaud' not in stages(admin)
    await user.should_not_see(marker='stage-prospect_chaud', retries=PATIENT)


async def test_deleting_a_stage_in_use_moves_its_clients_first(user: User, sqlite_db) -> None:
    admin = make_tenant()
    client = data.client(admin, 'SARL À déplacer')
    at = stages(admin)
    await sign_in(user, admin.email)
    await user.open('/admin/pipeline')
    await user.should_see(marker='delete-stage-prospect_froid', retries=PATIENT)
    await user.should_see('1 client(s)')
    user.find(marker='delete-stage-prospect_froid').click()
    await user.should_see(marker='stage-move-to', retries=PATIENT)
    await user.should_see('1 client(s) sont à cette étape. Choisissez où les déplacer ; chaque déplacement est '
                          'enregistré.')
    user.find(marker='stage-move-delete').click()  # nowhere chosen yet: nothing happens
    await asyncio.sleep(0.2)
    assert 'prospect_froid' in stages(admin)
    user.find(marker='stage-move-to').elements.pop().set_value(at['prospect_tiede'].id)
    user.find(marker='stage-move-delete').click()
    await user.should_see('Étape supprimée', retries=PATIENT)
    assert 'prospect_froid' not in stages(admin)
    assert stage_of(admin, client.id) == 'Prospect tiède'
    await user.should_not_see(marker='stage-prospect_froid', retries=PATIENT)


async def test_agents_see_the_forbidden_notice(user: User, sqlite_db) -> None:
    admin = make_tenant()
    agent = make_user(admin)
    await sign_in(user, agent.email)
    await user.open('/admin/pipeline')
    await user.should_see('Réservé aux administrateurs.', retries=PATIENT)
    await user.should_not_see(marker='stage-new')
    await user.should_not_see(marker='webhook-rotate')


async def test_rotating_the_webhook_secret_asks_then_shows_it(user: User, sqlite_db) -> None:
    admin = make_tenant()
    await sign_in(user, admin.email)
    await user.open('/admin/pipeline')
    await user.should_see(marker='webhook-rotate', retries=PATIENT)
    assert user.find(marker='webhook-secret').elements.pop().value == ''
    user.find(marker='webhook-rotate').click()
    await user.should_see('Générer un nouveau secret ?', retries=PATIENT)
    user.find(marker='confirm-cancel').click()
    await asyncio.sleep(0.2)
    with session_scope() as session:
        assert webhook_secret(session, admin) is None
    user.find(marker='webhook-rotate').click()
    await user.should_see(marker='confirm-ok', retries=PATIENT)
    user.find(marker='confirm-ok').click()
    field = user.find(marker='webhook-secret').elements.pop()
    await until(lambda: bool(field.value))  # the new secret, shown
    with session_scope() as session:
        secret = webhook_secret(session, admin)
    assert secret and len(secret) == 64 and field.value == secret
