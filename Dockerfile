# The production image: the environment `make setup` builds, without the dev tools.
# One image for every service that runs Django code (web, worker, beat, migrate); see docker-compose.yml.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=observatoire.settings.production \
    VAR_DIR=/app/var

# The Debian packages the Makefile installs (system-packages.txt: gettext, libmagic, Pango...);
# nodejs and npm install the front-end libraries (package.json).
COPY system-packages.txt /tmp/
RUN apt-get update -qq \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        $(cat /tmp/system-packages.txt) nodejs npm \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# Python dependencies are declared (and pinned) once, in pyproject.toml, and read the way the
# Makefile reads them. EXTRAS names optional groups to add (e.g. --build-arg EXTRAS=dev).
ARG EXTRAS=""
COPY pyproject.toml ./
RUN python -c "import os, tomllib; p = tomllib.load(open('pyproject.toml', 'rb'))['project']; extras = [e for e in os.environ.get('EXTRAS', '').split(',') if e.strip()]; print('\n'.join(p['dependencies'] + [d for e in extras for d in p['optional-dependencies'][e.strip()]]))" > /tmp/requirements.txt \
    && pip install --quiet -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

# Front-end libraries and reference data, exactly as locked.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error

COPY . .

# Translations, compiled like the Makefile's locale/%.mo rule.
RUN for po in locale/*/LC_MESSAGES/*.po; do \
        [ -e "$po" ] || continue; \
        msgfmt --check-format -o "${po%.po}.mo" "$po"; \
    done

# Static files (whitenoise serves them); the key and hosts only exist for this build step.
RUN SECRET_KEY=collectstatic-at-build-time-only ALLOWED_HOSTS=localhost \
    python manage.py collectstatic --noinput --verbosity 0

# Run as an unprivileged user that owns only var/ (local media, the beat schedule).
RUN useradd --system --uid 10001 --user-group --home-dir /app --no-create-home observatoire \
    && mkdir -p /app/var/media /app/var/beat \
    && chown -R observatoire:observatoire /app/var/media /app/var/beat
USER observatoire

EXPOSE 8000
CMD ["gunicorn", "observatoire.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", \
     "--access-logfile", "-"]
