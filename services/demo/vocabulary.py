"""What demo data is made of: French and Algerian names, places, case titles, note bodies, interaction titles,
and the proportions of the reference volume (3 contacts and 2 cases per client, 5 notes per case, about 10
interactions per client)."""

from db.models import CasePriority, CaseStatus, CaseType, InteractionType, NoteKind

CONTACTS_PER_CLIENT = (2, 3, 4)  # 3 on average
CASES_PER_CLIENT = 2
NOTES_PER_CASE = 5
HISTORY_DAYS = 730  # cases opened over the past two years

ALGERIAN_CITIES = (
    ('Alger', '16000'), ('Oran', '31000'), ('Constantine', '25000'), ('Annaba', '23000'), ('Blida', '09000'),
    ('Sétif', '19000'), ('Tlemcen', '13000'), ('Béjaïa', '06000'), ('Tizi Ouzou', '15000'), ('Batna', '05000'),
    ('Boumerdès', '35000'), ('Tipaza', '42000'), ('Mostaganem', '27000'), ('Ghardaïa', '47000'),
)
ALGERIAN_STREETS = (
    'rue Didouche Mourad', 'boulevard Mohamed V', 'rue Larbi Ben M\'hidi', 'avenue de l\'ALN', 'rue Hassiba Ben Bouali',
    'boulevard Zighoud Youcef', 'rue Abane Ramdane', 'cité des 500 Logements', 'lotissement El Bina',
    'zone industrielle', 'rue Émir Abdelkader', 'boulevard Krim Belkacem', 'cité Djenane El Malik',
)
ALGERIAN_FIRST_NAMES = (
    'Amine', 'Yacine', 'Karim', 'Sofiane', 'Mehdi', 'Riad', 'Nassim', 'Samir', 'Walid', 'Farid', 'Mourad', 'Hakim',
    'Djamel', 'Rachid', 'Lotfi', 'Bilal', 'Nadia', 'Amina', 'Lina', 'Sarah', 'Yasmine', 'Meriem', 'Imane', 'Samia',
    'Lamia', 'Souad', 'Kenza', 'Rania', 'Feriel', 'Assia', 'Nesrine', 'Khadidja',
)
ALGERIAN_LAST_NAMES = (
    'Benali', 'Bouzid', 'Haddad', 'Mansouri', 'Khelifi', 'Saïdi', 'Belkacem', 'Brahimi', 'Zerrouki', 'Meziane',
    'Amrani', 'Hamidi', 'Boudiaf', 'Chérif', 'Rahmani', 'Aït Ahmed', 'Benmoussa', 'Chaouch', 'Djebbar', 'Ferhat',
    'Ghali', 'Kaci', 'Lounis', 'Messaoudi', 'Ouali', 'Saadi', 'Taleb', 'Yahiaoui', 'Ziani', 'Bensalem',
    'Bouchama', 'Hadjadj', 'Larbi', 'Medjahed', 'Tebboune', 'Zitouni', 'Belaïd', 'Kherbouche', 'Slimani',
)
COMPANY_FORMS = ('SARL', 'SARL', 'SPA', 'EURL', 'EURL', 'SNC', 'Société')
SECTORS = ('Tech', 'Import-Export', 'Agro', 'BTP', 'Conseil', 'Pharma', 'Logistique', 'Énergie', 'Textile',
           'Immobilier', 'Distribution', 'Finance', 'Transport', 'Plasturgie', 'Négoce', 'Services')
TAGS = ('VIP', 'export', 'prioritaire', 'partenaire', 'salon 2026', 'recommandé', 'PME', 'grand compte',
        'à relancer', 'nouveau')
CONTACT_ROLES = ('Gérant', 'Directeur général', 'Directrice financière', 'Comptable', 'Assistante de direction',
                 'Juriste', 'Responsable RH', 'Associé', 'Responsable achats', 'Expert-comptable')
MOBILE_PREFIXES = ('55', '66', '67', '69', '77', '78', '79')  # Ooredoo, Mobilis, Djezzy
MONTHS = ('janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre',
          'novembre', 'décembre')

