"""REFI-QDA import: a whole project moves into a season, and comes back out the same.

The round trip goes through the file only (export, then import into a fresh season); the
QualCoder-like project is written by hand as QualCoder writes it (byte order mark, users,
categories, notes as files and as content, cases with typed variables, sets, an audio source
with its transcript and sync points), and the re-export of what was imported is validated
against the official Project.xsd.
"""

import io
import uuid
import zipfile

import pytest
from django.urls import reverse

from medias import pipeline
from medias.models import JobState, Kind, MediaFile
from terrain.models import Case, Code, Excerpt, Interview, Memo, Season
from terrain.refi import export_qdc, export_qdpx, import_qdpx
from tests.medias import files

from .refi_tools import assert_valid, project_xml, read_qdpx
from .test_refi import richer  # noqa: F401 - fixture


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_PRIVATE_ROOT = tmp_path / "private-media"


def _path(code):
    names = []
    while code is not None:
        names.insert(0, code.name)
        code = code.parent
    return " › ".join(names)


def codes_of(season):
    return {(_path(c), c.is_codable, c.definition) for c in season.codes.all()}


def excerpts_of(season):
    rows = Excerpt.objects.filter(segment__transcript__interview__visit__season=season)
    return sorted(
        (e.text, tuple(sorted(_path(c) for c in e.codes.all())), e.coder.username) for e in rows
    )


def memos_of(season):
    found = []
    for memo in Memo.objects.all():
        if memo.season == season:
            found.append(("season", "", memo.text))
        elif memo.code and memo.code.season == season:
            found.append(("code", _path(memo.code), memo.text))
        elif memo.interview and memo.interview.visit.season == season:
            found.append(("interview", memo.interview.title, memo.text))
        elif memo.excerpt and memo.excerpt.segment.transcript.interview.visit.season == season:
            found.append(("excerpt", memo.excerpt.text, memo.text))
    return sorted(found)


def cases_of(qdpx, tmp_path):
    project, _folder = read_qdpx(qdpx, tmp_path)
    names = {v.guid: v.name for v in project.variables.variable}
    return {
        case.name: {names[v.variable_ref.target_guid]: v.text_value for v in case.variable_value}
        for case in project.cases.case
    }


def test_export_then_import_into_a_fresh_season_gives_the_same_work(richer, tmp_path):  # noqa: F811
    season, member = richer["season"], richer["users"]["member"]
    Memo.objects.create(season=season, text="Bilan de la saison.", author=member)
    exported = export_qdpx(season)
    fresh = Season.objects.create(title="Copie de travail")
    fresh.researchers.add(member)

    summary = import_qdpx(fresh, io.BytesIO(exported), user=member)

    assert summary.users_mapped == [("member", "member")] and not summary.named_coders
    assert codes_of(fresh) == codes_of(season)
    assert excerpts_of(fresh) == excerpts_of(season) and len(excerpts_of(fresh)) == 2
    assert memos_of(fresh) == memos_of(season) and len(memos_of(fresh)) == 4
    again = export_qdpx(fresh)
    assert_valid(project_xml(again), "Project.xsd")
    assert cases_of(again, tmp_path / "b") == cases_of(exported, tmp_path / "a")
    assert set(Case.objects.filter(season=fresh).values_list("name", flat=True)) == {
        "Hélène Brûlé",
        "Paul",
        "Personne interrogée 3",
    }


def test_the_same_codebook_with_new_guids_is_merged_not_doubled(richer, client):  # noqa: F811
    season = richer["season"]
    qdc = export_qdc(season).decode()
    for code in season.codes.all():  # what QualCoder does at each export
        qdc = qdc.replace(str(code.guid), str(uuid.uuid4()).upper())
    before = codes_of(season)
    client.force_login(richer["users"]["member"])
    upload = io.BytesIO(qdc.encode())
    upload.name = "qualcoder.qdc"
    response = client.post(reverse("terrain:codebook-import", args=[season.pk]), {"file": upload})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Codes fusionnés" in page
    assert "Thèmes transversaux › Confiance › Diagnostic partagé" in page
    assert codes_of(season) == before


