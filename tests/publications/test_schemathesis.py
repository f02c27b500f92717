"""Schemathesis, the command partners run, with every check, against the live test server.

`schemathesis run --checks all` reads `/api/schema/` and sends each operation valid and invalid
requests (its coverage, fuzzing and stateful phases): no server error, every status and body as
the schema says, malformed parameters refused, valid ones accepted. Once anonymously, once with a
partner's token, over data holding the cases that once broke the schema: a région without parent,
an event without territory or link, an organisation without website or territory.
"""

import datetime
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from initiatives.models import Initiative, Organisation
from initiatives.services import publish
from publications.tokens import create_token

NO_THROTTLE = {"token": "1000000/hour", "anonymous": "1000000/hour"}
# Enough cases per operation to find what the demo data showed, in about a minute per run on
# the shared machine; deterministic, so that the same code always gets the same verdict.
OPTIONS = [
    "--checks=all",
    "--max-examples=20",
    "--generation-deterministic",
    "--seed=20261205",
    "--request-timeout=60",
    "--no-color",
    "--report=junit",
]


@pytest.fixture
def api_data(transactional_db, publications, directory, partner):
    from agenda.models import Event
    from terrain.models import Finding, Season

    lyon = directory["initiatives"][2].territory
    # An initiative placed at a région itself lists the région (parent_code null) in /territories/.
    publish(
        Initiative.objects.create(
            name="Réseau régional", slug="reseau-regional", territory=lyon.parent,
            summary="Un réseau.", website="https://reseau.example.org/",
        )
    )  # fmt: skip
    publish(Organisation.objects.create(name="Collectif sans lieu", slug="collectif-sans-lieu"))
    publish(
        Organisation.objects.create(
            name="SCIC Énergie", slug="scic-energie", legal_form="scic", territory=lyon,
            website="https://scic.example.org/",
        )
    )  # fmt: skip
    season = Season.objects.create(title="Saison", start_date=datetime.date(2024, 5, 1))
    finding = Finding.objects.create(
        season=season, title="Confiance", slug="confiance", state="published",
        published_at=timezone.now(),
    )  # fmt: skip
    finding.initiatives.add(directory["initiatives"][0])
    finding.themes.add("mobilité")
    event = Event.objects.create(
        title="Rencontre", starts_at=timezone.now(), territory=directory["bruay"],
        url="https://rencontre.example.org/", state="published", published_at=timezone.now(),
    )  # fmt: skip
    event.themes.add("mobilité")
    Event.objects.create(
        title="Webinaire", starts_at=timezone.now(), online=True, state="published",
        published_at=timezone.now(),
    )  # fmt: skip
    _token, key = create_token(partner, "schemathesis")
    return key


def schemathesis(live_server, tmp_path, *extra) -> tuple[int, str, list[str]]:
    schema = f"{live_server.url}/api/schema/?format=json"
    command = [sys.executable, "-m", "schemathesis.cli", "run", schema, *OPTIONS]
    command += [f"--report-dir={tmp_path}", *extra]
    done = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=900)
    failures = []
    for report in tmp_path.glob("junit*.xml"):
        for case in ET.parse(report).getroot().iter("testcase"):
            failures += [f"{case.get('name')}: {f.get('message')}" for f in case.iter("failure")]
    return done.returncode, done.stdout + done.stderr, failures


@pytest.mark.parametrize("who", ["anonymous", "partner"])
def test_schemathesis_finds_nothing(api_data, live_server, settings, tmp_path, who):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": NO_THROTTLE}
    extra = ["--header", f"Authorization: Token {api_data}"] if who == "partner" else []

    code, output, failures = schemathesis(live_server, tmp_path, *extra)

    assert (code, failures) == (0, []), output[-6000:]
    assert "15 selected / 15 total" in output  # every operation, lists and objects
    assert "No issues found" in output
