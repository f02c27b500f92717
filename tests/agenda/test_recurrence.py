"""A weekly meeting imported from an actor's .ics stays a series: its excluded and moved dates too.

The series crosses the change to summer time, so that a date an hour off shows. What the agenda
shows and writes back is checked against recurring-ical-events and vobject reading the original
file: same dates, same instants.
"""

import datetime as dt
import re

import icalendar
import pytest
import recurring_ical_events
import vobject
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from agenda import ics_reading
from agenda.models import Event

UTC = dt.UTC


def summer_time_change(after: dt.date) -> dt.date:
    """The next last Sunday of March after `after`: Europe's change to summer time."""
    year = after.year if after < dt.date(after.year, 3, 20) else after.year + 1
    day = dt.date(year, 3, 31)
    return day - dt.timedelta(days=(day.weekday() + 1) % 7)


@pytest.fixture
def dates():
    change = summer_time_change(timezone.localdate() + dt.timedelta(days=14))
    first = change - dt.timedelta(days=12)  # a Tuesday, two weeks before the change
    tuesdays = [first + dt.timedelta(weeks=n) for n in range(6)]
    return {
        "tuesdays": tuesdays,
        "excluded": tuesdays[3],
        "moved": tuesdays[1],
        "extra": tuesdays[5] + dt.timedelta(weeks=1),
    }


def stamp(day: dt.date, hour=10) -> str:
    return f"{day:%Y%m%d}T{hour:02d}0000"


def actor_file(dates) -> bytes:
    tuesdays = dates["tuesdays"]
    moved = dates["moved"] + dt.timedelta(days=1)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Cre-sol//agenda//FR",
        "BEGIN:VEVENT",
        "UID:comite-hebdo@cre-sol",
        "DTSTAMP:20261101T000000Z",
        f"DTSTART;TZID=Europe/Paris:{stamp(tuesdays[0])}",
        f"DTEND;TZID=Europe/Paris:{stamp(tuesdays[0], 11)}",
        "SUMMARY:Comité de pilotage hebdomadaire",
        "LOCATION:Orléans",
        "RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=6",
        f"EXDATE;TZID=Europe/Paris:{stamp(dates['excluded'])}",
        f"RDATE;TZID=Europe/Paris:{stamp(dates['extra'])}",
        "ATTENDEE;CN=Marie Dupont:mailto:marie@example.org",
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        "TRIGGER:-PT15M",
        "DESCRIPTION:Rappel",
        "END:VALARM",
        "END:VEVENT",
        "BEGIN:VEVENT",
        "UID:comite-hebdo@cre-sol",
        "DTSTAMP:20261101T000000Z",
        f"RECURRENCE-ID;TZID=Europe/Paris:{stamp(dates['moved'])}",
        f"DTSTART;TZID=Europe/Paris:{stamp(moved, 14)}",
        f"DTEND;TZID=Europe/Paris:{stamp(moved, 15)}",
        "SUMMARY:Comité de pilotage (déplacé au mercredi)",
        "END:VEVENT",
        "BEGIN:VTODO",
        "UID:todo@cre-sol",
        "SUMMARY:Réserver la salle",
        "END:VTODO",
        "END:VCALENDAR",
    ]
    return ("\r\n".join(lines) + "\r\n").encode()


def expected_starts(dates) -> dict[dt.datetime, str]:
    """{start in UTC: title}: 10:00 in Paris is 09:00 UTC in winter, 08:00 UTC in summer."""
    tuesdays = dates["tuesdays"]
    moved = dates["moved"] + dt.timedelta(days=1)
    title = "Comité de pilotage hebdomadaire"

    def utc(day, hour=10):
        return (
            dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_default_timezone())
        ).astimezone(UTC)

    found = {utc(day): title for day in tuesdays if day not in (dates["excluded"], dates["moved"])}
    found[utc(dates["extra"])] = title
    found[utc(moved, 14)] = "Comité de pilotage (déplacé au mercredi)"
    return found


