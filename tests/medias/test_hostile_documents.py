"""Hostile documents from the probe: a zip bomb padded past a whole-archive ratio, PDF names
spelt with #xx escapes, actions the byte scan does not name; each refused, fast, and not kept."""

import io
import time
import zipfile

import pytest

from medias import pipeline, services
from medias.models import DerivedFile, JobState
from medias.processors import ProcessingError, documents

from . import files

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_broker(monkeypatch):
    monkeypatch.setattr(services, "send", lambda job_id: True)


def run_document(upload, name: str, content: bytes):
    media = services.store_upload(upload(name, content), None, "document")
    job = media.jobs.get()
    started = time.monotonic()
    state = pipeline.run(job.pk, "test-worker")
    job.refresh_from_db()
    media.refresh_from_db()
    return media, job, state, time.monotonic() - started


def test_the_padded_docx_would_have_passed_the_whole_archive_ratio():
    """The attack itself: one part inflates a thousandfold, the archive as a whole does not."""
    archive = zipfile.ZipFile(io.BytesIO(files.padded_zip_bomb_docx()))
    total = sum(info.file_size for info in archive.infolist())
    packed = sum(info.compress_size for info in archive.infolist())
    assert total < 300 * 2**20 and total / packed < 200  # the old check's two limits
    part = archive.getinfo("word/document.xml")
    assert part.file_size / part.compress_size > 500


def test_a_padded_zip_bomb_docx_is_refused_fast_with_a_clear_reason(upload):
    media, job, state, elapsed = run_document(upload, "rapport.docx", files.padded_zip_bomb_docx())
    assert state == JobState.FAILED
    assert job.error == (
        "The document would expand to 240 MB: it looks like a zip bomb, not a document."
    )
    assert elapsed < 2  # nothing was inflated
    assert media.text == "" and not DerivedFile.objects.filter(media=media).exists()


def test_each_part_is_bounded_even_at_an_ordinary_ratio(tmp_path):
    """A 45 MB XML part stored as it is: no ratio at all, but too large to parse in memory."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("word/document.xml", b"<w:p/>" * (45 * 2**20 // 6))
    path = tmp_path / "big.docx"
    path.write_bytes(buffer.getvalue())
    with pytest.raises(ProcessingError, match="zip bomb"):
        documents.check_archive(path)


def test_an_ordinary_docx_passes_the_check(tmp_path):
    path = tmp_path / "ok.docx"
    path.write_bytes(files.docx(["Bonjour"] * 2000))
    documents.check_archive(path).close()


def test_a_pdf_with_escaped_javascript_names_is_refused_and_not_kept(upload, private_media):
    raw = files.pdf_with_escaped_javascript()
    assert b"/JavaScript" not in raw and b"/JS " not in raw  # the byte scan alone saw nothing
    media, job, state, _elapsed = run_document(upload, "convention.pdf", raw)
    assert state == JobState.FAILED
    assert job.error == "The PDF contains active content (JavaScript); it is not kept."
    # The message says it is not kept: the stored original is gone, nothing derived from it.
    assert not media.original
    assert not any(path.is_file() for path in private_media.rglob("*"))
    assert media.metadata["discarded"] is True


def test_an_action_the_byte_scan_does_not_name_is_found_in_the_structure(tmp_path):
    raw = files.pdf_from_objects(
        [
            b"<< /Type /Catalog /Pages 2 0 R"
            b" /OpenAction << /S /SubmitForm /F (https://example.org/collect) >> >>",
            b"<< /Type /Pages /Count 1 /Kids [3 0 R] >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Resources << >> >>",
        ]
    )
    assert documents.active_content(raw) is None
    path = tmp_path / "form.pdf"
    path.write_bytes(raw)
    with pytest.raises(ProcessingError, match="active content") as refused:
        documents.process(path, context={"mime_type": "application/pdf"})
    assert refused.value.params == {"what": "SubmitForm"} and refused.value.discard


def test_harmless_escaped_names_are_not_taken_for_active_content():
    assert documents.active_content(b"/Font#20Name /A#42C /J#61vaScripts") is None
    assert documents.active_content(b"<< /#4A#53 (x) >>") == "JS"
