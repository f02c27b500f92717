"""Demo data for lists and maps: the actors of the seed texts, generated initiatives, accounts.

`load_demo()` is idempotent: every object is keyed by its slug (or natural key), and the
relations of demo objects (themes, roles, PTCE links, memberships, affiliations) are reset to
exactly what this module describes, so running it twice gives the same counts. Generated rows
that a run no longer describes (after a larger `--count`) are deleted; nothing else is.

The content is in French, like the real directory it imitates. The seed entities carry facts
from the seed texts only; generated entities are fictional, say so in their description, and
are never linked to a real organisation.
"""

import math
import random
import time
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, models, transaction
from django.db.models import Q
from django.utils.text import slugify
from django.utils.translation import gettext as _
from taggit.models import Tag, TaggedItem

from observatoire import roles
from observatoire.publishing import State
from territoires.models import Level, Territory

from . import services
from .models import (
    Affiliation,
    CallForInterest,
    Initiative,
    LegalForm,
    MembershipRole,
    Organisation,
    Person,
    Pole,
    PoleMembership,
    PoleStage,
    Role,
    RoleKind,
    Stage,
)

DEFAULT_COUNT = 300
DEFAULT_SEED = 2026
JITTER = 0.015  # degrees, so a generated point stays within 0.02° of its commune's centre

FICTIONAL = "Fiche de démonstration générée automatiquement : cette structure est fictive."


class DemoError(Exception):
    """Raised with one sentence saying why the demo cannot be loaded."""


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


# ---------------------------------------------------------------------------------------------
# Generated entities: word lists.
# ---------------------------------------------------------------------------------------------

# (kind, summary with {where}, its own themes, odds of each lever: sectoral, territorial, alliances)
# fmt: off
KINDS = [
    ("Recyclerie", "Collecte, répare et revend à petits prix les objets du quotidien {where}.",
     ["économie circulaire", "réemploi", "insertion"], (0.7, 0.3, 0.4)),
    ("Ressourcerie", "Donne une seconde vie aux objets et sensibilise à la réduction des déchets "
     "{where}.", ["économie circulaire", "réemploi"], (0.7, 0.3, 0.3)),
    ("Tiers-lieu", "Un lieu partagé de travail, de fabrication et de rencontres {where}.",
     ["tiers-lieu", "coopération", "numérique"], (0.5, 0.5, 0.6)),
    ("Épicerie solidaire", "Des produits de qualité à prix accessible et un espace d'accueil "
     "{where}.", ["alimentation", "solidarité"], (0.6, 0.3, 0.4)),
    ("Garage solidaire", "Réparation de véhicules à prix solidaire pour les personnes qui en ont "
     "besoin pour travailler, {where}.", ["mobilité", "insertion"], (0.6, 0.3, 0.3)),
    ("Jardin partagé", "Des parcelles cultivées ensemble par les habitants {where}.",
     ["alimentation", "lien social"], (0.4, 0.3, 0.3)),
    ("Coopérative d'habitants", "Des habitants conçoivent et gèrent ensemble leur habitat "
     "{where}.", ["habitat", "gouvernance"], (0.3, 0.4, 0.3)),
    ("Café associatif", "Un café géré par ses adhérents, lieu de convivialité et de culture "
     "{where}.", ["lien social", "culture"], (0.3, 0.3, 0.3)),
    ("Repair café", "Des bénévoles aident chacun à réparer ses objets {where}.",
     ["réemploi", "lien social"], (0.5, 0.2, 0.2)),
    ("Atelier vélo", "Un atelier participatif pour apprendre à entretenir son vélo {where}.",
     ["mobilité", "réemploi"], (0.5, 0.3, 0.2)),
    ("Légumerie solidaire", "Transforme les légumes des producteurs locaux pour la restauration "
     "collective, en emploi d'insertion, {where}.",
     ["alimentation", "insertion", "circuits courts"], (0.8, 0.6, 0.6)),
    ("Boutique de producteurs", "Des producteurs vendent ensemble en circuit court {where}.",
     ["alimentation", "circuits courts"], (0.5, 0.5, 0.3)),
    ("Centrale solaire citoyenne", "Des habitants et des collectivités produisent ensemble une "
     "énergie renouvelable {where}.", ["énergie", "transition écologique"], (0.6, 0.6, 0.7)),
    ("Conciergerie solidaire", "Des services de proximité rendus par des salariés en insertion "
     "{where}.", ["insertion", "services de proximité"], (0.6, 0.4, 0.5)),
    ("Fablab", "Des machines et des savoir-faire partagés pour fabriquer et réparer {where}.",
     ["numérique", "coopération"], (0.4, 0.3, 0.5)),
    ("Chantier d'insertion", "Des parcours de retour à l'emploi par l'activité {where}.",
     ["insertion", "emploi"], (0.7, 0.5, 0.4)),
    ("Plateforme de mobilité", "Conseil, location et apprentissage pour se déplacer vers "
     "l'emploi {where}.", ["mobilité", "insertion"], (0.6, 0.6, 0.5)),
    ("Crèche parentale", "Des parents s'organisent pour accueillir les jeunes enfants {where}.",
     ["petite enfance", "gouvernance"], (0.3, 0.3, 0.2)),
    ("Cantine solidaire", "Des repas de saison à prix libre, cuisinés avec les habitants "
     "{where}.", ["alimentation", "lien social"], (0.5, 0.3, 0.4)),
    ("Monnaie locale", "Une monnaie citoyenne pour faire circuler la richesse sur le territoire "
     "{where}.", ["économie locale", "coopération"], (0.6, 0.8, 0.6)),
    ("Coopérative jeunesse de services", "Des jeunes créent et gèrent une entreprise "
     "coopérative le temps d'un été {where}.", ["éducation populaire", "emploi"],
     (0.4, 0.3, 0.5)),
    ("Habitat intergénérationnel", "Jeunes et aînés partagent un lieu de vie et des services "
     "{where}.", ["habitat", "lien social"], (0.5, 0.3, 0.4)),
]