def test_our_own_export_imported_again_with_new_code_guids_doubles_nothing(richer):  # noqa: F811
    season = richer["season"]
    data = export_qdpx(season)
    archive = zipfile.ZipFile(io.BytesIO(data))
    xml = archive.read("project.qde").decode()
    for code in season.codes.all():
        xml = xml.replace(str(code.guid), str(uuid.uuid4()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as out:
        for name in archive.namelist():
            out.writestr(name, xml if name == "project.qde" else archive.read(name))
    before = (codes_of(season), excerpts_of(season), memos_of(season), Interview.objects.count())
    summary = import_qdpx(season, io.BytesIO(buffer.getvalue()), user=richer["users"]["member"])
    assert len(summary.codes_merged) == 3 and not summary.codes_created
    assert summary.sources_skipped == ["Entretien coordination"] and not summary.sources
    assert not summary.cases_created and summary.memos == 0
    after = (codes_of(season), excerpts_of(season), memos_of(season), Interview.objects.count())
    assert after == before


KEYS = [
    "U1",
    "U2",
    "C0",
    "C1",
    "V1",
    "V2",
    "K1",
    "S1",
    "S2",
    "T1",
    "Y0",
    "Y1",
    "Y2",
    "N1",
    "N2",
    "N3",
    "E1",
    "P1",
    "P2",
    "TS1",
    "IMG",
]
G = {key: str(uuid.uuid4()) for key in KEYS}
ANNA = "Anna : Bonjour.\nNous avons bâti la confiance 🙂\npas à pas avec les voisins.\nFin.\n"
MEETING = "On commence.\nLa confiance, ça se construit.\n"


def qualcoder_project() -> bytes:
    first = ANNA.index("la confiance")
    second_end = ANNA.index(" avec")
    memo_start = ANNA.index("Fin")
    sync = MEETING.index("La confiance")
    g = G
    xml = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Étude QualCoder" origin="QualCoder 3.6"
 creationDateTime="2024-03-01T10:00:00Z">
<Users><User guid="{g["U1"]}" name="member"/><User guid="{g["U2"]}" name="Ana Lopes"/></Users>
<CodeBook><Codes>
 <Code guid="{g["C0"]}" name="Thèmes" isCodable="false">
  <Code guid="{g["C1"]}" name="Confiance" isCodable="true" color="#FF0000">
   <Description>Se fier aux autres.</Description><NoteRef targetGUID="{g["N1"]}"/></Code>
 </Code>
</Codes></CodeBook>
<Variables><Variable guid="{g["V1"]}" name="Âge" typeOfVariable="Integer"/>
 <Variable guid="{g["V2"]}" name="Genre" typeOfVariable="Text"/></Variables>
<Cases><Case guid="{g["K1"]}" name="Anna"><Description />
 <VariableValue><VariableRef targetGUID="{g["V1"]}"/><IntegerValue>42</IntegerValue></VariableValue>
 <VariableValue><VariableRef targetGUID="{g["V2"]}"/><TextValue>femme</TextValue></VariableValue>
 <SourceRef targetGUID="{g["S1"]}"/></Case></Cases>
<Sources>
 <TextSource guid="{g["S1"]}" name="Entretien Anna" plainTextPath="internal://{g["S1"]}.txt"
  creatingUser="{g["U2"]}" creationDateTime="2024-03-02T09:00:00Z">
  <PlainTextSelection guid="{g["P1"]}" name="" startPosition="{first}" endPosition="{second_end}"
   creatingUser="{g["U2"]}" creationDateTime="2024-03-02T09:30:00Z">
   <Coding guid="{uuid.uuid4()}" creatingUser="{g["U2"]}"><CodeRef targetGUID="{g["C1"]}"/></Coding>
  </PlainTextSelection>
  <PlainTextSelection guid="{g["P2"]}" name=""
   startPosition="{memo_start}" endPosition="{memo_start + 3}"
   creatingUser="{g["U1"]}" creationDateTime="2024-03-02T09:40:00Z">
   <Description>Mémo de codage.</Description>
   <Coding guid="{uuid.uuid4()}" creatingUser="{g["U1"]}"><CodeRef targetGUID="{g["C1"]}"/></Coding>
   <NoteRef targetGUID="{g["N2"]}"/>
  </PlainTextSelection>
 </TextSource>
 <AudioSource guid="{g["S2"]}" name="Réunion" path="internal://{g["S2"]}.wav"
  creatingUser="{g["U1"]}"
  creationDateTime="2024-03-03T14:00:00Z">
  <Transcript guid="{g["T1"]}" name="Réunion.txt" plainTextPath="internal://{g["T1"]}.txt">
   <SyncPoint guid="{g["Y0"]}" timeStamp="0" position="0"/>
   <SyncPoint guid="{g["Y1"]}" timeStamp="1500" position="{sync}"/>
   <SyncPoint guid="{g["Y2"]}" timeStamp="1900" position="{sync + len("La confiance")}"/>
   <TranscriptSelection guid="{g["TS1"]}" fromSyncPoint="{g["Y1"]}" toSyncPoint="{g["Y2"]}">
    <Coding guid="{uuid.uuid4()}" creatingUser="{g["U1"]}">
     <CodeRef targetGUID="{g["C1"]}"/></Coding>
   </TranscriptSelection>
  </Transcript>
  <AudioSelection guid="{uuid.uuid4()}" begin="0" end="800">
   <Coding guid="{uuid.uuid4()}"><CodeRef targetGUID="{g["C1"]}"/></Coding></AudioSelection>
 </AudioSource>
 <PictureSource guid="{g["IMG"]}" name="Photo du local" path="internal://{g["IMG"]}.jpg"/>
</Sources>
<Notes>
 <Note guid="{g["N1"]}" name="Sur la confiance" creatingUser="{g["U2"]}"
  creationDateTime="2024-03-04T08:00:00Z">
  <PlainTextContent>La confiance précède la coopération.</PlainTextContent></Note>
 <Note guid="{g["N2"]}" name="Fin" plainTextPath="internal://{g["N2"]}.txt" creatingUser="{g["U1"]}"
  creationDateTime="2024-03-04T08:10:00Z"/>
 <Note guid="{g["N3"]}" name="Journal" plainTextPath="internal://{g["N3"]}.txt"
  creatingUser="{g["U1"]}"
  creationDateTime="2024-03-04T08:20:00Z"/>
</Notes>
<Sets><Set guid="{g["E1"]}" name="Entretiens 2024"><Description>Premier tour.</Description>
 <MemberCode targetGUID="{g["C1"]}"/><MemberSource targetGUID="{g["S1"]}"/>
 <MemberSource targetGUID="{g["S2"]}"/></Set></Sets>
</Project>"""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("project.qde", xml.encode())
        # QualCoder writes its text files with a byte order mark.
        archive.writestr(f"sources/{g['S1']}.txt", ANNA.encode("utf-8-sig"))
        archive.writestr(f"sources/{g['T1']}.txt", MEETING.encode("utf-8-sig"))
        archive.writestr(f"sources/{g['S2']}.wav", files.wav())
        archive.writestr(f"sources/{g['IMG']}.jpg", files.jpeg())
        archive.writestr(f"sources/{g['N2']}.txt", "La fin compte.".encode("utf-8-sig"))
        archive.writestr(f"sources/{g['N3']}.txt", "Journal de terrain.".encode("utf-8-sig"))
    return buffer.getvalue()


def _upload(client, season, data, name="etude.qdpx"):
    upload = io.BytesIO(data)
    upload.name = name
    return client.post(
        reverse("terrain:project-import", args=[season.pk]), {"project-file": upload}
    )


def test_a_qualcoder_project_comes_in_whole(users, client, tmp_path):
    season = Season.objects.create(title="Saison importée")
    season.researchers.add(users["member"])
    client.force_login(users["member"])
    response = _upload(client, season, qualcoder_project())
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ana Lopes est gardé comme codeur ou codeuse nommé" in page
    assert "Photo du local" in page  # said not imported

    confiance = season.codes.get(name="Confiance")
    assert confiance.parent.name == "Thèmes" and confiance.parent.is_codable is False
    assert confiance.definition == "Se fier aux autres." and confiance.colour == "#FF0000"
    anna = Interview.objects.get(visit__season=season, title="Entretien Anna")
    spanning = Excerpt.objects.filter(segment__transcript__interview=anna, coder_name="Ana Lopes")
    # The selection spans two lines: one excerpt over the two turns, same characters.
    (over_two,) = spanning
    assert over_two.text == "la confiance 🙂\npas à pas"
    assert over_two.end_segment.position == over_two.segment.position + 1
    assert all(
        e.coder is None and e.created_at.isoformat().startswith("2024-03-02T09:30")
        for e in spanning
    )
    fin = Excerpt.objects.get(segment__transcript__interview=anna, text="Fin")
    assert fin.coder == users["member"]
    assert sorted(fin.memos.values_list("text", flat=True)) == ["La fin compte.", "Mémo de codage."]
    assert list(confiance.memos.values_list("text", flat=True)) == [
        "La confiance précède la coopération."
    ]
    assert confiance.memos.get().author_name == "Ana Lopes"
    assert list(season.memos.values_list("text", flat=True)) == ["Journal de terrain."]

    meeting = Interview.objects.get(visit__season=season, title="Réunion")
    turns = list(meeting.transcript.segments.order_by("position"))
    assert [t.text for t in turns] == ["On commence.", "La confiance, ça se construit."]
    assert turns[1].start_ms == 1500
    assert Excerpt.objects.get(segment=turns[1]).text == "La confiance"
    recording = MediaFile.objects.get(owner_id=str(meeting.pk), kind=Kind.AUDIO)
    for job in recording.jobs.order_by("pk"):
        assert pipeline.run(job.pk, "test") == JobState.SUCCEEDED, job.error
    reader = client.get(reverse("terrain:interview", args=[season.pk, meeting.pk]))
    assert b'id="player"' in reader.content

    # Coders and authors who are no researcher here keep their names on the pages.
    code_page = client.get(reverse("terrain:code", args=[season.pk, confiance.pk])).content.decode()
    assert code_page.count("Ana Lopes") >= 2  # the excerpt over two turns and the code's memo

    case = Case.objects.get(season=season)
    assert case.name == "Anna" and list(case.interviews.all()) == [anna]
    assert case.values == [
        {"name": "Âge", "type": "Integer", "value": "42"},
        {"name": "Genre", "type": "Text", "value": "femme"},
    ]
    code_set = season.sets.get()
    assert code_set.name == "Entretiens 2024" and list(code_set.codes.all()) == [confiance]
    assert set(code_set.interviews.all()) == {anna, meeting}

    exported = export_qdpx(season)
    assert_valid(project_xml(exported), "Project.xsd")
    project, _folder = read_qdpx(exported, tmp_path)
    assert {u.name for u in project.users.user} == {"member", "Ana Lopes"}
    assert project.sets.set[0].name == "Entretiens 2024"

    # The same project again: nothing doubles.
    counts = (
        Interview.objects.count(),
        Excerpt.objects.count(),
        Memo.objects.count(),
        Code.objects.count(),
    )
    again = _upload(client, season, qualcoder_project())
    assert again.status_code == 200
    assert counts == (
        Interview.objects.count(),
        Excerpt.objects.count(),
        Memo.objects.count(),
        Code.objects.count(),
    )
    assert Case.objects.filter(season=season).count() == 1


def test_bad_archives_get_a_clear_400(users, client):
    season = Season.objects.create(title="Saison")
    season.researchers.add(users["member"])
    client.force_login(users["member"])
    response = _upload(client, season, b"not a zip at all")
    assert response.status_code == 400
    assert "ce n’est pas une archive zip" in response.content.decode()

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    response = _upload(client, season, buffer.getvalue())
    assert response.status_code == 400 and "project.qde" in response.content.decode()

    bomb = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
        '<Project xmlns="urn:QDA-XML:project:1.0" name="&lol2;"/>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("project.qde", bomb)
    response = _upload(client, season, buffer.getvalue())
    assert response.status_code == 400 and "entités" in response.content.decode()
    assert not Interview.objects.filter(visit__season=season).exists()


def test_an_outsider_cannot_import_into_a_season(users, client):
    season = Season.objects.create(title="Saison")
    season.researchers.add(users["member"])
    client.force_login(users["outsider"])
    assert _upload(client, season, qualcoder_project()).status_code == 404
    assert not Interview.objects.exists()
