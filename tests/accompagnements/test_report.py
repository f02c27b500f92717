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
