"""What demo data is made of: French and Algerian names, places, case titles, note bodies, and the
proportions of the reference volume (3 contacts and 2 cases per client, 5 notes per case)."""

from db.models import CasePriority, CaseStatus, CaseType, NoteKind

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
