"""Site-wide pages: home, search, health, signing in."""

from django.contrib.auth import views as auth_views
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from carte.teaser import france_teaser
from initiatives.counts import published_totals
from initiatives.models import Initiative, Pole

from . import search as site_search
from .cache import public_page
from .startup import broker_problem, database_problem
from .workspaces import landing_url


@public_page
def home(request):
    initiatives, territories = published_totals()
    latest = (
        Initiative.objects.published()
        .select_related("territory")
        .only("name", "slug", "summary", "territory__name")
        .order_by("-published_at", "-id")  # the order of its index (initiatives 0022)
    )
    context = {
        "latest_initiatives": latest[:6],
        "figures": {
            "initiatives": initiatives,
            "territories": territories,
            "poles": Pole.objects.published().count(),
        },
        "teaser": france_teaser(),
    }
    return render(request, "home.html", context)


@never_cache
def health(request):
    """200 when the database and the broker answer, 503 naming the one that does not.

    `workers` counts the Celery workers seen in the last minute; with none, uploads wait
    unprocessed: the site still serves (200) but says it is "degraded".
    """
    from medias.workers import workers_seen

    checks = {"database": database_problem(), "broker": broker_problem()}
    body = {name: problem or "ok" for name, problem in checks.items()}
    status = 503 if any(checks.values()) else 200
    body["workers"] = None if checks["database"] else workers_seen()
    if status != 200:
        body["status"] = "unavailable"
    else:
        body["status"] = "ok" if body["workers"] else "degraded"
    return JsonResponse(body, status=status)


@public_page
def search(request):
    """/recherche/?q=: all kinds of results, or one (`type`) paginated; bad parameters say so."""
    notices = []
    kind = request.GET.get("type") or None
    if kind not in site_search.KINDS and kind is not None:
        notices.append(_("Unknown kind of result; showing them all."))
        kind = None
    results = site_search.search(
        request.GET.get("q", ""),
        kind=kind,
        page=request.GET.get("page", 1),
        everywhere=request.GET.get("partout") == "1",
    )
    if results.truncated:
        notices.append(
            _("Your search was shortened to its first %(count)d characters.")
            % {"count": site_search.MAX_QUERY_LENGTH}
        )
    context = {"results": results, "kind": kind, "notices": notices}
    return render(request, "search.html", context)


class LoginView(auth_views.LoginView):
    """Django's sign-in; without a `next`, each role lands where its work is, not at home."""

    def get_default_redirect_url(self):
        return landing_url(self.request.user)
