"""The home dashboard's figures: what the tenant holds (clients, active ones, users) and its open cases (by status,
by type, overdue), counted in one query each — on SQLite and PostgreSQL, checked by hand on a small data set."""

from datetime import timedelta

from db.models import CaseStatus, CaseType, ClientStatus, Role
from db.session import session_scope
from services import cases
from services.clock import today
from services.overview import tenant_overview
from tests.factories import make_case, make_client, make_tenant, make_user


def test_the_overview_counts_clients_and_active_users(db):
    admin = make_tenant('Cabinet Atlas')
    other = make_tenant('Autre')
    make_client(admin, 'Amrani', client_type='CGPI', status=ClientStatus.ACTIVE)
    make_client(admin, 'Benali', client_type='CGPI', status=ClientStatus.INACTIVE)
    make_client(admin, 'Cherif', client_type='Entreprise', status=ClientStatus.ACTIVE)
    make_client(admin, 'Djaballah', client_type='Entreprise', status=ClientStatus.ARCHIVED)
    make_client(admin, 'Sans type', status=ClientStatus.INACTIVE)
    make_client(other, 'Ailleurs', client_type='CGPI', status=ClientStatus.ACTIVE)
    make_user(admin, role=Role.AGENT)
    with session_scope() as session:
        overview = tenant_overview(session, admin)
    # the archived client is left out, as the client list leaves it out (tests/services/test_same_figures.py)
    assert (overview.clients, overview.active_clients, overview.archived_clients, overview.users) == (4, 2, 1, 2)


def test_case_counts_are_open_cases_by_status_type_and_lateness(db):
    admin = make_tenant('Cabinet Atlas')
    other = make_tenant('Autre')
    client = make_client(admin).id
    day = today()
    make_case(admin, client, case_type=CaseType.LEGAL, due_date=day - timedelta(days=3))
    make_case(admin, client, case_type=CaseType.LEGAL, due_date=day)
    make_case(admin, client, case_type=CaseType.FISCAL, status=CaseStatus.IN_PROGRESS,
              due_date=day - timedelta(days=1))
    make_case(admin, client, case_type=CaseType.FISCAL, status=CaseStatus.WAITING_CLIENT)
    make_case(admin, client, case_type=CaseType.FISCAL, status=CaseStatus.CLOSED, due_date=day - timedelta(days=9))
    make_case(other, case_type=CaseType.LEGAL, due_date=day - timedelta(days=3))
    with session_scope() as session:
        counts = cases.case_counts(session, admin)
    assert counts['by_status'] == {CaseStatus.NEW: 2, CaseStatus.IN_PROGRESS: 1, CaseStatus.WAITING_CLIENT: 1}
    assert counts['by_type'] == {CaseType.LEGAL: 2, CaseType.FISCAL: 2}  # the closed case is not open
    assert counts['overdue'] == 2  # due before today and still open
    assert (counts['today'], counts['week_end']) == (day, day + timedelta(days=7))
