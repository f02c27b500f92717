"""Cases and their attributes: kept in step with the fieldwork, and the researchers' own values.

`refresh_cases` makes the season's cases what the fieldwork says (a case per person
interviewed, a case per initiative met, each tied to its interviews) and the known attributes'
values what the platform knows now (role, région, département, PTCE, stage, themes). It writes
only the differences, in a fixed number of queries, so the pages call it on every read.
"""

from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from initiatives.models import Initiative, Stage
from observatoire.shredders import BaseShredder
from territoires.models import Level, Territory

from ..models import (
    Attribute,
    AttributeKind,
    AttributeValue,
    Case,
    CaseKind,
    Interview,
    Interviewee,
    Known,
    Visit,
)
from ..refi.cases import interviewee_case_guid
from ..refi.common import derived_guid
from .errors import TerrainError

KNOWN = {
    CaseKind.INTERVIEWEE: [
        Known.ROLE,
        Known.REGION,
        Known.DEPARTEMENT,
        Known.PTCE,
        Known.STAGE,
        Known.THEMES,
    ],
    CaseKind.INITIATIVE: [Known.REGION, Known.DEPARTEMENT, Known.PTCE, Known.STAGE, Known.THEMES],
}


def initiative_case_guid(season, initiative_id) -> str:
    return derived_guid("season", season.pk, "initiative", initiative_id)


def _known_attributes(season) -> dict:
    """{(applies_to, source): Attribute}, creating the known attributes a season lacks."""
    found = {(a.applies_to, a.source): a for a in season.attributes.exclude(source="")}
    missing = []
    for applies_to, sources in KNOWN.items():
        for position, source in enumerate(sources):
            if (applies_to, source) in found:
                continue
            stage = source == Known.STAGE
            name = str(Known(source).label)
            # A researcher's attribute may already bear the name: the known one says so.
            if season.attributes.filter(applies_to=applies_to, name=name).exists():
                name = _("%(name)s (platform)") % {"name": name}
            missing.append(
                Attribute(
                    season=season,
                    applies_to=applies_to,
                    source=source,
                    name=name,
                    kind=AttributeKind.CHOICE if stage else AttributeKind.TEXT,
                    choices="\n".join(Stage.values) if stage else "",
                    position=position,
                )
            )
    if missing:
        # Two pages read at once may both create them: the second one's rows are skipped.
        Attribute.objects.bulk_create(missing, ignore_conflicts=True)
        found = {(a.applies_to, a.source): a for a in season.attributes.exclude(source="")}
    return found


def _places(paths) -> dict:
    """{path: (région name, département name)} for territories' materialised paths."""
    codes = {Level.REGION: set(), Level.DEPARTEMENT: set()}
    split = {}
    for path in paths:
        parts = [p for p in (path or "").split("/") if p]
        region = next((p[1:] for p in parts if p[0] == "r"), None)
        departement = next((p[1:] for p in parts if p[0] == "d"), None)
        split[path] = (region, departement)
        if region:
            codes[Level.REGION].add(region)
        if departement:
            codes[Level.DEPARTEMENT].add(departement)
    names = {}
    for level, wanted in codes.items():
        for code, name in Territory.objects.filter(level=level, code__in=wanted).values_list(
            "code", "name"
        ):
            names[(level, code)] = name
    return {
        path: (names.get((Level.REGION, r)), names.get((Level.DEPARTEMENT, d)))
        for path, (r, d) in split.items()
    }


