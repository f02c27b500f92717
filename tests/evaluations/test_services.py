"""Assessments are saved criterion by criterion; only a complete one can be published."""

import datetime as dt

import pytest
from django.utils import translation

from evaluations import services
from evaluations.models import Assessment
from observatoire.publishing import State

from .conftest import scores_for


def test_publishing_an_incomplete_assessment_is_refused_with_a_sentence(assess):
    assessment = assess([3, 4, None, 2])
    with (
        translation.override("en"),
        pytest.raises(
            services.AssessmentError, match="cannot be published: 1 criterion has no level yet"
        ),
    ):
        services.publish_assessment(assessment)
    assessment.refresh_from_db()
    assert assessment.state == State.DRAFT
    assert not Assessment.objects.published().exists()


def test_a_complete_assessment_is_published_and_dated(assess):
    assessment = services.publish_assessment(assess([3, 4, 1, 2]))
    assert assessment.state == State.PUBLISHED and assessment.published_at is not None
    assert list(Assessment.objects.published()) == [assessment]


def test_saving_again_updates_scores_and_removes_cleared_ones(assess, grid, maison, criteria):
    assessment = assess([3, 4, 1, 2])
    services.save_assessment(
        assessment=assessment,
        grid=grid,
        date=dt.date(2024, 7, 1),
        scores=scores_for(criteria, [4, 4, None, 2], evidence="New note"),
    )
    levels = {s.criterion_id: s.level.value for s in assessment.scores.select_related("level")}
    assert levels == {criteria[0].pk: 4, criteria[1].pk: 4, criteria[3].pk: 2}
    assert set(assessment.scores.values_list("evidence", flat=True)) == {"New note"}


def test_a_published_assessment_cannot_lose_a_level(assess, grid, criteria):
    assessment = services.publish_assessment(assess([3, 4, 1, 2]))
    with pytest.raises(services.AssessmentError):
        services.save_assessment(
            assessment=assessment,
            grid=grid,
            date=assessment.date,
            scores=scores_for(criteria, [3, 4, 1, None]),
        )
    assert assessment.scores.count() == 4


def test_a_level_of_another_criterion_is_refused(assess, grid, maison, criteria):
    wrong = {criteria[0].pk: (criteria[1].levels.first().pk, "")}
    with pytest.raises(services.AssessmentError):
        services.save_assessment(grid=grid, initiative=maison, date=dt.date.today(), scores=wrong)


def test_demo_grid_and_published_assessment_of_the_maison_des_echanges(maison):
    from evaluations.demo import DIMENSIONS, GRID_NAME, load_demo_assessments

    maison.slug = "maison-des-echanges-bruay-la-buissiere"
    maison.save()
    load_demo_assessments()
    load_demo_assessments()  # idempotent
    assessments = Assessment.objects.filter(initiative=maison, grid__name=GRID_NAME)
    assert assessments.count() == 2
    published = assessments.get(state=State.PUBLISHED)
    assert published.scores.count() == sum(len(criteria) for _n, criteria in DIMENSIONS)
