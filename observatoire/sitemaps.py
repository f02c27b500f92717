"""What crawlers read: the sitemap (published pages only, in French and English) and robots.txt."""

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max, Q
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation

from initiatives.models import Initiative, Organisation, Pole
from territoires.models import Territory


class _Bilingual(Sitemap):
    """Every page in each language, each entry naming its translations (hreflang)."""

    i18n = True
    alternates = True
    x_default = True


class StaticSitemap(_Bilingual):
    changefreq = "daily"

    def items(self):
        return ["home", "initiatives:list", "territoires:list", "initiatives:poles"]

    def location(self, item):
        return reverse(item)


class _PublishedSitemap(_Bilingual):
    """A model's published rows, the latest change first (the index reads one aggregate)."""

    model = None

    def items(self):
        return self.model.objects.published().order_by("-updated_at", "pk")

    def lastmod(self, item):
        return item.updated_at

    def get_latest_lastmod(self):
        return self.model.objects.published().aggregate(latest=Max("updated_at"))["latest"]


class InitiativeSitemap(_PublishedSitemap):
    model = Initiative


class OrganisationSitemap(_PublishedSitemap):
    model = Organisation


class PoleSitemap(_PublishedSitemap):
    model = Pole


class TerritorySitemap(_Bilingual):
    """Territories that hold published initiatives or PTCEs, with the places above them.

    Not the 35,000 communes: a page with nothing published on it is not worth a crawler's visit.
    """

    def items(self):
        paths, epcis = set(), set()
        for model in (Initiative, Pole):
            rows = model.objects.published().values_list("territory__path", "territory__epci")
            for path, epci in rows.distinct():
                # "r32/d62/c62178/" -> "r32/", "r32/d62/", "r32/d62/c62178/"
                paths.update(path[: i + 1] for i, char in enumerate(path) if char == "/")
                epcis.add(epci)
        epcis.discard(None)
        if not paths:
            return Territory.objects.none()
        return (
            Territory.objects.current().filter(Q(path__in=paths) | Q(pk__in=epcis)).order_by("path")
        )


SITEMAPS = {
    "pages": StaticSitemap,
    "initiatives": InitiativeSitemap,
    "acteurs": OrganisationSitemap,
    "ptce": PoleSitemap,
    "territoires": TerritorySitemap,
}


def robots_txt(request):
    """Crawlers: everything public, not the admin nor the account pages, in every language."""
    disallow = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            root = reverse("home")
        disallow += [f"{root}admin/", f"{root}comptes/"]
    context = {
        "disallow": disallow,
        "sitemap_url": request.build_absolute_uri(reverse("sitemap-index")),
    }
    return render(request, "robots.txt", context, content_type="text/plain; charset=utf-8")
