"""Operations on missions: state transitions, the métaplan board, roadmap steps, versions."""

from decimal import Decimal

from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from medias.models import Kind
from medias.services import UploadRefused, store_upload

from .models import (
    BackcastingStep,
    Deliverable,
    DeliverableVersion,
    MetaplanCard,
    MetaplanCluster,
    MissionState,
    SupportMission,
    Workshop,
)

S = MissionState
# Where each state may go next; a mission can be dropped until it is delivered.
TRANSITIONS = {
    S.LEAD: {S.PROPOSAL, S.DROPPED},
    S.PROPOSAL: {S.SIGNED, S.LEAD, S.DROPPED},
    S.SIGNED: {S.IN_PROGRESS, S.DROPPED},
    S.IN_PROGRESS: {S.DELIVERED, S.DROPPED},
    S.DELIVERED: {S.CLOSED},
    S.CLOSED: set(),
    S.DROPPED: set(),
}


class MissionError(Exception):
    """Raised with a translated sentence for the person who asked."""


def allowed_states(mission: SupportMission) -> list[MissionState]:
    return [state for state in S if state in TRANSITIONS[S(mission.state)]]


@transaction.atomic
def change_state(mission: SupportMission, new_state: str, *, by=None) -> SupportMission:
    mission = SupportMission.objects.select_for_update().get(pk=mission.pk)
    if new_state not in S.values:
        raise MissionError(_("“%(state)s” is not a mission state.") % {"state": new_state})
    if new_state not in TRANSITIONS[S(mission.state)]:
        raise MissionError(
            _("A mission cannot go from “%(old)s” to “%(new)s”.")
            % {"old": S(mission.state).label, "new": S(new_state).label}
        )
    mission.state = new_state
    mission.state_changed_at = timezone.now()
    mission.save(update_fields=["state", "state_changed_at", "updated_at"])
    return mission


def funding_total(mission: SupportMission) -> Decimal:
    return mission.funding_lines.aggregate(total=Sum("amount"))["total"] or Decimal("0")


# --- métaplan --------------------------------------------------------------------------------


def _next_position(queryset) -> int:
    return (queryset.aggregate(top=Max("position"))["top"] or 0) + 1


