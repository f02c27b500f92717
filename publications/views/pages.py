"""`/publications/` and a publication's page; a file is served only to those who may have it."""

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from medias.downloads import attachment

from .. import citation
from ..downloads import log_download
from ..filters import PublicationFilterSet
from ..models import Publication
from ..models.publication import can_download
from .exports import token_user

PAGE_SIZE = 20


def _visible(user):
    # Staff check a publication before it is out; everyone else sees published() only.
    return Publication.objects.all() if user.is_staff else Publication.objects.published()


def publication_list(request):
    filterset = PublicationFilterSet(request.GET or None, queryset=_visible(request.user))
    publications = filterset.qs.order_by("-date", "title", "pk").prefetch_related("files")
    page = Paginator(publications, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "publications/publication_list.html",
        {
            "filterset": filterset,
            "page": page,
            "ignored": filterset.ignored(),
            "filtered": any(request.GET.get(name) for name in filterset.filters),
        },
    )


def publication_detail(request, slug):
    publication = get_object_or_404(
        _visible(request.user).prefetch_related("files", "initiatives", "territories"), slug=slug
    )
    item = citation.for_publication(
        publication, request.build_absolute_uri(publication.get_absolute_url())
    )
    context = {
        "publication": publication,
        "may_download": can_download(request.user, publication),
        "citation": citation.readable(item),
        "bibtex": citation.bibtex(item),
        "csl_json": citation.csl_json(item),
        "cite_formats": citation_links("publications:citation", publication.slug),
    }
    return render(request, "publications/publication_detail.html", context)


def citation_links(route: str, slug: str) -> list[tuple[str, str]]:
    """(label, address) of each citation download, for a publication or a finding page."""
    names = {"bib": "BibTeX", "ris": "RIS", "json": "CSL-JSON"}
    return [(names[fmt], reverse(route, args=[slug, fmt])) for fmt in citation.FORMATS]


def citation_file(item, fmt: str, slug: str) -> HttpResponse:
    """A citation in one format, as a file a reference manager opens (Zotero, JabRef…)."""
    if fmt not in citation.FORMATS:
        raise Http404(_("No such citation format."))
    response = HttpResponse(citation.FORMATS[fmt](item), content_type=citation.MEDIA_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{slug}.{fmt}"'
    return response


def publication_citation(request, slug, fmt):
    publication = get_object_or_404(_visible(request.user), slug=slug)
    url = request.build_absolute_uri(publication.get_absolute_url())
    return citation_file(citation.for_publication(publication, url), fmt, slug)


def publication_file(request, slug, file_id):
    """A 404, not a 403, for those who may not download: the file's existence is not disclosed.

    Scripts send their API token, as to the API and the exports; a revoked one is refused at once.
    """
    token, accepted = token_user(request)
    if accepted is False:
        return JsonResponse({"detail": _("Invalid or revoked token.")}, status=401)
    publication = get_object_or_404(_visible(request.user), slug=slug)
    if not can_download(request.user, publication):
        raise Http404(_("No such file."))
    item = get_object_or_404(publication.files, pk=file_id)
    # Downloaded under the name it was uploaded with, never shown inline, never cached shared.
    response = attachment(item.file, item.media_type)
    log_download(request, publication=publication, file=item, token=token)
    return response
