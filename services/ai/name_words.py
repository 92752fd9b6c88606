"""The words the person-name finder (`services.ai.name_finder`) reads, all casefolded.

French common words (`Code`, `Cour`, `Tribunal`, `Relance`, `Janvier`…) come from simplemma's French dictionary, not
from here: these lists hold what a French dictionary does not know (titles in abbreviation, Algerian places, legal
forms, acronyms written in lower case, brands) and the first names that make a lone word at a sentence's start a
person."""


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Civilities written as abbreviations, matched as written (case-sensitive), with or without a final dot.
CIVILITIES = frozenset({'M', 'MM', 'Mme', 'Mmes', 'Mlle', 'Mlles', 'Me', 'Mes', 'Mᵉ', 'Mr', 'Mrs', 'Ms', 'Dr', 'Pr'})

# Words that announce a person: a capitalised word right after one is a name, even a French common word
# («M. Petit», «le témoin Rose»). Casefolded.
TITLE_WORDS = _words('''
    monsieur madame mademoiselle messieurs mesdames maître maitre docteur professeur sieur dame nommé nommée dénommé
    dénommée veuve veuf épouse époux née feu témoin témoins avocat avocate avocats confrère consœur consoeur juge
    magistrat magistrate procureur greffier greffière notaire huissier expert experte gérant gérante cogérant
    directeur directrice président présidente collègue associé associée salarié salariée employé employée client
    cliente plaignant plaignante requérant requérante défendeur défenderesse demandeur demanderesse mandataire
    inspecteur inspectrice comptable conseiller conseillère liquidateur administrateur tuteur tutrice curateur
    héritier héritière interlocuteur interlocutrice représentant représentante locataire bailleur débiteur débitrice
    créancier créancière caution stagiaire adversaire
    mister miss witness lawyer attorney counsel judge notary bailiff colleague
''')

# «Karim fils de Ahmed», «Nadia fille d'Omar»: the name after `de` is announced as a title would.
FILIATION_WORDS = frozenset({'fils', 'fille', 'veuve', 'épouse', 'époux'})

# Lower-case parts inside a name: «Ben Ali», «Ould Abbès», «El Hadi», «Aït Ahmed», «Abd el Kader», «de Gaulle».
PARTICLES = frozenset({'ben', 'bent', 'bel', 'bou', 'ould', 'el', 'al', 'ait', 'aït', 'abd', 'abdel', 'ibn', 'bin',
                       'de', 'du', 'van', 'von', 'da', 'di', 'dos', 'del'})

# Never a person, whatever the dictionary says: legal forms, acronyms written in lower case, institutions and
# companies everyone names, calendar, currencies, tools.
NOT_NAMES = _words('''
    sarl eurl spa snc sas sasu sa ets epic epe gie scs sci
    tva ibs irg tap ifu das cnas casnos cnr cnac cnrc dgi cdi anpdp anem andi aapi ansej angem anade apc apw bna
    bea cpa bdl cnep ccp nif nis onda inapi ctrf jo jora rc
    wilaya wilayas daïra daira wali sonatrach sonelgaz naftal mobilis djezzy ooredoo poste
    ramadan aïd achoura mawlid yennayer allah inch covid
    da dzd eur usd
    whatsapp gmail google facebook linkedin viber skype outlook excel word pdf internet web zoom teams
''')

# Places (Algeria's wilayas and main towns, neighbouring and partner countries): one word each; places of several
# words are in PLACE_PHRASES.
PLACES = _words('''
    algérie alger oran constantine annaba blida batna sétif setif tlemcen béjaïa bejaia béjaia bouira tizi ouzou
    médéa medea chlef djelfa biskra skikda jijel mostaganem boumerdès boumerdes tipaza tipasa ghardaïa ghardaia
    laghouat msila m'sila mascara relizane tiaret tissemsilt khenchela souk ahras guelma tébessa
    tebessa ouargla adrar tamanrasset tindouf illizi béchar bechar bayadh elbayadh eloued oued témouchent temouchent
    bordj bouarréridj bouarreridj tarf timimoun touggourt djanet mghair menia
    hydra kouba chéraga cheraga rouiba reghaia staouéli staoueli zéralda zeralda draria birkhadem baraki bouzaréah
    bouzareah birtouta
    france paris lyon marseille tunisie tunis maroc casablanca rabat libye égypte egypte mauritanie mali niger espagne
    italie allemagne belgique suisse canada chine turquie émirats emirats dubaï dubai qatar arabie saoudite europe
    afrique maghreb
''')

