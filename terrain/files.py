"""The fieldwork's files: an interview's recordings, transcripts, documents and photos.

Registered with `medias.owners` in apps.py: `medias` asks this module who may upload to an
interview and read its files (researchers of its season), logs each listening of a recording or
reading of a transcript in the access log, gives a processed transcript's segments to the
interview, and takes the interview's people as names the pseudonym suggestions should know.
"""

from django.utils.translation import gettext_lazy as _

from medias.access import NOT_READINGS, new_listening
from medias.models import Kind
from medias.processors import ProcessingError

from . import services
from .access import SEASON_LOOKUP, interview_of, log_access
from .models import AccessLog, Interview, Season, Transcript

KINDS = [Kind.AUDIO, Kind.VIDEO, Kind.TRANSCRIPT, Kind.DOCUMENT, Kind.IMAGE]
LABEL = _("interview")
# The kinds of an interview's files whose every reading goes to the access log.
LOGGED = {
    Kind.AUDIO: AccessLog.Target.RECORDING,
    Kind.VIDEO: AccessLog.Target.RECORDING,
    Kind.TRANSCRIPT: AccessLog.Target.TRANSCRIPT,
}


def interviews_for(user):
    """The interviews of the seasons this user may open (all for staff, none for the public)."""
    seasons = Season.objects.for_user(user)
    return Interview.objects.select_related("visit__season").filter(
        **{f"{SEASON_LOOKUP[Interview]}__in": seasons}
    )


def can_read(user, media, derived) -> bool:
    # Researchers of the season; never the public, whatever the rendition.
    interview = interview_of(media.owner)
    return interviews_for(user).filter(pk=interview.pk).exists()


def log_read(request, media, derived) -> None:
    """Record that a recording or a transcript was read, once a listening (medias.access)."""
    target = LOGGED.get(media.kind)
    if target is None:
        return
    if derived is not None and derived.name in NOT_READINGS:
        return
    if not new_listening(request, f"{media.pk}:{derived.name if derived else ''}"):
        return
    action = AccessLog.Action.VIEW if derived is not None else AccessLog.Action.DOWNLOAD
    log_access(request, action, target, interview=interview_of(media.owner))


def on_processed(media, job, output) -> None:
    """Give a processed transcript's segments to the interview (or to the transcript's)."""
    if "segments" not in output.records:
        return
    owner = media.owner
    if "draft" in output.records:
        # Speech recognition: a draft for an interview still without a researcher's transcript.
        try:
            services.save_draft(
                interview_of(owner), output.records["segments"], output.records["draft"]
            )
        except services.TerrainError as exc:
            raise ProcessingError(str(exc)) from None
        return
    if isinstance(owner, Interview):
        # A transcript uploaded from the interview page: the interview gets its transcript now.
        owner, _created = Transcript.objects.get_or_create(
            interview=owner, defaults={"language": owner.language}
        )
    try:
        services.import_segments(owner, output.records["segments"])
    # e.g. already coded: say why on the board, keep the old segments
    except services.TerrainError as exc:
        raise ProcessingError(str(exc)) from None


def draft_language(owner) -> str | None:
    """Recordings of an interview with no transcript yet get a draft in the interview's language."""
    if not isinstance(owner, Interview):
        return None
    return services.draft_language(owner)


def known_names(owner) -> list[tuple[str, str, str]]:
    """[(name, label, pseudonym)]: PER for people, ORG for organisations; the pseudonym is the
    one the person's consent records ("" when none), which the suggestions keep."""
    interview = interview_of(owner)
    names = []
    people = interview.people.select_related("person", "consent").prefetch_related(
        "person__affiliations__organisation"
    )
    for interviewee in people:
        person = interviewee.person
        consent = getattr(interviewee, "consent", None)
        pseudonym = consent.pseudonym.strip() if consent and consent.naming == "pseudonym" else ""
        names.append((f"{person.first_name} {person.last_name}", "PER", pseudonym))
        names.extend(
            (affiliation.organisation.name, "ORG", "") for affiliation in person.affiliations.all()
        )
    return names


def register() -> None:
    from medias import owners

    callables = {
        "can_read": can_read,
        "log_read": log_read,
        "on_processed": on_processed,
        "known_names": known_names,
    }
    owners.register(
        Interview,
        name="interview",
        kinds=KINDS,
        label=LABEL,
        may_upload=interviews_for,
        draft_language=draft_language,
        **callables,
    )
    # A transcript's own files (attached by code, not uploaded by URL) follow its interview's rules.
    owners.register(Transcript, **callables)
