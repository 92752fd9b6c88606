"""The guarded client of every outgoing call (services/outgoing.py), against real local sockets: which addresses it
refuses and when, what its errors say and never say, its deadlines, its size cap, and its bounded pool."""

import ipaddress
import logging
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from services import outgoing
from services.ai.llm import HTTP_ERROR, LlmConfig, LlmError, test_connection
from services.errors import Busy
from services.outgoing import AddressGuard, OutgoingError, is_public
from settings import reload_settings
from tests.fake_llm import FakeLlmServer, fake_llm_fixture  # noqa: F401 (the `fake_llm` fixture)

KEY = 'sk-outgoing-secret-0123456789'


@pytest.fixture
def no_allow_list(monkeypatch) -> Iterator[None]:
    """The settings of an installation that allows no local address (the tests' own allow 127.0.0.1)."""
    monkeypatch.setenv('CRM_OUTGOING_ALLOWED_HOSTS', '')
    reload_settings()
    yield
    monkeypatch.undo()
    reload_settings()


@contextmanager
def listener() -> Iterator[socket.socket]:
    """A socket listening on 127.0.0.1 that never accepts: a connection made to it waits in its backlog."""
    with socket.socket() as server:
        server.bind(('127.0.0.1', 0))
        server.listen(8)
        server.settimeout(0.3)
        yield server


def _connected(server: socket.socket) -> bool:
    try:
        connection, _ = server.accept()
    except TimeoutError:
        return False
    connection.close()
    return True


def _reason(url: str, timeout: float = 2.0, **kwargs) -> str:
    with pytest.raises(OutgoingError) as caught:
        outgoing.request('POST', url, timeout=timeout, json_body={}, **kwargs)
    return caught.value.reason


def test_without_the_allow_list_local_addresses_are_refused_before_any_connection(no_allow_list):
    with listener() as server:
        port = server.getsockname()[1]
        for host in ('127.0.0.1', 'localhost', '127.1', '2130706433', '0x7f.0.0.1', '[::ffff:127.0.0.1]',
                     '[::ffff:7f00:1]'):
            assert _reason(f'http://{host}:{port}/v1/chat/completions') == outgoing.REFUSED_ADDRESS, host
        assert not _connected(server)
    for url in ('http://10.0.0.1/v1', 'http://192.168.1.10:11434/v1', 'http://172.16.0.1/v1',
                'http://169.254.169.254/latest/meta-data/', 'http://[::1]:11434/v1', 'http://[fe80::1]/v1',
                'http://[fd00::1]/v1', 'http://0.0.0.0:11434/v1', 'http://[::]/v1', 'http://224.0.0.1/v1',
                'http://100.64.0.1/v1', 'http://[64:ff9b::a00:1]/v1', 'http://[2002:a00:1::]/v1'):
        started = time.perf_counter()
        assert _reason(url) == outgoing.REFUSED_ADDRESS, url
        assert time.perf_counter() - started < 1, url  # refused on sight, not after a connection attempt


def test_the_allow_list_lets_the_listed_address_through():
    """The tests' settings allow 127.0.0.1 (tests/conftest.py): the same call as above connects."""
    with listener() as server:
        assert _reason(f'http://127.0.0.1:{server.getsockname()[1]}/v1', timeout=0.5) == outgoing.TIMEOUT
        assert _connected(server)


@pytest.mark.parametrize(('address', 'public'), [
    ('8.8.8.8', True), ('2a00:1450:4007:80e::200e', True), ('::ffff:8.8.8.8', True),
    ('10.1.2.3', False), ('127.0.0.1', False), ('169.254.169.254', False), ('100.64.0.1', False),
    ('0.0.0.0', False), ('255.255.255.255', False), ('240.0.0.1', False), ('224.0.0.251', False),
    ('192.0.2.1', False), ('::1', False), ('::', False), ('fe80::1', False), ('fc00::1', False), ('ff02::1', False),
    ('::ffff:10.0.0.1', False), ('64:ff9b::7f00:1', False), ('2002:7f00:1::', False),
    ('2001:0:4136:e378:8000:63bf:80ff:fffe', False),  # Teredo, whose client is 127.0.0.1
])
def test_public_addresses(address, public):
    assert is_public(ipaddress.ip_address(address)) is public


def test_the_allow_list_holds_names_wildcards_and_networks():
    guard = AddressGuard.from_list(['10.20.0.0/16', 'llm.intranet', '*.corp.dz', '127.0.0.1'])

    assert guard.allows(ipaddress.ip_address('10.20.9.9')) and not guard.allows(ipaddress.ip_address('10.21.0.1'))
    assert guard.allows(ipaddress.ip_address('::ffff:10.20.0.5')) and guard.allows(ipaddress.ip_address('127.0.0.1'))
    assert not guard.allows(ipaddress.ip_address('::1'))
    assert guard.allows_name('LLM.intranet.') and guard.allows_name('gpu.corp.dz')
    assert not guard.allows_name('corp.dz') and not guard.allows_name('llm.intranet.evil.dz')


