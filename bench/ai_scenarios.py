"""AI analysis benchmarks: the built-in analysis of one case with 500 notes (target: under 200 ms).

The case is made once in the bench tenant and found again by its title on later runs (a persistent bench database
keeps it): a client and a case through the services, an in-progress fiscal case opened some 400 days ago, then 500
notes written in one executemany, each 200 to 400 characters of faker fr_FR sentences mixed with the firm's legal and
fiscal vocabulary (mise en demeure, redressement, TVA, licenciement…), spread over the case's life. Each timed
`run_analysis` stores one more `case_analysis` row, as the page's button does.

- `ai_case_500_notes`: `run_analysis` end to end with the built-in provider (prepare in one unit of work, store in
  another), caches warm;
- `ai_case_500_notes_cold`: the same after emptying the in-process caches (the tenant's BM25 index, the stem cache):
  the first analysis after a server start or a knowledge-base edit;
- `ai_analyze_500_notes`: the pure `analyze(...)` call on facts loaded once (no database);
- `ai_load_facts_500_notes`: `load_facts` for that case alone (the database part of `prepare`).

`NoteTexts` and `LEGAL_PHRASES` are also what `python -m bench.ai_volume` writes its notes with.
"""

import random
from datetime import date, datetime, timedelta

from faker import Faker
from sqlalchemy import func, insert, update
from sqlmodel import col, select

from bench.registry import BenchContext, scenario
from bench.scenarios import _actor
from db.models import Case, CaseStatusChange, Note, NoteKind, utcnow
from db.session import session_scope
from services.ai import french, knowledge_store
from services.ai.analyses import run_analysis
from services.ai.analyzer import analyze
from services.ai.facts import load_facts
from services.ai.knowledge_store import tenant_index
from services.cases import CaseInput, create_case
from services.clients import ClientInput, create_client
from services.clock import today
from services.demo.vocabulary import NOTE_KIND_WEIGHTS

CASE_TITLE = 'Bench IA : contrôle fiscal TVA et contentieux social (500 notes)'
CASE_NOTES = 500
CASE_AGE_DAYS = 400
MIN_NOTE, MAX_NOTE = 200, 400

# Sentences as a consultant writes them, with the words the analyzer looks for (alarm words, knowledge-base keywords).
LEGAL_PHRASES = (
    'Réception d\'une mise en demeure de l\'administration fiscale au sujet de la TVA {year}.',
    'L\'inspecteur annonce un redressement de {amount} DA au titre de l\'IBS et de la TAP.',
    'Avis de vérification de comptabilité reçu pour les exercices {year} et {next_year}.',
    'Le contrôle fiscal porte sur la TVA déductible et les charges non déductibles.',
    'Préparer la réclamation contentieuse avant l\'expiration du délai, sinon forclusion.',
    'Demande de sursis légal de paiement déposée auprès de la commission de recours.',
    'Majoration de {rate} % appliquée sur les droits rappelés, pénalité de retard contestée.',
    'Le salarié {name} conteste son licenciement pour faute grave devant la section sociale.',
    'Procès-verbal de non-conciliation établi par l\'inspection du travail le {day}.',
    'Lettre de licenciement relue : la procédure disciplinaire n\'a pas été respectée.',
    'Assignation reçue devant le tribunal de {city}, audience fixée au {day}.',
    'Huissier mandaté pour une saisie conservatoire sur les comptes du débiteur.',
    'Le fournisseur réclame {amount} DA d\'impayé, litige commercial sur la facturation.',
    'Chèque impayé pour défaut de provision, dépôt de plainte envisagé.',
    'Risque de cessation de paiement signalé par l\'expert-comptable, dépôt de bilan évoqué.',
    'Relance de la CNAS : cotisations sociales du trimestre non versées, majoration possible.',
    'Déclaration G50 de {month} déposée, TVA collectée de {amount} DA.',
    'Cession de parts sociales à formaliser, droits d\'enregistrement à calculer.',
    'Modification du registre de commerce demandée au CNRC après l\'augmentation de capital.',
    'Bail commercial : le bailleur réclame trois mois de loyer, mise en demeure du locataire.',
    'Dernier délai pour produire les états financiers et le bilan comptable {year}.',
    'Prescription de l\'action à vérifier avant toute assignation.',
)
ROUTINE_PHRASES = (
    'Appel de {name} : souhaite connaître l\'avancement du dossier.',
    'Réunion au cabinet avec {name} et l\'expert-comptable, prochaines étapes convenues.',
    'E-mail envoyé à {name} avec la liste des pièces manquantes (NIF, NIS, extrait de rôle).',
    'Documents reçus par e-mail, classés au dossier.',
    'Point interne avec l\'associé : stratégie validée.',
    'Rendez-vous fixé à {city} le {day} pour signer le mandat.',
    'Messagerie, rappeler {name} demain matin.',
)
CITIES = ('Alger', 'Oran', 'Constantine', 'Annaba', 'Blida', 'Sétif', 'Tlemcen', 'Béjaïa')


