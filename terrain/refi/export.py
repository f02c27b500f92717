"""A season as a REFI-QDA project (`.qdpx`) or codebook (`.qdc`), valid against the official XSDs.

The `.qdpx` is a zip holding `project.qde` and, in `sources/`, one UTF-8 text file per interview
(its transcript, one `[hh:mm:ss] Speaker: text` line per turn) and one per memo. Selection
positions count Unicode code points (see common.py). Empty containers are left out, as the
schema wants at least one child in each; every optional attribute whose value is known is
written (creation and modification dates and users), so that importers relying on them (QualCoder
needs a date on each note) read the file.
"""

import io
import threading
import uuid
import zipfile
from xml.etree import ElementTree as ET

from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import AudioExcerpt, Excerpt, Interview
from ..services import TerrainError
from .agreement import agreement_notes
from .cases import imported_cases, initiative_cases, interviewee_cases
from .common import (
    CODEBOOK_NS,
    ORIGIN,
    PROJECT_NS,
    RGB,
    VALUE_ELEMENTS,
    derived_guid,
    source_text,
    stamp,
    user_guid,
    user_name,
)

_SERIALISING = threading.Lock()


def _serialise(root, namespace) -> bytes:
    """The document with `namespace` as the default one (ElementTree's `default_namespace`
    refuses unqualified attributes, and the prefix map it reads instead is process-wide)."""
    with _SERIALISING:
        ET.register_namespace("", namespace)
        return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _sub(parent, namespace, tag, text=None, **attributes):
    element = ET.SubElement(
        parent, f"{{{namespace}}}{tag}", {k: v for k, v in attributes.items() if v is not None}
    )
    if text is not None:
        element.text = text
    return element


def _code_tree(season):
    codes = list(season.codes.prefetch_related("memos").order_by("position", "name"))
    children = {}
    for code in codes:
        children.setdefault(code.parent_id, []).append(code)
    return codes, children


def _codes(parent, namespace, season, with_notes=None) -> bool:
    """Write <Codes> under `parent` (nothing when there is no code); `with_notes` collects memos."""
    codes, children = _code_tree(season)
    if not codes:
        return False
    container = _sub(parent, namespace, "Codes")

    def write(into, code):
        element = _sub(
            into,
            namespace,
            "Code",
            guid=str(code.guid),
            name=code.name,
            isCodable="true" if code.is_codable else "false",
            color=code.colour.upper() if RGB.match(code.colour) else None,
        )
        if code.definition:
            _sub(element, namespace, "Description", code.definition)
        if with_notes is not None:
            for memo in code.memos.all():
                _sub(element, namespace, "NoteRef", targetGUID=str(memo.guid))
                with_notes.append(memo)
        for child in children.get(code.pk, []):
            write(element, child)

    for code in children.get(None, []):
        write(container, code)
    return True


