"""The optional OpenAI-compatible LLM provider: the same analysis as the built-in analyzer, asked of a model.

Works with any server speaking `POST …/v1/chat/completions` (Ollama, vLLM, llama.cpp, OpenAI, Mistral). The answer
is validated against `AnalysisResult`; every failure is an `LlmError` whose `reason` is a translation key, so the
caller can fall back to the built-in draft and say why.

Privacy (Loi 18-07): with `pseudonymize=True`, names, e-mails and phone numbers are replaced by placeholders such as
`[PERSONNE_1]` before anything leaves the server, and restored in the answer (see `services.ai.pseudonyms`).
"""

import json
import re
import time
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ValidationError

from services import outgoing
from services.ai.pseudonyms import Pseudonymizer
from services.ai.schema import AnalysisResult, LegalReference, risk_level

TIMEOUT = 'ai.llm_timeout'
UNREACHABLE = 'ai.llm_unreachable'
REFUSED_ADDRESS = 'ai.llm_refused_address'
TOO_LARGE = 'ai.llm_too_large'
KEY_UNREADABLE = 'ai.llm_key_unreadable'
HTTP_ERROR = 'ai.llm_http_error'
INVALID_JSON = 'ai.llm_invalid_json'
INVALID_ANSWER = 'ai.llm_invalid_answer'
_OUTGOING_REASONS = {outgoing.INVALID_URL: UNREACHABLE, outgoing.UNREACHABLE: UNREACHABLE, outgoing.TIMEOUT: TIMEOUT,
                     outgoing.REFUSED_ADDRESS: REFUSED_ADDRESS, outgoing.TOO_LARGE: TOO_LARGE}

CHAT_PATH = '/chat/completions'


@dataclass(frozen=True)
class LlmConfig:
    base_url: str
    model: str
    api_key: str = ''
    timeout_seconds: float = 30.0
    key_unreadable: bool = False  # a key is saved but cannot be decrypted: the model is not asked

    def __repr__(self) -> str:
        """Never shows the API key, so it cannot end up in a log or a traceback."""
        key = '***' if self.api_key else ''
        return (f'LlmConfig(base_url={self.base_url!r}, model={self.model!r}, api_key={key!r}, '
                f'timeout_seconds={self.timeout_seconds!r})')


class LlmError(Exception):
    """`reason` is a translation key (`ai.llm_*`); `detail` a short English technical detail, never the key nor
    anything the server answered; `status` the HTTP status of a refused request."""

    def __init__(self, reason: str, detail: str = '', status: int | None = None) -> None:
        self.reason = reason
        self.detail = detail
        self.status = status
        super().__init__(f'{reason}: {detail}' if detail else reason)


class LlmRequest(BaseModel):
    language: Literal['fr', 'en']
    today: date
    case: dict[str, Any]
    notes: list[dict[str, Any]]
    candidates: list[LegalReference]
    draft: AnalysisResult


# --- Messages ---------------------------------------------------------------------------------------------------

