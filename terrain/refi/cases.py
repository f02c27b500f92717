"""Interviewees as REFI-QDA cases: one case per person, with what their consent lets us say.

A person interviewed several times in a season is one case, tied to each of those interviews'
sources. Their consents (one per interview) are read together, the most restrictive winning:

| consent, in force (not withdrawn, not expired) | case name | variables |
| --- | --- | --- |
| quoted under their real name | the person's name | role, organisation, territory, themes |
| quoted under a pseudonym | the pseudonym | role, territory, themes |
| none recorded, withdrawn or expired | "Interviewee N" | territory, themes |

Territory and themes are those of the initiatives met during the visit (the visit's own
territory when it met none): they describe the initiative, not the person. Cases imported from
another tool (models.Case) are exported as they came.
"""

import uuid
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from initiatives.models import Affiliation, Role

from ..models import AttributeValue, CaseKind, Interviewee, Naming
from .archive import local
from .codebook import parse_guid
from .common import PROJECT_NS, VALUE_ELEMENTS, derived_guid

NS = {"q": PROJECT_NS}
TYPES = {element: kind for kind, element in VALUE_ELEMENTS.items()}

NAMED, PSEUDONYM, NOTHING = 2, 1, 0


@dataclass
class CaseOut:
    guid: str
    name: str
    description: str = ""
    values: list = field(default_factory=list)  # [(variable name, typeOfVariable, value)]
    sources: list = field(default_factory=list)  # source GUIDs


def _level(consent, today) -> int:
    if consent is None or consent.withdrawn_at is not None:
        return NOTHING
    if consent.valid_until is not None and consent.valid_until < today:
        return NOTHING
    if consent.naming == Naming.NAMED:
        return NAMED
    return PSEUDONYM if consent.pseudonym.strip() else NOTHING


def _organisations(person, initiatives) -> list[str]:
    roles = Role.objects.filter(
        person=person, initiative__in=initiatives, organisation__isnull=False
    )
    names = sorted({role.organisation.name for role in roles.select_related("organisation")})
    if not names:
        affiliations = Affiliation.objects.filter(person=person, end_date__isnull=True)
        names = sorted({a.organisation.name for a in affiliations.select_related("organisation")})
    return names


def interviewee_case_guid(season, person_id) -> str:
    return derived_guid("season", season.pk, "person", person_id)


def interviewee_cases(season, source_guids: dict) -> list[CaseOut]:
    """The season's interviewees as cases; `source_guids` maps interview pk -> source GUID."""
    today = timezone.localdate()
    rows = (
        Interviewee.objects.filter(interview__visit__season=season)
        .select_related("person", "consent", "interview__visit__territory")
        .prefetch_related("interview__visit__initiatives__territory")
        .order_by("person_id", "interview_id")
    )
    own = _researchers_values(season, CaseKind.INTERVIEWEE, "person_id")
    people: dict[int, list] = {}
    for interviewee in rows:
        people.setdefault(interviewee.person_id, []).append(interviewee)
    cases = []
    for number, (person_id, interviewees) in enumerate(people.items(), start=1):
        person = interviewees[0].person
        level = min(_level(_consent(i), today) for i in interviewees)
        if level == NAMED:
            name = str(person)
        elif level == PSEUDONYM:
            name = next(i.consent.pseudonym.strip() for i in interviewees if _consent(i))
        else:
            name = _("Interviewee %(n)d") % {"n": number}
        visits = {i.interview.visit_id: i.interview.visit for i in interviewees}
        initiatives = [ini for visit in visits.values() for ini in visit.initiatives.all()]
        territories = sorted({ini.territory.name for ini in initiatives if ini.territory_id})
        if not initiatives:
            territories = sorted({v.territory.name for v in visits.values() if v.territory_id})
        themes = sorted({tag.name for ini in initiatives for tag in ini.themes.all()})
        values = []
        if level >= PSEUDONYM:
            roles = sorted({i.role.strip() for i in interviewees if i.role.strip()})
            values.append((_("Role"), "Text", "; ".join(roles)))
        if level == NAMED:
            values.append(
                (_("Organisation"), "Text", "; ".join(_organisations(person, initiatives)))
            )
        values.append((_("Territory"), "Text", "; ".join(territories)))
        values.append((_("Themes"), "Text", ", ".join(themes)))
        if level >= PSEUDONYM:  # what researchers noted of the person, as their consent allows
            values += own.get(person_id, [])
        sources = [
            source_guids[i.interview_id] for i in interviewees if i.interview_id in source_guids
        ]
        guid = interviewee_case_guid(season, person_id)
        cases.append(CaseOut(guid, name, values=[v for v in values if v[2]], sources=sources))
    return cases


# A typed attribute as REFI-QDA's typeOfVariable.
VARIABLE_TYPES = {"text": "Text", "number": "Float", "date": "Date", "choice": "Text"}


