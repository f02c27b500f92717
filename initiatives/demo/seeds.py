"""Demo seed entities: facts from the seed texts, on their real communes."""

from datetime import date

from territoires.models import Level

from ..models import (
    LegalForm,
    MembershipRole,
    PoleStage,
    RoleKind,
    Stage,
)

# ---------------------------------------------------------------------------------------------
# Seed entities: facts from the seed texts, on their real communes.
# A territory is a list of (level, code) candidates; the first one that exists is used.
# ---------------------------------------------------------------------------------------------

AMI_PTCE = {
    "name": "AMI PTCE",
    "year": 2021,
    "issuer": "Secrétariat d'État chargé de l'Économie sociale, solidaire et responsable",
    "url": "",
}

SEED_ORGANISATIONS = [
    {
        "slug": "maison-des-echanges",
        "name": "Maison des échanges",
        "legal_form": LegalForm.ASSOCIATION,
        "summary": "Lieu de Bruay-la-Buissière où l'on n'achète pas : on échange, on donne, on "
        "valorise, on recycle, au cœur d'un éco-quartier.",
        "website": "https://maisondesechanges.fr",
        "territory": [(Level.COMMUNE, "62178")],
    },
    {
        "slug": "adere-laura",
        "name": "ADERE LAURA",
        "acronym": "ADERE",
        "legal_form": LegalForm.ASSOCIATION,
        "summary": "Centrale d'achats des structures du médico-social (maisons de retraite…) de "
        "Limousin, Auvergne et Rhône-Alpes, réseau fédéré par l'intérêt des économies "
        "d'échelle depuis 30 ans.",
        "territory": [(Level.COMMUNE, "69123")],
    },
    {
        "slug": "cisca",
        "name": "Centre d'innovations sociales Clermont Auvergne",
        "acronym": "CISCA",
        "legal_form": LegalForm.ASSOCIATION,
        "summary": "Accélérateur de coopérations : recherche-action, médiation et accompagnement "
        "des PTCE, 96 boulevard Lavoisier à Clermont-Ferrand.",
        "description": "Le CISCA fait partie des acteurs nationaux missionnés, sous l'égide de "
        "l'Institut Godin, pour accompagner les PTCE du Centre de la France dans leurs "
        "démarches de recherche et développement.",
        "territory": [(Level.COMMUNE, "63113")],
    },
    {
        "slug": "esope",
        "name": "Ésope",
        "legal_form": LegalForm.COOPERATIVE,
        "summary": "Coopérative de l'ESS, support de la marque Occitània creativa : "
        "accompagnement à la coopération par un binôme de consultants.",
        "description": "Intelligence collective, métaplan, diagnostic partagé : pour les porteurs "
        "de projets, les territoires, les associations, les réseaux et les collectifs.",
        "territory": [(Level.COMMUNE, "24322"), (Level.DEPARTEMENT, "24")],
    },
    {
        "slug": "cre-sol",
        "name": "Cré-sol",
        "legal_form": LegalForm.NETWORK,
        "summary": "Acteur de l'ESS en Centre-Val de Loire, organisateur de rencontres sur la "
        "co-construction territoriale.",
        "territory": [(Level.COMMUNE, "45234")],
    },
    {
        "slug": "institut-des-territoires-cooperatifs",
        "name": "Institut des Territoires Coopératifs",
        "acronym": "InsTerCoop",
        "legal_form": LegalForm.UNIVERSITY,
        "summary": "Centre de recherche-action sur la coopération ; l'Observatoire de l'Implicite "
        "est l'un de ses piliers.",
        "description": "Décrire les rouages profonds de la coopération, améliorer les "
        "méthodologies qui font naître des écosystèmes coopératifs sur les territoires, et les "
        "diffuser.",
        "territory": [],
    },
    {
        "slug": "inovane",
        "name": "Inovane",
        "legal_form": LegalForm.COMPANY,
        "summary": "Société basée en Aquitaine, spécialisée dans la mise en œuvre de projets de "
        "mutation ; partenaire de l'Institut des Territoires Coopératifs.",
        "territory": [(Level.REGION, "75")],
    },
    {
        "slug": "credit-cooperatif",
        "name": "Crédit Coopératif",
        "legal_form": LegalForm.FUNDER,
        "summary": "Banque coopérative ; soutient l'Observatoire de l'Implicite par une "
        "convention de partenariat.",
        "website": "https://www.credit-cooperatif.coop",
        "territory": [(Level.COMMUNE, "92050")],
    },
    {
        "slug": "institut-godin",
        "name": "Institut Godin",
        "legal_form": LegalForm.UNIVERSITY,
        "summary": "Centre de transfert non technologique, expert de l'innovation sociale ; auteur "
        "des capteurs d'innovation sociale.",
        "website": "https://www.institutgodin.fr",
        "territory": [(Level.COMMUNE, "80021")],
    },
    {
        "slug": "cress-aura",
        "name": "Chambre régionale de l'économie sociale et solidaire Auvergne-Rhône-Alpes",
        "acronym": "CRESS AuRA",
        "legal_form": LegalForm.NETWORK,
        "summary": "Chambre régionale de l'ESS ; porte avec le CISCA l'expérimentation du rôle de "
        "médiateur-traducteur.",
        "territory": [(Level.COMMUNE, "69123")],
    },
    {
        "slug": "dreets-auvergne-rhone-alpes",
        "name": "DREETS Auvergne-Rhône-Alpes",
        "acronym": "DREETS",
        "legal_form": LegalForm.PUBLIC_BODY,
        "summary": "Direction régionale de l'emploi, de l'économie et des solidarités ; finance "
        "l'expérimentation du rôle de médiateur-traducteur.",
        "territory": [(Level.COMMUNE, "69123")],
    },
    {
        "slug": "departement-du-pas-de-calais",
        "name": "Département du Pas-de-Calais",
        "legal_form": LegalForm.LOCAL_AUTHORITY,
        "summary": "Valorise les structures et projets d'innovation sociale par l'Appel à "
        "manifestation d'initiative « L'innovation sociale dans le Pas-de-Calais ».",
        "territory": [(Level.DEPARTEMENT, "62"), (Level.COMMUNE, "62041")],
    },
    {
        "slug": "le-rameau",
        "name": "Le Rameau",
        "legal_form": LegalForm.UNIVERSITY,
        "summary": "Laboratoire de recherche sur la co-construction : animation du dialogue "
        "territorial, expérimentations collectives, alliances et partenariats.",
        "description": "Trois leviers complémentaires : l'interaction sectorielle, la cohérence "
        "territoriale, les alliances entre acteurs de « mondes » différents.",
        "territory": [(Level.COMMUNE, "75056")],
    },
]

