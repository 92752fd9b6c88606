import json
from pathlib import Path

import pytest

from services.ai import knowledge
from services.ai.knowledge import LegalEntry, default_entries, export_json, parse_import
from services.errors import Invalid

REQUIRED_REFERENCES = [
    'Ordonnance n° 75-59 du 26 septembre 1975 portant code de commerce',
    'Ordonnance n° 75-58 du 26 septembre 1975 portant code civil',
    'Loi n° 08-09 du 25 février 2008 portant code de procédure civile et administrative',
    'Loi n° 90-11 du 21 avril 1990',
    'Loi n° 83-11 du 2 juillet 1983 relative aux assurances sociales',
    'Loi n° 18-07 du 10 juin 2018',
    'Loi n° 18-05 du 10 mai 2018',
    'Loi n° 04-02 du 23 juin 2004',
    'Loi n° 04-08 du 14 août 2004',
    'Loi n° 09-03 du 25 février 2009',
    'Ordonnance n° 03-03 du 19 juillet 2003',
    'Loi n° 22-18 du 24 juillet 2022',
    'Loi n° 05-01 du 6 février 2005',
    'Code des impôts directs et taxes assimilées',
    "Code des taxes sur le chiffre d'affaires",
    'Code des procédures fiscales',
    "Code de l'enregistrement",
    'Code du timbre',
]


def _entry(code: str = 'test-entry', **changes) -> dict:
    return {'code': code, 'reference': 'Loi n° 00-00', 'title': 'Titre', 'article': None,
            'covers': 'Ce que couvre le texte.', 'keywords': ['licenciement', 'contrat de travail'],
            'case_types': ['legal'], **changes}


def _refused(text: str) -> Invalid:
    with pytest.raises(Invalid) as caught:
        parse_import(text)
    assert caught.value.field == 'file'
    return caught.value


def test_bundled_base_loads_and_validates():
    entries = default_entries()
    assert 25 <= len(entries) <= 60
    codes = [entry.code for entry in entries]
    assert len(codes) == len(set(codes))
    for entry in entries:
        assert 8 <= len(entry.keywords) <= 25, entry.code
        assert entry.case_types, entry.code
    assert default_entries() == entries
    assert default_entries() is not entries  # a copy: the cached base cannot be changed by a caller


@pytest.mark.parametrize('reference', REQUIRED_REFERENCES)
def test_bundled_base_covers_required_texts(reference):
    assert any(entry.reference.startswith(reference) for entry in default_entries())


def test_bundled_file_is_in_export_format():
    bundled = Path(knowledge.__file__).with_name('knowledge_base.json').read_text(encoding='utf-8')
    assert export_json(default_entries()) == bundled


def test_vat_rates_and_articles_only_where_certain():
    entries = {entry.code: entry for entry in default_entries()}
    assert '19 %' in entries['tca-tva'].covers and '9 %' in entries['tca-tva'].covers
    assert {code: entry.article for code, entry in entries.items() if entry.article} == {
        'code-civil-responsabilite': 'Article 124'}


def test_export_then_import_round_trips():
    entries = default_entries()
    text = export_json(entries)
    assert json.loads(text)[0]['code'] == entries[0].code
    assert parse_import(text) == entries


def test_import_normalises_entries():
    text = json.dumps([_entry(code=' a-b ', article='  ', keywords=[' Licenciement ', 'licenciement', 'préavis'],
                              case_types=['legal', 'legal'])])
    [entry] = parse_import(text)
    assert entry == LegalEntry(code='a-b', reference='Loi n° 00-00', title='Titre', covers='Ce que couvre le texte.',
                               keywords=['Licenciement', 'préavis'], case_types=['legal'])


def test_malformed_entry_refused_whole_with_index_and_line():
    text = '[\n' + json.dumps(_entry('first')) + ',\n\n  ' + json.dumps(_entry('Bad Code')) + ',\n' + json.dumps(
        _entry('third')) + '\n]'
    error = _refused(text)
    assert error.key == 'error.kb_import_invalid'
    assert error.params['entry'] == 2
    assert error.params['line'] == 4
    assert error.params['reason'].startswith('code:')


