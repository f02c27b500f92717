"""How to cite a published finding: the panel publications adds to the finding's page, and the
reference files (BibTeX, RIS, CSL-JSON) it links to. Fieldwork's page imports none of this: it
renders the panels registered for "finding" (observatoire.panels)."""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from terrain.models import Finding

from . import citation
from .views.pages import citation_file, citation_links


def panel(finding, request) -> dict:
    url = request.build_absolute_uri(finding.get_absolute_url())
    item = citation.for_finding(finding, url)
    return {
        "url": url,
        "today": timezone.localdate(),
        "bibtex": citation.bibtex(item),
        "csl_json": citation.csl_json(item),
        "formats": citation_links("publications:finding-citation", finding.slug),
    }


def finding_citation(request, slug, fmt):
    """A published finding's citation as BibTeX, RIS or CSL-JSON, for a reference manager."""
    finding = get_object_or_404(Finding.objects.published().prefetch_related("themes"), slug=slug)
    url = request.build_absolute_uri(reverse("findings:detail", args=[finding.slug]))
    return citation_file(citation.for_finding(finding, url), fmt, slug)