BRANDS = [
    "L'Établi", "La Fabrique", "Le Relais", "La Passerelle", "Le Maillon", "La Ruche",
    "Les Ateliers du Lien", "Le Local", "La Grange", "L'Escale", "Le Chaudron", "La Bricole",
    "Le Grenier", "La Clé des champs", "Le Trait d'union", "L'Alternative", "La Boussole",
    "Le Comptoir", "La Source", "Les Communs", "Le Bercail", "La Navette", "L'Arbre à palabres",
    "Le Fil", "La Main verte", "Les Mains Agiles", "L'Atelier partagé", "Le Petit Moulin",
]

# (label, legal form, weight)
ORGANISATION_FORMS = [
    ("Association", LegalForm.ASSOCIATION, 6),
    ("Collectif", LegalForm.ASSOCIATION, 1),
    ("SCIC", LegalForm.SCIC, 2),
    ("SCOP", LegalForm.SCOP, 1),
    ("Coopérative", LegalForm.COOPERATIVE, 1),
    ("Entreprise d'insertion", LegalForm.COMPANY, 1),
    ("Réseau", LegalForm.NETWORK, 1),
]

ORGANISATION_SUMMARIES = {
    LegalForm.ASSOCIATION: "Association de l'ESS qui porte des projets de territoire {where}.",
    LegalForm.SCIC: "Société coopérative d'intérêt collectif réunissant salariés, usagers et "
    "collectivités {where}.",
    LegalForm.SCOP: "Société coopérative et participative détenue par ses salariés {where}.",
    LegalForm.COOPERATIVE: "Coopérative d'entrepreneurs et d'habitants {where}.",
    LegalForm.COMPANY: "Entreprise d'insertion qui accompagne vers l'emploi {where}.",
    LegalForm.NETWORK: "Réseau d'acteurs de l'économie sociale et solidaire, basé {where}.",
}

POLE_NAMES = [
    "PTCE du Pays {of}", "Pôle coopératif {of}", "PTCE Terres {of}", "PTCE Cœur {of}",
    "Pôle territorial de coopération économique {of}",
]

OTHER_THEMES = [
    "coopération", "gouvernance", "diagnostic partagé", "médiation", "transition écologique",
    "ruralité", "solidarité", "insertion", "lien social", "achats mutualisés",
]

PARTNER_KINDS = [
    RoleKind.PARTNER, RoleKind.PARTNER, RoleKind.SUPPORT, RoleKind.FUNDER, RoleKind.PARTICIPANT,
]
STAGES = [
    (Stage.IDEA, 5), (Stage.EMERGING, 20), (Stage.RUNNING, 55), (Stage.CONSOLIDATED, 15),
    (Stage.ENDED, 5),
]
# fmt: on