def _facts(initiative_ids, visit_paths) -> tuple[dict, dict]:
    """What the platform knows of each initiative: {pk: {source: set of values}}; and places."""
    facts = defaultdict(lambda: defaultdict(set))
    paths = {}
    rows = Initiative.objects.filter(pk__in=initiative_ids).values_list(
        "pk", "stage", "territory__path"
    )
    for pk, stage, path in rows:
        facts[pk][Known.STAGE].add(stage)
        facts[pk][Known.PTCE]  # an initiative in no PTCE says so (below)
        paths[pk] = path
    through = Initiative.poles.through.objects.filter(initiative__in=initiative_ids)
    for pk, pole in through.values_list("initiative_id", "pole__name"):
        facts[pk][Known.PTCE].add(pole)
    themes = Initiative.objects.filter(pk__in=initiative_ids, themes__isnull=False)
    for pk, theme in themes.values_list("pk", "themes__name"):
        facts[pk][Known.THEMES].add(theme)
    places = _places(set(paths.values()) | set(visit_paths.values()))
    for pk, path in paths.items():
        region, departement = places[path]
        facts[pk][Known.REGION] |= {region} if region else set()
        facts[pk][Known.DEPARTEMENT] |= {departement} if departement else set()
        facts[pk][Known.PTCE] = facts[pk][Known.PTCE] or {""}
    visit_places = {visit: places[path] for visit, path in visit_paths.items()}
    return facts, visit_places


@transaction.atomic
def refresh_cases(season) -> None:
    """The season's interviewee and initiative cases, their interviews and known values, now."""
    attributes = _known_attributes(season)
    visit_of = dict(Interview.objects.filter(visit__season=season).values_list("pk", "visit_id"))
    visit_paths = dict(
        Visit.objects.filter(season=season, territory__isnull=False).values_list(
            "pk", "territory__path"
        )
    )
    met = defaultdict(set)  # visit -> initiatives
    for visit, initiative in Visit.initiatives.through.objects.filter(
        visit__season=season
    ).values_list("visit_id", "initiative_id"):
        met[visit].add(initiative)
    facts, visit_places = _facts({i for ids in met.values() for i in ids}, visit_paths)

    wanted = {}  # (kind, pk) -> {"interviews": set, "values": {source: set}}
    for person, interview, role in Interviewee.objects.filter(
        interview__visit__season=season
    ).values_list("person_id", "interview_id", "role"):
        case = wanted.setdefault(
            (CaseKind.INTERVIEWEE, person), {"interviews": set(), "values": defaultdict(set)}
        )
        case["interviews"].add(interview)
        if role.strip():
            case["values"][Known.ROLE].add(role.strip())
        visit = visit_of[interview]
        for initiative in met[visit]:
            for source, values in facts[initiative].items():
                case["values"][source] |= values
        if not met[visit] and visit in visit_places:
            region, departement = visit_places[visit]
            case["values"][Known.REGION] |= {region} if region else set()
            case["values"][Known.DEPARTEMENT] |= {departement} if departement else set()
    for interview, visit in visit_of.items():
        for initiative in met[visit]:
            case = wanted.setdefault(
                (CaseKind.INITIATIVE, initiative),
                {"interviews": set(), "values": facts[initiative]},
            )
            case["interviews"].add(interview)

    cases = {}
    stale = []
    for pk, kind, person, initiative in season.cases.exclude(kind=CaseKind.IMPORTED).values_list(
        "pk", "kind", "person_id", "initiative_id"
    ):
        key = (kind, person if kind == CaseKind.INTERVIEWEE else initiative)
        if key in wanted:
            cases[key] = pk
        else:
            stale.append(pk)
    if stale:
        Case.objects.filter(pk__in=stale).delete()
    new = []
    for kind, pk in wanted.keys() - cases.keys():
        interviewee = kind == CaseKind.INTERVIEWEE
        guid = (interviewee_case_guid if interviewee else initiative_case_guid)(season, pk)
        new.append(
            Case(
                season=season,
                kind=kind,
                guid=guid,
                person_id=pk if interviewee else None,
                initiative_id=None if interviewee else pk,
            )
        )
    if new:
        Case.objects.bulk_create(new, ignore_conflicts=True)  # a page read at the same time
        for pk, kind, person, initiative in season.cases.exclude(
            kind=CaseKind.IMPORTED
        ).values_list("pk", "kind", "person_id", "initiative_id"):
            key = (kind, person if kind == CaseKind.INTERVIEWEE else initiative)
            if key in wanted:
                cases[key] = pk

    links = Case.interviews.through
    have = {
        (case, interview): pk
        for pk, case, interview in links.objects.filter(case__in=cases.values()).values_list(
            "pk", "case_id", "interview_id"
        )
    }
    should = {(cases[key], i) for key, case in wanted.items() for i in case["interviews"]}
    _sync(links, have, should, ("case_id", "interview_id"))

    known = AttributeValue.objects.filter(attribute__in=[a.pk for a in attributes.values()])
    have = {
        (case, attribute, value): pk
        for pk, case, attribute, value in known.values_list(
            "pk", "case_id", "attribute_id", "value"
        )
    }
    should = set()
    for (kind, _pk), case in wanted.items():
        for source, values in case["values"].items():
            attribute = attributes.get((kind, source))
            if attribute is not None:
                should |= {(cases[(kind, _pk)], attribute.pk, v[:200]) for v in values}
    _sync(AttributeValue, have, should, ("case_id", "attribute_id", "value"))


