"""Coding that fits the material: passages over several turns kept exact (edits, erasure,
pseudonyms, exports, quotes), the codebook merged and rearranged with its counts, coded time
ranges of a recording in the QDPX, codebook versions on findings, and season-wide search."""

import json
import re

import pytest
from django.contrib.auth import get_user_model
from lxml import etree

from observatoire.shredders import erase_person
from terrain import services
from terrain.models import (
    AccessLog,
    AudioExcerpt,
    Code,
    Excerpt,
    Finding,
    FindingExcerpt,
    Interview,
    Segment,
)
from terrain.quotes import quote
from terrain.refi import export_qdpx
from terrain.services.erasure import rewrite_segment_text

from .refi_tools import assert_valid, project_xml, read_qdpx, source_file

NS = {"q": "urn:QDA-XML:project:1.0"}


@pytest.fixture
def member_client(client, fieldwork):
    client.force_login(fieldwork["users"]["member"])
    return client


def _across(fieldwork, first_words, last_words, first=0, last=2, code=0):
    """Code from `first_words` in one turn to the end of `last_words` in a later one."""
    segments = fieldwork["segments"]
    start = segments[first].text.index(first_words)
    end = segments[last].text.index(last_words) + len(last_words)
    return services.code_excerpt(
        segments[first],
        start,
        end,
        [fieldwork["codes"][code]],
        coder=fieldwork["users"]["member"],
        end_segment=segments[last],
    )


def _turns(fieldwork):
    return [Segment.objects.get(pk=s.pk) for s in fieldwork["segments"]]


# Passages over several turns --------------------------------------------------------------


def test_a_passage_over_three_turns_keeps_every_word_between(fieldwork):
    excerpt = _across(fieldwork, "est née", "qui a proposé")
    one, two, three = _turns(fieldwork)
    assert excerpt.text == "\n".join(
        [one.text[one.text.index("est née") :], two.text, three.text[: excerpt.end]]
    )
    assert excerpt.text.endswith("qui a proposé")


def test_the_same_passage_coded_twice_is_one_excerpt_and_a_reversed_one_is_refused(fieldwork):
    first = _across(fieldwork, "est née", "Au début", last=1)
    again = _across(fieldwork, "est née", "Au début", last=1, code=1)
    assert first.pk == again.pk and again.codes.count() == 2
    segments = fieldwork["segments"]
    with pytest.raises(services.TerrainError):
        services.code_excerpt(
            segments[2], 0, 3, fieldwork["codes"][:1], coder=None, end_segment=segments[1]
        )


def test_a_selection_ending_at_the_start_of_a_turn_stays_in_the_turn_before(fieldwork):
    segments = fieldwork["segments"]
    excerpt = services.code_excerpt(
        segments[0], 8, 0, fieldwork["codes"][:1], coder=None, end_segment=segments[1]
    )
    assert excerpt.end_segment_id is None
    assert excerpt.text == segments[0].text[8:]


def test_editing_each_turn_elsewhere_keeps_the_passage_exact(fieldwork):
    excerpt = _across(fieldwork, "est née", "qui a proposé")
    before = excerpt.text
    one, two, three = _turns(fieldwork)
    services.edit_segment(one, text="Dites-moi : " + one.text)
    services.edit_segment(three, text=three.text.replace("à l'été", "au printemps"))
    excerpt.refresh_from_db()
    assert excerpt.text == before
    one, two, three = _turns(fieldwork)
    assert excerpt.text_of() == before
    # A turn in the middle is covered whole: an edit there is part of the passage.
    services.edit_segment(two, text=two.text.replace("réguliers", "hebdomadaires"))
    excerpt.refresh_from_db()
    assert "échanges hebdomadaires" in excerpt.text
    assert excerpt.text == excerpt.text_of()
    assert excerpt.text.startswith("est née") and excerpt.text.endswith("qui a proposé")


