"""Staff create and edit the directory from its public pages ("Modifier" on a profile).

Each view reads the form and calls `services.edit_entry` (and so `save_entry`, the one write path
of the directory, with how="form"); an invalid form is shown again with its messages and a 400.
A visitor is sent to sign in; a signed-in person who is not staff gets a 403.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from territoires.lookup import resolve

from .. import companies, services
from ..duplicates import duplicate_step
from ..forms import (
    CallForInterestForm,
    InitiativeForm,
    MembershipFormSet,
    OrganisationForm,
    PersonForm,
    PoleForm,
    RoleForm,
)
from ..models import CallForInterest, Initiative, Organisation, Person, Pole, Role


def staff_only(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.is_staff:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return never_cache(wrapper)


def _save(request, form, **extra) -> object | None:
    """The form's row through the directory's write service, or None with the errors on the form."""
    try:
        return services.edit_entry(
            form.instance,
            form.changes() | extra,
            published=form.cleaned_data.get("published"),
            by=request.user,
            how="form",
        )
    except ValidationError as error:
        by_field = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
        for field, errors in by_field.items():
            form.add_error(field if field in form.fields else None, errors)
    except services.PublicationError as error:
        form.add_error("published", str(error))
    return None


def _render(request, template, context, form):
    context["cancel"] = resolve_url(context["cancel"])
    return render(request, template, context, status=400 if form.errors else 200)


def _entry(request, form, obj, *, title, cancel, template="initiatives/edit/entry_form.html"):
    step = None
    if request.method == "POST" and form.is_valid():
        if obj is None:
            # A new entry: its possible duplicates first, before anything is written.
            step = duplicate_step(form._meta.model, form.cleaned_data, request.POST)
            if step.same_as is not None:
                messages.info(
                    request,
                    _("“%(name)s” is already in the directory: here it is, to complete.")
                    % {"name": step.same_as},
                )
                return redirect(step.same_as)
        if (step is None or not step.needs_answer) and (saved := _save(request, form)):
            messages.success(request, _("“%(name)s” was saved.") % {"name": saved})
            return redirect(saved)
    context = {"form": form, "object": obj, "title": title, "cancel": cancel, "duplicates": step}
    context["register"] = companies.enabled()
    return _render(request, template, context, form)


@staff_only
def initiative_create(request):
    form = InitiativeForm(request.POST or None)
    return _entry(
        request,
        form,
        None,
        title=_("New initiative"),
        cancel="initiatives:list",
        template="initiatives/edit/initiative_form.html",
    )


@staff_only
def initiative_edit(request, slug):
    initiative = get_object_or_404(Initiative, slug=slug)
    form = InitiativeForm(request.POST or None, instance=initiative)
    return _entry(
        request,
        form,
        initiative,
        title=_("Edit “%(name)s”") % {"name": initiative},
        cancel=initiative.get_absolute_url(),
        template="initiatives/edit/initiative_form.html",
    )


@staff_only
def organisation_create(request):
    return _organisation(request, None)


@staff_only
def organisation_edit(request, slug):
    return _organisation(request, get_object_or_404(Organisation, slug=slug))


def _organisation(request, organisation):
    if request.method == "POST" and "fill" in request.POST:
        return _fill_from_register(request, organisation)
    form = OrganisationForm(request.POST or None, instance=organisation)
    title = _("Edit “%(name)s”") % {"name": organisation} if organisation else _("New organisation")
    cancel = organisation.get_absolute_url() if organisation else "initiatives:list"
    return _entry(request, form, organisation, title=title, cancel=cancel,
                  template="initiatives/edit/organisation_form.html")  # fmt: skip


def _fill_from_register(request, organisation):
    """The form again, its blanks filled from the national register's entry for the SIREN."""
    typed = request.POST.dict()
    form = OrganisationForm(typed, instance=organisation)
    siren = form.fields["siren"]
    status = 200
    try:
        siren.clean(typed.get("siren", ""))
        company = companies.lookup(typed.get("siren", ""))
    except ValidationError:
        status = 400  # the bound form says what is wrong with the SIREN (and anything else)
    except companies.CompanySearchError as error:
        form = OrganisationForm(initial=typed, instance=organisation)
        messages.error(request, str(error))
    else:
        if company is None:
            messages.warning(request, _("The register knows no company with this SIREN."))
        else:
            typed = companies.fill(typed, company)
            messages.success(
                request,
                _("Filled from the register: %(name)s. Check, then save.") % {"name": company.name},
            )
        form = OrganisationForm(initial=typed, instance=organisation)
    title = _("Edit “%(name)s”") % {"name": organisation} if organisation else _("New organisation")
    cancel = organisation.get_absolute_url() if organisation else "initiatives:list"
    context = {"form": form, "object": organisation, "title": title}
    context["cancel"] = resolve_url(cancel)
    context["register"] = companies.enabled()
    return render(request, "initiatives/edit/organisation_form.html", context, status=status)


