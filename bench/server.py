"""gunicorn with the bench settings on a free localhost port, and a keep-alive HTTP client.

The pages and their floor are served by the same gunicorn processes, so what differs between two
timings is the work of the page itself, not the server, the middleware or the network.
"""

import atexit
import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from .database import SETTINGS, log, prepare

WORKERS = 4  # 2 cores: enough processes that a slow page never waits behind another


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(context: dict, workers: int = WORKERS) -> str:
    """Start gunicorn once per run and number of workers (stopped at exit); returns its URL."""
    name = "server" if workers == WORKERS else f"server:{workers}"
    if context.get(name):
        return context[name]
    prepare(context)
    port = _free_port()
    log_dir = Path(os.environ.get("VAR_DIR", "var")) / "bench"
    log_dir.mkdir(parents=True, exist_ok=True)
    gunicorn = Path(sys.executable).parent / "gunicorn"
    process = subprocess.Popen(
        [
            str(gunicorn),
            "observatoire.wsgi:application",
            f"--bind=127.0.0.1:{port}",
            f"--workers={workers}",
            "--worker-class=sync",
            "--timeout=60",
            "--keep-alive=5",
            f"--error-logfile={log_dir / 'gunicorn.log'}",
        ],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": SETTINGS},
        start_new_session=True,
    )

    def stop():
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)

    atexit.register(stop)
    context[name] = url = f"http://127.0.0.1:{port}"
    context[f"{name}_process"] = process
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn stopped (see {log_dir / 'gunicorn.log'})")
        try:
            status, _body = Client(url).get("/health/")
            if status == 200:
                break
        except OSError:
            pass
        time.sleep(0.3)
    else:
        raise SystemExit("gunicorn did not answer /health/ within 60 s")
    log(f"gunicorn ({workers} workers, bench settings) at {url}")
    return url


class Client:
    """One keep-alive HTTP/1.1 connection; `timed` returns (status, seconds, body size)."""

    def __init__(self, base: str, user_agent: str = "python-http.client (bench)"):
        self.headers = {"Accept-Language": "fr", "User-Agent": user_agent}
        host, port = base.removeprefix("http://").split(":")
        self.host, self.port = host, int(port)
        self.connection = http.client.HTTPConnection(self.host, self.port, timeout=60)

    def get(self, path: str) -> tuple[int, bytes]:
        try:
            self.connection.request("GET", path, headers=self.headers)
            response = self.connection.getresponse()
        except (http.client.HTTPException, OSError):
            self.connection.close()  # the server closed a kept-alive connection: try once more
            self.connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
            self.connection.request("GET", path, headers=self.headers)
            response = self.connection.getresponse()
        return response.status, response.read()

    def timed(self, path: str) -> tuple[int, float, int]:
        started = time.perf_counter()
        status, body = self.get(path)
        return status, time.perf_counter() - started, len(body)