def test_erasure_keeps_a_passage_over_several_turns_exact(published):
    # From Hélène's own turn, over her name, into Joël's turn that names her.
    excerpt = _across(published, "se méfiaient", "qui a proposé", first=1)
    erase_person(published["helene"], by=published["users"]["staff"])
    excerpt.refresh_from_db()
    one, two, three = _turns(published)
    assert "Hélène" not in excerpt.text
    assert excerpt.text.startswith("se méfiaient") and excerpt.text.endswith("qui a proposé")
    assert excerpt.text == two.text[excerpt.start :] + "\n" + three.text[: excerpt.end]


def test_a_name_replaced_in_the_middle_turn_moves_no_offset_and_changes_the_text(fieldwork):
    excerpt = _across(fieldwork, "est née", "qui a proposé")
    start, end = excerpt.start, excerpt.end
    two = _turns(fieldwork)[1]
    rewrite_segment_text(two, re.compile(r"Joël Pérez"), "Paul")
    two.save()
    excerpt.refresh_from_db()
    assert (excerpt.start, excerpt.end) == (start, end)
    assert "Paul se méfiaient" in excerpt.text and "Joël" not in excerpt.text
    assert excerpt.text == excerpt.text_of()


def test_refi_export_gives_a_passage_over_two_turns_one_selection(fieldwork, tmp_path):
    excerpt = _across(fieldwork, "la confiance", "qui a proposé", first=1)
    data = export_qdpx(fieldwork["season"])
    assert_valid(project_xml(data), "Project.xsd")
    project, folder = read_qdpx(data, tmp_path)
    (source,) = project.sources.text_source
    text = source_file(folder, source.plain_text_path)
    (selection,) = [s for s in source.plain_text_selection if s.guid == str(excerpt.guid)]
    passage = text[selection.start_position : selection.end_position]
    # One stretch of the source: the end of one line, the next line's time and speaker, its words.
    first, second = excerpt.text.split("\n")
    assert passage.startswith(first + "\n[00:00:12] Joël: ")
    assert passage.endswith(second)


def test_a_quote_over_two_speakers_needs_both_consents(published):
    excerpt = _across(published, "la confiance", "qui a proposé", first=1)
    excerpt = Excerpt.objects.get(pk=excerpt.pk)
    shown = quote(excerpt)
    assert not shown.removed
    assert shown.speaker == "Hélène Brûlé / Paul"
    published["joel_consent"].quoting_allowed = False
    published["joel_consent"].save()
    assert quote(Excerpt.objects.get(pk=excerpt.pk)).removed


def test_the_reader_marks_each_turn_of_a_passage(member_client, fieldwork):
    mediation = Code.objects.create(season=fieldwork["season"], name="Médiation")
    fieldwork["codes"].append(mediation)
    excerpt = _across(fieldwork, "est née", "qui a proposé", code=2)
    page = member_client.get(fieldwork["interview"].get_absolute_url()).content.decode()
    code = mediation.pk
    marked = re.findall(
        rf'<mark class="coded" data-codes="[^"]*\b{code}\b[^"]*"[^>]*>([^<]*)', page
    )
    assert "".join(marked).replace("&#x27;", "'") == excerpt.text.replace("\n", "")


def test_coding_across_turns_through_the_reader_endpoint(member_client, fieldwork):
    one, two = fieldwork["segments"][:2]
    url = f"/terrain/{fieldwork['season'].pk}/coder/"
    body = {
        "segment": one.pk,
        "end_segment": two.pk,
        "start": 8,
        "end": 8,
        "codes": [fieldwork["codes"][1].pk],
    }
    response = member_client.post(url, json.dumps(body), content_type="application/json")
    assert response.status_code == 200
    data = response.json()
    assert [row["segment"] for row in data["segments"]] == [one.pk, two.pk]
    assert data["text"] == one.text[8:] + "\n" + two.text[:8]
    body["end_segment"] = 10**9
    response = member_client.post(url, json.dumps(body), content_type="application/json")
    assert response.status_code == 404


# The codebook ----------------------------------------------------------------------------


def _count(client, fieldwork, code) -> str:
    page = client.get(f"/terrain/{fieldwork['season'].pk}/codes/").content.decode()
    return re.search(rf'data-testid="count-{code.pk}">\((\d+)\)', page).group(1)