CASE_TITLES = {
    CaseType.LEGAL: ('Constitution SARL', 'Constitution EURL', 'Constitution de société par actions',
                     'Litige commercial', 'Recouvrement de créances', 'Rédaction du contrat de distribution',
                     'Modification des statuts', 'Cession de parts sociales', 'Litige social (licenciement)',
                     'Augmentation de capital', 'Dissolution et liquidation', 'Bail commercial'),
    CaseType.FISCAL: ('Contrôle fiscal TVA {year}', 'Déclaration G50 {month} {year}', 'Bilan fiscal {year}',
                      'Déclaration IBS {year}', 'Réclamation contentieuse IRG', 'Remboursement de crédit de TVA',
                      'Régularisation TAP {year}', 'Vérification de comptabilité {year}', 'Déclaration G12'),
    CaseType.ADMINISTRATIVE: ('Renouvellement registre de commerce', 'Modification du registre de commerce',
                              'Immatriculation CNAS', 'Affiliation CASNOS', 'Demande d\'agrément',
                              'Obtention du NIF', 'Domiciliation du siège', 'Licence d\'importation',
                              'Certificat d\'existence'),
    CaseType.BUSINESS: ('Levée de fonds', 'Business plan {year}', 'Étude de marché', 'Dossier de crédit bancaire',
                        'Recherche de partenaires export', 'Évaluation d\'entreprise', 'Plan de financement ANADE'),
    CaseType.OTHER: ('Accompagnement général', 'Demande d\'information', 'Audit de conformité',
                     'Traduction de documents officiels'),
}
CASE_TYPE_WEIGHTS = {CaseType.LEGAL: 30, CaseType.FISCAL: 35, CaseType.ADMINISTRATIVE: 20, CaseType.BUSINESS: 10,
                     CaseType.OTHER: 5}
PRIORITY_WEIGHTS = {CasePriority.LOW: 15, CasePriority.NORMAL: 55, CasePriority.HIGH: 22, CasePriority.URGENT: 8}
OPEN_STATUS_WEIGHTS = {CaseStatus.NEW: 30, CaseStatus.IN_PROGRESS: 45, CaseStatus.WAITING_CLIENT: 25}
CASE_DESCRIPTIONS = (
    '{title} pour {client}. Interlocuteur principal : {contact}.',
    'Mandat signé par {contact} pour {client}. Honoraires forfaitaires convenus, pièces à réunir.',
    'Dossier ouvert à la demande de {contact} ({city}). Premier rendez-vous fixé, analyse des documents transmis.',
    '{client} nous confie ce dossier : {title}. Vérifier le registre de commerce, le NIF et les derniers bilans.',
)
NOTE_KIND_WEIGHTS = {NoteKind.GENERAL: 25, NoteKind.CALL: 25, NoteKind.MEETING: 15, NoteKind.EMAIL: 20,
                     NoteKind.TASK: 15}
NOTE_BODIES = {
    NoteKind.GENERAL: (
        'Point sur le dossier {reference} : pièces reçues, analyse en cours.',
        'Le client a transmis les statuts de la société et l\'extrait du registre de commerce.',
        'Il manque l\'attestation de mise à jour CNAS et l\'extrait de rôle. Relance prévue.',
        'Synthèse : risque faible, nous recommandons de régulariser avant la fin du trimestre.',
        'Dossier complet, transmis à l\'associé pour validation.',
    ),
    NoteKind.CALL: (
        'Appel de {contact} : souhaite connaître l\'avancement du dossier « {title} ».',
        'Appel sortant vers {contact}, messagerie. Rappeler demain matin.',
        'Échange téléphonique avec {contact} : accord sur les honoraires et le calendrier.',
        'Appel de {contact} : l\'inspecteur des impôts a demandé des justificatifs complémentaires.',
    ),
    NoteKind.MEETING: (
        'Réunion au cabinet avec {contact} : revue des documents et prochaines étapes.',
        'Rendez-vous chez le client à {city} : visite des locaux, signature du mandat.',
        'Visioconférence avec {contact} et l\'expert-comptable : validation du bilan {year}.',
        'Réunion avec la banque à {city} pour présenter le dossier de la société.',
    ),
    NoteKind.EMAIL: (
        'E-mail envoyé à {contact} : liste des pièces manquantes (NIF, NIS, article d\'imposition).',
        'Réponse de {contact} par e-mail : documents envoyés en pièce jointe.',
        'Courriel de l\'administration fiscale reçu, transmis au client pour avis.',
        'Envoi du projet de courrier à {contact} pour relecture.',
    ),
    NoteKind.TASK: (
        'Préparer le projet de statuts de la société',
        'Déposer la déclaration G50 avant le 20 du mois',
        'Relancer {contact} pour la copie du registre de commerce',
        'Vérifier le calcul de la TAP et de la TVA',
        'Envoyer la note d\'honoraires à {contact}',
        'Programmer un rendez-vous avec le notaire à {city}',
        'Préparer les pièces pour le CNRC',
    ),
}

