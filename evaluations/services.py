"""Operations on assessments: record one criterion by criterion, submit it, publish or withdraw it.

A researcher records and submits; publishing on an initiative's public profile, and withdrawing
from it, is a reviewer's decision (staff, or whoever holds `evaluations.review_assessment`), as a
finding's is. Views and services both check it: `by` is the person acting (None for internal
calls: the demo loader, tests of the rules themselves).
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from observatoire.publishing import State

from .models import Assessment, Criterion, CriterionLevel, Grid, Score


class AssessmentError(Exception):
    """An operation refused; the message is a translated sentence for the person."""


def may_review(user) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and (user.is_staff or user.has_perm("evaluations.review_assessment"))
    )


def _reviewer_only(by, message: str) -> None:
    if by is not None and not may_review(by):
        raise AssessmentError(message)


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
    elif assessment.is_published:
        _reviewer_only(
            by, _("A published assessment is changed by a reviewer; ask for it to be withdrawn.")
        )
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


def _refuse_incomplete(assessment: Assessment) -> None:
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


def submit_assessment(assessment: Assessment, *, by=None) -> Assessment:
    """Ask a reviewer to publish it: only a complete assessment that is not public yet."""
    if assessment.is_published:
        raise AssessmentError(_("This assessment is already published."))
    _refuse_incomplete(assessment)
    if assessment.submitted_at is None:
        assessment.submitted_at = timezone.now()
        assessment.save(update_fields=["submitted_at", "updated_at"])
    return assessment


def publish_assessment(assessment: Assessment, *, by=None) -> Assessment:
    """Show the assessment on the initiative's public profile; only a complete one may be,
    and only a reviewer publishes."""
    _reviewer_only(by, _("Only a reviewer may publish an assessment; submit it for review."))
    _refuse_incomplete(assessment)
    if assessment.state != State.PUBLISHED:
        assessment.state = State.PUBLISHED
        assessment.published_at = assessment.published_at or timezone.now()
        assessment.submitted_at = None  # reviewed: a later withdrawal starts a new round
        assessment.save(update_fields=["state", "published_at", "submitted_at", "updated_at"])
    return assessment


def withdraw_assessment(assessment: Assessment, *, by=None) -> Assessment:
    _reviewer_only(by, _("Only a reviewer may withdraw a published assessment."))
    if assessment.state == State.PUBLISHED:
        assessment.state = State.WITHDRAWN
        assessment.save(update_fields=["state", "updated_at"])
    return assessment