class _Project:
    def __init__(self, season, viewer=None):
        self.season = season
        self.viewer = viewer
        self.users = {}  # guid -> name
        self.files = {}  # archive path -> text
        self.notes = []  # memos, in the order they are referred to

    def user(self, user, name="") -> str | None:
        """The GUID of a researcher (or of a coder known only by name), remembered for <Users>."""
        if user is not None:
            guid = user_guid(user)
            self.users[guid] = user_name(user)
            return guid
        if name:
            guid = derived_guid("season", self.season.pk, "coder", name)
            self.users[guid] = name
            return guid
        return None

    def build(self) -> bytes:
        season = self.season
        root = ET.Element(
            f"{{{PROJECT_NS}}}Project",
            name=season.title,
            origin=ORIGIN,
            creationDateTime=stamp(season.created_at),
            modifiedDateTime=stamp(timezone.now()),
        )
        codebook = ET.Element(f"{{{PROJECT_NS}}}CodeBook")
        if _codes(codebook, PROJECT_NS, season, with_notes=self.notes):
            root.append(codebook)
        sources = ET.Element(f"{{{PROJECT_NS}}}Sources")
        source_guids = self.sources(sources)
        cases = (
            interviewee_cases(season, source_guids)
            + initiative_cases(season, source_guids)
            + imported_cases(season, source_guids)
        )
        self.cases(root, cases)
        if len(sources):
            root.append(sources)
        season_memos = list(season.memos.select_related("author").order_by("created_at", "pk"))
        self.notes += season_memos
        self.write_notes(root)
        self.sets(root, source_guids)
        for memo in season_memos:
            _sub(root, PROJECT_NS, "NoteRef", targetGUID=str(memo.guid))
        if self.users:
            users = ET.Element(f"{{{PROJECT_NS}}}Users")
            for guid, name in sorted(self.users.items(), key=lambda item: item[1]):
                _sub(users, PROJECT_NS, "User", guid=guid, name=name)
            root.insert(0, users)
        return _serialise(root, PROJECT_NS)

    def sources(self, container) -> dict:
        """One TextSource per interview that has a transcript or a memo; {interview pk: GUID}."""
        excerpts = (
            Excerpt.objects.visible_to(self.viewer)
            .filter(segment__transcript__interview__visit__season=self.season)
            .select_related("segment", "end_segment", "coder")
            .prefetch_related("codes", "memos__author")
            .order_by("segment__position", "start", "pk")
        )
        recorded = AudioExcerpt.objects.filter(interview__visit__season=self.season)
        by_recording = {}
        for excerpt in recorded.select_related("coder").prefetch_related("codes"):
            by_recording.setdefault(excerpt.interview_id, []).append(excerpt)
        by_transcript = {}
        for excerpt in excerpts:
            by_transcript.setdefault(excerpt.segment.transcript_id, []).append(excerpt)
        interviews = (
            Interview.objects.filter(visit__season=self.season)
            .select_related("transcript")
            .prefetch_related("memos__author")
            .order_by("visit__date", "date", "pk")
        )
        guids, agreements = {}, agreement_notes(self.season)
        for interview in interviews:
            transcript = (
                getattr(interview, "transcript", None) if _has_transcript(interview) else None
            )
            memos = list(interview.memos.all())
            if transcript is None and not memos:
                continue
            if transcript is not None:
                source = source_text(transcript)
                guid, text = source.guid, source.text
            else:
                source, text = None, ""
                guid = str(interview.source_guid or derived_guid("interview", interview.pk))
            guids[interview.pk] = guid
            self.files[f"sources/{guid}.txt"] = text
            element = _sub(
                container,
                PROJECT_NS,
                "TextSource",
                guid=guid,
                name=str(interview),
                plainTextPath=f"internal://{guid}.txt",
                creationDateTime=stamp(
                    transcript.created_at if transcript else interview.created_at
                ),
                modifiedDateTime=stamp(transcript.updated_at) if transcript else None,
            )
            if interview.notes:
                _sub(element, PROJECT_NS, "Description", interview.notes)
            for excerpt in by_transcript.get(transcript.pk, []) if transcript else []:
                self.selection(element, source, excerpt)
            for memo in [*memos, agreements.get(interview.pk)]:
                if memo is not None:
                    _sub(element, PROJECT_NS, "NoteRef", targetGUID=str(memo.guid))
                    self.notes.append(memo)
        for interview in interviews:
            if interview.pk in by_recording:
                self.recording(container, interview, by_recording[interview.pk])
        return guids

    def recording(self, container, interview, excerpts):
        """The interview's recording as an AudioSource carrying its coded time ranges
        (`begin`/`end` in milliseconds); the recording itself stays on the platform."""
        element = _sub(
            container,
            PROJECT_NS,
            "AudioSource",
            guid=derived_guid("recording", interview.pk),
            name=str(interview),
            creationDateTime=stamp(interview.created_at),
        )
        for excerpt in excerpts:
            coder = self.user(excerpt.coder)
            selection = _sub(
                element,
                PROJECT_NS,
                "AudioSelection",
                guid=str(excerpt.guid),
                name=str(excerpt),
                begin=str(excerpt.start_ms),
                end=str(excerpt.end_ms),
                creatingUser=coder,
                creationDateTime=stamp(excerpt.created_at),
            )
            _codings(selection, excerpt, coder)

    def selection(self, parent, source, excerpt):
        # A passage over several turns is one selection over the whole text: it starts in its
        # first turn's line and ends in its last's, the lines' `[time] Speaker:` between.
        start = source.offsets[excerpt.segment_id] + excerpt.start
        end = source.offsets[excerpt.end_segment_id or excerpt.segment_id] + excerpt.end
        coder = self.user(excerpt.coder, excerpt.coder_name)
        selection = _sub(
            parent,
            PROJECT_NS,
            "PlainTextSelection",
            guid=str(excerpt.guid),
            name=excerpt.text[:60],
            startPosition=str(start),
            endPosition=str(end),
            creatingUser=coder,
            creationDateTime=stamp(excerpt.created_at),
        )
        _codings(selection, excerpt, coder)
        for memo in excerpt.memos.all():
            _sub(selection, PROJECT_NS, "NoteRef", targetGUID=str(memo.guid))
            self.notes.append(memo)

    def cases(self, root, cases):
        if not cases:
            return
        variables = {}
        for case in cases:
            for name, kind, _value in case.values:
                variables.setdefault(name, kind)
        guids = {
            name: derived_guid("season", self.season.pk, "variable", name) for name in variables
        }
        if variables:
            container = _sub(root, PROJECT_NS, "Variables")
            for name, kind in variables.items():
                _sub(
                    container,
                    PROJECT_NS,
                    "Variable",
                    guid=guids[name],
                    name=name,
                    typeOfVariable=kind,
                )
        container = _sub(root, PROJECT_NS, "Cases")
        for case in cases:
            element = _sub(container, PROJECT_NS, "Case", guid=case.guid, name=case.name)
            if case.description:
                _sub(element, PROJECT_NS, "Description", case.description)
            for name, kind, value in case.values:
                holder = _sub(element, PROJECT_NS, "VariableValue")
                _sub(holder, PROJECT_NS, "VariableRef", targetGUID=guids[name])
                _sub(holder, PROJECT_NS, VALUE_ELEMENTS[kind], value)
            for guid in case.sources:
                _sub(element, PROJECT_NS, "SourceRef", targetGUID=guid)

    def write_notes(self, root):
        if not self.notes:
            return
        container = _sub(root, PROJECT_NS, "Notes")
        seen = set()
        for memo in self.notes:
            if memo.pk in seen:
                continue
            seen.add(memo.pk)
            author = self.user(memo.author, memo.author_name)
            guid = str(memo.guid)
            self.files[f"sources/{guid}.txt"] = memo.text
            _sub(
                container,
                PROJECT_NS,
                "Note",
                guid=guid,
                name=" ".join(memo.text.split())[:60],
                plainTextPath=f"internal://{guid}.txt",
                creatingUser=author,
                creationDateTime=stamp(memo.created_at),
                # Memos are written once and never edited here: last change = creation.
                modifyingUser=author,
                modifiedDateTime=stamp(memo.created_at),
            )

    def sets(self, root, source_guids):
        exported = {memo.pk for memo in self.notes}
        rows = []
        for code_set in self.season.sets.prefetch_related("codes", "interviews", "memos"):
            codes = [str(code.guid) for code in code_set.codes.all()]
            sources = [
                source_guids[i.pk] for i in code_set.interviews.all() if i.pk in source_guids
            ]
            notes = [str(m.guid) for m in code_set.memos.all() if m.pk in exported]
            rows.append((code_set, codes, sources, notes))
        if not rows:
            return
        container = _sub(root, PROJECT_NS, "Sets")
        for code_set, codes, sources, notes in rows:
            element = _sub(
                container, PROJECT_NS, "Set", guid=str(code_set.guid), name=code_set.name
            )
            if code_set.description:
                _sub(element, PROJECT_NS, "Description", code_set.description)
            for tag, guids in (
                ("MemberCode", codes),
                ("MemberSource", sources),
                ("MemberNote", notes),
            ):
                for guid in guids:
                    _sub(element, PROJECT_NS, tag, targetGUID=guid)


