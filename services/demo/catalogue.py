"""What the demo seller sells, and how its sales move through the year.

An Algerian retailer and wholesaler of everyday goods: 181 products in ten families, prices in dinars (DZD) as
seen in shops in 2025–2026, from the 30 DA bag of salt to the 95,000 DA refrigerator. Within a family, products
are listed by popularity (the first ones sell most). A product may carry season tags (it sells mostly then) and
`inactive` (discontinued: sold in the older sales only, inactive today).

The calendar (see services.demo.sales_calendar): Ramadan moves about eleven days earlier each year; the days before
Aïd el-Fitr (clothes, cosmetics, cleaning), the ten days before Aïd el-Adha, summer (drinks, fans), the
rentrée in late August and September (stationery, school bags), winter (heaters, blankets) and December (gifts,
promotions) move the families' shares and the number of sales.
"""

# Families: (name, SKU prefix, share of the lines bought outside any season).
FAMILIES = (
    ('Épicerie', 'EPI', 26), ('Boissons', 'BOI', 13), ('Produits laitiers', 'LAI', 14), ('Hygiène', 'HYG', 10),
    ('Entretien', 'ENT', 10), ('Électroménager', 'ELM', 1.5), ('Papeterie', 'PAP', 5), ('Textile', 'TEX', 7),
    ('Cosmétiques', 'COS', 7.5), ('Puériculture', 'PUE', 5),
)

