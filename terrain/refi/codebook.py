"""Reading a REFI-QDA codebook into a season without doubling it, and what the import did.

A code is matched by its GUID first (a codebook exported from here comes back onto its own
codes), then by its path of names (QualCoder and others give every code a new GUID at each
export): "Confiance › Diagnostic partagé" in the file is that code here, whatever its GUID.
Only what matches neither is created. The summary says which codes were created, updated or
merged, for the researcher to check.
"""

import uuid
from dataclasses import dataclass, field
from xml.etree import ElementTree as ET

from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Code, CodeSet
from ..services import TerrainError
from .common import CODEBOOK_NS, PROJECT_NS, RGB

MAX_XML_BYTES = 50_000_000
DEFAULT_COLOUR = "#1f77b4"


@dataclass
class Summary:
    """What an import did, shown to the researcher."""

    codes_created: list = field(default_factory=list)
    codes_updated: list = field(default_factory=list)
    codes_merged: list = field(default_factory=list)
    codes_unchanged: int = 0
    sets: list = field(default_factory=list)
    sources: list = field(default_factory=list)
    sources_skipped: list = field(default_factory=list)
    excerpts: int = 0
    excerpts_skipped: int = 0
    memos: int = 0
    cases_created: list = field(default_factory=list)
    cases_merged: list = field(default_factory=list)
    users_mapped: list = field(default_factory=list)
    named_coders: list = field(default_factory=list)
    recordings: list = field(default_factory=list)
    recordings_refused: list = field(default_factory=list)
    warnings: list = field(default_factory=list)

    @property
    def codes_read(self) -> int:
        return (
            len(self.codes_created)
            + len(self.codes_updated)
            + len(self.codes_merged)
            + self.codes_unchanged
        )


def parse_guid(value) -> str | None:
    """A GUID as written here (lower case, no braces), or None when it is not one."""
    try:
        return str(uuid.UUID((value or "").strip()))
    except ValueError:
        return None


def parse_xml(data: bytes, wanted: tuple[str, ...], what: str):
    """The root element of a REFI-QDA document and its namespace, or a TerrainError."""
    if len(data) > MAX_XML_BYTES:
        raise TerrainError(_("The %(what)s is too large.") % {"what": what})
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise TerrainError(_("The %(what)s may not declare entities.") % {"what": what})
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise TerrainError(_("The %(what)s is not valid XML.") % {"what": what}) from exc
    namespace = root.tag[1:].split("}")[0] if root.tag.startswith("{") else ""
    if namespace not in wanted:
        raise TerrainError(_("This is not a REFI-QDA %(what)s.") % {"what": what})
    return root, namespace


def _path_key(names) -> tuple:
    return tuple(" ".join(name.split()).casefold() for name in names)


