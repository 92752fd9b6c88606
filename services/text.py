"""Text helpers shared by search, duplicates and validation: accent folding and tokenising."""

import re
import unicodedata

_WORD = re.compile(r'[0-9a-z]+')


def fold(text: str | None) -> str:
    """Lower-case without accents: «Société Générale» → «societe generale»."""
    decomposed = unicodedata.normalize('NFKD', text or '')
    return ''.join(c for c in decomposed if not unicodedata.combining(c)).lower()


def words(text: str | None) -> list[str]:
    return _WORD.findall(fold(text))
