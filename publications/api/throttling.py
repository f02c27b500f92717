"""Throttles: one budget per API token, one per anonymous address; and one for `/export/*`.

Rates are in REST_FRAMEWORK (the API's) and EXPORT_THROTTLE_RATE; the address is the one
observatoire/clients.py reads, so rotating `X-Forwarded-For` does not make a new client.
"""

import hashlib

from django.conf import settings
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from observatoire.clients import client_ip

from ..models import ApiToken


class _SettingsRate(SimpleRateThrottle):
    def get_rate(self):
        # Read at call time, so a settings override (tests) applies.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_ident(self, request):
        return client_ip(request)


class TokenRateThrottle(_SettingsRate):
    scope = "token"

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken):
            return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}
        return None


class AnonymousRateThrottle(_SettingsRate):
    scope = "anonymous"

    def get_cache_key(self, request, view):
        if request.user and request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class ExportRateThrottle(_SettingsRate):
    """For plain Django views: a script's token (hashed, checked by the view itself), else the
    signed-in user, else the address. A made-up token only buys a 401."""

    scope = "export"

    def get_rate(self):
        return settings.EXPORT_THROTTLE_RATE

    def get_cache_key(self, request, view=None):
        header = request.headers.get("Authorization", "")
        if header:
            ident = "key-" + hashlib.sha256(header.encode()).hexdigest()[:32]
        elif request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}


def export_wait(request) -> float | None:
    """None when this export may go ahead, else the seconds until the client's next one."""
    throttle = ExportRateThrottle()
    if throttle.allow_request(request, None):
        return None
    return throttle.wait() or 1.0
