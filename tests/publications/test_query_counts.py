"""The partners' portal and the staff download report do as many queries for 50 rows as for 5."""

import pytest
from django.contrib.auth.models import Group, User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from initiatives.models import Organisation
from publications.models import Audience, Download, PartnerAccount
from publications.tokens import create_token

from .conftest import make_publication

pytestmark = pytest.mark.django_db


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200, url
    return len(context.captured_queries)


def _pinned(client, url, grow) -> None:
    grow(0, 5)
    few = _queries(client, url)
    grow(5, 50)
    assert _queries(client, url) == few


def _publications_and_downloads(partner):
    def grow(start, stop):
        for n in range(start, stop):
            audience = Audience.PARTNERS if n % 2 else Audience.EVERYONE
            publication = make_publication(f"Publication {n}", audience=audience)
            Download.objects.create(
                user=partner, publication=publication, file=publication.files.get()
            )
            Download.objects.create(user=partner, export="initiatives.csv", filters=f"n={n}")
            create_token(partner, f"script {n}")

    return grow


def test_portal_queries_do_not_grow(client, partner, media):
    client.force_login(partner)
    _pinned(client, reverse("publications:portal"), _publications_and_downloads(partner))


def _partners_and_downloads(start, stop):
    group = Group.objects.get(name="partner")
    for n in range(start, stop):
        organisation = Organisation.objects.create(name=f"Org {n}", slug=f"org-{n}")
        user = User.objects.create_user(f"partner-{n}")
        user.groups.add(group)
        PartnerAccount.objects.create(user=user, organisation=organisation)
        publication = make_publication(f"Rapport {n}")
        Download.objects.create(
            user=user, organisation=organisation, publication=publication,
            file=publication.files.get(),
        )  # fmt: skip


def test_staff_download_report_queries_do_not_grow(client, staff, media):
    client.force_login(staff)
    _pinned(client, reverse("publications:downloads"), _partners_and_downloads)


def test_staff_download_csv_queries_do_not_grow(client, staff, media):
    client.force_login(staff)
    _pinned(client, reverse("publications:downloads-csv"), _partners_and_downloads)
