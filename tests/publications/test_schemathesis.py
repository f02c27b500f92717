"""Schemathesis against `/api/schema/`, in process: no server error, responses match the schema.

The operations are driven one by one with Hypothesis inside one test, so that the test database
and its fixtures are shared (the pytest plugin's lazy fixture does not run under this pytest).
"""

import contextlib
import datetime

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

NO_THROTTLE = {"token": "1000000/hour", "anonymous": "1000000/hour"}
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]
EXAMPLES = 25


@contextlib.contextmanager
def keeping_the_test_connection():
    """As Django's test client does: a request must not close the test's open transaction."""
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield
    finally:
        for signal in (signals.request_started, signals.request_finished):
            signal.connect(close_old_connections)


@pytest.fixture
def results(publications, directory):
    """A published finding and events, so their endpoints answer with rows."""
    from agenda.models import Event
    from terrain.models import Finding, Season

    season = Season.objects.create(title="Saison", start_date=datetime.date(2024, 5, 1))
    finding = Finding.objects.create(
        season=season, title="Confiance", slug="confiance", state="published",
        published_at=timezone.now(),
    )  # fmt: skip
    finding.initiatives.add(directory["initiatives"][0])
    finding.themes.add("mobilité")
    event = Event.objects.create(
        title="Rencontre", starts_at=timezone.now(), territory=directory["bruay"],
        state="published", published_at=timezone.now(),
    )  # fmt: skip
    event.themes.add("mobilité")
    Event.objects.create(
        title="Webinaire", starts_at=timezone.now(), online=True, state="published",
        published_at=timezone.now(),
    )  # fmt: skip


def test_api_never_fails_and_matches_its_schema(publications, results, settings):
    with keeping_the_test_connection():
        run_schemathesis(settings)


def run_schemathesis(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": NO_THROTTLE}
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 10

    for operation in operations:

        @given(case=operation.as_strategy())
        @hypothesis_settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case):
            case.call_and_validate(checks=CHECKS)

        check()
