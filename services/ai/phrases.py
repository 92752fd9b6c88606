"""The analyzer's own words, in French and English: an analysis is written once, in the language of whoever ran it,
and stored as text (services have no access to the UI's catalogs, and a stored analysis must not change later)."""

import re
from datetime import date
from typing import Any

_COUNTED = re.compile(r'(\d+)((?:\s|&nbsp;)\w+)\(s\)')

MONTHS = {
    'fr': ('janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre',
           'novembre', 'décembre'),
    'en': ('January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October',
           'November', 'December'),
}

LABELS: dict[str, tuple[str, str]] = {
    'type.legal': ('juridique', 'legal'),
    'type.fiscal': ('fiscal', 'tax'),
    'type.administrative': ('administratif', 'administrative'),
    'type.business': ('business', 'business'),
    'type.other': ('divers', 'general'),
    'status.new': ('Nouveau', 'New'),
    'status.in_progress': ('En cours', 'In progress'),
    'status.waiting_client': ('Attente client', 'Waiting on client'),
    'status.resolved': ('Résolu', 'Resolved'),
    'status.closed': ('Fermé', 'Closed'),
    # summary
    'summary.facts': ('Dossier {type} « {title} » pour {client}, ouvert il y a {age} (le {opened}). '
                      'Statut « {status} » depuis {since}.',
                      '{type_cap} case “{title}” for {client}, opened {age} ago ({opened}). '
                      'Status “{status}” for {since}.'),
    'summary.due_past': ('Échéance dépassée depuis le {due}.', 'Due date passed on {due}.'),
    'summary.due_future': ('Échéance le {due}, dans {days}.', 'Due on {due}, in {days}.'),
    'summary.no_due': ("Aucune échéance n'est fixée.", 'No due date is set.'),
    'summary.counts': ('{notes} note(s), {documents} document(s) et {interactions} interaction(s) avec le client.',
                       '{notes} note(s), {documents} document(s) and {interactions} interaction(s) with the client.'),
    'summary.highlights': ('Points saillants : {sentences}', 'Key points: {sentences}'),
    'summary.empty': ("Le dossier n'a ni description ni notes : l'analyse repose sur ses seules données.",
                      'The case has no description and no notes: the analysis rests on its data alone.'),
    'summary.closed': ('Le dossier est clos : aucun risque n’est suivi.', 'The case is closed: no risk is tracked.'),
    'days': ('{n} jour(s)', '{n} day(s)'),
    'today': ("aujourd'hui", 'today'),
    # risk factors
    'risk.overdue': ('Échéance dépassée', 'Due date passed'),
    'risk.overdue.evidence': ("L'échéance du {due} est dépassée de {days} jour(s).",
                              'The due date of {due} passed {days} day(s) ago.'),
    'risk.due_soon': ('Échéance proche', 'Due date close'),
    'risk.due_soon.evidence': ("L'échéance du {due} tombe dans {days} jour(s).", 'The case is due on {due}, in {days} '
                               'day(s).'),
    'risk.priority': ('Priorité {priority}', '{priority} priority'),
    'risk.priority.evidence': ('Le dossier est marqué « {priority} ».', 'The case is marked “{priority}”.'),
    'priority.urgent': ('urgente', 'urgent'),
    'priority.high': ('haute', 'high'),
    'risk.no_contact': ('Pas de contact récent avec le client', 'No recent contact with the client'),
    'risk.no_contact.evidence': ('Aucun contact avec le client depuis {days} jours (dernier le {last}).',
                                 'No contact with the client for {days} days (last on {last}).'),
    'risk.never_contacted': ('Aucun échange avec le client', 'No exchange with the client'),
    'risk.never_contacted.evidence': ("Aucun appel, réunion ou e-mail depuis l'ouverture il y a {days} jours.",
                                      'No call, meeting or e-mail since the case was opened {days} days ago.'),
    'risk.waiting_client': ('Attente du client prolongée', 'Waiting on the client for long'),
    'risk.waiting_client.evidence': ('En attente du client depuis {weeks} semaine(s) ({days} jours).',
                                     'Waiting on the client for {weeks} week(s) ({days} days).'),
    'risk.not_started': ('Dossier non démarré', 'Case not started'),
    'risk.not_started.evidence': ('Toujours « Nouveau » {days} jours après son ouverture.',
                                  'Still “New” {days} days after it was opened.'),
    'risk.stale': ('Dossier sans activité', 'No activity on the case'),
    'risk.stale.evidence': ('Rien n’a été ajouté ni modifié depuis {days} jours.',
                            'Nothing was added or changed for {days} days.'),
    'risk.overdue_tasks': ('Tâches en retard', 'Overdue tasks'),
    'risk.overdue_tasks.evidence': ('Tâches ouvertes en retard : {count}, la plus ancienne due le {due}.',
                                    'Open tasks past their date: {count}, the oldest due on {due}.'),
    'risk.alarm': ('Mot d’alerte : « {term} »', 'Warning word: “{term}”'),
    'risk.alarm.note': ('« {term} » dans une note du {day}.', '“{term}” in a note of {day}.'),
    'risk.alarm.description': ('« {term} » dans la description du dossier.', '“{term}” in the case description.'),
}


def say(language: str, key: str, **params: Any) -> str:
    french, english = LABELS.get(key, (key, key))
    if language == 'en':
        return _plurals(english.format(**params) if params else english, language)
    return _typography(_plurals(french.format(**params) if params else french, language))


def _typography(text: str) -> str:
    """French spacing that never breaks: «\u00a0mot\u00a0», «\u00a0:»."""
    return text.replace('« ', '«\u00a0').replace(' »', '\u00a0»').replace(' :', '\u00a0:')


def _plurals(text: str, language: str) -> str:
    """«1 jour(s)» → «1 jour», «0 note(s)» → «0 note» (French), «12 day(s)» → «12 days»."""
    def agree(match: re.Match) -> str:
        number = int(match.group(1))
        singular = number <= 1 if language != 'en' else number == 1
        return f'{match.group(1)}{match.group(2)}{"" if singular else "s"}'

    return _COUNTED.sub(agree, text)


def long_date(day: date, language: str) -> str:
    """«3 mars 2026» / «3 March 2026»."""
    months = MONTHS['en' if language == 'en' else 'fr']
    return f'{day.day} {months[day.month - 1]} {day.year}'


def duration(days: int, language: str) -> str:
    return say(language, 'today') if days <= 0 else say(language, 'days', n=days)
