"""Business data for page tests, built through the services."""

from db.session import session_scope
from services.actor import Actor
from services.cases import CaseInput, CaseRead, create_case
from services.clients import ClientInput, ClientRead, create_client


def client(actor: Actor, name: str, **fields) -> ClientRead:
    with session_scope() as session:
        return create_client(session, actor, ClientInput(name=name, **fields))


def case(actor: Actor, client_id: int, title: str, **fields) -> CaseRead:
    with session_scope() as session:
        return create_case(session, actor, CaseInput(title=title, client_id=client_id, **fields))