# Products by family, most popular first: (name, price in DZD, tags). Tags: summer, winter, rentree, ramadan, aid
# (sells mostly in that season), inactive (discontinued).
PRODUCTS: dict[str, tuple[tuple[str, int, str], ...]] = {
    'Épicerie': (
        ('Huile de tournesol 5 L', 650, ''), ('Sucre blanc 1 kg', 100, ''), ('Semoule moyenne 10 kg', 560, ''),
        ('Farine de blé 10 kg', 600, ''), ('Pâtes spaghetti 500 g', 90, ''), ('Café moulu 250 g', 350, ''),
        ('Couscous moyen 1 kg', 150, ''), ('Lentilles 1 kg', 280, ''), ('Riz long 1 kg', 190, ''),
        ('Concentré de tomate 800 g', 260, ''), ('Pois chiches 1 kg', 360, 'ramadan'), ('Thé vert 500 g', 420, ''),
        ('Haricots blancs 1 kg', 310, ''), ('Vermicelles pour chorba 500 g', 95, 'ramadan'),
        ('Frik (blé vert concassé) 1 kg', 380, 'ramadan'), ('Dattes Deglet Nour 1 kg', 850, 'ramadan'),
        ('Thon à l\'huile 160 g', 320, ''), ('Sardines à l\'huile 125 g', 150, ''),
        ('Confiture d\'abricot 400 g', 260, ''), ('Olives vertes 1 kg', 520, ''),
        ('Chamia au sésame 400 g', 320, 'ramadan'), ('Ras el hanout 100 g', 160, 'aid'),
        ('Levure boulangère 500 g', 240, ''), ('Sel fin 1 kg', 30, ''), ('Miel de montagne 500 g', 2600, ''),
        ('Biscuits fourrés 150 g', 60, ''), ('Semoule fine 25 kg', 1350, 'inactive'), ('Mayonnaise 500 g', 330, ''),
    ),
    'Boissons': (
        ('Eau minérale 1,5 L', 40, 'summer'), ('Pack eau minérale 6 × 1,5 L', 220, 'summer'),
        ('Boisson gazeuse 2 L', 150, 'summer'), ('Jus d\'orange 1 L', 180, 'ramadan'),
        ('Eau gazeuse 1 L', 60, 'summer'), ('Limonade 1 L', 100, 'summer'), ('Cola 1,5 L', 160, ''),
        ('Pack jus multifruits 6 × 1 L', 1000, 'ramadan'), ('Sirop de grenadine 1 L', 260, 'summer'),
        ('Café soluble 200 g', 950, ''), ('Boisson énergisante 25 cl', 200, ''), ('Thé glacé 1,5 L', 170, 'summer'),
        ('Pack eau minérale 12 × 0,5 L', 330, 'summer'), ('Jus de raisin 1 L', 220, 'inactive'),
        ('Boisson au cidre sans alcool 1 L', 210, ''),
    ),
    'Produits laitiers': (
        ('Lait pasteurisé en sachet 1 L', 25, ''), ('Lben 1 L', 90, 'ramadan'), ('Lait UHT 1 L', 130, ''),
        ('Yaourt nature × 8', 280, ''), ('Fromage fondu en portions × 16', 350, ''), ('Raïb 1 L', 95, 'ramadan'),
        ('Yaourt aromatisé × 8', 300, ''), ('Camembert 250 g', 450, ''), ('Beurre doux 250 g', 620, ''),
        ('Lait en poudre 500 g', 650, ''), ('Margarine 500 g', 330, ''), ('Crème fraîche 20 cl', 240, 'ramadan'),
        ('Fromage râpé 200 g', 460, ''), ('Jben frais 500 g', 480, ''), ('Cheddar en tranches 200 g', 410, ''),
        ('Lait en poudre 2,5 kg', 3300, ''), ('Flan au caramel × 4', 220, 'inactive'),
    ),
    'Hygiène': (
        ('Savon de toilette × 4', 260, ''), ('Papier toilette 12 rouleaux', 720, ''), ('Dentifrice 75 ml', 210, ''),
        ('Shampooing 400 ml', 520, ''), ('Gel douche 750 ml', 460, ''), ('Mouchoirs en papier × 10', 200, ''),
        ('Serviettes hygiéniques × 10', 380, ''), ('Déodorant 200 ml', 520, ''), ('Rasoirs jetables × 5', 360, ''),
        ('Brosses à dents × 2', 260, 'rentree'), ('Coton hydrophile 100 g', 150, ''),
        ('Lingettes rafraîchissantes', 290, ''), ('Gel hydroalcoolique 500 ml', 420, ''),
        ('Mousse à raser 200 ml', 450, ''), ('Savon liquide 500 ml', 330, ''),
    ),
    'Entretien': (
        ('Eau de Javel 1 L', 80, ''), ('Liquide vaisselle 1,25 L', 250, ''), ('Lessive en poudre 5 kg', 1850, 'aid'),
        ('Nettoyant sols 2 L', 360, 'aid'), ('Eau de Javel 5 L', 360, ''), ('Lessive liquide 3 L', 1450, 'aid'),
        ('Éponges × 5', 150, ''), ('Sacs poubelle × 20', 180, ''), ('Détergent multi-usages 750 ml', 260, 'aid'),
        ('Assouplissant 2 L', 520, ''), ('Insecticide 400 ml', 560, 'summer'), ('Désodorisant 300 ml', 350, 'aid'),
        ('Gants de ménage', 200, ''), ('Serpillière', 250, 'aid'), ('Balai avec manche', 650, ''),
        ('Seau 15 L', 520, ''), ('Détartrant WC 750 ml', 290, 'inactive'),
    ),
    'Électroménager': (
        ('Bouilloire électrique 1,7 L', 3600, ''), ('Fer à repasser vapeur', 4600, 'aid'),
        ('Ventilateur sur pied', 8500, 'summer'), ('Mixeur plongeant', 5500, 'ramadan'),
        ('Micro-ondes 20 L', 22000, ''), ('Sèche-cheveux', 4500, 'aid'), ('Robot pâtissier', 28000, 'ramadan'),
        ('Climatiseur 12 000 BTU', 76000, 'summer'), ('Réfrigérateur 350 L', 95000, 'aid'),
        ('Machine à laver 7 kg', 72000, ''), ('Radiateur à gaz', 26000, 'winter'), ('Cafetière électrique', 6500, ''),
        ('Aspirateur', 18500, 'aid'), ('Four électrique 45 L', 28500, 'ramadan'), ('Grille-pain', 4500, ''),
        ('Hachoir à viande', 9500, 'aid'), ('Chauffe-eau 14 L', 36000, 'winter'),
        ('Téléviseur LED 43 pouces', 65000, ''), ('Plaque de cuisson 4 feux', 48000, ''),
        ('Presse-agrumes', 3500, 'inactive'),
    ),
    'Papeterie': (
        ('Cahier 96 pages', 60, 'rentree'), ('Stylos à bille × 10', 250, 'rentree'),
        ('Cahier 192 pages', 120, 'rentree'), ('Crayons de couleur × 12', 260, 'rentree'),
        ('Ramette papier A4 500 feuilles', 1250, ''), ('Gomme et taille-crayon', 70, 'rentree'),
        ('Règle 30 cm', 60, 'rentree'), ('Colle en bâton', 90, 'rentree'), ('Feutres × 12', 320, 'rentree'),
        ('Protège-cahiers × 10', 260, 'rentree'), ('Trousse', 550, 'rentree'), ('Cartable', 3600, 'rentree'),
        ('Sac à dos scolaire', 4600, 'rentree'), ('Classeur à levier', 360, ''),
        ('Calculatrice scientifique', 2600, 'rentree'), ('Agenda', 650, 'winter'), ('Ardoise', 160, 'rentree'),
        ('Enveloppes × 50', 300, 'inactive'),
    ),
    'Textile': (
        ('T-shirt en coton', 1200, 'summer'), ('Chaussettes × 5', 700, ''),
        ('Tenue de l\'Aïd pour enfant', 5500, 'aid'), ('Hijab', 1300, 'aid'), ('Serviette de bain', 1500, ''),
        ('Pyjama enfant', 1800, 'winter'), ('Gandoura', 6000, 'aid'), ('Pantalon jean', 4600, ''),
        ('Chemise homme', 2800, 'aid'), ('Robe d\'intérieur', 2600, 'aid'), ('Tablier scolaire', 1200, 'rentree'),
        ('Jogging', 3600, ''), ('Drap housse', 2600, ''), ('Couverture', 5800, 'winter'), ('Babouches', 1600, 'aid'),
        ('Sous-vêtements × 3', 950, ''), ('Rideau', 3500, 'inactive'),
    ),
    'Cosmétiques': (
        ('Crème hydratante 50 ml', 950, ''), ('Henné 100 g', 260, 'aid'), ('Eau de Cologne 250 ml', 720, 'aid'),
        ('Khôl', 300, 'aid'), ('Huile d\'argan 100 ml', 1900, ''), ('Savon noir 300 g', 420, ''),
        ('Eau de rose 250 ml', 360, 'aid'), ('Ghassoul 250 g', 310, 'aid'), ('Rouge à lèvres', 850, 'aid'),
        ('Parfum 100 ml', 6500, 'aid'), ('Crème solaire SPF 50', 2200, 'summer'), ('Vernis à ongles', 360, 'aid'),
        ('Mascara', 950, ''), ('Lait démaquillant 200 ml', 720, ''), ('Masque capillaire 300 ml', 820, ''),
        ('Crème pour les mains', 420, 'winter'),
    ),
    'Puériculture': (
        ('Couches taille 4 × 46', 2300, ''), ('Lingettes bébé × 72', 350, ''), ('Couches taille 3 × 50', 2200, ''),
        ('Lait infantile 2e âge 800 g', 2000, ''), ('Couches taille 5 × 40', 2400, ''),
        ('Lait infantile 1er âge 800 g', 2100, ''), ('Céréales bébé 400 g', 650, ''), ('Petits pots × 2', 420, ''),
        ('Crème pour le change', 460, ''), ('Shampooing bébé 500 ml', 520, ''), ('Biberon 250 ml', 720, ''),
        ('Tétines × 2', 360, ''), ('Bavoirs × 3', 620, ''), ('Thermomètre de bain', 1500, ''),
        ('Porte-bébé', 6500, ''), ('Lit parapluie', 15000, ''), ('Siège auto', 22000, ''), ('Poussette', 28000, ''),
    ),
}