def test_line_counts_in_pretty_printed_export():
    entries = [LegalEntry(**_entry(f'entry-{n}')) for n in range(3)]
    data = json.loads(export_json(entries))
    data[2]['case_types'] = ['criminal']
    text = json.dumps(data, ensure_ascii=False, indent=1)
    error = _refused(text)
    assert error.params['entry'] == 3
    starts = [number for number, line in enumerate(text.splitlines(), start=1) if line == ' {']
    assert error.params['line'] == starts[2]
    assert error.params['reason'].startswith('case_types.0:')


@pytest.mark.parametrize(('changes', 'field'), [
    ({'reference': ''}, 'reference'),
    ({'title': '   '}, 'title'),
    ({'keywords': []}, 'keywords'),
    ({'keywords': ['licenciement', '']}, 'keywords'),
    ({'keywords': ['x' * 81]}, 'keywords'),
    ({'keywords': ['de la']}, 'keywords'),
    ({'keywords': ['licenciement'] * 41}, 'keywords'),
    ({'case_types': ['penal']}, 'case_types'),
    ({'code': 'x' * 61}, 'code'),
    ({'unknown': 1}, 'unknown'),
], ids=['reference', 'title', 'no-keyword', 'blank-keyword', 'long-keyword', 'stop-words-only', 'too-many-keywords',
        'case-type', 'long-code', 'extra-field'])
def test_invalid_fields_are_named(changes, field):
    error = _refused(json.dumps([_entry(**changes)]))
    assert error.key == 'error.kb_import_invalid'
    assert (error.params['entry'], error.params['line']) == (1, 1)
    assert error.params['reason'].startswith(field)


def test_missing_field_and_non_object_entry():
    entry = _entry()
    del entry['covers']
    assert _refused(json.dumps([entry])).params['reason'].startswith('covers:')
    error = _refused(json.dumps([_entry(), 'texte']))
    assert (error.key, error.params['entry'], error.params['reason']) == ('error.kb_import_invalid', 2, 'not an object')


def test_duplicate_code_refused():
    text = json.dumps([_entry('a'), _entry('b'), _entry('a')], indent=1)
    error = _refused(text)
    assert error.key == 'error.kb_import_invalid'
    assert error.params['entry'] == 3
    assert 'duplicate' in error.params['reason']


@pytest.mark.parametrize(('text', 'line'), [
    ('[\n {"code": "a"\n "title": "b"}\n]', 3),
    ('[\n' + json.dumps(_entry()) + '\n' + json.dumps(_entry('b')) + '\n]', 3),
    ('[\n' + json.dumps(_entry()) + ',\n]', 3),
    ('[\n' + json.dumps(_entry()) + '\n]\n\nextra', 5),
    ('[\n' + json.dumps(_entry()), 2),
    ('{"code": ', 1),
    ('texte libre', 1),
], ids=['missing-comma-in-object', 'missing-comma-between', 'trailing-comma', 'extra-data', 'unterminated',
        'truncated-object', 'not-json'])
def test_json_syntax_error_gives_line(text, line):
    error = _refused(text)
    assert error.key == 'error.kb_import_json'
    assert error.params['line'] == line
    assert error.params['reason']


@pytest.mark.parametrize('text', ['[]', ' [ ]\n', '', '   \n', '{"code": "a"}', '42', '\ufeff[]'],
                         ids=['empty-array', 'spaced', 'empty', 'blank', 'object', 'number', 'bom'])
def test_empty_or_not_an_array_refused(text):
    assert _refused(text).key == 'error.kb_import_empty'


def test_bom_is_accepted():
    assert len(parse_import('\ufeff' + json.dumps([_entry()]))) == 1


def test_too_many_entries_refused():
    text = json.dumps([_entry(f'e-{n}') for n in range(knowledge.MAX_IMPORT_ENTRIES + 1)])
    error = _refused(text)
    assert error.key == 'error.kb_import_too_many'
    assert error.params['limit'] == 2000
    assert len(parse_import(json.dumps([_entry(f'e-{n}') for n in range(knowledge.MAX_IMPORT_ENTRIES)]))) == 2000
