"""Clean PDF profiles (WeasyPrint), made on request and cached until the object changes."""

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import translation

CACHE_SECONDS = 60 * 60 * 24 * 30
# Every cached PDF's key starts with it: an erasure deletes them all (publications/erasure.py).
PREFIX = "pdf:"


def cache_key(kind: str, obj, fingerprint: str = "") -> str:
    # The key changes whenever the object is saved (updated_at), so no invalidation is needed;
    # `fingerprint` carries what else the PDF shows and may change without a save (consents).
    stamp = obj.updated_at.timestamp()
    return f"{PREFIX}{kind}:{obj.pk}:{stamp}:{translation.get_language()}:{fingerprint}"


def render_pdf(template: str, context: dict, base_url: str) -> bytes:
    from weasyprint import HTML  # heavy import, only when a PDF is asked for

    html = render_to_string(template, context)
    return HTML(string=html, base_url=base_url).write_pdf()


def cached_pdf(
    kind: str, obj, template: str, context: dict, base_url: str, fingerprint: str = ""
) -> bytes:
    key = cache_key(kind, obj, fingerprint)
    content = cache.get(key)
    if content is None:
        content = render_pdf(template, context, base_url)
        cache.set(key, content, CACHE_SECONDS)
    return content