def of(name: str) -> str:
    """French "de" before a place name: "de Lyon", "d'Orléans", "du Mans", "des Sables"."""
    if name.startswith("Le "):
        return "du " + name[3:]
    if name.startswith("Les "):
        return "des " + name[4:]
    if name[:1].lower() in "aeiouyhéèêâîôûœ":
        return "d'" + name
    return "de " + name


@dataclass
class Commune:
    id: int
    code: str
    name: str
    latitude: float
    longitude: float
    epci_id: int | None
    weight: float


@dataclass
class Spec:
    """What one object should look like; the loader makes the database say the same."""

    slug: str
    fields: dict
    publish: bool = True
    themes: list[str] = field(default_factory=list)
    # (actor kind "org" or "person", actor slug, role kind, title)
    roles: list[tuple[str, str, str, str]] = field(default_factory=list)
    poles: list[str] = field(default_factory=list)
    # Poles only: (organisation slug, membership role); calls for interest keys (name, year).
    members: list[tuple[str, str]] = field(default_factory=list)
    calls: list[tuple[str, int]] = field(default_factory=list)


@dataclass
class DemoSpecs:
    organisations: list[Spec] = field(default_factory=list)
    people: list[Spec] = field(default_factory=list)
    affiliations: list[tuple[str, str, str]] = field(default_factory=list)
    initiatives: list[Spec] = field(default_factory=list)
    poles: list[Spec] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


@dataclass
class Account:
    role: str
    username: str | None
    password: str | None


@dataclass
class DemoResult:
    counts: list[tuple[str, int, int | None]]
    accounts: list[Account]
    skipped: list[str]
    seconds: float


# ---------------------------------------------------------------------------------------------
# Checks
# ---------------------------------------------------------------------------------------------


def check_allowed() -> None:
    if not getattr(settings, "DEMO_ALLOWED", False):
        raise DemoError(
            _(
                "Demo data and accounts are refused here: DEMO_ALLOWED is false in these settings "
                "(production)."
            )
        )


def communes_with_coordinates() -> list[Commune]:
    """Current communes that can be put on a map, in a stable order (by INSEE code)."""
    try:
        loaded = Territory.objects.filter(level=Level.COMMUNE).exists()
    except DatabaseError as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise DemoError(
            _("The database is not ready (%(reason)s): run `python manage.py migrate` first.")
            % {"reason": reason}
        ) from exc
    if not loaded:
        raise DemoError(
            _("Territories are not loaded yet: run `python manage.py load_territories` first.")
        )
    rows = (
        Territory.objects.filter(
            level=Level.COMMUNE,
            is_current=True,
            latitude__isnull=False,
            longitude__isnull=False,
        )
        .order_by("code")
        .values_list("id", "code", "name", "latitude", "longitude", "epci_id", "population")
    )
    communes = [
        Commune(pk, code, name, lat, lng, epci, math.sqrt(population or 500))
        for pk, code, name, lat, lng, epci, population in rows
    ]
    if not communes:
        raise DemoError(
            _("No commune has coordinates: load the territories with their coordinates first.")
        )
    return communes


# ---------------------------------------------------------------------------------------------
# Specs: seeds and generated (pure functions of their inputs)
# ---------------------------------------------------------------------------------------------


