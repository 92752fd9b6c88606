"""E-mails, phones and websites become `mailto:`, `tel:` (E.164) and https links; anything else stays text."""

import pytest

from components.contact_links import mailto_href, tel_href, website_href


def test_mailto_and_tel():
    assert mailto_href('Karim.Haddad+crm@atlas.dz') == 'mailto:Karim.Haddad+crm@atlas.dz'
    assert mailto_href(' ') is None and mailto_href(None) is None
    assert tel_href('+213555123456') == 'tel:+213555123456'
    assert tel_href('+213 555-12 34 56') == 'tel:+213555123456'  # older data, written with spaces
    assert tel_href('') is None and tel_href(None) is None


@pytest.mark.parametrize(('website', 'href'), [
    ('www.atlas.dz', 'https://www.atlas.dz'),
    ('atlas.dz/contact?lang=fr', 'https://atlas.dz/contact?lang=fr'),
    ('http://atlas.dz', 'http://atlas.dz'),
    ('HTTPS://Atlas.dz/', 'HTTPS://Atlas.dz/'),
    ('atlas.dz:8443', 'https://atlas.dz:8443'),
    ('sidi-bel-abbès.dz', 'https://sidi-bel-abbès.dz'),
    ('javascript:alert(1)', None),
    ('javascript://atlas.dz/%0aalert(1)', None),
    ('data:text/html,<script>', None),
    ('ftp://atlas.dz', None),
    ('mailto:contact@atlas.dz', None),
    ('https://user:secret@atlas.dz', None),
    ('atlas dz', None),
    ('localhost', None),
    ('', None),
])
def test_websites_get_https_and_only_http_addresses_are_links(website, href):
    assert website_href(website) == href