def _researchers_values(season, kind, key, *, known=False) -> dict:
    """{person or initiative pk: [(variable, type, value)]} of the season's attribute values."""
    rows = AttributeValue.objects.filter(case__season=season, case__kind=kind)
    if not known:
        rows = rows.filter(attribute__source="")
    found: dict = {}
    for attribute, pk, value in (
        rows.select_related("attribute")
        .order_by("attribute__position", "attribute__name", "value")
        .values_list("attribute", f"case__{key}", "value")
    ):
        found.setdefault(pk, {}).setdefault(attribute, []).append(value)
    attributes = {a.pk: a for a in season.attributes.all()}
    return {
        pk: [
            (
                attributes[a].name,
                VARIABLE_TYPES[attributes[a].kind] if len(v) == 1 else "Text",
                "; ".join(attributes[a].display(x) if attributes[a].is_known else x for x in v),
            )
            for a, v in values.items()
        ]
        for pk, values in found.items()
    }


def initiative_cases(season, source_guids: dict) -> list[CaseOut]:
    """The initiatives met in the season (public actors): their known and researchers' values."""
    values = _researchers_values(season, CaseKind.INITIATIVE, "initiative_id", known=True)
    cases = []
    rows = season.cases.filter(kind=CaseKind.INITIATIVE).select_related("initiative")
    for case in rows.prefetch_related("interviews").order_by("initiative__name", "pk"):
        sources = [source_guids[i.pk] for i in case.interviews.all() if i.pk in source_guids]
        own = [v for v in values.get(case.initiative_id, []) if v[2]]
        cases.append(CaseOut(str(case.guid), case.initiative.name, values=own, sources=sources))
    return cases


def _consent(interviewee):
    try:
        return interviewee.consent
    except Interviewee.consent.RelatedObjectDoesNotExist:
        return None


def imported_cases(season, source_guids: dict) -> list[CaseOut]:
    cases = []
    imported = season.cases.filter(kind=CaseKind.IMPORTED)
    for case in imported.prefetch_related("interviews"):
        values = [(v["name"], v["type"], v["value"]) for v in case.values]
        sources = [source_guids[i.pk] for i in case.interviews.all() if i.pk in source_guids]
        cases.append(CaseOut(str(case.guid), case.name, case.description, values, sources))
    return cases


def _valid(kind: str, value: str) -> bool:
    try:
        if kind == "Boolean":
            return value in ("true", "false", "1", "0")
        if kind == "Integer":
            int(value)
        elif kind == "Float":
            return value.replace(".", "", 1).lstrip("+-").isdigit()
        elif kind == "Date":
            return parse_date(value) is not None
        elif kind == "DateTime":
            return parse_datetime(value) is not None
    except ValueError:
        return False
    return True


def read_cases(season, root, sources, summary):
    """<Variables> and <Cases>: a case is matched by GUID, then by name; values are merged."""
    variables = {
        parse_guid(v.get("guid")): " ".join((v.get("name") or "").split())[:200]
        for v in root.findall("q:Variables/q:Variable", NS)
    }
    people = Interviewee.objects.filter(interview__visit__season=season)
    ours = {interviewee_case_guid(season, pk) for pk in people.values_list("person_id", flat=True)}
    # Cases kept from this season's fieldwork (initiatives met): exported from here, not imported.
    ours |= {
        str(g) for g in season.cases.exclude(kind=CaseKind.IMPORTED).values_list("guid", flat=True)
    }
    for element in root.findall("q:Cases/q:Case", NS):
        guid = parse_guid(element.get("guid")) or str(uuid.uuid4())
        if guid in ours:
            continue  # one of this season's interviewees, exported from here
        refs = [parse_guid(r.get("targetGUID")) for r in element.findall("q:SourceRef", NS)]
        interviews = [sources[r] for r in refs if r in sources]
        name = " ".join((element.get("name") or "").split())[:200]
        name = name or (interviews[0].title if interviews else "")
        if not name:
            continue
        values = []
        for holder in element.findall("q:VariableValue", NS):
            ref = holder.find("q:VariableRef", NS)
            variable = variables.get(parse_guid(ref.get("targetGUID")) if ref is not None else None)
            value = next((v for v in holder if local(v.tag) in TYPES), None)
            if not variable or value is None:
                continue
            kind, text = TYPES[local(value.tag)], (value.text or "").strip()
            values.append(
                {
                    "name": variable,
                    "type": kind if _valid(kind, text) else "Text",
                    "value": text,
                }
            )
        description = element.find("q:Description", NS)
        description = (description.text or "").strip() if description is not None else ""
        imported = season.cases.filter(kind=CaseKind.IMPORTED)
        case = imported.filter(guid=guid).first()
        case = case or imported.filter(name__iexact=name).first()
        if case is None:
            case = season.cases.create(guid=guid, name=name, description=description, values=values)
            summary.cases_created.append(name)
        else:
            known = {v["name"]: v for v in case.values}
            known.update({v["name"]: v for v in values})
            case.values = list(known.values())
            case.description = case.description or description
            case.save(update_fields=["values", "description"])
            summary.cases_merged.append(name)
        case.interviews.add(*interviews)