def seed_specs(territories: dict[tuple[str, str], Territory]) -> DemoSpecs:
    """The seed texts' entities, on the first of their candidate territories that exists."""

    def place(candidates):
        return next((territories[c] for c in candidates if c in territories), None)

    specs = DemoSpecs()
    for row in SEED_ORGANISATIONS:
        territory = place(row["territory"])
        specs.organisations.append(
            Spec(
                slug=row["slug"],
                fields={
                    "name": row["name"],
                    "acronym": row.get("acronym", ""),
                    "legal_form": row["legal_form"],
                    "summary": row["summary"],
                    "description": row.get("description", ""),
                    "website": row.get("website", ""),
                    "territory_id": territory.pk if territory else None,
                },
            )
        )
    for row in SEED_PEOPLE:
        specs.people.append(
            Spec(
                slug=row["slug"],
                fields={
                    "first_name": row["first_name"],
                    "last_name": row["last_name"],
                    "public_bio": row["public_bio"],
                },
                publish=row.get("publish", True),
            )
        )
    specs.affiliations = list(SEED_AFFILIATIONS)
    for row in SEED_INITIATIVES:
        territory = place(row["territory"])
        if territory is None:
            specs.skipped.append(row["name"])
            continue
        sectoral, territorial, alliances = row["levers"]
        specs.initiatives.append(
            Spec(
                slug=row["slug"],
                fields={
                    "name": row["name"],
                    "summary": row["summary"],
                    "description": row.get("description", ""),
                    "website": row.get("website", ""),
                    "address": row.get("address", ""),
                    "stage": row["stage"],
                    "start_date": row.get("start_date"),
                    "end_date": None,
                    "territory_id": territory.pk,
                    "latitude": territory.latitude if territory.longitude is not None else None,
                    "longitude": territory.longitude if territory.latitude is not None else None,
                    "sectoral_interaction": sectoral,
                    "territorial_coherence": territorial,
                    "cross_world_alliances": alliances,
                },
                themes=row["themes"],
                roles=row["roles"],
                poles=row.get("poles", []),
            )
        )
    for row in SEED_POLES:
        territory = place(row["territory"])
        if territory is None:
            specs.skipped.append(row["name"])
            continue
        specs.poles.append(
            Spec(
                slug=row["slug"],
                fields={
                    "name": row["name"],
                    "summary": row["summary"],
                    "description": row.get("description", ""),
                    "stage": row["stage"],
                    "founded_year": row.get("founded_year"),
                    "territory_id": territory.pk,
                },
                members=row["members"],
                calls=row["calls"],
            )
        )
    return specs


def _distance2(a: Commune, b: Commune) -> float:
    """Squared equirectangular distance, enough to rank neighbours."""
    dx = (a.longitude - b.longitude) * math.cos(math.radians((a.latitude + b.latitude) / 2))
    return dx * dx + (a.latitude - b.latitude) ** 2


def _nearest(origin: Commune, items: list, place, k: int) -> list:
    """The `k` items closest to `origin`, `place(item)` giving each item's commune."""
    return sorted(items, key=lambda item: _distance2(origin, place(item)))[:k]


def _slug(text: str) -> str:
    """slugify, keeping the ligatures that NFKD does not decompose ("Cœur" -> "coeur")."""
    for ligature, letters in (("œ", "oe"), ("Œ", "Oe"), ("æ", "ae"), ("Æ", "Ae")):
        text = text.replace(ligature, letters)
    return slugify(text)


def _unique_slug(text: str, taken: set[str]) -> str:
    slug = _slug(text)
    candidate, n = slug, 2
    while candidate in taken:
        candidate, n = f"{slug}-{n}", n + 1
    taken.add(candidate)
    return candidate


