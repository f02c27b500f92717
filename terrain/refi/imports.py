"""A whole REFI-QDA project (`.qdpx`) moved into a season a researcher belongs to.

Sources become interviews of one new visit, with their transcript (text sources, the plain text
of PDF sources, the transcripts of audio and video sources) and their recording when the archive
holds it (stored through medias like any upload, so the pipeline makes it playable). The
codebook is merged (codebook.py), coded selections become excerpts, notes become memos on what
they annotate, users become the season's researchers they name (user name, e-mail or full name)
or are kept as named coders, cases keep their variables, sets their members. A source already
imported into the season (same GUID) is not imported twice.
"""

import tempfile
import uuid
import zipfile
from pathlib import PurePath

from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from medias.models import Kind
from medias.services import UploadRefused, store_upload

from ..models import Excerpt, Interview, Memo, Transcript, Visit
from ..services import TerrainError, import_segments
from .archive import Selection, copy_entry, local, moment_of, read_entry
from .cases import read_cases
from .codebook import MAX_XML_BYTES, CodebookReader, Summary, parse_guid, parse_xml, read_sets
from .common import PROJECT_NS, derived_guid, user_name
from .texts import pieces, segment_dicts, split_turns

MAX_ENTRIES = 10_000
MAX_TEXT_BYTES = 20_000_000
MAX_MEDIA_BYTES = 2**31 - 1  # the standard's limit for an internal file
NS = {"q": PROJECT_NS}