SEASON_TAGS = ('summer', 'winter', 'rentree', 'ramadan', 'aid')
TAG_IN_SEASON = {'summer': 4.0, 'winter': 4.0, 'rentree': 6.0, 'ramadan': 3.0, 'aid': 3.0}  # weight in season
TAG_OUT_OF_SEASON = {'summer': 0.35, 'winter': 0.35, 'rentree': 0.3, 'ramadan': 1.0, 'aid': 1.0}

# How each family's share of the lines moves in a season (1 elsewhere): food for Ramadan, clothes and cosmetics
# before Aïd el-Fitr, stationery for the rentrée, drinks in summer, appliances in December.
FAMILY_SEASONS: dict[str, dict[str, float]] = {
    'Épicerie': {'ramadan': 1.6, 'adha': 1.3},
    'Boissons': {'summer': 2.5, 'ramadan': 1.4, 'winter': 0.75},
    'Produits laitiers': {'ramadan': 1.5},
    'Hygiène': {'before_fitr': 1.2},
    'Entretien': {'before_fitr': 1.6, 'adha': 1.3},
    'Électroménager': {'summer': 1.3, 'ramadan': 1.2, 'adha': 1.3, 'december': 1.5},
    'Papeterie': {'rentree': 6.0, 'other': 0.6},
    'Textile': {'before_fitr': 2.6, 'rentree': 1.6, 'adha': 1.2, 'winter': 1.2},
    'Cosmétiques': {'before_fitr': 1.9, 'december': 1.5, 'summer': 1.2},
    'Puériculture': {},
}