def expand(text) -> dict[dt.datetime, str]:
    """The dates of a calendar, as recurring-ical-events (not our code) expands them."""
    calendar = icalendar.Calendar.from_ical(text)
    return {
        item["DTSTART"].dt.astimezone(UTC): str(item["SUMMARY"])
        for item in recurring_ical_events.of(calendar).between(
            dt.date(2000, 1, 1), dt.date(2100, 1, 1)
        )
    }


@pytest.fixture
def imported(client, users, dates):
    """The actor's file imported by a partner, then published by staff."""
    client.force_login(users["partner"])
    response = client.post(
        reverse("agenda:import"),
        {"file": SimpleUploadedFile("agenda.ics", actor_file(dates), "text/calendar")},
    )
    assert response.status_code == 302
    summary = [str(message) for message in get_messages(response.wsgi_request)]
    client.force_login(users["staff"])
    series = Event.objects.get(uid="comite-hebdo@cre-sol")
    client.post(reverse("agenda:moderate", args=[series.pk]), {"decision": "publish"})
    client.logout()
    return {"series": series, "summary": summary}


def test_the_original_file_means_what_we_expect(dates):
    """The fixture itself, read by recurring-ical-events: the reference for every other test."""
    assert expand(actor_file(dates)) == expected_starts(dates)


def test_import_keeps_the_rule_the_dates_and_the_changed_occurrence(imported, dates):
    series = Event.objects.get(pk=imported["series"].pk)
    assert series.rrule == "FREQ=WEEKLY;COUNT=6;BYDAY=TU"
    assert len(series.exdates) == 1 and len(series.rdates) == 1
    override = series.overrides.get()
    assert override.recurrence_id == dt.datetime.combine(
        dates["moved"], dt.time(10), tzinfo=timezone.get_default_timezone()
    )
    # Staff published the series: its changed occurrence went with it, and was not listed apart.
    assert {series.state, override.state} == {"published"}
    assert Event.objects.count() == 2  # no event per date, no VTODO


def test_import_summary_says_what_was_kept_and_what_was_not(imported):
    summary = " ".join(imported["summary"])
    assert "1 événement proposé" in summary
    assert "Dont 1 qui se répète" in summary
    assert "1 occurrence modifiée gardée avec sa série" in summary
    assert "1 date exclue" in summary
    for name in ["ATTENDEE (1)", "VALARM (1)", "VTODO (1)"]:
        assert name in summary


def page_starts(html: str) -> list[dt.datetime]:
    return [
        dt.datetime.fromisoformat(value).astimezone(UTC)
        for value in re.findall(r'<time datetime="([^"]+)"', html)
    ]


def test_list_page_shows_each_date_and_not_the_excluded_one(client, imported, dates):
    html = client.get(reverse("agenda:list")).content.decode()
    assert sorted(page_starts(html)) == sorted(expected_starts(dates))
    assert "Comité de pilotage (déplacé au mercredi)" in html


def test_month_view_shows_the_dates_at_their_local_time(client, imported, dates):
    found = {}
    months = {(day.year, day.month) for day in expected_starts(dates)}
    for year, month in sorted(months):
        html = client.get(reverse("agenda:month", args=[year, month])).content.decode()
        cells = re.findall(r'<span class="day">(\d+)</span>\s*(?:<ul>(.*?)</ul>)?', html, re.S)
        for day, items in cells:
            for hour, title in re.findall(r'<a href="[^"]+">(\d\d:\d\d) ([^<]+)</a>', items):
                found.setdefault((int(day), hour), set()).add(title.strip())
    for start, title in expected_starts(dates).items():
        local = timezone.localtime(start)
        assert title in found.get((local.day, local.strftime("%H:%M")), set()), local
    excluded = dates["excluded"]
    assert (excluded.day, "10:00") not in found
    assert (dates["moved"].day, "10:00") not in found


