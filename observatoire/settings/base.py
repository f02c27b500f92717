"""Settings shared by every environment; what a deployment changes comes from the environment."""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(environ.Env().str("VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()
env.read_env(BASE_DIR / ".env") if (BASE_DIR / ".env").exists() else None

SECRET_KEY = env.str("SECRET_KEY", default="insecure-only-for-local-development")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "django_filters",
    "taggit",
    "simple_history",
    "observatoire",
    "territoires",
    "initiatives",
    "accompagnements",
    "agenda",
    "contributions",
    "evaluations",
    "carte",
    "terrain",
    "medias",
    "publications",
    "rest_framework",
    "drf_spectacular",
    "corsheaders",
    "axes",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Crawlers' uncached requests take their turn (observatoire/crawlers.py); after the session,
    # authentication, locale and messages middleware, on which the public cache's key depends.
    "observatoire.crawlers.CrawlerGateMiddleware",
    # Records the signed-in user on history rows written during a request (admin included).
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# Pages may not be framed (clickjacking); the map's embed view alone opts out.
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp): scripts, styles, fonts and data from this site only, no
# inline script anywhere (page scripts are files under static/js/). Exceptions, each needed:
# - the one <style> htmx inserts for its loading indicator, allowed by its hash (a test recomputes
#   it from node_modules, so an htmx upgrade that changes it fails there, not in browsers);
# - style="" attributes (colour swatches of the codebook, a few widths), not <style> elements;
# - OpenStreetMap's tiles on the maps; CSP_MEDIA_ORIGINS where an object store serves media.
# frame-ancestors 'none' everywhere; /carte/embed/ replaces it with * (carte/views.py). The reader
# adds the host of an interview's external recording to media-src (terrain/views/reader.py).
HTMX_INDICATOR_STYLE = "'sha256-faU7yAF8NxuMTNEwVmBz+VcYeIoBQ2EMHW3WaVxCvnk='"
MAP_TILE_ORIGINS = ["https://tile.openstreetmap.org"]
CSP_MEDIA_ORIGINS = env.list("CSP_MEDIA_ORIGINS", default=[])
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, HTMX_INDICATOR_STYLE],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF, "data:", *MAP_TILE_ORIGINS, *CSP_MEDIA_ORIGINS],
        "media-src": [SELF, *CSP_MEDIA_ORIGINS],
        "connect-src": [SELF],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

ROOT_URLCONF = "observatoire.urls"
WSGI_APPLICATION = "observatoire.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]


SUPPORTED_DATABASES = {"django.db.backends.postgresql", "django.db.backends.sqlite3"}


# Behind a connection pooler in transaction mode that cannot keep prepared statements (PgBouncer
# before 1.21, or without max_prepared_statements), or one that refuses the `options` startup
# parameter: set DATABASE_PREPARED_STATEMENTS=false.
DATABASE_PREPARED_STATEMENTS = env.bool("DATABASE_PREPARED_STATEMENTS", default=True)


def database_from_env(default: str) -> dict:
    """Parse DATABASE_URL, turning a malformed value into one readable sentence."""
    url = env.str("DATABASE_URL", default=default)
    try:
        config = env.db_url_config(url)
    except Exception as exc:  # environ raises several types for a bad URL
        raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL ({exc}).") from exc
    if config.get("ENGINE") not in SUPPORTED_DATABASES:
        raise ImproperlyConfigured(
            f"DATABASE_URL must start with postgres:// or sqlite:// (got {url.split(':', 1)[0]!r})."
        )
    config.setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    config["CONN_HEALTH_CHECKS"] = True
    if config["ENGINE"] == "django.db.backends.postgresql" and DATABASE_PREPARED_STATEMENTS:
        # observatoire/compiled.py: the few statements marked `prepared` are planned once per
        # connection, generically (every other statement binds on the client: never prepared).
        options = config.setdefault("OPTIONS", {})
        options.setdefault("prepare_threshold", 0)
        options["options"] = f"{options.get('options', '')} -c plan_cache_mode=force_generic_plan"
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = {**SQLITE_OPTIONS, **config.get("OPTIONS", {})}
    return config


