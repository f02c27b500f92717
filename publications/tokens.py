"""API tokens: created with a name and shown once, stored as a SHA-256 hash, revoked at once."""

import hashlib
import secrets

from django.utils import timezone

from .models import ApiToken

KEY_PREFIX = "obs_"
PREFIX_LENGTH = 12  # "obs_" and 8 characters of the secret: enough to tell tokens apart
LAST_USED_GRANULARITY = 60  # seconds: at most one write a minute per token


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def create_token(user, name: str) -> tuple[ApiToken, str]:
    """The new token and its key; the key is not stored and cannot be shown again."""
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name.strip()[:100], prefix=key[:PREFIX_LENGTH], key_hash=hash_key(key)
    )
    return token, key


def revoke_token(token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def authenticate_key(key: str) -> ApiToken | None:
    """The active token of an active user for this key, read from the database every time."""
    if not key.startswith(KEY_PREFIX) or len(key) > 100:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_key(key), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > (
        LAST_USED_GRANULARITY
    ):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def key_from_header(header: str) -> str | None:
    """`Authorization: Token <key>` or `Bearer <key>`."""
    scheme, _sep, key = (header or "").strip().partition(" ")
    if scheme.lower() not in ("token", "bearer") or not key.strip():
        return None
    return key.strip()
