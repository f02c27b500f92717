"""Findings and events as data: exports, API, the pages' filters, consent applied at once."""

import csv
import datetime as dt
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from agenda import services as agenda_services
from agenda.models import Event, Kind
from initiatives.models import Initiative, Organisation
from publications.exports.results import EVENTS, FINDINGS
from terrain import services
from terrain.models import Finding, FindingExcerpt
from tests.terrain import conftest as fieldwork_fixtures

# The fieldwork fixtures: a season, consented interviewees, a finding with two quotes.
users = fieldwork_fixtures.users
fieldwork = fieldwork_fixtures.fieldwork
published = fieldwork_fixtures.published

pytestmark = pytest.mark.django_db

QUOTE = "la confiance est venue des échanges réguliers"


def export(client, name, fmt, query=""):
    response = client.get(reverse("publications:export", kwargs={"name": name, "fmt": fmt}) + query)
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode("utf-8")


@pytest.fixture
def agenda(published):
    region = published["initiative"].territory
    organiser = Organisation.objects.create(name="Cré-sol", slug="cre-sol", state="published")
    hidden = Organisation.objects.create(name="Brouillon", slug="brouillon-org")
    start = timezone.now() + dt.timedelta(days=30)
    meeting = agenda_services.publish(
        Event.objects.create(
            title="Rencontre", starts_at=start, territory=region, kind=Kind.MEETING,
            organiser=organiser, url="https://example.org/rencontre",
        )
    )  # fmt: skip
    meeting.themes.add("coopération")
    meeting.initiatives.add(published["initiative"])
    agenda_services.publish(
        Event.objects.create(
            title="Webinaire", starts_at=start, online=True, kind=Kind.WEBINAR, organiser=hidden
        )  # fmt: skip
    )
    Event.objects.create(title="Proposition", starts_at=start)  # a draft
    return {"meeting": meeting, **published}


def test_findings_export_has_the_spec_columns_and_consented_quotes(client, published):
    rows = list(csv.reader(io.StringIO(export(client, "findings", "csv"))))
    assert rows[0] == FINDINGS.column_names
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["slug"] == "confiance-echanges"
    assert QUOTE in row["quotes"]
    assert row["initiatives"] == "maison-des-echanges"
    assert row["has_removed_quotes"] == "false"
    assert row["url"].endswith("/enseignements/confiance-echanges/")


def test_findings_export_and_api_filter_by_theme_initiative_and_territory(
    client, published, territory_factory
):
    territory_factory(territory_factory.Level.REGION, "84", "Auvergne-Rhône-Alpes")
    finding = published["finding"]
    finding.themes.add("confiance")
    api = reverse("api:finding-list")
    assert len(client.get(api + "?theme=confiance").json()["results"]) == 1
    assert client.get(api + "?initiative=maison-des-echanges").json()["results"]
    assert client.get(api + "?territoire=region:32").json()["results"]
    assert not client.get(api + "?territoire=region:84").json()["results"]
    assert json.loads(export(client, "findings", "json", "?theme=confiance"))[0]["themes"] == [
        "confiance"
    ]
    Initiative.objects.create(name="Autre", slug="autre", territory=finding.initiatives.get()
                              .territory, state="published")  # fmt: skip
    assert export(client, "findings", "ndjson", "?initiative=autre") == ""


def test_withdrawn_consent_removes_quote_from_api_and_exports_at_once(client, published):
    detail = reverse("api:finding-detail", args=["confiance-echanges"])
    assert QUOTE in client.get(detail).content.decode()
    assert QUOTE in export(client, "findings", "csv")

    services.withdraw_consent(published["helene_consent"])

    data = client.get(detail).json()
    assert QUOTE not in json.dumps(data, ensure_ascii=False)
    assert data["has_removed_quotes"] is True
    assert [quote["speaker"] for quote in data["quotes"]] == ["Paul"]
    for fmt in ("csv", "json", "ndjson"):
        assert QUOTE not in export(client, "findings", fmt)
    assert QUOTE not in client.get(reverse("api:finding-list")).content.decode()


def test_unpublished_findings_are_neither_exported_nor_in_the_api(client, fieldwork):
    assert export(client, "findings", "json").strip() == "[\n]"
    assert client.get(reverse("api:finding-list")).json()["results"] == []
    detail = reverse("api:finding-detail", args=["confiance-echanges"])
    assert client.get(detail).status_code == 404


def test_findings_have_no_geojson(client, published):
    url = reverse("publications:export", kwargs={"name": "findings", "fmt": "geojson"})
    assert client.get(url).status_code == 404