@pytest.mark.parametrize('url', ['ftp://example.com/v1', 'http://', 'http://[::1', 'http://user:pw@example.com/v1',
                                 'file:///etc/passwd', 'http://example.com:99999/v1'])
def test_only_http_urls_with_a_host_and_no_credentials_are_called(url):
    assert _reason(url) == outgoing.INVALID_URL


def _serve_once(reply: bytes, *, trickle: float = 0.0) -> tuple[int, threading.Thread]:
    """A raw TCP server on 127.0.0.1 that reads a request and sends `reply` (a byte at a time when trickling)."""
    server = socket.socket()
    server.bind(('127.0.0.1', 0))
    server.listen(1)

    def serve() -> None:
        with server:
            connection, _ = server.accept()
            with connection:
                connection.recv(65536)
                try:
                    for index in range(len(reply)) if trickle else [None]:
                        connection.sendall(reply if index is None else reply[index:index + 1])
                        time.sleep(trickle)
                except OSError:
                    pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    return server.getsockname()[1], thread


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(('127.0.0.1', 0))
        return probe.getsockname()[1]


def test_closed_ports_and_non_http_services_read_the_same_and_echo_nothing(caplog):
    caplog.set_level(logging.DEBUG)
    closed = f'http://127.0.0.1:{_free_port()}/v1'
    port, thread = _serve_once(b'SSH-2.0-OpenSSH_9.6 secret-banner\r\n')

    reasons = {_reason(closed, headers={'Authorization': f'Bearer {KEY}'}),
               _reason(f'http://127.0.0.1:{port}/v1', headers={'Authorization': f'Bearer {KEY}'})}

    thread.join(timeout=5)
    assert reasons == {outgoing.UNREACHABLE}
    assert 'outgoing call to http://127.0.0.1 failed' in caplog.text
    assert KEY not in caplog.text and 'secret-banner' not in caplog.text


def test_the_total_deadline_holds_against_a_server_that_trickles():
    answer = b'HTTP/1.1 200 OK\r\nContent-Length: 400\r\n\r\n' + b'x' * 400
    port, thread = _serve_once(answer, trickle=0.02)
    started = time.perf_counter()

    assert _reason(f'http://127.0.0.1:{port}/v1', timeout=1.0) == outgoing.TIMEOUT
    assert time.perf_counter() - started < 3
    thread.join(timeout=15)


def test_a_huge_answer_is_refused(fake_llm):
    fake_llm.answer = {'summary': 'x' * (outgoing.MAX_RESPONSE_BYTES + 10)}

    assert _reason(fake_llm.base_url + '/chat/completions', timeout=10) == outgoing.TOO_LARGE


def test_a_redirect_is_not_followed_so_the_key_never_reaches_another_address(fake_llm):
    with FakeLlmServer() as elsewhere:
        fake_llm.mode, fake_llm.redirect_to = 'redirect', elsewhere.base_url + '/chat/completions'

        with pytest.raises(LlmError) as caught:
            test_connection(LlmConfig(fake_llm.base_url, 'fake-model', api_key=KEY, timeout_seconds=5))

        assert (caught.value.reason, caught.value.status) == (HTTP_ERROR, 307)
        assert elsewhere.requests == []
    assert fake_llm.requests[0]['headers']['authorization'] == f'Bearer {KEY}'


def test_an_error_answer_is_never_echoed(fake_llm):
    fake_llm.mode = 'error500'

    with pytest.raises(LlmError) as caught:
        test_connection(LlmConfig(fake_llm.base_url, 'fake-model', api_key=KEY, timeout_seconds=5))

    assert 'internal error' not in str(caught.value) and KEY not in str(caught.value)
    assert caught.value.status == 500


def test_the_pool_refuses_work_beyond_its_workers_at_once_and_frees_slots_when_calls_end():
    pool = outgoing.BoundedPool(2)
    gate = threading.Event()
    try:
        running = [pool.submit(gate.wait, 10) for _ in range(2)]
        started = time.perf_counter()
        with pytest.raises(Busy) as caught:
            pool.submit(gate.wait, 10)
        assert time.perf_counter() - started < 0.5
        assert (caught.value.status_code, caught.value.key, caught.value.retry_after) == \
            (503, 'error.outgoing_busy', outgoing.RETRY_AFTER_SECONDS)
        gate.set()
        assert [future.result(timeout=5) for future in running] == [True, True]
        assert pool.submit(lambda: 'again').result(timeout=5) == 'again'
    finally:
        gate.set()
        pool.shutdown()