class NoteTexts:
    """Realistic French note bodies of 200 to 400 characters, from one seeded stream: about two notes in three carry
    a legal or fiscal sentence, the rest is routine follow-up, both padded with faker fr_FR sentences."""

    def __init__(self, seed: int = 2026) -> None:
        self.rng = random.Random(seed)
        self.fake = Faker('fr_FR')
        self.fake.seed_instance(seed)
        self.kinds, self.kind_weights = tuple(NOTE_KIND_WEIGHTS), tuple(NOTE_KIND_WEIGHTS.values())

    def _fill(self, template: str, moment: datetime) -> str:
        rng = self.rng
        return template.format(year=moment.year - 1, next_year=moment.year, amount=f'{rng.randrange(50, 9000) * 1000:,}'
                               .replace(',', ' '), rate=rng.choice((10, 15, 25)), name=self.fake.name(),
                               city=rng.choice(CITIES), day=(moment + timedelta(days=rng.randrange(3, 40)))
                               .strftime('%d/%m/%Y'), month=moment.strftime('%m/%Y'))

    def body(self, moment: datetime) -> str:
        rng = self.rng
        target = rng.randint(MIN_NOTE, MAX_NOTE)
        pool = LEGAL_PHRASES if rng.random() < 0.65 else ROUTINE_PHRASES
        parts = [self._fill(rng.choice(pool), moment)]
        while sum(len(part) + 1 for part in parts) < target:
            if rng.random() < 0.2:
                parts.append(self._fill(rng.choice(LEGAL_PHRASES + ROUTINE_PHRASES), moment))
            else:
                parts.append(self.fake.sentence(nb_words=rng.randint(6, 14)))
        rng.shuffle(parts)
        text = ' '.join(parts)
        if len(text) > MAX_NOTE:
            text = text[:MAX_NOTE].rsplit(' ', 1)[0].rstrip(',;:') + '.'
        return text

    def note(self, moment: datetime, today_: date, case_open: bool = True) -> dict:
        """A note's kind, body, due date and done flag (tasks only), written at `moment`."""
        rng = self.rng
        kind = rng.choices(self.kinds, weights=self.kind_weights)[0]
        due, done = None, False
        if kind == NoteKind.TASK:
            due = (moment + timedelta(days=rng.randrange(2, 21))).date()
            done = not case_open or rng.random() < (0.8 if due < today_ else 0.2)
        return {'kind': kind.value, 'body': self.body(moment), 'due_date': due, 'done': done}


def _note_rows(tenant_id: int, case_id: int, author_id: int | None, opened: datetime, count: int,
               texts: NoteTexts) -> list[dict]:
    now = utcnow()
    moments = sorted(opened + (now - opened) * texts.rng.random() for _ in range(count))
    return [{'tenant_id': tenant_id, 'case_id': case_id, 'author_id': author_id, 'created_at': moment,
             'updated_at': moment, 'version': 1, **texts.note(moment, today())} for moment in moments]


