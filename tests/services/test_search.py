from db.models import ClientStatus, SearchEntity
from db.session import session_scope
from services import cases, clients, contacts, notes, search
from services.clients import ClientInput
from services.contacts import ContactInput
from services.notes import NoteInput
from tests.factories import make_case, make_client, make_tenant


def _search(actor, query: str, **options) -> list[search.SearchHit]:
    with session_scope() as session:
        return search.search(session, actor, query, **options)


def _found(actor, query: str) -> set[tuple[SearchEntity, int]]:
    return {(hit.entity, hit.entity_id) for hit in _search(actor, query)}


def _first(actor, query: str) -> tuple[SearchEntity, int]:
    hit = _search(actor, query, limit=5)[0]
    return hit.entity, hit.entity_id


def _rename(actor, client_id: int, name: str) -> None:
    with session_scope() as session:
        current = clients.get_client(session, actor, client_id)
        data = ClientInput(**{**current.model_dump(include=set(ClientInput.model_fields)), 'name': name})
        clients.update_client(session, actor, client_id, data)


def test_one_query_finds_every_kind_of_thing(db):
    admin = make_tenant()
    client = make_client(admin, 'Benali Conseil', city='Tlemcen')
    case = make_case(admin, client.id, 'Succession Benali')
    with session_scope() as session:
        contact = contacts.create_contact(session, admin, client.id,
                                          ContactInput(first_name='Karim', last_name='Benali'))
        note = notes.add_note(session, admin, case.id, NoteInput(body='Appel avec M. Benali'))
    make_client(admin, 'Oasis Import')
    hits = _search(admin, 'benali')
    assert {(h.entity, h.entity_id) for h in hits} == {
        (SearchEntity.CLIENT, client.id), (SearchEntity.CASE, case.id), (SearchEntity.CONTACT, contact.id),
        (SearchEntity.NOTE, note.id)}
    by_entity = {h.entity: h for h in hits}
    assert (by_entity[SearchEntity.CLIENT].title, by_entity[SearchEntity.CLIENT].subtitle) == ('Benali Conseil',
                                                                                            'Tlemcen')
    assert by_entity[SearchEntity.CASE].title == f'{case.reference} · Succession Benali'
    assert by_entity[SearchEntity.CASE].subtitle == 'Benali Conseil'
    assert (by_entity[SearchEntity.CONTACT].parent_id, by_entity[SearchEntity.NOTE].parent_id) == (client.id, case.id)
    assert [h.path for h in hits if h.entity == SearchEntity.CLIENT] == [f'/clients/{client.id}']
    assert _found(admin, 'benali tlemcen') == {(SearchEntity.CLIENT, client.id)}  # every word must match
    assert _found(admin, 'ben') == _found(admin, 'benali')  # words match by their beginning
    assert len(_search(admin, 'benali', limit=2)) == 2


def test_results_are_ranked(db):
    admin = make_tenant()
    case = make_case(admin, title='Dossier courant')
    with session_scope() as session:
        weak = notes.add_note(session, admin, case.id, NoteInput(
            body='Compte rendu de la réunion avec le cabinet, la banque et les associés au sujet du bilan '
                 'de fin d’exercice, de la trésorerie et, en passant, de la marque Tassili.'))
        strong = notes.add_note(session, admin, case.id, NoteInput(body='Tassili Tassili : dépôt de la marque Tassili'))
    assert [h.entity_id for h in _search(admin, 'tassili')] == [strong.id, weak.id]


def test_accents_and_case_are_ignored_both_ways(db):
    admin = make_tenant()
    accented = make_client(admin, 'Société Générale Algérie')
    plain = make_client(admin, 'Societe des Eaux')
    both = {(SearchEntity.CLIENT, accented.id), (SearchEntity.CLIENT, plain.id)}
    assert _found(admin, 'societe') == both
    assert _found(admin, 'SOCIÉTÉ') == both
    assert _found(admin, 'société') == both
    assert _found(admin, 'algerie generale') == {(SearchEntity.CLIENT, accented.id)}
    assert _found(admin, 'Eaux') == {(SearchEntity.CLIENT, plain.id)}


