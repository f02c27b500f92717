"""Seasons, visits, interviews and consent: quick entry, phone first."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from initiatives.models import Person
from medias.downloads import attachment
from observatoire.workspaces import fieldwork_required

from .. import route, services
from ..access import in_season, log_access, season_view, staff_only
from ..forms import ConsentForm, IntervieweeForm, InterviewForm, VisitForm, consent_form_types
from ..models import AccessLog, Consent, Interview, Interviewee, Season, Visit

VISITS_PER_PAGE = route.VISITS_PER_PAGE


@fieldwork_required  # a partner or a signed-in visitor is refused, not shown an empty workspace
def season_list(request):
    seasons = Season.objects.for_user(request.user).annotate(visit_count=Count("visits"))
    return render(request, "terrain/season_list.html", {"seasons": seasons})


@season_view
def season_detail(request, season):
    # A season gathers hundreds of visits (the benchmark's: 500): drawing them all took the
    # page 18 x its floor. A page of them at a time, in their order, with the number of them.
    visits = route.visits_page(season, request.GET.get("page"))
    findings = season.findings.order_by("-updated_at")
    return render(
        request,
        "terrain/season_detail.html",
        {"season": season, "visits": visits, "findings": findings},
    )


@season_view
def visit_create(request, season):
    form = VisitForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        visit = form.save(commit=False)
        visit.season = season
        visit.save()
        form.save_m2m()
        messages.success(request, _("Visit saved. Add its interviews."))
        return redirect("terrain:interview-create", season=season.pk, visit=visit.pk)
    return render(request, "terrain/visit_form.html", {"season": season, "form": form})


@season_view
def interview_create(request, season, visit):
    visit = in_season(season, Visit, pk=visit)
    form = InterviewForm(request.POST or None, prefix="interview")
    person_form = IntervieweeForm(
        request.POST or None, prefix="person", season=season, user=request.user
    )
    if request.method == "POST" and form.is_valid() and person_form.is_valid():
        with transaction.atomic():
            interview = form.save(commit=False)
            interview.visit = visit
            interview.date = interview.date or visit.date
            interview.save()
            interview.interviewers.add(request.user)
            _add_interviewee(interview, person_form.cleaned_data)
        return redirect(interview.get_absolute_url())
    return render(
        request,
        "terrain/interview_form.html",
        {"season": season, "visit": visit, "form": form, "person_form": person_form},
    )


def _add_interviewee(interview, data) -> Interviewee:
    person = data.get("person")
    if person is None:
        base = slugify(f"{data['first_name']} {data['last_name']}") or "person"
        slug, n = base, 1
        while Person.objects.filter(slug=slug).exists():
            n += 1
            slug = f"{base}-{n}"
        person = Person.objects.create(
            first_name=data["first_name"], last_name=data["last_name"], slug=slug
        )
    interviewee, _created = Interviewee.objects.get_or_create(
        interview=interview,
        person=person,
        defaults={"role": data.get("role", ""), "speaker_label": data.get("speaker_label", "")},
    )
    Consent.objects.get_or_create(interviewee=interviewee)
    return interviewee


@season_view
@require_http_methods(["GET", "POST"])
def interviewee_add(request, season, pk):
    """The form adding an interviewee (GET: htmx brings it into the reader when its "Add"
    opens, its picker holding every person the researcher may pick; without htmx, on a page of
    its own), and the adding (POST, back to the reader)."""
    interview = in_season(season, Interview, pk=pk)
    if request.method == "GET":
        form = IntervieweeForm(prefix="person", season=season, user=request.user)
        context = {"season": season, "interview": interview, "person_form": form}
        if request.headers.get("HX-Request") == "true":
            return render(request, "terrain/_interviewee_form.html", context)
        return render(request, "terrain/interviewee_add.html", context)
    form = IntervieweeForm(request.POST, prefix="person", season=season, user=request.user)
    if form.is_valid():
        _add_interviewee(interview, form.cleaned_data)
        messages.success(request, _("Interviewee added."))
    else:
        # Every message, the refused person's included ("Select a valid choice").
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(interview.get_absolute_url())


@season_view
def consent_edit(request, season, pk):
    interviewee = in_season(
        season,
        Interviewee,
        queryset=Interviewee.objects.select_related("person", "interview__visit"),
        pk=pk,
    )
    consent, _created = Consent.objects.get_or_create(interviewee=interviewee)
    consent.interviewee = interviewee  # the form's link to the signed form needs its season
    form = ConsentForm(request.POST or None, request.FILES or None, instance=consent)
    if request.method == "POST" and "withdraw" in request.POST:
        services.withdraw_consent(consent, by=request.user)
        messages.success(
            request, _("Consent withdrawn: the quotes of this person are no longer public.")
        )
        return redirect(interviewee.interview.get_absolute_url())
    if request.method == "POST" and form.is_valid():
        form.save()
        services.refresh_public_quotes(
            services.consent.findings_of_interview(interviewee.interview_id)
        )
        messages.success(request, _("Consent saved."))
        return redirect(interviewee.interview.get_absolute_url())
    return render(
        request,
        "terrain/consent_form.html",
        {"season": season, "interviewee": interviewee, "consent": consent, "form": form},
        status=400 if request.method == "POST" else 200,  # a refused form says why, in a 4xx
    )


@season_view
def consent_file(request, season, pk):
    """The signed consent form of interviewee `pk`: to the season's researchers and to staff
    only (anyone else gets a 404), downloaded, never shown inline; every reading is logged."""
    consent = in_season(
        season,
        Consent,
        queryset=Consent.objects.select_related("interviewee__interview"),
        interviewee=pk,
    )
    # Only a type the upload checks accepted is announced; anything older is plain bytes.
    checked = consent.signed_form_type in consent_form_types()
    response = attachment(
        consent.signed_form,
        consent.signed_form_type if checked else "application/octet-stream",
    )
    log_access(
        request,
        AccessLog.Action.DOWNLOAD,
        AccessLog.Target.CONSENT,
        interview=consent.interviewee.interview,
        season=season,
    )
    return response


@login_required
def access_log(request):
    """Staff read who viewed or downloaded which recording or transcript, and when."""
    staff_only(request.user)
    entries = AccessLog.objects.select_related("user", "interview", "season")
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "terrain/access_log.html", {"page": page})
