"""The .ics feed read back by icalendar; importing an actor's file, with duplicates and errors."""

import datetime as dt
from zoneinfo import ZoneInfo

import icalendar
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from taggit.models import Tag

from agenda.models import Event


def feed(client, query=""):
    response = client.get(reverse("agenda-ics") + query)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content)


def by_title(calendar):
    return {str(item["summary"]): item for item in calendar.walk("VEVENT")}


def test_feed_holds_the_published_events_only(client, events):
    titles = set(by_title(feed(client)))
    assert titles == {
        "Rencontre co-construction territoriale",
        "Journée R&D et PTCE",
        "Webinaire ESS et coopérations",
    }


def test_feed_times_are_in_europe_paris_with_a_vtimezone(client, events):
    calendar = feed(client)
    assert [str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]
    meeting = by_title(calendar)["Rencontre co-construction territoriale"]
    start = meeting.decoded("dtstart")
    assert start.tzinfo is not None and str(meeting["dtstart"].params["TZID"]) == "Europe/Paris"
    assert start == dt.datetime(events["year"], 11, 29, 9, 30, tzinfo=ZoneInfo("Europe/Paris"))
    assert meeting.decoded("dtend").hour == 17


def test_all_day_events_are_dates_with_an_exclusive_end(client, events):
    day = by_title(feed(client))["Journée R&D et PTCE"]
    year = events["year"]
    assert day.decoded("dtstart") == dt.date(year, 3, 7)
    assert not isinstance(day.decoded("dtstart"), dt.datetime)
    assert day.decoded("dtend") == dt.date(year, 3, 9)  # 7 and 8 March, end exclusive


def test_feed_takes_the_list_filters(client, events):
    assert set(by_title(feed(client, "?territoire=region:24"))) == {
        "Rencontre co-construction territoriale"
    }
    assert set(by_title(feed(client, "?type=webinar"))) == {"Webinaire ESS et coopérations"}
    slug = Tag.objects.get(name="coopération").slug
    assert set(by_title(feed(client, f"?theme={slug}"))) == {
        "Rencontre co-construction territoriale"
    }


def test_feed_uids_are_stable(client, events):
    uids = {str(item["uid"]) for item in feed(client).walk("VEVENT")}
    assert uids == {e.uid for e in Event.objects.published()}


ACTOR_ICS = b"""BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//Cre-sol//agenda//FR\r
BEGIN:VEVENT\r
UID:mois-ess-2017-cloture@cre-sol\r
DTSTAMP:20171101T000000Z\r
DTSTART;TZID=Europe/Paris:20171129T093000\r
DTEND;TZID=Europe/Paris:20171129T170000\r
SUMMARY:Cloture du Mois de l'ESS\r
LOCATION:Orleans\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:forum-2018@cre-sol\r
DTSTAMP:20171101T000000Z\r
DTSTART;VALUE=DATE:20180118\r
DTEND;VALUE=DATE:20180119\r
SUMMARY:Lancement de l'accelerateur\r
END:VEVENT\r
END:VCALENDAR\r
"""


def upload(client, content, name="agenda.ics"):
    return client.post(
        reverse("agenda:import"),
        {"file": SimpleUploadedFile(name, content, content_type="text/calendar")},
        follow=True,
    )


def test_import_turns_an_actor_file_into_proposals_once(client, users):
    client.force_login(users["partner"])
    upload(client, ACTOR_ICS)
    upload(client, ACTOR_ICS)  # the same file again: recognised by UID
    imported = Event.objects.order_by("starts_at")
    assert [e.uid for e in imported] == ["mois-ess-2017-cloture@cre-sol", "forum-2018@cre-sol"]
    assert {e.state for e in imported} == {"draft"}
    closing, forum = imported
    assert closing.starts_at == dt.datetime(2017, 11, 29, 8, 30, tzinfo=dt.UTC)
    assert forum.all_day and forum.ends_at.date() == forum.starts_at.date()


def test_malformed_ics_is_refused_with_a_message(client, users):
    client.force_login(users["partner"])
    response = upload(client, b"BEGIN:VCALENDAR\r\nthis is not a calendar\r\n")
    assert response.status_code == 400
    assert response.context["form"].errors["file"]
    assert not Event.objects.exists()


def test_an_event_without_uid_is_refused(client, users):
    client.force_login(users["partner"])
    content = ACTOR_ICS.replace(b"UID:forum-2018@cre-sol\r\n", b"")
    response = upload(client, content)
    assert response.status_code == 400
    assert "UID" in " ".join(response.context["form"].errors["file"])
    assert not Event.objects.exists()
