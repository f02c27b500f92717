"""REFI-QDA: selection positions slice each excerpt's exact text out of its source."""

import io
import zipfile
from xml.etree import ElementTree as ET

from django.urls import reverse

from terrain.models import Code, Excerpt
from terrain.refi import CODEBOOK_NS, PROJECT_NS, export_qdpx, import_qdc

NS = {"q": PROJECT_NS}


def test_qdpx_selections_slice_exactly_each_excerpt_with_french_text(fieldwork, client):
    client.force_login(fieldwork["users"]["member"])
    response = client.get(reverse("terrain:export", args=[fieldwork["season"].pk]))
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    root = ET.fromstring(archive.read("project.qde"))
    assert root.tag == f"{{{PROJECT_NS}}}Project"
    codes = {c.get("guid"): c.get("name") for c in root.iter(f"{{{PROJECT_NS}}}Code")}
    assert set(codes.values()) == {"Confiance", "Diagnostic partagé"}
    child = root.find("q:CodeBook/q:Codes/q:Code/q:Code", NS)
    assert child.get("name") == "Diagnostic partagé"
    selections = 0
    for source in root.iter(f"{{{PROJECT_NS}}}TextSource"):
        path = source.get("plainTextPath")
        assert path.startswith("internal://")
        text = archive.read("sources/" + path.removeprefix("internal://")).decode("utf-8")
        for selection in source.findall("q:PlainTextSelection", NS):
            excerpt = Excerpt.objects.get(guid=selection.get("guid"))
            start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
            assert text[start:end] == excerpt.text
            refs = {ref.get("targetGUID") for ref in selection.iter(f"{{{PROJECT_NS}}}CodeRef")}
            assert refs == {str(code.guid) for code in excerpt.codes.all()}
            assert refs <= set(codes)
            selections += 1
    assert selections == 2
    assert any(ord(ch) > 127 for ch in fieldwork["excerpt"].text)  # the test means something


def test_qdc_codebook_import_adds_and_updates_codes(fieldwork):
    season = fieldwork["season"]
    trust = fieldwork["codes"][0]
    qdc = f"""<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="{CODEBOOK_NS}" origin="QualCoder">
  <Codes>
    <Code guid="{trust.guid}" name="Confiance mutuelle" isCodable="true" color="#112233">
      <Description>Quand les acteurs se fient les uns aux autres.</Description>
      <Code guid="6f1c1c5e-2a52-4b8e-9d0b-1d3c9a7e0001" name="Médiation" isCodable="true"/>
    </Code>
  </Codes>
</CodeBook>""".encode()
    assert import_qdc(season, qdc) == 2
    trust.refresh_from_db()
    assert trust.name == "Confiance mutuelle" and trust.colour == "#112233"
    assert Code.objects.get(name="Médiation").parent == trust


def test_export_roundtrip_codebook(fieldwork):
    data = export_qdpx(fieldwork["season"])
    root = ET.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("project.qde"))
    codebook = root.find("q:CodeBook", NS)
    codebook.tag = f"{{{CODEBOOK_NS}}}CodeBook"
    for element in codebook.iter():
        element.tag = element.tag.replace(PROJECT_NS, CODEBOOK_NS)
    before = Code.objects.count()
    import_qdc(fieldwork["season"], ET.tostring(codebook))
    assert Code.objects.count() == before
