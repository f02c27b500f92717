"""The report draft: a readable PDF and an ODT, both with the clusters' titles and the roadmap."""

import io
import zipfile

from django.urls import reverse
from pypdf import PdfReader

from accompagnements import services


def arrange(workshop):
    cluster = services.add_cluster(workshop, "Gouvernance partagée")
    services.add_cluster(workshop, "Achats responsables")
    services.save_arrangement(
        workshop, {"clusters": {cluster.pk: list(workshop.cards.values_list("pk", flat=True))}}
    )
    services.add_step(workshop, 2028, "Label réseau solidaire")


def test_pdf_report_is_readable_and_holds_the_clusters(client, users, workshop):
    arrange(workshop)
    client.force_login(users["staff"])
    response = client.get(reverse("accompagnements:report-pdf", args=[workshop.mission_id]))
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    for expected in ["Gouvernance partagée", "Achats responsables", "Label réseau solidaire"]:
        assert expected in text


def test_odt_report_is_an_opendocument_with_the_clusters(client, users, workshop):
    arrange(workshop)
    client.force_login(users["staff"])
    response = client.get(reverse("accompagnements:report-odt", args=[workshop.mission_id]))
    with zipfile.ZipFile(io.BytesIO(response.content)) as odt:
        assert odt.read("mimetype") == b"application/vnd.oasis.opendocument.text"
        content = odt.read("content.xml").decode()
    assert "Gouvernance partagée" in content and "Charte des valeurs" in content


def test_docx_report_is_a_word_document_with_headings_and_cards(client, users, workshop):
    from docx import Document

    arrange(workshop)
    client.force_login(users["staff"])
    response = client.get(reverse("accompagnements:report-docx", args=[workshop.mission_id]))
    assert response["Content-Disposition"].endswith('.docx"')
    document = Document(io.BytesIO(response.content))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "Gouvernance partagée" in headings
    assert "Charte des valeurs" in [p.text for p in document.paragraphs]


def test_the_draft_is_saved_as_a_new_version_of_the_report(
    client, users, workshop, settings, tmp_path
):
    settings.MEDIA_PRIVATE_ROOT = tmp_path / "private-media"
    arrange(workshop)
    mission = workshop.mission
    client.force_login(users["staff"])
    url = reverse("accompagnements:report-version", args=[mission.pk])
    assert client.get(url).status_code == 405
    client.post(url, {"format": "odt"})
    client.post(url, {"format": "docx"})
    report = mission.deliverables.get()
    versions = list(report.versions.select_related("media").order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert [v.media.original_name.rsplit(".", 1)[1] for v in versions] == ["odt", "docx"]
    assert all(v.media.owner == report and v.media.jobs.exists() for v in versions)
    assert client.post(url, {"format": "exe"}).status_code == 302
    assert report.versions.count() == 2
