"""A researcher attaches the signed consent form from a phone, in Chromium: an HTML page dressed
as a PDF is refused with a French message; the real scan is kept, shown by its name, and
downloaded (never displayed) through the checking view, which logs it."""

import pytest

from terrain.models import AccessLog, Consent
from tests.medias.files import pdf
from tests.terrain.conftest import fieldwork, users  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser


def test_a_researcher_attaches_the_signed_form_and_downloads_it(
    phone_page,
    live_server,
    fieldwork,  # noqa: F811
    tmp_path,
    assert_accessible,
):
    page = phone_page
    page.goto(f"{live_server.url}/comptes/login/")
    page.fill("input[name=username]", "member")
    page.fill("input[name=password]", "pw")
    page.press("input[name=password]", "Enter")
    page.wait_for_load_state("load")
    consent = fieldwork["helene_consent"]
    url = f"{live_server.url}/terrain/{fieldwork['season'].pk}/consentements/"
    page.goto(f"{url}{consent.interviewee_id}/")

    fake = tmp_path / "formulaire.pdf"
    fake.write_bytes(b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>")
    page.set_input_files("input[name=signed_form]", str(fake))
    page.get_by_role("button", name="Enregistrer le consentement").click()
    page.wait_for_load_state("load")
    error = page.locator(".errorlist").inner_text()
    assert "Le contenu de ce fichier est du text/html" in error
    assert "formulaire de consentement signé (PDF ou image)" in error
    assert not Consent.objects.get(pk=consent.pk).signed_form

    scan = tmp_path / "consentement-signe.pdf"
    scan.write_bytes(pdf("Consentement"))
    page.set_input_files("input[name=signed_form]", str(scan))
    page.get_by_role("button", name="Enregistrer le consentement").click()
    page.wait_for_load_state("load")
    assert Consent.objects.get(pk=consent.pk).signed_form_name == "consentement-signe.pdf"

    page.goto(f"{url}{consent.interviewee_id}/")
    link = page.get_by_role("link", name="consentement-signe.pdf")
    assert link.get_attribute("href").endswith(
        f"/consentements/{consent.interviewee_id}/formulaire/"
    )
    assert_accessible(page)
    with page.expect_download() as downloading:
        link.click()
    download = downloading.value
    assert download.suggested_filename == "consentement-signe.pdf"
    with open(download.path(), "rb") as received:
        assert received.read() == scan.read_bytes()
    entry = AccessLog.objects.get(target="consent")
    assert (entry.user.username, entry.action) == ("member", "download")
