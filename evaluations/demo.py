"""Demo grid "Capteurs d'innovation sociale" and a published assessment of the Maison des échanges.

The grid follows the shape of the sensors published by regional institutes of social innovation:
five dimensions, a few criteria each, four levels. Idempotent: it finds or creates by name, so
load_demo may call it on every run.
"""

import datetime as dt

from django.db import transaction

from initiatives.models import Initiative

from . import services
from .models import Assessment, Criterion, CriterionLevel, Dimension, Grid

GRID_NAME = "Capteurs d'innovation sociale"
INITIATIVE_SLUG = "maison-des-echanges-bruay-la-buissiere"
LEVELS = [
    (1, "Absent", "Rien ne l'indique à ce jour."),
    (2, "Émergent", "Des intentions ou des premiers essais, encore fragiles."),
    (3, "Affirmé", "Une pratique régulière, reconnue par les parties prenantes."),
    (4, "Exemplaire", "Une pratique structurante, documentée et transmise à d'autres."),
]
DIMENSIONS = [
    (
        "Réponse à un besoin social",
        [
            (
                "Besoin identifié",
                "Le besoin est-il nommé et partagé avec les personnes concernées ?",
            ),
            ("Personnes concernées actrices", "Les bénéficiaires prennent-ils part à la réponse ?"),
            (
                "Réponse nouvelle",
                "La réponse diffère-t-elle de ce qui existait sur le territoire ?",
            ),
        ],
    ),
    (
        "Gouvernance et participation",
        [
            ("Décision partagée", "Les usagers, salariés et bénévoles décident-ils ensemble ?"),
            ("Transparence", "Les informations et les comptes sont-ils accessibles à tous ?"),
            ("Lucrativité limitée", "Les excédents sont-ils réinvestis dans le projet ?"),
        ],
    ),
    (
        "Ancrage territorial",
        [
            ("Ressources locales", "Le projet mobilise-t-il des ressources du territoire ?"),
            ("Diagnostic partagé", "Le projet s'appuie-t-il sur un diagnostic de territoire ?"),
            ("Retombées locales", "Crée-t-il de l'activité ou du lien sur place ?"),
        ],
    ),
    (
        "Coopération et alliances",
        [
            ("Partenaires de mondes différents", "Associations, entreprises et collectivités ?"),
            ("Mutualisation", "Des moyens sont-ils mis en commun avec d'autres ?"),
            ("Co-construction avec les pouvoirs publics", "Au-delà du seul financement ?"),
        ],
    ),
    (
        "Changement d'échelle",
        [
            ("Essaimage", "Le projet est-il reproduit ailleurs ou en passe de l'être ?"),
            ("Modèle économique", "L'équilibre économique est-il atteint ou en vue ?"),
            ("Transmission", "Les savoir-faire sont-ils documentés et partagés ?"),
        ],
    ),
]
# The Maison des échanges' levels, criterion by criterion (the profile's radar shows their means).
MAISON_LEVELS = [3, 4, 3, 4, 3, 4, 3, 2, 4, 3, 3, 2, 2, 2, 3]


def load_demo_grid() -> Grid:
    grid, created = Grid.objects.get_or_create(
        name=GRID_NAME,
        defaults={
            "source": "Inspiré des capteurs d'innovation sociale des instituts régionaux",
            "description": "Cinq dimensions pour dire en quoi un projet est socialement "
            "innovant ; chaque critère se lit sur quatre niveaux.",
        },
    )
    if not created:
        return grid
    for d_position, (dimension_name, criteria) in enumerate(DIMENSIONS):
        dimension = Dimension.objects.create(grid=grid, name=dimension_name, position=d_position)
        for c_position, (name, question) in enumerate(criteria):
            criterion = Criterion.objects.create(
                dimension=dimension, name=name, question=question, position=c_position
            )
            CriterionLevel.objects.bulk_create(
                CriterionLevel(criterion=criterion, value=v, label=label, descriptor=text)
                for v, label, text in LEVELS
            )
    return grid


@transaction.atomic
def load_demo_assessments() -> None:
    grid = load_demo_grid()
    initiative = Initiative.objects.filter(slug=INITIATIVE_SLUG).first()
    if initiative is None or Assessment.objects.filter(grid=grid, initiative=initiative).exists():
        return
    criteria = list(
        Criterion.objects.filter(dimension__grid=grid).order_by("dimension__position", "position")
    )
    levels = {
        (level.criterion_id, level.value): level.pk
        for level in CriterionLevel.objects.filter(criterion__in=criteria)
    }
    # A first, partial reading a year earlier, then the complete one that is published.
    early = {
        c.pk: (levels[(c.pk, max(v - 1, 1))], "")
        for c, v in zip(criteria, MAISON_LEVELS, strict=True)
    }
    for index, criterion in enumerate(criteria):
        if index % 3 == 2:
            early[criterion.pk] = (None, "")
    services.save_assessment(
        grid=grid, initiative=initiative, date=dt.date(2023, 6, 15), scores=early
    )
    latest = services.save_assessment(
        grid=grid,
        initiative=initiative,
        date=dt.date(2024, 6, 20),
        notes="Lecture faite avec la coordinatrice et deux adhérents.",
        scores={
            c.pk: (levels[(c.pk, v)], "Observé lors de la visite et dans le rapport d'activité.")
            for c, v in zip(criteria, MAISON_LEVELS, strict=True)
        },
    )
    services.publish_assessment(latest)
