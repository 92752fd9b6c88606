"""Pseudonymisation (Loi 18-07): names, e-mails and phone numbers replaced by stable placeholders such as
`[PERSONNE_1]` before a text leaves the server, and put back in the answer.

Masked: the values the caller gives (the client's and its contacts' names, e-mails, phones), every e-mail address and
phone number, and the person names `services.ai.name_finder` finds in free text (a witness, an opposing party, a
colleague), helped by the first and last names the tenant already knows."""

import re
from collections.abc import Callable, Collection, Iterable
from typing import Any, Literal

from services.ai.name_finder import NameFinder
from services.ai.schema import AnalysisResult

Kind = Literal['PERSONNE', 'EMAIL', 'TEL']

_EMAIL = r'[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+'
# Local numbers start with 0 (0550 12 34 56, 021 23 45 67), international ones with + or 00 (+213 550 12 34 56).
_PHONE = r'(?<![\w+])(?:(?:\+|00)\d{1,3}[ .\-]?(?:\(0\)[ .\-]?)?|0)\d{1,4}(?:[ .\-]?\d{2,4}){2,5}(?!\w)'
_DATE_LIKE = re.compile(r'\d{1,2}[.\-]\d{1,2}[.\-]\d{2,4}')
_PLACEHOLDER = re.compile(r'\[?\b(PERSONNE|EMAIL|TEL)_(\d+)\b\]?')
_MIN_PHONE_DIGITS, _MAX_PHONE_DIGITS = 8, 15


def _digits(text: str) -> str:
    return re.sub(r'\D', '', text)


def _phone_key(text: str) -> str:
    """The same number written `0550 12 34 56`, `+213 550123456` or `00213-550-12-34-56` gives the same key."""
    digits = _digits(text)
    if digits.startswith('00'):
        digits = digits[2:]
    if digits.startswith('213'):
        digits = digits[3:]
    return digits.lstrip('0')


def _kind_of(value: str) -> Kind:
    if '@' in value:
        return 'EMAIL'
    if re.fullmatch(r'[\d\s+().\-/]+', value) and len(_digits(value)) >= 6:
        return 'TEL'
    return 'PERSONNE'


def _key(kind: Kind, value: str) -> str:
    if kind == 'TEL':
        return _phone_key(value)
    return ' '.join(value.casefold().split())


def _literal_pattern(value: str) -> str:
    """A sensitive value as a regex: any run of spaces matches any run of spaces, and it must be a whole word."""
    body = r'\s+'.join(re.escape(part) for part in value.split())
    return rf'(?<!\w){body}(?!\w)'


class Pseudonymizer:
    """Replaces names, e-mails and phone numbers by stable placeholders, and puts them back.

    The given values are masked wherever they appear (case-insensitive, whole words, longest first); any other
    e-mail address or phone number found in the text is masked too, and so is any person name the name finder sees
    (`known_names`: casefolded first and last names the tenant knows; `find_names=False` masks the given values,
    e-mails and phones only).
    """

    def __init__(self, sensitive: Iterable[str], known_names: Collection[str] = frozenset(), *,
                 find_names: bool = True) -> None:
        self._placeholders: dict[tuple[Kind, str], str] = {}
        self._originals: dict[str, str] = {}
        self._counts: dict[Kind, int] = {'PERSONNE': 0, 'EMAIL': 0, 'TEL': 0}
        values = list(dict.fromkeys(' '.join(value.split()) for value in sensitive if value and value.strip()))
        values = [value for value in values if len(value) >= 2]
        for value in values:  # numbered in the caller's order: the client first is [PERSONNE_1]
            self._placeholder(_kind_of(value), value)
        known = '|'.join(_literal_pattern(value) for value in sorted(values, key=len, reverse=True))
        alternatives = [rf'(?P<email>{_EMAIL})'] + ([f'(?P<known>{known})'] if known else [])
        self._pattern = re.compile('|'.join([*alternatives, rf'(?P<phone>{_PHONE})']), re.IGNORECASE)
        own = {part.casefold() for value in values if _kind_of(value) == 'PERSONNE' for part in value.split()}
        self._finder = NameFinder(own | set(known_names)) if find_names else None

    def _placeholder(self, kind: Kind, value: str) -> str:
        key = (kind, _key(kind, value))
        if key not in self._placeholders:
            self._counts[kind] += 1
            placeholder = f'[{kind}_{self._counts[kind]}]'
            self._placeholders[key] = placeholder
            self._originals[placeholder] = value
        return self._placeholders[key]

    def _replace(self, match: re.Match[str]) -> str:
        value = match.group()
        if match.lastgroup == 'email':
            return self._placeholder('EMAIL', value)
        if match.lastgroup == 'phone':
            digits = len(_digits(value))
            if not _MIN_PHONE_DIGITS <= digits <= _MAX_PHONE_DIGITS or _DATE_LIKE.fullmatch(value):
                return value
            return self._placeholder('TEL', value)
        return self._placeholder(_kind_of(value), value)

    def mask(self, text: str) -> str:
        found: list[_Found] = [(match.start(), match.end(), match) for match in self._pattern.finditer(text)]
        if self._finder is not None:
            found = _with_names(found, self._finder.spans(text))
        pieces, last = [], 0
        for start, end, match in found:
            pieces += [text[last:start],
                       self._replace(match) if match else self._placeholder('PERSONNE', text[start:end])]
            last = end
        pieces.append(text[last:])
        return ''.join(pieces)

    def unmask(self, text: str) -> str:
        def restore(match: re.Match[str]) -> str:
            return self._originals.get(f'[{match.group(1)}_{match.group(2)}]', match.group())

        return _PLACEHOLDER.sub(restore, text)

    def mask_data(self, data: Any) -> Any:
        """Masks every string inside dicts and lists (values only: keys are field names)."""
        return _map_strings(data, self.mask)

    def unmask_result(self, result: AnalysisResult) -> AnalysisResult:
        return AnalysisResult.model_validate(_map_strings(result.model_dump(mode='json'), self.unmask))


_Found = tuple[int, int, re.Match[str] | None]  # start, end, and the pattern's match (None: a name found in the text)


def _with_names(found: list[_Found], names: list[tuple[int, int]]) -> list[_Found]:
    """The pattern's matches and the names found in the text, in order. A name that covers given person values whole
    replaces them («Karim Benali» around a contact's «Benali»); one that overlaps an e-mail, a phone or part of a given
    value is left to them."""
    for start, end in names:
        inside = [item for item in found if item[0] < end and start < item[1]]
        if all(_swallowable(item, start, end) for item in inside):
            found = [item for item in found if item not in inside] + [(start, end, None)]
    return sorted(found, key=lambda item: item[0])


def _swallowable(item: _Found, start: int, end: int) -> bool:
    match = item[2]
    return match is not None and match.lastgroup == 'known' and _kind_of(match.group()) == 'PERSONNE' \
        and start <= item[0] and item[1] <= end


def _map_strings(data: Any, function: Callable[[str], str]) -> Any:
    if isinstance(data, str):
        return function(data)
    if isinstance(data, dict):
        return {key: _map_strings(value, function) for key, value in data.items()}
    if isinstance(data, list | tuple):
        return [_map_strings(value, function) for value in data]
    return data