# The embedded default has a web server and a worker writing at once. WAL lets pages read while
# a large import writes; the busy timeout (seconds) makes a writer wait its turn instead of
# failing with "database is locked"; IMMEDIATE takes the write lock when a transaction begins,
# since a read upgraded to a write inside a transaction cannot wait and would fail at once.
SQLITE_OPTIONS = {
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
    "timeout": 20,
    "transaction_mode": "IMMEDIATE",
}


DATABASES = {"default": database_from_env(f"sqlite:///{VAR_DIR / 'observatoire.sqlite3'}")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # Refuses a sign-in while its account, or that account from that address, is locked out.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Sign-in throttling (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one account
# from one address, or for one account from anywhere (guesses spread over many addresses), that
# sign-in is refused for the cool-off, even with the right password; the lockout page links to
# the password reset, and a reset lifts the lock (observatoire/accounts.py).
AXES_FAILURE_LIMIT = env.int("SIGN_IN_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("SIGN_IN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username"]
AXES_RESET_ON_SUCCESS = True
# Failures during a lockout do not push it back: an attacker cannot keep an account locked for ever.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_CLIENT_IP_CALLABLE = "observatoire.clients.client_ip"  # the same TRUSTED_PROXIES rule
AXES_LOCKOUT_CALLABLE = "observatoire.accounts.lockout"  # 429, Retry-After, a way back
AXES_DISABLE_ACCESS_LOG = True  # no row with the address of every successful sign-in
AXES_VERBOSE = False

LOGIN_URL = "login"
# Each role lands where its work is (observatoire.views.LoginView), unless ?next= says otherwise.
LOGIN_REDIRECT_URL = "home"  # the sign-in view sends each role to its work (workspaces)
LOGOUT_REDIRECT_URL = "home"

# French first, English complete.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Front-end libraries come from npm (package.json); only their built files are published.
    ("vendor/leaflet", BASE_DIR / "node_modules/leaflet/dist"),
    ("vendor/leaflet.markercluster", BASE_DIR / "node_modules/leaflet.markercluster/dist"),
    ("vendor/htmx", BASE_DIR / "node_modules/htmx.org/dist"),
    ("vendor/chart.js", BASE_DIR / "node_modules/chart.js/dist"),
    ("vendor/tom-select", BASE_DIR / "node_modules/tom-select/dist"),
]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
NODE_MODULES = BASE_DIR / "node_modules"
# Uploaded originals and their renditions: a folder no URL reaches (views check who reads).
MEDIA_PRIVATE_ROOT = Path(env.str("MEDIA_PRIVATE_ROOT", default=str(VAR_DIR / "private-media")))
# How the access-checked view hands a private file over once it has checked and logged the
# reading (medias/serving.py): "direct" streams it from Python with byte ranges (the embedded
# default and the tests), "x-accel" lets the proxy in front serve it from MEDIA_ACCEL_LOCATION
# (docker-compose.yml and deploy/nginx.conf), "signed-url" redirects to a short-lived URL of the
# object store. The last two keep large recordings out of the Python workers.
MEDIA_SERVE = env.str("MEDIA_SERVE", default="direct")
MEDIA_ACCEL_LOCATION = env.str("MEDIA_ACCEL_LOCATION", default="/_protected/")
MEDIA_SIGNED_URL_SECONDS = env.int("MEDIA_SIGNED_URL_SECONDS", default=900)
# A reading of a recording or a transcript goes once to the access log per listening: the same
# person, session and file with no request for this long starts a new one (medias/access.py).
MEDIA_LISTENING_IDLE_SECONDS = env.int("MEDIA_LISTENING_IDLE_SECONDS", default=30 * 60)
MB = 1024 * 1024
MEDIA_LIMITS = {  # the largest upload accepted per kind of media file, in bytes
    "image": env.int("MEDIA_LIMIT_IMAGE", default=40 * MB),
    "audio": env.int("MEDIA_LIMIT_AUDIO", default=1024 * MB),
    "video": env.int("MEDIA_LIMIT_VIDEO", default=4096 * MB),
    "document": env.int("MEDIA_LIMIT_DOCUMENT", default=100 * MB),
    "transcript": env.int("MEDIA_LIMIT_TRANSCRIPT", default=20 * MB),
    # a signed consent form: a PDF or a scan (terrain's consent page)
    "consent": env.int("MEDIA_LIMIT_CONSENT", default=20 * MB),
}

# Draft transcripts from recordings (medias/processors/speech.py): a folder holding a
# CTranslate2 Whisper model that the operator installed (README). Empty: the feature is off and
# says so. Nothing is ever downloaded at run time.
SPEECH_MODEL_DIR = env.str("SPEECH_MODEL_DIR", default="")
SPEECH_COMPUTE_TYPE = env.str("SPEECH_COMPUTE_TYPE", default="int8")
SPEECH_CPU_THREADS = env.int("SPEECH_CPU_THREADS", default=0)  # 0: CTranslate2 chooses
SPEECH_BEAM_SIZE = env.int("SPEECH_BEAM_SIZE", default=5)
# Two-minute windows: with one-minute ones recognition ran at 0.6-0.7 x faster-whisper's own
# pace on the whole file (each window's last 30-s chunk half empty, a call per window); two
# minutes give 1.0 x for a bounded memory (docs/benchmarks.md).
SPEECH_CHUNK_SECONDS = env.int("SPEECH_CHUNK_SECONDS", default=120)

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="observatoire@localhost")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)

