"""The legal knowledge base: texts of Algerian law and tax that a case can be pointed to.

A default base is bundled (`knowledge_base.json`); an administrator can export it, edit it and import it back. An
import is checked as a whole: the first problem refuses it, with the entry and the line where it is.
"""

import json
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from services.ai import french
from services.errors import Invalid
from services.text import fold

CaseType = Literal['legal', 'fiscal', 'administrative', 'business', 'other']
MAX_IMPORT_ENTRIES = 2000
_BUNDLED = Path(__file__).with_name('knowledge_base.json')
_JSON_WHITESPACE = ' \t\n\r'


class LegalEntry(BaseModel):
    model_config = ConfigDict(frozen=True, extra='forbid', str_strip_whitespace=True)

    code: str = Field(min_length=1, max_length=60, pattern=r'^[a-z0-9-]+$')
    reference: str = Field(min_length=1, max_length=300)
    title: str = Field(min_length=1, max_length=300)
    article: str | None = Field(default=None, max_length=120)
    covers: str = Field(min_length=1, max_length=1000)
    keywords: list[str] = Field(min_length=1, max_length=40)
    case_types: list[CaseType] = Field(default_factory=list, max_length=5)

    @field_validator('article')
    @classmethod
    def _blank_article_is_none(cls, value: str | None) -> str | None:
        return value or None

    @field_validator('keywords')
    @classmethod
    def _check_keywords(cls, values: list[str]) -> list[str]:
        kept: dict[str, str] = {}
        for value in values:
            if not 1 <= len(value) <= 80:
                raise ValueError(f'«{value[:20]}» must have 1 to 80 characters')
            if not french.tokens(value):
                raise ValueError(f'«{value}» has no significant word')
            kept.setdefault(fold(value), value)
        return list(kept.values())

    @field_validator('case_types')
    @classmethod
    def _unique_case_types(cls, values: list[CaseType]) -> list[CaseType]:
        return list(dict.fromkeys(values))


def default_entries() -> list[LegalEntry]:
    return list(_bundled_entries())


@cache
def _bundled_entries() -> tuple[LegalEntry, ...]:
    return tuple(parse_import(_BUNDLED.read_text(encoding='utf-8')))


def export_json(entries: Iterable[LegalEntry]) -> str:
    data = [entry.model_dump(mode='json') for entry in entries]
    return json.dumps(data, ensure_ascii=False, indent=1) + '\n'


def parse_import(text: str) -> list[LegalEntry]:
    """The entries of a JSON array; raises `Invalid` on the first problem, so nothing is half imported."""
    text = text.removeprefix('\ufeff')
    entries: list[LegalEntry] = []
    codes: set[str] = set()
    for number, (line, item) in enumerate(_array_items(text), start=1):
        if number > MAX_IMPORT_ENTRIES:
            raise Invalid('error.kb_import_too_many', field='file', limit=MAX_IMPORT_ENTRIES)
        entry = _entry(item, number, line)
        if entry.code in codes:
            raise Invalid('error.kb_import_invalid', field='file', entry=number, line=line,
                          reason=f'code: duplicate «{entry.code}»')
        codes.add(entry.code)
        entries.append(entry)
    if not entries:
        raise Invalid('error.kb_import_empty', field='file')
    return entries


def _entry(item: Any, number: int, line: int) -> LegalEntry:
    if not isinstance(item, dict):
        raise Invalid('error.kb_import_invalid', field='file', entry=number, line=line, reason='not an object')
    try:
        return LegalEntry.model_validate(item)
    except ValidationError as error:
        raise Invalid('error.kb_import_invalid', field='file', entry=number, line=line,
                      reason=_reason(error)) from None


def _reason(error: ValidationError) -> str:
    first = error.errors(include_url=False)[0]
    where = '.'.join(str(part) for part in first['loc']) or 'entry'
    message = first['msg'].removeprefix('Value error, ')
    return f'{where}: {message}'[:200]


def _array_items(text: str) -> Iterable[tuple[int, Any]]:
    """Each element of a top-level JSON array with the line it starts on, decoded one at a time."""
    decoder = json.JSONDecoder()
    index = _skip_whitespace(text, 0)
    if index == len(text):
        raise Invalid('error.kb_import_empty', field='file')
    if text[index] != '[':
        _decode(decoder, text, index)  # a syntax error is reported as such; any other value is not an array
        raise Invalid('error.kb_import_empty', field='file')
    index = _skip_whitespace(text, index + 1)
    if text.startswith(']', index):
        _expect_end(text, index + 1)
        return
    line, counted = 1, 0
    while True:
        item, end = _decode(decoder, text, index)
        line, counted = line + text.count('\n', counted, index), index
        yield line, item
        index = _skip_whitespace(text, end)
        if text.startswith(']', index):
            _expect_end(text, index + 1)
            return
        if not text.startswith(',', index):
            raise _syntax_error(text, index, "Expecting ',' or ']'")
        index = _skip_whitespace(text, index + 1)


def _decode(decoder: json.JSONDecoder, text: str, index: int) -> tuple[Any, int]:
    try:
        return decoder.raw_decode(text, index)
    except json.JSONDecodeError as error:
        raise Invalid('error.kb_import_json', field='file', line=error.lineno, reason=error.msg) from None


def _expect_end(text: str, index: int) -> None:
    index = _skip_whitespace(text, index)
    if index < len(text):
        raise _syntax_error(text, index, 'Extra data')


def _syntax_error(text: str, index: int, reason: str) -> Invalid:
    if index >= len(text):
        reason = 'Unexpected end of file'
    return Invalid('error.kb_import_json', field='file', line=_line(text, index), reason=reason)


def _skip_whitespace(text: str, index: int) -> int:
    while index < len(text) and text[index] in _JSON_WHITESPACE:
        index += 1
    return index


def _line(text: str, index: int) -> int:
    return text.count('\n', 0, index) + 1
