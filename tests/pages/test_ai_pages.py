"""The AI panel of a case, the risk badges, the dashboard's cases at risk and «analyse all», with the `user`
fixture."""

import asyncio
import html
import re

from nicegui.testing import User

from db.models import NoteKind, Role
from db.session import session_scope
from services.ai import analyses, jobs
from services.ai.analyses import run_analysis
from services.ai.provider import AiSettingsInput, save_ai_settings
from services.cases import update_case
from services.notes import list_notes
from tests.ai_cases import Scenario, build
from tests.factories import make_case, make_client, make_tenant, make_user
from tests.fake_llm import fake_llm_fixture  # noqa: F401
from tests.pages.helpers import PATIENT, sign_in, table_rows

AT_RISK = Scenario('at-risk', 'fiscal', 'Redressement TVA 2024',
                   'Notification de redressement sur la TVA collectée ; mise en demeure de payer les pénalités.',
                   status='waiting_client', priority='high', opened_days_ago=40, status_days_ago=25, due_in=3)


async def test_run_an_analysis_and_turn_a_next_step_into_a_task(user: User, sqlite_db) -> None:
    admin = make_tenant()
    case = build(admin, AT_RISK)
    await sign_in(user, admin.email)
    await user.open(f'/cases/{case.id}')
    await user.should_see('Aucune analyse pour ce dossier', retries=PATIENT)

    user.find(marker='ai-run').click()

    await user.should_see(marker='ai-summary', retries=PATIENT)
    await user.should_see('Critique · ', retries=PATIENT)
    await user.should_see('Échéance proche')
    await user.should_see('Code des procédures fiscales')
    await user.should_see("Code des taxes sur le chiffre d'affaires")
    with session_scope() as session:
        [analysis] = analyses.list_analyses(session, admin, case.id)
    first_step = analysis.next_steps[0]
    user.find(marker='ai-step-task-0').click()
    await user.should_see('Tâche créée', retries=PATIENT)
    with session_scope() as session:
        tasks = [note for note in list_notes(session, admin, case.id) if note.kind == NoteKind.TASK]
    assert [(task.body, task.due_date) for task in tasks] == [(first_step.title, first_step.due_date)]
    await user.should_see(marker=f'note-{tasks[0].id}', retries=PATIENT)


async def test_a_second_run_shows_how_the_risk_moved_and_the_previous_runs(user: User, sqlite_db) -> None:
    admin = make_tenant()
    case = make_case(admin, description='Consultation sur un bail.')
    run_analysis(admin, case.id, 'fr')
    with session_scope() as session:
        update_case(session, admin, case.id, {'priority': 'urgent'})
    await sign_in(user, admin.email)
    await user.open(f'/cases/{case.id}')
    await user.should_see(marker='ai-latest', retries=PATIENT)
    user.find(marker='ai-run').click()
    await user.should_see('+20 depuis la précédente', retries=PATIENT)
    await user.should_see('Analyses précédentes (1)')


async def test_a_case_without_text_gets_no_invented_reference(user: User, sqlite_db) -> None:
    admin = make_tenant()
    case = make_case(admin, title='Dossier vide')
    await sign_in(user, admin.email)
    await user.open(f'/cases/{case.id}')
    await user.should_see(marker='ai-run', retries=PATIENT)
    user.find(marker='ai-run').click()
    await user.should_see(marker='ai-no-references', retries=PATIENT)
    await user.should_see("Le dossier n'a ni description ni notes", retries=PATIENT)


async def test_viewers_read_the_analysis_but_cannot_run_it(user: User, sqlite_db) -> None:
    admin = make_tenant()
    viewer = make_user(admin, role=Role.VIEWER)
    case = build(admin, AT_RISK)
    run_analysis(admin, case.id, 'fr')
    await sign_in(user, viewer.email)
    await user.open(f'/cases/{case.id}')
    await user.should_see(marker='ai-summary', retries=PATIENT)
    assert not user.find(marker='ai-run').elements.pop().enabled
    await user.should_not_see(marker='ai-step-task-0')


async def test_risk_badges_on_the_case_list_and_the_dashboard_list(user: User, sqlite_db) -> None:
    admin = make_tenant()
    risky = build(admin, AT_RISK)
    calm = make_case(admin, title='Dossier calme')
    run_analysis(admin, risky.id, 'fr')
    run_analysis(admin, calm.id, 'fr')
    await sign_in(user, admin.email)
    await user.open('/cases')
    rows = await table_rows(user, 'cases-table', lambda rows: len(rows) == 2)
    by_title = {row['title']: row for row in rows}
    assert by_title['Redressement TVA 2024']['risk_level'] == 'critical'
    assert by_title['Dossier calme']['risk'].startswith('Faible · ')
    await user.open('/')
    await user.should_see(marker=f'at-risk-{risky.id}', retries=PATIENT)
    await user.should_not_see(marker=f'at-risk-{calm.id}')


