"""A season's page shows its visits a page at a time, numbered across pages, with their count."""

import datetime
import re

from terrain.models import Interview, Visit
from terrain.views.seasons import VISITS_PER_PAGE


def _visit_items(html: str) -> list[str]:
    listing = html.split('<ol class="visits"', 1)[1].split("</ol>", 1)[0]
    return re.findall(r"<strong>([^<]+)</strong>", listing)


def test_a_busy_season_shows_its_visits_a_page_at_a_time(client, fieldwork):
    season = fieldwork["season"]
    for n in range(VISITS_PER_PAGE + 5):  # with the fixture's own visit: 56 in all
        visit = Visit.objects.create(
            season=season, date=datetime.date(2024, 6, 1), place=f"Lieu {n:02d}"
        )
        Interview.objects.create(visit=visit, title=f"Entretien {n:02d}")
    client.force_login(fieldwork["users"]["member"])

    first = client.get(season.get_absolute_url()).content.decode()
    assert len(_visit_items(first)) == VISITS_PER_PAGE
    assert "(56)" in first  # how many there are, in the heading
    assert 'rel="next"' in first and "Page 1 sur 2" in first.replace("\xa0", " ")
    # The fixture's visit (3 May) comes first, with the initiative met; its interview is linked
    # to its reader, with the people interviewed.
    assert "Entretien coordination" in first
    interview = fieldwork["interview"]
    item = first.split("<li><strong>", 2)[1]
    assert "— Maison des échanges" in item
    assert f'<a href="{interview.get_absolute_url()}">Entretien coordination</a>' in item
    assert "Hélène Brûlé, Joël Pérez" in item

    second = client.get(season.get_absolute_url() + "?page=2").content.decode()
    assert len(_visit_items(second)) == 6
    assert f'start="{VISITS_PER_PAGE + 1}"' in second  # numbered on from the first page
    assert "Lieu 54" in second and "Entretien 54" in second
    assert "Lieu 54" not in first
