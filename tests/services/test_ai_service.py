"""Analyses kept per run, tenant isolation, next steps as tasks, the bulk job, the knowledge base per tenant, the
provider settings and the LLM path against a real local server. Each test runs on SQLite and PostgreSQL."""

import json
from datetime import timedelta

import pytest

from db.models import CaseAnalysis, CaseRisk, LegalText, Note, NoteKind, Role
from db.session import session_scope
from services.ai import analyses, jobs, knowledge_store, provider
from services.ai.analyses import run_analysis
from services.ai.knowledge import default_entries
from services.ai.provider import AiSettingsInput
from services.cases import update_case
from services.clock import today
from services.errors import Conflict, Forbidden, Invalid, NotFound
from services.paging import PageRequest
from tests.ai_cases import Scenario, build
from tests.factories import count_rows, make_case, make_client, make_tenant, make_user
from tests.fake_llm import fake_llm_fixture  # noqa: F401

OVERDUE = Scenario('overdue', 'fiscal', 'Contrôle fiscal TVA', 'Notification de redressement sur la TVA.',
                   opened_days_ago=30, due_in=-3)


def test_each_run_is_kept_and_shows_how_the_risk_moved(db) -> None:
    actor = make_tenant()
    case = make_case(actor, case_type='legal', description='Litige sur un bail commercial.')
    first = run_analysis(actor, case.id, 'fr')
    with session_scope() as session:
        update_case(session, actor, case.id, {'priority': 'urgent', 'due_date': today() + timedelta(days=2)})
    second = run_analysis(actor, case.id, 'fr')

    with session_scope() as session:
        history = analyses.list_analyses(session, actor, case.id)
    assert [item.id for item in history] == [second.id, first.id]
    assert second.previous_score == first.risk.score and second.risk_change == 20 + 25
    assert history[1].previous_score is None
    assert count_rows(CaseAnalysis, case_id=case.id) == 2
    with session_scope() as session:
        assert analyses.risks_of(session, actor.tenant_id, [case.id]) == {case.id: (second.risk.level,
                                                                                   second.risk.score)}


def test_an_empty_case_still_gets_facts_and_a_playbook(db) -> None:
    actor = make_tenant()
    case = make_case(actor, title='Dossier sans texte', case_type='administrative')
    result = run_analysis(actor, case.id, 'fr')
    assert 'ni description ni notes' in result.summary
    assert result.legal_references == []
    assert result.next_steps and all(step.due_date >= today() for step in result.next_steps)
    assert any('Décrire le dossier' in item for item in result.recommendations)


def test_the_analysis_speaks_the_language_asked(db) -> None:
    actor = make_tenant()
    case = build(actor, OVERDUE)
    result = run_analysis(actor, case.id, 'en')
    assert result.summary.startswith('Tax case') and result.language == 'en'
    assert any(factor.label == 'Due date passed' for factor in result.risk.factors)


def test_other_tenants_cases_and_analyses_are_not_found(db) -> None:
    owner, stranger = make_tenant(), make_tenant()
    case = make_case(owner)
    analysis = run_analysis(owner, case.id, 'fr')
    with pytest.raises(NotFound):
        run_analysis(stranger, case.id, 'fr')
    with session_scope() as session, pytest.raises(NotFound):
        analyses.list_analyses(session, stranger, case.id)
    with session_scope() as session, pytest.raises(NotFound):
        analyses.step_to_task(session, stranger, analysis.id, 0)
    with session_scope() as session:
        assert analyses.risks_of(session, stranger.tenant_id, [case.id]) == {}
        assert analyses.cases_at_risk(session, stranger) == []


def test_viewers_read_analyses_but_cannot_run_them(db) -> None:
    admin = make_tenant()
    viewer = make_user(admin, role=Role.VIEWER)
    case = make_case(admin)
    run_analysis(admin, case.id, 'fr')
    with pytest.raises(Forbidden):
        run_analysis(viewer, case.id, 'fr')
    with session_scope() as session:
        assert len(analyses.list_analyses(session, viewer, case.id)) == 1


