"""Markdown as the words a reader sees, where plain text is expected (a search suggestion, a quoted sentence):
`**Urgent** : voir [le contrat](https://…)` → `Urgent : voir le contrat`."""

from markdown_it import MarkdownIt
from markdown_it.token import Token

_parser = MarkdownIt('commonmark', {'html': False}).enable(['table', 'strikethrough'])
_BREAKS = {'softbreak': ' ', 'hardbreak': '\n'}


def _inline(children: list[Token]) -> str:
    return ''.join(_BREAKS.get(child.type, child.content) for child in children
                   if child.type in ('text', 'code_inline', 'image', *_BREAKS))


def plain_text(markdown: str | None) -> str:
    """The text of `markdown` without its marks; each block (paragraph, list item, heading, code) on its line."""
    lines = []
    for token in _parser.parse(markdown or ''):
        if token.type == 'inline':
            lines.append(_inline(token.children or []))
        elif token.type in ('code_block', 'fence'):
            lines.append(token.content.strip())
    return '\n'.join(line.strip() for line in lines if line.strip())