def test_words_inside_e_mails_and_punctuation_are_found(db):
    admin = make_tenant()
    client = make_client(admin, 'Atlas', email='k.zeroual@atlas-conseil.dz', phone='0555 12 34 56')
    with session_scope() as session:
        contact = contacts.create_contact(session, admin, client.id, ContactInput(
            last_name="Ben-Ali d'Oran", email='direction@oasis.dz'))
    assert _found(admin, 'zeroual') == {(SearchEntity.CLIENT, client.id)}
    assert _found(admin, 'atlas-conseil.dz') == {(SearchEntity.CLIENT, client.id)}
    assert _found(admin, 'conseil') == {(SearchEntity.CLIENT, client.id)}
    assert _found(admin, 'oasis') == _found(admin, 'ali oran') == {(SearchEntity.CONTACT, contact.id)}
    assert _found(admin, '213555') == {(SearchEntity.CLIENT, client.id)}


def test_a_case_is_found_by_its_reference(db):
    admin = make_tenant()
    client = make_client(admin)
    first = make_case(admin, client.id, 'Premier')
    second = make_case(admin, client.id, 'Second')
    assert first.reference.endswith('-0001') and second.reference.endswith('-0002')
    for query in (first.reference, first.reference.lower(), first.reference.replace('-', ' ')):
        assert _found(admin, query) == {(SearchEntity.CASE, first.id)}, query
    assert _found(admin, second.reference) == {(SearchEntity.CASE, second.id)}
    assert _found(admin, 'DOS') == {(SearchEntity.CASE, first.id), (SearchEntity.CASE, second.id)}


def test_search_stays_in_the_tenant(db):
    admin = make_tenant('A')
    other = make_tenant('B')
    mine = make_client(admin, 'Atlas Conseil')
    theirs = make_client(other, 'Atlas Voyages')
    mine_case, theirs_case = make_case(admin, mine.id), make_case(other, theirs.id)
    assert mine_case.reference == theirs_case.reference
    assert _found(admin, 'atlas') == {(SearchEntity.CLIENT, mine.id), (SearchEntity.CASE, mine_case.id)}
    assert _found(other, 'atlas') == {(SearchEntity.CLIENT, theirs.id), (SearchEntity.CASE, theirs_case.id)}
    assert _found(other, mine_case.reference) == {(SearchEntity.CASE, theirs_case.id)}
    assert _found(other, 'conseil') == set()


def test_queries_without_words_find_nothing_and_syntax_is_ignored(db):
    admin = make_tenant()
    client = make_client(admin, 'Atlas')
    for query in ('', '   ', '-*"()', "'", '« »'):
        assert _search(admin, query) == [], query
    assert _search(admin, 'AND OR NOT NEAR') == []  # words, not query syntax
    assert _found(admin, '"atlas*') == _found(admin, 'atlas (') == {(SearchEntity.CLIENT, client.id)}


def test_changes_are_reindexed(db):
    admin = make_tenant()
    client = make_client(admin, 'Atlas Conseil')
    case = make_case(admin, client.id, 'Bail commercial')
    with session_scope() as session:
        contact = contacts.create_contact(session, admin, client.id, ContactInput(last_name='Zeroual'))
        note = notes.add_note(session, admin, case.id, NoteInput(body='Relire le projet'))
    _rename(admin, client.id, 'Oasis Partenaires')
    assert _found(admin, 'oasis') == {(SearchEntity.CLIENT, client.id), (SearchEntity.CASE, case.id),
                                      (SearchEntity.CONTACT, contact.id)}
    assert _found(admin, 'atlas') == set()  # nothing is found any more under the old name
    assert {h.subtitle for h in _search(admin, 'bail') if h.entity == SearchEntity.CASE} == {'Oasis Partenaires'}

    with session_scope() as session:
        cases.update_case(session, admin, case.id, {'title': 'Cession de fonds'})
        contacts.update_contact(session, admin, contact.id, ContactInput(last_name='Hamidi'))
    assert _found(admin, 'bail') == set() and _found(admin, 'zeroual') == set()
    assert _found(admin, 'cession') == {(SearchEntity.CASE, case.id), (SearchEntity.NOTE, note.id)}
    assert _found(admin, 'hamidi') == {(SearchEntity.CONTACT, contact.id)}


