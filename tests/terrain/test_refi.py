"""REFI-QDA export: every file valid against the official XSDs and read by pyrefiqda.

The checks are third-party: lxml validates `project.qde` against REFI's Project.xsd and the
`.qdc` against Codebook.xsd; pyrefiqda (models generated from those XSDs) loads the archive, and
the selections are sliced out of the source files it resolves, counting code points.
"""

import datetime
import io
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from initiatives.models import Affiliation, Organisation, Person
from terrain import services
from terrain.models import (
    AccessLog,
    Code,
    Consent,
    Interview,
    Interviewee,
    Memo,
    Season,
    Transcript,
    Visit,
)
from terrain.refi import export_qdc, export_qdpx, import_qdc

from .refi_tools import assert_valid, project_xml, read_qdc, read_qdpx, source_file


def test_a_season_with_one_memo_validates_and_its_note_carries_dates_and_user(users, tmp_path):
    season = Season.objects.create(title="Saison avec un mémo")
    Memo.objects.create(
        season=season, text="Première impression du terrain", author=users["member"]
    )
    data = export_qdpx(season)
    assert_valid(project_xml(data), "Project.xsd")
    project, folder = read_qdpx(data, tmp_path)
    (note,) = project.notes.note
    # QualCoder's importer stops on a note without a date; ours has both, and the user.
    assert note.creation_date_time is not None and note.modified_date_time is not None
    (user,) = project.users.user
    assert note.creating_user == user.guid == note.modifying_user
    assert source_file(folder, note.plain_text_path) == "Première impression du terrain"
    assert [ref.target_guid for ref in project.note_ref] == [note.guid]
    assert project.code_book is None and project.sources is None


def test_a_season_with_codes_but_no_coded_passage_validates(users, tmp_path):
    season = Season.objects.create(title="Saison sans extrait")
    Code.objects.create(season=season, name="Coopération")
    xml = project_xml(export_qdpx(season))
    assert_valid(xml, "Project.xsd")
    assert b"<Users" not in xml and b"<Sources" not in xml and b"<Notes" not in xml
    project, _folder = read_qdpx(export_qdpx(season), tmp_path)
    assert [code.name for code in project.code_book.codes.code] == ["Coopération"]


def test_a_new_empty_season_validates(db):
    season = Season.objects.create(title="Nouvelle saison")
    xml = project_xml(export_qdpx(season))
    assert_valid(xml, "Project.xsd")
    assert b"<Users" not in xml and b"<CodeBook" not in xml and b"<Codes" not in xml


@pytest.fixture
def richer(fieldwork):
    """The fieldwork with memos everywhere, a category, themes, an organisation and a third
    interviewee who gave no consent."""
    season, member = fieldwork["season"], fieldwork["users"]["member"]
    trust, diagnosis = fieldwork["codes"]
    category = Code.objects.create(season=season, name="Thèmes transversaux", is_codable=False)
    trust.parent = category
    trust.save()
    Memo.objects.create(
        code=diagnosis, text="Le diagnostic vient souvent d'un tiers.", author=member
    )
    Memo.objects.create(
        interview=fieldwork["interview"], text="Entretien chaleureux.", author=member
    )
    Memo.objects.create(excerpt=fieldwork["excerpt"], text="Moment clé.", author=member)
    fieldwork["initiative"].themes.add("circuits courts", "entraide")
    orga = Organisation.objects.create(name="Association Les Échanges", slug="echanges")
    Affiliation.objects.create(person=fieldwork["helene"], organisation=orga, title="coordinatrice")
    Affiliation.objects.create(person=fieldwork["joel"], organisation=orga, title="bénévole")
    marc = Person.objects.create(first_name="Marc", last_name="Secret", slug="marc-secret")
    Interviewee.objects.create(interview=fieldwork["interview"], person=marc, role="voisin")
    return fieldwork


