"""Staff pages of a directory entry's history: its versions as diffs, and restoring one."""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import history, services
from ..kinds import KINDS


def staff_only(view):
    """The history names who changed what: it does not exist for anyone but staff (404)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not (request.user.is_authenticated and request.user.is_staff):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def _entry(kind, pk):
    if kind not in KINDS:
        raise Http404
    return get_object_or_404(KINDS[kind], pk=pk)


@staff_only
def entry_history(request, kind, pk):
    entry = _entry(kind, pk)
    page = history.versions(entry, request.GET.get("page"))
    context = {"entry": entry, "kind": kind, "page": page, "versions": page.versions}
    return render(request, "initiatives/history.html", context)


@staff_only
@require_POST
def restore_version(request, kind, pk, history_id):
    entry = _entry(kind, pk)
    version = get_object_or_404(entry.history.all(), history_id=history_id)
    try:
        services.restore(entry, version, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("initiatives:history", kind=kind, pk=pk)
    messages.success(
        request,
        _("The version of %(date)s was restored.")
        % {
            "date": formats.date_format(timezone.localtime(version.history_date), "DATETIME_FORMAT")
        },
    )
    return redirect("initiatives:history", kind=kind, pk=pk)
