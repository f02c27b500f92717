"""A published finding as a PDF: its text, the quotes consent allows now, sources, citation."""

import hashlib

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone

from terrain.models import Finding

from ..models import Publication
from ..pdf import cached_pdf


def consent_fingerprint(quotes) -> str:
    """What the quotes show now: a withdrawn or expired consent changes it, and so the cache key."""
    state = "\n".join(f"{q.excerpt_id}:{q.removed}:{q.speaker}:{q.text}" for q in quotes)
    return hashlib.sha256(state.encode("utf-8")).hexdigest()[:16]


def finding_pdf(request, slug):
    finding = get_object_or_404(Finding.objects.published().prefetch_related("themes"), slug=slug)
    quotes = finding.public_quotes()  # consent checked at this request
    today = timezone.localdate()
    initiatives = [
        (initiative, request.build_absolute_uri(initiative.get_absolute_url()))
        for initiative in finding.initiatives.published().order_by("name")
    ]
    publications = [
        (publication, request.build_absolute_uri(publication.get_absolute_url()))
        for publication in Publication.objects.published().filter(findings=finding)
    ]
    context = {
        "finding": finding,
        "quotes": quotes,
        "removed": any(quote.removed for quote in quotes),
        "initiatives": initiatives,
        "publications": publications,
        "url": request.build_absolute_uri(finding.get_absolute_url()),
        "today": today,
    }
    # Sources and the citation's date are in the key too: the PDF never shows stale ones.
    sources = "|".join(url for _obj, url in initiatives + publications)
    fingerprint = consent_fingerprint(quotes) + hashlib.sha256(sources.encode()).hexdigest()[:8]
    content = cached_pdf(
        "finding",
        finding,
        "publications/pdf/finding.html",
        context,
        request.build_absolute_uri("/"),
        fingerprint=f"{fingerprint}:{today.isoformat()}",
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{finding.slug}.pdf"'
    return response