# How many sales a day, relative to an ordinary day (the strongest factor applies): shops close on the Aïd's
# first days, Friday is the weekend's quiet day.
DAY_FACTORS = {'fitr': 0.25, 'adha_day': 0.3, 'before_fitr': 1.7, 'ramadan': 1.3, 'adha': 1.35, 'rentree': 1.15,
               'december': 1.1, 'august': 0.9}
WEEKDAY_FACTORS = (1.0, 1.0, 1.0, 1.0, 0.45, 0.85, 1.0)  # Monday … Sunday
YEARLY_GROWTH = 0.10  # the business grows: 10 % more sales a year
YEARLY_INFLATION = 0.08  # prices were lower in older sales: 8 % a year

RAMADAN_ANCHOR = (2025, 3, 1)  # first day of Ramadan 1446; the lunar year is 354.367 days
LUNAR_YEAR = 354.367
ADHA_AFTER_RAMADAN = 97  # days from the first of Ramadan to Aïd el-Adha

SALES_MONTHS = 30
SALES_PER_CLIENT = 10  # on average; a few wholesalers buy hundreds of times, many clients once or twice
LINES_SMALL = (34, 26, 17, 11, 7, 5)  # weights of 1 … 6 lines per sale, for small buyers
LINES_LARGE = (12, 17, 20, 19, 16, 16)  # and for the largest quarter of buyers
SINGLE_AMOUNT_SHARE = 0.06  # sales recorded as one amount, without lines

# A client's life as a buyer (shares; inactive and archived clients lapse more often).
LIFECYCLES = ('never', 'new', 'lapsed', 'slipping', 'active')
LIFECYCLE_SHARES = {'active': (4, 8, 15, 11, 62), 'inactive': (8, 2, 50, 20, 20), 'archived': (30, 0, 60, 10, 0)}
LAPSED_MONTHS = (8, 20)  # lapsed clients stopped buying 8 to 20 months ago
SLIPPING_MONTHS = (2, 8)  # these have not bought for 2 to 8 months
NEW_DAYS = 90  # new clients made their first purchase in the last three months

CHANNELS = ('store', 'online', 'phone', 'field', 'marketplace')
CHANNEL_SHARES = {'company': (25, 10, 30, 35, 0), 'individual': (55, 20, 10, 0, 15)}
USUAL_CHANNEL = 0.75  # share of a client's sales through its usual channel
REFERENCE_PREFIXES = {'online': 'WEB', 'marketplace': 'MKP', 'field': 'BL'}
SINGLE_AMOUNT_NOTE = 'Montant global, sans détail des articles'
FAVOURITES = 6  # products a client re-buys
EUR_PER_DZD = 1 / 150  # for a workspace kept in euros
