"""Reads for the staff pages: the board by state, a mission with everything, the dashboard."""

from collections import OrderedDict
from decimal import Decimal

from django.db.models import Count, Prefetch, Sum
from django.db.models.functions import ExtractYear

from medias.models import ProcessingJob

from .models import (
    DeliverableVersion,
    Funding,
    MetaplanCard,
    MetaplanCluster,
    Method,
    MissionState,
    SupportMission,
    Workshop,
)


def missions():
    return SupportMission.objects.select_related(
        "client_organisation", "client_pole", "territory"
    ).prefetch_related("consultants")


def board() -> list[tuple[MissionState, list[SupportMission]]]:
    """Every state with its missions, in the order of the workflow (empty columns included)."""
    columns = OrderedDict((state, []) for state in MissionState)
    for mission in missions().with_funding_total().order_by("start_date", "title"):
        columns[MissionState(mission.state)].append(mission)
    return list(columns.items())


def mission_detail(pk):
    """A mission with its funding, workshops (and their outputs) and deliverables in few queries."""
    return (
        missions()
        .prefetch_related(
            "initiatives",
            Prefetch("funding_lines", queryset=Funding.objects.select_related("funder")),
            Prefetch(
                "workshops",
                queryset=Workshop.objects.prefetch_related(
                    "facilitators", "participants", "milestones", "steps"
                ).annotate(card_count=Count("cards", distinct=True)),
            ),
            Prefetch(
                "deliverables__versions",
                queryset=DeliverableVersion.objects.select_related(
                    "author", "media"
                ).prefetch_related(
                    Prefetch("media__jobs", queryset=ProcessingJob.objects.order_by("pk"))
                ),
            ),
        )
        .get(pk=pk)
    )


def metaplan_board(workshop: Workshop):
    """(loose cards, [(cluster, its cards)]), each in board order, in two queries."""
    cards = list(MetaplanCard.objects.filter(workshop=workshop).order_by("position", "pk"))
    clusters = list(MetaplanCluster.objects.filter(workshop=workshop))
    by_cluster = {cluster.pk: [] for cluster in clusters}
    loose = []
    for card in cards:
        by_cluster.get(card.cluster_id, loose).append(card)
    return loose, [(cluster, by_cluster[cluster.pk]) for cluster in clusters]


def timeline(workshop: Workshop):
    """[(year, [steps])] from the workshop's year to its target year, every year shown."""
    steps = list(workshop.steps.all())
    first = workshop.date.year
    last = max([workshop.target_year or first, *(step.year for step in steps)])
    years = OrderedDict((year, []) for year in range(first, last + 1))
    for step in steps:
        years.setdefault(step.year, []).append(step)
    return list(years.items())


def dashboard() -> dict:
    """Counts and sums for the dashboard's charts (each also shown as a table)."""
    per_state = dict(SupportMission.objects.values_list("state").annotate(n=Count("pk")).order_by())
    per_method = dict(Workshop.objects.values_list("method").annotate(n=Count("pk")).order_by())
    per_funder = (
        Funding.objects.values("funder__name")
        .annotate(total=Sum("amount"))
        .order_by("-total", "funder__name")
    )
    per_year = (
        Funding.objects.annotate(year=ExtractYear("start_date"))
        .values("year")
        .annotate(total=Sum("amount"))
        .order_by("year")
    )
    return {
        "missions_per_state": [
            {"label": str(state.label), "value": per_state.get(state.value, 0)}
            for state in MissionState
        ],
        "workshops_per_method": [
            {"label": str(method.label), "value": per_method.get(method.value, 0)}
            for method in Method
        ],
        "funding_per_funder": [
            {"label": row["funder__name"], "value": float(row["total"] or Decimal(0))}
            for row in per_funder
        ],
        "funding_per_year": [
            {"label": str(row["year"] or "—"), "value": float(row["total"] or Decimal(0))}
            for row in per_year
        ],
    }
