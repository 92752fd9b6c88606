import asyncio
import json

from nicegui.elements.upload_files import SmallFileUpload
from nicegui.testing import User

from db.session import session_scope
from services.ai.knowledge_store import list_legal_texts
from services.ai.provider import AiSettingsInput, get_ai_settings, save_ai_settings
from services.paging import PageRequest
from tests.factories import make_tenant, make_user
from tests.fake_llm import FakeLlmServer
from tests.pages.helpers import PATIENT, sign_in, table_rows, until
from tests.pages.test_kpi_pages import open_dialogs

OPENAI = 'Compatible OpenAI (Ollama, vLLM, llama.cpp, OpenAI, Mistral…)'


def _settings(actor):
    with session_scope() as session:
        return get_ai_settings(session, actor)


def _legal_texts(actor, search: str = ''):
    with session_scope() as session:
        return list_legal_texts(session, actor, search, PageRequest(limit=200))


async def _eventually(check) -> None:
    for _ in range(PATIENT):
        if check():
            return
        await asyncio.sleep(0.1)
    assert check()


async def _open(user: User, actor) -> None:
    await sign_in(user, actor.email)
    await user.open('/admin/ai')
    await user.should_see(marker='ai-save', retries=PATIENT)


async def _choose_openai(user: User, url: str, model: str) -> None:
    user.find(OPENAI).click()
    await user.should_see(marker='ai-base-url', retries=PATIENT)
    user.find(marker='ai-base-url').clear().type(url)
    user.find(marker='ai-model').clear().type(model)


async def test_admin_sees_the_built_in_provider_selected(user: User, sqlite_db) -> None:
    admin = make_tenant()
    await _open(user, admin)
    await user.should_see("Fournisseur d'analyse")
    assert user.find(marker='ai-provider').elements.pop().value == 'builtin'
    await user.should_see('Analyseur intégré (hors ligne)')
    await user.should_not_see(marker='ai-base-url')
    await user.should_not_see(marker='ai-test')


async def test_admin_saves_an_openai_compatible_endpoint_and_the_key_is_never_shown(user: User, sqlite_db) -> None:
    admin = make_tenant()
    await _open(user, admin)
    await _choose_openai(user, 'http://localhost:11434/v1/', 'llama3.1')
    user.find(marker='ai-api-key').type('sk-secret-123')
    user.find(marker='ai-save').click()
    await user.should_see(marker='ai-clear-key', retries=PATIENT)  # saved: the key is kept, and can be cleared
    stored = _settings(admin)
    assert (stored.provider, stored.base_url, stored.model) == ('openai', 'http://localhost:11434/v1', 'llama3.1')
    assert stored.has_api_key and stored.pseudonymize and stored.version == 1
    key_field = user.find(marker='ai-api-key').elements.pop()
    assert key_field.value == '' and 'laisser vide pour la garder' in key_field.props['placeholder']
    await user.should_not_see('sk-secret-123')
    user.find(marker='ai-model').clear().type('mistral-small')  # an empty key field keeps the saved key
    user.find(marker='ai-save').click()
    await _eventually(lambda: _settings(admin).version == 2)
    stored = _settings(admin)
    assert stored.model == 'mistral-small' and stored.has_api_key


async def test_an_invalid_url_is_explained_and_nothing_is_saved(user: User, sqlite_db) -> None:
    admin = make_tenant()
    await _open(user, admin)
    await _choose_openai(user, 'localhost:11434', 'llama3.1')
    user.find(marker='ai-save').click()
    await user.should_see('Adresse invalide', retries=PATIENT)
    assert _settings(admin).provider == 'builtin' and _settings(admin).version == 0


async def test_turning_pseudonymisation_off_asks_first(user: User, sqlite_db) -> None:
    admin = make_tenant()
    with session_scope() as session:
        save_ai_settings(session, admin, AiSettingsInput(provider='openai', base_url='http://127.0.0.1:9/v1',
                                                         model='m'))
    await _open(user, admin)
    user.find(marker='ai-pseudonymize').click()
    await user.should_see('Envoyer les données personnelles en clair ?', retries=PATIENT)
    user.find(marker='confirm-cancel').click()
    await user.should_not_see('Envoyer les données personnelles en clair ?', retries=PATIENT)
    assert user.find(marker='ai-pseudonymize').elements.pop().value is True
    user.find(marker='ai-pseudonymize').click()
    await user.should_see(marker='confirm-ok', retries=PATIENT)
    user.find(marker='confirm-ok').click()
    user.find(marker='ai-save').click()
    await until(lambda: _settings(admin).pseudonymize is False)


