"""User-written markdown shown safely: raw HTML is escaped, dangerous links refused, then DOMPurify on top."""

from markdown_it import MarkdownIt
from nicegui import ui

_renderer = MarkdownIt('commonmark', {'html': False, 'linkify': False, 'breaks': True}).enable('table')


def render_markdown(text: str) -> str:
    return _renderer.render(text or '')


def markdown_view(text: str) -> ui.html:
    return ui.html(render_markdown(text), sanitize=True).classes('crm-markdown max-w-none')
