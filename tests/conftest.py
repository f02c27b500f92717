"""Test set-up shared by every app: real PostgreSQL and Redis, started if they are down."""

import glob
import shutil
import socket
import subprocess
import time

import pytest


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _start_if_down(port: int, command: list[str]) -> None:
    if _listening(port) or not shutil.which(command[0]):
        return
    subprocess.run(command, check=False, capture_output=True)
    for _ in range(40):
        if _listening(port):
            return
        time.sleep(0.25)


def pytest_configure(config):
    clusters = glob.glob("/etc/postgresql/*")
    if clusters:
        version = clusters[0].rsplit("/", 1)[1]
        _start_if_down(
            5432, ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"]
        )
    _start_if_down(
        6379,
        ["redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "-::1", "--port", "6379"]
        + ["--save", "", "--appendonly", "no"],
    )


@pytest.fixture(scope="session", autouse=True)
def _fresh_cache():
    """Each worker's Redis cache starts empty: a run an hour ago left its throttles' request
    history and its rendered pages there, and this run must not inherit them."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def territory_factory(db):
    """Make a small real hierarchy without loading all of France (tests that need it load it)."""
    from territoires.models import Level, Territory

    def make(level, code, name, parent=None, **extra):
        return Territory.objects.create(
            level=level, code=code, name=name, slug=name.lower(), parent=parent, **extra
        )

    make.Level = Level
    return make


@pytest.fixture(autouse=True)
def _default_language():
    """A request under /en/ leaves English active in the thread; reset it for the next test."""
    from django.conf import settings
    from django.utils import translation

    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _media_roots(settings, tmp_path_factory):
    """Files a test keeps go to folders of its own, never to the checkout's var/."""
    root = tmp_path_factory.mktemp("media-roots")
    settings.MEDIA_ROOT = root / "media"
    settings.MEDIA_PRIVATE_ROOT = root / "private-media"
