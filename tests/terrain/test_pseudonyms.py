"""Pseudonym suggestions on the interview page: accepted names replaced everywhere, consistently."""

import pytest
from django.urls import reverse

from medias.models import Kind, MediaFile, PseudonymSuggestion, SuggestionStatus
from terrain import services
from terrain.models import Excerpt, Segment


@pytest.fixture(autouse=True)
def english():
    """Reasons are checked in English, the msgids; the French catalogue translates them."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def suggestions(fieldwork):
    media = MediaFile.objects.create(
        owner=fieldwork["interview"],
        kind=Kind.TRANSCRIPT,
        original="medias/originals/00/transcript",
        original_name="entretien.txt",
        mime_type="text/plain",
        size=1,
        checksum="0" * 64,
    )
    # A mention in capitals, and one inside a word that is not the name.
    first = fieldwork["segments"][0]
    services.edit_segment(first, text="Comment est née la coopération, HÉLÈNE ? Hélènette aussi.")

    def make(name, label, pseudonym, occurrences=1):
        return PseudonymSuggestion.objects.create(
            media=media,
            name=name,
            label=label,
            source="known",
            occurrences=occurrences,
            pseudonym=pseudonym,
        )

    return {
        "helene": make("Hélène", "PER", "Camille", 4),
        "brule": make("Brûlé", "PER", "Martin"),
        "lille": make("Lille", "LOC", "Place A"),
        "media": media,
    }


def _state(fieldwork):
    transcript = fieldwork["transcript"]
    return (
        list(Segment.objects.filter(transcript=transcript).values_list("speaker", "text")),
        list(Excerpt.objects.order_by("pk").values_list("start", "end", "text")),
    )


def _excerpts_are_slices(fieldwork):
    for excerpt in Excerpt.objects.filter(segment__transcript=fieldwork["transcript"]):
        assert excerpt.text == excerpt.segment.text[excerpt.start : excerpt.end]


def test_accepting_replaces_every_mention_in_every_segment(fieldwork, suggestions):
    member = fieldwork["users"]["member"]
    services.decide_suggestion(suggestions["helene"], True, None, by=member)
    services.decide_suggestion(suggestions["brule"], True, "Durand", by=member)
    segments = list(fieldwork["transcript"].segments.order_by("position"))
    everything = " ".join(f"{s.speaker} {s.text}" for s in segments)
    assert "hélène " not in everything.casefold().replace("hélènette", "")
    assert "Brûlé" not in everything
    assert segments[0].text == "Comment est née la coopération, Camille ? Hélènette aussi."
    assert segments[1].speaker == "Camille"
    assert segments[1].text.startswith("Au début, Camille Durand et Joël Pérez")
    assert "c'est Camille qui" in segments[2].text
    _excerpts_are_slices(fieldwork)
    excerpt = Excerpt.objects.get(pk=fieldwork["excerpt"].pk)
    assert excerpt.text.startswith("Camille Durand et Joël")  # still the same words
    suggestions["helene"].refresh_from_db()
    assert suggestions["helene"].status == SuggestionStatus.ACCEPTED
    assert suggestions["brule"].pseudonym == "Martin"  # the row as proposed...
    suggestions["brule"].refresh_from_db()
    assert suggestions["brule"].pseudonym == "Durand"  # ...and as decided


def test_a_second_apply_changes_nothing(fieldwork, suggestions):
    services.decide_suggestion(suggestions["helene"], True, by=fieldwork["users"]["member"])
    before = _state(fieldwork)
    assert services.apply_accepted_pseudonyms(fieldwork["transcript"]) == 0
    assert _state(fieldwork) == before


def test_rejecting_changes_nothing(fieldwork, suggestions):
    before = _state(fieldwork)
    services.decide_suggestion(suggestions["helene"], False, by=fieldwork["users"]["member"])
    assert _state(fieldwork) == before
    suggestions["helene"].refresh_from_db()
    assert suggestions["helene"].status == SuggestionStatus.REJECTED
    with pytest.raises(services.TerrainError, match="already decided"):
        services.decide_suggestion(suggestions["helene"], True)


def test_the_same_name_gets_the_same_pseudonym(fieldwork, suggestions):
    again = PseudonymSuggestion.objects.create(
        media=MediaFile.objects.create(
            owner=fieldwork["transcript"],
            kind=Kind.TRANSCRIPT,
            original="medias/originals/00/other",
            original_name="autre.txt",
            mime_type="text/plain",
            size=1,
            checksum="1" * 64,
        ),
        name="hélène",
        label="PER",
        source="model",
        pseudonym="Sacha",
    )
    services.decide_suggestion(suggestions["helene"], True)
    again.refresh_from_db()
    assert (again.status, again.pseudonym) == (SuggestionStatus.ACCEPTED, "Camille")


def test_a_pseudonym_that_is_a_name_found_is_refused(fieldwork, suggestions):
    before = _state(fieldwork)
    with pytest.raises(services.TerrainError, match="contains a name found"):
        services.decide_suggestion(suggestions["helene"], True, "Brûlé Junior")
    assert _state(fieldwork) == before


def test_the_interview_page_lists_pending_suggestions(client, fieldwork, suggestions):
    client.force_login(fieldwork["users"]["member"])
    url = fieldwork["interview"].get_absolute_url()
    page = client.get(url).content.decode()
    assert 'id="pseudonyms"' in page and "Hélène" in page and 'value="Place A"' in page
    services.decide_suggestion(suggestions["lille"], False)
    assert 'value="Place A"' not in client.get(url).content.decode()


def test_a_researcher_accepts_an_edited_pseudonym_from_the_page(client, fieldwork, suggestions):
    client.force_login(fieldwork["users"]["member"])
    url = reverse(
        "terrain:pseudonym-decide", args=[fieldwork["season"].pk, suggestions["brule"].pk]
    )
    response = client.post(url, {"decision": "accept", "pseudonym": "Leroy"})
    assert response.status_code == 302
    assert "Leroy" in Segment.objects.get(pk=fieldwork["segments"][1].pk).text
    _excerpts_are_slices(fieldwork)


def test_outsiders_get_a_404(client, fieldwork, suggestions):
    client.force_login(fieldwork["users"]["outsider"])
    url = reverse(
        "terrain:pseudonym-decide", args=[fieldwork["season"].pk, suggestions["helene"].pk]
    )
    before = _state(fieldwork)
    assert client.post(url, {"decision": "accept", "pseudonym": "X"}).status_code == 404
    assert client.get(fieldwork["interview"].get_absolute_url()).status_code == 404
    assert _state(fieldwork) == before
    suggestions["helene"].refresh_from_db()
    assert suggestions["helene"].status == SuggestionStatus.PROPOSED


def _segments(fieldwork):
    return list(
        Segment.objects.filter(transcript=fieldwork["transcript"]).values_list("speaker", "text")
    )


def test_an_accepted_pseudonym_can_be_undone_while_the_interview_is_unpublished(
    fieldwork, suggestions
):
    before = _state(fieldwork)
    services.decide_suggestion(suggestions["helene"], True, by=fieldwork["users"]["member"])
    services.decide_suggestion(suggestions["lille"], True, by=fieldwork["users"]["member"])
    assert _state(fieldwork) != before
    assert services.undo_pseudonym(suggestions["helene"]) > 0
    services.undo_pseudonym(suggestions["lille"])
    assert _state(fieldwork) == before  # words, speakers and excerpts' offsets
    _excerpts_are_slices(fieldwork)
    suggestions["helene"].refresh_from_db()
    assert suggestions["helene"].status == SuggestionStatus.PROPOSED  # to decide again
    services.decide_suggestion(suggestions["helene"], True, "Sacha")
    assert "Sacha" in "".join(text for _s, text in _segments(fieldwork))


def test_undoing_waits_for_a_later_change_of_the_same_words(fieldwork, suggestions):
    services.decide_suggestion(suggestions["helene"], True)
    services.decide_suggestion(suggestions["brule"], True)  # the same segment again
    after = _state(fieldwork)
    with pytest.raises(services.TerrainError, match="undo that first"):
        services.undo_pseudonym(suggestions["helene"])
    assert _state(fieldwork) == after  # nothing half-restored
    services.undo_pseudonym(suggestions["brule"])
    services.undo_pseudonym(suggestions["helene"])
    assert "Hélène Brûlé" in "".join(text for _s, text in _segments(fieldwork))


def test_undoing_is_refused_once_a_published_finding_quotes_the_interview(fieldwork, suggestions):
    from terrain.models import Finding, FindingState

    services.decide_suggestion(suggestions["helene"], True)
    Finding.objects.filter(pk=fieldwork["finding"].pk).update(state=FindingState.PUBLISHED)
    after = _state(fieldwork)
    with pytest.raises(services.TerrainError, match="published finding"):
        services.undo_pseudonym(suggestions["helene"])
    assert _state(fieldwork) == after


def test_a_researcher_undoes_a_pseudonym_from_the_interview_page(client, fieldwork, suggestions):
    member = fieldwork["users"]["member"]
    services.decide_suggestion(suggestions["helene"], True, by=member)
    client.force_login(member)
    page = client.get(fieldwork["interview"].get_absolute_url()).content.decode()
    undo = reverse(
        "terrain:pseudonym-undo", args=[fieldwork["season"].pk, suggestions["helene"].pk]
    )
    assert f'action="{undo}"' in page
    assert client.post(undo).status_code == 302
    assert "Hélène" in "".join(text for _s, text in _segments(fieldwork))
    client.force_login(fieldwork["users"]["outsider"])
    services.decide_suggestion(suggestions["helene"], True)
    assert client.post(undo).status_code == 404
    assert "Camille Brûlé" in "".join(text for _s, text in _segments(fieldwork))


def test_the_names_known_around_an_interview_carry_the_consent_pseudonym(fieldwork):
    from medias.known_names import known_names

    names = known_names(fieldwork["interview"])
    assert ("Joël Pérez", "PER", "Paul") in names  # consent: under the pseudonym "Paul"
    assert ("Hélène Brûlé", "PER", "") in names  # consent: under her real name