def test_a_next_step_becomes_a_task_once(db) -> None:
    actor = make_tenant()
    case = build(actor, OVERDUE)
    analysis = run_analysis(actor, case.id, 'fr')
    step = analysis.next_steps[0]
    with session_scope() as session:
        task = analyses.step_to_task(session, actor, analysis.id, 0)
    with session_scope() as session:
        again = analyses.step_to_task(session, actor, analysis.id, 0)
        with pytest.raises(NotFound):
            analyses.step_to_task(session, actor, analysis.id, 99)
    assert (task.kind, task.body, task.due_date, task.done) == (NoteKind.TASK, step.title, step.due_date, False)
    assert again.id == task.id
    assert count_rows(Note, case_id=case.id, kind=NoteKind.TASK) == 1


def test_closed_cases_carry_no_risk_and_take_no_task(db) -> None:
    actor = make_tenant()
    case = build(actor, Scenario('closed', 'legal', 'Litige clos', 'Mise en demeure restée sans effet.',
                                 status='resolved', opened_days_ago=60, due_in=-20))
    analysis = run_analysis(actor, case.id, 'fr')
    assert (analysis.risk.level, analysis.risk.score, analysis.risk.factors) == ('low', 0, [])
    with session_scope() as session:
        update_case(session, actor, case.id, {'status': 'closed'})
    with session_scope() as session, pytest.raises(Invalid):
        analyses.step_to_task(session, actor, analysis.id, 0)


def test_cases_at_risk_are_open_high_or_critical_riskiest_first(db) -> None:
    actor = make_tenant()
    calm = make_case(actor, title='Calme')
    hot = build(actor, Scenario('hot', 'legal', 'Chaud', 'Mise en demeure et assignation reçues.',
                                priority='urgent', opened_days_ago=40, due_in=-10))
    warm = build(actor, Scenario('warm', 'fiscal', 'Tiède', priority='urgent', opened_days_ago=5, due_in=2,
                                 contact_days_ago=1))
    for case in (calm, hot, warm):
        run_analysis(actor, case.id, 'fr')
    with session_scope() as session:
        listed = analyses.cases_at_risk(session, actor)
    assert [row.case_id for row in listed] == [hot.id, warm.id]
    assert [row.level for row in listed] == ['critical', 'high']
    with session_scope() as session:
        update_case(session, actor, hot.id, {'status': 'closed'})
    with session_scope() as session:
        assert [row.case_id for row in analyses.cases_at_risk(session, actor)] == [warm.id]


def test_the_bulk_job_analyses_every_open_case_of_the_tenant(db) -> None:
    manager_admin = make_tenant()
    other = make_tenant()
    client = make_client(manager_admin)
    open_cases = [make_case(manager_admin, client.id, title=f'Ouvert {n}') for n in range(7)]
    closed = make_case(manager_admin, client.id, title='Fermé', status='closed')
    foreign = make_case(other)
    agent = make_user(manager_admin, role=Role.AGENT)
    with session_scope() as session, pytest.raises(Forbidden):
        jobs.start_job(session, agent)

    with session_scope() as session:
        job, new = jobs.start_job(session, manager_admin)
    with session_scope() as session:
        same, again = jobs.start_job(session, manager_admin)
    assert new and not again and same.id == job.id and job.total == 7
    jobs.BATCH_SIZE, saved = 3, jobs.BATCH_SIZE
    try:
        jobs.run_job(job.id, 'fr', session_scope)
    finally:
        jobs.BATCH_SIZE = saved

    with session_scope() as session:
        done = jobs.latest_job(session, manager_admin)
        risks = analyses.risks_of(session, manager_admin.tenant_id, [case.id for case in [*open_cases, closed]])
    assert (done.status, done.done, done.total, done.progress) == ('done', 7, 7, 1.0)
    assert set(risks) == {case.id for case in open_cases}
    assert count_rows(CaseAnalysis, case_id=foreign.id) == 0 and count_rows(CaseRisk, tenant_id=other.tenant_id) == 0
    with session_scope() as session:
        assert jobs.latest_job(session, other) is None


