"""Merging two directory entries (staff), and the old address of a merged entry (everyone)."""

from django.contrib import messages
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .. import services
from ..kinds import KINDS
from ..merging import carried, compare, find_entry, survivor_url
from .history import staff_only


def moved(model, slug):
    """A profile's missing slug: 301 to the survivor when it was merged away, else 404."""
    url = survivor_url(model, slug)
    if url is None:
        raise Http404
    return HttpResponsePermanentRedirect(url)


@staff_only
def merge_entries(request):
    """Pick two entries (or come from a duplicate candidate), compare them, choose, confirm."""
    data = request.POST if request.method == "POST" else request.GET
    kind = data.get("kind", "initiative")
    model = KINDS.get(kind)
    kinds = [(key, m._meta.verbose_name) for key, m in KINDS.items()]
    context = {
        "kinds": kinds,
        "kind": kind,
        "a_text": data.get("a", ""),
        "b_text": data.get("b", ""),
    }
    if model is None:
        context["error"] = _("Choose what kind of entries to merge.")
        return render(request, "initiatives/merge.html", context, status=400)
    if not (context["a_text"] and context["b_text"]):  # the picking form, maybe half filled
        return render(request, "initiatives/merge.html", context)
    first, second = find_entry(model, context["a_text"]), find_entry(model, context["b_text"])
    if first is None or second is None or first.pk == second.pk:
        context["error"] = _("Give two different entries, by their address or their slug.")
        return render(request, "initiatives/merge.html", context, status=400)
    if request.method == "POST":
        keep_first = data.get("survivor", "a") != "b"
        survivor, other = (first, second) if keep_first else (second, first)
        chosen = {}
        for row in compare(first, second):
            pick = data.get(f"pick_{row['name']}", row["pick"])
            from_survivor = (pick == "a") == keep_first
            chosen[row["name"]] = "survivor" if from_survivor else "other"
        merge = services.merge(survivor, other, choices=chosen, by=request.user)
        messages.success(
            request,
            _("“%(other)s” was merged into “%(survivor)s”; its address now leads here.")
            % {"other": merge.merged_name, "survivor": survivor},
        )
        survivor.refresh_from_db()
        if hasattr(survivor, "get_absolute_url"):
            return redirect(survivor.get_absolute_url())
        return redirect("initiatives:history", kind=kind, pk=survivor.pk)  # people: no profile
    context.update(
        first=first,
        second=second,
        rows=compare(first, second),
        carried=[carried(first), carried(second)],
    )
    return render(request, "initiatives/merge.html", context)