def test_feed_writes_the_series_back_so_other_programs_see_the_same_dates(client, imported, dates):
    text = client.get(reverse("agenda-ics")).content.decode()
    assert expand(text) == expected_starts(dates) == expand(actor_file(dates))
    parsed = icalendar.Calendar.from_ical(text)
    items = parsed.walk("VEVENT")
    assert {str(item["UID"]) for item in items} == {"comite-hebdo@cre-sol"}
    assert sum(item.get("RECURRENCE-ID") is not None for item in items) == 1
    # vobject's own expansion of the series (dateutil behind it, reading our VTIMEZONE).
    calendar = vobject.readOne(text)
    master = next(e for e in calendar.vevent_list if not hasattr(e, "recurrence_id"))
    series_starts = {start.astimezone(UTC) for start in master.getrruleset(addRDate=True)}
    moved = next(e for e in calendar.vevent_list if hasattr(e, "recurrence_id"))
    assert moved.recurrence_id.value.astimezone(UTC) in series_starts  # replaced, per RFC 5545
    assert series_starts - {moved.recurrence_id.value.astimezone(UTC)} | {
        moved.dtstart.value.astimezone(UTC)
    } == set(expected_starts(dates))


def test_a_series_page_lists_its_next_dates(client, imported, dates):
    html = client.get(imported["series"].get_absolute_url()).content.decode()
    listed = re.search(r'data-testid="next-dates">(.*?)</ul>', html, re.S).group(1)
    assert sorted(page_starts(listed)) == sorted(expected_starts(dates))


def test_a_local_until_is_kept_as_utc_and_a_cancelled_date_is_excluded(client, users):
    content = b"""BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//test//FR\r
BEGIN:VEVENT\r
UID:cafe@cre-sol\r
DTSTART;TZID=Europe/Paris:20300108T180000\r
SUMMARY:Cafe de la cooperation\r
RRULE:FREQ=WEEKLY;UNTIL=20300129T180000\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:cafe@cre-sol\r
RECURRENCE-ID;TZID=Europe/Paris:20300115T180000\r
DTSTART;TZID=Europe/Paris:20300115T180000\r
SUMMARY:Cafe de la cooperation\r
STATUS:CANCELLED\r
END:VEVENT\r
END:VCALENDAR\r
"""
    parsed = ics_reading.read_events(content)
    assert parsed[0].rrule == "FREQ=WEEKLY;UNTIL=20300129T170000Z"
    client.force_login(users["partner"])
    client.post(
        reverse("agenda:import"),
        {"file": SimpleUploadedFile("cafe.ics", content, "text/calendar")},
    )
    series = Event.objects.get(uid="cafe@cre-sol")
    assert series.exdates == ["2030-01-15T17:00:00+00:00"]
    assert not series.overrides.exists()


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=SOMETIMES;BYDAY=TU",  # not a frequency
        "FREQ=MINUTELY;COUNT=5",  # not an agenda's, and costly to expand
        "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30",  # no date ever: dateutil would search to 9999
    ],
)
def test_an_unreadable_rule_leaves_one_date_and_says_so(client, users, rule):
    content = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//FR\r\nBEGIN:VEVENT\r\n"
        "UID:odd@cre-sol\r\nDTSTART;TZID=Europe/Paris:20300108T180000\r\n"
        f"SUMMARY:Regle illisible\r\nRRULE:{rule}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    ).encode()
    client.force_login(users["partner"])
    response = client.post(
        reverse("agenda:import"),
        {"file": SimpleUploadedFile("odd.ics", content, "text/calendar")},
        follow=True,
    )
    event = Event.objects.get(uid="odd@cre-sol")
    assert event.rrule == "" and not event.repeats
    assert "RRULE (1)" in response.content.decode()


@pytest.mark.parametrize("rule", ["FREQ=HOURLY", "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30", "FREQ=X"])
def test_staff_cannot_save_a_rule_the_pages_could_not_expand(db, rule):
    from django.core.exceptions import ValidationError

    event = Event(title="Permanence", starts_at=timezone.now(), rrule=rule)
    with pytest.raises(ValidationError) as refused:
        event.full_clean()
    assert "rrule" in refused.value.message_dict