async def test_a_manager_analyses_all_open_cases_in_the_background(user: User, sqlite_db) -> None:
    admin = make_tenant()
    manager = make_user(admin, role=Role.MANAGER)
    risky = build(admin, AT_RISK)
    for n in range(4):
        make_case(admin, title=f'Dossier {n}')
    await sign_in(user, manager.email)
    await user.open('/')
    await user.should_see(marker='at-risk-empty', retries=PATIENT)
    await user.should_see(marker='analyse-all-start', retries=PATIENT)  # the button comes after the list
    user.find(marker='analyse-all-start').click()
    await user.should_see(marker='analyse-all-last', retries=PATIENT * 3)
    await user.should_see('5 dossiers analysés', retries=PATIENT)
    await user.should_see(marker=f'at-risk-{risky.id}', retries=PATIENT)
    with session_scope() as session:
        job = jobs.latest_job(session, manager)
    assert (job.status, job.done) == ('done', 5)


async def test_agents_see_no_analyse_all_button(user: User, sqlite_db) -> None:
    admin = make_tenant()
    agent = make_user(admin, role=Role.AGENT)
    await sign_in(user, agent.email)
    await user.open('/')
    await user.should_see(marker='at-risk-empty', retries=PATIENT)
    await asyncio.sleep(0.2)
    await user.should_not_see(marker='analyse-all-start')


async def test_the_panel_says_when_the_configured_model_failed(user: User, sqlite_db, fake_llm) -> None:
    admin = make_tenant()
    case = build(admin, AT_RISK)
    with session_scope() as session:
        save_ai_settings(session, admin, AiSettingsInput(provider='openai', base_url=fake_llm.base_url,
                                                         model='fake-model', timeout_seconds=2))
    await sign_in(user, admin.email)
    await user.open(f'/cases/{case.id}')
    await user.should_see(marker='ai-run', retries=PATIENT)
    user.find(marker='ai-run').click()
    await user.should_see('modèle fake-model', retries=PATIENT)
    await user.should_not_see(marker='ai-fallback')

    fake_llm.mode = 'error500'
    user.find(marker='ai-run').click()
    await user.should_see(marker='ai-fallback', retries=PATIENT)
    await user.should_see('le serveur du modèle a renvoyé une erreur', retries=PATIENT)
    await user.should_see('Échéance proche')


async def test_the_preview_shows_what_would_be_sent_with_placeholders_and_not_the_names(
        user: User, sqlite_db, fake_llm) -> None:
    admin = make_tenant()
    case = make_case(admin, make_client(admin, 'Sarl Atlas Négoce').id, 'Livraison contestée',
                     description='Le témoin Yacine Saidi contredit Maître Karim Benali (k.benali@avocats.dz) '
                                 'devant la Cour suprême.')
    await sign_in(user, admin.email)
    await user.open(f'/cases/{case.id}')
    await user.should_see(marker='ai-run', retries=PATIENT)
    await asyncio.sleep(0.2)
    await user.should_not_see(marker='ai-preview')  # the built-in analyzer: nothing leaves the server
    with session_scope() as session:
        save_ai_settings(session, admin, AiSettingsInput(provider='openai', base_url=fake_llm.base_url,
                                                         model='fake-model', timeout_seconds=2))

    await user.open(f'/cases/{case.id}')
    await user.should_see('Voir ce qui sera envoyé', retries=PATIENT)
    user.find(marker='ai-preview').click()

    await user.should_see(marker='ai-preview-dialog', retries=PATIENT)
    with user.scope(marker='ai-preview-dialog'):
        await user.should_see('Ce qui sera envoyé au modèle')
        await user.should_see('Modèle fake-model sur 127.0.0.1:')
        await user.should_see('Pseudonymisation active')
        await user.should_see(marker='ai-preview-user')
        shown = user.find(marker='ai-preview-user').elements.pop().content
        assert '<mark class="crm-placeholder">[PERSONNE_' in shown  # highlighted
        text = html.unescape(re.sub(r'<[^>]+>', '', shown))
        for placeholder in ('témoin [PERSONNE_', 'Maître [PERSONNE_', '[EMAIL_1]', 'Cour suprême'):
            assert placeholder in text, placeholder
        for name in ('Saidi', 'Benali', 'Yacine', 'Karim', 'avocats.dz', 'Atlas'):
            await user.should_not_see(name)
    assert fake_llm.requests == []
    dialog = user.find(marker='ai-preview-dialog').elements.pop().parent_slot.parent
    user.find(marker='ai-preview-close').click()
    assert dialog.value is False