class ProjectReader:
    def __init__(self, season, archive, root, user, summary: Summary):
        self.season, self.archive, self.root, self.by = season, archive, root, user
        self.summary = summary
        self.entries = {info.filename.casefold(): info for info in archive.infolist()}
        self.codebook = CodebookReader(season, summary, PROJECT_NS)
        self.users = {}  # file user GUID -> (researcher or None, name)
        self.interviews = {}  # source GUID -> Interview
        self.note_targets = {}  # note GUID -> {"excerpt": ...} / {"interview": ...}
        self.memos = {}  # note GUID -> Memo
        self.visit = None
        self.known = None  # see known_sources()

    def run(self):
        self.read_users()
        codes = self.root.find("q:CodeBook/q:Codes", NS)
        if codes is not None:
            self.codebook.read(codes)
        for element in self.root.findall("q:Sources/*", NS):
            self.source(element)
        for ref in self.root.findall("q:NoteRef", NS):
            self.note_targets.setdefault(parse_guid(ref.get("targetGUID")), {"season": self.season})
        self.read_notes()
        read_cases(self.season, self.root, self.interviews, self.summary)
        sets = self.root.find("q:Sets", NS)
        if sets is not None:
            read_sets(
                self.season,
                sets,
                NS,
                self.summary,
                codes=self.codebook.codes,
                interviews=self.interviews,
                memos=self.memos,
            )

    # Users -------------------------------------------------------------------------------------
    def read_users(self):
        index = {}
        for researcher in self.season.researchers.all():
            names = (researcher.get_username(), researcher.email, user_name(researcher))
            for key in names:
                if key and key.strip():
                    index.setdefault(key.strip().casefold(), researcher)
        for element in self.root.findall("q:Users/q:User", NS):
            name = " ".join((element.get("name") or "").split())[:200]
            ident = (element.get("id") or "").strip()
            match = index.get(name.casefold()) or index.get(ident.casefold())
            label = name or ident or _("unnamed coder")
            if match is not None:
                self.summary.users_mapped.append((label, user_name(match)))
                self.users[parse_guid(element.get("guid"))] = (match, "")
            else:
                self.summary.named_coders.append(label)
                self.users[parse_guid(element.get("guid"))] = (None, label)

    def coder(self, guid):
        return self.users.get(parse_guid(guid), (None, ""))

    # Files -------------------------------------------------------------------------------------
    def entry(self, path: str | None):
        if not path or not path.startswith("internal://"):
            if path:
                self.summary.warnings.append(
                    _("%(path)s is outside the archive and was not imported.") % {"path": path}
                )
            return None
        name = path.removeprefix("internal://").lstrip("/")
        info = self.entries.get(f"sources/{name}".casefold())
        if info is None:
            self.summary.warnings.append(
                _("%(path)s is missing from the archive.") % {"path": path}
            )
        return info

    def text_of(self, element) -> str:
        content = element.find("q:PlainTextContent", NS)
        if content is not None:
            return content.text or ""
        info = self.entry(element.get("plainTextPath"))
        if info is None:
            return ""
        text = read_entry(self.archive, info, MAX_TEXT_BYTES).decode("utf-8", errors="replace")
        # QualCoder writes a byte order mark; its positions count from the character after it.
        return text.removeprefix("\ufeff")

    # Sources -----------------------------------------------------------------------------------
    def new_visit(self) -> Visit:
        if self.visit is None:
            name = self.root.get("name") or ""
            self.visit = Visit.objects.create(
                season=self.season,
                date=(moment_of(self.root) or timezone.now()).date(),
                place=(_("REFI-QDA import: %(name)s") % {"name": name})[:200],
                notes=self.root.get("origin") or "",
            )
        return self.visit

    def source(self, element):
        kind = local(element.tag)
        if kind == "TextSource":
            self.interview(element, element)
        elif kind == "PDFSource" and element.find("q:Representation", NS) is not None:
            self.interview(element, element.find("q:Representation", NS))
        elif kind in ("AudioSource", "VideoSource"):
            transcript = element.find("q:Transcript", NS)
            interview = self.interview(element, transcript)
            if interview is not None:
                self.recording(
                    element, interview, Kind.AUDIO if kind == "AudioSource" else Kind.VIDEO
                )
            skipped = len(element.findall(f"q:{kind.removesuffix('Source')}Selection", NS))
            if skipped:
                self.summary.warnings.append(
                    ngettext(
                        "%(n)d time-coded selection of %(name)s was not imported.",
                        "%(n)d time-coded selections of %(name)s were not imported.",
                        skipped,
                    )
                    % {"n": skipped, "name": element.get("name") or ""}
                )
        else:
            self.summary.warnings.append(
                _("%(name)s (%(kind)s) was not imported: only texts and recordings are.")
                % {"name": element.get("name") or "", "kind": kind}
            )

    def known_sources(self) -> dict:
        """The season's interviews by the GUID they have or had in a REFI-QDA file: imported
        ones keep theirs, ours are exported under GUIDs derived from their rows."""
        if self.known is None:
            transcripts = Transcript.objects.filter(interview__visit__season=self.season)
            transcript_of = dict(transcripts.values_list("interview_id", "pk"))
            self.known = {}
            for interview in Interview.objects.filter(visit__season=self.season):
                self.known[derived_guid("interview", interview.pk)] = interview
                if interview.pk in transcript_of:
                    self.known[derived_guid("transcript", transcript_of[interview.pk])] = interview
                if interview.source_guid:
                    self.known[str(interview.source_guid)] = interview
        return self.known

    def interview(self, element, text_element) -> Interview | None:
        guid = parse_guid(element.get("guid")) or str(uuid.uuid4())
        name = " ".join((element.get("name") or "").split())[:200] or _("Imported source")
        existing = self.known_sources().get(guid)
        if existing is not None:
            self.interviews[guid] = existing
            self.summary.sources_skipped.append(name)
            return None
        moment = moment_of(element)
        description = element.find("q:Description", NS)
        interview = Interview.objects.create(
            visit=self.new_visit(),
            title=name,
            date=moment.date() if moment else None,
            notes=(description.text or "").strip() if description is not None else "",
            source_guid=guid,
        )
        self.interviews[guid] = interview
        self.summary.sources.append(name)
        for holder in {element, text_element} - {None}:
            for ref in holder.findall("q:NoteRef", NS):
                self.note_targets[parse_guid(ref.get("targetGUID"))] = {"interview": interview}
        if text_element is not None:
            self.transcript(interview, text_element)
        return interview

    def transcript(self, interview, element):
        text = self.text_of(element)
        if not text.strip():
            return
        sync = {}
        for point in element.findall("q:SyncPoint", NS):
            sync[parse_guid(point.get("guid"))] = (
                int(point.get("position") or 0),
                int(point.get("timeStamp") or 0),
            )
        selections = [self.selection(e, sync) for e in element.findall("q:PlainTextSelection", NS)]
        selections += [
            self.selection(e, sync) for e in element.findall("q:TranscriptSelection", NS)
        ]
        selections = [s for s in selections if s is not None]
        turns = split_turns(text, [s.start for s in selections], sync.values())
        transcript = Transcript.objects.create(
            interview=interview, source=_("REFI-QDA import")[:200]
        )
        segments = import_segments(transcript, segment_dicts(turns))
        for selection in selections:
            self.excerpt(
                interview, selection, pieces(selection.start, selection.end, turns, segments)
            )

    def selection(self, element, sync) -> Selection | None:
        try:
            if local(element.tag) == "TranscriptSelection":
                start = sync[parse_guid(element.get("fromSyncPoint"))][0]
                end = sync[parse_guid(element.get("toSyncPoint"))][0]
            else:
                start, end = int(element.get("startPosition")), int(element.get("endPosition"))
        except (KeyError, TypeError, ValueError):
            self.summary.excerpts_skipped += 1
            return None
        codings = element.findall("q:Coding", NS)
        user = element.get("creatingUser") or element.get("modifyingUser")
        user = user or next((c.get("creatingUser") for c in codings if c.get("creatingUser")), None)
        description = element.find("q:Description", NS)
        return Selection(
            guid=parse_guid(element.get("guid")),
            start=start,
            end=end,
            user=user,
            moment=moment_of(element),
            codes=[
                parse_guid(ref.get("targetGUID"))
                for ref in element.findall("q:Coding/q:CodeRef", NS)
            ],
            notes=[parse_guid(ref.get("targetGUID")) for ref in element.findall("q:NoteRef", NS)],
            description=(description.text or "").strip() if description is not None else "",
        )

    def excerpt(self, interview, selection: Selection, parts):
        codes = [self.codebook.codes[g] for g in selection.codes if g in self.codebook.codes]
        user, name = self.coder(selection.user)
        if not parts or not (codes or selection.notes or selection.description):
            self.summary.excerpts_skipped += 1
            return
        if not codes:
            # An annotation (a note on an uncoded passage): a memo of the interview.
            for note in selection.notes:
                self.note_targets[note] = {"interview": interview}
            if selection.description:
                quoted = " ".join(segment.text[a:b] for segment, a, b in parts)
                self.memo(
                    {"interview": interview},
                    f"« {quoted} »\n{selection.description}",
                    user,
                    name,
                    selection.moment,
                )
            return
        # One excerpt, from its first turn to its last, however many turns it runs over.
        (segment, start, _end), (last, _start, end) = parts[0], parts[-1]
        guid = selection.guid
        if guid is None or Excerpt.objects.filter(guid=guid).exists():
            guid = uuid.uuid4()
        first = Excerpt(
            segment=segment,
            end_segment=last if len(parts) > 1 else None,
            start=start,
            end=end,
            coder=user,
            coder_name=name,
            guid=guid,
        )
        first.text = first.text_of([part[0] for part in parts])
        first.save()
        first.codes.set(codes)
        if selection.moment:
            Excerpt.objects.filter(pk=first.pk).update(created_at=selection.moment)
        self.summary.excerpts += 1
        for note in selection.notes:
            self.note_targets[note] = {"excerpt": first}
        if selection.description:
            self.memo({"excerpt": first}, selection.description, user, name, selection.moment)

    def recording(self, element, interview, kind):
        info = self.entry(element.get("path"))
        if info is None:
            return
        name = element.get("name") or interview.title
        suffix = PurePath(info.filename).suffix
        filename = name if name.lower().endswith(suffix.lower()) else f"{name}{suffix}"
        try:
            with tempfile.NamedTemporaryFile(suffix=suffix) as copy:
                copy_entry(self.archive, info, copy, MAX_MEDIA_BYTES)
                copy.seek(0)
                store_upload(File(copy, name=filename), interview, kind, user=self.by)
        except (UploadRefused, TerrainError) as exc:
            self.summary.recordings_refused.append((filename, getattr(exc, "message", str(exc))))
            return
        self.summary.recordings.append(filename)

    # Notes, cases ------------------------------------------------------------------------------
    def memo(self, target, text, user, name, moment, guid=None):
        if guid is None or Memo.objects.filter(guid=guid).exists():
            guid = uuid.uuid4()
        memo = Memo.objects.create(text=text, author=user, author_name=name, guid=guid, **target)
        if moment:
            Memo.objects.filter(pk=memo.pk).update(created_at=moment)
        self.summary.memos += 1
        return memo

    def read_notes(self):
        already = season_memo_guids(self.season)
        for element in self.root.findall("q:Notes/q:Note", NS):
            guid = parse_guid(element.get("guid"))
            if guid in already:
                self.memos[guid] = Memo.objects.get(guid=guid)
                continue
            text = self.text_of(element).strip()
            if not text:
                description = element.find("q:Description", NS)
                text = (description.text or "").strip() if description is not None else ""
            if not text:
                continue
            target = self.note_targets.get(guid)
            if target is None and guid in self.codebook.code_notes:
                target = {"code": self.codebook.code_notes[guid]}
            user, name = self.coder(element.get("creatingUser") or element.get("modifyingUser"))
            target = target or {"season": self.season}
            self.memos[guid] = self.memo(target, text, user, name, moment_of(element), guid)