def _has_transcript(interview) -> bool:
    try:
        return interview.transcript is not None
    except Interview.transcript.RelatedObjectDoesNotExist:
        return False


def export_qdpx(season, viewer=None) -> bytes:
    """The season's codebook, transcripts with their coded passages, memos, cases and sets (the
    excerpts `viewer` may see, when a researcher codes blind)."""
    project = _Project(season, viewer)
    xml = project.build()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", xml)
        for name, text in project.files.items():
            archive.writestr(name, text.encode("utf-8"))
    return buffer.getvalue()


def export_qdc(season) -> bytes:
    """The season's codebook alone; the schema wants at least one code."""
    root = ET.Element(f"{{{CODEBOOK_NS}}}CodeBook", origin=ORIGIN)
    if not _codes(root, CODEBOOK_NS, season):
        raise TerrainError(_("The codebook has no code yet: there is nothing to export."))
    sets = [(s, list(s.codes.all())) for s in season.sets.prefetch_related("codes")]
    sets = [(s, codes) for s, codes in sets if codes]
    if sets:
        container = _sub(root, CODEBOOK_NS, "Sets")
        for code_set, codes in sets:
            element = _sub(
                container, CODEBOOK_NS, "Set", guid=str(code_set.guid), name=code_set.name
            )
            if code_set.description:
                _sub(element, CODEBOOK_NS, "Description", code_set.description)
            for code in codes:
                _sub(element, CODEBOOK_NS, "MemberCode", guid=str(code.guid))
    return _serialise(root, CODEBOOK_NS)


def _codings(selection, excerpt, coder) -> None:
    """A selection's `<Coding>` per code, each with a GUID derived from the excerpt's and the
    code's (the same on every export), coded by the excerpt's coder."""
    for code in excerpt.codes.all():
        coding = _sub(
            selection,
            PROJECT_NS,
            "Coding",
            guid=str(uuid.uuid5(excerpt.guid, str(code.guid))),
            creatingUser=coder,
        )
        _sub(coding, PROJECT_NS, "CodeRef", targetGUID=str(code.guid))