def generated_specs(communes: list[Commune], count: int, seed: int) -> DemoSpecs:
    """`count` fictional initiatives, count/2 organisations and count/25 PTCEs over France."""
    rng = random.Random(seed)
    cum_weights = []
    total = 0.0
    for commune in communes:
        total += commune.weight
        cum_weights.append(total)
    forms = [(label, form) for label, form, weight in ORGANISATION_FORMS for _ in range(weight)]
    stages = [stage for stage, weight in STAGES for _ in range(weight)]
    specs = DemoSpecs()
    taken_initiatives: set[str] = set()
    taken_organisations: set[str] = set()
    org_places: dict[str, Commune] = {}
    n_organisations = max(1, count // 2)

    initiatives = []  # (spec, commune)
    for index in range(count):
        for _attempt in range(20):
            commune = rng.choices(communes, cum_weights=cum_weights)[0]
            kind, summary, kind_themes, odds = rng.choice(KINDS)
            brand = rng.choice(BRANDS) if rng.random() < 0.4 else None
            if brand:
                name = f"{brand}, {kind[0].lower() + kind[1:]} {of(commune.name)}"
            else:
                name = f"{kind} {of(commune.name)}"
            if _slug(name) not in taken_initiatives:
                break
        slug = _unique_slug(name, taken_initiatives)
        stage = rng.choice(stages)
        start = date(rng.randint(1995, 2025), rng.randint(1, 12), rng.randint(1, 28))
        end = None
        if stage == Stage.ENDED:
            end = date(min(start.year + rng.randint(2, 12), 2025), rng.randint(1, 12), 28)
        elif stage in (Stage.IDEA, Stage.EMERGING):
            start = date(rng.randint(2021, 2025), start.month, start.day)
        themes = list(kind_themes)
        for theme in rng.sample(OTHER_THEMES, rng.randint(1, 2)):
            if theme not in themes:
                themes.append(theme)
        latitude = round(commune.latitude + rng.uniform(-JITTER, JITTER), 5)
        longitude = round(commune.longitude + rng.uniform(-JITTER, JITTER), 5)
        spec = Spec(
            slug=slug,
            fields={
                "name": name,
                "summary": summary.format(where="à " + commune.name),
                "description": FICTIONAL,
                "website": "",
                "address": "",
                "stage": stage,
                "start_date": start,
                "end_date": end,
                "territory_id": commune.id,
                "latitude": max(-90.0, min(90.0, latitude)),
                "longitude": max(-180.0, min(180.0, longitude)),
                "sectoral_interaction": rng.random() < odds[0],
                "territorial_coherence": rng.random() < odds[1],
                "cross_world_alliances": rng.random() < odds[2],
            },
            # Every tenth one stays a draft, so that `published()` visibly matters.
            publish=index % 10 != 7,
            themes=themes,
        )
        initiatives.append((spec, commune))

        if index < n_organisations:
            # The first initiatives bring their own organisation, in the same commune.
            label, form = rng.choice(forms)
            org_name = f"{label} {brand or rng.choice(BRANDS)} {of(commune.name)}"
            org_slug = _unique_slug(org_name, taken_organisations)
            specs.organisations.append(
                Spec(
                    slug=org_slug,
                    fields={
                        "name": org_name,
                        "acronym": "",
                        "legal_form": form,
                        "summary": ORGANISATION_SUMMARIES[form].format(where="à " + commune.name),
                        "description": FICTIONAL,
                        "website": "",
                        "territory_id": commune.id,
                    },
                    publish=index % 20 != 13,
                )
            )
            org_places[org_slug] = commune
            spec.roles.append(("org", org_slug, rng.choice([RoleKind.LEAD, RoleKind.FOUNDER]), ""))

    org_slugs = list(org_places)
    for spec, commune in initiatives:
        near = _nearest(commune, org_slugs, org_places.__getitem__, 8)
        if not spec.roles:
            spec.roles.append(("org", near[0], RoleKind.LEAD, ""))
        lead = spec.roles[0][1]
        others = [slug for slug in near if slug != lead]
        for slug in rng.sample(others, min(len(others), rng.choice([0, 1, 1, 2, 2, 3]))):
            spec.roles.append(("org", slug, rng.choice(PARTNER_KINDS), ""))
    specs.initiatives = [spec for spec, _commune in initiatives]

    networks = [slug for slug in org_slugs if _form_of(specs, slug) == LegalForm.NETWORK]
    n_poles = max(1, count // 25)
    taken_poles: set[str] = set()
    used_territories: set[int] = set()
    for index in range(n_poles):
        for _attempt in range(20):
            _anchor, commune = rng.choice(initiatives)
            if (commune.epci_id or commune.id) not in used_territories:
                break
        used_territories.add(commune.epci_id or commune.id)
        name = rng.choice(POLE_NAMES).format(of=of(commune.name))
        slug = _unique_slug(name, taken_poles)
        near_orgs = _nearest(commune, org_slugs, org_places.__getitem__, rng.randint(3, 7))
        n_pilots = min(len(near_orgs), rng.randint(1, 2))
        members = [(slug_, MembershipRole.PILOT) for slug_ in near_orgs[:n_pilots]]
        members += [(slug_, MembershipRole.MEMBER) for slug_ in near_orgs[n_pilots:]]
        if networks and rng.random() < 0.4:
            members.append((rng.choice(networks), MembershipRole.SUPPORT))
        stage = rng.choice([PoleStage.EMERGING, PoleStage.CONSOLIDATED])
        if stage == PoleStage.EMERGING:
            founded = rng.randint(2019, 2024)
        else:
            founded = rng.randint(2010, 2018)
        answered_ami = founded <= 2022 and rng.random() < 0.6
        pole = Spec(
            slug=slug,
            fields={
                "name": name,
                "summary": f"Des acteurs {of(commune.name)} et des environs coopèrent pour "
                "développer ensemble des activités et des emplois sur leur territoire.",
                "description": FICTIONAL,
                "stage": stage,
                "founded_year": founded,
                "territory_id": commune.epci_id or commune.id,
            },
            publish=not (n_poles >= 3 and index == n_poles - 1),
            members=members,
            calls=[(AMI_PTCE["name"], AMI_PTCE["year"])] if answered_ami else [],
        )
        specs.poles.append(pole)
        for spec, _commune in _nearest(
            commune, initiatives, lambda pair: pair[1], rng.randint(3, 6)
        ):
            spec.poles.append(slug)
    return specs


def _form_of(specs: DemoSpecs, slug: str) -> str | None:
    return next((s.fields["legal_form"] for s in specs.organisations if s.slug == slug), None)


# ---------------------------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------------------------


def _upsert(model: type[models.Model], specs: list[Spec]) -> dict[str, models.Model]:
    """Create or update `model` rows keyed by slug in a few queries; publish through services."""
    existing = model.objects.in_bulk([spec.slug for spec in specs], field_name="slug")
    to_create, to_update, changed = [], [], set()
    for spec in specs:
        obj = existing.get(spec.slug)
        if obj is None:
            to_create.append(model(slug=spec.slug, **spec.fields))
            continue
        for name, value in spec.fields.items():
            if getattr(obj, name) != value:
                setattr(obj, name, value)
                changed.add(name)
        to_update.append(obj)
    model.objects.bulk_create(to_create, batch_size=500)
    if changed:
        model.objects.bulk_update(to_update, sorted(changed), batch_size=500)
    objects = model.objects.in_bulk([spec.slug for spec in specs], field_name="slug")
    for spec in specs:
        obj = objects[spec.slug]
        if spec.publish and obj.state != State.PUBLISHED:
            services.publish(obj)
    return objects


def _set_themes(initiatives: dict[str, Initiative], specs: list[Spec]) -> None:
    names = sorted({theme for spec in specs for theme in spec.themes})
    tags = {tag.name: tag for tag in Tag.objects.filter(name__in=names)}
    for name in names:
        if name not in tags:
            tags[name] = Tag.objects.create(name=name)
    content_type = ContentType.objects.get_for_model(Initiative)
    ids = [obj.pk for obj in initiatives.values()]
    TaggedItem.objects.filter(content_type=content_type, object_id__in=ids).delete()
    TaggedItem.objects.bulk_create(
        [
            TaggedItem(content_type=content_type, object_id=initiatives[spec.slug].pk, tag=tag)
            for spec in specs
            for tag in {tags[theme] for theme in spec.themes}
        ],
        batch_size=1000,
    )


def _prune(model: type[models.Model], specs: list[Spec]) -> None:
    """Delete generated rows this run no longer describes (after a run with a larger --count)."""
    model.objects.filter(description=FICTIONAL).exclude(
        slug__in=[spec.slug for spec in specs]
    ).delete()


def _apply(specs: DemoSpecs) -> None:
    for model, model_specs in (
        (Initiative, specs.initiatives),
        (Pole, specs.poles),
        (Organisation, specs.organisations),
    ):
        _prune(model, model_specs)
    organisations = _upsert(Organisation, specs.organisations)
    people = _upsert(Person, specs.people)
    initiatives = _upsert(Initiative, specs.initiatives)
    poles = _upsert(Pole, specs.poles)

    Affiliation.objects.filter(person__in=people.values()).delete()
    Affiliation.objects.bulk_create(
        Affiliation(person=people[person], organisation=organisations[org], title=title)
        for person, org, title in specs.affiliations
    )

    _set_themes(initiatives, specs.initiatives)

    actors = {"org": organisations, "person": people}
    Role.objects.filter(initiative__in=initiatives.values()).delete()
    Role.objects.bulk_create(
        [
            Role(
                initiative=initiatives[spec.slug],
                organisation=actors[actor][slug] if actor == "org" else None,
                person=actors[actor][slug] if actor == "person" else None,
                kind=kind,
                title=title,
            )
            for spec in specs.initiatives
            for actor, slug, kind, title in spec.roles
        ],
        batch_size=1000,
    )

    Through = Initiative.poles.through
    Through.objects.filter(initiative__in=initiatives.values()).delete()
    Through.objects.bulk_create(
        [
            Through(initiative=initiatives[spec.slug], pole=poles[slug])
            for spec in specs.initiatives
            for slug in dict.fromkeys(spec.poles)
            if slug in poles
        ],
        batch_size=1000,
    )

    PoleMembership.objects.filter(pole__in=poles.values()).delete()
    PoleMembership.objects.bulk_create(
        [
            PoleMembership(pole=poles[spec.slug], organisation=organisations[slug], role=role)
            for spec in specs.poles
            for slug, role in dict.fromkeys(spec.members)
        ],
        batch_size=1000,
    )

    call, _created = CallForInterest.objects.update_or_create(
        name=AMI_PTCE["name"],
        year=AMI_PTCE["year"],
        defaults={"issuer": AMI_PTCE["issuer"], "url": AMI_PTCE["url"]},
    )
    calls = {(call.name, call.year): call}
    for spec in specs.poles:
        poles[spec.slug].calls_for_interest.set([calls[key] for key in spec.calls])


def _seed_territories() -> dict[tuple[str, str], Territory]:
    wanted = {
        candidate
        for rows in (SEED_ORGANISATIONS, SEED_INITIATIVES, SEED_POLES)
        for row in rows
        for candidate in row["territory"]
    }
    lookup = Q()
    for level, code in wanted:
        lookup |= Q(level=level, code=code)
    return {(t.level, t.code): t for t in Territory.objects.filter(lookup)}


# ---------------------------------------------------------------------------------------------
# Accounts
# ---------------------------------------------------------------------------------------------

# (role and username, password, group, is_staff, is_superuser). Fixed passwords are acceptable
# only because these accounts exist solely where settings.DEMO_ALLOWED is true.
DEMO_ACCOUNTS = [
    ("partner", "demo-partner-2026", roles.PARTNER, False, False),
    ("researcher", "demo-researcher-2026", roles.RESEARCHER, False, False),
    ("staff", "demo-staff-2026", roles.STAFF, True, False),
    ("admin", "demo-admin-2026", None, True, True),
]


def create_accounts() -> list[Account]:
    """One account per role (public needs none), with its password reset to the printed one."""
    check_allowed()
    group_names = {group for _u, _p, group, _s, _su in DEMO_ACCOUNTS if group}
    if Group.objects.filter(name__in=group_names).count() != len(group_names):
        roles.sync_roles()
    groups = {group.name: group for group in Group.objects.filter(name__in=group_names)}
    User = get_user_model()
    accounts = [Account("public", None, None)]
    for username, password, group, is_staff, is_superuser in DEMO_ACCOUNTS:
        user, _created = User.objects.get_or_create(**{User.USERNAME_FIELD: username})
        user.email = f"{username}@example.org"
        user.is_active = True
        user.is_staff = is_staff
        user.is_superuser = is_superuser
        user.set_password(password)
        user.save()
        user.groups.set([groups[group]] if group else [])
        accounts.append(Account(username, username, password))
    return accounts


# ---------------------------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------------------------

COUNTED = [
    Initiative, Organisation, Person, Pole, PoleMembership, Role, Affiliation, CallForInterest,
]  # fmt: skip


def counts() -> list[tuple[str, int, int | None]]:
    """(label, total, published or None) for each directory model."""
    rows = []
    for model in COUNTED:
        total = model.objects.count()
        published = model.objects.published().count() if hasattr(model, "state") else None
        rows.append((str(model._meta.verbose_name_plural), total, published))
    return rows


def load_demo(count: int = DEFAULT_COUNT, seed: int = DEFAULT_SEED) -> DemoResult:
    """Load (or refresh) the demo data and accounts; refuses where DEMO_ALLOWED is false."""
    started = time.monotonic()
    check_allowed()
    if count < 0:
        raise DemoError(_("The number of generated initiatives cannot be negative."))
    communes = communes_with_coordinates()
    with transaction.atomic():
        specs = seed_specs(_seed_territories())
        if count:
            generated = generated_specs(communes, count, seed)
            specs.organisations += generated.organisations
            specs.initiatives += generated.initiatives
            specs.poles += generated.poles
        _apply(specs)
        accounts = create_accounts()
    return DemoResult(counts(), accounts, specs.skipped, time.monotonic() - started)