# --- the pipeline -------------------------------------------------------------------------------------------------
# Where clients end up, by forward stage (the default six stages: cold, warm, hot prospects, negotiation, client);
# a tenant with other stages gets the same shape, stretched (see DemoGenerator._stage_weights).
FINAL_STAGE_WEIGHTS = (24, 17, 12, 9, 38)
LOST_SHARE = 0.10  # prospects (and a few customers) that went to the lost stage
SKIPPED_STAGE_CHANCE = 0.15  # a move may jump over a stage
DIRECT_ENTRY_CHANCE = 0.15  # a recommended prospect enters the pipeline further than the first stage

# --- interactions -------------------------------------------------------------------------------------------------
INTERACTIONS_PER_CLIENT = 10  # on average, with a long tail (a log-normal count, see DemoGenerator)
INTERACTION_SPREAD = 0.95  # sigma of the log-normal count: most clients 3-20, a few hundred for the busiest
INTERACTION_DAYS = 3 * 365  # interactions over the past three years (older history is imported)
IMPORTED_HISTORY_DAYS = 365  # some clients come with up to a year of history from before their creation
IMPORTED_HISTORY_CHANCE = 0.3
PLANNED_CHANCE = 0.12  # clients still moving with a meeting planned in the coming weeks
PLANNED_DAYS = 42
INTERACTION_TYPE_WEIGHTS = {InteractionType.EMAIL: 34, InteractionType.CALL: 24, InteractionType.MEETING: 12,
                            InteractionType.LUNCH: 4, InteractionType.NOTE: 13, InteractionType.WEBINAR: 3,
                            InteractionType.NEWSLETTER: 10}
# Activity by pipeline position: cold prospects get little, negotiations and customers a lot.
STAGE_ACTIVITY = (0.45, 0.8, 1.2, 1.6, 1.15)
LOST_ACTIVITY = 0.6
DURATIONS = {InteractionType.CALL: (5, 10, 10, 15, 15, 20, 30, 45), InteractionType.MEETING: (30, 45, 60, 60, 90, 120),
             InteractionType.LUNCH: (60, 90, 90, 120), InteractionType.WEBINAR: (45, 60, 60, 90)}
PITCH_CHANCE = {InteractionType.MEETING: 0.25, InteractionType.LUNCH: 0.2, InteractionType.CALL: 0.05,
                InteractionType.WEBINAR: 0.3}
WEBHOOK_CHANCE = {InteractionType.EMAIL: 0.12, InteractionType.MEETING: 0.1, InteractionType.CALL: 0.05}
WEBHOOK_PROVIDERS = {InteractionType.EMAIL: ('outlook', 'gmail'), InteractionType.MEETING: ('calendly', 'outlook'),
                     InteractionType.CALL: ('ringover', 'aircall')}
EXTERNAL_PARTICIPANT_CHANCE = {InteractionType.MEETING: 0.3, InteractionType.LUNCH: 0.2, InteractionType.WEBINAR: 0.1}
EXTERNAL_ROLES = ('Notaire', 'Chargé d\'affaires bancaire', 'Commissaire aux comptes', 'Avocat associé',
                  'Investisseur', 'Expert-comptable', 'Conseiller ANADE', 'Consultant export')
EXTERNAL_DOMAINS = ('banque-bna.dz', 'cpa.dz', 'notaires-alger.dz', 'cabinet-conseil.dz', 'invest-partners.fr',
                    'gmail.com')
TOPICS = ('la déclaration G50', 'le bilan annuel', 'la levée de fonds', 'le contrôle fiscal',
          'le renouvellement du registre de commerce', 'le plan de financement', 'la cession de parts',
          'le contrat de distribution', 'l\'augmentation de capital', 'la TVA à récupérer', 'le dossier de crédit',
          'l\'ouverture d\'une filiale', 'la mise en conformité CNAS', 'l\'export vers l\'Europe',
          'le business plan', 'les honoraires de l\'année')
WEBINAR_TOPICS = ('Loi de finances {year} : ce qui change', 'Réussir sa levée de fonds', 'Exporter depuis l\'Algérie',
                  'Le contrôle fiscal, mode d\'emploi', 'Créer sa société en 2 semaines', 'Financer sa croissance')