def test_merging_repoints_excerpts_and_recorded_passages_and_updates_counts(
    member_client, fieldwork
):
    trust, diagnosis = fieldwork["codes"]
    mediation = Code.objects.create(season=fieldwork["season"], name="Médiation")
    services.code_excerpt(
        fieldwork["segments"][0], 0, 7, [mediation], coder=fieldwork["users"]["member"]
    )
    services.code_recording(fieldwork["interview"], 1000, 4000, [mediation], coder=None)
    services.code_excerpt(  # an excerpt with both codes: one coding once merged
        fieldwork["segments"][2], 0, 3, [mediation, trust], coder=fieldwork["users"]["member"]
    )
    assert (
        _count(member_client, fieldwork, trust),
        _count(member_client, fieldwork, mediation),
    ) == (
        "3",
        "3",
    )
    response = member_client.post(
        f"/terrain/{fieldwork['season'].pk}/codes/{mediation.pk}/fusionner/", {"into": trust.pk}
    )
    assert response.status_code == 302
    assert not Code.objects.filter(pk=mediation.pk).exists()
    assert _count(member_client, fieldwork, trust) == "5"
    assert AudioExcerpt.objects.get().codes.get() == trust


def _tree(fieldwork):
    return [
        (c.name, c.parent.name if c.parent else None, c.position)
        for c in Code.objects.filter(season=fieldwork["season"]).order_by("parent", "position")
    ]


def _arrange(client, fieldwork, code, **data):
    return client.post(
        f"/terrain/{fieldwork['season'].pk}/codes/{code.pk}/ranger/", data, HTTP_HX_REQUEST="true"
    )


def test_keyboard_steps_move_codes_and_say_where_they_are(member_client, fieldwork):
    trust, diagnosis = fieldwork["codes"]
    governance = services.create_code(fieldwork["season"], "Gouvernance")[0]
    response = _arrange(member_client, fieldwork, diagnosis, shift="outdent")
    assert response.status_code == 200
    said = json.loads(response["HX-Trigger"])["codebook-moved"]
    assert (
        said["ok"]
        and said["message"] == "Diagnostic partagé\u00a0: position 2 sur 3 au premier niveau."
    )
    assert 'id="code-tree"' in response.content.decode()
    assert [n for n, _p, _i in _tree(fieldwork)] == [
        "Confiance",
        "Diagnostic partagé",
        "Gouvernance",
    ]
    _arrange(member_client, fieldwork, governance, shift="up")
    _arrange(member_client, fieldwork, governance, shift="indent")
    assert Code.objects.get(pk=governance.pk).parent_id == trust.pk
    response = _arrange(member_client, fieldwork, trust, shift="up")
    said = json.loads(response["HX-Trigger"])["codebook-moved"]
    assert not said["ok"] and "premier" in said["message"]
    response = _arrange(member_client, fieldwork, trust, shift="sideways")
    assert not json.loads(response["HX-Trigger"])["codebook-moved"]["ok"]


def test_a_drop_places_a_code_and_refuses_a_loop(member_client, fieldwork):
    trust, diagnosis = fieldwork["codes"]
    governance = services.create_code(fieldwork["season"], "Gouvernance")[0]
    _arrange(member_client, fieldwork, governance, parent=trust.pk, index=0)
    assert [c.name for c in trust.children.order_by("position")] == [
        "Gouvernance",
        "Diagnostic partagé",
    ]
    _arrange(member_client, fieldwork, trust, parent=diagnosis.pk, index=0)
    assert Code.objects.get(pk=trust.pk).parent_id is None
    response = _arrange(member_client, fieldwork, trust, parent=diagnosis.pk, index="x")
    assert response.status_code == 200
    response = member_client.post(  # without htmx: back to the codebook
        f"/terrain/{fieldwork['season'].pk}/codes/{governance.pk}/ranger/", {"shift": "outdent"}
    )
    assert response.status_code == 302
    assert Code.objects.get(pk=governance.pk).parent_id is None


