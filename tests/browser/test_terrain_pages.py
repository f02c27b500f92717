"""The researchers' workspace and the public findings: no serious axe violation, phone width."""

import pytest
from django.urls import reverse

from tests.terrain.conftest import fieldwork, published, users  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser


def _log_in(page, live_server, username):
    page.goto(f"{live_server.url}/comptes/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pw")
    page.press("input[name=password]", "Enter")
    page.wait_for_load_state("load")


def _workspace_urls(work):
    season = work["season"]
    return {
        "season": season.get_absolute_url(),
        "reader": work["interview"].get_absolute_url(),
        "codebook": reverse("terrain:codebook", args=[season.pk]),
        "code": reverse("terrain:code", args=[season.pk, work["codes"][0].pk]),
        "finding": reverse("terrain:finding", args=[season.pk, work["finding"].pk]),
        "new-finding": reverse("terrain:finding-create", args=[season.pk]),
    }


@pytest.mark.parametrize("name", ["season", "reader", "codebook", "code", "finding", "new-finding"])
@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_workspace_page_is_accessible(
    request, live_server, name, size, assert_accessible, assert_fits_width
):
    work = request.getfixturevalue("published")
    page = request.getfixturevalue("page" if size == "desktop" else "phone_page")
    _log_in(page, live_server, "member")
    page.goto(live_server.url + _workspace_urls(work)[name])
    assert_accessible(page)
    if size == "phone":
        assert_fits_width(page)


def test_interview_entry_form_fits_a_phone(
    request, phone_page, live_server, assert_accessible, assert_fits_width
):
    work = request.getfixturevalue("fieldwork")
    url = reverse("terrain:interview-create", args=[work["season"].pk, work["visit"].pk])
    _log_in(phone_page, live_server, "member")
    phone_page.goto(live_server.url + url)
    assert_accessible(phone_page)
    assert_fits_width(phone_page)
    # Every field of the quick entry is reachable and at least as wide as a thumb needs.
    for field in phone_page.locator("form.quick-form input:visible").all():
        box = field.bounding_box()
        assert box["height"] >= 24 and box["x"] >= 0 and box["x"] + box["width"] <= 375


@pytest.mark.parametrize("size", ["desktop", "phone"])
@pytest.mark.parametrize("name", ["list", "detail"])
def test_public_findings_are_accessible(
    request, live_server, name, size, assert_accessible, assert_fits_width
):
    work = request.getfixturevalue("published")
    page = request.getfixturevalue("page" if size == "desktop" else "phone_page")
    url = reverse("findings:list") if name == "list" else work["finding"].get_absolute_url()
    page.goto(live_server.url + url)
    assert page.locator("h1").count() == 1
    assert_accessible(page)
    if size == "phone":
        assert_fits_width(page)
