"""Settings of the media pipeline, with defaults; a deployment overrides them in settings."""

import os
import tempfile
from pathlib import Path

from django.conf import settings

# (mime type) -> extensions a file of that type may carry; a name that says otherwise is a lie.
TYPES = {
    "image": {
        "image/jpeg": {".jpg", ".jpeg", ".jpe"},
        "image/png": {".png"},
        "image/webp": {".webp"},
        "image/gif": {".gif"},
        "image/tiff": {".tif", ".tiff"},
    },
    "audio": {
        "audio/mpeg": {".mp3"},
        "audio/x-wav": {".wav"},
        "audio/wav": {".wav"},
        "audio/ogg": {".ogg", ".oga", ".opus"},
        "audio/flac": {".flac"},
        "audio/x-m4a": {".m4a"},
        "audio/mp4": {".m4a", ".mp4"},
        "video/mp4": {".m4a", ".mp4"},
        "audio/webm": {".webm", ".weba"},
        "video/webm": {".webm", ".weba"},
    },
    "video": {
        "video/mp4": {".mp4", ".m4v"},
        "video/webm": {".webm"},
        "video/quicktime": {".mov"},
        "video/x-matroska": {".mkv"},
        "video/ogg": {".ogv", ".ogg"},
        "video/x-msvideo": {".avi"},
    },
    "document": {
        "application/pdf": {".pdf"},
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {".docx"},
        "application/vnd.oasis.opendocument.text": {".odt"},
    },
    "transcript": {
        "text/plain": {".txt", ".vtt", ".srt", ".text"},
        "text/vtt": {".vtt"},
        "application/x-subrip": {".srt"},
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {".docx"},
    },
}


def limit(kind: str) -> int:
    return settings.MEDIA_LIMITS[kind]


def lease() -> int:
    """How long a job may go without a heartbeat before the sweeper presumes it lost."""
    return int(
        getattr(settings, "MEDIA_JOB_LEASE_SECONDS", os.environ.get("MEDIA_JOB_LEASE_SECONDS", 300))
    )


def heartbeat_seconds() -> float:
    """How often a running stage renews its lease: three beats fit in one lease."""
    return max(0.2, lease() / 3)


def job_root() -> Path:
    """Where workers make each job's folder (a copy of the original, temporary outputs)."""
    default = Path(tempfile.gettempdir()) / "observatoire-jobs"
    return Path(getattr(settings, "MEDIA_JOB_ROOT", os.environ.get("MEDIA_JOB_ROOT", default)))


# Seconds a stage may take: (base, seconds per unit of input, most), the unit being a megabyte of
# the original, or 100,000 characters of text for the name finding, which reads the text.
TIME_BUDGETS = {
    "images": (60, 3, 300),
    "documents": (120, 6, 1800),
    "transcripts": (60, 20, 900),
    "pseudonyms": (120, 40, 3 * 3600),
    "audio_video": (300, 4, 6 * 3600),
    # per minute of sound: a large model on a small CPU may take five times the recording's length
    "speech": (600, 300, 36 * 3600),
}


def time_budget(processor: str) -> tuple[float, float, float]:
    overrides = getattr(settings, "MEDIA_JOB_TIME_BUDGETS", {})
    return overrides.get(processor, TIME_BUDGETS[processor])


def max_attempts() -> int:
    """Attempts before a job that keeps killing or losing its worker is failed for good."""
    return getattr(settings, "MEDIA_JOB_MAX_ATTEMPTS", 3)


def max_image_pixels() -> int:
    return getattr(settings, "MEDIA_MAX_IMAGE_PIXELS", 60_000_000)


def step_delay() -> float:
    """Seconds to pause after each step: zero in production; fault tests slow jobs down."""
    return float(getattr(settings, "MEDIA_STEP_DELAY", os.environ.get("MEDIA_STEP_DELAY", 0)))


# The files a CTranslate2 Whisper model folder holds (faster-whisper's converted models).
SPEECH_MODEL_FILES = ("model.bin", "config.json")


def speech_model_dir() -> Path | None:
    """The folder of the speech recognition model, or None when none is configured (or the
    folder does not hold a model): then recordings get no draft transcript, and pages say so."""
    configured = str(getattr(settings, "SPEECH_MODEL_DIR", "") or "").strip()
    if not configured:
        return None
    folder = Path(configured)
    if not all((folder / name).is_file() for name in SPEECH_MODEL_FILES):
        return None
    return folder


def speech_options() -> dict:
    """How the model runs on the worker: int8 on CPU, threads, beam, window of sound."""
    return {
        "compute_type": getattr(settings, "SPEECH_COMPUTE_TYPE", "int8"),
        "cpu_threads": int(getattr(settings, "SPEECH_CPU_THREADS", 0)),
        "beam_size": int(getattr(settings, "SPEECH_BEAM_SIZE", 5)),
        "chunk_seconds": int(getattr(settings, "SPEECH_CHUNK_SECONDS", 120)),
    }