# Celery: Redis when CELERY_BROKER_URL is set, otherwise kombu's filesystem transport in var/,
# so a first run needs no server yet still has a real worker process.
CELERY_QUEUE_DIR = VAR_DIR / "celery"
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
CELERY_BROKER_TRANSPORT_OPTIONS = (
    {
        "data_folder_in": str(CELERY_QUEUE_DIR / "queue"),
        "data_folder_out": str(CELERY_QUEUE_DIR / "queue"),
        "processed_folder": str(CELERY_QUEUE_DIR / "processed"),
        "control_folder": str(CELERY_QUEUE_DIR / "control"),
        "store_processed": False,
    }
    if CELERY_BROKER_URL.startswith("filesystem")
    else {"visibility_timeout": 3600}
)
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=None)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
# Audio and video work has its own queue so that thumbnails are never stuck behind a transcode.
CELERY_TASK_ROUTES = {"medias.tasks.process_heavy": {"queue": "media-heavy"}}
CELERY_BEAT_SCHEDULE = {
    # The job rows are the truth: requeue what a lost message or a killed worker left behind.
    "medias-sweep-stale-jobs": {"task": "medias.tasks.sweep_stale_jobs", "schedule": 60.0},
    # Consents past their end date leave the search index; staff are told once per consent.
    "terrain-apply-expired-consents": {
        "task": "terrain.tasks.apply_expired_consents",
        "schedule": crontab(hour=3, minute=15),
    },
    # The words a mistyped search is corrected to, from what is published now (PostgreSQL).
    "observatoire-refresh-search-words": {
        "task": "observatoire.tasks.refresh_search_words",
        "schedule": crontab(minute=5),
    },
    # Proposals and claims never confirmed are forgotten once their link has expired.
    "contributions-purge-unconfirmed": {
        "task": "contributions.tasks.purge_unconfirmed",
        "schedule": crontab(hour=3, minute=45),
    },
}
REDIS_URL = env.str("REDIS_URL", default="")

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
# Rendered public pages and costly public reads, forgotten at once when public content changes
# (observatoire/cache.py); 0 turns that cache off (development, tests).
PUBLIC_CACHE_SECONDS = env.int("PUBLIC_CACHE_SECONDS", default=0)
# Crawlers (by User-Agent) render at most this many uncached pages at once, across all workers
# (observatoire/crawlers.py); the others wait up to CRAWLER_WAIT_SECONDS, then get 503 with
# Retry-After. robots.txt asks them for CRAWL_DELAY seconds between requests (Bing, Yandex).
CRAWLER_CONCURRENCY = env.int("CRAWLER_CONCURRENCY", default=1)
CRAWLER_WAIT_SECONDS = env.int("CRAWLER_WAIT_SECONDS", default=30)
CRAWL_DELAY = env.int("CRAWL_DELAY", default=1)