def test_a_cancelled_job_stops_and_a_stopped_server_interrupts_jobs(db) -> None:
    actor, stranger = make_tenant(), make_tenant()
    make_case(actor)
    with session_scope() as session:
        job, _ = jobs.start_job(session, actor)
    for role in (Role.VIEWER, Role.AGENT):  # only who may start a job may stop it
        with session_scope() as session, pytest.raises(Forbidden):
            jobs.cancel_job(session, make_user(actor, role=role), job.id)
    with session_scope() as session:
        assert jobs.latest_job(session, actor).status == 'queued'
    with session_scope() as session:
        assert jobs.cancel_job(session, actor, job.id).status == 'cancelled'
    jobs.run_job(job.id, 'fr', session_scope)
    assert count_rows(CaseAnalysis) == 0
    with session_scope() as session:
        second, new = jobs.start_job(session, actor)
    assert new
    with session_scope() as session:
        assert jobs.mark_interrupted(session) == 1
    with session_scope() as session:
        assert jobs.latest_job(session, actor).status == 'interrupted'
        with pytest.raises(NotFound):
            jobs.cancel_job(session, stranger, second.id)


def test_each_tenant_gets_its_own_editable_copy_of_the_knowledge_base(db) -> None:
    first, second = make_tenant(), make_tenant()
    assert count_rows(LegalText, tenant_id=first.tenant_id) == len(default_entries())
    with session_scope() as session:
        page = knowledge_store.list_legal_texts(session, first, 'travail', PageRequest(limit=50))
        target = page.items[0]
        knowledge_store.delete_legal_text(session, first, target.id)
    with session_scope() as session:
        unaccented = knowledge_store.list_legal_texts(session, first, 'Societes commerciales', PageRequest())
        wildcard = knowledge_store.list_legal_texts(session, first, '%', PageRequest())
    assert [item.code for item in unaccented.items] == ['code-commerce-societes']
    assert wildcard.total == 0
    assert count_rows(LegalText, tenant_id=first.tenant_id) == len(default_entries()) - 1
    assert count_rows(LegalText, tenant_id=second.tenant_id) == len(default_entries())
    with session_scope() as session, pytest.raises(NotFound):
        knowledge_store.get_legal_text(session, first, page.items[1].id + 10**6)


def test_a_new_entry_is_found_by_the_next_analysis(db) -> None:
    actor = make_tenant()
    case = make_case(actor, description='Le client exploite une pépinière de palmiers dattiers à Biskra.')
    assert run_analysis(actor, case.id, 'fr').legal_references == []
    entry = {'code': 'phoeniciculture', 'reference': 'Référence interne n° 1', 'title': 'Palmeraies',
             'covers': 'Exploitation des palmeraies.', 'keywords': ['palmiers dattiers'], 'case_types': []}
    with session_scope() as session:
        knowledge_store.save_legal_text(session, actor, None, entry)
        with pytest.raises(Conflict):
            knowledge_store.save_legal_text(session, actor, None, entry)
    found = run_analysis(actor, case.id, 'fr').legal_references
    assert [(item.code, item.why) for item in found] == [('phoeniciculture', ['palmiers dattiers'])]


def test_a_malformed_import_is_refused_whole_with_the_entry_and_line(db) -> None:
    admin = make_tenant()
    agent = make_user(admin, role=Role.AGENT)
    good = {'code': 'a-b', 'reference': 'Loi n° 1', 'title': 'T', 'covers': 'Un sujet.', 'keywords': ['mot'],
            'case_types': []}
    text = '[\n' + json.dumps(good) + ',\n' + json.dumps({**good, 'code': 'c-d', 'reference': ''}) + '\n]'
    with session_scope() as session, pytest.raises(Invalid) as refused:
        knowledge_store.import_legal_texts(session, admin, text)
    assert refused.value.key == 'error.kb_import_invalid'
    assert (refused.value.params['entry'], refused.value.params['line']) == (2, 3)
    assert count_rows(LegalText, tenant_id=admin.tenant_id) == len(default_entries())

    with session_scope() as session:
        exported = knowledge_store.export_legal_texts(session, admin)
        assert knowledge_store.import_legal_texts(session, admin, exported) == len(default_entries())
        with pytest.raises(Forbidden):
            knowledge_store.import_legal_texts(session, agent, exported)
    with session_scope() as session:
        assert knowledge_store.import_legal_texts(session, admin, '[\n' + json.dumps(good) + '\n]') == 1
    with session_scope() as session:
        assert knowledge_store.reset_legal_texts(session, admin) == len(default_entries())