def add_cards(workshop: Workshop, text: str, *, photo=None) -> list[MetaplanCard]:
    """One card per non-empty line: cards are typed quickly, or transcribed from a photo."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        raise MissionError(_("Write at least one card."))
    start = _next_position(workshop.cards.all())
    return MetaplanCard.objects.bulk_create(
        MetaplanCard(workshop=workshop, text=line[:500], position=start + i, photo=photo)
        for i, line in enumerate(lines)
    )


def add_cluster(workshop: Workshop, title: str) -> MetaplanCluster:
    title = title.strip()
    if not title:
        raise MissionError(_("A cluster needs a title."))
    return MetaplanCluster.objects.create(
        workshop=workshop, title=title[:200], position=_next_position(workshop.clusters.all())
    )


def rename_cluster(cluster: MetaplanCluster, title: str) -> MetaplanCluster:
    title = title.strip()
    if not title:
        raise MissionError(_("A cluster needs a title."))
    cluster.title = title[:200]
    cluster.save(update_fields=["title"])
    return cluster


def edit_card(card: MetaplanCard, text: str) -> MetaplanCard:
    text = " ".join(text.split())
    if not text:
        raise MissionError(_("A card cannot be empty."))
    card.text = text[:500]
    card.save(update_fields=["text"])
    return card


def delete_card(card: MetaplanCard) -> None:
    card.delete()


@transaction.atomic
def delete_cluster(cluster: MetaplanCluster) -> None:
    """The cluster goes; its cards go back among the loose ones, at the end, in their order."""
    start = _next_position(cluster.workshop.cards.filter(cluster__isnull=True))
    cards = list(cluster.cards.order_by("position", "pk"))
    for offset, card in enumerate(cards):
        card.cluster, card.position = None, start + offset
    MetaplanCard.objects.bulk_update(cards, ["cluster", "position"])
    cluster.delete()


@transaction.atomic
def save_arrangement(workshop: Workshop, arrangement: dict) -> None:
    """Save the board as arranged: `{"clusters": {id: [card ids]}, "loose": [card ids]}`.

    Ids must belong to this workshop; the order of each list is the order on the board.
    """
    try:
        clusters = {int(k): [int(c) for c in v] for k, v in arrangement.get("clusters", {}).items()}
        loose = [int(c) for c in arrangement.get("loose", [])]
    except (TypeError, ValueError, AttributeError) as exc:
        raise MissionError(_("The board could not be read.")) from exc
    own_clusters = set(workshop.clusters.values_list("pk", flat=True))
    cards = {card.pk: card for card in workshop.cards.select_for_update()}
    placed = [c for ids in clusters.values() for c in ids] + loose
    if not set(clusters) <= own_clusters or not set(placed) <= set(cards):
        raise MissionError(_("The board names cards or clusters of another workshop."))
    if len(placed) != len(set(placed)):
        raise MissionError(_("A card cannot be in two places at once."))
    for cluster_id, ids in [*clusters.items(), (None, loose)]:
        for position, card_id in enumerate(ids, start=1):
            card = cards[card_id]
            card.cluster_id, card.position = cluster_id, position
    MetaplanCard.objects.bulk_update(cards.values(), ["cluster", "position"])


# --- backcasting -----------------------------------------------------------------------------


def add_step(workshop: Workshop, year: int, text: str) -> BackcastingStep:
    text = text.strip()
    if not text:
        raise MissionError(_("Describe the step."))
    first = workshop.date.year
    last = workshop.target_year or first + 30
    if not first <= year <= last:
        raise MissionError(
            _("A step must be placed between %(first)s and %(last)s.")
            % {"first": first, "last": last}
        )
    return BackcastingStep.objects.create(
        workshop=workshop,
        year=year,
        text=text[:500],
        position=_next_position(workshop.steps.filter(year=year)),
    )


def move_step(step: BackcastingStep, year: int) -> BackcastingStep:
    workshop = step.workshop
    last = workshop.target_year or workshop.date.year + 30
    if not workshop.date.year <= year <= last:
        raise MissionError(_("That year is outside the timeline."))
    step.year = year
    step.position = _next_position(workshop.steps.filter(year=year))
    step.save(update_fields=["year", "position"])
    return step


# --- deliverables ----------------------------------------------------------------------------


@transaction.atomic
def add_version(deliverable: Deliverable, *, file=None, notes="", by=None) -> DeliverableVersion:
    """A new numbered version; its file goes through the media queue, owned by the deliverable."""
    Deliverable.objects.select_for_update().filter(pk=deliverable.pk).first()
    number = (deliverable.versions.aggregate(top=Max("number"))["top"] or 0) + 1
    media = None
    if file is not None:
        try:
            media = store_upload(file, deliverable, Kind.DOCUMENT, user=by)
        except UploadRefused as exc:
            raise MissionError(exc.message) from exc
    return DeliverableVersion.objects.create(
        deliverable=deliverable, number=number, media=media, notes=notes, author=by
    )


REPORT_FORMATS = {"odt", "docx"}


def save_report_draft(mission: SupportMission, *, fmt: str = "odt", by=None) -> DeliverableVersion:
    """Save the report draft, as it stands, as a new version of the mission's report.

    The mission's first report deliverable receives it (one is created if there is none); the
    file then goes through the media queue like any version, ready to co-write with the client.
    """
    from django.core.files.base import ContentFile
    from django.utils.text import slugify

    from . import report
    from .models import DeliverableKind

    if fmt not in REPORT_FORMATS:
        raise MissionError(_("The report can be saved as ODT or DOCX only."))
    content = report.render_docx(mission) if fmt == "docx" else report.render_odt(mission)
    name = f"rapport-{slugify(mission.title) or mission.pk}.{fmt}"
    with transaction.atomic():
        deliverable = (
            mission.deliverables.filter(kind=DeliverableKind.REPORT).order_by("pk").first()
        )
        if deliverable is None:
            deliverable = Deliverable.objects.create(
                mission=mission, title=_("Report"), kind=DeliverableKind.REPORT
            )
        return add_version(
            deliverable,
            file=ContentFile(content, name=name),
            notes=_("Draft generated from the workshops, ready to co-write with the client."),
            by=by,
        )
