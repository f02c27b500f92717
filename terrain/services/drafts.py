"""Draft transcripts made by speech recognition: saved, reviewed, and their speakers assigned.

A recording uploaded to an interview with no transcript yet becomes a draft (medias' speech
stage, through `terrain/files.py`); it stays marked as a draft until a researcher has checked it
against the recording. Recognition gives one speaker; the researcher assigns speakers to runs
of segments, one gesture for a run.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Excerpt, Interview, Segment, Transcript
from .errors import TerrainError
from .transcripts import _match_speaker, import_segments


def wants_draft(interview: Interview) -> bool:
    """Whether a recording of this interview should be transcribed: it has no transcript, or
    only a draft that nobody has reviewed or coded yet (which the new draft replaces)."""
    transcript = Transcript.objects.filter(interview=interview).first()
    if transcript is None or not transcript.segments.exists():
        return True
    return (
        transcript.is_draft
        and transcript.reviewed_at is None
        and not Excerpt.objects.filter(segment__transcript=transcript).exists()
    )


def draft_language(interview: Interview) -> str | None:
    """The language to recognise the interview's recordings in, or None: no draft wanted."""
    return interview.language if wants_draft(interview) else None


@transaction.atomic
def save_draft(interview: Interview, segments: list[dict], made_with: dict) -> Transcript | None:
    """Give the interview its draft transcript; None when a researcher's transcript came first
    (it is kept as it is). Idempotent: the same segments twice leave the same rows."""
    Interview.objects.select_for_update().filter(pk=interview.pk).first()
    if not wants_draft(interview):
        return None
    transcript, _created = Transcript.objects.get_or_create(
        interview=interview, defaults={"language": interview.language}
    )
    import_segments(transcript, segments)
    model = made_with.get("model") or "?"
    transcript.is_draft = True
    transcript.language = made_with.get("language") or transcript.language
    # Stored in no language (the worker has no reader): the page says "speech recognition".
    transcript.source = f"faster-whisper: {model}"[:200]
    transcript.save(update_fields=["is_draft", "language", "source", "updated_at"])
    return transcript


def mark_reviewed(transcript: Transcript, user) -> Transcript:
    """A researcher has checked the draft against the recording: it is a transcript now."""
    transcript.is_draft = False
    transcript.reviewed_by = user
    transcript.reviewed_at = timezone.now()
    transcript.save(update_fields=["is_draft", "reviewed_by", "reviewed_at", "updated_at"])
    return transcript


@transaction.atomic
def assign_speaker(transcript: Transcript, segment_ids: list[int], speaker: str) -> list[int]:
    """Give `speaker` to the run of segments from the first to the last of those chosen (in
    the transcript's order, all between them included); the ids of the segments changed."""
    speaker = (speaker or "").strip()[:100]
    if not speaker:
        raise TerrainError(_("Choose or type the speaker."))
    positions = list(
        transcript.segments.filter(pk__in=segment_ids).values_list("position", flat=True)
    )
    if not positions:
        raise TerrainError(_("Select the segments of the turn first."))
    people = list(transcript.interview.people.select_related("person"))
    run = Segment.objects.filter(
        transcript=transcript, position__gte=min(positions), position__lte=max(positions)
    )
    changed = list(run.values_list("pk", flat=True))
    run.update(speaker=speaker, interviewee=_match_speaker(speaker, people))
    transcript.save(update_fields=["updated_at"])
    return changed


def speakers_of(transcript: Transcript) -> list[str]:
    """The names to pick from: the interviewees' speaker labels, then the transcript's speakers."""
    names = []
    for interviewee in transcript.interview.people.select_related("person"):
        names.append(interviewee.speaker_label.strip() or str(interviewee.person))
    used = transcript.segments.exclude(speaker="").order_by().values_list("speaker", flat=True)
    names.extend(sorted(set(used.distinct())))
    return list(dict.fromkeys(name for name in names if name))
