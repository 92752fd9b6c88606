"""A real, local OpenAI-compatible chat server for tests: `POST /v1/chat/completions` on 127.0.0.1.

    with FakeLlmServer(mode='good') as server:
        ask_analysis(LlmConfig(server.base_url, 'fake-model'), ...)
        server.requests[0]['json']['messages']

Modes: good, fenced, invalid_json, bad_schema, slow, error500, no_response_format, redirect. `server.answer` (a dict)
replaces the default answer of the good modes; the default copies the first `[PERSONNE_n]` of the request into its
summary. In slow mode each request waits `server.slow_seconds` (or until `server.release()`) before the good answer.
"""

import json
import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

MODES = ('good', 'fenced', 'invalid_json', 'bad_schema', 'slow', 'error500', 'no_response_format', 'redirect')
SLOW_SECONDS = 5.0
_PERSON = re.compile(r'\[PERSONNE_\d+\]')


def default_answer(person: str | None = None) -> dict[str, Any]:
    """A valid `AnalysisResult` as JSON; its summary names `person` (a placeholder) when given."""
    who = person or 'le client'
    return {
        'summary': f'Dossier de {who} : échéance dépassée, relance nécessaire.',
        'risk': {
            'level': 'medium',
            'score': 30,
            'factors': [{'code': 'overdue', 'label': 'Échéance dépassée', 'weight': 30,
                         'evidence': 'Échéance au 2025-01-10, dépassée de 5 jours.'}],
        },
        'recommendations': [f'Relancer {who} par écrit.'],
        'next_steps': [{'title': 'Envoyer une relance', 'due_date': '2025-01-20', 'why': 'Échéance dépassée.'}],
        'legal_references': [{
            'code': 'LOI-18-07',
            'reference': 'Loi n° 18-07 du 10 juin 2018',
            'title': 'Protection des personnes physiques dans le traitement des données à caractère personnel',
            'article': 'Art. 7',
            'why': ['données personnelles'],
            'relevance': 0.8,
        }],
    }


def _first_person(body: dict[str, Any]) -> str | None:
    """The first `[PERSONNE_n]` of the user messages (the system message explains placeholders in general)."""
    messages = body.get('messages')
    texts = [str(message.get('content')) for message in messages if isinstance(message, dict)
             and message.get('role') == 'user'] if isinstance(messages, list) else []
    found = _PERSON.search('\n'.join(texts))
    return found.group() if found else None


class _Handler(BaseHTTPRequestHandler):
    server: '_Server'
    protocol_version = 'HTTP/1.1'

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        raw = self.rfile.read(int(self.headers.get('Content-Length') or 0)).decode()
        try:
            body = json.loads(raw)
        except json.JSONDecodeError:
            body = None
        owner = self.server.owner
        owner.requests.append({'path': self.path, 'headers': {k.lower(): v for k, v in self.headers.items()},
                               'json': body, 'body': raw})
        status, payload = owner.respond(body if isinstance(body, dict) else {})
        if status is None:
            return
        self._send(status, payload, owner.redirect_to if status == 307 else None)

    def _send(self, status: int, payload: dict[str, Any], location: str | None = None) -> None:
        data = json.dumps(payload, ensure_ascii=False).encode()
        try:
            self.send_response(status)
            if location:
                self.send_header('Location', location)
            self.send_header('Content-Type', 'application/json')
            self.send_header('Content-Length', str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    owner: 'FakeLlmServer'

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that gave up (timeout tests) is expected: no traceback on stderr."""


class FakeLlmServer:
    def __init__(self, mode: str = 'good') -> None:
        self.mode = mode
        self.answer: dict[str, Any] | None = None
        self.requests: list[dict[str, Any]] = []
        self.slow_seconds = SLOW_SECONDS
        self.redirect_to = ''
        self._stopping = threading.Event()
        self._released = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        assert self._server is not None, 'the server is not started'
        return f'http://127.0.0.1:{self._server.server_address[1]}/v1'

    def start(self) -> 'FakeLlmServer':
        self._server = _Server(('127.0.0.1', 0), _Handler)
        self._server.owner = self
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={'poll_interval': 0.05},
                                        daemon=True)
        self._thread.start()
        return self

    def release(self) -> None:
        """Let every slow request, waiting or to come, answer now."""
        self._released.set()

    def stop(self) -> None:
        self._stopping.set()
        self._released.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(timeout=2)
            self._server = None

    def __enter__(self) -> 'FakeLlmServer':
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def respond(self, body: dict[str, Any]) -> tuple[int | None, dict[str, Any]]:
        """The status and JSON to send for one request; a None status sends nothing."""
        if self.mode not in MODES:
            return 500, {'error': {'message': f'unknown fake mode {self.mode!r}'}}
        if self.mode == 'error500':
            return 500, {'error': {'message': 'internal error', 'type': 'server_error'}}
        if self.mode == 'no_response_format' and 'response_format' in body:
            return 400, {'error': {'message': 'response_format not supported', 'type': 'invalid_request_error'}}
        if self.mode == 'redirect':
            return 307, {}
        if self.mode == 'slow' and self._released.wait(self.slow_seconds) and self._stopping.is_set():
            return None, {}
        return 200, self._completion(body.get('model') or 'fake-model', self._content(body))

    def _content(self, body: dict[str, Any]) -> str:
        if self.mode == 'invalid_json':
            return 'this is not json'
        if self.mode == 'bad_schema':
            return json.dumps({'summary': 'Il manque le risque.'})
        answer = json.dumps(self.answer if self.answer is not None else default_answer(_first_person(body)),
                            ensure_ascii=False, indent=2)
        return f'```json\n{answer}\n```' if self.mode == 'fenced' else answer

    @staticmethod
    def _completion(model: str, content: str) -> dict[str, Any]:
        return {
            'id': 'chatcmpl-fake',
            'object': 'chat.completion',
            'created': 0,
            'model': model,
            'choices': [{'index': 0, 'message': {'role': 'assistant', 'content': content}, 'finish_reason': 'stop'}],
            'usage': {'prompt_tokens': 0, 'completion_tokens': 0, 'total_tokens': 0},
        }


@pytest.fixture(name='fake_llm')
def fake_llm_fixture() -> Iterator[FakeLlmServer]:
    """`fake_llm`: a started server in 'good' mode; set `.mode` or `.answer` in the test.

    Import `fake_llm_fixture` (not `fake_llm`) so that ruff does not see each test's `fake_llm` argument as a
    redefinition of the import (F811).
    """
    server = FakeLlmServer().start()
    try:
        yield server
    finally:
        server.stop()