@staff_only
def person_create(request):
    form = PersonForm(request.POST or None)
    return _person(request, form, None, _("New person"))


@staff_only
def person_edit(request, slug):
    person = get_object_or_404(Person, slug=slug)
    form = PersonForm(request.POST or None, instance=person)
    return _person(request, form, person, _("Edit “%(name)s”") % {"name": person})


def _back(request, default):
    """Where the form came from (`next`, a path on this site), or `default`."""
    back = request.GET.get("next") or request.POST.get("next") or ""
    return back if back.startswith("/") and not back.startswith("//") else default


def _person(request, form, person, title):
    # People have no public page of their own: back to where the person came from, or the list.
    back = _back(request, "initiatives:list")
    if request.method == "POST" and form.is_valid() and (saved := _save(request, form)):
        messages.success(request, _("“%(name)s” was saved.") % {"name": saved})
        return redirect(back)
    context = {"form": form, "object": person, "title": title, "cancel": back, "next": back}
    return _render(request, "initiatives/edit/entry_form.html", context, form)


@staff_only
def pole_create(request):
    return _pole(request, None)


@staff_only
def pole_edit(request, slug):
    return _pole(request, get_object_or_404(Pole, slug=slug))


def _pole(request, pole):
    form = PoleForm(request.POST or None, instance=pole)
    members = MembershipFormSet(request.POST or None, instance=pole or Pole(), prefix="members")
    if request.method == "POST" and form.is_valid() and members.is_valid():
        saved = _save(request, form)
        if saved is not None:
            rows = [
                (f.instance, f.changes())
                for f in members.forms
                if f.has_changed() and f not in members.deleted_forms and f.cleaned_data
            ]
            try:
                services.save_memberships(
                    saved, rows, [f.instance for f in members.deleted_forms], by=request.user
                )
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                messages.success(request, _("“%(name)s” was saved.") % {"name": saved})
                return redirect(saved)
    title = _("Edit “%(name)s”") % {"name": pole} if pole else _("New PTCE")
    context = {
        "form": form,
        "members": members,
        "object": pole,
        "title": title,
        "cancel": pole.get_absolute_url() if pole else resolve_url("initiatives:poles"),
    }
    status = 400 if form.errors or any(members.errors) or members.non_form_errors() else 200
    return render(request, "initiatives/edit/pole_form.html", context, status=status)


@staff_only
def call_create(request):
    """A new call for interest (AMI), then back to the PTCE form that needed it."""
    form = CallForInterestForm(request.POST or None)
    back = _back(request, "initiatives:pole-create")
    if request.method == "POST" and form.is_valid():
        try:
            call = services.save_entry(CallForInterest(), form.changes(), by=request.user)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("“%(name)s” was saved.") % {"name": call})
            return redirect(back)
    title = _("New call for interest (AMI)")
    context = {"form": form, "object": None, "title": title, "cancel": back, "next": back}
    return _render(request, "initiatives/edit/entry_form.html", context, form)


@staff_only
def role_edit(request, slug, pk=None):
    initiative = get_object_or_404(Initiative, slug=slug)
    role = get_object_or_404(Role, pk=pk, initiative=initiative) if pk else Role()
    form = RoleForm(request.POST or None, instance=role, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_entry(
                role, form.changes() | {"initiative": initiative}, by=request.user, how="form"
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("The role was saved."))
            return redirect("initiatives:edit", slug=initiative.slug)
    context = {
        "form": form,
        "object": role if pk else None,
        "initiative": initiative,
        "title": _("A role in “%(name)s”") % {"name": initiative},
        "cancel": initiative.get_absolute_url(),
    }
    return _render(request, "initiatives/edit/role_form.html", context, form)


@staff_only
@require_POST
def role_delete(request, slug, pk):
    role = get_object_or_404(Role, pk=pk, initiative__slug=slug)
    services.delete_entry(role, by=request.user, how="form")
    messages.success(request, _("The role was removed."))
    return redirect("initiatives:edit", slug=slug)


@staff_only
@require_GET
def territory_position(request):
    """Where the pin goes when a territory is chosen: the commune's centre, if it has one."""
    territory = resolve(request.GET.get("territoire", "")).territory
    if territory is None or territory.latitude is None or territory.longitude is None:
        return JsonResponse({"found": False})
    return JsonResponse(
        {"found": True, "latitude": territory.latitude, "longitude": territory.longitude}
    )
