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


def _processed_photo(workshop):
    """A photo of the board uploaded to the workshop and processed by the real pipeline."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from medias import pipeline
    from medias.services import store_upload
    from tests.medias import files

    upload = SimpleUploadedFile("tableau.jpg", files.jpeg(), content_type="image/jpeg")
    media = store_upload(upload, workshop, "image")
    for job in media.jobs.order_by("pk"):
        assert pipeline.run(job.pk, "test") == "succeeded"


def tell_the_story(workshop, users):
    from accompagnements.models import BackcastingMilestone, WorkshopParticipant
    from initiatives.models import Person

    consultant = Person.objects.create(first_name="Yannick", last_name="Consultant", slug="y")
    workshop.mission.consultants.add(consultant)
    workshop.scenario = "En 2032, le réseau achète ensemble et décide avec ses adhérents."
    workshop.save()
    BackcastingMilestone.objects.create(workshop=workshop, year=2030, text="Charte adoptée")
    WorkshopParticipant.objects.create(workshop=workshop, name="Inès Morel", structure="EHPAD")
    _processed_photo(workshop)


STORY = [
    "Redéfinir le projet moral",  # objectives
    "Yannick Consultant",  # the consultants, on the cover
    "DREETS Auvergne-Rhône-Alpes",  # funding
    "12 000,50",  # the amount in French
    "En 2032, le réseau achète ensemble",  # the backcasting scenario
    "Charte adoptée",  # a milestone
    "Inès Morel",  # a participant
]


def test_the_pdf_tells_the_mission_story_with_a_cover_and_the_workshop_photos(
    client, users, workshop
):
    tell_the_story(workshop, users)
    client.force_login(users["staff"])
    response = client.get(reverse("accompagnements:report-pdf", args=[workshop.mission_id]))
    pages = PdfReader(io.BytesIO(response.content)).pages
    cover = " ".join(pages[0].extract_text().split())
    rest = " ".join(" ".join(page.extract_text() for page in pages[1:]).split())
    assert "Renouveler le projet associatif" in cover and "Yannick Consultant" in cover
    assert "Charte des valeurs" not in cover  # the cover is a page of its own
    for expected in STORY[2:]:
        assert expected in rest.replace("\u202f", " ").replace("\u00a0", " "), expected
    # WeasyPrint shares one resource dictionary between pages: one photo, listed on each page.
    assert len({image.name for page in pages for image in page.images}) == 1


def test_the_odt_has_bulleted_lists_the_story_and_the_photo(client, users, workshop):
    from odf import teletype
    from odf.opendocument import load
    from odf.text import List, ListLevelStyleBullet, P

    tell_the_story(workshop, users)
    client.force_login(users["staff"])
    response = client.get(reverse("accompagnements:report-odt", args=[workshop.mission_id]))
    document = load(io.BytesIO(response.content))  # odfpy's own reader
    text = " ".join(teletype.extractText(p) for p in document.getElementsByType(P))
    for expected in STORY:
        assert expected in text.replace("\u00a0", " ").replace("\u202f", " "), expected
    lists = document.getElementsByType(List)
    assert lists and all(item.getAttribute("stylename") == "Bullets" for item in lists)
    assert document.getElementsByType(ListLevelStyleBullet)
    with zipfile.ZipFile(io.BytesIO(response.content)) as odt:
        assert any(name.startswith("Pictures/") for name in odt.namelist())


def test_the_docx_has_the_story_and_the_photo(client, users, workshop):
    from docx import Document

    tell_the_story(workshop, users)
    client.force_login(users["staff"])
    response = client.get(reverse("accompagnements:report-docx", args=[workshop.mission_id]))
    document = Document(io.BytesIO(response.content))
    text = " ".join(p.text for p in document.paragraphs).replace("\u00a0", " ")
    for expected in STORY:
        assert expected in text.replace("\u202f", " "), expected
    assert len(document.inline_shapes) == 1