def test_events_export_published_only_with_the_agenda_filters(client, agenda):
    rows = list(csv.DictReader(io.StringIO(export(client, "events", "csv"))))
    assert [row["title"] for row in rows] == ["Rencontre", "Webinaire"]
    assert list(rows[0]) == EVENTS.column_names
    meeting = rows[0]
    assert meeting["organiser"] == "cre-sol" and rows[1]["organiser"] == ""
    assert meeting["link"] == "https://example.org/rencontre"
    assert meeting["url"].endswith(f"/agenda/evenements/{agenda['meeting'].pk}/")
    assert meeting["themes"] == "coopération"
    assert meeting["initiatives"] == "maison-des-echanges"
    rows = list(csv.DictReader(io.StringIO(export(client, "events", "csv", "?type=webinar"))))
    assert [row["title"] for row in rows] == ["Webinaire"]
    geo = json.loads(export(client, "events", "geojson", "?territoire=region:32"))
    assert [f["properties"]["title"] for f in geo["features"]] == ["Rencontre"]


def test_events_api_published_only_with_the_agenda_filters(client, agenda):
    data = client.get(reverse("api:event-list")).json()
    assert [item["title"] for item in data["results"]] == ["Rencontre", "Webinaire"]
    assert data["results"][1]["organiser"] is None
    theme = Tag.objects.get(name="coopération").slug
    data = client.get(reverse("api:event-list") + f"?theme={theme}").json()
    assert [item["title"] for item in data["results"]] == ["Rencontre"]
    detail = client.get(reverse("api:event-detail", args=[agenda["meeting"].pk])).json()
    assert detail["territory"]["code"] == "32" and detail["link"].startswith("https://")
    draft = Event.objects.get(title="Proposition")
    assert client.get(reverse("api:event-detail", args=[draft.pk])).status_code == 404


def test_dictionary_and_datapackage_describe_findings_and_events(client, db):
    html = client.get(reverse("publications:dictionary")).content.decode()
    assert 'id="spec-findings"' in html and 'id="spec-events"' in html
    package = client.get(reverse("publications:datapackage")).json()
    names = {resource["name"] for resource in package["resources"]}
    assert {"findings", "events"} <= names


def _more_findings(fieldwork, start, stop):
    for n in range(start, stop):
        finding = Finding.objects.create(
            season=fieldwork["season"], title=f"F{n}", slug=f"f-{n}", text="t",
            state="published", published_at=timezone.now(),
        )  # fmt: skip
        finding.themes.add(f"theme-{n}")
        finding.initiatives.add(fieldwork["initiative"])
        FindingExcerpt.objects.create(finding=finding, excerpt=fieldwork["excerpt"], position=1)
        FindingExcerpt.objects.create(finding=finding, excerpt=fieldwork["joel_excerpt"])


def _more_events(agenda, start, stop):
    for n in range(start, stop):
        event = Event.objects.create(
            title=f"E{n}", starts_at=timezone.now(), territory=agenda["meeting"].territory,
            organiser=agenda["meeting"].organiser, state="published",
        )  # fmt: skip
        event.themes.add(f"theme-{n}")
        event.initiatives.add(agenda["initiative"])


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200, url
    return len(context.captured_queries)


@pytest.mark.parametrize(
    "url",
    [
        reverse("api:finding-list") + "?taille=100",
        reverse("publications:export", kwargs={"name": "findings", "fmt": "csv"}),
        reverse("publications:export", kwargs={"name": "findings", "fmt": "json"}),
    ],
)
def test_findings_queries_do_not_grow_with_rows(client, published, url):
    _more_findings(published, 0, 5)
    few = _count(client, url)
    _more_findings(published, 5, 50)
    assert _count(client, url) == few


@pytest.mark.parametrize(
    "url",
    [
        reverse("api:event-list") + "?taille=100",
        reverse("publications:export", kwargs={"name": "events", "fmt": "csv"}),
        reverse("publications:export", kwargs={"name": "events", "fmt": "geojson"}),
    ],
)
def test_events_queries_do_not_grow_with_rows(client, agenda, url):
    _more_events(agenda, 0, 5)
    few = _count(client, url)
    _more_events(agenda, 5, 50)
    assert _count(client, url) == few


def test_the_findings_page_filters_as_the_export_and_api_do(client, published, territory_factory):
    territory_factory(territory_factory.Level.REGION, "84", "Auvergne-Rhône-Alpes")
    published["finding"].themes.add("confiance")
    title = "La confiance se construit"

    page = client.get("/enseignements/")
    html = page.content.decode()
    assert title in html
    assert '<option value="confiance">confiance</option>' in html  # a theme of a finding
    assert '<option value="region:84">Auvergne-Rhône-Alpes</option>' in html

    assert title in client.get("/enseignements/", {"theme": "confiance"}).content.decode()
    assert title in client.get("/enseignements/", {"territoire": "region:32"}).content.decode()
    other = client.get("/enseignements/", {"territoire": "region:84"}).content.decode()
    assert title not in other
    assert "Aucun enseignement publié ne correspond à ces filtres." in other
    assert (
        title
        in client.get("/enseignements/", {"initiative": "maison-des-echanges"}).content.decode()
    )


def test_the_findings_page_says_which_filters_it_ignored(client, published):
    response = client.get("/enseignements/", {"theme": "inconnu", "territoire": "nowhere"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "ont été ignorés" in html
    assert "La confiance se construit" in html  # nothing understood: every finding
