"""What to do next, from a playbook per case type and status, adjusted to the case's deadline, risk and words.

A step is (French, English, days from today). Its due date is today plus those days, brought forward to the day
before the case's due date when that comes first (never before today).
"""

from datetime import date, timedelta

from db.models import CaseStatus, CaseType
from services.ai.facts import CaseFacts
from services.ai.phrases import long_date
from services.ai.risk import Alarm
from services.ai.schema import NextStep, Risk

Step = tuple[str, str, int]

STEPS: dict[tuple[CaseType, CaseStatus], list[Step]] = {
    (CaseType.LEGAL, CaseStatus.NEW): [
        ('Qualifier le dossier : parties, faits, prétentions et enjeux', 'Qualify the case: parties, facts, claims '
         'and stakes', 1),
        ('Collecter les pièces : contrats, correspondances, décisions', 'Collect the documents: contracts, letters, '
         'decisions', 3),
        ('Vérifier les délais de procédure et de recours applicables', 'Check the applicable procedural and appeal '
         'deadlines', 2)],
    (CaseType.LEGAL, CaseStatus.IN_PROGRESS): [
        ('Mettre à jour la chronologie des faits et l’analyse juridique', 'Update the chronology and the legal '
         'analysis', 5),
        ('Contrôler les délais de procédure en cours', 'Check the running procedural deadlines', 2)],
    (CaseType.LEGAL, CaseStatus.WAITING_CLIENT): [
        ('Relancer le client pour les pièces manquantes', 'Chase the client for the missing documents', 1),
        ('Préparer les écritures avec les éléments déjà reçus', 'Draft the submissions with what was received', 4)],
    (CaseType.FISCAL, CaseStatus.NEW): [
        ('Recenser les déclarations, avis et notifications concernés', 'List the returns, notices and '
         'notifications concerned', 2),
        ('Vérifier le délai de réponse à l’administration fiscale', 'Check the deadline to answer the tax '
         'office', 1)],
    (CaseType.FISCAL, CaseStatus.IN_PROGRESS): [
        ('Préparer la réponse ou la réclamation à l’administration fiscale', 'Prepare the reply or claim to the tax '
         'office', 5),
        ('Contrôler les bases, les taux et les pénalités réclamés', 'Check the bases, rates and penalties claimed', 3)],
    (CaseType.FISCAL, CaseStatus.WAITING_CLIENT): [
        ('Appeler le client pour obtenir les justificatifs', 'Call the client for the supporting documents', 1),
        ('Préparer la réponse à l’administration fiscale', 'Prepare the reply to the tax office', 3)],
    (CaseType.ADMINISTRATIVE, CaseStatus.NEW): [
        ('Lister les pièces du dossier administratif', 'List the documents the file needs', 2),
        ('Identifier l’administration compétente et le guichet', 'Identify the competent office', 2)],
    (CaseType.ADMINISTRATIVE, CaseStatus.IN_PROGRESS): [
        ('Déposer le dossier et obtenir l’accusé de réception', 'File the application and get the receipt', 5),
        ('Suivre l’instruction auprès de l’administration', 'Follow up with the administration', 10)],
    (CaseType.ADMINISTRATIVE, CaseStatus.WAITING_CLIENT): [
        ('Relancer le client pour les pièces à fournir', 'Chase the client for the documents to provide', 1)],
    (CaseType.BUSINESS, CaseStatus.NEW): [
        ('Cadrer le besoin et le périmètre avec le client', 'Scope the need with the client', 2),
        ('Envoyer une proposition chiffrée', 'Send a priced proposal', 5)],
    (CaseType.BUSINESS, CaseStatus.IN_PROGRESS): [
        ('Faire un point d’avancement avec le client', 'Hold a progress review with the client', 5),
        ('Valider les prochaines étapes contractuelles', 'Agree the next contractual steps', 7)],
    (CaseType.BUSINESS, CaseStatus.WAITING_CLIENT): [
        ('Relancer le client sur la proposition en attente', 'Follow up on the pending proposal', 1)],
    (CaseType.OTHER, CaseStatus.NEW): [
        ('Qualifier la demande et désigner un responsable', 'Qualify the request and name an owner', 1)],
    (CaseType.OTHER, CaseStatus.IN_PROGRESS): [
        ('Faire le point d’avancement', 'Review progress', 7)],
    (CaseType.OTHER, CaseStatus.WAITING_CLIENT): [
        ('Relancer le client', 'Chase the client', 1)],
}
CLOSING: list[Step] = [('Archiver les pièces et envoyer la note de clôture au client', 'File the documents and '
                        'send the closing note to the client', 7)]

