"""Who is asking: the client's address, read one way by every limit (sign-in, API, exports).

Behind reverse proxies, each proxy appends the address it received the request from to
`X-Forwarded-For`; anything to the left of what our own proxies wrote was written by the client
and proves nothing. With `TRUSTED_PROXIES = n` the client is the n-th address from the right
(as Django REST framework's NUM_PROXIES reads it); with 0 the header is ignored and the address
is the socket's. A value that is not an IP address (a misconfigured proxy) falls back to the
socket's address rather than becoming a key an attacker chooses.
"""

import ipaddress

from django.conf import settings


def _valid(address: str) -> bool:
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return False
    return True


def client_ip(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = getattr(settings, "TRUSTED_PROXIES", 0)
    if proxies <= 0:
        return remote
    header = request.META.get("HTTP_X_FORWARDED_FOR", "")
    forwarded = [part.strip() for part in header.split(",") if part.strip()]
    if not forwarded:
        return remote
    candidate = forwarded[-min(proxies, len(forwarded))]
    return candidate if _valid(candidate) else remote