async def test_testing_the_connection_reports_success_and_failure_without_saving(user: User, sqlite_db) -> None:
    admin = make_tenant()
    await _open(user, admin)
    with FakeLlmServer(mode='good') as server:
        await _choose_openai(user, server.base_url, 'fake-model')
        user.find(marker='ai-test').click()
        await user.should_see('Connexion réussie : fake-model', retries=PATIENT)
        assert len(server.requests) == 1
        server.mode = 'error500'
        user.find(marker='ai-test').click()
        await user.should_see('Échec de la connexion : réponse refusée par le serveur du modèle (HTTP 500).',
                              retries=PATIENT)
    assert _settings(admin).version == 0


async def test_the_knowledge_base_is_listed_and_searched_on_the_server(user: User, sqlite_db) -> None:
    admin = make_tenant()
    await _open(user, admin)
    rows = await table_rows(user, 'kb-table', expect=lambda rows: len(rows) == 20)
    assert {'code', 'reference', 'title', 'article', 'keywords'} <= set(rows[0])
    user.find(marker='kb-search').type('travail')
    rows = await table_rows(user, 'kb-table', expect=lambda rows: 0 < len(rows) < 20)
    assert any('90-11' in row['reference'] for row in rows)
    user.find(marker='kb-search').clear().type('introuvable-xyz')
    await user.should_see(marker='kb-empty', retries=PATIENT)
    await user.should_see('Aucun texte ne correspond à « introuvable-xyz »')


async def test_admin_adds_then_deletes_a_legal_text(user: User, sqlite_db) -> None:
    admin = make_tenant()
    await _open(user, admin)
    await table_rows(user, 'kb-table', expect=bool)
    user.find(marker='kb-add').click()
    await user.should_see(marker='kb-field-code', retries=PATIENT)
    user.find(marker='kb-field-code').type('loi-test-2026')
    user.find(marker='kb-field-reference').type('Loi n° 26-01 relative aux essais')
    user.find(marker='kb-field-title').type('Essais de la page')
    user.find(marker='kb-field-covers').type('Couvre les essais automatisés.')
    user.find(marker='kb-field-keywords').type('essai automatisé, page de réglages\nbase juridique')
    user.find(marker='kb-field-case_types').elements.pop().set_value(['legal', 'fiscal'])
    user.find(marker='kb-entry-save').click()
    await until(lambda: not open_dialogs(user, 'kb-entry-save'))  # saved: the dialog is closed
    [added] = _legal_texts(admin, 'loi-test').items
    assert added.keywords == ['essai automatisé', 'page de réglages', 'base juridique']
    assert added.case_types == ['legal', 'fiscal']
    user.find(marker='kb-search').type('loi-test')
    [row] = await table_rows(user, 'kb-table', expect=lambda rows: len(rows) == 1)
    assert row['code'] == 'loi-test-2026' and row['keywords'] == 3
    user.find(marker='kb-table').trigger('delete_entry', row)
    await user.should_see('Supprimer « loi-test-2026 » ?', retries=PATIENT)
    user.find(marker='confirm-ok').click()
    await user.should_see(marker='kb-empty', retries=PATIENT)
    assert _legal_texts(admin, 'loi-test').total == 0


async def test_a_row_click_opens_the_entry_and_a_duplicate_code_is_refused(user: User, sqlite_db) -> None:
    admin = make_tenant()
    await _open(user, admin)
    rows = await table_rows(user, 'kb-table', expect=lambda rows: len(rows) > 1)
    user.find(marker='kb-table').trigger('rowClick', [{}, rows[1], 1])
    await user.should_see(f'Modifier « {rows[1]["code"]} »', retries=PATIENT)
    user.find(marker='kb-field-code').clear().type(rows[0]['code'])
    user.find(marker='kb-entry-save').click()
    await user.should_see(f'Le code « {rows[0]["code"]} » est déjà utilisé.', retries=PATIENT)


