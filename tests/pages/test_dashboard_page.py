"""The home dashboard: figures first, then the signed-in user's tasks and the cases due this week as lists of
links (drawn in the browser from JSON), each opening its case."""

from datetime import timedelta

from nicegui.testing import User

from db.models import NoteKind
from db.session import session_scope
from services import notes
from services.clock import today
from services.notes import NoteInput
from tests.factories import make_tenant
from tests.pages import data
from tests.pages.helpers import PATIENT, list_items, sign_in


async def test_the_dashboard_lists_my_tasks_and_the_week_due_cases(user: User, sqlite_db) -> None:
    admin = make_tenant()
    client = data.client(admin, 'EURL Atlas')
    due = data.case(admin, client.id, 'Liasse fiscale', due_date=today() + timedelta(days=3))
    data.case(admin, client.id, 'Plus tard', due_date=today() + timedelta(days=30))
    with session_scope() as session:
        task = notes.add_note(session, admin, due.id, NoteInput(body='Appeler le notaire\nAvant midi',
                                                                kind=NoteKind.TASK, due_date=today()))
    await sign_in(user, admin.email)
    await user.open('/')
    await user.should_see(marker='kpi-open-cases', retries=PATIENT)
    tasks = await list_items(user, 'my-tasks-list')
    assert [(i['key'], i['href'], i['title']) for i in tasks] == [(str(task.id), f'/cases/{due.id}',
                                                                   'Appeler le notaire')]
    assert tasks[0]['subtitle'] == f'{due.reference} · Liasse fiscale'
    week = await list_items(user, 'due-this-week-list')
    assert [(i['href'], i['lead'], i['title']) for i in week] == [(f'/cases/{due.id}', due.reference,
                                                                  'Liasse fiscale')]


async def test_an_empty_dashboard_says_so(user: User, sqlite_db) -> None:
    admin = make_tenant()
    await sign_in(user, admin.email)
    await user.open('/')
    await user.should_see(marker='my-tasks-list-empty', retries=PATIENT)
    await user.should_see(marker='due-this-week-list-empty')
    await user.should_see("Aucune tâche ouverte")


async def test_a_first_load_of_the_dashboard_carries_its_figures(user: User, sqlite_db) -> None:
    """The figures go out in the page itself: no widget on the dashboard (the analyses' progress poller, say) may
    make NiceGUI send the page before them."""
    admin = make_tenant()
    await sign_in(user, admin.email)
    response = await user.http_client.get('/')
    assert response.status_code == 200
    assert 'Utilisateurs actifs' in response.text  # a KPI card's label: the skeletons have none


async def test_my_tasks_past_their_due_date_are_marked_late(user: User, sqlite_db) -> None:
    admin = make_tenant()
    case = data.case(admin, data.client(admin, 'EURL Atlas').id, 'Liasse fiscale')
    with session_scope() as session:
        late = notes.add_note(session, admin, case.id, NoteInput(body='Relancer la banque', kind=NoteKind.TASK,
                                                                 due_date=today() - timedelta(days=2)))
        on_time = notes.add_note(session, admin, case.id, NoteInput(body='Appeler le notaire', kind=NoteKind.TASK,
                                                                    due_date=today()))
    await sign_in(user, admin.email)
    tasks = await list_items(user, 'my-tasks-list')
    assert {item['key']: item['late'] for item in tasks} == {str(late.id): 'En retard', str(on_time.id): None}
