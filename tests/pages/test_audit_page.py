"""The audit log speaks the reader's words: every entity and field the services record has a name in both
languages, values of enumerations their labels, and no stored key («demo_contacts», «client_status») shows."""

import ast
import asyncio
from pathlib import Path

from nicegui.testing import User

from db.models import AuditAction, ClientStatus
from db.session import session_scope
from pages.admin.audit_changes import field_key
from services import audit, clients
from services.ai.provider import AiSettingsRead
from services.analytics.settings import AnalyticsSettingsRead
from services.cases import CaseInput
from services.clients import ClientInput
from services.contacts import ContactInput
from services.interactions.schemas import InteractionInput
from services.notes import NoteInput
from services.products import ProductInput
from services.users import set_own_language
from tests.factories import make_client, make_tenant
from tests.pages.helpers import PATIENT, sign_in
from ui.i18n import catalog

SERVICES = Path(__file__).resolve().parents[2] / 'services'
# Entities whose changes are `audit.diff`s of what a form sends: their fields are the form's.
FORMS = {'client': ClientInput, 'case': CaseInput, 'contact': ContactInput, 'product': ProductInput,
         'note': NoteInput, 'interaction': InteractionInput, 'ai_settings': AiSettingsRead,
         'analytics_settings': AnalyticsSettingsRead}
NOT_RECORDED = {'participants', 'metadata', 'idempotency_key', 'version'}  # fields of the forms no entry holds
KPI_FIELDS = ('meetings', 'pitches', 'due_diligences', 'closings', 'revenue_cents', 'commission_bps')


def _recorded() -> tuple[set[str], set[tuple[str, str]]]:
    """The entities of every `audit.record(...)` of the services, and the (entity, field) pairs their changes
    spell out as dictionary literals."""
    entities, fields = set(), set()
    for path in SERVICES.rglob('*.py'):
        for node in ast.walk(ast.parse(path.read_text(encoding='utf-8'))):
            if not isinstance(node, ast.Call) or getattr(node.func, 'attr', '') != 'record':
                continue
            keywords = {keyword.arg: keyword.value for keyword in node.keywords}
            if not isinstance(keywords.get('entity'), ast.Constant):
                continue
            entity = keywords['entity'].value
            entities.add(entity)
            for part in ast.walk(keywords.get('changes', ast.Constant(None))):
                if isinstance(part, ast.Dict):
                    fields |= {(entity, key.value) for key in part.keys if isinstance(key, ast.Constant)}
    return entities, fields


def test_every_audited_entity_and_field_has_a_name() -> None:
    entities, fields = _recorded()
    assert len(entities) > 15 and ('client', 'demo_contacts') in fields
    fields |= {(entity, name) for entity, form in FORMS.items() for name in form.model_fields} - \
        {(entity, name) for entity in FORMS for name in NOT_RECORDED}
    fields |= {('client_kpi', name) for name in KPI_FIELDS} | {('user', 'is_active')}
    assert sorted(entity for entity in entities if f'entity.{entity}' not in catalog('en')) == []
    assert sorted(pair for pair in fields if field_key(*pair) is None) == []


async def _changes(user: User) -> str:
    await user.open('/admin/audit')
    await user.should_see(marker='audit-table', retries=PATIENT)
    table = user.find(marker='audit-table').elements.pop()
    for _ in range(PATIENT):
        if len(table.rows) >= 4:
            break
        await asyncio.sleep(0.1)
    return '\n'.join(f'{row["entity"]} | {row["changes"]}' for row in table.rows)


async def test_the_audit_log_reads_in_the_readers_words(user: User, sqlite_db) -> None:
    admin = make_tenant()
    client = make_client(admin, 'Atlas Négoce')
    with session_scope() as session:
        clients.set_status(session, admin, client.id, ClientStatus.ARCHIVED)
        audit.record(session, None, tenant_id=admin.tenant_id, action=AuditAction.CREATE, entity='client',
                     entity_id=None, changes={'demo_clients': 40, 'demo_contacts': 1605})
        set_own_language(session, admin, 'en')
    await sign_in(user, admin.email)

    english = await _changes(user)
    assert f'Client #{client.id} | Status: Active → Archived' in english
    assert 'Client | Demo clients: 40 · Demo contacts: 1,605' in english
    assert 'Name: Atlas Négoce' in english  # a creation shows the values, not «— → …»
    assert 'demo_' not in english and ' : ' not in english and 'client_status' not in english

    user.find(marker='language-menu').click()
    user.find(marker='language-fr').click()
    french = await _changes(user)
    assert 'Statut : Actif → Archivé' in french
    assert 'Contacts de démonstration : 1\u202f605' in french
