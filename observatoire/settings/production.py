"""Production: secrets and hosts are required from the environment; HTTPS everywhere."""

from .base import *  # noqa: F403
from .base import env

SECRET_KEY = env.str("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
DEBUG = False
DEMO_ALLOWED = False

# Public pages and the directory's facet counts, cached until what they show changes (versioned
# keys, dependencies declared by the reader, observatoire/cache.py); the timeout only bounds
# memory. Needs REDIS_URL: every worker must see the same versions and generation.
PUBLIC_CACHE_SECONDS = env.int("PUBLIC_CACHE_SECONDS", default=3600)

# docker-compose.yml's web service sits behind one TLS-terminating proxy.
TRUSTED_PROXIES = env.int("TRUSTED_PROXIES", default=env.int("NUM_PROXIES", default=1))
REST_FRAMEWORK = {**REST_FRAMEWORK, "NUM_PROXIES": TRUSTED_PROXIES}  # noqa: F405

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True

# Media on an S3-compatible store when MEDIA_STORAGE=s3 (django-storages, settings from env).
# Every file a model keeps (media originals and renditions, signed consent forms, publication
# files) is in `medias`: a private prefix (or a bucket of its own), no object readable without
# signed credentials, read by the web and the workers through the storage API, and served to
# people only through the views that check who asks. Public thumbnails are among them, served by
# the same view with a public Cache-Control, so that one unpublished becomes unreachable at once.
# `default` (no model writes there since the files became private) is private as well, so that a
# file written by some other code never lands on the container's disk.
if env.str("MEDIA_STORAGE", default="local") == "s3":
    S3_OPTIONS = {
        "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default=None),
        "region_name": env.str("AWS_S3_REGION_NAME", default=None),
        "access_key": env.str("AWS_ACCESS_KEY_ID"),
        "secret_key": env.str("AWS_SECRET_ACCESS_KEY"),
        "default_acl": "private",
        "querystring_auth": True,
        "querystring_expire": env.int("AWS_QUERYSTRING_EXPIRE", default=300),
        "file_overwrite": False,
    }
    STORAGES["default"] = {  # noqa: F405
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {**S3_OPTIONS, "bucket_name": env.str("AWS_STORAGE_BUCKET_NAME")},
    }
    STORAGES["medias"] = {  # noqa: F405
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **S3_OPTIONS,
            "bucket_name": env.str(
                "AWS_PRIVATE_STORAGE_BUCKET_NAME", default=env.str("AWS_STORAGE_BUCKET_NAME")
            ),
            "location": env.str("AWS_PRIVATE_LOCATION", default="private"),
        },
    }
