"""Long reads (audits, reports) run in a read-only unit of work that never holds SQLite's write lock."""

from sqlalchemy import func
from sqlmodel import select

from db.models import Client
from db.session import read_scope
from tests.factories import make_client, make_tenant


def test_writers_go_on_while_a_read_only_unit_of_work_is_open(db):
    admin = make_tenant()
    make_client(admin, 'Avant')
    with read_scope() as reader:
        before = reader.exec(select(func.count()).select_from(Client)).one()
        make_client(admin, 'Pendant')  # with BEGIN IMMEDIATE in the reader, this would wait, then fail as locked
    with read_scope() as reader:
        assert reader.exec(select(func.count()).select_from(Client)).one() == before + 1


def test_a_read_only_unit_of_work_keeps_nothing(db):
    admin = make_tenant()
    with read_scope() as session:
        session.add(Client(tenant_id=admin.tenant_id, name='Jamais'))
        session.flush()
    with read_scope() as session:
        assert session.exec(select(Client).where(Client.name == 'Jamais')).first() is None
