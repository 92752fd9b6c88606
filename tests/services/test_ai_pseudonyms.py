"""Pseudonymisation of free text: third parties' names found by the name finder (titles, name shapes, names the tenant
knows), legal words left alone, and everything put back in the answer. No database: see test_ai_third_parties.py."""

import json
import re

import pytest

from services.ai import phrases
from services.ai.known_names import name_words
from services.ai.name_finder import find_names
from services.ai.pseudonyms import Pseudonymizer
from tests.services.test_ai_scenarios import SCENARIOS


def names(text: str, known: frozenset[str] = frozenset()) -> list[str]:
    return [text[start:end] for start, end in find_names(text, known)]


@pytest.mark.parametrize(('text', 'expected'), [
    ('La partie adverse est représentée par Maître Karim Benali.', ['Karim Benali']),
    ('M. Haddad était absent ; Mme Nadia Ferhat a confirmé.', ['Haddad', 'Nadia Ferhat']),
    ('Le témoin Yacine Saidi sera entendu.', ['Yacine Saidi']),
    ("Appeler l'avocat Benali, le juge Mokrani et Me Zerrouki.", ['Benali', 'Mokrani', 'Zerrouki']),
    ('Mlle Kenza Lounis, Dr Amrani et Pr Touati.', ['Kenza Lounis', 'Amrani', 'Touati']),
    ('M. Petit et Mme Rose, experts.', ['Petit', 'Rose']),  # French words, but announced by a civility
    ('Karim Boudiaf, fils de Ahmed, et Nadia, fille d’Omar.', ['Karim Boudiaf', 'Ahmed', 'Nadia', 'Omar']),
])
def test_names_after_titles_and_civilities_are_found(text, expected):
    assert names(text) == expected


@pytest.mark.parametrize(('text', 'expected'), [
    ('Réunion avec Abd El Kader Ould Ali et Aït-Ahmed.', ['Abd El Kader Ould Ali', 'Aït-Ahmed']),
    ('Signé par Jean-Pierre Martin et K. Benali.', ['Jean-Pierre Martin', 'K. Benali']),
    ('Reçu Karim BENALI puis BOUDIAF Yacine.', ['Karim BENALI', 'BOUDIAF Yacine']),
    ('Échange avec Pierre Barre, bonne relation.', ['Pierre Barre']),  # both French words, mid-sentence
    ('Relance Haddad faite ; réponse de Sofiane Meziane attendue.', ['Haddad', 'Sofiane Meziane']),
    ('Yanis Zerrouki a signé. Karim a rappelé.', ['Yanis Zerrouki', 'Karim']),
])
def test_capitalised_name_shapes_are_found(text, expected):
    assert names(text) == expected


@pytest.mark.parametrize('text', [
    "Vu le Code civil, l'Article 124 et la Loi n° 18-07 du 10 juin 2018, la Cour suprême a statué.",
    'Audience devant le Tribunal administratif de Sidi M’Hamed, à Alger, puis à Tizi Ouzou en Janvier.',
    'Redressement de TVA et d’IBS notifié par la Direction Générale des Impôts de Blida le Lundi 3 mars.',
    'Création de la SARL par acte notarié ; immatriculation au CNRC ; cotisations CNAS et CASNOS.',
    "Saisine du Conseil de la concurrence et de l'ANPDP ; Journal Officiel de la République.",
    'Banque Nationale d’Algérie, Agence Nationale de l’Emploi, Ministère de la Justice, Sonatrach.',
    'Secteur : Alimentation. Objet : relance. Message WhatsApp reçu pendant le Ramadan.',
    'Dupont a écrit.',  # a lone unknown word starting a sentence is any word
])
def test_legal_words_institutions_places_and_months_are_not_names(text):
    assert names(text) == []


def test_a_known_name_is_found_even_alone_at_a_sentence_start_but_a_known_french_word_is_not():
    known = frozenset(name_words('Nadia Ferhat', 'Rachid Mansouri', 'Service Relance'))

    assert names('Ferhat a rappelé. Mansouri viendra.', known) == ['Ferhat', 'Mansouri']
    assert names('Ferhat a rappelé. Mansouri viendra.') == []
    assert names('Relance envoyée.', known) == []  # a contact named «Relance» does not hide a French word
    assert names('ferhat en minuscules.', known) == []


def test_name_words_keeps_names_and_parts_but_not_particles_places_or_short_words():
    assert name_words('Aït-Ahmed Nadia', 'Ben Ali', 'El Hadi de Blida', 'Li', None) == \
        {'aït-ahmed', 'ahmed', 'nadia', 'ali', 'hadi'}


def _texts(data: object) -> list[str]:
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [text for value in data.values() for text in _texts(value)]
    if isinstance(data, list | tuple):
        return [text for value in data for text in _texts(value)]
    return []


def test_the_knowledge_base_the_analyzer_phrases_and_the_scenarios_hold_no_person():
    """What goes to the model besides the case's own words: none of it is mistaken for a person."""
    with open('services/ai/knowledge_base.json', encoding='utf-8') as file:
        texts = _texts(json.load(file))
    texts += [re.sub(r'\{\w+\}', 'x', label) for pair in phrases.LABELS.values() for label in pair]
    texts += [text for scenario in SCENARIOS
              for text in (scenario.title, scenario.description, *(note[2] for note in scenario.notes))]
    assert len(texts) > 700

    found = {text: names(text) for text in texts if names(text)}

    assert found == {'Licenciement abusif de M. Haddad': ['Haddad']}


# --- Pseudonymizer ------------------------------------------------------------------------------------------------

THIRD_PARTIES = ('Note du 3 mars : Maître Karim Benali (k.benali@avocats.dz, 0661 22 33 44) représente la partie '
                 'adverse ; le témoin Yacine Saidi confirme. Ferhat relira le Code civil avant l’audience à la Cour '
                 'suprême d’Alger (TVA, SARL, Article 124).')


def test_third_parties_are_masked_and_put_back():
    masker = Pseudonymizer(['Sarl Atlas Négoce'], known_names=frozenset({'ferhat'}))

    masked = masker.mask(THIRD_PARTIES)

    assert masked == ('Note du 3 mars : Maître [PERSONNE_2] ([EMAIL_1], [TEL_1]) représente la partie adverse ; le '
                      'témoin [PERSONNE_3] confirme. [PERSONNE_4] relira le Code civil avant l’audience à la Cour '
                      'suprême d’Alger (TVA, SARL, Article 124).')
    assert masker.unmask(masked) == THIRD_PARTIES
    assert masker.mask('Le témoin Yacine Saidi, encore.') == 'Le témoin [PERSONNE_3], encore.'


def test_a_found_name_around_a_given_last_name_gets_one_placeholder():
    masker = Pseudonymizer(['Karima Haddad', 'Haddad'])

    assert masker.mask('Karim Haddad, le frère de Karima Haddad, et Haddad seul.') == \
        '[PERSONNE_3], le frère de [PERSONNE_1], et [PERSONNE_2] seul.'
    assert masker.mask('Karima a rappelé.') == '[PERSONNE_4] a rappelé.'  # the given first name, alone


def test_a_name_inside_an_email_leaves_the_email_whole():
    masker = Pseudonymizer([])

    assert masker.mask('Écrire à Nadia.Ferhat@exemple.dz.') == 'Écrire à [EMAIL_1].'


def test_find_names_off_masks_only_the_given_values_emails_and_phones():
    masker = Pseudonymizer(['Sarl Atlas Négoce'], find_names=False)

    assert masker.mask(THIRD_PARTIES).startswith('Note du 3 mars : Maître Karim Benali ([EMAIL_1], [TEL_1])')
