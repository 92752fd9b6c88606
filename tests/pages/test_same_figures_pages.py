"""One word, one number, on the screens themselves (issue 14, item 4): the dashboard's «Clients» is the client list's
count, archived clients left out of both; a stage's count in the pipeline settings is its column's on the board; the
analyses say «Clients acheteurs (90 j)», not «Clients actifs»; and every figure carries its definition."""

from nicegui import ui
from nicegui.testing import User

from db.models import ClientStatus
from db.session import session_scope
from services import clients, pipeline
from tests.factories import make_tenant
from tests.pages import data
from tests.pages.helpers import PATIENT, Board, sign_in, table_rows
from tests.pages.test_analytics_pages import kpi_text
from ui.i18n import translate


def _firm():
    """Three active clients, one inactive, two archived."""
    admin = make_tenant('Cabinet Atlas')
    made = [data.client(admin, name, status=status) for name, status in (
        ('Amrani', ClientStatus.ACTIVE), ('Benali', ClientStatus.ACTIVE), ('Cherif', ClientStatus.ACTIVE),
        ('Djaballah', ClientStatus.INACTIVE), ('Easy Import', ClientStatus.ACTIVE), ('Fennec', ClientStatus.ACTIVE))]
    with session_scope() as session:
        for client in made[-2:]:
            clients.set_status(session, admin, client.id, ClientStatus.ARCHIVED)
    return admin, made


def _definitions(user: User) -> set[str]:
    return {element.text for element in user.find(kind=ui.tooltip).elements}


async def test_the_dashboard_counts_the_clients_the_list_shows(user: User, sqlite_db) -> None:
    admin, _ = _firm()
    await sign_in(user, admin.email)
    await user.open('/')
    await kpi_text(user, 'kpi-clients', '4')  # not 6: the two archived clients are left out, as in the list
    assert user.find(marker='kpi-clients-caption').elements.pop().text == 'dont 3 actifs'
    assert translate('figure.clients', 'fr') in _definitions(user)
    await user.open('/clients')
    rows = await table_rows(user, 'clients-table', lambda rows: len(rows) == 4)
    assert user.find(marker='clients-table').elements.pop().pagination['rowsNumber'] == 4
    assert {row['name'] for row in rows} == {'Amrani', 'Benali', 'Cherif', 'Djaballah'}
    await user.open('/analytics')
    await kpi_text(user, 'kpi-total-clients', '4')  # the period ends today: the list's count again


async def test_the_analyses_count_buying_clients_under_their_own_name(user: User, sqlite_db) -> None:
    admin, _ = _firm()
    await sign_in(user, admin.email)
    await user.open('/analytics')
    await kpi_text(user, 'kpi-buying-clients', '0')
    await user.should_see('Clients acheteurs (90 j)')
    await user.should_not_see('Clients actifs')
    assert {translate(f'figure.{key}', 'fr') for key in ('clients_at_period_end', 'buying_clients', 'sales_revenue',
                                                          'average_basket')} <= _definitions(user)


async def test_a_stages_count_in_the_settings_is_its_column_on_the_board(user: User, sqlite_db) -> None:
    admin, made = _firm()  # every client enters the pipeline at its first stage, archived ones too
    with session_scope() as session:
        first = pipeline.list_stages(session, admin)[0]
    await sign_in(user, admin.email)
    await user.open('/pipeline')
    board = Board(user, 'pipeline-board')
    await board.shows(made[0].id)
    assert board.count(first.id) == '4'
    await user.open('/admin/pipeline')
    await user.should_see(marker=f'stage-count-{first.key}', retries=PATIENT)
    assert user.find(marker=f'stage-count-{first.key}').elements.pop().text == '4 client(s), + 2 archivé(s)'
    assert translate('figure.stage_clients', 'fr') in _definitions(user)
