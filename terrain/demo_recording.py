"""The demo interview's recording: its turns read aloud by espeak-ng when the demo is loaded.

Each turn is spoken where the transcript places it (faster if it would overrun its slot), so
clicking a segment in the reader plays those very words. The WAV is uploaded like any
recording and processed at once by the project's own pipeline (rendition and waveform), so the
reader has something to play as soon as the site starts. Nothing is downloaded: espeak-ng is
one of the Debian packages the Makefile installs (system-packages.txt).
"""

import io
import logging
import shutil
import subprocess
import tempfile
import wave
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

logger = logging.getLogger(__name__)
RATE = 22050  # espeak-ng's own rate: 16-bit mono
VOICES = {"asks": "fr+m3", "speaks": "fr+f3"}
SPEEDS = (165, 190, 220, 260, 320)  # words per minute, tried in turn until the turn fits


def _speak(espeak: str, text: str, voice: str, seconds: float, folder: Path) -> bytes:
    out = folder / "turn.wav"
    for speed in SPEEDS:
        subprocess.run(
            [espeak, "-v", voice, "-s", str(speed), "-w", str(out), text],
            check=True,
            capture_output=True,
            timeout=60,
        )
        with wave.open(str(out)) as turn:
            frames = turn.readframes(turn.getnframes())
        if len(frames) / 2 / RATE <= seconds:
            break
    return frames[: int(seconds * RATE) * 2]


def synthesise(turns: list[tuple[bool, float, float, str]]) -> bytes | None:
    """A WAV of (interviewee speaks?, start s, end s, text) turns; None without espeak-ng."""
    espeak = shutil.which("espeak-ng")
    if espeak is None:
        logger.warning("espeak-ng is not installed: the demo interview gets no recording.")
        return None
    total = max(end for _who, _start, end, _text in turns)
    samples = bytearray(int(total * RATE) * 2)
    with tempfile.TemporaryDirectory(prefix="demo-recording-") as folder:
        for speaks, start, end, text in turns:
            voice = VOICES["speaks" if speaks else "asks"]
            frames = _speak(espeak, text, voice, end - start, Path(folder))
            offset = int(start * RATE) * 2
            samples[offset : offset + len(frames)] = frames
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(bytes(samples))
    return buffer.getvalue()


def attach_recording(interview, segments, speaker: str, user) -> None:
    """Give the interview its spoken recording once (a second load finds it and stops)."""
    from medias import pipeline
    from medias.models import Kind, MediaFile
    from medias.services import store_upload

    if not settings.DEMO_RECORDING:
        return
    owned = MediaFile.objects.filter(owner_id=str(interview.pk), kind=Kind.AUDIO)
    if owned.filter(owner_type__model="interview").exists():
        return
    turns = [(s.speaker == speaker, s.start_ms / 1000, s.end_ms / 1000, s.text) for s in segments]
    content = synthesise(turns)
    if content is None:
        return
    upload = SimpleUploadedFile("entretien-demo.wav", content, content_type="audio/wav")
    media = store_upload(upload, interview, Kind.AUDIO, user=user)
    for job in media.jobs.order_by("pk"):
        pipeline.run(job.pk, "load_demo")
