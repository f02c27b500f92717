"""The agenda's pages: published events only, filters with descendants, proposals and moderation."""

import re

import pytest
from django.urls import reverse

from agenda.models import Event


def test_list_shows_published_events_only(client, events):
    content = client.get(reverse("agenda:list")).content.decode()
    assert "Rencontre co-construction territoriale" in content
    assert "Proposition pas encore modérée" not in content


def test_list_filters_by_territory_with_its_descendants(client, events):
    content = client.get(reverse("agenda:list") + "?territoire=region:24").content.decode()
    assert "Rencontre co-construction territoriale" in content
    assert "Webinaire" not in content


def test_month_view_places_events_on_their_days(client, events):
    response = client.get(reverse("agenda:month", args=[events["year"], 11]))
    assert "Rencontre co-construction territoriale" in response.content.decode()
    assert response.status_code == 200


def test_month_view_names_the_days_in_the_readers_language(client, events):
    french = client.get(reverse("agenda:month", args=[events["year"], 11])).content.decode()
    heads = re.findall(r'<th scope="col"><abbr title="([^"]+)">([^<]+)</abbr></th>', french)
    assert heads[0] == ("lundi", "lun") and heads[6] == ("dimanche", "dim")
    assert "Mon" not in french and "Tue" not in french
    english = client.get("/en" + reverse("agenda:month", args=[events["year"], 11]))
    heads = re.findall(r'<abbr title="([^"]+)">([^<]+)</abbr></th>', english.content.decode())
    assert heads[0] == ("Monday", "Mon") and heads[6] == ("Sunday", "Sun")


def test_draft_event_page_is_404_to_the_public(client, events):
    assert client.get(events["draft"].get_absolute_url()).status_code == 404


def test_partner_proposes_and_staff_publish(client, users, places):
    client.force_login(users["partner"])
    response = client.post(
        reverse("agenda:propose"),
        {
            "title": "Atelier coopération",
            "kind": "workshop",
            "starts_at": "2030-02-03T14:00",
            "ends_at": "2030-02-03T17:00",
            "themes": "coopération",
            "territory": "Orléans (45234, commune)",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    event = Event.objects.get(title="Atelier coopération")
    assert event.territory == places["orleans"]
    assert event.state == "draft" and event.proposed_by == users["partner"]
    assert client.get(reverse("agenda:moderation")).status_code == 404
    client.force_login(users["staff"])
    client.post(reverse("agenda:moderate", args=[event.pk]), {"decision": "publish"})
    assert Event.objects.published().filter(pk=event.pk).exists()


@pytest.mark.parametrize("who", ["public", "researcher"])
def test_only_actors_with_the_permission_may_propose(client, users, who):
    if who != "public":
        client.force_login(users[who])
    response = client.get(reverse("agenda:propose"))
    assert response.status_code == (302 if who == "public" else 404)


def test_events_show_on_the_territory_and_initiative_profiles(client, events, places):
    from agenda.selectors import events_for
    from initiatives.models import Initiative

    initiative = Initiative.objects.create(
        name="Cré-sol", slug="cre-sol", territory=places["orleans"]
    )
    events["meeting"].initiatives.add(initiative)
    assert [item.event for item in events_for(initiative)] == [events["meeting"]]
    assert [item.event for item in events_for(places["centre"])] == [events["meeting"]]


def test_profiles_list_the_upcoming_events(client, events, places):
    from initiatives.models import Initiative
    from initiatives.services import publish

    initiative = publish(
        Initiative.objects.create(
            name="Cré-sol", slug="cre-sol", summary="Réseau.", territory=places["orleans"]
        )
    )
    events["meeting"].initiatives.add(initiative)
    for url in [initiative.get_absolute_url(), places["centre"].get_absolute_url()]:
        assert "Rencontre co-construction territoriale" in client.get(url).content.decode(), url


def test_a_profile_cached_without_events_shows_one_linked_later(client, events, places, settings):
    """Most profiles have no event: their block is cached empty on a probe (observatoire.panels),
    without reading the events; an event linked afterwards shows on the next render."""
    from django.core.cache import cache

    from initiatives.models import Initiative
    from initiatives.services import publish

    settings.PUBLIC_CACHE_SECONDS = 600
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()
    initiative = publish(
        Initiative.objects.create(
            name="Cré-sol", slug="cre-sol", summary="Réseau.", territory=places["orleans"]
        )
    )
    url = initiative.get_absolute_url()
    assert "Rencontre co-construction territoriale" not in client.get(url).content.decode()
    events["meeting"].initiatives.add(initiative)
    assert "Rencontre co-construction territoriale" in client.get(url).content.decode()
    cache.clear()
