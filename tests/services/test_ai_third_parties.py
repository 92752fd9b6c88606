"""Third parties written in a case (a witness, an opposing party's lawyer, a colleague, another client's contact) do
not reach an external LLM: asserted on the requests a real local server received (tests/fake_llm.py). Each test runs
on SQLite and PostgreSQL."""

import json
import re

import pytest

from db.models import ClientKind, Role
from db.session import session_scope
from services.ai import analyses, known_names, provider
from services.ai.analyses import run_analysis
from services.ai.provider import AiSettingsInput
from services.contacts import ContactInput, create_contact, update_contact
from services.errors import Conflict, Forbidden
from services.notes import NoteInput, add_note
from services.users import insert_user
from tests.factories import PASSWORD, make_case, make_client, make_tenant, make_user
from tests.fake_llm import FakeLlmServer, default_answer, fake_llm_fixture  # noqa: F401

DESCRIPTION = ('Litige commercial : la partie adverse est représentée par Maître Karim Benali. Le témoin Yacine '
               'Saidi a vu la livraison ; audience devant la Cour suprême, à Alger, en janvier.')
NOTES = (
    'Mme Nadia Ferhat (n.ferhat@exemple.dz, 0661 22 33 44) confirme les faits.',
    'Khelifi relira les conclusions avant le dépôt.',  # a colleague: a user of the firm
    'Mansouri a rappelé au sujet du Code civil, article 124, et de la TVA de la SARL.',  # a client that is a person
)
SECRETS = ('Karim', 'Benali', 'Yacine', 'Saidi', 'Nadia', 'Ferhat', 'n.ferhat', 'exemple.dz', '0661', '22 33 44',
           'Khelifi', 'Mansouri', 'Haddad', 'Karima')
KEPT = ('Maître', 'témoin', 'Cour suprême', 'Alger', 'janvier', 'Code civil', 'article 124', 'TVA', 'SARL',
        'Litige commercial')


def _use_llm(admin, server: FakeLlmServer, *, pseudonymize: bool = True) -> None:
    with session_scope() as session:
        provider.save_ai_settings(session, admin, AiSettingsInput(
            provider='openai', base_url=server.base_url, model='fake-model', timeout_seconds=5,
            pseudonymize=pseudonymize))


def _case_with_third_parties(admin):
    """A company client with its contact; elsewhere in the tenant a colleague, a client that is a person and another
    client's contact, all named in the case's text."""
    client = make_client(admin, 'Sarl Atlas Négoce')
    other = make_client(admin, 'Sarl Numidia Conseil')
    make_client(admin, 'Rachid Mansouri', kind=ClientKind.INDIVIDUAL)
    with session_scope() as session:
        create_contact(session, admin, client.id, ContactInput(first_name='Karima', last_name='Haddad'))
        create_contact(session, admin, other.id, ContactInput(first_name='Nadia', last_name='Ferhat'))
        insert_user(session, admin, tenant_id=admin.tenant_id, email='s.khelifi@cabinet.dz', password=PASSWORD,
                    role=Role.AGENT, full_name='Samir Khelifi')
    case = make_case(admin, client.id, 'Livraison contestée', case_type='legal', description=DESCRIPTION)
    with session_scope() as session:
        for body in NOTES:
            add_note(session, admin, case.id, NoteInput(kind='general', body=body))
    return case


def _sent(server: FakeLlmServer, index: int = -1) -> tuple[str, str]:
    """The raw body a request carried, and its messages decoded (the raw body escapes accents)."""
    received = server.requests[index]
    return received['body'], '\n'.join(message['content'] for message in received['json']['messages'])


def _placeholder(text: str, before: str) -> str:
    return re.search(re.escape(before) + r' (\[PERSONNE_\d+\])', text).group(1)


