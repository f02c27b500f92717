"""Publishing an assessment is a reviewer's decision: a researcher submits, staff publish.

The attack: any researcher POSTed `action=publish` (or `withdraw`) on any assessment and it went
public (or disappeared from the initiative's profile) without anyone reviewing it.
"""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from evaluations import services
from evaluations.models import Assessment
from observatoire.publishing import State
from tests.evaluations.conftest import scores_for

pytestmark = pytest.mark.django_db


def act(client, assessment, action):
    return client.post(reverse("evaluations:publish", args=[assessment.pk]), {"action": action})


def state(assessment):
    return Assessment.objects.get(pk=assessment.pk).state


def test_a_researcher_cannot_publish_an_assessment(client, users, assess):
    assessment = assess([3, 4, 1, 2])
    client.force_login(users["researcher"])
    assert act(client, assessment, "publish").status_code == 403
    assert state(assessment) == State.DRAFT
    # Nor through the service itself, whatever view calls it.
    with pytest.raises(services.AssessmentError):
        services.publish_assessment(assessment, by=users["researcher"])
    assert state(assessment) == State.DRAFT


def test_a_researcher_cannot_withdraw_a_published_assessment(client, users, assess):
    assessment = services.publish_assessment(assess([3, 4, 1, 2]), by=users["staff"])
    client.force_login(users["researcher"])
    assert act(client, assessment, "withdraw").status_code == 403
    assert state(assessment) == State.PUBLISHED


def test_a_researcher_cannot_change_what_the_public_sees(client, users, grid, criteria, assess):
    assessment = services.publish_assessment(assess([3, 4, 1, 2]), by=users["staff"])
    client.force_login(users["researcher"])
    data = {"grid": grid.pk, "date": "2024-06-20", "notes": ""}
    for criterion, (level, _evidence) in scores_for(criteria, [1, 1, 1, 1]).items():
        data[f"level_{criterion}"] = level
    response = client.post(reverse("evaluations:edit", args=[assessment.pk]), data)
    assert response.status_code == 400
    assert "withdrawn" in response.content.decode() or "retirée" in response.content.decode()
    values = sorted(assessment.scores.values_list("level__value", flat=True))
    assert values == [1, 2, 3, 4]


def test_a_researcher_submits_and_staff_publish_then_withdraw(client, users, assess):
    assessment = assess([3, 4, 1, 2])
    client.force_login(users["researcher"])
    page = client.get(reverse("evaluations:edit", args=[assessment.pk])).content.decode()
    assert 'value="submit"' in page and 'value="publish"' not in page
    act(client, assessment, "submit")
    assessment.refresh_from_db()
    assert assessment.submitted_at is not None and assessment.state == State.DRAFT
    page = client.get(reverse("evaluations:edit", args=[assessment.pk])).content.decode()
    assert 'data-testid="submitted"' in page and 'value="submit"' not in page

    client.force_login(users["staff"])
    page = client.get(reverse("evaluations:edit", args=[assessment.pk])).content.decode()
    assert 'value="publish"' in page
    assert act(client, assessment, "publish").status_code == 302
    assert state(assessment) == State.PUBLISHED
    assert act(client, assessment, "withdraw").status_code == 302
    assert state(assessment) == State.WITHDRAWN


def test_an_incomplete_assessment_cannot_be_submitted(client, users, assess):
    assessment = assess([3, None, 1, 2])
    client.force_login(users["researcher"])
    response = act(client, assessment, "submit")
    assert response.status_code == 302
    assert Assessment.objects.get(pk=assessment.pk).submitted_at is None


def test_a_researcher_given_the_reviewer_permission_may_publish(client, users, assess):
    reviewer = users["researcher"]
    reviewer.user_permissions.add(Permission.objects.get(codename="review_assessment"))
    assessment = assess([3, 4, 1, 2])
    client.force_login(reviewer)
    assert act(client, assessment, "publish").status_code == 302
    assert state(assessment) == State.PUBLISHED
