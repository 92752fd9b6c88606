"""E-mails, phones and websites as links: `mailto:`, `tel:` in E.164, and websites (https:// added when missing) in
a new tab. The `*_href` functions give the address for a client-side template (a table cell, a list row)."""

import re
from urllib.parse import quote, urlsplit

from nicegui import ui

HOST = re.compile(r'[\w-]+(\.[\w-]+)+', re.UNICODE)  # a domain name: letters, digits and hyphens, dotted
LINK_CLASSES = 'text-primary no-underline hover:underline'


def mailto_href(email: str | None) -> str | None:
    return f'mailto:{quote(email.strip(), safe="@+.")}' if email and email.strip() else None


def tel_href(e164: str | None) -> str | None:
    """`tel:+213555123456` from a number stored in E.164 (spaces and dashes of older data dropped)."""
    digits = re.sub(r'[^\d+]', '', e164 or '')
    return f'tel:{digits}' if len(digits.lstrip('+')) >= 3 else None


def website_href(website: str | None) -> str | None:
    """https:// before an address typed without one; None for anything but an http(s) address of a domain
    (`javascript:…` among others), which is then shown as text."""
    text = (website or '').strip()
    if not text or any(character.isspace() for character in text):
        return None
    url = text if re.match(r'https?://', text, re.IGNORECASE) else f'https://{text}'
    parts = urlsplit(url)
    return url if HOST.fullmatch(parts.hostname or '') and '@' not in parts.netloc else None


def website_text(website: str) -> str:
    """An address as people read it: without its scheme and trailing slash."""
    return re.sub(r'^https?://', '', website.strip(), flags=re.IGNORECASE).rstrip('/')


def email_link(email: str) -> ui.link:
    return ui.link(email, mailto_href(email) or '').classes(f'{LINK_CLASSES} [overflow-wrap:anywhere]') \
        .mark('email-link')


def phone_link(e164: str, text: str) -> ui.link | ui.label:
    href = tel_href(e164)
    if href is None:
        return ui.label(text)
    return ui.link(text, href).classes(f'{LINK_CLASSES} whitespace-nowrap').mark('phone-link')


def website_link(website: str) -> ui.link | ui.label:
    href = website_href(website)
    if href is None:
        return ui.label(website).classes('[overflow-wrap:anywhere]')
    return ui.link(website_text(website), href, new_tab=True).props('rel="noopener noreferrer"') \
        .classes(f'{LINK_CLASSES} [overflow-wrap:anywhere]').mark('website-link')


def contact_line(role: str | None, email: str | None, e164: str | None, phone_text: str) -> ui.element:
    """A person's role, e-mail and phone: on one line with «·» between them, one under the other on phones; the
    e-mail and the phone as links."""
    parts = [part for part in (('role', role), ('email', email), ('phone', e164)) if part[1]]
    with ui.element('div').classes('flex flex-col sm:flex-row sm:items-center sm:gap-x-2 min-w-0') as line:
        for index, (kind, value) in enumerate(parts):
            if index:
                ui.label('·').classes('crm-muted max-sm:hidden')
            if kind == 'email':
                email_link(value).classes('truncate')
            elif kind == 'phone':
                phone_link(value, phone_text)
            else:
                ui.label(value).classes('truncate')
    return line


def link_cell(column: str) -> str:
    """A table cell (`body-cell-<column>` slot) drawing the row's `<column>_href` as a link to its value; the click
    opens the link, not the row."""
    return (f'<q-td :props="props"><a v-if="props.row.{column}_href" :href="props.row.{column}_href" '
            f'class="{LINK_CLASSES}" @click.stop>{{{{ props.value }}}}</a></q-td>')
