"""The built-in analyzer's words, in French and English, and its sentences kept without a language.

The analyzer does not write text: it keeps each sentence as a `Phrase`, a key of `LABELS` and its values (numbers,
the case's own words, days, words to translate), stored as such. A stored analysis is written out when it is read,
in the reader's language (services have no access to the UI's catalogs, hence these labels of their own); the
days it speaks of are seen from the day of the analysis, which it describes.
"""

import re
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from services.day_words import long_date, relative_day

_COUNTED = re.compile(r'(\d+)((?:\s|&nbsp;)\w+)\(s\)')

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
    'summary.facts': ('Dossier {type} « {title} » pour {client}, ouvert {opened_ago} (le {opened}). '
                      'Statut « {status} » {status_since}.',
                      '{type_cap} case “{title}” for {client}, opened {opened_ago} ({opened}). '
                      'Status “{status}” {status_since}.'),
    'summary.due_past': ('Échéance dépassée depuis le {due}.', 'Due date passed on {due}.'),
    'summary.due_future': ('Échéance le {due}, {due_in}.', 'Due on {due}, {due_in}.'),
    'summary.no_due': ("Aucune échéance n'est fixée.", 'No due date is set.'),
    'summary.counts': ('{notes} note(s), {documents} document(s) et {interactions} interaction(s) avec le client.',
                       '{notes} note(s), {documents} document(s) and {interactions} interaction(s) with the client.'),
    'summary.highlights': ('Points saillants : {sentences}', 'Key points: {sentences}'),
    'summary.empty': ("Le dossier n'a ni description ni notes : l'analyse repose sur ses seules données.",
                      'The case has no description and no notes: the analysis rests on its data alone.'),
    'summary.closed': ('Le dossier est clos : aucun risque n’est suivi.', 'The case is closed: no risk is tracked.'),
    # risk factors
    'risk.overdue': ('Échéance dépassée', 'Due date passed'),
    'risk.overdue.evidence': ("L'échéance du {due} est dépassée de {days} jour(s).",
                              'The due date of {due} passed {days} day(s) ago.'),
    'risk.due_soon': ('Échéance proche', 'Due date close'),
    'risk.due_soon.evidence': ("L'échéance du {due} tombe dans {days} jour(s).", 'The case is due on {due}, in {days} '
                               'day(s).'),
    'risk.priority': ('Priorité {priority}', '{priority_cap} priority'),
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
    # next steps: the playbook (services/ai/playbook.py) says which, and when
    'step.legal.qualify': ('Qualifier le dossier : parties, faits, prétentions et enjeux',
                           'Qualify the case: parties, facts, claims and stakes'),
    'step.legal.collect': ('Collecter les pièces : contrats, correspondances, décisions',
                           'Collect the documents: contracts, letters, decisions'),
    'step.legal.deadlines': ('Vérifier les délais de procédure et de recours applicables',
                             'Check the applicable procedural and appeal deadlines'),
    'step.legal.chronology': ('Mettre à jour la chronologie des faits et l’analyse juridique',
                              'Update the chronology and the legal analysis'),
    'step.legal.running_deadlines': ('Contrôler les délais de procédure en cours',
                                     'Check the running procedural deadlines'),
    'step.legal.chase_documents': ('Relancer le client pour les pièces manquantes',
                                   'Chase the client for the missing documents'),
    'step.legal.draft_submissions': ('Préparer les écritures avec les éléments déjà reçus',
                                     'Draft the submissions with what was received'),
    'step.fiscal.list_notices': ('Recenser les déclarations, avis et notifications concernés',
                                 'List the returns, notices and notifications concerned'),
    'step.fiscal.check_deadline': ('Vérifier le délai de réponse à l’administration fiscale',
                                   'Check the deadline to answer the tax office'),
    'step.fiscal.prepare_claim': ('Préparer la réponse ou la réclamation à l’administration fiscale',
                                  'Prepare the reply or claim to the tax office'),
    'step.fiscal.check_bases': ('Contrôler les bases, les taux et les pénalités réclamés',
                                'Check the bases, rates and penalties claimed'),
    'step.fiscal.call_for_documents': ('Appeler le client pour obtenir les justificatifs',
                                       'Call the client for the supporting documents'),
    'step.fiscal.prepare_reply': ('Préparer la réponse à l’administration fiscale',
                                  'Prepare the reply to the tax office'),
    'step.administrative.list_documents': ('Lister les pièces du dossier administratif',
                                           'List the documents the file needs'),
    'step.administrative.find_office': ('Identifier l’administration compétente et le guichet',
                                        'Identify the competent office'),
    'step.administrative.file': ('Déposer le dossier et obtenir l’accusé de réception',
                                 'File the application and get the receipt'),
    'step.administrative.follow_up': ('Suivre l’instruction auprès de l’administration',
                                      'Follow up with the administration'),
    'step.administrative.chase_documents': ('Relancer le client pour les pièces à fournir',
                                            'Chase the client for the documents to provide'),
    'step.business.scope': ('Cadrer le besoin et le périmètre avec le client', 'Scope the need with the client'),
    'step.business.proposal': ('Envoyer une proposition chiffrée', 'Send a priced proposal'),
    'step.business.review': ('Faire un point d’avancement avec le client', 'Hold a progress review with the client'),
    'step.business.next_steps': ('Valider les prochaines étapes contractuelles', 'Agree the next contractual steps'),
    'step.business.chase_proposal': ('Relancer le client sur la proposition en attente',
                                     'Follow up on the pending proposal'),
    'step.other.qualify': ('Qualifier la demande et désigner un responsable',
                           'Qualify the request and name an owner'),
    'step.other.review': ('Faire le point d’avancement', 'Review progress'),
    'step.other.chase': ('Relancer le client', 'Chase the client'),
    'step.closing': ('Archiver les pièces et envoyer la note de clôture au client',
                     'File the documents and send the closing note to the client'),
    'step.new_due_date': ('Convenir d’une nouvelle échéance avec le client et l’informer du retard',
                          'Agree a new due date with the client and tell them about the delay'),
    'step.call_client': ('Appeler le client pour faire le point', 'Call the client for an update'),
    'step.alarm.formal_notice': ('Traiter la mise en demeure : y répondre ou en suivre l’exécution',
                                 'Deal with the formal notice: answer it or follow up on it'),
    'step.alarm.reassessment': ('Analyser la notification de redressement et préparer les observations',
                                'Analyse the reassessment notice and prepare the observations'),
    'step.alarm.tax_audit': ('Préparer les pièces demandées pour le contrôle fiscal',
                             'Prepare the documents asked for the tax audit'),
    'step.alarm.accounts_audit': ('Préparer les pièces comptables pour la vérification',
                                  'Prepare the accounting records for the audit'),
    'step.alarm.summons': ('Préparer la constitution et la défense sur l’assignation',
                           'Prepare the defence to the summons'),
    'step.alarm.foreclosure': ('Vérifier immédiatement les délais pour éviter la forclusion',
                               'Check the deadlines at once to avoid foreclosure'),
    'step.alarm.dismissal': ('Vérifier la procédure de licenciement suivie (entretien, notification)',
                             'Check the dismissal procedure followed (hearing, notice)'),
    'step.alarm.unpaid': ('Chiffrer les impayés et adresser une relance formelle',
                          'Quantify the unpaid amounts and send a formal reminder'),
    # recommendations
    'advice.legal': ('Consigner chaque échange (appel, courrier) dans une note pour garder la preuve des diligences.',
                     'Log every exchange (call, letter) in a note to keep evidence of the work done.'),
    'advice.fiscal': ('Conserver les accusés de réception : les délais fiscaux courent à compter de la notification.',
                      'Keep the receipts: tax deadlines run from the notification.'),
    'advice.administrative': ('Garder une copie datée de chaque dépôt auprès de l’administration.',
                              'Keep a dated copy of every filing with the administration.'),
    'advice.business': ('Formaliser les accords par écrit avant d’engager des travaux.',
                        'Put agreements in writing before starting work.'),
    'advice.other': ('Préciser le type du dossier pour bénéficier d’un suivi adapté.',
                     'Set the case type to get suitable follow-up.'),
    'reco.priority': ('Traiter ce dossier en priorité et en informer le responsable.',
                      'Handle this case first and tell its owner.'),
    'reco.set_due_date': ('Fixer une échéance pour que le dossier apparaisse dans les rappels.',
                          'Set a due date so that the case shows in the reminders.'),
    'reco.block_time': ('Bloquer du temps avant l’échéance du {due}.', 'Block time before the due date of {due}.'),
    'reco.describe': ('Décrire le dossier et consigner les premiers échanges pour une analyse plus précise.',
                      'Describe the case and log the first exchanges for a sharper analysis.'),
    'reco.attach': ('Joindre les pièces du dossier (contrats, courriers, avis).',
                    'Attach the case documents (contracts, letters, notices).'),
}


