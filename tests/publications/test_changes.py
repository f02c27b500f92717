"""The change feed: a partner's mirror, replayed from `/api/v1/changes/`, is the published state.

The partner starts from an empty copy and applies each page (upsert: store the representation;
delete: drop the id) through the API, as their harvester would. After a withdrawn initiative, a
withdrawn consent and an erased person, the copy equals what the list endpoints answer, and no
entry of the feed holds the withdrawn quote or the erased person's name.
"""

import datetime
import json

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from agenda.models import Event
from initiatives.models import Initiative, Pole
from initiatives.services import publish, withdraw
from observatoire.shredders import erase_person
from publications.models import Change, Publication
from terrain import services
from tests.terrain import conftest as fieldwork_fixtures

users = fieldwork_fixtures.users
fieldwork = fieldwork_fixtures.fieldwork
published = fieldwork_fixtures.published

pytestmark = pytest.mark.django_db

QUOTE = "la confiance est venue des échanges réguliers"
LISTS = {
    "initiative": "api:initiative-list",
    "organisation": "api:organisation-list",
    "ptce": "api:ptce-list",
    "territory": "api:territory-list",
    "publication": "api:publication-list",
    "finding": "api:finding-list",
    "event": "api:event-list",
}


@pytest.fixture(autouse=True)
def harvester_rates(settings):
    """A harvest reads many pages; the throttling has its own tests. Its request history is
    dropped after, or the next tests of the API would find this client over the real rate."""
    rates = {"token": "1000000/hour", "anonymous": "1000000/hour"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    yield
    cache.clear()


def published_state(client) -> dict:
    """Every object of every list endpoint, by (kind, id), read page by page."""
    state = {}
    for kind, name in LISTS.items():
        url = reverse(name) + "?taille=2"
        while url:
            page = client.get(url).json()
            state.update({(kind, item["id"]): item for item in page["results"]})
            url = page["next"]
    return state


def replay(client, copy: dict, cursor: str = "", size: int = 3) -> tuple[str, list]:
    """Apply the feed since `cursor` to `copy`, `size` entries a page (three: the paging is
    exercised); returns the new cursor and every entry read.

    From the start, the feed holds what other files' tests left on the same database (a module's
    communes loaded and removed: thousands of entries), so a whole replay reads pages of 500.
    """
    url = reverse("api:change-list") + f"?taille={size}"
    if cursor:
        url += f"&since={cursor}"
    entries = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content
        page = response.json()
        for entry in page["results"]:
            key = (entry["kind"], entry["id"])
            if entry["action"] == "upsert":
                copy[key] = entry["data"]
            else:
                assert entry["data"] is None  # the id, never the content
                copy.pop(key, None)
        entries += page["results"]
        cursor, url = page["cursor"], page["next"]
    return cursor, entries


@pytest.fixture
def world(published):
    """The fieldwork's published finding, plus a PTCE, an event and a publication about the
    initiative, and a draft nobody may see."""
    initiative = published["initiative"]
    pole = Pole.objects.create(
        name="PTCE Artois", slug="ptce-artois", summary="Un pôle.", territory=initiative.territory
    )
    publish(pole)
    initiative.poles.add(pole)
    event = Event.objects.create(
        title="Rencontre", starts_at=timezone.now(), state="published", published_at=timezone.now()
    )
    event.initiatives.add(initiative)
    publication = Publication.objects.create(
        title="Rapport", slug="rapport", date=datetime.date(2024, 5, 2), authors="Dupont, Marie"
    )
    publication.initiatives.add(initiative)
    publish(publication)
    Initiative.objects.create(name="Brouillon", slug="brouillon", territory=initiative.territory)
    return published


def test_replaying_the_feed_gives_the_published_state_after_a_withdrawal_and_an_erasure(
    client, world
):
    copy = {}
    cursor, _entries = replay(client, copy, size=500)
    assert copy == published_state(client)
    assert ("finding", world["finding"].pk) in copy
    assert not any(item.get("slug") == "brouillon" for item in copy.values())

    # A withdrawn consent alone: its finding again, without the quote.
    services.withdraw_consent(world["helene_consent"])
    cursor, entries = replay(client, copy, cursor)
    assert copy == published_state(client)
    assert [(e["kind"], e["action"]) for e in entries] == [("finding", "upsert")]
    assert QUOTE not in json.dumps(entries, ensure_ascii=False)

    withdraw(world["initiative"])
    erase_person(world["joel"])

    cursor, entries = replay(client, copy, cursor)
    state = published_state(client)
    assert copy == state
    # The initiative is gone (a tombstone), its finding, event and publication no longer list it.
    assert ("initiative", world["initiative"].pk) not in copy
    tombstone = {"kind": "initiative", "id": world["initiative"].pk, "action": "delete"}
    assert [{k: e[k] for k in tombstone} for e in entries].count(tombstone) == 1
    assert ("person", world["joel"].pk) in {(e["kind"], e["id"]) for e in entries}
    feed = json.dumps(entries, ensure_ascii=False)
    assert "Pérez" not in feed and "Joël" not in feed
    finding = copy[("finding", world["finding"].pk)]
    assert finding["has_removed_quotes"] is True
    assert finding["initiatives"] == []

    # A partner starting today from an empty copy reaches the same state, with no trace either.
    fresh = {}
    _cursor, everything = replay(client, fresh, size=500)
    assert fresh == state
    assert QUOTE not in json.dumps(everything, ensure_ascii=False)

    # Nothing changed since: an empty page that keeps the cursor.
    page = client.get(reverse("api:change-list"), {"since": cursor}).json()
    assert page == {"cursor": cursor, "next": None, "results": []}


def latest_cursor(client) -> str:
    """The feed's cursor after its last entry, however many entries the database holds already
    (rows that tests of other files wrote outside their transactions, such as territories that a
    module's fixture loaded and removed, are in the feed too)."""
    page = client.get(reverse("api:change-list"), {"taille": 500}).json()
    while page["next"]:
        page = client.get(page["next"]).json()
    return page["cursor"]


def test_each_object_is_listed_once_at_its_latest_change(client, world):
    start = latest_cursor(client)
    pole = Pole.objects.get(slug="ptce-artois")
    pole.summary = "Un pôle territorial."
    pole.save()
    pole.name = "PTCE de l'Artois"
    pole.save()

    page = client.get(reverse("api:change-list"), {"since": start}).json()
    pairs = [(e["kind"], e["id"], e["action"]) for e in page["results"]]
    # The initiative lists its PTCEs by slug: fetched again too.
    assert sorted(pairs) == [
        ("initiative", world["initiative"].pk, "upsert"),
        ("ptce", pole.pk, "upsert"),
    ]
    assert page["results"][-1]["data"]["name"] == "PTCE de l'Artois"


def test_lists_take_modifie_depuis(client, world):
    before = timezone.now()
    pole = Pole.objects.get(slug="ptce-artois")
    pole.summary = "Un pôle territorial."
    pole.save()
    since = before.isoformat().replace("+00:00", "Z")

    assert [
        p["slug"] for p in client.get("/api/v1/ptces/", {"modifie_depuis": since}).json()["results"]
    ] == ["ptce-artois"]
    assert client.get("/api/v1/events/", {"modifie_depuis": since}).json()["results"] == []
    later = (timezone.now() + datetime.timedelta(hours=1)).isoformat()
    assert client.get("/api/v1/ptces/", {"modifie_depuis": later}).json()["results"] == []

    refused = client.get("/api/v1/ptces/", {"modifie_depuis": "hier"})
    assert refused.status_code == 400
    assert list(refused.json()) == ["modifie_depuis"]
    # An object is found by its id alone: the parameter is not one of its.
    assert client.get("/api/v1/ptces/ptce-artois/", {"modifie_depuis": since}).status_code == 400


@pytest.mark.parametrize(
    "query, names",
    [
        ({"since": "abc"}, ["since"]),
        ({"since": "1" * 19}, ["since"]),
        ({"taille": "0"}, ["taille"]),
        ({"depuis": "3", "since": "-1"}, ["depuis", "since"]),
    ],
)
def test_the_feed_refuses_what_it_cannot_read(client, db, query, names):
    response = client.get(reverse("api:change-list"), query)
    assert response.status_code == 400
    assert sorted(response.json()) == names


def test_the_log_says_what_to_fetch_never_what_it_held(world):
    fields = {field.name for field in Change._meta.get_fields()}
    assert fields == {"seq", "kind", "object_id", "at"}


def test_a_lapsed_consent_sends_its_finding_again(client, world):
    """A consent reaching its end date changes no row's save: the daily task's rewrite of the
    findings' public text records them."""
    copy = {}
    cursor, _entries = replay(client, copy, size=500)
    consent = world["helene_consent"]
    consent.valid_until = timezone.localdate() - datetime.timedelta(days=1)
    type(consent).objects.filter(pk=consent.pk).update(valid_until=consent.valid_until)

    assert services.apply_expired_consents() == 1

    cursor, entries = replay(client, copy, cursor)
    assert [(e["kind"], e["id"]) for e in entries] == [("finding", world["finding"].pk)]
    assert copy == published_state(client)
    assert QUOTE not in json.dumps(list(copy.values()), ensure_ascii=False)