# Named in public texts (press, their own sites); contact details are never stored here.
SEED_PEOPLE = [
    {
        "slug": "ophelie-langlais",
        "first_name": "Ophélie",
        "last_name": "Langlais",
        "public_bio": "Coordinatrice de la Maison des échanges de Bruay-la-Buissière.",
    },
    {
        "slug": "line-simon",
        "first_name": "Line",
        "last_name": "Simon",
        "public_bio": "Consultante en binôme avec François Lagorce ; issue de la fonction publique "
        "territoriale, cofondatrice de la coopérative Ésope.",
    },
    {
        "slug": "francois-lagorce",
        "first_name": "François",
        "last_name": "Lagorce",
        "public_bio": "Consultant en binôme avec Line Simon ; issu de la fonction publique "
        "territoriale, cofondateur de la coopérative Ésope.",
    },
    {
        "slug": "anne-beauvillard",
        "first_name": "Anne",
        "last_name": "Beauvillard",
        "public_bio": "Présidente d'Inovane.",
    },
    {
        "slug": "patrick-beauvillard",
        "first_name": "Patrick",
        "last_name": "Beauvillard",
        "public_bio": "Cofondateur de l'Institut des Territoires Coopératifs.",
    },
    {
        "slug": "jerome-henry",
        "first_name": "Jérôme",
        "last_name": "Henry",
        "public_bio": "Directeur de l'innovation au Crédit Coopératif.",
    },
    {
        # Only a contact in the source: kept unpublished, so it never shows publicly.
        "slug": "geoffrey-volat",
        "first_name": "Geoffrey",
        "last_name": "Volat",
        "public_bio": "",
        "publish": False,
    },
]

