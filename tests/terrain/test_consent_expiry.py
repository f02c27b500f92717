"""A consent past its end date is applied as a withdrawal is, by a daily task, once."""

import datetime

from django.conf import settings
from django.core import mail
from django.utils import timezone, translation

from observatoire.search import search
from terrain import tasks
from terrain.models import Consent


def _expire(consent, days=1):
    consent.valid_until = timezone.localdate() - datetime.timedelta(days=days)
    consent.save()


def test_expired_consent_removes_quote_from_page_and_search_and_tells_staff_once(
    published, client, django_capture_on_commit_callbacks
):
    finding = published["finding"]
    assert search("méfiaient").total == 1
    _expire(published["helene_consent"])

    with django_capture_on_commit_callbacks(execute=True), translation.override("en"):
        assert tasks.apply_expired_consents() == 1

    page = client.get(finding.get_absolute_url()).content.decode()
    assert "se méfiaient" not in page
    assert 'data-testid="quotes-removed"' in page
    assert search("méfiaient").total == 0
    finding.refresh_from_db()
    assert finding.has_withdrawn_quotes
    assert "méfiaient" not in finding.public_quotes_text
    assert "Hélène" not in finding.public_quotes_text
    assert [m.subject for m in mail.outbox] == ["A consent expired"]
    assert finding.title in mail.outbox[0].body

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.apply_expired_consents() == 0
    assert len(mail.outbox) == 1


def test_consent_still_valid_today_is_left_alone(published, django_capture_on_commit_callbacks):
    consent = published["helene_consent"]
    consent.valid_until = timezone.localdate()
    consent.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.apply_expired_consents() == 0
    assert search("méfiaient").total == 1
    assert mail.outbox == []


def test_consent_extended_then_expired_again_is_applied_again(published):
    consent = published["helene_consent"]
    _expire(consent, days=10)
    assert tasks.apply_expired_consents() == 1
    _expire(consent, days=2)  # extended, then past again
    assert tasks.apply_expired_consents() == 1
    assert Consent.objects.get(pk=consent.pk).expiry_applied_for == consent.valid_until


def test_withdrawn_consent_is_not_applied_twice(published):
    from terrain import services

    consent = published["helene_consent"]
    _expire(consent)
    services.withdraw_consent(consent)
    assert tasks.apply_expired_consents() == 0


def test_expiry_task_runs_daily():
    entries = [e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"].startswith("terrain")]
    assert [e["task"] for e in entries] == ["terrain.tasks.apply_expired_consents"]
    schedule = entries[0]["schedule"]
    assert (schedule.hour, schedule.minute, schedule.day_of_month) == ({3}, {15}, set(range(1, 32)))