_SYSTEM = {
    'fr': (
        "Tu es l'assistant d'un cabinet de conseil en Algérie. On te donne un dossier client (faits, notes), "
        "des textes juridiques candidats issus de la base de connaissances et une analyse préliminaire (draft). "
        "Produis une meilleure analyse du dossier.\n"
        "Réponds UNIQUEMENT avec un seul objet JSON conforme à ce schéma JSON, sans texte autour :\n{schema}\n"
        "Règles :\n"
        "- risk.score est la somme des poids (weight) des facteurs, au plus 100 ; risk.level : low < 20, "
        "medium < 45, high < 70, critical sinon.\n"
        "- Ne cite que des références présentes dans les candidats, ou des textes algériens dont tu es certain.\n"
        "- Les dates d'échéance (next_steps[].due_date) sont au format ISO AAAA-MM-JJ, à partir de "
        "la date du jour ({today}).\n"
        "- Les marqueurs comme [PERSONNE_1], [EMAIL_1] ou [TEL_1] remplacent des données personnelles : "
        "garde-les tels quels.\n"
        "- Écris en français."
    ),
    'en': (
        "You are the assistant of a consultancy in Algeria. You are given a client case (facts, notes), "
        "candidate legal texts from the knowledge base and a preliminary analysis (draft). "
        "Produce a better analysis of the case.\n"
        "Answer ONLY with one JSON object matching this JSON schema, with no text around it:\n{schema}\n"
        "Rules:\n"
        "- risk.score is the sum of the factor weights, at most 100; risk.level: low < 20, medium < 45, "
        "high < 70, critical otherwise.\n"
        "- Cite only references from the candidates, or Algerian texts you are sure of.\n"
        "- Due dates (next_steps[].due_date) are ISO YYYY-MM-DD, counted from today ({today}).\n"
        "- Markers such as [PERSONNE_1], [EMAIL_1] or [TEL_1] stand for personal data: keep them as they are.\n"
        "- Write in English."
    ),
}
_USER_INTRO = {'fr': 'Dossier à analyser (JSON) :', 'en': 'Case to analyse (JSON):'}


def build_messages(request: LlmRequest, pseudonymizer: Pseudonymizer | None) -> list[dict[str, str]]:
    schema = json.dumps(AnalysisResult.model_json_schema(), ensure_ascii=False)
    system = _SYSTEM[request.language].format(schema=schema, today=request.today.isoformat())
    payload = request.model_dump(mode='json')
    if pseudonymizer is not None:
        # Masking each string, not the JSON text: an escape such as `\nAli` would hide a name from the pattern.
        payload = pseudonymizer.mask_data(payload)
    user = f'{_USER_INTRO[request.language]}\n{json.dumps(payload, ensure_ascii=False)}'
    return [{'role': 'system', 'content': system}, {'role': 'user', 'content': user}]


# --- HTTP -------------------------------------------------------------------------------------------------------

def chat_url(base_url: str) -> str:
    """`http://h:p/v1` and `http://h:p` → `http://h:p/v1/chat/completions`; a full chat URL is kept."""
    base = base_url.strip().rstrip('/')
    if base.endswith(CHAT_PATH):
        return base
    if re.search(r'/v\d+$', base):
        return base + CHAT_PATH
    return base + '/v1' + CHAT_PATH


def _check_config(config: LlmConfig) -> None:
    if config.key_unreadable:
        raise LlmError(KEY_UNREADABLE, 'the saved key cannot be decrypted')
    try:
        outgoing.check_url(config.base_url)
    except outgoing.OutgoingError as error:
        raise LlmError(_OUTGOING_REASONS[error.reason], error.detail) from None


def _headers(config: LlmConfig) -> dict[str, str]:
    headers = {'Content-Type': 'application/json', 'Accept': 'application/json'}
    if config.api_key:
        headers['Authorization'] = f'Bearer {config.api_key}'
    return headers


def _post(config: LlmConfig, body: dict[str, Any]) -> outgoing.Reply:
    """Through services/outgoing.py: address checks, timeouts, no redirects, a size cap, errors without secrets."""
    try:
        return outgoing.request('POST', chat_url(config.base_url), json_body=body, headers=_headers(config),
                                timeout=config.timeout_seconds)
    except outgoing.OutgoingError as error:
        raise LlmError(_OUTGOING_REASONS[error.reason], error.detail) from None


def _raise_for_status(response: outgoing.Reply) -> None:
    if response.status_code >= 300:  # a redirect is not followed: the key stays with the address it was typed for
        raise LlmError(HTTP_ERROR, f'HTTP {response.status_code}', status=response.status_code)


def _rejects_response_format(response: outgoing.Reply) -> bool:
    return response.status_code == 400 and 'response_format' in response.text


def _content(response: outgoing.Reply) -> str:
    try:
        content = response.json()['choices'][0]['message']['content']
    except (ValueError, KeyError, IndexError, TypeError) as error:
        raise LlmError(INVALID_ANSWER, 'no choices[0].message.content in the response') from error
    if not isinstance(content, str):
        raise LlmError(INVALID_ANSWER, 'message content is not text')
    return content


