"""`/espace-partenaire/`: what a partner may download, their downloads, their API tokens;
for staff, downloads per partner and per publication, and a CSV of them all."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from observatoire import csvsafe
from observatoire.workspaces import partner_required, staff_required

from .. import downloads
from ..models import ApiToken, Download, Publication
from ..tokens import create_token, revoke_token
from .exports import TRUE


def is_partner(user) -> bool:
    """For the API; the pages ask observatoire.workspaces, which the site's menu follows too."""
    return user.is_staff or user.groups.filter(name="partner").exists()


class TokenForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Token name"), max_length=100)


def _portal(request, *, form=None, new_key=None, status=200):
    context = {
        "account": getattr(request.user, "partner_account", None),
        "publications": Publication.objects.published().prefetch_related("files"),
        "downloads": Download.objects.filter(user=request.user).select_related(
            "publication", "file"
        )[:50],
        "tokens": ApiToken.objects.filter(user=request.user),
        "form": form or TokenForm(),
        "new_key": new_key,
    }
    return render(request, "publications/portal.html", context, status=status)


@partner_required
def portal(request):
    return _portal(request)


@partner_required
@require_POST
def token_create(request):
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _portal(request, form=form, status=400)
    _token, key = create_token(request.user, form.cleaned_data["name"])
    # Rendered, not redirected: the key is in this response only and is never stored.
    response = _portal(request, new_key=key)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def token_revoke(request, token_id):
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user)
    revoke_token(token)
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("publications:portal")


@staff_required
def download_report(request):
    context = {
        "per_partner": downloads.per_partner(),
        "per_publication": downloads.per_publication(),
        "recent": Download.objects.select_related("user", "organisation", "publication")[:100],
    }
    return render(request, "publications/download_report.html", context)


class _Echo:
    def write(self, value):
        return value


@staff_required
def download_csv(request):
    rows = (
        Download.objects.order_by("at", "pk")
        .values_list(
            "at",
            "user__username",
            "organisation__name",
            "publication__slug",
            "file__title",
            "export",
            "filters",
        )
        .iterator(chunk_size=2000)
    )
    # `filters` is the raw query string a visitor sent: csvsafe keeps it from running as a formula.
    writer = csvsafe.writer(_Echo(), lineterminator="\r\n")
    header = ["when", "user", "organisation", "publication", "file", "export", "filters"]

    def lines():
        if request.GET.get("bom", "").lower() in TRUE:
            yield "\ufeff"
        yield writer.writerow(header)
        for at, *rest in rows:
            yield writer.writerow([at.isoformat(), *("" if v is None else v for v in rest)])

    response = StreamingHttpResponse(
        (line.encode("utf-8") for line in lines()), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="downloads.csv"'
    return response