def test_the_whole_season_validates_and_pyrefiqda_reads_every_part(richer, tmp_path):
    data = export_qdpx(richer["season"])
    assert_valid(project_xml(data), "Project.xsd")
    project, folder = read_qdpx(data, tmp_path)
    notes = {note.guid: source_file(folder, note.plain_text_path) for note in project.notes.note}
    assert all(n.creation_date_time and n.creating_user for n in project.notes.note)

    (category,) = project.code_book.codes.code
    assert category.name == "Thèmes transversaux" and category.is_codable is False
    (trust,) = category.code
    (diagnosis,) = trust.code
    assert trust.is_codable is True
    assert [notes[ref.target_guid] for ref in diagnosis.note_ref] == [
        "Le diagnostic vient souvent d'un tiers."
    ]

    (source,) = project.sources.text_source
    assert [notes[ref.target_guid] for ref in source.note_ref] == ["Entretien chaleureux."]
    text = source_file(folder, source.plain_text_path)
    memo_refs = []
    for selection in source.plain_text_selection:
        excerpt = richer["excerpt"] if selection.guid == str(richer["excerpt"].guid) else None
        excerpt = excerpt or richer["joel_excerpt"]
        assert text[selection.start_position : selection.end_position] == excerpt.text
        assert selection.creating_user and selection.creation_date_time
        memo_refs += [notes[ref.target_guid] for ref in selection.note_ref]
    assert memo_refs == ["Moment clé."]

    variables = {v.guid: v.name for v in project.variables.variable}
    cases = {
        case.name: {
            variables[value.variable_ref.target_guid]: value.text_value
            for value in case.variable_value
        }
        for case in project.cases.case
    }
    assert all(case.source_ref[0].target_guid == source.guid for case in project.cases.case)
    helene = cases["Hélène Brûlé"]
    assert set(helene.values()) == {
        "coordinatrice",
        "Association Les Échanges",
        "Hauts-de-France",
        "circuits courts, entraide",
    }
    # Joël is quoted under a pseudonym: no organisation, which would name him.
    assert set(cases["Paul"].values()) == {
        "bénévole",
        "Hauts-de-France",
        "circuits courts, entraide",
    }
    # Marc gave no consent: the case says nothing about him, only about the initiative.
    (anonymous,) = [name for name in cases if name not in ("Hélène Brûlé", "Paul")]
    assert "Marc" not in anonymous
    assert set(cases[anonymous].values()) == {"Hauts-de-France", "circuits courts, entraide"}
    assert b"Marc" not in project_xml(data) and b"voisin" not in project_xml(data)


def test_a_withdrawn_consent_takes_the_name_and_role_out_of_the_case(richer, tmp_path):
    Consent.objects.filter(pk=richer["helene_consent"].pk).update(withdrawn_at=timezone.now())
    xml = project_xml(export_qdpx(richer["season"]))
    assert_valid(xml, "Project.xsd")
    assert "Hélène Brûlé".encode() not in xml.split(b"<Sources")[0]
    assert b"coordinatrice" not in xml and "Échanges".encode() not in xml


def test_the_codebook_validates_against_codebook_xsd_and_comes_back_onto_itself(richer):
    qdc = export_qdc(richer["season"])
    assert_valid(qdc, "Codebook.xsd")
    codebook = read_qdc(qdc)
    (category,) = codebook.codes.code
    assert category.is_codable is False and category.code[0].name == "Confiance"
    before = Code.objects.count()
    summary = import_qdc(richer["season"], qdc)
    assert Code.objects.count() == before and summary.codes_unchanged == 3
    assert Code.objects.get(name="Thèmes transversaux").is_codable is False


def test_an_empty_codebook_is_not_exported_as_an_invalid_qdc(users, client):
    season = Season.objects.create(title="Vide")
    season.researchers.add(users["member"])
    client.force_login(users["member"])
    response = client.get(reverse("terrain:export-codebook", args=[season.pk]), follow=True)
    assert "rien à exporter" in response.content.decode()


UNICODE_TURN = (
    "Café précomposé, puis cafe\u0301 décomposé 🙂 et la famille 👩\u200d👩\u200d👧 arrive : fin."
)


def test_positions_count_unicode_code_points(users, tmp_path):
    """Accents, a decomposed é (2 code points), an emoji (1, but 2 UTF-16 units) and a ZWJ
    family (5 code points): each excerpt after them is sliced exactly by code points."""
    season = Season.objects.create(title="Unicode")
    visit = Visit.objects.create(season=season, date=datetime.date(2024, 6, 1))
    interview = Interview.objects.create(visit=visit, title="Entretien 🙂")
    transcript = Transcript.objects.create(interview=interview)
    segments = services.import_segments(
        transcript,
        [
            {
                "speaker": "Zoé",
                "start_ms": 0,
                "end_ms": 1000,
                "text": "Déjà l'été 👩\u200d👩\u200d👧",
            },
            {"speaker": "Zoé", "start_ms": 1000, "end_ms": 2000, "text": UNICODE_TURN},
        ],
    )
    code = Code.objects.create(season=season, name="Famille")
    text = segments[1].text
    wanted = ["cafe\u0301", "🙂", "👩\u200d👩\u200d👧", "fin"]
    for piece in wanted:
        start = text.index(piece)
        services.code_excerpt(segments[1], start, start + len(piece), [code], coder=users["member"])
    data = export_qdpx(season)
    assert_valid(project_xml(data), "Project.xsd")
    project, folder = read_qdpx(data, tmp_path)
    (source,) = project.sources.text_source
    whole = source_file(folder, source.plain_text_path)
    sliced = [whole[s.start_position : s.end_position] for s in source.plain_text_selection]
    assert sorted(sliced) == sorted(wanted)
    fin = next(
        s for s in source.plain_text_selection if whole[s.start_position :].startswith("fin")
    )
    # The same position counted in UTF-16 units (as NVivo would) lands elsewhere: the test bites.
    assert len(whole[: fin.start_position].encode("utf-16-le")) // 2 != fin.start_position
    assert len("👩\u200d👩\u200d👧") == 5 and len("cafe\u0301") == 5


