"""Erasing a person leaves their name in no row of the database and in no file written."""

import os

from django.apps import apps
from django.core.files.base import ContentFile
from django.db import models

from observatoire.shredders import erase_person
from terrain.models import Erasure, Excerpt, Interviewee, Segment


def _rows_with(text: str) -> list[str]:
    found = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.CharField | models.TextField):
                hits = model._default_manager.filter(**{f"{field.name}__icontains": text})
                found += [f"{model._meta.label}.{field.name}" for _ in hits[:1]]
    return found


def test_erasure_leaves_the_name_in_no_row_and_no_file(
    published, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_PRIVATE_ROOT = tmp_path / "private-media"  # where signed forms are kept
    helene = published["helene"]
    consent = published["helene_consent"]
    consent.signed_form.save("formulaire.txt", ContentFile("Signé : Hélène Brûlé".encode()))
    stored = [path for path in settings.MEDIA_PRIVATE_ROOT.rglob("*") if path.is_file()]
    assert len(stored) == 1
    memo_target = published["season"]
    memo_target.memos.create(text="Relancer Hélène Brûlé en juin.")
    assert _rows_with("Brûlé")

    with django_capture_on_commit_callbacks(execute=True):  # files go when the erasure commits
        report = erase_person(helene, by=published["users"]["staff"])

    assert _rows_with("Brûlé") == []
    assert _rows_with("Hélène Brûlé") == []
    assert not stored[0].exists()  # the scan is gone
    for root, _dirs, files in os.walk(tmp_path):
        for name in files:
            with open(os.path.join(root, name), encoding="utf-8") as written:
                assert "Brûlé" not in written.read()
    # The structure stays: the interviewee row, the segments, the excerpts still line up.
    assert Interviewee.objects.filter(person=helene).exists()
    assert Segment.objects.filter(transcript=published["transcript"]).count() == 3
    for excerpt in Excerpt.objects.select_related("segment"):
        assert excerpt.segment.text[excerpt.start : excerpt.end] == excerpt.text
    assert "[erased]" in Excerpt.objects.get(pk=published["excerpt"].pk).text
    record = Erasure.objects.get(person_id=helene.pk)
    assert record.erased_by == published["users"]["staff"] and report.person_id == helene.pk
    # The finding no longer quotes her, on any public reading.
    assert "Brûlé" not in published["finding"].public_quotes().__repr__()