# --- Values of a phrase: each says how it is written in the reader's language ----------------------------------

class _Value(BaseModel):
    model_config = ConfigDict(frozen=True, extra='forbid')


class Day(_Value):
    """A date: «3 mars 2026» / «3 March 2026»."""

    day: date


class Ago(_Value):
    """A date seen from the analysis day: «aujourd'hui», «hier», «il y a 3 jours», «dans 2 jours»."""

    ago: date


class Since(_Value):
    """How long something had lasted on the analysis day: «depuis hier», «depuis 3 jours», «depuis le 3 mars»."""

    since: date


class Word(_Value):
    """One of the analyzer's words (a case type, status or priority): a key of LABELS."""

    word: str
    capital: bool = False


class Quotes(_Value):
    """Sentences of the case, quoted the way the language quotes: «\u00a0…\u00a0» / “…”."""

    quotes: list[str]


Value = int | str | Day | Ago | Since | Word | Quotes  # str: the case's own words (a title, a name), as written


class Phrase(BaseModel):
    """A sentence of the analyzer without a language: a key of LABELS and its values."""

    model_config = ConfigDict(frozen=True)

    key: str
    values: dict[str, Value] = Field(default_factory=dict)

    def text(self, language: str, today: date) -> str:
        """The sentence in `language`, its days seen from `today` (the day of the analysis)."""
        return say(language, self.key, **{name: _written(value, language, today)
                                          for name, value in self.values.items()})


def phrase(key: str, **values: Value) -> Phrase:
    return Phrase(key=key, values=values)


def _written(value: Value, language: str, today: date) -> str | int:
    if isinstance(value, Day):
        return long_date(value.day, language)
    if isinstance(value, Ago):
        return relative_day(value.ago, today, language)
    if isinstance(value, Since):
        return relative_day(value.since, today, language, since=True)
    if isinstance(value, Word):
        word = say(language, value.word)
        return word[:1].upper() + word[1:] if value.capital else word
    if isinstance(value, Quotes):
        return ' '.join(f'“{quote}”' if language == 'en' else f'«\u00a0{quote}\u00a0»' for quote in value.quotes)
    return value


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
