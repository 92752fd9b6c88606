"""The built-in analyzer on cases written as consultants write them: expected legal texts and risk, computed by
hand from the weights documented in services/ai/risk.py. Each case runs on SQLite and PostgreSQL."""

import pytest

from services.ai.analyses import run_analysis
from tests.ai_cases import Scenario, build
from tests.factories import make_tenant

SCENARIOS = [
    # due in 5 days 20 + high 10 + waiting 25 days 15 + words 35 (mise en demeure 15, redressement 15, contrôle
    # fiscal 5 of 12: the words' cap) = 80
    Scenario('fiscal-reassessment', 'fiscal', 'Contrôle fiscal TVA 2023',
             'Le client a reçu une notification de redressement portant sur la TVA collectée.',
             notes=((10, 'email', 'Mise en demeure reçue de la DGI, pénalités de retard.'),),
             status='waiting_client', priority='high', opened_days_ago=40, status_days_ago=25, due_in=5,
             references=('procédures fiscales', "chiffre d'affaires"), level='critical', score=80,
             factor_codes=frozenset({'due_soon', 'priority', 'waiting_client', 'alarm'})),
    # licenciement 8
    Scenario('dismissal', 'legal', 'Licenciement abusif de M. Haddad',
             'Le salarié conteste son licenciement pour faute grave et réclame sa réintégration devant le tribunal.',
             notes=((3, 'meeting', 'Réunion avec le DRH : le contrat de travail à durée indéterminée a été rompu '
                                   'sans entretien préalable.'),),
             opened_days_ago=10, due_in=20, references=('90-11',), level='low', score=8,
             factor_codes=frozenset({'alarm'})),
    Scenario('company-creation', 'business', 'Création d’une SARL dans le secteur technologique',
             "Rédaction des statuts, immatriculation au registre de commerce et déclaration d'existence.",
             status='new', opened_days_ago=3, references=('75-59', '04-08'), level='low', score=0),
    Scenario('personal-data', 'legal', 'Conformité du fichier clients',
             'Le client collecte des données à caractère personnel (e-mails, téléphones) sans consentement ; '
             "déclaration à l'ANPDP à prévoir.",
             opened_days_ago=20, contact_days_ago=5, references=('18-07',), level='low', score=0),
    Scenario('online-shop', 'business', 'Lancement d’une boutique en ligne',
             'Site de vente en ligne : conditions générales de vente, paiement électronique et inscription du '
             'e-fournisseur.', opened_days_ago=12, contact_days_ago=2, references=('18-05',), level='low', score=0),
    # due in 10 days 10 + high 10 + waiting 18 days 10 = 30
    Scenario('consumer-claim', 'legal', 'Réclamation consommateur – produit défectueux',
             notes=((18, 'call', 'Appel : le consommateur se plaint d’un produit défectueux, la garantie a été '
                                 'refusée.'),),
             status='waiting_client', priority='high', opened_days_ago=30, status_days_ago=18, due_in=10,
             references=('09-03',), level='medium', score=30,
             factor_codes=frozenset({'due_soon', 'priority', 'waiting_client'})),
    # still new after 20 days 10 + no exchange since an opening 20 days ago 15 = 25
    Scenario('price-cartel', 'legal', 'Entente sur les prix entre distributeurs',
             "Suspicion d'entente et d'abus de position dominante ; saisine du Conseil de la concurrence envisagée.",
             status='new', opened_days_ago=20, references=('03-03',), level='medium', score=25,
             factor_codes=frozenset({'not_started', 'no_contact'})),
    Scenario('money-laundering', 'other', 'Opérations suspectes en espèces',
             'Des dépôts en espèces fractionnés laissent craindre du blanchiment d’argent ; déclaration de soupçon '
             'à la CTRF.', opened_days_ago=8, contact_days_ago=1, references=('05-01',), level='low', score=0),
    Scenario('investment', 'administrative', 'Dossier AAPI pour un projet industriel',
             "Demande d'avantages fiscaux au titre de la loi sur l'investissement ; enregistrement de "
             "l'investissement auprès de l'agence.", opened_days_ago=15, contact_days_ago=3,
             references=('22-18',), level='low', score=0),
    # 12 days late 34 + no exchange in 60 days 15 + waiting 50 days 20 + idle 50 days 10 + majoration 8 = 87
    Scenario('social-security', 'administrative', 'Régularisation CNAS',
             'Déclaration des salaires et cotisations de sécurité sociale en retard ; majorations appliquées par la '
             'CNAS.', status='waiting_client', opened_days_ago=60, status_days_ago=50, due_in=-12,
             references=('83-1',), level='critical', score=87,
             factor_codes=frozenset({'overdue', 'no_contact', 'waiting_client', 'stale', 'alarm'})),
    Scenario('share-transfer', 'fiscal', 'Cession de parts sociales',
             "Calcul des droits d'enregistrement sur la cession de parts et du droit de timbre de l'acte.",
             opened_days_ago=5, contact_days_ago=1, references=("l'enregistrement", 'timbre'), level='low', score=0),
    # due in 2 days 25 + urgent 20 = 45
    Scenario('corporate-tax', 'fiscal', 'Déclaration annuelle IBS',
             "Préparation de la liasse fiscale et calcul de l'impôt sur les bénéfices des sociétés (IBS) et de l'IRG "
             'sur salaires.', priority='urgent', opened_days_ago=10, contact_days_ago=2, due_in=2,
             references=('impôts directs',), level='high', score=45,
             factor_codes=frozenset({'due_soon', 'priority'})),
    # last contact 45 days ago 12 + nothing new for 45 days 10 = 22
    Scenario('supply-contract', 'legal', 'Inexécution du contrat de fourniture',
             notes=((45, 'general', 'Le fournisseur invoque la force majeure ; nous envisageons la résolution du '
                                    'contrat et des dommages et intérêts.'),),
             opened_days_ago=50, contact_days_ago=45, references=('75-58',), level='medium', score=22,
             factor_codes=frozenset({'no_contact', 'stale'})),
    Scenario('plain-follow-up', 'other', 'Suivi du dossier',
             'Réunion de suivi prévue, envoyer les pièces demandées au client.',
             opened_days_ago=3, contact_days_ago=1, no_references=True, level='low', score=0),
    Scenario('empty-case', 'business', 'Nouveau dossier', status='new', opened_days_ago=2, no_references=True,
             level='low', score=0),
    # 40 days late 40 + urgent 20 + no exchange in 90 days 15 + 2 late tasks 10 + words 35 = 120, capped at 100
    Scenario('debt-recovery', 'legal', 'Recouvrement de créance impayée',
             'Le débiteur ne paie pas malgré la mise en demeure ; assignation en paiement devant le tribunal.',
             tasks=((-10, 'Préparer l’assignation'), (-5, 'Relancer l’huissier')),
             priority='urgent', opened_days_ago=90, status_days_ago=60, due_in=-40,
             references=('75-58',), level='critical', score=100,
             factor_codes=frozenset({'overdue', 'priority', 'no_contact', 'overdue_tasks', 'alarm'})),
    Scenario('closed-dispute', 'legal', 'Litige commercial clos', 'Contentieux réglé par transaction.',
             status='closed', opened_days_ago=100, due_in=-30, level='low', score=0),
]


@pytest.mark.parametrize('scenario', SCENARIOS, ids=lambda scenario: scenario.name)
def test_builtin_analysis_of_realistic_cases(db, scenario: Scenario) -> None:
    actor = make_tenant()
    case = build(actor, scenario)

    analysis = run_analysis(actor, case.id, 'fr')

    assert (analysis.risk.level, analysis.risk.score) == (scenario.level, scenario.score), analysis.risk
    assert analysis.risk.score == min(100, sum(factor.weight for factor in analysis.risk.factors))
    assert {factor.code for factor in analysis.risk.factors} == scenario.factor_codes
    references = [reference.reference for reference in analysis.legal_references]
    for expected in scenario.references:
        assert any(expected in reference for reference in references), (expected, references)
    if scenario.no_references:
        assert references == []
    assert analysis.provider == 'builtin' and analysis.fallback_reason is None
    assert scenario.title in analysis.summary and 'Sarl Atlas Négoce' in analysis.summary
