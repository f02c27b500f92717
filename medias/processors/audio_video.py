"""Audio and video (PyAV): duration, an AAC rendition browsers play, waveform peaks, a poster."""

import io
import os
import tempfile
from pathlib import Path

import av
import numpy as np
from django.utils.translation import gettext_noop

from . import Derived, Output, ProcessingError, Progress, no_progress

PEAKS = 800  # points of the waveform the player draws
RENDITION_RATE = 48_000
MAX_DURATION_S = 6 * 3600


def _open(path: Path):
    try:
        return av.open(str(path), metadata_errors="ignore")
    except (av.FFmpegError, UnicodeDecodeError, ValueError) as exc:
        raise ProcessingError(
            gettext_noop("The recording cannot be read: its header is damaged or unknown."),
            detail=str(exc),
        ) from None


def _peaks(chunks: list[np.ndarray], points: int = PEAKS) -> list[float]:
    """Largest absolute amplitude in each of `points` equal slices, from 0 to 1."""
    if not chunks:
        return []
    samples = np.concatenate(chunks)
    if samples.size == 0:
        return []
    slices = np.array_split(np.abs(samples), min(points, samples.size))
    return [round(float(part.max()), 3) for part in slices]


def _poster(path: Path) -> tuple[bytes, dict] | None:
    with _open(path) as container:
        if not container.streams.video:
            return None
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        # A frame a second in is more telling than a black first frame; take the first otherwise.
        target = 1.0
        chosen = None
        for frame in container.decode(stream):
            chosen = frame
            if frame.time is not None and frame.time >= target:
                break
        if chosen is None:
            return None
        image = chosen.to_image()
        image.thumbnail((1280, 1280))
        buffer = io.BytesIO()
        image.save(buffer, "WEBP", quality=80)
        return buffer.getvalue(), {"width": image.width, "height": image.height}


def _audio_rendition(path: Path, progress: Progress, duration: float) -> tuple[Path, list] | None:
    """Decode the first audio stream into an AAC/MP4 file and collect its peaks on the way.

    The file is made beside the input, in the job's folder, which the pipeline removes whatever
    happens: a recording that fails to decode leaves no copy behind.
    """
    handle, name = tempfile.mkstemp(suffix=".m4a", dir=path.parent)
    os.close(handle)
    out_path = Path(name)
    chunks = []
    with _open(path) as source:
        if not source.streams.audio:
            return None
        stream = source.streams.audio[0]
        with av.open(str(out_path), "w", format="mp4") as target:
            encoder = target.add_stream("aac", rate=RENDITION_RATE)
            encoder.layout = "stereo"
            encoder.bit_rate = 128_000
            resampler = av.AudioResampler(
                format="fltp", layout="stereo", rate=RENDITION_RATE, frame_size=1024
            )
            reported = 0
            for frame in source.decode(stream):
                for part in resampler.resample(frame):
                    chunks.append(part.to_ndarray()[0][::64].copy())
                    target.mux(encoder.encode(part))
                if duration and frame.time is not None and frame.time - reported > duration / 10:
                    reported = frame.time
                    progress(
                        20 + int(60 * frame.time / duration), gettext_noop("Encoding the audio")
                    )
            for part in resampler.resample(None):
                target.mux(encoder.encode(part))
            target.mux(encoder.encode(None))
    return out_path, chunks


def process(path: Path, progress: Progress = no_progress, context: dict | None = None) -> Output:
    path = Path(path)
    progress(5, gettext_noop("Reading the recording"))
    with _open(path) as container:
        streams = {
            "audio": len(container.streams.audio),
            "video": len(container.streams.video),
        }
        duration = container.duration / av.time_base if container.duration else None
        metadata = {"format": container.format.name, "streams": streams}
        if container.streams.video:
            video = container.streams.video[0]
            metadata.update(width=video.width, height=video.height)
    if not streams["audio"] and not streams["video"]:
        raise ProcessingError(gettext_noop("The file holds neither sound nor pictures."))
    if duration and duration > MAX_DURATION_S:
        raise ProcessingError(gettext_noop("The recording is longer than six hours."))
    derived = []
    try:
        rendition = _audio_rendition(path, progress, duration or 0)
        if rendition:
            rendition_path, chunks = rendition
            derived.append(Derived("rendition-audio", rendition_path, "audio/mp4"))
            peaks = _peaks(chunks)
            derived.append(
                Derived(
                    "waveform", _json(peaks), "application/json", metadata={"points": len(peaks)}
                )
            )
            if not duration:
                duration = sum(chunk.size * 64 for chunk in chunks) / RENDITION_RATE
        progress(85, gettext_noop("Making the poster frame"))
        if streams["video"] and (poster := _poster(path)):
            content, size = poster
            derived.append(Derived("poster", content, "image/webp", metadata=size))
    except av.FFmpegError as exc:
        raise ProcessingError(
            gettext_noop("The recording is damaged and cannot be decoded."), detail=str(exc)
        ) from None
    metadata["duration"] = round(duration, 3) if duration else None
    return Output(metadata=metadata, derived=derived)


def _json(value) -> bytes:
    import json

    return json.dumps(value).encode()