def test_a_code_created_from_the_panel_is_refused_empty_and_reused_by_name(
    member_client, fieldwork
):
    url = f"/terrain/{fieldwork['season'].pk}/coder/nouveau-code/"
    response = member_client.post(url, {"name": "  "})
    assert response.status_code == 400 and "nom" in response.content.decode()
    response = member_client.post(url, {"name": "confiance"})
    assert f'value="{fieldwork["codes"][0].pk}"' in response.content.decode()
    assert Code.objects.filter(season=fieldwork["season"]).count() == 2


# Recordings --------------------------------------------------------------------------------


def test_a_time_range_coded_without_transcript_is_an_audio_selection_in_a_valid_qdpx(
    member_client, fieldwork
):
    interview = Interview.objects.create(visit=fieldwork["visit"], title="Sans transcription")
    url = f"/terrain/{fieldwork['season'].pk}/entretiens/{interview.pk}/coder-enregistrement/"
    code = fieldwork["codes"][1]
    response = member_client.post(url, {"start": "0:05", "end": "1:02.5", "codes": [code.pk]})
    assert response.status_code == 302
    passage = AudioExcerpt.objects.get(interview=interview)
    assert (passage.start_ms, passage.end_ms) == (5000, 62500)
    xml = project_xml(export_qdpx(fieldwork["season"]))
    assert_valid(xml, "Project.xsd")
    root = etree.fromstring(xml)
    (source,) = root.findall(".//q:AudioSource", NS)
    assert source.get("name") == str(interview)
    (selection,) = source.findall("q:AudioSelection", NS)
    assert (selection.get("begin"), selection.get("end")) == ("5000", "62500")
    refs = selection.findall("q:Coding/q:CodeRef", NS)
    assert [r.get("targetGUID") for r in refs] == [str(code.guid)]
    users = {u.get("guid") for u in root.findall(".//q:User", NS)}
    assert selection.get("creatingUser") in users


