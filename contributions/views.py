"""The public's pages: propose an initiative, suggest a correction, claim a profile, confirm by
e-mail; and the claim holder's own edit page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from initiatives.duplicates import find_duplicates
from initiatives.models import Initiative
from observatoire.clients import client_ip

from . import services
from .forms import ClaimForm, CorrectionForm, HolderEditForm, NewInitiativeForm
from .models import Status


def _send(request, form, template, context, make, ask=None):
    """The path every public form takes: the address's budget, the honeypot, then the form.

    `ask(form)` may return a question for the person (context for the page) before anything is
    written: the possible duplicates of a new initiative.
    """
    context = {**context, "form": form}
    ip = client_ip(request)
    try:
        services.check_budget(ip)
        if request.method != "POST":
            return render(request, template, context)
        if form.is_spam():
            services.spend_budget(ip)
            form.add_error(
                None, _("This form was not sent: a field meant to stay empty was filled.")
            )
            return render(request, template, context, status=400)
        if not form.is_valid():
            return render(request, template, context, status=400)
        question = ask(form) if ask else None
        if question:
            return render(request, template, {**context, **question})
        services.spend_budget(ip)
        make(form, request.build_absolute_uri("/"))
    except services.ContributionError as exc:
        context["problem"] = str(exc)
        return render(request, template, context, status=exc.status)
    return redirect("contributions:sent")


def propose(request):
    form = NewInitiativeForm(request.POST or None)
    return _send(
        request,
        form,
        "contributions/propose.html",
        {"title": _("Propose an initiative")},
        lambda form, site: services.propose_new(form.proposed(), form.sender(), site_url=site),
        ask=_same_as_published,
    )


def _same_as_published(form):
    """Published entries the new one may duplicate, unless the person said it is another."""
    if form.cleaned_data.get("different"):
        return None
    candidates = [
        candidate
        for candidate in find_duplicates(Initiative, form.cleaned_data)
        if candidate.obj.is_published
    ]
    return {"duplicates": candidates} if candidates else None


def correct(request, slug):
    initiative = get_object_or_404(Initiative.objects.published(), slug=slug)
    form = CorrectionForm(request.POST or None, initiative=initiative)
    return _send(
        request,
        form,
        "contributions/propose.html",
        {"title": _("Suggest a correction"), "initiative": initiative},
        lambda form, site: services.propose_correction(
            initiative, form.changes(), form.current, form.sender(), site_url=site
        ),
    )


def claim(request, slug):
    initiative = get_object_or_404(Initiative.objects.published(), slug=slug)
    form = ClaimForm(request.POST or None)
    return _send(
        request,
        form,
        "contributions/claim.html",
        {"title": _("This is my initiative"), "initiative": initiative},
        lambda form, site: services.claim(
            initiative, form.cleaned_data["role"], form.sender(), site_url=site
        ),
    )


def sent(request):
    return render(request, "contributions/sent.html")


def confirm(request, token):
    """A GET shows a button (mail scanners follow links); the POST puts it in the queue."""
    try:
        if request.method == "POST":
            obj, _moved = services.confirm(token)
            return render(request, "contributions/confirmed.html", {"obj": obj})
        obj = services.load(token)
    except services.ContributionError as exc:
        return render(
            request, "contributions/confirm.html", {"problem": str(exc)}, status=exc.status
        )
    done = obj.status != Status.UNCONFIRMED
    template = "contributions/confirmed.html" if done else "contributions/confirm.html"
    return render(request, template, {"obj": obj})


@login_required
def holder_edit(request, slug):
    initiative = get_object_or_404(Initiative.objects.all(), slug=slug)
    holder = services.holder_claim(request.user, initiative)
    if holder is None:
        raise PermissionDenied
    form = HolderEditForm(request.POST or None, initiative=initiative)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in form.changes()}
        try:
            result = services.holder_edit(holder, values, form.current, by=request.user)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        except services.ContributionError as exc:
            form.add_error(None, str(exc))
        else:
            if isinstance(result, Initiative):
                messages.success(request, _("Your changes are published."))
            else:
                messages.success(
                    request, _("Thank you: your changes will appear once the team reviews them.")
                )
            return redirect(initiative)
    status = 400 if form.errors else 200
    context = {"form": form, "initiative": initiative, "claim": holder}
    return render(request, "contributions/holder_edit.html", context, status=status)
