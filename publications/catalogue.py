"""The DCAT-AP 3 catalogue of what the observatory publishes as data, for partners' harvesters.

One `dcat:Dataset` per export of the data dictionary (`/donnees/`, the same specs as
`datapackage.json`), with a distribution per format, and one per published publication of kind
"dataset", with its files. Written with rdflib as Turtle or JSON-LD; tests validate it against
the official DCAT-AP 3.0.1 SHACL shapes. Only public reads: the exports' published rows (for the
dates) and `Publication.objects.published()`; a partners-only publication is listed with restricted
access and no file address, as the API lists it to the public.
"""

from django.conf import settings
from django.db.models import Max, Min, Prefetch
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS, XSD

from agenda.models import Event
from initiatives.models import Initiative, Organisation, Pole
from terrain.models import Finding

from .exports.formats import FORMATS
from .exports.kinds import SPECS
from .models import Audience, Kind, Licence, Publication
from .models.publication import LICENCE_URLS

EU = "http://publications.europa.eu/resource/authority/"
IANA = "https://www.iana.org/assignments/media-types/"
FRANCE = URIRef(EU + "country/FRA")
FRENCH = URIRef(EU + "language/FRA")
ENGLISH = URIRef(EU + "language/ENG")
CONTINUOUS = URIRef(EU + "frequency/CONT")
ACCESS = {
    Audience.EVERYONE: URIRef(EU + "access-right/PUBLIC"),
    Audience.PARTNERS: URIRef(EU + "access-right/RESTRICTED"),
}
# The EU file-type vocabulary, for the media types we serve or that staff upload most.
FILE_TYPES = {
    "text/csv": "CSV",
    "application/json": "JSON",
    "application/geo+json": "GEOJSON",
    "application/pdf": "PDF",
    "application/zip": "ZIP",
    "application/vnd.oasis.opendocument.spreadsheet": "ODS",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "XLSX",
    "application/vnd.ms-excel": "XLS",
    "application/xml": "XML",
}
DCAT_VERSION = URIRef(str(DCAT) + "version")  # DCAT 3; rdflib's namespace is DCAT 2
NDJSON_SPEC = URIRef("https://github.com/ndjson/ndjson-spec")
LANGUAGES = ("fr", "en")
PUBLISHER_NAME = "Observatoire des initiatives coopératives"
CONTEXT = {
    "dcat": str(DCAT),
    "dct": str(DCTERMS),
    "foaf": str(FOAF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
}
# What each export's dates are read from: its published rows.
SOURCES = {
    "initiatives": Initiative,
    "organisations": Organisation,
    "ptces": Pole,
    "territories": Initiative,  # territories are listed for their published initiatives
    "findings": Finding,
    "events": Event,
}


def catalogue(base: str) -> Graph:
    """The whole catalogue; `base` is the site's scheme and host ("https://example.org").

    Its addresses are those of the default language, whichever language asked: a dataset keeps
    one identifier."""
    with translation.override(settings.LANGUAGE_CODE):
        return _Builder(base).build()


def serialize(graph: Graph, fmt: str) -> str:
    if fmt == "jsonld":
        return graph.serialize(format="json-ld", context=CONTEXT, indent=2, auto_compact=True)
    return graph.serialize(format="turtle")


def media_type(value: str) -> str:
    """The type without its parameters: "text/csv; charset=utf-8" gives "text/csv"."""
    return value.split(";")[0].strip().lower()


class _Builder:
    def __init__(self, base: str):
        self.base = base.rstrip("/")
        self.graph = Graph(bind_namespaces="core")
        for prefix, namespace in CONTEXT.items():
            self.graph.bind(prefix, namespace)

    def url(self, path: str) -> URIRef:
        return URIRef(self.base + path)

    def add(self, subject, predicate, value) -> None:
        self.graph.add((subject, predicate, value))

    def typed(self, node, *classes):
        """A node of the classes DCAT-AP expects there (its shapes check each range)."""
        for cls in classes:
            self.add(node, RDF.type, cls)
        return node

    def in_languages(self, subject, predicate, text) -> None:
        """A translated string in French and English, each tagged with its language."""
        for code in LANGUAGES:
            with translation.override(code):
                self.add(subject, predicate, Literal(str(text), lang=code))

    def build(self) -> Graph:
        dictionary = reverse("publications:dictionary")
        catalog = self.typed(self.url(dictionary + "#catalogue"), DCAT.Catalog)
        self.in_languages(catalog, DCTERMS.title, _("Observatory of cooperative initiatives"))
        self.in_languages(
            catalog,
            DCTERMS.description,
            _(
                "The data the observatory publishes: its directory of cooperative initiatives, "
                "their actors and territories, its findings and agenda, and the datasets of its "
                "publications."
            ),
        )
        self.add(catalog, DCTERMS.publisher, self.publisher())
        self.add(catalog, FOAF.homepage, self.typed(self.url(reverse("home")), FOAF.Document))
        self.add(catalog, DCTERMS.license, self.licence(Licence.ETALAB_2))
        for language in (FRENCH, ENGLISH):
            self.add(catalog, DCTERMS.language, self.typed(language, DCTERMS.LinguisticSystem))
        self.add(catalog, DCTERMS.spatial, self.typed(FRANCE, DCTERMS.Location))
        latest = []
        for spec in SPECS.values():
            dataset, modified = self.export_dataset(spec, dictionary)
            self.add(catalog, DCAT.dataset, dataset)
            latest.append(modified)
        for publication in _dataset_publications():
            self.add(catalog, DCAT.dataset, self.publication_dataset(publication))
            latest.append(publication.updated_at)
        latest = [moment for moment in latest if moment]
        if latest:
            self.add(catalog, DCTERMS.modified, Literal(max(latest), datatype=XSD.dateTime))
        return self.graph

    def publisher(self) -> URIRef:
        agent = self.typed(self.url(reverse("home") + "#observatoire"), FOAF.Agent)
        self.typed(agent, FOAF.Organization)
        self.add(agent, FOAF.name, Literal(PUBLISHER_NAME, lang="fr"))
        return agent

    def licence(self, licence) -> URIRef | None:
        address = LICENCE_URLS.get(licence)
        return self.typed(URIRef(address), DCTERMS.LicenseDocument) if address else None

    def common(self, dataset, *, access) -> None:
        self.add(dataset, DCTERMS.publisher, self.publisher())
        self.add(dataset, DCTERMS.accessRights, self.typed(access, DCTERMS.RightsStatement))

    def export_dataset(self, spec, dictionary: str):
        dataset = self.typed(self.url(f"{dictionary}#dataset-{spec.name}"), DCAT.Dataset)
        self.in_languages(dataset, DCTERMS.title, spec.title)
        self.in_languages(dataset, DCTERMS.description, spec.description)
        self.add(dataset, DCTERMS.identifier, Literal(spec.name))
        self.common(dataset, access=ACCESS[Audience.EVERYONE])
        self.add(dataset, DCTERMS.accrualPeriodicity, self.typed(CONTINUOUS, DCTERMS.Frequency))
        self.add(dataset, DCTERMS.spatial, self.typed(FRANCE, DCTERMS.Location))
        page = self.typed(self.url(f"{dictionary}#spec-{spec.name}"), FOAF.Document)
        self.add(dataset, DCAT.landingPage, page)
        self.in_languages(dataset, DCAT.keyword, _("social and solidarity economy"))
        self.in_languages(dataset, DCAT.keyword, spec.title)
        dates = self.dates(SOURCES[spec.name])
        if dates["first"]:
            self.add(dataset, DCTERMS.issued, Literal(dates["first"], datatype=XSD.dateTime))
        if dates["last"]:
            self.add(dataset, DCTERMS.modified, Literal(dates["last"], datatype=XSD.dateTime))
        for fmt, served_as in FORMATS.items():
            if fmt == "geojson" and not spec.has_geometry:
                continue
            download = self.url(
                reverse("publications:export", kwargs={"name": spec.name, "fmt": fmt})
            )
            distribution = self.typed(
                self.url(f"{dictionary}#dataset-{spec.name}-{fmt}"), DCAT.Distribution
            )
            self.add(dataset, DCAT.distribution, distribution)
            self.add(distribution, DCTERMS.title, Literal(f"{spec.name}.{fmt}"))
            self.add(distribution, DCAT.accessURL, page)
            self.add(distribution, DCAT.downloadURL, download)
            self.add(distribution, DCTERMS.license, self.licence(Licence.ETALAB_2))
            self.describe_format(distribution, media_type(served_as))
        return dataset, dates["last"]

    def dates(self, model) -> dict:
        """The first publication and the last change of the model's published rows, read once
        per model (the territories' dataset is dated by the initiatives: 50 ms each at 100,000)."""
        cache = self.__dict__.setdefault("_dates", {})
        if model not in cache:
            published = model.objects.published()
            cache[model] = published.aggregate(first=Min("published_at"), last=Max("updated_at"))
        return cache[model]

    def describe_format(self, distribution, kind: str) -> None:
        if kind == "application/x-ndjson":
            # Not in IANA's registry nor in the EU file types: named, with its specification.
            described = self.typed(BNode(), DCTERMS.MediaTypeOrExtent)
            self.add(described, RDFS.label, Literal("NDJSON"))
            self.add(distribution, DCTERMS.format, described)
            self.add(distribution, DCTERMS.conformsTo, self.typed(NDJSON_SPEC, DCTERMS.Standard))
            return
        if "/" in kind and "/x-" not in kind:
            self.add(
                distribution, DCAT.mediaType, self.typed(URIRef(IANA + kind), DCTERMS.MediaType)
            )
        if kind in FILE_TYPES:
            file_type = URIRef(EU + "file-type/" + FILE_TYPES[kind])
            self.add(distribution, DCTERMS.format, self.typed(file_type, DCTERMS.MediaTypeOrExtent))

    def publication_dataset(self, publication) -> URIRef:
        page = self.typed(self.url(publication.get_absolute_url()), FOAF.Document)
        dataset = self.typed(URIRef(f"{page}#dataset"), DCAT.Dataset)
        self.add(dataset, DCTERMS.title, Literal(publication.title))
        self.add(dataset, DCTERMS.description, Literal(publication.abstract or publication.title))
        self.add(dataset, DCTERMS.identifier, Literal(publication.slug))
        self.add(dataset, DCAT.landingPage, page)
        self.add(dataset, DCAT_VERSION, Literal(publication.version))
        self.add(dataset, DCTERMS.issued, Literal(publication.date, datatype=XSD.date))
        self.add(dataset, DCTERMS.modified, Literal(publication.updated_at, datatype=XSD.dateTime))
        self.common(dataset, access=ACCESS[publication.audience])
        for name in publication.author_list:
            author = self.typed(BNode(), FOAF.Agent, FOAF.Person)
            self.add(author, FOAF.name, Literal(name))
            self.add(dataset, DCTERMS.creator, author)
        keywords = {
            tag.name for item in publication.public_initiatives for tag in item.themes.all()
        }
        for keyword in sorted(keywords):
            self.add(dataset, DCAT.keyword, Literal(keyword, lang="fr"))
        for territory in publication.territories.all():
            place = self.typed(self.url(territory.get_absolute_url()), DCTERMS.Location)
            self.add(place, RDFS.label, Literal(territory.name, lang="fr"))
            self.add(dataset, DCTERMS.spatial, place)
        if publication.audience == Audience.EVERYONE:
            for item in publication.files.all():
                self.add(dataset, DCAT.distribution, self.file_distribution(publication, item))
        return dataset

    def file_distribution(self, publication, item) -> URIRef:
        address = self.url(item.get_absolute_url())
        distribution = self.typed(URIRef(f"{address}#distribution"), DCAT.Distribution)
        self.add(distribution, DCTERMS.title, Literal(item.title))
        self.add(distribution, DCAT.accessURL, address)
        self.add(distribution, DCAT.downloadURL, address)
        self.add(distribution, DCAT.byteSize, Literal(item.size, datatype=XSD.nonNegativeInteger))
        licence = self.licence(publication.licence)
        if licence is not None:
            self.add(distribution, DCTERMS.license, licence)
        else:
            rights = self.typed(BNode(), DCTERMS.RightsStatement)
            self.add(rights, RDFS.label, Literal(publication.get_licence_display()))
            self.add(distribution, DCTERMS.rights, rights)
        if item.media_type:
            self.describe_format(distribution, media_type(item.media_type))
        return distribution


def _dataset_publications():
    initiatives = Initiative.objects.published().prefetch_related("themes")
    return (
        Publication.objects.published()
        .filter(kind=Kind.DATASET)
        .order_by("-date", "pk")
        .prefetch_related(
            "files",
            "territories",
            Prefetch("initiatives", initiatives, to_attr="public_initiatives"),
        )
    )