def _prepare_case(ctx: BenchContext) -> None:
    """The 500-note case of the bench tenant (made on first use), its id in ctx.state['ai_case']."""
    if 'ai_case' in ctx.state:
        return
    actor = _actor(ctx)
    with session_scope() as session:
        case_id = session.exec(select(Case.id).where(Case.tenant_id == actor.tenant_id, Case.title == CASE_TITLE)
                               .order_by(col(Case.id))).first()
    if case_id is None:
        with session_scope() as session:
            client = create_client(session, actor, ClientInput(name='SARL Bench Atlas Négoce',
                                                               email='contact@bench-atlas.dz'))
            case = create_case(session, actor, CaseInput(
                client_id=client.id, title=CASE_TITLE, case_type='fiscal', status='in_progress', priority='high',
                description='Vérification de comptabilité portant sur la TVA et l\'IBS, et licenciement contesté '
                            'd\'un cadre. Le client craint un redressement important et une mise en demeure.',
                assignee_id=actor.user_id or None, due_date=today() + timedelta(days=10)))
            opened = utcnow() - timedelta(days=CASE_AGE_DAYS)
            session.execute(update(Case).where(col(Case.id) == case.id)
                            .values(opened_at=opened, created_at=opened, updated_at=opened))
            session.execute(update(CaseStatusChange).where(col(CaseStatusChange.case_id) == case.id)
                            .values(changed_at=opened))
            session.execute(insert(Note.__table__), _note_rows(actor.tenant_id, case.id, actor.user_id or None, opened,
                                                               CASE_NOTES, NoteTexts(seed=500)))
            case_id = case.id
    with session_scope() as session:
        notes = session.exec(select(func.count()).select_from(Note).where(Note.case_id == case_id)).one()
    if notes != CASE_NOTES:
        raise RuntimeError(f'ai_case_500_notes: case {case_id} has {notes} notes, not {CASE_NOTES}')
    ctx.state['ai_case'] = case_id


def _check(ctx: BenchContext, analysis) -> None:
    if analysis.case_id != ctx.state['ai_case'] or analysis.provider != 'builtin' or not analysis.risk.score \
            or not analysis.legal_references:
        raise RuntimeError(f'ai_case_500_notes: unexpected analysis {analysis.provider} {analysis.risk} '
                           f'({len(analysis.legal_references)} references)')


@scenario('ai_case_500_notes', iterations=30, setup=_prepare_case)
def ai_case_500_notes(ctx: BenchContext) -> None:
    """Built-in analysis of one case with 500 notes, end to end (run_analysis: prepare, then store), caches warm."""
    _check(ctx, run_analysis(ctx.state['actor'], ctx.state['ai_case'], 'fr'))


def _cold_caches() -> None:
    with knowledge_store._lock:
        knowledge_store._indexes.clear()
    french._stems.clear()


@scenario('ai_case_500_notes_cold', iterations=5, warmup=0, setup=_prepare_case)
def ai_case_500_notes_cold(ctx: BenchContext) -> None:
    """The same analysis with the in-process caches emptied first (tenant BM25 index, stems): a first run."""
    _cold_caches()
    _check(ctx, run_analysis(ctx.state['actor'], ctx.state['ai_case'], 'fr'))


def _prepare_facts(ctx: BenchContext) -> None:
    _prepare_case(ctx)
    with session_scope() as session:
        ctx.state['ai_facts'] = load_facts(session, ctx.tenant.id, [ctx.state['ai_case']])[ctx.state['ai_case']]
        ctx.state['ai_index'] = tenant_index(session, ctx.tenant.id)


@scenario('ai_analyze_500_notes', iterations=50, setup=_prepare_facts)
def ai_analyze_500_notes(ctx: BenchContext) -> None:
    """The pure analyze(...) call on the 500-note case's facts (risk, alarms, BM25 references, summary, playbook)."""
    result = analyze(ctx.state['ai_facts'], ctx.state['ai_index'], today(), 'fr')
    if not result.risk.score or not result.legal_references:
        raise RuntimeError('ai_analyze_500_notes: no risk or no reference found')


@scenario('ai_load_facts_500_notes', iterations=50, setup=_prepare_case)
def ai_load_facts_500_notes(ctx: BenchContext) -> None:
    """load_facts for the 500-note case alone: the database reads of prepare."""
    with session_scope() as session:
        facts = load_facts(session, ctx.tenant.id, [ctx.state['ai_case']])
    if len(facts[ctx.state['ai_case']].notes) != CASE_NOTES:
        raise RuntimeError('ai_load_facts_500_notes: notes missing')
