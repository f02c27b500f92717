"""What crawlers read: the sitemap (published pages only, in French and English) and robots.txt."""

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.db.models import Q
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation

from agenda.models import Event
from initiatives.models import Initiative, Organisation, Pole
from publications.models import Publication
from terrain.models import Finding
from territoires.models import Territory


class _Bilingual(Sitemap):
    """Every page in each language, each entry naming its translations (hreflang)."""

    i18n = True
    alternates = True
    x_default = True


class StaticSitemap(_Bilingual):
    changefreq = "daily"

    def items(self):
        return [
            "home",
            "initiatives:list",
            "territoires:list",
            "initiatives:poles",
            "carte:map",
            "publications:list",
            "publications:dictionary",
            "findings:list",
            "agenda:list",
        ]

    def location(self, item):
        return reverse(item)


class _PublishedSitemap(_Bilingual):
    """A model's published rows, the latest change first, read once per request.

    Django pairs every row with each language to count the pages of the index, so the rows are
    read there anyway; the latest change is then the first row's, not a second query.
    """

    model = None

    def items(self):
        if not hasattr(self, "_rows"):
            self._rows = list(self.model.objects.published().order_by("-updated_at", "pk"))
        return self._rows

    def lastmod(self, item):
        return item.updated_at

    def get_latest_lastmod(self):
        rows = self.items()
        return rows[0].updated_at if rows else None


class InitiativeSitemap(_PublishedSitemap):
    model = Initiative


class OrganisationSitemap(_PublishedSitemap):
    model = Organisation


class PoleSitemap(_PublishedSitemap):
    model = Pole


class PublicationSitemap(_PublishedSitemap):
    """Published and past their embargo (`published()`), partners-only ones included: their page
    is public, only their files are not."""

    model = Publication


class FindingSitemap(_PublishedSitemap):
    model = Finding


class EventSitemap(_PublishedSitemap):
    """Every published event, past ones too: an event's page stays as its record."""

    model = Event


class TerritorySitemap(_Bilingual):
    """Territories that hold published initiatives or PTCEs, with the places above them.

    Not the 35,000 communes: a page with nothing published on it is not worth a crawler's visit.
    """

    def items(self):
        if not hasattr(self, "_rows"):
            self._rows = self._territories()
        return self._rows

    def _territories(self):
        paths, epcis = set(), set()
        for model in (Initiative, Pole):
            rows = model.objects.published().values_list("territory__path", "territory__epci")
            for path, epci in rows.distinct():
                # "r32/d62/c62178/" -> "r32/", "r32/d62/", "r32/d62/c62178/"
                paths.update(path[: i + 1] for i, char in enumerate(path) if char == "/")
                epcis.add(epci)
        epcis.discard(None)
        if not paths:
            return []
        return list(
            Territory.objects.current().filter(Q(path__in=paths) | Q(pk__in=epcis)).order_by("path")
        )


SITEMAPS = {
    "pages": StaticSitemap,
    "initiatives": InitiativeSitemap,
    "acteurs": OrganisationSitemap,
    "ptce": PoleSitemap,
    "territoires": TerritorySitemap,
    "publications": PublicationSitemap,
    "enseignements": FindingSitemap,
    "agenda": EventSitemap,
}


def sitemap_index(request):
    """Django's index, less the sections with nothing in them: the sitemaps.org schema wants at
    least one <url> in a sitemap. Each section's rows are read once (they are cached on it)."""
    sections = {name: sitemap() for name, sitemap in SITEMAPS.items()}
    listed = {name: section for name, section in sections.items() if section.paginator.count}
    return sitemap_views.index(request, listed, sitemap_url_name="sitemap-section")


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
        # Honoured by Bing and Yandex (not Google): the gate (observatoire/crawlers.py) holds
        # back the others.
        "crawl_delay": settings.CRAWL_DELAY,
    }
    return render(request, "robots.txt", context, content_type="text/plain; charset=utf-8")
