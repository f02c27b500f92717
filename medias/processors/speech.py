"""Speech recognition (faster-whisper, CTranslate2): a recording's draft transcript, on the worker.

Interviews are personal data: the model runs here, from a folder the operator installed
(`SPEECH_MODEL_DIR`); nothing is sent away and nothing is downloaded. The sound is decoded by
PyAV into 16 kHz mono windows of about a minute, each cut at its quietest tenth of a second
near the end so that no word is split, and fed to the model one after the other: memory stays
bounded whatever the length of the recording (faster-whisper's own decoding would hold the
whole recording, 230 MB an hour, and its features). Progress is the seconds of sound done, as
segments come out of the model.
"""

import os
import time
from collections.abc import Iterator
from itertools import chain
from pathlib import Path

import av
import numpy as np
from django.utils.translation import gettext_noop

from .. import conf
from . import Output, ProcessingError, Progress, no_progress

RATE = 16_000  # what Whisper listens to
QUIET_SEARCH_S = 5.0  # a window's cut is the quietest point in its last seconds
QUIET_FRAME_S = 0.1
PROMPT_CHARS = 200  # the end of the text so far, given to the model as the next window's context


def clock(seconds: float) -> str:
    seconds = int(seconds)
    return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def quiet_cut(samples: np.ndarray, target: int, search: int) -> int:
    """Where to end a window of about `target` samples: the middle of the quietest frame in the
    last `search` samples before it (the pause between two words, not a word)."""
    frame = int(QUIET_FRAME_S * RATE)
    start = max(frame, target - search)
    tail = samples[start:target]
    usable = tail.size // frame * frame
    if usable < frame:
        return target
    energy = np.square(tail[:usable].reshape(-1, frame)).mean(axis=1)
    return start + int(np.argmin(energy)) * frame + frame // 2


def windows(path: Path, seconds: float) -> Iterator[tuple[float, np.ndarray]]:
    """(offset in seconds, 16 kHz mono float32 samples) windows of at most `seconds` each,
    one after the other with no gap and no overlap; only one window is held at a time."""
    target, search = int(seconds * RATE), int(min(QUIET_SEARCH_S, seconds / 4) * RATE)
    pieces, held, offset = [], 0, 0
    try:
        with av.open(str(path), metadata_errors="ignore") as container:
            if not container.streams.audio:
                raise ProcessingError(gettext_noop("The recording has no sound to transcribe."))
            stream = container.streams.audio[0]
            resampler = av.AudioResampler(format="flt", layout="mono", rate=RATE)
            frames = container.decode(stream)
            # None at the end flushes the resampler's last samples.
            for frame in chain(_frames(frames), [None]):
                for part in resampler.resample(frame):
                    samples = part.to_ndarray().reshape(-1)
                    pieces.append(samples)
                    held += samples.size
                while held >= target:
                    buffer = np.concatenate(pieces)
                    cut = quiet_cut(buffer, target, search)
                    yield offset / RATE, buffer[:cut]
                    offset += cut
                    pieces, held = [buffer[cut:]], buffer.size - cut
    except av.FFmpegError as exc:
        raise ProcessingError(
            gettext_noop("The recording is damaged and cannot be decoded."), detail=str(exc)
        ) from None
    if held:
        yield offset / RATE, np.concatenate(pieces)


def _frames(frames):
    """Decoded frames, stopping at damaged data at the end rather than losing what came before."""
    try:
        yield from frames
    except av.error.InvalidDataError:
        return


def load_model(folder: Path, options: dict):
    """The model from its folder, on the CPU; never from a hub."""
    os.environ["HF_HUB_OFFLINE"] = "1"  # huggingface_hub, which faster-whisper imports, obeys it
    from faster_whisper import WhisperModel

    return WhisperModel(
        str(folder),
        device="cpu",
        compute_type=options["compute_type"],
        cpu_threads=options["cpu_threads"],
        local_files_only=True,
    )


def transcribe(
    path: Path,
    model,
    *,
    language: str | None,
    duration: float | None,
    progress: Progress = no_progress,
    beam_size: int = 5,
    chunk_seconds: float = 120,
) -> tuple[list[dict], str | None]:
    """Segments (speaker, start_ms, end_ms, text) of the recording, window by window."""
    segments: list[dict] = []
    total = clock(duration) if duration else "?"
    if not model.model.is_multilingual:
        language = "en"  # an English-only model: anything else would be asked of it in vain
    for offset, samples in windows(path, chunk_seconds):
        prompt = " ".join(s["text"] for s in segments[-5:])[-PROMPT_CHARS:] or None
        found, info = model.transcribe(
            samples,
            language=language,
            beam_size=beam_size,
            vad_filter=True,  # silences skipped (faster and no text invented over them)
            initial_prompt=prompt,
            condition_on_previous_text=True,
        )
        language = language or info.language  # the first window's language holds for the rest
        for piece in found:
            text = piece.text.strip()
            if not text:
                continue
            start = round((offset + piece.start) * 1000)
            end = max(start, round((offset + piece.end) * 1000))
            segments.append({"speaker": "", "start_ms": start, "end_ms": end, "text": text})
            _report(progress, offset + piece.end, duration, total)
        _report(progress, offset + samples.size / RATE, duration, total)
    return segments, language


def _report(progress: Progress, done: float, duration: float | None, total: str) -> None:
    share = min(1.0, done / duration) if duration else 0.5
    progress(
        5 + int(90 * share),
        gettext_noop("Recognising speech: %(done)s of %(total)s"),
        done=clock(min(done, duration or done)),
        total=total,
    )


def process(path: Path, progress: Progress = no_progress, context: dict | None = None) -> Output:
    context = context or {}
    if "language" in context and context["language"] is None:
        return Output(metadata={"skipped": "no draft wanted"})
    folder = conf.speech_model_dir()
    if folder is None:
        raise ProcessingError(gettext_noop("Speech recognition is not configured."))
    options = conf.speech_options()
    progress(2, gettext_noop("Loading the speech recognition model"))
    started = time.monotonic()
    model = load_model(folder, options)
    loaded = time.monotonic()
    segments, language = transcribe(
        Path(path),
        model,
        language=context.get("language") or None,
        duration=context.get("duration"),
        progress=progress,
        beam_size=options["beam_size"],
        chunk_seconds=options["chunk_seconds"],
    )
    if not segments:
        raise ProcessingError(gettext_noop("No speech was recognised in the recording."))
    elapsed = time.monotonic() - loaded
    sound = segments[-1]["end_ms"] / 1000
    metadata = {
        "model": folder.name,
        "language": language,
        "segments": len(segments),
        "load_seconds": round(loaded - started, 2),
        "seconds": round(elapsed, 2),
        "compute_type": options["compute_type"],
    }
    if context.get("duration"):
        sound = context["duration"]
    metadata["speed"] = round(sound / elapsed, 2) if elapsed else None
    return Output(metadata=metadata, records={"segments": segments, "draft": metadata})
