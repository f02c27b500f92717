"""Concurrent users on public pages: wrk, 32 connections, against the same gunicorn (bounded).

No floor: the figure is the number of errors (non-2xx/3xx answers, socket errors, timeouts),
which must be zero; the p50 and p95 latencies are reported beside it.
"""

import shutil
import subprocess
import tempfile
from pathlib import Path

from . import Result, figure
from .pages import subjects
from .server import start

CONNECTIONS = 32
SCRIPT = """
local paths = {%(paths)s}
local counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1], {["Accept-Language"] = "fr"})
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("BENCH %%d %%d %%d %%d %%d %%d %%d %%d %%d\\n", summary.requests,
    e.connect, e.read, e.write, e.status, e.timeout, summary.duration,
    latency:percentile(50), latency:percentile(95)))
end
"""


def public_paths(context: dict) -> list[str]:
    pages = subjects(context)
    return [
        "/",
        "/bench/floor/",
        *pages["directory"],
        *pages["profile"][:20],
        *pages["territory"],
        "/territoires/",
        "/ptce/",
        "/recherche/?q=recyclerie",
        "/carte/initiatives.geojson",
    ]


@figure("load", order=90)
def load(context: dict) -> list[Result]:
    seconds = 10 if context["scale"] == "small" else 60
    name = f"{seconds} s of {CONNECTIONS} users: errors"
    wrk = shutil.which("wrk")
    if wrk is None:
        return [Result(name, None, kind="limit", target=0, notes="wrk is not installed")]
    url = start(context)
    paths = public_paths(context)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(SCRIPT % {"paths": ", ".join(f'"{p}"' for p in paths)})
    try:
        run = subprocess.run(
            [wrk, "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "--timeout=10s", "-s", script.name,
             url],
            capture_output=True, text=True, timeout=seconds + 60, check=False,
        )  # fmt: skip
    finally:
        Path(script.name).unlink()
    line = next((row for row in run.stdout.splitlines() if row.startswith("BENCH ")), None)
    if line is None:
        return [Result(name, None, kind="limit", target=0, notes=run.stderr[-300:])]
    requests, connect, read, write, status, timeout, duration, p50, p95 = map(int, line.split()[1:])
    errors = connect + read + write + status + timeout
    details = {
        "requests": requests, "per second": round(requests / (duration / 1e6), 1),
        "errors": {"connect": connect, "read": read, "write": write, "status": status,
                   "timeout": timeout},
        "paths": paths,
    }  # fmt: skip
    return [
        Result(name, errors, kind="limit", target=0, notes=f"{requests} requests",
               details=details),
        Result(f"{seconds} s of {CONNECTIONS} users: p50", p50 / 1000, unit=" ms", kind="limit"),
        Result(f"{seconds} s of {CONNECTIONS} users: p95", p95 / 1000, unit=" ms", kind="limit"),
    ]  # fmt: skip