# Demo accounts and data may only be created where this is true (never in production).
DEMO_ALLOWED = False
# load_demo speaks the demo interview with espeak-ng and processes it (a few seconds).
DEMO_RECORDING = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint logs every step of every PDF at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# How many reverse proxies in front of Django append to X-Forwarded-For (observatoire/clients.py):
# the client is the address the outermost of them saw. 0, the default without a proxy, ignores the
# header, so that nobody picks their own address; the production settings default to 1.
TRUSTED_PROXIES = env.int("TRUSTED_PROXIES", default=env.int("NUM_PROXIES", default=0))

# Hosts (host or host:port) an interview's audio URL may point to besides this site: the
# recording view redirects there and the reader's Content-Security-Policy lets it play from there.
RECORDING_URL_HOSTS = env.list("RECORDING_URL_HOSTS", default=[])

# `/export/*` (files, PDFs): one budget per API token, per signed-in user, or per address.
EXPORT_THROTTLE_RATE = env.str("EXPORT_THROTTLE_RATE", default="120/hour")

# The public's proposals and claims (contributions/): how many one address may send, and how long
# the e-mail confirmation link stays valid.
CONTRIBUTION_RATE = env.str("CONTRIBUTION_RATE", default="10/hour")
CONTRIBUTION_CONFIRM_DAYS = env.int("CONTRIBUTION_CONFIRM_DAYS", default=7)

# The read-only API (publications/api): partner tokens, cursor pages, throttles per token, per IP.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["publications.api.authentication.ApiTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "publications.api.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PAGINATION_CLASS": "publications.api.pagination.Cursor",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "publications.api.schema.ApiSchema",
    "DEFAULT_THROTTLE_CLASSES": [
        "publications.api.throttling.TokenRateThrottle",
        "publications.api.throttling.AnonymousRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "token": env.str("API_THROTTLE_TOKEN", default="5000/hour"),
        "anonymous": env.str("API_THROTTLE_ANONYMOUS", default="1000/hour"),
    },
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "NUM_PROXIES": TRUSTED_PROXIES,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Observatoire des initiatives coopératives — API",
    "DESCRIPTION": "Read-only access to the published directory and publications.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # JSON Schema's own `"type": ["string", "null"]`: 3.0's `nullable` beside a `$ref` is read
    # differently by different validators.
    "OAS_VERSION": "3.1.0",
}
# Anyone may read the API and the exports from another site; nothing else is shared.
CORS_URLS_REGEX = r"^/(api|export)/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]

# The national company search API (recherche-entreprises.api.gouv.fr), used by "fill from the
# register" in the organisation form. Off unless a deployment turns it on: nothing is fetched at
# run time by default. Its published limit is 7 requests a second per client.
COMPANY_SEARCH_ENABLED = env.bool("COMPANY_SEARCH_ENABLED", default=False)
COMPANY_SEARCH_URL = env.str(
    "COMPANY_SEARCH_URL", default="https://recherche-entreprises.api.gouv.fr"
)
COMPANY_SEARCH_TIMEOUT = env.float("COMPANY_SEARCH_TIMEOUT", default=5.0)
COMPANY_SEARCH_RATE = env.float("COMPANY_SEARCH_RATE", default=7.0)
