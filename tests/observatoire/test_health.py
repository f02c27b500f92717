"""/health/: 200 when the database and the broker answer, 503 naming the one that does not;
the workers seen in the last minute, "degraded" with none."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from medias.models import WorkerHeartbeat
from tests.fresh_python import run_script

# Runs in a fresh interpreter so that its database is truly unreachable, not just mocked.
HEALTH_WITHOUT_DATABASE = """
import json
import django
django.setup()
from django.test import Client
response = Client().get("/health/", HTTP_HOST="localhost")
print(json.dumps({"status": response.status_code, "body": response.json()}))
"""


@pytest.mark.django_db
def test_health_is_ok_with_database_broker_and_a_worker(client):
    now = timezone.now()
    WorkerHeartbeat.objects.create(name="celery@web-1", started_at=now, seen_at=now)
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "ok", "workers": 1, "status": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_health_says_degraded_when_no_worker_was_seen_in_the_last_minute(client):
    long_ago = timezone.now() - timedelta(minutes=5)  # killed, no word since
    WorkerHeartbeat.objects.create(name="celery@web-1", started_at=long_ago, seen_at=long_ago)
    response = client.get("/health/")
    assert response.status_code == 200  # the site serves; its uploads wait
    assert response.json() == {
        "database": "ok",
        "broker": "ok",
        "workers": 0,
        "status": "degraded",
    }


@pytest.mark.django_db
def test_health_names_the_broker_when_it_is_unreachable(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get("/health/")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["database"] == "ok"
    assert body["broker"].startswith("broker unreachable at redis://127.0.0.1:1/0")


@pytest.mark.django_db
def test_health_hides_the_broker_password(client, settings):
    settings.CELERY_BROKER_URL = "redis://:s3cret@127.0.0.1:1/0"
    body = client.get("/health/").json()
    assert "s3cret" not in body["broker"]
    assert "127.0.0.1:1" in body["broker"]


def test_health_names_the_database_when_it_is_unreachable(tmp_path):
    result = run_script(
        HEALTH_WITHOUT_DATABASE,
        tmp_path / "var",
        timeout=60,
        DATABASE_URL="postgres://postgres@127.0.0.1:1/x",
    )
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert answer["status"] == 503
    assert answer["body"]["status"] == "unavailable"
    assert answer["body"]["database"].startswith("database unreachable")
    assert "127.0.0.1" in answer["body"]["database"]
    # The embedded broker (a folder in VAR_DIR) still answers: only the database is named.
    assert answer["body"]["broker"] == "ok"