def season_memo_guids(season) -> set[str]:
    memos = Memo.objects.filter(season=season).values_list("guid", flat=True)
    memos = memos.union(
        Memo.objects.filter(interview__visit__season=season).values_list("guid", flat=True),
        Memo.objects.filter(code__season=season).values_list("guid", flat=True),
        Memo.objects.filter(
            excerpt__segment__transcript__interview__visit__season=season
        ).values_list("guid", flat=True),
    )
    return {str(guid) for guid in memos}


def import_qdpx(season, upload, *, user=None) -> Summary:
    """Import a `.qdpx` archive (a file object) into the season; what was done is summarised."""
    try:
        archive = zipfile.ZipFile(upload)
    except (zipfile.BadZipFile, OSError) as exc:
        raise TerrainError(
            _("This file is not a REFI-QDA project (.qdpx): it is not a zip archive.")
        ) from exc
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_ENTRIES:
            raise TerrainError(_("The archive holds too many files."))
        projects = [
            i for i in infos if i.filename.lower().endswith(".qde") and "/" not in i.filename
        ]
        projects.sort(key=lambda i: i.filename.lower() != "project.qde")
        if not projects:
            raise TerrainError(
                _("This archive holds no project.qde: it is not a REFI-QDA project.")
            )
        data = read_entry(archive, projects[0], MAX_XML_BYTES)
        root, _namespace = parse_xml(data, (PROJECT_NS,), _("project (.qdpx)"))
        summary = Summary()
        with transaction.atomic():
            ProjectReader(season, archive, root, user, summary).run()
    return summary