PLACE_PHRASES = (
    'Tizi Ouzou', 'Souk Ahras', 'Aïn Defla', 'Ain Defla', 'Aïn Témouchent', 'Ain Temouchent', 'Bordj Bou Arréridj',
    'Bordj Bou Arreridj', 'El Bayadh', 'El Oued', 'El Tarf', 'Bordj Badji Mokhtar', 'Ouled Djellal', 'Béni Abbès',
    'Beni Abbes', 'In Salah', 'In Guezzam', 'El Meghaier', 'El Menia', 'Bab Ezzouar', 'Bab El Oued', 'El Biar',
    'El Harrach', 'Hussein Dey', 'Ben Aknoun', 'Dely Ibrahim', 'Dély Ibrahim', 'Bir Mourad Raïs', 'Bir Mourad Rais',
    'Bordj El Kiffan', 'Dar El Beïda', 'Dar El Beida', 'Sidi M’Hamed', "Sidi M'Hamed", 'Sidi Bel Abbès',
    'Sidi Bel Abbes', 'Oum El Bouaghi', 'Hassi Messaoud', 'Khemis Miliana', 'Bou Saâda', 'Bou Saada',
    'Arabie saoudite', 'Émirats arabes unis',
)

# First names common in Algeria and France: a name even where the French dictionary also has the word («Pierre»,
# «Claire»), and a lone one at a sentence's start is a person («Karim a rappelé»).
FIRST_NAMES = _words('''
    abdelkader abdallah abdellah abderrahmane abdelaziz abdelhamid abdelmalek abdenour abdelhak abdelkrim abdeslam
    adel adem ahmed aïcha aicha akram ali amel amina amine amira amar anis asma assia aziz bachir badr bilal brahim
    chafik chahinez chakib cherif chérif dalila djamel djamila djamila djaouida dounia fadila fahim farid farida
    fatiha fatima fatma faïza faiza fayçal faycal fethi fouad ghania ghiles hakim halim hamid hamza hanane hassan
    hassiba hichem hocine houda ibrahim ilyes ilies imane imène imen inès ines ismaïl ismail issam kamel karim karima
    kenza khadidja khaled khalida khalil lakhdar lamia lamine leila leïla lila lotfi lounes lynda madjid malek malik
    malika manel mehdi meriem messaoud mohamed mohammed mokhtar mounir mourad mouloud mustapha nabil nacer nadia nadir
    nadjib naïma naima nassim nawel nesrine nora nour noureddine omar othmane rabah rachid rachida radia rafik rahim
    ramdane ramzi rania reda riad ryad rym sabrina safia said saïd salah salim salima samia samir samira sara sarah
    selma sihem slimane smaïl smail sofiane sonia souad soumia tahar taha tarek tarik walid wassila yacine yasmine
    yassine yazid youcef youssef yanis zahia zahra zakaria zineb zohra zoubir
    adrien agathe agnès alain alexandre alice amélie andré anne antoine arthur audrey aurore aurélie benjamin benoît
    bernard bertrand brigitte camille caroline catherine céline chantal charles charlotte christine christophe claire
    claude clémence corinne daniel david denis dominique éric émilie emmanuel étienne florence franck françois francois
    françoise frédéric georges gérard gilles guillaume hélène henri isabelle jacqueline jacques jean jeanne jérôme
    joseph julie julien laurence laurent louis louise luc lucas lucie marc marcel marie marine martin martine mathieu
    matthieu michel michèle monique nathalie nicolas nicole olivier pascal patrick paul pauline philippe pierre raymond
    rené richard robert roger sandrine sébastien sophie stéphane stéphanie sylvie thierry thomas valérie véronique
    victoire vincent xavier yves
''')