class CodebookReader:
    """Merge <Code> trees into a season; `codes` maps a file's code GUID to the code here."""

    def __init__(self, season, summary: Summary, namespace: str):
        self.season, self.summary, self.ns = season, summary, {"q": namespace}
        self.codes: dict[str, Code] = {}
        self.code_notes: dict[str, Code] = {}  # note GUID -> the code it is a memo of
        existing = list(season.codes.all())
        self.by_guid = {str(code.guid): code for code in existing}
        by_pk = {code.pk: code for code in existing}
        self.by_path = {}
        for code in existing:
            names, node, seen = [], code, set()
            while node is not None and node.pk not in seen:
                seen.add(node.pk)
                names.insert(0, node.name)
                node = by_pk.get(node.parent_id)
            self.by_path[_path_key(names)] = code

    def read(self, codes_element) -> None:
        self._walk(codes_element, None, [])

    def _walk(self, element, parent: Code | None, path: list) -> None:
        for position, child in enumerate(element.findall("q:Code", self.ns)):
            name = " ".join((child.get("name") or "").split())[:200]
            if not name:
                self.summary.warnings.append(_("A code without a name was left out."))
                continue
            names = [*path, name]
            code = self._code(child, name, names, parent, position)
            guid = parse_guid(child.get("guid"))
            if guid:
                self.codes[guid] = code
            for ref in child.findall("q:NoteRef", self.ns):
                note = parse_guid(ref.get("targetGUID"))
                if note:
                    self.code_notes[note] = code
            self._walk(child, code, names)

    def _code(self, element, name, names, parent, position) -> Code:
        guid = parse_guid(element.get("guid"))
        colour = (element.get("color") or "").strip()
        colour = colour if RGB.match(colour) else None
        codable = (element.get("isCodable") or "true").strip().lower() not in ("false", "0")
        description = element.find("q:Description", self.ns)
        definition = (description.text or "").strip() if description is not None else ""
        label = " › ".join(names)
        code = self.by_guid.get(guid) if guid else None
        if code is not None:
            before = (code.name, code.parent_id, code.colour, code.definition, code.is_codable)
            code.name, code.parent, code.is_codable = name, parent, codable
            if colour and colour.lower() != code.colour.lower():
                code.colour = colour
            code.definition = definition or code.definition
            if before != (code.name, code.parent_id, code.colour, code.definition, code.is_codable):
                code.save()
                self.summary.codes_updated.append(label)
            else:
                self.summary.codes_unchanged += 1
        elif (code := self.by_path.get(_path_key(names))) is not None:
            # The same code under a new GUID: keep ours, learn only what we did not know.
            if definition and not code.definition:
                code.definition = definition
                code.save(update_fields=["definition"])
            self.summary.codes_merged.append(label)
        else:
            if guid is None or Code.objects.filter(guid=guid).exists():
                guid = str(uuid.uuid4())
            code = Code.objects.create(
                season=self.season,
                guid=guid,
                name=name,
                parent=parent,
                colour=colour or DEFAULT_COLOUR,
                definition=definition,
                position=position,
                is_codable=codable,
            )
            self.summary.codes_created.append(label)
            self.by_guid[guid] = code
        self.by_path[_path_key(names)] = code
        return code


def read_sets(season, sets_element, ns, summary, *, codes, interviews=None, memos=None):
    """<Sets>: a set is matched by GUID, then by name; its members are added to it."""
    interviews, memos = interviews or {}, memos or {}
    for element in sets_element.findall("q:Set", ns):
        name = " ".join((element.get("name") or "").split())[:200]
        if not name:
            continue
        guid = parse_guid(element.get("guid"))
        code_set = season.sets.filter(guid=guid).first() if guid else None
        code_set = code_set or season.sets.filter(name__iexact=name).first()
        if code_set is None:
            code_set = CodeSet.objects.create(season=season, guid=guid or uuid.uuid4(), name=name)
        description = element.find("q:Description", ns)
        if description is not None and (description.text or "").strip():
            code_set.description = description.text.strip()
            code_set.save(update_fields=["description"])

        def members(tag, table, element=element):
            found = []
            for member in element.findall(f"q:{tag}", ns):
                key = parse_guid(member.get("targetGUID") or member.get("guid"))
                if key in table:
                    found.append(table[key])
            return found

        code_set.codes.add(*members("MemberCode", codes))
        code_set.interviews.add(*members("MemberSource", interviews))
        code_set.memos.add(*members("MemberNote", memos))
        summary.sets.append(name)


def import_qdc(season, data: bytes) -> Summary:
    """Add or update the season's codes (and sets) from a REFI-QDA codebook (`.qdc`)."""
    root, namespace = parse_xml(data, (CODEBOOK_NS, PROJECT_NS), _("codebook (.qdc)"))
    ns = {"q": namespace}
    codes = root.find("q:Codes", ns)
    if codes is None:
        codes = root.find("q:CodeBook/q:Codes", ns)
    if codes is None:
        raise TerrainError(_("The codebook holds no codes."))
    summary = Summary()
    with transaction.atomic():
        reader = CodebookReader(season, summary, namespace)
        reader.read(codes)
        sets = root.find("q:Sets", ns)
        if sets is not None:
            read_sets(season, sets, ns, summary, codes=reader.codes)
    return summary
