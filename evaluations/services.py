"""Operations on assessments: record one criterion by criterion, publish it, withdraw it."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from observatoire.publishing import State

from .models import Assessment, Criterion, CriterionLevel, Grid, Score


class AssessmentError(Exception):
    """An operation refused; the message is a translated sentence for the person."""


def missing_criteria(assessment: Assessment) -> list[Criterion]:
    """The grid's criteria that have no score yet in this assessment."""
    return list(
        Criterion.objects.filter(dimension__grid=assessment.grid_id)
        .exclude(scores__assessment=assessment)
        .order_by("dimension__position", "dimension__pk", "position", "pk")
    )


def is_complete(assessment: Assessment) -> bool:
    return not missing_criteria(assessment)


@transaction.atomic
def save_assessment(
    *,
    grid: Grid,
    date: dt.date,
    scores: dict[int, tuple[int | None, str]],
    initiative=None,
    organisation=None,
    notes: str = "",
    assessment: Assessment | None = None,
    by=None,
) -> Assessment:
    """Create or update a dated assessment; `scores` maps a criterion id to (level id, evidence).

    A criterion left without a level keeps no score: the assessment is then incomplete, and
    cannot be published until it is finished.
    """
    if initiative is None and organisation is None and assessment is None:
        raise AssessmentError(_("An assessment needs an initiative or an organisation."))
    if assessment is None:
        assessment = Assessment(
            grid=grid,
            initiative=initiative,
            organisation=organisation,
            assessor=by if by is not None and by.is_authenticated else None,
        )
    elif assessment.grid_id != grid.pk:
        raise AssessmentError(_("An assessment cannot change grid; start a new one."))
    assessment.date, assessment.notes = date, notes
    assessment.save()
    levels = {
        level.pk: level for level in CriterionLevel.objects.filter(criterion__dimension__grid=grid)
    }
    existing = {score.criterion_id: score for score in assessment.scores.all()}
    for criterion_id, (level_id, evidence) in scores.items():
        level = levels.get(level_id) if level_id else None
        if level_id and (level is None or level.criterion_id != criterion_id):
            raise AssessmentError(_("This level does not belong to that criterion."))
        score = existing.get(criterion_id)
        if level is None:
            if score is not None:
                score.delete()
            continue
        if score is None:
            Score.objects.create(
                assessment=assessment, criterion_id=criterion_id, level=level, evidence=evidence
            )
        elif (score.level_id, score.evidence) != (level.pk, evidence):
            score.level, score.evidence = level, evidence
            score.save(update_fields=["level", "evidence"])
    if assessment.is_published and not is_complete(assessment):
        raise AssessmentError(_("A published assessment must keep a level for every criterion."))
    return assessment


def publish_assessment(assessment: Assessment, *, by=None) -> Assessment:
    """Show the assessment on the initiative's public profile; only a complete one may be."""
    missing = missing_criteria(assessment)
    if missing:
        raise AssessmentError(
            ngettext(
                "This assessment cannot be published: %(count)d criterion has no level yet.",
                "This assessment cannot be published: %(count)d criteria have no level yet.",
                len(missing),
            )
            % {"count": len(missing)}
        )
    if assessment.state != State.PUBLISHED:
        assessment.state = State.PUBLISHED
        assessment.published_at = assessment.published_at or timezone.now()
        assessment.save(update_fields=["state", "published_at", "updated_at"])
    return assessment


def withdraw_assessment(assessment: Assessment, *, by=None) -> Assessment:
    if assessment.state == State.PUBLISHED:
        assessment.state = State.WITHDRAWN
        assessment.save(update_fields=["state", "updated_at"])
    return assessment
