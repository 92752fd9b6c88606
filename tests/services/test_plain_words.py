"""Text shown where plain words are expected: days said in words (never «il y a aujourd'hui»), markdown without its
marks (search suggestions, quoted sentences)."""

from datetime import date, timedelta

import pytest

from db.session import session_scope
from services import notes, search
from services.day_words import relative_day
from services.notes import NoteInput
from services.plain_text import plain_text
from tests.factories import make_case, make_client, make_tenant

TODAY = date(2026, 3, 20)


@pytest.mark.parametrize(('days_ago', 'french', 'english'), [
    (0, "aujourd'hui", 'today'),
    (1, 'hier', 'yesterday'),
    (3, 'il y a 3 jours', '3 days ago'),
    (45, 'il y a 45 jours', '45 days ago'),
    (-1, 'demain', 'tomorrow'),
    (-4, 'dans 4 jours', 'in 4 days'),
])
def test_a_day_in_words(days_ago, french, english) -> None:
    day = TODAY - timedelta(days=days_ago)
    assert (relative_day(day, TODAY, 'fr'), relative_day(day, TODAY, 'en')) == (french, english)


@pytest.mark.parametrize(('days_ago', 'french', 'english'), [
    (0, "depuis aujourd'hui", 'since today'),
    (1, 'depuis hier', 'since yesterday'),
    (12, 'depuis 12 jours', 'for 12 days'),
    (30, 'depuis 30 jours', 'for 30 days'),
    (31, 'depuis le 17 février 2026', 'since 17 February 2026'),
])
def test_how_long_in_words(days_ago, french, english) -> None:
    day = TODAY - timedelta(days=days_ago)
    assert relative_day(day, TODAY, 'fr', since=True) == french
    assert relative_day(day, TODAY, 'en', since=True) == english


@pytest.mark.parametrize(('markdown', 'plain'), [
    ('**Urgent** : voir [le contrat](https://atlas.dz) et `art. 12`', 'Urgent : voir le contrat et art. 12'),
    ('# Relance\n\n- appeler *M. Kaci*\n- ~~écrire~~ envoyer', 'Relance\nappeler M. Kaci\nécrire envoyer'),
    ('1. Déposer\nle dossier', 'Déposer le dossier'),
    ('a < b & <b>c</b>', 'a < b & <b>c</b>'),  # text as typed: never turned into markup
    ('', ''),
])
def test_markdown_as_plain_words(markdown, plain) -> None:
    assert plain_text(markdown) == plain


def test_a_note_suggested_by_search_reads_without_its_markdown(db) -> None:
    admin = make_tenant()
    case = make_case(admin, make_client(admin, 'Atlas Négoce').id, 'Bail commercial')
    with session_scope() as session:
        note = notes.add_note(session, admin, case.id, NoteInput(body='**Relance** du _bailleur_ : voir '
                                                                        '[le bail](https://atlas.dz)\nSuite…'))
    with session_scope() as session:
        [hit] = search.search(session, admin, 'bailleur')
    assert (hit.entity_id, hit.title) == (note.id, 'Relance du bailleur : voir le bail')