def test_provider_settings_are_admin_only_checked_and_hide_the_key(db) -> None:
    admin = make_tenant()
    agent = make_user(admin, role=Role.AGENT)
    with session_scope() as session:
        assert provider.get_ai_settings(session, admin).provider == 'builtin'
        assert provider.get_ai_settings(session, admin).pseudonymize is True
        with pytest.raises(Forbidden):
            provider.save_ai_settings(session, agent, AiSettingsInput(provider='openai'))
        with pytest.raises(Invalid):
            provider.save_ai_settings(session, admin, AiSettingsInput(provider='openai', base_url='localhost:11434',
                                                                       model='llama3'))
        with pytest.raises(Invalid):
            provider.save_ai_settings(session, admin, AiSettingsInput(provider='openai',
                                                                       base_url='http://127.0.0.1:1/v1'))
        saved = provider.save_ai_settings(session, admin, AiSettingsInput(
            provider='openai', base_url='http://127.0.0.1:11434/v1/', model='llama3', api_key='sk-secret'))
    assert (saved.base_url, saved.has_api_key, saved.version) == ('http://127.0.0.1:11434/v1', True, 1)
    assert 'sk-secret' not in saved.model_dump_json()
    with session_scope() as session:
        kept = provider.save_ai_settings(session, admin, AiSettingsInput(
            provider='openai', base_url='http://127.0.0.1:11434/v1', model='llama3', api_key=None), 1)
        assert kept.has_api_key
        with pytest.raises(Conflict):
            provider.save_ai_settings(session, admin, AiSettingsInput(), 1)


def _use_llm(admin, server, *, pseudonymize: bool = True, timeout: int = 5) -> None:
    with session_scope() as session:
        provider.save_ai_settings(session, admin, AiSettingsInput(
            provider='openai', base_url=server.base_url, model='fake-model', timeout_seconds=timeout,
            pseudonymize=pseudonymize))


def test_the_llm_answers_without_seeing_client_names(db, fake_llm) -> None:
    admin = make_tenant()
    client = make_client(admin, 'Yacine Boudiaf', email='yacine@atlas.dz', phone='0550 12 34 56')
    case = make_case(admin, client.id, 'Redressement fiscal', case_type='fiscal',
                     description='Yacine Boudiaf (yacine@atlas.dz, 0550 12 34 56) conteste un redressement de TVA.')
    _use_llm(admin, fake_llm)

    result = run_analysis(admin, case.id, 'fr')

    sent = fake_llm.requests[-1]['body']
    assert 'Boudiaf' not in sent and 'yacine@atlas.dz' not in sent and '0550 12 34 56' not in sent
    assert '[PERSONNE_1]' in sent
    assert (result.provider, result.model, result.fallback_reason) == ('llm', 'fake-model', None)
    assert 'Yacine Boudiaf' in result.summary
    assert result.risk.score == sum(factor.weight for factor in result.risk.factors)


def test_without_pseudonymisation_the_llm_sees_the_names(db, fake_llm) -> None:
    admin = make_tenant()
    case = make_case(admin, make_client(admin, 'Yacine Boudiaf').id, 'Dossier', description='Yacine Boudiaf.')
    _use_llm(admin, fake_llm, pseudonymize=False)
    run_analysis(admin, case.id, 'fr')
    assert 'Yacine Boudiaf' in fake_llm.requests[-1]['body']


@pytest.mark.parametrize(('mode', 'reason'), [('invalid_json', 'ai.llm_invalid_json'),
                                              ('error500', 'ai.llm_http_error'), ('slow', 'ai.llm_timeout')])
def test_a_failing_llm_falls_back_to_the_builtin_analysis_and_says_why(db, fake_llm, mode, reason) -> None:
    admin = make_tenant()
    case = build(admin, OVERDUE)
    _use_llm(admin, fake_llm, timeout=1)
    fake_llm.mode = mode

    result = run_analysis(admin, case.id, 'fr')

    assert (result.provider, result.fallback_reason) == ('builtin', reason)
    assert result.risk.factors and any(factor.code == 'overdue' for factor in result.risk.factors)
