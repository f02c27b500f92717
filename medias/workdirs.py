"""Each job's private folder on the worker: made for a run, removed after it, swept at start-up.

A run copies the original (a person's voice, a signed document) into its folder, and processors
write their temporary outputs beside it. The pipeline removes the folder whatever happens; a
worker killed mid-job cannot, so each worker, when it starts, removes the folders of processes
that no longer exist (the process id is in the folder's name).
"""

import logging
import os
import shutil
import tempfile
import time
from pathlib import Path

from . import conf

logger = logging.getLogger(__name__)
PREFIX = "job-"
# A folder whose process id is taken again by an unrelated process is still removed past this.
ABANDONED_AFTER_S = 2 * 24 * 3600


def create(job_id: int) -> Path:
    root = conf.job_root()
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    # mkdtemp makes it 0700: only the worker's user reads the copy of the recording.
    return Path(tempfile.mkdtemp(prefix=f"{PREFIX}{job_id}-{os.getpid()}-", dir=root))


def remove(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    # A killed worker's pool child stays a zombie until an init reaps it, and some container
    # inits never do: it answers signals, yet it will never come back for its folder.
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def sweep(root: Path | None = None) -> list[Path]:
    """Remove the job folders left by dead processes; return them."""
    root = root or conf.job_root()
    removed = []
    if not root.is_dir():
        return removed
    for folder in root.iterdir():
        parts = folder.name.split("-")
        if not (folder.is_dir() and folder.name.startswith(PREFIX) and len(parts) >= 3):
            continue
        try:
            pid = int(parts[2])
            age = time.time() - folder.stat().st_mtime
        except (ValueError, OSError):
            continue
        if pid != os.getpid() and (not _alive(pid) or age > ABANDONED_AFTER_S):
            remove(folder)
            removed.append(folder)
    if removed:
        logger.warning("Removed %s job folders left by stopped workers", len(removed))
    return removed