def test_a_bad_time_range_gets_the_reader_again_with_a_400(member_client, fieldwork):
    interview = fieldwork["interview"]
    interview.audio_url = "https://enregistrements.example.org/entretien.mp3"
    interview.save()
    url = f"/terrain/{fieldwork['season'].pk}/entretiens/{interview.pk}/coder-enregistrement/"
    code = fieldwork["codes"][0].pk
    for start, end in (("abc", "0:10"), ("0:10", "0:05"), ("-1", "2"), ("1:2:3:4", "9")):
        response = member_client.post(url, {"start": start, "end": end, "codes": [code]})
        assert response.status_code == 400
    response = member_client.post(url, {"start": "0:01", "end": "0:02"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "au moins un code" in page
    assert 'name="start" value="0:01"' in page and 'name="end" value="0:02"' in page
    assert not AudioExcerpt.objects.exists()


# Codebook versions -----------------------------------------------------------------------


def _published_finding(fieldwork, slug):
    finding = Finding.objects.create(
        season=fieldwork["season"], title=slug, slug=slug, summary="s", text="t"
    )
    FindingExcerpt.objects.create(finding=finding, excerpt=fieldwork["excerpt"], position=1)
    services.submit_finding(finding)
    return services.publish_finding(finding, by=fieldwork["users"]["staff"])


def test_each_published_finding_records_the_codebook_version_of_its_codes(member_client, published):
    first = published["finding"]
    assert first.codebook_version.number == 1
    assert [c["name"] for c in first.codebook_version.codes] == ["Confiance", "Diagnostic partagé"]
    same = _published_finding(published, "meme-codebook")
    assert same.codebook_version_id == first.codebook_version_id
    services.create_code(published["season"], "Gouvernance")
    later = _published_finding(published, "apres-gouvernance")
    assert later.codebook_version.number == 2
    first.codebook_version.refresh_from_db()
    assert len(first.codebook_version.codes) == 2  # the old version is kept as it was
    page = member_client.get(f"/terrain/{published['season'].pk}/enseignements/{later.pk}/")
    assert "version 2 de la grille de codage" in page.content.decode()


def test_a_version_published_by_hand_is_new_only_when_the_codebook_changed(
    member_client, fieldwork
):
    url = f"/terrain/{fieldwork['season'].pk}/codes/versions/"
    member_client.post(url, {"note": "Premier état"})
    member_client.post(url, {"note": "Rien de neuf"})
    versions = list(fieldwork["season"].codebook_versions.all())
    assert [(v.number, v.note) for v in versions] == [(1, "Premier état")]
    services.shift_code(fieldwork["codes"][1], "outdent")
    member_client.post(url, {"note": "Diagnostic à part"})
    assert fieldwork["season"].codebook_versions.first().number == 2


# Search across the season ----------------------------------------------------------------


def test_search_finds_words_whatever_their_accents_and_opens_the_passage(member_client, fieldwork):
    url = f"/terrain/{fieldwork['season'].pk}/recherche/"
    response = member_client.get(url, {"q": "HELENE diagnostic"})
    assert response.status_code == 200
    page = response.content.decode()
    turn = fieldwork["segments"][2]
    assert 'data-testid="search-count">1 tour trouvé' in page
    assert "<mark>Hélène</mark>" in page and "<mark>diagnostic</mark>" in page
    assert "0:00:12" in page and "Joël" in page
    link = re.search(rf'href="([^"]+#segment-{turn.pk})"', page).group(1)
    opened = member_client.get(link.split("#")[0])
    assert opened.status_code == 200 and f'id="segment-{turn.pk}"' in opened.content.decode()
    assert AccessLog.objects.filter(season=fieldwork["season"], interview=None).exists()
    assert member_client.get(url, {"q": "brule"}).content.decode().count("data-segment=") == 1


def test_search_keeps_to_the_seasons_a_researcher_may_open(client, fieldwork):
    url = f"/terrain/{fieldwork['season'].pk}/recherche/"
    client.force_login(fieldwork["users"]["outsider"])
    assert client.get(url, {"q": "confiance"}).status_code == 404
    other = get_user_model().objects.create_user("other", password="pw")
    season = fieldwork["season"].__class__.objects.create(title="Autre", start_date="2025-01-01")
    season.researchers.add(other)
    client.force_login(other)
    response = client.get(f"/terrain/{season.pk}/recherche/", {"q": "confiance"})
    assert response.status_code == 200 and "Hélène" not in response.content.decode()
    assert client.get(url, {"q": "confiance"}).status_code == 404
    client.force_login(fieldwork["users"]["staff"])
    assert "<mark>confiance</mark>" in client.get(url, {"q": "confiance"}).content.decode()
    assert client.get(url, {"q": "x" * 201}).status_code == 400


# Pseudonyms -------------------------------------------------------------------------------


def test_a_pseudonym_and_its_undo_keep_a_passage_over_several_turns_exact(fieldwork):
    from medias.models import Kind, MediaFile, PseudonymSuggestion

    media = MediaFile.objects.create(
        owner=fieldwork["interview"],
        kind=Kind.TRANSCRIPT,
        original="medias/originals/00/transcript",
        original_name="entretien.txt",
        mime_type="text/plain",
        size=1,
        checksum="0" * 64,
    )
    suggestion = PseudonymSuggestion.objects.create(
        media=media, name="Hélène", label="PER", source="known", occurrences=2, pseudonym="Camille"
    )
    # From before Hélène's name in her turn to after it in Joël's.
    excerpt = _across(fieldwork, "Au début", "qui a proposé", first=1)
    before = (excerpt.start, excerpt.end, excerpt.text)
    services.decide_suggestion(suggestion, True, by=fieldwork["users"]["member"])
    excerpt.refresh_from_db()
    two, three = _turns(fieldwork)[1:]
    assert "Camille Brûlé" in excerpt.text and "c'est Camille qui a proposé" in excerpt.text
    assert excerpt.text == two.text[excerpt.start :] + "\n" + three.text[: excerpt.end]
    services.undo_pseudonym(suggestion, by=fieldwork["users"]["member"])
    excerpt.refresh_from_db()
    assert (excerpt.start, excerpt.end, excerpt.text) == before
