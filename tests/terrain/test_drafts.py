"""Draft transcripts: saved only where no researcher's transcript is, marked reviewed by a
researcher of the season, and speakers given to a run of segments in one request."""

import pytest
from django.urls import reverse

from terrain import services
from terrain.models import Interview, Interviewee, Transcript

from .conftest import fieldwork, users  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db

RECOGNISED = [
    {"speaker": "", "start_ms": 1000 * i, "end_ms": 1000 * i + 900, "text": f"Phrase {i}."}
    for i in range(8)
]
MADE_WITH = {"model": "faster-whisper-small", "language": "fr"}


@pytest.fixture
def draft(fieldwork):  # noqa: F811
    interview = Interview.objects.create(visit=fieldwork["interview"].visit, title="Second")
    Interviewee.objects.create(
        interview=interview, person=fieldwork["interview"].people.first().person
    )
    transcript = services.save_draft(interview, RECOGNISED, MADE_WITH)
    return transcript


def speakers(transcript):
    return list(transcript.segments.order_by("position").values_list("speaker", flat=True))


def test_a_draft_is_saved_once_and_says_how_it_was_made(draft):
    assert draft.is_draft and draft.source == "faster-whisper: faster-whisper-small"
    again = services.save_draft(draft.interview, RECOGNISED, MADE_WITH)
    assert again.pk == draft.pk and draft.segments.count() == len(RECOGNISED)


def test_a_researchers_transcript_is_never_replaced_by_a_draft(fieldwork):  # noqa: F811
    interview = fieldwork["interview"]
    before = speakers(interview.transcript)
    assert services.draft_language(interview) is None
    assert services.save_draft(interview, RECOGNISED, MADE_WITH) is None
    assert speakers(Transcript.objects.get(interview=interview)) == before


def test_a_reviewed_draft_is_kept_when_another_recording_comes(draft, users):  # noqa: F811
    assert services.draft_language(draft.interview) == "fr"  # an unreviewed draft may be redone
    services.mark_reviewed(draft, users["member"])
    assert services.draft_language(draft.interview) is None
    assert services.save_draft(draft.interview, RECOGNISED[:2], MADE_WITH) is None
    assert draft.segments.count() == len(RECOGNISED)


def assign_url(transcript):
    interview = transcript.interview
    return reverse("terrain:speaker-assign", args=[interview.visit.season_id, interview.pk])


def test_one_request_gives_a_run_of_segments_to_a_speaker(client, users, draft):  # noqa: F811
    client.force_login(users["member"])
    ids = list(draft.segments.order_by("position").values_list("pk", flat=True))
    # The first and last ticked are enough: every segment between them is in the run.
    response = client.post(assign_url(draft), {"segments": [ids[4], ids[1]], "speaker": "Hélène"})
    assert response.status_code == 302
    assert speakers(draft) == ["", "Hélène", "Hélène", "Hélène", "Hélène", "", "", ""]
    helene = draft.interview.people.get()
    assert set(draft.segments.filter(speaker="Hélène").values_list("interviewee", flat=True)) == {
        helene.pk
    }


def test_htmx_gets_the_changed_segments_swapped_in_place(client, users, draft):  # noqa: F811
    client.force_login(users["member"])
    ids = list(draft.segments.order_by("position").values_list("pk", flat=True))
    response = client.post(
        assign_url(draft),
        {"segments": [ids[6], ids[7]], "speaker_new": "Animatrice"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert html.count('data-hx-swap-oob="true"') == 2
    assert f'id="segment-{ids[6]}"' in html and f'id="segment-{ids[5]}"' not in html
    assert speakers(draft)[6:] == ["Animatrice", "Animatrice"]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ({"speaker": "Hélène"}, "Sélectionnez d’abord les segments"),
        ({"segments": ["1"], "speaker": "  "}, "Choisissez ou saisissez le locuteur"),
        ({"segments": ["abc"], "speaker": "Hélène"}, "Sélectionnez d’abord les segments"),
    ],
)
def test_a_run_without_segments_or_speaker_is_refused_with_the_reason(
    client,
    users,  # noqa: F811
    draft,
    data,
    reason,
):
    client.force_login(users["member"])
    if data.get("segments") == ["1"]:
        data = {**data, "segments": [str(draft.segments.first().pk)]}
    response = client.post(assign_url(draft), data, headers={"HX-Request": "true"})
    assert response.status_code == 400 and reason in response.content.decode()
    assert speakers(draft) == [""] * len(RECOGNISED)


def test_segments_of_another_transcript_are_not_touched(client, users, draft, fieldwork):  # noqa: F811
    client.force_login(users["member"])
    other = fieldwork["interview"].transcript.segments.first()
    response = client.post(
        assign_url(draft), {"segments": [other.pk], "speaker": "X"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 400
    other.refresh_from_db()
    assert other.speaker != "X"


def test_only_the_seasons_researchers_assign_speakers_or_review(client, users, draft):  # noqa: F811
    client.force_login(users["outsider"])
    ids = list(draft.segments.values_list("pk", flat=True))
    assert client.post(assign_url(draft), {"segments": ids, "speaker": "X"}).status_code == 404
    interview = draft.interview
    reviewed = reverse(
        "terrain:transcript-reviewed", args=[interview.visit.season_id, interview.pk]
    )
    assert client.post(reviewed).status_code == 404
    draft.refresh_from_db()
    assert draft.is_draft and "X" not in speakers(draft)
    client.force_login(users["member"])
    assert client.get(reviewed).status_code == 405
    assert client.post(reviewed).status_code == 302
    draft.refresh_from_db()
    assert not draft.is_draft and draft.reviewed_by == users["member"]