def _sync(model, have: dict, should: set, fields: tuple) -> None:
    """Delete the rows of `have` ({row: pk}) not in `should`, create the others."""
    gone = [pk for row, pk in have.items() if row not in should]
    if gone:
        model.objects.filter(pk__in=gone).delete()
    missing = should - have.keys()
    if missing:
        model.objects.bulk_create(
            [model(**dict(zip(fields, row, strict=True))) for row in missing], ignore_conflicts=True
        )


def canonical(attribute: Attribute, value) -> str:
    """A typed value as stored: a number as a plain decimal, a date as ISO, text trimmed."""
    if value is None or value == "":
        return ""
    if attribute.kind == AttributeKind.NUMBER:
        return format(Decimal(value).normalize(), "f")
    if attribute.kind == AttributeKind.DATE:
        return value.isoformat()
    return str(value).strip()[:200]


@transaction.atomic
def set_case_values(case: Case, values: dict) -> None:
    """The researchers' values of a case: {attribute: typed value or None (no value)}."""
    for attribute, value in values.items():
        if attribute.is_known or attribute.season_id != case.season_id:
            raise TerrainError(_("“%(name)s” is filled by the platform.") % {"name": attribute})
        if attribute.applies_to != case.kind:
            raise TerrainError(_("This attribute describes other cases."))
        text = canonical(attribute, value)
        if attribute.kind == AttributeKind.CHOICE and text and text not in attribute.choice_list():
            raise TerrainError(_("“%(value)s” is not one of the choices.") % {"value": text})
        AttributeValue.objects.filter(case=case, attribute=attribute).delete()
        if text:
            AttributeValue.objects.create(case=case, attribute=attribute, value=text)


def add_attribute(season, *, applies_to, name, kind, choices="") -> Attribute:
    name = " ".join(name.split())
    if not name:
        raise TerrainError(_("An attribute needs a name."))
    if season.attributes.filter(applies_to=applies_to, name__iexact=name).exists():
        raise TerrainError(_("These cases already have an attribute of that name."))
    attribute = Attribute(
        season=season, applies_to=applies_to, name=name, kind=kind, choices=choices
    )
    if kind == AttributeKind.CHOICE and not attribute.choice_list():
        raise TerrainError(_("A choice needs its values, one per line."))
    attribute.position = season.attributes.count() + len(KNOWN[applies_to])
    attribute.save()
    return attribute


def delete_attribute(attribute: Attribute) -> None:
    """A researcher's attribute goes with its values; the platform's own stay (it refills them)."""
    if attribute.is_known:
        raise TerrainError(_("“%(name)s” is filled by the platform.") % {"name": attribute})
    attribute.delete()


class CasesShredder(BaseShredder):
    """The researchers' attribute values of a person's cases go; known values follow the data."""

    identifier = "terrain-cases"
    order = 15
    verbose_name = gettext_lazy("Case attributes")
    description = gettext_lazy(
        "The values researchers gave their cases (age, trajectory…) are deleted."
    )
    handles = ("terrain.attributevalue",)

    def _values(self, subject):
        return AttributeValue.objects.filter(case__person=subject.person, attribute__source="")

    def preview(self, subject):
        count = self._values(subject).count()
        return [
            ngettext("%(count)d case attribute value", "%(count)d case attribute values", count)
            % {"count": count}
        ]

    def shred(self, subject):
        count, _rows = self._values(subject).delete()
        return [
            ngettext("%(count)d case attribute value", "%(count)d case attribute values", count)
            % {"count": count}
        ]
