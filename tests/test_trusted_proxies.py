"""Which forwarded headers the app believes: those of the proxies the settings name, and nobody else's."""

import pytest

from settings import reload_settings
from ui.trusted_proxies import apply_forwarded_headers


@pytest.fixture
def proxies(monkeypatch):
    monkeypatch.setenv('CRM_TRUSTED_PROXIES', '10.0.0.5, 192.168.10.0/24')
    reload_settings()
    yield
    monkeypatch.undo()
    reload_settings()


def _scope(peer: str, **headers: str) -> dict:
    return {'type': 'http', 'scheme': 'http', 'client': (peer, 5000),
            'headers': [(name.replace('_', '-').encode(), value.encode()) for name, value in headers.items()]}


def test_an_untrusted_caller_loses_every_forwarded_header(proxies):
    scope = _scope('203.0.113.9', x_forwarded_prefix='/crm', x_forwarded_for='10.0.0.1', x_forwarded_proto='https',
                   host='crm.example.dz')
    apply_forwarded_headers(scope)
    assert scope['headers'] == [(b'host', b'crm.example.dz')]
    assert scope['client'] == ('203.0.113.9', 5000) and scope['scheme'] == 'http'


def test_a_trusted_proxy_gives_the_prefix_the_scheme_and_the_real_caller(proxies):
    scope = _scope('10.0.0.5', x_forwarded_prefix='/crm/', x_forwarded_proto='https',
                   x_forwarded_for='198.51.100.7, 192.168.10.3')
    apply_forwarded_headers(scope)
    assert (b'x-forwarded-prefix', b'/crm') in scope['headers']
    assert scope['scheme'] == 'https'
    assert scope['client'][0] == '198.51.100.7'  # the inner proxy 192.168.10.3 is ours too


def test_a_forged_first_address_does_not_hide_the_real_caller(proxies):
    scope = _scope('10.0.0.5', x_forwarded_for='127.0.0.1, 198.51.100.7')  # the caller wrote «127.0.0.1» itself
    apply_forwarded_headers(scope)
    assert scope['client'][0] == '198.51.100.7'


def test_nobody_is_trusted_by_default():
    reload_settings()
    scope = _scope('127.0.0.1', x_forwarded_prefix='/crm')
    apply_forwarded_headers(scope)
    assert scope['headers'] == []


def test_a_setting_that_is_not_an_address_stops_the_start(monkeypatch):
    monkeypatch.setenv('CRM_TRUSTED_PROXIES', 'nginx.local')
    with pytest.raises(ValueError, match='not an address or network'):
        reload_settings()
    monkeypatch.undo()
    reload_settings()