def test_a_category_imported_from_a_codebook_cannot_code_a_passage(fieldwork):
    season = fieldwork["season"]
    qdc = f"""<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="QualCoder">
  <Codes><Code guid="{uuid.uuid4()}" name="Valeurs" isCodable="false">
    <Code guid="{uuid.uuid4()}" name="Solidarité" isCodable="true"/></Code></Codes>
</CodeBook>""".encode()
    assert_valid(qdc, "Codebook.xsd")
    summary = import_qdc(season, qdc)
    assert summary.codes_created == ["Valeurs", "Valeurs › Solidarité"]
    category = Code.objects.get(name="Valeurs")
    assert category.is_codable is False
    segment = fieldwork["segments"][0]
    with pytest.raises(services.TerrainError):
        services.code_excerpt(segment, 0, 7, [category], coder=fieldwork["users"]["member"])
    services.code_excerpt(
        segment, 0, 7, [Code.objects.get(name="Solidarité")], coder=fieldwork["users"]["member"]
    )
    exported = {code.name: code.is_codable for code in read_qdc(export_qdc(season)).codes.code}
    assert exported["Valeurs"] is False and exported["Confiance"] is True


def test_the_download_is_logged_and_valid(fieldwork, client):
    client.force_login(fieldwork["users"]["member"])
    response = client.get(reverse("terrain:export", args=[fieldwork["season"].pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert_valid(project_xml(response.content), "Project.xsd")
    codebook = client.get(reverse("terrain:export-codebook", args=[fieldwork["season"].pk]))
    assert_valid(codebook.content, "Codebook.xsd")
    assert (
        AccessLog.objects.filter(
            user=fieldwork["users"]["member"], target=AccessLog.Target.EXPORT
        ).count()
        == 2
    )
    client.force_login(fieldwork["users"]["outsider"])
    assert client.get(reverse("terrain:export", args=[fieldwork["season"].pk])).status_code == 404


def test_a_codebook_import_updates_our_codes_by_guid_and_adds_new_ones(fieldwork):
    season = fieldwork["season"]
    trust = fieldwork["codes"][0]
    qdc = f"""<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="QualCoder">
  <Codes>
    <Code guid="{{{str(trust.guid).upper()}}}" name="Confiance mutuelle" isCodable="true"
          color="#112233">
      <Description>Quand les acteurs se fient les uns aux autres.</Description>
      <Code guid="6f1c1c5e-2a52-4b8e-9d0b-1d3c9a7e0001" name="Médiation" isCodable="true"/>
    </Code>
  </Codes>
</CodeBook>""".encode()
    assert_valid(qdc, "Codebook.xsd")  # braces and capitals are GUIDs too
    summary = import_qdc(season, qdc)
    assert summary.codes_updated == ["Confiance mutuelle"]
    assert summary.codes_created == ["Confiance mutuelle › Médiation"]
    trust.refresh_from_db()
    assert trust.name == "Confiance mutuelle" and trust.colour == "#112233"
    assert Code.objects.get(name="Médiation").parent == trust


def test_a_broken_codebook_gets_the_form_again_with_a_400(fieldwork, client):
    season = fieldwork["season"]
    client.force_login(fieldwork["users"]["member"])
    upload = io.BytesIO(b"<CodeBook")
    upload.name = "broken.qdc"
    response = client.post(reverse("terrain:codebook-import", args=[season.pk]), {"file": upload})
    assert response.status_code == 400
    page = response.content.decode()
    assert "n’est pas un XML valide" in page
    assert f'action="{reverse("terrain:codebook-import", args=[season.pk])}"' in page
