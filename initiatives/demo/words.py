"""Word lists from which the demo generates plausible initiatives, organisations and PTCEs."""

from ..models import (
    LegalForm,
    RoleKind,
    Stage,
)

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
