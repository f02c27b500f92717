"""What crawlers read: the sitemap (published pages only, in French and English) and robots.txt.

At national scale the sitemap lists 85,000 initiatives and 40,000 organisations in two languages.
Django's i18n sitemaps pair every row with each language in a list before paginating, so every
file (and the index, to count them) read and built every row of its section: 8.3 s and 26.7 MB
for one file of initiatives, 4.3 s for the index. Here a section is counted and sliced by SQL
(`_Pairs`): a file reads only its own rows, the index only counts them, and a file holds
URLS_PER_FILE addresses (sitemaps.org allows up to 50,000), each row's address built once per
language.
"""

import math
from collections.abc import Sequence

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.db import connection
from django.db.models import BooleanField, Max, Q
from django.db.models.expressions import RawSQL
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.functional import cached_property

from agenda.models import Event
from initiatives.counts import published_places
from initiatives.models import Initiative, Organisation, Pole
from publications.models import Publication
from terrain.models import Finding
from territoires.models import Territory

# Addresses per sitemap file: a file is read and rendered in a fraction of a second. A multiple of
# the number of languages, so that a file holds every language of each of its rows.
URLS_PER_FILE = 5000


class _Pairs(Sequence):
    """The (row, language) pairs of an ordered queryset, as Django's i18n sitemaps pair them,
    counted and sliced by SQL: the paginator's count is one COUNT, a page reads its rows only."""

    def __init__(self, rows, languages):
        self.rows, self.languages = rows, list(languages)

    @cached_property
    def _count(self) -> int:
        return self.rows.count() * len(self.languages)

    def count(self) -> int:
        return self._count

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop, _step = index.indices(len(self))
        size = len(self.languages)
        first, last = start // size, math.ceil(stop / size)
        pairs = [(row, code) for row in self.rows[first:last] for code in self.languages]
        return pairs[start - first * size : stop - first * size]


class _Bilingual(Sitemap):
    """Every page in each language, each entry naming its translations (hreflang)."""

    i18n = True
    alternates = True
    x_default = True
    limit = URLS_PER_FILE

    @cached_property
    def paginator(self):
        """One per request: the index asks it for the number of files of the section."""
        return super().paginator

    def _location(self, item, force_lang_code=None):
        """Each row's address in each language built once: Django asks for it four times per
        entry (the entry, its two translations, x-default), a language switch and a reverse()
        each time."""
        obj, code = item
        key = (getattr(obj, "pk", obj), force_lang_code or code)
        built = self.__dict__.setdefault("_built", {})
        if key not in built:
            built[key] = super()._location(item, force_lang_code)
        return built[key]


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
    """A model's published rows by id (a row keeps its file as others are published), with the
    columns their addresses and dates need (`fields`); counted and sliced by SQL (`_Pairs`)."""

    model = None
    fields = ("slug", "updated_at")

    def items(self):
        return self.model.objects.published().order_by("pk").only(*self.fields)

    def _items(self):
        return _Pairs(self.items(), self._languages())

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


class PublicationSitemap(_PublishedSitemap):
    """Published and past their embargo (`published()`), partners-only ones included: their page
    is public, only their files are not."""

    model = Publication


class FindingSitemap(_PublishedSitemap):
    model = Finding


class EventSitemap(_PublishedSitemap):
    """Every published event, past ones too: an event's page stays as its record."""

    model = Event
    fields = ("updated_at",)  # its address is its id


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
        poles = (
            Pole.objects.published().order_by().values_list("territory__path", "territory__epci")
        )
        for rows in (published_places(), poles.distinct()):
            for path, epci in rows:
                # "r32/d62/c62178/" -> "r32/", "r32/d62/", "r32/d62/c62178/"
                paths.update(path[: i + 1] for i, char in enumerate(path) if char == "/")
                epcis.add(epci)
        epcis.discard(None)
        if not paths:
            return []
        if connection.vendor == "postgresql":  # two array parameters, not 12,000 (60 ms)
            listed = RawSQL(
                '("territoires_territory"."path" = ANY(%s) '
                'OR "territoires_territory"."id" = ANY(%s))',
                (sorted(paths), sorted(epcis)),
                output_field=BooleanField(),
            )
        else:
            listed = Q(path__in=paths) | Q(pk__in=epcis)
        places = Territory.objects.current().filter(listed).order_by("path")
        return list(places.values_list("level", "code"))  # what their addresses need

    def location(self, item):
        level, code = item
        return reverse("territoires:detail", kwargs={"level": level, "code": code})


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