def test_third_parties_in_the_description_and_notes_never_reach_the_llm_and_come_back_in_the_answer(
        db, fake_llm) -> None:
    admin = make_tenant()
    case = _case_with_third_parties(admin)
    _use_llm(admin, fake_llm)
    with session_scope() as session:
        preview = analyses.preview_request(session, admin, case.id, 'fr')
    user = preview.messages[-1].content
    lawyer, witness = _placeholder(user, 'Maître'), _placeholder(user, 'témoin')
    answer = default_answer()
    answer['summary'] = f'Le témoin {witness} contredit {lawyer}.'
    fake_llm.answer = answer

    result = run_analysis(admin, case.id, 'fr')

    raw, messages = _sent(fake_llm)
    for secret in SECRETS:
        assert secret not in raw and secret not in messages, secret
    payload = json.loads(json.loads(raw)['messages'][1]['content'].split('\n', 1)[1])
    for word in KEPT:
        assert word in payload['case']['description'] + ' '.join(note['text'] for note in payload['notes']), word
    assert '[EMAIL_' in messages and '[TEL_' in messages
    assert payload['case']['client'] == '[PERSONNE_1]'  # the client first, its contacts next
    assert result.provider == 'llm' and result.summary == 'Le témoin Yacine Saidi contredit Karim Benali.'
    assert [message.model_dump() for message in preview.messages] == json.loads(raw)['messages']


def test_a_name_the_tenant_learns_is_masked_at_the_next_analysis(db, fake_llm) -> None:
    admin = make_tenant()
    other = make_client(admin, 'Sarl Numidia Conseil')
    case = make_case(admin, make_client(admin, 'Sarl Atlas Négoce').id, 'Cession', description='Zerrouki a signé.')
    _use_llm(admin, fake_llm)
    run_analysis(admin, case.id, 'fr')
    assert 'Zerrouki' in _sent(fake_llm)[1]  # alone at a sentence's start, unknown: any word
    with session_scope() as session:
        contact = create_contact(session, admin, other.id, ContactInput(first_name='Amel', last_name='Zerrouki'))

    run_analysis(admin, case.id, 'fr')
    assert 'Zerrouki' not in _sent(fake_llm)[1]

    with session_scope() as session:
        update_contact(session, admin, contact.id, ContactInput(first_name='Amel', last_name='Bouchama'))
        add_note(session, admin, case.id, NoteInput(kind='general', body='Bouchama a rappelé.'))
    run_analysis(admin, case.id, 'fr')
    assert 'Bouchama' not in _sent(fake_llm)[1]


def test_another_tenants_names_are_not_read(db) -> None:
    mine, theirs = make_tenant(), make_tenant()
    my_client, their_client = make_client(mine, 'Sarl Atlas'), make_client(theirs, 'Sarl Tassili')
    with session_scope() as session:
        create_contact(session, theirs, their_client.id, ContactInput(last_name='Zerrouki'))
        create_contact(session, mine, my_client.id, ContactInput(last_name='Bouchama'))
    known_names.forget()

    with session_scope() as session:
        words = known_names.known_names(session, mine.tenant_id)

    assert 'bouchama' in words and 'zerrouki' not in words


def test_the_preview_sends_nothing_needs_an_external_model_and_a_writer(db, fake_llm) -> None:
    admin = make_tenant()
    viewer = make_user(admin, role=Role.VIEWER)
    case = _case_with_third_parties(admin)
    with session_scope() as session, pytest.raises(Conflict):
        analyses.preview_request(session, admin, case.id, 'fr')
    _use_llm(admin, fake_llm)
    with session_scope() as session, pytest.raises(Forbidden):
        analyses.preview_request(session, viewer, case.id, 'fr')

    with session_scope() as session:
        preview = analyses.preview_request(session, admin, case.id, 'fr')

    assert fake_llm.requests == []
    assert (preview.model, preview.destination, preview.pseudonymize) == \
        ('fake-model', fake_llm.base_url.split('/')[2], True)
    user = preview.messages[-1].content
    assert set(preview.placeholders) == set(re.findall(r'\[(?:PERSONNE|EMAIL|TEL)_\d+\]', user))
    assert preview.placeholders[-2:] == ['[EMAIL_1]', '[TEL_1]']  # people first, then e-mails, then phones
    assert len(preview.placeholders) == 8  # the client, the lawyer, the witness, Nadia Ferhat, Khelifi, Mansouri


def test_without_pseudonymisation_the_preview_shows_the_names(db, fake_llm) -> None:
    admin = make_tenant()
    case = _case_with_third_parties(admin)
    _use_llm(admin, fake_llm, pseudonymize=False)

    with session_scope() as session:
        preview = analyses.preview_request(session, admin, case.id, 'fr')

    assert not preview.pseudonymize and preview.placeholders == []
    assert 'Maître Karim Benali' in preview.messages[-1].content
