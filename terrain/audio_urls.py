"""Where an interview's audio URL may point: an address on this site, or a recording host that the
deployment trusts (RECORDING_URL_HOSTS). The recording view redirects to it, so anything else
would make the site an open redirect (`//evil.example`, `https://evil.example/...`).
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.utils.http import url_has_allowed_host_and_scheme


def allowed(url: str, *, host: str | None = None, secure: bool = False) -> bool:
    """`host` is this request's own host, when there is a request (absolute links to the site)."""
    if not url or not url.startswith(("/", "http://", "https://")):
        return False
    hosts = set(settings.RECORDING_URL_HOSTS) | ({host} if host else set())
    return url_has_allowed_host_and_scheme(url, allowed_hosts=hosts, require_https=secure)


def origin(url: str) -> str | None:
    """The scheme and host of an absolute audio URL (the page's media-src must name it)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None