_FENCE = re.compile(r'^\s*```[a-zA-Z]*\s*(.*?)\s*```\s*$', re.DOTALL)
_THINKING = re.compile(r'<think>.*?</think>', re.DOTALL)


def _parse_json(content: str) -> Any:
    text = _THINKING.sub('', content).strip()
    fenced = _FENCE.match(text)
    if fenced:
        text = fenced.group(1)
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        start, end = text.find('{'), text.rfind('}')
        if 0 <= start < end:
            try:
                return json.loads(text[start:end + 1])
            except json.JSONDecodeError:
                pass
    raise LlmError(INVALID_JSON, 'the answer is not JSON')


def _validation_detail(error: ValidationError) -> str:
    first = error.errors()[0]
    where = '.'.join(str(part) for part in first['loc']) or 'answer'
    return f'{where}: {first["msg"]}'[:200]


def _validate(data: Any) -> AnalysisResult:
    if not isinstance(data, dict):
        raise LlmError(INVALID_ANSWER, 'the answer is not a JSON object')
    risk = data.get('risk')
    if isinstance(risk, dict):
        # The score and level are derived from the factors below: whatever the model wrote there is ignored.
        data = {**data, 'risk': {**risk, 'score': 0, 'level': 'low'}}
    try:
        return normalise_risk(AnalysisResult.model_validate(data))
    except ValidationError as error:
        raise LlmError(INVALID_ANSWER, _validation_detail(error)) from error


def normalise_risk(result: AnalysisResult) -> AnalysisResult:
    """Score = sum of the factor weights, at most 100; level from the score."""
    score = min(100, sum(factor.weight for factor in result.risk.factors))
    risk = result.risk.model_copy(update={'score': score, 'level': risk_level(score)})
    return result.model_copy(update={'risk': risk})


def outgoing_messages(request: LlmRequest, *, pseudonymize: bool, sensitive: Iterable[str],
                      known_names: Collection[str] = frozenset()) -> tuple[list[dict[str, str]], Pseudonymizer | None]:
    """The messages as they leave the server, and the pseudonymizer that can put the names back in the answer. The
    one way to build them: `ask_analysis` sends them, the «what will be sent» preview shows them."""
    pseudonymizer = Pseudonymizer(sensitive, known_names) if pseudonymize else None
    return build_messages(request, pseudonymizer), pseudonymizer


def ask_analysis(config: LlmConfig, request: LlmRequest, *, pseudonymize: bool, sensitive: Iterable[str],
                 known_names: Collection[str] = frozenset()) -> AnalysisResult:
    _check_config(config)
    messages, pseudonymizer = outgoing_messages(request, pseudonymize=pseudonymize, sensitive=sensitive,
                                                known_names=known_names)
    body: dict[str, Any] = {'model': config.model, 'messages': messages,
                            'temperature': 0, 'response_format': {'type': 'json_object'}}
    response = _post(config, body)
    if _rejects_response_format(response):
        body.pop('response_format')
        response = _post(config, body)
    _raise_for_status(response)
    result = _validate(_parse_json(_content(response)))
    if pseudonymizer is None:
        return result
    try:
        return pseudonymizer.unmask_result(result)
    except ValidationError as error:
        raise LlmError(INVALID_ANSWER, _validation_detail(error)) from error


def test_connection(config: LlmConfig) -> str:
    """A tiny chat request; returns e.g. `llama3.1, 240 ms`."""
    _check_config(config)
    body = {'model': config.model, 'temperature': 0,
            'messages': [{'role': 'user', 'content': 'Reply with the JSON {"ok": true} and nothing else.'}]}
    started = time.perf_counter()
    response = _post(config, body)
    elapsed_ms = round((time.perf_counter() - started) * 1000)
    _raise_for_status(response)
    _content(response)
    model = response.json().get('model') or config.model
    return f'{model}, {elapsed_ms} ms'


test_connection.__test__ = False  # not a pytest test, despite its name