async def test_a_malformed_import_is_refused_whole(user: User, sqlite_db) -> None:
    admin = make_tenant()
    before = _legal_texts(admin).total
    await _open(user, admin)
    await table_rows(user, 'kb-table', expect=bool)
    entry = {'code': 'un', 'reference': 'Loi 1', 'title': 'Un', 'covers': 'Un texte.', 'keywords': ['contrat']}
    broken = {key: value for key, value in entry.items() if key != 'reference'} | {'code': 'deux'}
    user.find(marker='kb-import').click()
    await user.should_see(marker='kb-upload', retries=PATIENT)
    upload = user.find(marker='kb-upload').elements.pop()
    await upload.handle_uploads([SmallFileUpload(name='base.json', content_type='application/json',
                                                 _data=f'[\n{json.dumps(entry)},\n{json.dumps(broken)}\n]'.encode())])
    await user.should_see("l'entrée n° 2 (ligne 3) est invalide : reference", retries=PATIENT)
    await user.should_not_see(marker='confirm-ok')
    assert _legal_texts(admin).total == before


async def test_an_import_replaces_the_base_after_confirmation_and_export_downloads_it(user: User, sqlite_db) -> None:
    admin = make_tenant()
    await _open(user, admin)
    await table_rows(user, 'kb-table', expect=bool)
    entry = {'code': 'seul', 'reference': 'Loi 1', 'title': 'Seul texte', 'covers': 'Un texte.',
             'keywords': ['contrat']}
    user.find(marker='kb-import').click()
    upload = user.find(marker='kb-upload').elements.pop()
    await upload.handle_uploads([SmallFileUpload(name='base.json', content_type='application/json',
                                                 _data=json.dumps([entry]).encode())])
    await user.should_see('Remplacer toute la base juridique ?', retries=PATIENT)
    user.find(marker='confirm-ok').click()
    await table_rows(user, 'kb-table', expect=lambda rows: [row['code'] for row in rows] == ['seul'])
    user.find(marker='kb-export').click()
    exported = await user.download.next(timeout=5)
    assert [item['code'] for item in json.loads(exported.content)] == ['seul']


async def test_an_agent_cannot_open_the_ai_settings(user: User, sqlite_db) -> None:
    admin = make_tenant()
    agent = make_user(admin)
    await sign_in(user, agent.email)
    await user.open('/admin/ai')
    await user.should_see('Réservé aux administrateurs.', retries=PATIENT)
    await user.should_not_see(marker='ai-save')
    await user.should_not_see(marker='kb-table')


async def test_a_changed_address_asks_for_the_key_again_before_anything_is_sent(user: User, sqlite_db) -> None:
    admin = make_tenant()
    with FakeLlmServer() as first, FakeLlmServer() as elsewhere:
        with session_scope() as session:
            save_ai_settings(session, admin, AiSettingsInput(provider='openai', base_url=first.base_url,
                                                             model='fake-model', api_key='sk-for-first'))
        await _open(user, admin)
        user.find(marker='ai-base-url').clear().type(elsewhere.base_url)
        key_field = user.find(marker='ai-api-key').elements.pop()
        assert 'nouvelle adresse' in key_field.props['placeholder']
        user.find(marker='ai-test').click()
        await user.should_see("L'adresse a changé : saisissez à nouveau la clé API", retries=PATIENT)
        assert "L'adresse a changé" in (key_field.error or '')
        user.find(marker='ai-save').click()
        await _eventually(lambda: "L'adresse a changé" in (key_field.error or ''))
        assert elsewhere.requests == [] and first.requests == []
        assert _settings(admin).base_url == first.base_url and _settings(admin).version == 1

        user.find(marker='ai-api-key').type('sk-for-elsewhere')
        user.find(marker='ai-test').click()
        await user.should_see('Connexion réussie : fake-model', retries=PATIENT)
        assert [request['headers']['authorization'] for request in elsewhere.requests] == ['Bearer sk-for-elsewhere']
        assert first.requests == []
