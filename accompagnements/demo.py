"""Demo content from the seed texts: CISCA's missions (ADERE LAURA's backcasting, the
mediator-translator experiment funded by DREETS) and Cré-sol's meeting of 29 November 2017.

Idempotent: it finds or creates by title/UID, so load_demo may call it on every run.
"""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from initiatives.models import LegalForm, Organisation

from . import services
from .models import (
    Audience,
    BackcastingMilestone,
    Funding,
    FundingStatus,
    Method,
    MissionState,
    SupportMission,
    Workshop,
)


def _aware(*args):
    return timezone.make_aware(dt.datetime(*args))


def _org(slug, name, **extra):
    org, _created = Organisation.objects.get_or_create(slug=slug, defaults={"name": name, **extra})
    return org


def _walk_to(mission, state):
    for step in ["proposal", "signed", "in_progress", "delivered", "closed"]:
        if mission.state == state:
            return
        services.change_state(mission, step)


def _adere(cisca_funder):
    adere = _org("adere-laura", "ADERE LAURA")
    mission, created = SupportMission.objects.get_or_create(
        title="Renouveler le projet associatif d'ADERE LAURA",
        defaults={
            "client_organisation": adere,
            "audience": Audience.COLLECTIVES,
            "objectives": "Redéfinir le projet moral qui unit les membres, le remettre au cœur "
            "des relations de coopération, en phase avec les principes de l'ESS, et renforcer "
            "la participation des adhérents.",
            "start_date": dt.date(2022, 3, 1),
        },
    )
    if not created:
        return mission
    _walk_to(mission, MissionState.IN_PROGRESS)
    Workshop.objects.create(
        mission=mission,
        title="Webinaire : l'ESS et les coopérations",
        date=_aware(2022, 4, 12, 10, 0),
        online=True,
        method=Method.WEBINAR,
        participant_count=18,
    )
    workshop = Workshop.objects.create(
        mission=mission,
        title="L'Adere en 2032",
        date=_aware(2022, 6, 16, 14, 0),
        place="Lyon, 30 ans du réseau",
        method=Method.BACKCASTING,
        participant_count=40,
        target_year=2032,
        scenario="Le label (fictif !) « réseau solidaire de coopération 2032 » est remis au "
        "réseau pour récompenser dix ans d'actions (2022-2032).",
        summary="Par quelles étapes êtes-vous passés depuis 2022 pour aboutir à ce beau résultat "
        "en 2032 ? Les propositions, sur post-it, dessinent une première feuille de route.",
    )
    for year, text in [
        (2026, "Les adhérents co-construisent une charte des achats responsables."),
        (2028, "La moitié des achats passe par des fournisseurs de l'ESS du territoire."),
        (2030, "Les bénéficiaires siègent au conseil d'administration."),
    ]:
        BackcastingMilestone.objects.create(workshop=workshop, year=year, text=text)
    for year, text in [
        (2023, "Réécrire le projet associatif avec les adhérents"),
        (2024, "Créer une commission coopération"),
        (2026, "Signer une charte des achats responsables"),
        (2029, "Ouvrir la gouvernance aux bénéficiaires"),
    ]:
        services.add_step(workshop, year, text)
    services.add_cards(
        workshop,
        "Projet associatif partagé\nAdhérents acteurs\nAchats locaux\nGouvernance ouverte",
    )
    cluster = services.add_cluster(workshop, "Gouvernance et participation")
    cards = list(workshop.cards.filter(text__in=["Adhérents acteurs", "Gouvernance ouverte"]))
    services.save_arrangement(
        workshop,
        {
            "clusters": {cluster.pk: [c.pk for c in cards]},
            "loose": list(
                workshop.cards.exclude(pk__in=[c.pk for c in cards]).values_list("pk", flat=True)
            ),
        },
    )
    return mission


def _mediator(dreets):
    cisca = _org("cisca", "Centre d'innovations sociales Clermont Auvergne", acronym="CISCA")
    mission, created = SupportMission.objects.get_or_create(
        title="Expérimenter le rôle de médiateur-traducteur",
        defaults={
            "client_organisation": cisca,
            "audience": Audience.COLLECTIVES,
            "objectives": "Expérimenter le rôle de « médiateur-traducteur » pour renforcer la "
            "coopération économique territoriale, avec la CRESS AuRA, au sein de deux PTCE "
            "émergents.",
            "start_date": dt.date(2021, 9, 1),
        },
    )
    if created:
        _walk_to(mission, MissionState.SIGNED)
        Funding.objects.create(
            mission=mission,
            funder=dreets,
            programme="DREETS",
            amount=Decimal("30000"),
            start_date=dt.date(2021, 9, 1),
            end_date=dt.date(2022, 12, 31),
            status=FundingStatus.GRANTED,
        )
    return mission


def _cre_sol_meeting():
    from agenda import services as agenda_services
    from agenda.models import Event, Kind

    uid = "rencontre-29-11-2017@cre-sol.demo"
    if Event.objects.filter(uid=uid).exists():
        return
    organiser = _org("cre-sol", "Cré-sol", legal_form=LegalForm.NETWORK)
    event = Event.objects.create(
        uid=uid,
        title="Coopérations et territoires : co-construction territoriale",
        description="En clôture du Mois de l'ESS, une soixantaine d'acteurs régionaux font "
        "émerger un calendrier commun et travaillent en ateliers sur les dynamiques collectives.",
        starts_at=_aware(2017, 11, 29, 9, 30),
        ends_at=_aware(2017, 11, 29, 17, 30),
        kind=Kind.MEETING,
        organiser=organiser,
        territory=organiser.territory,
    )
    event.themes.add("coopération", "co-construction")
    agenda_services.publish(event)


def load_demo_missions() -> list[SupportMission]:
    """Create the demo missions and agenda event (call inside load_demo's transaction)."""
    dreets = _org(
        "dreets-aura",
        "DREETS Auvergne-Rhône-Alpes",
        legal_form=LegalForm.PUBLIC_BODY,
        summary="Direction régionale de l'économie, de l'emploi, du travail et des solidarités.",
    )
    missions = [_adere(dreets), _mediator(dreets)]
    _cre_sol_meeting()
    return missions
