"""The OpenAI-compatible provider, against a real local HTTP server (tests/fake_llm.py): no mocks."""

import json
import socket
import time
from datetime import date

import pytest

from services.ai import llm
from services.ai.llm import LlmConfig, LlmError, LlmRequest, Pseudonymizer, ask_analysis, build_messages, chat_url
from services.ai.schema import AnalysisResult, LegalReference, Risk, RiskFactor
from tests.fake_llm import FakeLlmServer, default_answer, fake_llm_fixture  # noqa: F401 (the `fake_llm` fixture)

CLIENT = 'Ali Benali'
CONTACT = 'Karima Haddad'
CONTACT_EMAIL = 'k.haddad@sarl-atlas.dz'
CONTACT_PHONE = '0550 12 34 56'
SENSITIVE = [CLIENT, CONTACT, CONTACT_EMAIL, CONTACT_PHONE]
KEY = 'sk-test-0123456789'


def _request(language: str = 'fr') -> LlmRequest:
    draft = AnalysisResult(
        summary=f'Dossier de {CLIENT} : échéance dépassée.',
        risk=Risk(level='medium', score=30, factors=[RiskFactor(code='overdue', label='Échéance dépassée',
                                                                weight=30, evidence='Depuis le 2025-01-10')]),
        recommendations=[f'Appeler {CONTACT} au {CONTACT_PHONE}.'],
    )
    return LlmRequest(
        language=language,
        today=date(2025, 1, 15),
        case={'reference': 'DOS-2025-014', 'title': f'Litige fournisseur {CLIENT}', 'type': 'Contentieux',
              'status': 'open', 'priority': 'high', 'client': {'name': CLIENT, 'email': 'contact@benali.dz'},
              'opened_on': '2024-12-01', 'due_on': '2025-01-10', 'notes_count': 1,
              'description': f'Réunion avec\n{CONTACT} ({CONTACT_EMAIL}, +213 550 12 34 56).\n'
                             'Autre contact : m.amrani@gmail.com, 021 23 45 67. Secteur : Alimentation.'},
        notes=[{'date': '2025-01-05', 'kind': 'call', 'text': 'Appel de ALI BENALI au 0550123456.'}],
        candidates=[LegalReference(code='LOI-18-07', reference='Loi n° 18-07 du 10 juin 2018',
                                   title='Protection des données à caractère personnel', relevance=0.7)],
        draft=draft,
    )


def _config(server: FakeLlmServer, **changes: object) -> LlmConfig:
    return LlmConfig(**{'base_url': server.base_url, 'model': 'fake-model', 'timeout_seconds': 5.0, **changes})


def _ask(server: FakeLlmServer, *, pseudonymize: bool = True, **changes: object) -> AnalysisResult:
    return ask_analysis(_config(server, **changes), _request(), pseudonymize=pseudonymize, sensitive=SENSITIVE)


def _reason(server: FakeLlmServer, **changes: object) -> str:
    with pytest.raises(LlmError) as caught:
        _ask(server, **changes)
    return caught.value.reason


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(('127.0.0.1', 0))
        return probe.getsockname()[1]


# --- ask_analysis -----------------------------------------------------------------------------------------------

def test_a_good_answer_is_validated_and_returned(fake_llm):
    result = _ask(fake_llm)

    assert isinstance(result, AnalysisResult)
    assert result.risk.score == 30 and result.risk.level == 'medium'
    assert result.next_steps[0].due_date == date(2025, 1, 20)
    assert result.legal_references[0].reference == 'Loi n° 18-07 du 10 juin 2018'
    [received] = fake_llm.requests
    assert received['path'] == '/v1/chat/completions'
    assert received['json']['model'] == 'fake-model'
    assert received['json']['temperature'] == 0
    assert received['json']['response_format'] == {'type': 'json_object'}
    assert [message['role'] for message in received['json']['messages']] == ['system', 'user']


def test_a_fenced_answer_is_accepted(fake_llm):
    fake_llm.mode = 'fenced'

    assert _ask(fake_llm).risk.score == 30


@pytest.mark.parametrize(('mode', 'reason'), [
    ('invalid_json', 'ai.llm_invalid_json'),
    ('bad_schema', 'ai.llm_invalid_answer'),
    ('error500', 'ai.llm_http_error'),
])
def test_a_bad_answer_raises_its_reason(fake_llm, mode, reason):
    fake_llm.mode = mode

    assert _reason(fake_llm) == reason


def test_an_http_error_says_its_status_and_never_the_key(fake_llm):
    fake_llm.mode = 'error500'

    with pytest.raises(LlmError) as caught:
        _ask(fake_llm, api_key=KEY)

    assert caught.value.detail == 'HTTP 500'
    assert KEY not in str(caught.value) and KEY not in repr(_config(fake_llm, api_key=KEY))


