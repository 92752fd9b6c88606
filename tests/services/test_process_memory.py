import sys

import pytest

from services import process_memory


@pytest.mark.skipif(not sys.platform.startswith('linux'), reason='glibc only')
def test_trim_and_arena_limit_are_glibc_calls(monkeypatch):
    monkeypatch.delenv('MALLOC_ARENA_MAX', raising=False)
    assert process_memory.limit_arenas() is True
    process_memory.trim()  # hands free pages back; nothing to check but that it runs


def test_an_explicit_malloc_arena_max_wins(monkeypatch):
    monkeypatch.setenv('MALLOC_ARENA_MAX', '4')
    assert process_memory.limit_arenas() is False
