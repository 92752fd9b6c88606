"""A stored analysis reads in the reader's language: the built-in analyzer keeps what it found without a language
and it is written out when read; a model's answer keeps the language it was asked in. Each test runs on SQLite
and PostgreSQL."""

import json

from db.models import CaseAnalysis, Note, NoteKind
from db.session import session_scope
from services.ai import analyses
from services.ai.analyses import run_analysis
from services.ai.schema import AnalysisResult, Risk
from services.users import set_own_language
from tests.ai_cases import Scenario, build
from tests.factories import count_rows, load_actor, make_tenant, make_user

OVERDUE = Scenario('overdue', 'fiscal', 'Contrôle fiscal TVA', 'Notification de **redressement** sur la TVA.',
                   notes=((2, 'call', '**Appel** du client : il _conteste_ la [notification](https://dgi.dz).'),),
                   priority='urgent', opened_days_ago=30, due_in=-3)


def _english_colleague(admin):
    colleague = make_user(admin)
    with session_scope() as session:
        set_own_language(session, colleague, 'en')
    return load_actor(colleague.user_id, colleague.tenant_id)


def _stored(analysis_id: int) -> CaseAnalysis:
    with session_scope() as session:
        return session.get(CaseAnalysis, analysis_id)


def test_an_analysis_made_in_french_reads_in_english_for_an_english_reader(db) -> None:
    admin = make_tenant()
    case = build(admin, OVERDUE)
    french = run_analysis(admin, case.id, 'fr')
    reader = _english_colleague(admin)

    with session_scope() as session:
        [english] = analyses.list_analyses(session, reader, case.id)
        [again_french] = analyses.list_analyses(session, admin, case.id, language='fr')

    assert french.summary.startswith('Dossier fiscal') and french.language == 'fr'
    assert english.language == 'en' and english.summary.startswith('Tax case “Contrôle fiscal TVA”')
    assert 'opened 30 days ago' in english.summary and 'Due date passed on' in english.summary
    assert [factor.label for factor in english.risk.factors][:2] == ['Due date passed', 'Urgent priority']
    assert english.risk == french.risk.model_copy(update={'factors': english.risk.factors})  # same score and level
    assert english.next_steps[0].title == 'Agree a new due date with the client and tell them about the delay'
    assert [step.due_date for step in english.next_steps] == [step.due_date for step in french.next_steps]
    assert 'Handle this case first and tell its owner.' in english.recommendations
    assert again_french == french
    stored = json.dumps(_stored(french.id).result, ensure_ascii=False)
    assert 'Dossier' not in stored and 'Tax case' not in stored  # what is stored has no language

    # A model's answer, or an analysis stored before the analyzer kept its findings: text, read as written (the
    # page tells the English reader it is in French).
    with session_scope() as session:
        row = session.get(CaseAnalysis, french.id)
        row.result = AnalysisResult(summary='Dossier fiscal ancien.', risk=Risk(level='low', score=0)).model_dump()
        session.add(row)
    with session_scope() as session:
        [text] = analyses.list_analyses(session, reader, case.id)
    assert (text.summary, text.language) == ('Dossier fiscal ancien.', 'fr')



def test_a_next_step_becomes_one_task_whatever_the_language_of_who_clicks(db) -> None:
    admin = make_tenant()
    case = build(admin, OVERDUE)
    analysis = run_analysis(admin, case.id, 'fr')
    reader = _english_colleague(admin)

    with session_scope() as session:
        english_task = analyses.step_to_task(session, reader, analysis.id, 0)
    with session_scope() as session:
        french_task = analyses.step_to_task(session, admin, analysis.id, 0)

    assert english_task.body == 'Agree a new due date with the client and tell them about the delay'
    assert french_task.id == english_task.id
    assert count_rows(Note, case_id=case.id, kind=NoteKind.TASK) == 1


def test_the_summary_says_when_in_words_and_quotes_notes_without_their_markdown(db) -> None:
    admin = make_tenant()
    case = build(admin, Scenario('fresh', 'legal', 'Bail commercial', 'Le **bailleur** refuse le renouvellement '
                                 'du bail commercial signé en 2019.', opened_days_ago=0, due_in=1))
    french = run_analysis(admin, case.id, 'fr')
    with session_scope() as session:
        [english] = analyses.list_analyses(session, admin, case.id, language='en')

    assert "ouvert aujourd'hui (le " in french.summary and 'il y a aujourd' not in french.summary
    assert "Statut «\u00a0En cours\u00a0» depuis aujourd'hui." in french.summary
    assert ', demain.' in french.summary  # due tomorrow
    assert 'opened today (' in english.summary and 'since today' in english.summary and ', tomorrow.' in english.summary
    assert '«\u00a0Le bailleur refuse' in french.summary and '“Le bailleur refuse' in english.summary
    assert '**' not in french.summary + english.summary