def test_a_slow_server_times_out_quickly(fake_llm):
    fake_llm.mode = 'slow'
    started = time.perf_counter()

    assert _reason(fake_llm, timeout_seconds=0.5) == 'ai.llm_timeout'
    assert time.perf_counter() - started < 3


def test_a_server_without_response_format_gets_a_second_request_without_it(fake_llm):
    fake_llm.mode = 'no_response_format'

    assert _ask(fake_llm).risk.score == 30
    assert ['response_format' in received['json'] for received in fake_llm.requests] == [True, False]


def test_the_bearer_key_is_sent_only_when_set(fake_llm):
    _ask(fake_llm, api_key=KEY)
    _ask(fake_llm)

    with_key, without_key = fake_llm.requests
    assert with_key['headers']['authorization'] == f'Bearer {KEY}'
    assert 'authorization' not in without_key['headers']


def test_pseudonymised_requests_carry_no_name_email_or_phone_and_the_answer_gets_them_back(fake_llm):
    result = _ask(fake_llm, pseudonymize=True)

    raw = fake_llm.requests[0]['body']
    sent = raw + ''.join(message['content'] for message in fake_llm.requests[0]['json']['messages'])
    for secret in ('Benali', 'BENALI', 'Haddad', 'sarl-atlas', 'benali.dz', 'amrani', 'gmail',
                   '550 12 34 56', '0550123456', '23 45 67'):
        assert secret not in sent
    assert '[PERSONNE_1]' in raw and '[EMAIL_1]' in raw and '[TEL_1]' in raw
    assert 'Alimentation' in raw and 'DOS-2025-014' in raw and '2025-01-10' in raw
    assert result.summary == f'Dossier de {CLIENT} : échéance dépassée, relance nécessaire.'
    assert result.recommendations == [f'Relancer {CLIENT} par écrit.']


def test_without_pseudonymisation_the_name_is_sent(fake_llm):
    result = _ask(fake_llm, pseudonymize=False)

    assert CLIENT in fake_llm.requests[0]['body'] and CONTACT_EMAIL in fake_llm.requests[0]['body']
    assert '[PERSONNE_' not in fake_llm.requests[0]['json']['messages'][1]['content']
    assert result.summary == 'Dossier de le client : échéance dépassée, relance nécessaire.'


def test_the_score_is_the_sum_of_the_weights_at_most_100_and_the_level_follows(fake_llm):
    answer = default_answer()
    answer['risk'] = {'level': 'low', 'score': 130, 'factors': [
        {'code': 'overdue', 'label': 'Échéance dépassée', 'weight': 70},
        {'code': 'silence', 'label': 'Client silencieux', 'weight': 60},
    ]}
    fake_llm.answer = answer

    risk = _ask(fake_llm).risk

    assert (risk.score, risk.level) == (100, 'critical')
    assert [factor.weight for factor in risk.factors] == [70, 60]


def test_an_unreachable_server_is_reported():
    config = LlmConfig(base_url=f'http://127.0.0.1:{_free_port()}/v1', model='m', timeout_seconds=2)

    with pytest.raises(LlmError) as caught:
        ask_analysis(config, _request(), pseudonymize=True, sensitive=SENSITIVE)

    assert caught.value.reason == 'ai.llm_unreachable'


@pytest.mark.parametrize('base_url', ['', 'localhost:11434', 'ftp://example.com/v1', 'http://', 'http://[::1'])
def test_an_invalid_base_url_is_unreachable(base_url):
    with pytest.raises(LlmError) as caught:
        ask_analysis(LlmConfig(base_url=base_url, model='m'), _request(), pseudonymize=True, sensitive=[])

    assert caught.value.reason == 'ai.llm_unreachable'


# --- test_connection ----------------------------------------------------------------------------------------------

def test_test_connection_names_the_model_and_the_latency(fake_llm):
    detail = llm.test_connection(_config(fake_llm))

    assert detail.startswith('fake-model, ') and detail.endswith(' ms')
    assert 'response_format' not in fake_llm.requests[0]['json']


def test_test_connection_reports_an_http_error(fake_llm):
    fake_llm.mode = 'error500'

    with pytest.raises(LlmError) as caught:
        llm.test_connection(_config(fake_llm))

    assert (caught.value.reason, caught.value.detail) == ('ai.llm_http_error', 'HTTP 500')


# --- chat_url and messages ----------------------------------------------------------------------------------------

