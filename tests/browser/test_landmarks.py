"""Landmarks a screen-reader user jumps between: on profiles, territory pages and search results,
axe finds no landmark inside another (an `aside` in `main` was one) and no other landmark rule
broken, whatever its impact (the journey tests only fail on serious ones)."""

import pytest
from django.utils.text import slugify

from tests.browser.conftest import axe_violations, format_violations

pytestmark = pytest.mark.browser


@pytest.fixture
def profile(db):
    from initiatives.models import Initiative, Organisation, Pole
    from initiatives.services import publish
    from territoires.models import Level, Territory

    region = Territory.objects.create(
        level=Level.REGION, code="32", name="Hauts-de-France", slug="hdf"
    )
    commune = Territory.objects.create(
        level=Level.COMMUNE, code="62178", name="Bruay-la-Buissière", slug="bruay", parent=region,
        latitude=50.48, longitude=2.55,
    )  # fmt: skip
    initiative = Initiative.objects.create(
        name="Maison des échanges", slug="maison", summary="On échange.", territory=commune,
        latitude=50.48, longitude=2.55,
    )  # fmt: skip
    publish(initiative)
    organisation = publish(
        Organisation.objects.create(name="Les Amis", slug=slugify("Les Amis"), territory=commune)
    )
    pole = publish(
        Pole.objects.create(
            name="Pôle Bruay", slug="pole-bruay", summary="Un PTCE.", territory=commune
        )
    )
    return [
        initiative.get_absolute_url(),
        organisation.get_absolute_url(),
        pole.get_absolute_url(),
        commune.get_absolute_url(),
        "/recherche/?q=maison+bruay",
    ]


def test_no_landmark_sits_inside_another(page, live_server, profile):
    for path in profile:
        page.goto(live_server.url + path)
        violations = [
            v for v in axe_violations(page) if v["id"].startswith(("landmark-", "region"))
        ]
        assert not violations, f"{path}\n{format_violations(violations)}"