NEWSLETTER_TOPICS = ('actualité fiscale', 'loi de finances', 'échéances du trimestre', 'marchés et investissement',
                     'vie du cabinet', 'droit des sociétés')
INTERACTION_TITLES = {
    InteractionType.EMAIL: ('Envoi de la proposition d\'honoraires', 'Réponse de {contact} sur {topic}',
                            'Relance : pièces manquantes pour {topic}', 'Transmission du compte rendu',
                            'Question de {contact} sur {topic}', 'Envoi du projet de contrat',
                            'Demande de documents : {topic}'),
    InteractionType.CALL: ('Appel de {contact}', 'Appel sortant : {topic}', 'Point téléphonique sur {topic}',
                           'Relance téléphonique de {contact}', 'Appel de qualification', 'Messagerie, rappeler'),
    InteractionType.MEETING: ('Rendez-vous au cabinet avec {contact}', 'Réunion de lancement : {topic}',
                              'Présentation de l\'offre du cabinet', 'Visite chez le client à {city}',
                              'Visioconférence sur {topic}', 'Réunion de suivi trimestriel',
                              'Signature du mandat'),
    InteractionType.LUNCH: ('Déjeuner avec {contact}', 'Déjeuner d\'affaires à {city}',
                            'Déjeuner de présentation', 'Déjeuner avec les associés'),
    InteractionType.NOTE: ('Note interne : {topic}', 'Compte rendu de l\'échange', 'À suivre : {topic}',
                           'Informations sur la société', 'Point sur la relation client'),
    InteractionType.WEBINAR: ('Webinaire « {webinar} »',),
    InteractionType.NEWSLETTER: ('Newsletter {month} {year} : {newsletter}',),
}
INTERACTION_DESCRIPTIONS = {
    InteractionType.EMAIL: ('Envoyé à {contact}, réponse attendue sous huit jours.',
                            '{contact} confirme la réception et transmettra les pièces.',
                            'Pièces jointes : statuts, extrait du registre de commerce, derniers bilans.',
                            ''),
    InteractionType.CALL: ('{contact} souhaite avancer sur {topic} avant la fin du mois.',
                           'Échange cordial, rendez-vous à fixer au cabinet.',
                           'Pas joignable, message laissé sur la messagerie.',
                           'Questions sur les délais et les honoraires : réponse par e-mail.'),
    InteractionType.MEETING: ('Revue du dossier avec {contact} et prochaines étapes convenues.',
                              'Présentation du cabinet et de nos références, intérêt marqué pour {topic}.',
                              'Tour de table, calendrier validé, proposition à envoyer.',
                              'Rencontre à {city} : visite des locaux et échange avec la direction.'),
    InteractionType.LUNCH: ('Échange informel avec {contact}, bonne relation.',
                            'Discussion sur les projets de l\'année et {topic}.',
                            'Présentation d\'un partenaire potentiel.'),
    InteractionType.NOTE: ('La société prépare {topic} pour le prochain trimestre.',
                           'Interlocuteur principal : {contact}. Décideur : la direction générale.',
                           'Client sensible aux délais, privilégier le téléphone.',
                           'Concurrent déjà en place, insister sur notre connaissance du secteur.'),
    InteractionType.WEBINAR: ('Inscrit(e) au webinaire du cabinet.', 'A assisté au webinaire et posé une question.',
                              'Replay envoyé après le webinaire.'),
    InteractionType.NEWSLETTER: ('Newsletter mensuelle du cabinet, envoyée à {contact}.',
                                 'Newsletter ouverte, lien « rendez-vous » cliqué.', ''),
}

# --- monthly KPIs -------------------------------------------------------------------------------------------------
KPI_CHANCE = {'last': 0.4, 'before_last': 0.2}  # share of customers (last forward stage) and negotiations with KPIs
KPI_MONTHS = 24  # rows over the past two years at most
KPI_MONTH_CHANCE = 0.55  # a month with figures
KPI_TYPED_COUNT_CHANCE = 0.1  # meetings or pitches typed in (else NULL: counted from interactions)
COMMISSION_BPS = (50, 75, 100, 100, 125, 150, 150, 200, 250, 300)
DUE_DILIGENCES = (0, 0, 0, 0, 1, 1, 1, 2, 3)