ADVICE: dict[CaseType, tuple[str, str]] = {
    CaseType.LEGAL: ('Consigner chaque échange (appel, courrier) dans une note pour garder la preuve des diligences.',
                     'Log every exchange (call, letter) in a note to keep evidence of the work done.'),
    CaseType.FISCAL: ('Conserver les accusés de réception : les délais fiscaux courent à compter de la notification.',
                      'Keep the receipts: tax deadlines run from the notification.'),
    CaseType.ADMINISTRATIVE: ('Garder une copie datée de chaque dépôt auprès de l’administration.',
                              'Keep a dated copy of every filing with the administration.'),
    CaseType.BUSINESS: ('Formaliser les accords par écrit avant d’engager des travaux.',
                        'Put agreements in writing before starting work.'),
    CaseType.OTHER: ('Préciser le type du dossier pour bénéficier d’un suivi adapté.',
                     'Set the case type to get suitable follow-up.'),
}

ALARM_STEPS: dict[str, Step] = {
    'mise en demeure': ('Traiter la mise en demeure : y répondre ou en suivre l’exécution',
                        'Deal with the formal notice: answer it or follow up on it', 2),
    'redressement': ('Analyser la notification de redressement et préparer les observations',
                     'Analyse the reassessment notice and prepare the observations', 3),
    'contrôle fiscal': ('Préparer les pièces demandées pour le contrôle fiscal', 'Prepare the documents asked for '
                        'the tax audit', 3),
    'vérification de comptabilité': ('Préparer les pièces comptables pour la vérification', 'Prepare the accounting '
                                     'records for the audit', 3),
    'assignation': ('Préparer la constitution et la défense sur l’assignation', 'Prepare the defence to the summons',
                    2),
    'forclusion': ('Vérifier immédiatement les délais pour éviter la forclusion', 'Check the deadlines at once to '
                   'avoid foreclosure', 0),
    'licenciement': ('Vérifier la procédure de licenciement suivie (entretien, notification)', 'Check the dismissal '
                     'procedure followed (hearing, notice)', 3),
    'impayé': ('Chiffrer les impayés et adresser une relance formelle', 'Quantify the unpaid amounts and send a '
               'formal reminder', 3),
}


def _pick(step: Step, language: str) -> str:
    return step[1] if language == 'en' else step[0]


def _due(days: int, facts: CaseFacts, today: date) -> date:
    due = today + timedelta(days=days)
    if facts.due_date and facts.due_date > today:
        due = min(due, facts.due_date - timedelta(days=1))
    return max(due, today)


def next_steps(facts: CaseFacts, risk: Risk, alarms: list[Alarm], today: date, language: str) -> list[NextStep]:
    codes = {factor.code for factor in risk.factors}
    steps: list[tuple[Step, str]] = []
    if 'overdue' in codes:
        steps.append((('Convenir d’une nouvelle échéance avec le client et l’informer du retard',
                       'Agree a new due date with the client and tell them about the delay', 0), 'overdue'))
    if 'no_contact' in codes and facts.status != CaseStatus.WAITING_CLIENT:
        steps.append((('Appeler le client pour faire le point', 'Call the client for an update', 1), 'no_contact'))
    steps += [(ALARM_STEPS[alarm.term], 'alarm') for alarm in alarms if alarm.term in ALARM_STEPS]
    if facts.status.is_open:
        steps += [(step, 'playbook') for step in STEPS.get((facts.case_type, facts.status), [])]
    elif facts.status == CaseStatus.RESOLVED:
        steps += [(step, 'playbook') for step in CLOSING]
    why = {'overdue': next((f.evidence for f in risk.factors if f.code == 'overdue'), ''),
           'no_contact': next((f.evidence for f in risk.factors if f.code == 'no_contact'), '')}
    seen, result = set(), []
    for step, origin in steps:
        title = _pick(step, language)
        if title in seen:
            continue
        seen.add(title)
        result.append(NextStep(title=title, due_date=_due(step[2], facts, today), why=why.get(origin, '')))
    return sorted(result[:8], key=lambda step: step.due_date)  # stable: same-day steps keep their order


def recommendations(facts: CaseFacts, risk: Risk, today: date, language: str) -> list[str]:
    fr = language != 'en'
    items = []
    if risk.level in ('high', 'critical'):
        items.append('Traiter ce dossier en priorité et en informer le responsable.' if fr
                     else 'Handle this case first and tell its owner.')
    if facts.due_date is None and facts.status.is_open:
        items.append('Fixer une échéance pour que le dossier apparaisse dans les rappels.' if fr
                     else 'Set a due date so that the case shows in the reminders.')
    elif facts.due_date and facts.status.is_open and facts.due_date >= today:
        items.append(f'Bloquer du temps avant l’échéance du {long_date(facts.due_date, language)}.' if fr
                     else f'Block time before the due date of {long_date(facts.due_date, language)}.')
    if not facts.notes and not facts.description.strip():
        items.append('Décrire le dossier et consigner les premiers échanges pour une analyse plus précise.' if fr
                     else 'Describe the case and log the first exchanges for a sharper analysis.')
    if facts.documents == 0 and facts.status.is_open:
        items.append('Joindre les pièces du dossier (contrats, courriers, avis).' if fr
                     else 'Attach the case documents (contracts, letters, notices).')
    items.append(_pick((*ADVICE[facts.case_type], 0), language))
    return items

