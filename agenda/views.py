"""The public agenda (list, month, event, .ics feed) and the actors' proposal and import pages."""

import calendar
import datetime as dt

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dates import WEEKDAYS, WEEKDAYS_ABBR
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import ics, selectors, services
from .filters import EventFilterSet
from .forms import IcsUploadForm, ProposalForm, RefusalForm
from .models import Event

PAGE_SIZE = 20


def _filtered(request):
    return EventFilterSet(request.GET or None, queryset=selectors.published_events())


def event_list(request):
    filterset = _filtered(request)
    upcoming = selectors.upcoming_occurrences(filterset.qs)
    page = Paginator(upcoming, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "agenda/event_list.html",
        {"filterset": filterset, "page": page, "today": timezone.localdate()},
    )


def month(request, year, month):
    if not (1 <= month <= 12 and 1900 <= year <= 2200):
        raise Http404
    filterset = _filtered(request)
    tz = timezone.get_current_timezone()
    first = dt.datetime(year, month, 1, tzinfo=tz)
    after = dt.datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=tz)
    events = selectors.month_occurrences(filterset.qs, first, after)
    by_day = {}
    for event in events:
        start = timezone.localtime(event.starts_at).date()
        end = timezone.localtime(event.ends_at).date() if event.ends_at else start
        day = max(start, first.date())
        while day <= end and day < after.date():
            by_day.setdefault(day, []).append(event)
            day += dt.timedelta(days=1)
    weeks = [
        [(day, by_day.get(day, []), day.month == month) for day in week]
        for week in calendar.Calendar().monthdatescalendar(year, month)
    ]
    previous = first - dt.timedelta(days=1)
    return render(
        request,
        "agenda/month.html",
        {
            "filterset": filterset,
            "weeks": weeks,
            "month_start": first.date(),
            "previous": previous.date(),
            "next": after.date(),
            # Monday first; Django's translated names ("lun." in French), not the C locale's "Mon".
            "weekdays": [(WEEKDAYS[day], WEEKDAYS_ABBR[day]) for day in range(7)],
        },
    )


def detail(request, pk):
    event = get_object_or_404(
        Event.objects.visible_to(request.user).select_related(
            "territory", "organiser", "recurrence_of"
        ),
        pk=pk,
    )
    dates = selectors.next_dates(event, request.user) if event.repeats else []
    return render(request, "agenda/event_detail.html", {"event": event, "dates": dates})


def feed(request):
    """`/agenda.ics`, with the same filters as the list (`?territoire=region:84&type=webinar`).

    A filter value that is not understood answers 400: a subscription to a mistyped link would
    otherwise quietly bring the whole agenda into someone's calendar.
    """
    filterset = _filtered(request)
    if filterset.is_bound and not filterset.is_valid():
        problems = [
            f"{filterset.form.fields[name].label} ({name}): {' '.join(errors)}"
            for name, errors in filterset.form.errors.items()
        ]
        body = _("This calendar filter is not understood:") + "\n" + "\n".join(problems) + "\n"
        return HttpResponse(body, status=400, content_type="text/plain; charset=utf-8")
    body = ics.build_calendar(
        filterset.qs, name=_("Shared agenda"), url=request.build_absolute_uri("/").rstrip("/")
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="agenda.ics"'
    return response


def _may_propose(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not request.user.has_perm("agenda.add_event"):
        raise Http404
    return None


def propose(request):
    if (refusal := _may_propose(request)) is not None:
        return refusal
    form = ProposalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        event = form.save(commit=False)
        try:
            services.propose(
                event,
                by=request.user,
                themes=form.cleaned_data["themes"],
                initiatives=form.cleaned_data["initiatives"],
                poles=form.cleaned_data["poles"],
            )
        except services.AgendaError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Thank you: the event will appear once staff publish it."))
            return redirect("agenda:list")
    return render(request, "agenda/propose.html", {"form": form})


def import_ics(request):
    if (refusal := _may_propose(request)) is not None:
        return refusal
    form = IcsUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.import_ics(
                form.cleaned_data["file"].read(),
                by=request.user,
                organiser=form.cleaned_data["organiser"],
            )
        except services.AgendaError as exc:
            form.add_error("file", str(exc))
        else:
            for level, text in result.summary():
                getattr(messages, level)(request, text)  # "success" or "warning"
            return redirect("agenda:import")
    return render(request, "agenda/import.html", {"form": form}, status=400 if form.errors else 200)


def _staff(request):
    if not (request.user.is_authenticated and request.user.is_staff):
        raise Http404


def moderation(request):
    _staff(request)
    # A changed occurrence is decided with its series: only the series is listed.
    proposals = Event.objects.filter(state="draft", recurrence_of=None).select_related(
        "territory", "organiser", "proposed_by"
    )
    return render(
        request,
        "agenda/moderation.html",
        {"proposals": proposals, "refusal_form": RefusalForm()},
    )


def edit(request, pk):
    """Staff correct an event before publishing it (or after): every field of the proposal."""
    _staff(request)
    event = get_object_or_404(Event, pk=pk)
    initial = {
        "themes": event.themes.all(),
        "initiatives": event.initiatives.all(),
        "poles": event.poles.all(),
    }
    form = ProposalForm(request.POST or None, instance=event, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update(
                form.save(commit=False),
                themes=form.cleaned_data["themes"],
                initiatives=form.cleaned_data["initiatives"],
                poles=form.cleaned_data["poles"],
            )
        except services.AgendaError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("“%(title)s” was saved.") % {"title": event.title})
            return redirect(event if event.is_published else "agenda:moderation")
    status = 400 if form.errors else 200
    return render(request, "agenda/propose.html", {"form": form, "event": event}, status=status)


@require_POST
def moderate(request, pk):
    _staff(request)
    event = get_object_or_404(Event.objects.select_related("proposed_by"), pk=pk)
    site_url = request.build_absolute_uri("/")
    if request.POST.get("decision") == "publish":
        try:
            services.publish(event, by=request.user, site_url=site_url)
        except services.AgendaError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("“%(title)s” is published.") % {"title": event.title})
    else:
        form = RefusalForm(request.POST)
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        services.refuse(event, by=request.user, reason=reason, site_url=site_url)
        messages.success(request, _("“%(title)s” is refused.") % {"title": event.title})
    return redirect("agenda:moderation")
