"""REFI-QDA exchange: a season's coded work as `.qdpx`, and a codebook imported from `.qdc`.

A `.qdpx` is a zip holding `project.qde` (Project XML, namespace urn:QDA-XML:project:1.0) and one
plain-text file per transcript in `sources/`. Selection positions count Unicode code points
(Python string indices) in that text, so French accents do not shift them.
"""

import io
import uuid
import zipfile
from dataclasses import dataclass
from xml.etree import ElementTree as ET

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Code, Excerpt, Memo, Transcript
from .services import TerrainError

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
ORIGIN = "Observatoire des initiatives coopératives"
MAX_QDC_BYTES = 5_000_000


def _ms(ms: int) -> str:
    seconds = ms // 1000
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


@dataclass
class Source:
    transcript: Transcript
    guid: str
    text: str
    offsets: dict  # segment pk -> where its text starts in `text`


def source_text(transcript: Transcript) -> Source:
    """One line per turn, `[hh:mm:ss] Speaker: text`; remembers where each segment's text starts."""
    parts, offsets, length = [], {}, 0
    for segment in transcript.segments.order_by("position"):
        prefix = f"[{_ms(segment.start_ms)}] {segment.speaker}: " if segment.speaker else ""
        prefix = prefix or f"[{_ms(segment.start_ms)}] "
        offsets[segment.pk] = length + len(prefix)
        line = f"{prefix}{segment.text}\n"
        parts.append(line)
        length += len(line)
    guid = str(uuid.uuid5(uuid.NAMESPACE_URL, f"terrain:transcript:{transcript.pk}"))
    return Source(transcript, guid, "".join(parts), offsets)


def _code_element(parent, code, children):
    element = ET.SubElement(
        parent,
        "Code",
        guid=str(code.guid),
        name=code.name,
        isCodable="true",
        color=code.colour.upper(),
    )
    if code.definition:
        ET.SubElement(element, "Description").text = code.definition
    for child in children.get(code.pk, []):
        _code_element(element, child, children)


def _codes(parent, season):
    codes = list(season.codes.order_by("position", "name"))
    children = {}
    for code in codes:
        children.setdefault(code.parent_id, []).append(code)
    container = ET.SubElement(parent, "Codes")
    for code in children.get(None, []):
        _code_element(container, code, children)


def _user_guid(user) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"terrain:user:{user.pk if user else 0}"))


def export_qdpx(season) -> bytes:
    """The season's codebook, transcripts, excerpts (as selections with their codings) and memos."""
    ET.register_namespace("", PROJECT_NS)
    now = timezone.now().strftime("%Y-%m-%dT%H:%M:%SZ")
    project = ET.Element("Project", name=season.title, origin=ORIGIN, creationDateTime=now)
    excerpts = list(
        Excerpt.objects.filter(segment__transcript__interview__visit__season=season)
        .select_related("segment", "coder")
        .prefetch_related("codes", "memos")
    )
    users = {excerpt.coder for excerpt in excerpts if excerpt.coder}
    users_element = ET.SubElement(project, "Users")
    for user in sorted(users, key=lambda u: u.pk):
        ET.SubElement(users_element, "User", guid=_user_guid(user), name=user.get_username())
    _codes(ET.SubElement(project, "CodeBook"), season)
    transcripts = Transcript.objects.filter(interview__visit__season=season).select_related(
        "interview"
    )
    by_transcript = {}
    for excerpt in excerpts:
        by_transcript.setdefault(excerpt.segment.transcript_id, []).append(excerpt)
    files, notes = {}, []
    sources = ET.SubElement(project, "Sources")
    for transcript in transcripts.order_by("pk"):
        source = source_text(transcript)
        files[f"sources/{source.guid}.txt"] = source.text
        element = ET.SubElement(
            sources,
            "TextSource",
            guid=source.guid,
            name=str(transcript.interview),
            plainTextPath=f"internal://{source.guid}.txt",
        )
        for excerpt in by_transcript.get(transcript.pk, []):
            base = source.offsets[excerpt.segment_id]
            selection = ET.SubElement(
                element,
                "PlainTextSelection",
                guid=str(excerpt.guid),
                name=excerpt.text[:60],
                startPosition=str(base + excerpt.start),
                endPosition=str(base + excerpt.end),
                creatingUser=_user_guid(excerpt.coder),
                creationDateTime=excerpt.created_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
            )
            for code in excerpt.codes.all():
                coding = ET.SubElement(
                    selection,
                    "Coding",
                    guid=str(uuid.uuid5(excerpt.guid, str(code.guid))),
                    creatingUser=_user_guid(excerpt.coder),
                )
                ET.SubElement(coding, "CodeRef", targetGUID=str(code.guid))
            for memo in excerpt.memos.all():
                ET.SubElement(selection, "NoteRef", targetGUID=str(memo.guid))
                notes.append(memo)
    notes += list(Memo.objects.filter(code__season=season))
    if notes:
        notes_element = ET.SubElement(project, "Notes")
        for memo in notes:
            note = ET.SubElement(notes_element, "Note", guid=str(memo.guid), name=memo.text[:60])
            ET.SubElement(note, "PlainTextContent").text = memo.text
    xml = ET.tostring(_qualified(project, PROJECT_NS), encoding="utf-8", xml_declaration=True)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", xml)
        for name, text in files.items():
            archive.writestr(name, text.encode("utf-8"))
    return buffer.getvalue()


def _qualified(element, namespace):
    """Put every element in the namespace (ElementTree needs {ns}tag names to write xmlns)."""
    for node in element.iter():
        if not node.tag.startswith("{"):
            node.tag = f"{{{namespace}}}{node.tag}"
    return element


@transaction.atomic
def import_qdc(season, data: bytes) -> int:
    """Add or update the season's codes from a REFI-QDA codebook; returns how many were read.

    Codes are matched by GUID (a codebook exported from here comes back onto its own codes).
    """
    if len(data) > MAX_QDC_BYTES:
        raise TerrainError(_("The codebook file is too large."))
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise TerrainError(_("The codebook file may not declare entities."))
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise TerrainError(_("The codebook file is not valid XML.")) from exc
    namespace = root.tag[1:].split("}")[0] if root.tag.startswith("{") else ""
    if namespace not in (CODEBOOK_NS, PROJECT_NS):
        raise TerrainError(_("This is not a REFI-QDA codebook (.qdc)."))
    ns = {"q": namespace}
    codes = root.find("q:Codes", ns)
    if codes is None:
        codes = root.find("q:CodeBook/q:Codes", ns)
    if codes is None:
        raise TerrainError(_("The codebook holds no codes."))
    count = 0

    def walk(parent_element, parent_code):
        nonlocal count
        for position, element in enumerate(parent_element.findall("q:Code", ns)):
            name = (element.get("name") or "").strip()[:200]
            if not name:
                continue
            try:
                guid = uuid.UUID(element.get("guid") or "")
            except ValueError:
                guid = uuid.uuid4()
            description = element.find("q:Description", ns)
            colour = (element.get("color") or "#1f77b4")[:7]
            code = Code.objects.filter(guid=guid).first()
            if code is not None and code.season_id != season.pk:
                code, guid = None, uuid.uuid4()
            if code is None:
                code = Code(season=season, guid=guid)
            code.name, code.parent, code.colour, code.position = name, parent_code, colour, position
            if description is not None and description.text:
                code.definition = description.text.strip()
            code.save()
            count += 1
            walk(element, code)

    walk(codes, None)
    return count
