"""The AI panel read by someone else than who ran the analysis: in the reader's language, markdown shown as such."""

from nicegui.testing import User

from db.session import session_scope
from services.ai.analyses import run_analysis
from services.ai.provider import AiSettingsInput, save_ai_settings
from services.users import set_own_language
from tests.ai_cases import Scenario, build
from tests.factories import make_tenant, make_user
from tests.fake_llm import default_answer, fake_llm_fixture  # noqa: F401
from tests.pages.helpers import PATIENT, sign_in

OVERDUE = Scenario('overdue', 'fiscal', 'Contrôle fiscal TVA', 'Notification de **redressement** sur la TVA.',
                   priority='urgent', opened_days_ago=30, due_in=-3)


def _english_colleague(admin):
    colleague = make_user(admin)
    with session_scope() as session:
        set_own_language(session, colleague, 'en')
    return colleague


async def test_an_analysis_made_in_french_reads_in_english_for_an_english_user(user: User, sqlite_db) -> None:
    admin = make_tenant()
    case = build(admin, OVERDUE)
    run_analysis(admin, case.id, 'fr')
    await sign_in(user, _english_colleague(admin).email)
    await user.open(f'/cases/{case.id}')

    await user.should_see(marker='ai-summary', retries=PATIENT)
    summary = user.find(marker='ai-summary').elements.pop().text
    assert summary.startswith('Tax case “Contrôle fiscal TVA”') and 'opened 30 days ago' in summary
    assert '**' not in summary and 'Dossier' not in summary
    await user.should_see('Due date passed')
    await user.should_see('Urgent priority')
    await user.should_see('Agree a new due date with the client and tell them about the delay')
    await user.should_not_see(marker='ai-written-in')


async def test_a_models_french_answer_says_so_and_shows_its_markdown(user: User, sqlite_db, fake_llm) -> None:
    admin = make_tenant()
    case = build(admin, OVERDUE)
    with session_scope() as session:
        save_ai_settings(session, admin, AiSettingsInput(provider='openai', base_url=fake_llm.base_url,
                                                         model='fake-model', timeout_seconds=5))
    fake_llm.answer = {**default_answer(), 'summary': 'Dossier **prioritaire** : relancer la DGI.'}
    run_analysis(admin, case.id, 'fr')
    await sign_in(user, _english_colleague(admin).email)
    await user.open(f'/cases/{case.id}')

    await user.should_see(marker='ai-written-in', retries=PATIENT)
    await user.should_see('Analysis written in French: run it again to get it in English.')
    summary = user.find(marker='ai-summary').elements.pop()
    assert '<strong>prioritaire</strong>' in summary.content and '**' not in summary.content