@pytest.mark.parametrize(('base_url', 'expected'), [
    ('http://localhost:11434/v1', 'http://localhost:11434/v1/chat/completions'),
    ('http://localhost:11434/v1/', 'http://localhost:11434/v1/chat/completions'),
    ('http://localhost:11434', 'http://localhost:11434/v1/chat/completions'),
    ('http://localhost:11434//', 'http://localhost:11434/v1/chat/completions'),
    ('https://api.mistral.ai/v1', 'https://api.mistral.ai/v1/chat/completions'),
    ('http://h:8000/v1/chat/completions', 'http://h:8000/v1/chat/completions'),
    ('http://h:8000/v1/chat/completions/', 'http://h:8000/v1/chat/completions'),
])
def test_chat_url(base_url, expected):
    assert chat_url(base_url) == expected


@pytest.mark.parametrize(('language', 'words'), [('fr', 'UNIQUEMENT'), ('en', 'ONLY')])
def test_the_system_message_speaks_the_language_and_holds_the_schema(language, words):
    system, user = build_messages(_request(language), None)

    assert words in system['content'] and '"legal_references"' in system['content']
    assert '2025-01-15' in system['content']
    payload = json.loads(user['content'].split('\n', 1)[1])
    assert payload['case']['reference'] == 'DOS-2025-014' and payload['draft']['risk']['score'] == 30


# --- Pseudonymizer ------------------------------------------------------------------------------------------------

def test_only_whole_words_are_masked():
    assert Pseudonymizer(['Ali'], find_names=False).mask('Ali, de Alimentation Générale, et Khali.') == \
        '[PERSONNE_1], de Alimentation Générale, et Khali.'


def test_the_same_value_always_gets_the_same_placeholder():
    masker = Pseudonymizer([CLIENT, CONTACT, CONTACT_EMAIL, CONTACT_PHONE])

    masked = masker.mask(f'{CLIENT}, ali  benali, {CONTACT}, {CONTACT_EMAIL.upper()}, {CONTACT_EMAIL}, '
                         '0550123456, +213 550 12 34 56, 00213-550-12-34-56')

    assert masked == '[PERSONNE_1], [PERSONNE_1], [PERSONNE_2], [EMAIL_1], [EMAIL_1], [TEL_1], [TEL_1], [TEL_1]'
    assert masker.mask(CLIENT) == '[PERSONNE_1]'


def test_the_longest_value_wins():
    masker = Pseudonymizer(['Ali', 'Ali Benali'])

    assert masker.mask('Ali Benali et Ali') == '[PERSONNE_2] et [PERSONNE_1]'


def test_stray_emails_and_phones_are_masked_but_not_dates_or_references():
    masker = Pseudonymizer([])

    masked = masker.mask('Écrire à m.amrani@gmail.com ou ALI@Benali.dz ; appeler 0550 12 34 56, +213 661 23 45 67, '
                         '021 23 45 67 ou 0770.11.22.33. Échéance 2025-01-10, le 10/01/2025 ou 10.01.2025 ; '
                         'Loi n° 18-07, décret 05-468, dossier DOS-2025-014, montant 150 000 DA, 12 345 678.')

    assert masked == ('Écrire à [EMAIL_1] ou [EMAIL_2] ; appeler [TEL_1], [TEL_2], [TEL_3] ou [TEL_4]. '
                      'Échéance 2025-01-10, le 10/01/2025 ou 10.01.2025 ; Loi n° 18-07, décret 05-468, '
                      'dossier DOS-2025-014, montant 150 000 DA, 12 345 678.')


def test_a_name_inside_an_email_does_not_break_the_email():
    masker = Pseudonymizer(['Ali'])

    assert masker.mask('ali@example.dz et Ali') == '[EMAIL_1] et [PERSONNE_1]'
    assert masker.unmask('[EMAIL_1] et [PERSONNE_1]') == 'ali@example.dz et Ali'


def test_unmask_restores_what_mask_replaced():
    text = f'{CLIENT} ({CONTACT_EMAIL}, {CONTACT_PHONE}) a écrit à x.y@z.dz depuis le 021 23 45 67.'
    masker = Pseudonymizer(SENSITIVE)

    masked = masker.mask(text)

    assert CLIENT not in masked and 'x.y@z.dz' not in masked
    assert masker.unmask(masked) == text
    assert masker.unmask('[PERSONNE_9] inconnu') == '[PERSONNE_9] inconnu'


def test_unmask_result_restores_every_string():
    masker = Pseudonymizer(SENSITIVE)
    masked = AnalysisResult.model_validate(default_answer(masker.mask(CLIENT)))

    restored = masker.unmask_result(masked)

    assert restored.summary.startswith(f'Dossier de {CLIENT} :')
    assert restored.recommendations == [f'Relancer {CLIENT} par écrit.']
    assert restored.next_steps == masked.next_steps and restored.risk == masked.risk