def test_deleted_things_disappear(db):
    admin = make_tenant()
    client = make_client(admin, 'Tassili Travaux')
    case = make_case(admin, client.id, 'Tassili chantier')
    with session_scope() as session:
        contact = contacts.create_contact(session, admin, client.id, ContactInput(last_name='Tassili'))
        notes.add_note(session, admin, case.id, NoteInput(body='Réunion Tassili'))
    assert len(_search(admin, 'tassili')) == 4
    with session_scope() as session:
        contacts.delete_contact(session, admin, contact.id)
    assert {h.entity for h in _search(admin, 'tassili')} == {SearchEntity.CLIENT, SearchEntity.CASE, SearchEntity.NOTE}
    with session_scope() as session:
        cases.delete_case(session, admin, case.id)
    assert _found(admin, 'tassili') == {(SearchEntity.CLIENT, client.id)}
    with session_scope() as session:
        clients.set_status(session, admin, client.id, ClientStatus.ARCHIVED)
    with session_scope() as session:
        clients.delete_client(session, admin, client.id)
    assert _search(admin, 'tassili') == []


def test_an_exact_reference_or_name_comes_before_what_mentions_it(db):
    admin = make_tenant()
    client = make_client(admin, 'Tassili Conseil')
    earlier = make_case(admin, client.id, 'Bail commercial')
    case = make_case(admin, client.id, 'Succession Benali')
    with session_scope() as session:
        contact = contacts.create_contact(session, admin, client.id,
                                          ContactInput(first_name='Karim', last_name='Benali'))
        for _ in range(3):  # notes that say the words again and again rank high on their own
            notes.add_note(session, admin, earlier.id, NoteInput(
                body=f'{case.reference} : voir {case.reference}, le dossier {case.reference} de Karim Benali. '
                     'Karim Benali a rappelé Tassili Conseil ; Karim Benali, Tassili Conseil, Tassili Conseil.'))
    for query in (case.reference, case.reference.lower(), case.reference.replace('-', ' '),
                  case.reference.replace('-', '')):
        assert _first(admin, query) == (SearchEntity.CASE, case.id), query
    assert _first(admin, 'karim benali') == (SearchEntity.CONTACT, contact.id)
    assert _first(admin, 'TASSILI conseil') == (SearchEntity.CLIENT, client.id)
    assert _first(admin, 'succession benali') == (SearchEntity.CASE, case.id)  # its title is no name, yet ranks well
    assert len(_search(admin, case.reference, limit=1)) == 1


def test_an_exact_reference_comes_first_among_many_mentions(db):
    """PostgreSQL ranks a bounded set of matches: the exact one is always among them."""
    admin = make_tenant()
    client = make_client(admin, 'Atlas')
    busy = make_case(admin, client.id, 'Dossier très commenté')
    reference = busy.reference[:-4] + f'{int(busy.reference[-4:]) + 1:04d}'  # the next case's, made after the notes
    with session_scope() as session:
        for number in range(search.RANKED_CANDIDATES + 10):
            notes.add_note(session, admin, busy.id, NoteInput(body=f'Appel {number} au sujet de {reference}'))
    case = make_case(admin, client.id, 'Le dossier cité')
    assert case.reference == reference
    assert _first(admin, reference) == (SearchEntity.CASE, case.id)