SEED_AFFILIATIONS = [
    ("ophelie-langlais", "maison-des-echanges", "coordinatrice"),
    ("line-simon", "esope", "consultante"),
    ("francois-lagorce", "esope", "consultant"),
    ("anne-beauvillard", "inovane", "présidente"),
    ("patrick-beauvillard", "institut-des-territoires-cooperatifs", "cofondateur"),
    ("jerome-henry", "credit-cooperatif", "directeur de l'innovation"),
    ("geoffrey-volat", "cisca", "coordination"),
]

SEED_INITIATIVES = [
    {
        "slug": "maison-des-echanges-bruay-la-buissiere",
        "name": "Maison des échanges",
        "summary": "Ici on n'achète pas : on échange, on donne, on valorise, on recycle, et on se "
        "rencontre dans un lieu dédié au cœur d'un éco-quartier de Bruay-la-Buissière.",
        "description": "Les adhérents sont invités à une autre façon de consommer et à prendre "
        "part aux décisions ; la Maison coopère avec l'ensemble des acteurs locaux et contribue "
        "à la dynamisation du territoire. Le Département du Pas-de-Calais la présente comme une "
        "structure socialement innovante.",
        "website": "https://maisondesechanges.fr",
        "territory": [(Level.COMMUNE, "62178")],
        "stage": Stage.RUNNING,
        "themes": ["économie circulaire", "réemploi", "participation", "lien social"],
        "levers": (True, False, True),
        "roles": [
            ("org", "maison-des-echanges", RoleKind.LEAD, ""),
            ("person", "ophelie-langlais", RoleKind.LEAD, "coordinatrice"),
            (
                "org",
                "departement-du-pas-de-calais",
                RoleKind.SUPPORT,
                "valorisation de l'innovation sociale",
            ),
        ],
    },
    {
        "slug": "reseau-d-achats-adere-laura",
        "name": "Réseau d'achats mutualisés ADERE LAURA",
        "summary": "Centrale d'achats dédiée aux structures du médico-social (maisons de "
        "retraite…) de Limousin, Auvergne et Rhône-Alpes, fédérées par l'intérêt des économies "
        "d'échelle.",
        "description": "Le réseau a fêté ses 30 ans en juin 2022.",
        "territory": [(Level.COMMUNE, "69123")],
        "stage": Stage.CONSOLIDATED,
        "themes": ["achats mutualisés", "médico-social", "coopération"],
        "levers": (False, True, False),
        "roles": [("org", "adere-laura", RoleKind.LEAD, "")],
    },
    {
        "slug": "l-adere-en-2032",
        "name": "L'Adere en 2032 : renouveler le projet associatif",
        "summary": "Redéfinir le projet moral qui unit les membres d'ADERE LAURA, en phase avec "
        "les principes de l'ESS, et renforcer la participation des adhérents.",
        "description": "Après une série de webinaires sur l'ESS et les coopérations, un atelier de "
        "backcasting « L'Adere en 2032 » s'est tenu pour les 30 ans du réseau (juin 2022) : "
        "les participants, à qui l'on remettait le label fictif « réseau solidaire de "
        "coopération 2032 », ont formulé sur post-it les étapes qui y auraient mené "
        "(gouvernance, offre de services, relations aux bénéficiaires). Première ébauche de "
        "feuille de route.",
        "territory": [(Level.COMMUNE, "69123")],
        "stage": Stage.EMERGING,
        "start_date": date(2022, 6, 1),
        "themes": ["gouvernance", "coopération", "prospective", "achats mutualisés"],
        "levers": (True, False, False),
        "roles": [
            ("org", "adere-laura", RoleKind.LEAD, ""),
            ("org", "cisca", RoleKind.SUPPORT, "webinaires et atelier de backcasting"),
        ],
    },
    {
        "slug": "mediateur-traducteur",
        "name": "Médiateur-traducteur de la coopération économique territoriale",
        "summary": "Recherche-action pour expérimenter le rôle de « médiateur-traducteur » au "
        "sein des PTCE et renforcer la coopération avec la recherche et la formation.",
        "description": "Porté par l'équipe salariée du CISCA, impliquée dans le collectif pilote "
        "de deux PTCE émergents, en coopération avec la CRESS Auvergne-Rhône-Alpes et avec un "
        "financement de la DREETS. Outils, postures, méthodes : médiation-traduction, "
        "facilitation graphique, outils d'animation collective.",
        "address": "96 boulevard Lavoisier, 63000 Clermont-Ferrand",
        "territory": [(Level.COMMUNE, "63113")],
        "stage": Stage.RUNNING,
        "themes": ["médiation", "recherche-action", "PTCE", "facilitation graphique"],
        "levers": (False, True, True),
        "roles": [
            ("org", "cisca", RoleKind.LEAD, ""),
            ("org", "cress-aura", RoleKind.PARTNER, ""),
            ("org", "dreets-auvergne-rhone-alpes", RoleKind.FUNDER, ""),
        ],
        "poles": ["ptce-emergent-cisca-1", "ptce-emergent-cisca-2"],
    },
    {
        "slug": "accompagnement-rd-ptce-centre",
        "name": "Accompagnement R&D des PTCE du Centre de la France",
        "summary": "Mission nationale, sous l'égide de l'Institut Godin, pour accompagner les PTCE "
        "du Centre de la France dans leurs démarches de recherche et développement.",
        "description": "Dans la suite de l'AMI de 2021 pour la relance des PTCE. Première étape : "
        "une rencontre nationale sur la R&D et les PTCE accueillie le 7 mars 2022.",
        "address": "96 boulevard Lavoisier, 63000 Clermont-Ferrand",
        "territory": [(Level.COMMUNE, "63113")],
        "stage": Stage.RUNNING,
        "start_date": date(2022, 3, 7),
        "themes": ["PTCE", "recherche-action", "accompagnement"],
        "levers": (False, True, False),
        "roles": [
            ("org", "cisca", RoleKind.LEAD, ""),
            ("org", "institut-godin", RoleKind.SUPPORT, "coordination nationale"),
        ],
    },
    {
        "slug": "occitania-creativa",
        "name": "Occitània creativa, collectif de coopération économique",
        "summary": "Avec 18 entrepreneurs, la coopérative Ésope expérimente un collectif de "
        "coopération économique qui conçoit une offre de services créative pour les "
        "territoires ruraux.",
        "description": "Le collectif est en phase de conception de son projet. « Ce qui est "
        "compliqué seul l'est beaucoup moins à plusieurs » : partager ses enjeux avant de "
        "coopérer dans l'opérationnel, par un diagnostic partagé.",
        "territory": [(Level.COMMUNE, "24322"), (Level.DEPARTEMENT, "24")],
        "stage": Stage.EMERGING,
        "themes": ["coopération", "ruralité", "diagnostic partagé", "intelligence collective"],
        "levers": (True, True, False),
        "roles": [
            ("org", "esope", RoleKind.LEAD, ""),
            ("person", "line-simon", RoleKind.PARTICIPANT, "consultante"),
            ("person", "francois-lagorce", RoleKind.PARTICIPANT, "consultant"),
        ],
    },
    {
        "slug": "agenda-commun-ess-centre-val-de-loire",
        "name": "Agenda commun des acteurs de l'ESS en Centre-Val de Loire",
        "summary": "Un calendrier commun des événements et actions des acteurs régionaux, pour "
        "mieux organiser l'information et créer liens et synergies.",
        "description": "Né de la rencontre du 29 novembre 2017 sur la co-construction "
        "territoriale, en clôture du Mois de l'ESS : une soixantaine d'acteurs régionaux, des "
        "ateliers sur les dynamiques collectives (« coopérer ne se décrète pas ») et les trois "
        "leviers identifiés par Le Rameau : interaction sectorielle, cohérence territoriale, "
        "alliances entre acteurs de mondes différents.",
        "territory": [(Level.COMMUNE, "45234")],
        "stage": Stage.EMERGING,
        "start_date": date(2017, 11, 29),
        "themes": ["co-construction territoriale", "agenda commun", "coopération"],
        "levers": (True, True, True),
        "roles": [("org", "cre-sol", RoleKind.LEAD, "")],
    },
    {
        "slug": "observatoire-de-l-implicite",
        "name": "Observatoire de l'Implicite",
        "summary": "Aller à pied à la rencontre des personnes à l'origine d'initiatives de l'ESS "
        "pour mettre en lumière et modéliser les clés de leur savoir-faire coopératif, dans un "
        "but d'essaimage.",
        "description": "Pilier de l'Institut des Territoires Coopératifs. Sa première saison "
        "d'itinérance est soutenue par une convention de partenariat entre Inovane, l'Institut "
        "et le Crédit Coopératif, et par une campagne de financement participatif close le 10 "
        "février 2016. Première itinérance : Pays de la Loire, mars 2016. Les résultats sont "
        "accessibles à tous.",
        "territory": [(Level.REGION, "52")],
        "stage": Stage.RUNNING,
        "start_date": date(2016, 3, 1),
        "themes": ["coopération", "recherche-action", "essaimage"],
        "levers": (False, False, True),
        "roles": [
            ("org", "institut-des-territoires-cooperatifs", RoleKind.LEAD, ""),
            ("org", "inovane", RoleKind.PARTNER, ""),
            ("org", "credit-cooperatif", RoleKind.FUNDER, "convention de partenariat"),
        ],
    },
    {
        "slug": "capteurs-d-innovation-sociale",
        "name": "Capteurs d'innovation sociale",
        "summary": "Une grille de critères publiée qui permet de définir si un projet est "
        "innovant socialement.",
        "description": "Un des outils créés par l'Institut Godin pour les acteurs de terrain, les "
        "collectivités, les institutions financières et les réseaux.",
        "website": "https://www.institutgodin.fr",
        "territory": [(Level.COMMUNE, "80021")],
        "stage": Stage.RUNNING,
        "themes": ["innovation sociale", "évaluation"],
        "levers": (True, False, False),
        "roles": [("org", "institut-godin", RoleKind.LEAD, "")],
    },
    {
        "slug": "ami-innovation-sociale-pas-de-calais",
        "name": "AMI « L'innovation sociale dans le Pas-de-Calais »",
        "summary": "Un Appel à manifestation d'initiative pour reconnaître et accompagner "
        "(formation, parfois financement) les structures et projets d'innovation sociale.",
        "description": "Construit au sein du Conseil départemental de l'ESS, où les acteurs "
        "jouent le jeu de la participation active.",
        "territory": [(Level.DEPARTEMENT, "62"), (Level.COMMUNE, "62041")],
        "stage": Stage.RUNNING,
        "themes": ["innovation sociale", "politique publique"],
        "levers": (False, True, True),
        "roles": [("org", "departement-du-pas-de-calais", RoleKind.LEAD, "")],
    },
]

SEED_POLES = [
    {
        "slug": f"ptce-emergent-cisca-{number}",
        "name": f"PTCE émergent n° {number} (collectif pilote CISCA)",
        "summary": "L'un des deux PTCE émergents dont l'équipe du CISCA fait partie du collectif "
        "pilote, pour y expérimenter le rôle de médiateur-traducteur.",
        "description": "La source ne donne pas le nom de ce PTCE.",
        "territory": [(Level.DEPARTEMENT, "63"), (Level.COMMUNE, "63113")],
        "stage": PoleStage.EMERGING,
        "members": [
            ("cisca", MembershipRole.PILOT),
            ("institut-godin", MembershipRole.SUPPORT),
        ],
        "calls": [],
    }
    for number in (1, 2)
]
