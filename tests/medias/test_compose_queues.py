"""docker-compose.yml gives heavy media work its own worker, and the default worker leaves it."""

from pathlib import Path

from django.conf import settings
from ruamel.yaml import YAML

COMPOSE = Path(settings.BASE_DIR) / "docker-compose.yml"


def option(command: list[str], name: str) -> str:
    return str(command[command.index(name) + 1])


def test_each_queue_has_its_worker_and_beat_runs_alone():
    services = YAML(typ="safe").load(COMPOSE.read_text())["services"]
    light, heavy = services["worker"]["command"], services["worker-heavy"]["command"]
    assert option(light, "-Q") == "celery"
    assert option(heavy, "-Q") == settings.CELERY_TASK_ROUTES["medias.tasks.process_heavy"]["queue"]
    assert option(heavy, "--concurrency") == "1"
    assert "beat" not in light + heavy and "-B" not in light + heavy
    assert services["beat"]["command"][:4] == ["celery", "-A", "observatoire", "beat"]
