"""Pseudonyms: proposed by the medias pipeline, decided by a researcher, applied to the transcript.

The suggestions are found in a transcript file uploaded to the interview (medias); the text they
change is the interview's segments (here). An accepted name becomes its pseudonym in every
segment, as a whole word and whatever its case, always the same pseudonym for the same name;
excerpts follow their words through the erasure's offset mechanism.
"""

import logging

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from medias.known_names import interview_of
from medias.models import PseudonymSuggestion, SuggestionStatus
from medias.processors.pseudonyms import names_pattern, replacer

from ..models import Interview, Transcript
from .consent import findings_of_interview, refresh_public_quotes
from .erasure import rewrite_segment_text
from .errors import TerrainError

logger = logging.getLogger(__name__)
MAX_PSEUDONYM = PseudonymSuggestion._meta.get_field("pseudonym").max_length


def suggestions_for(interview: Interview):
    """The suggestions found in the files of the interview or of its transcript."""
    transcripts = [
        str(pk)
        for pk in Transcript.objects.filter(interview=interview).values_list("pk", flat=True)
    ]
    return PseudonymSuggestion.objects.filter(
        Q(
            media__owner_type=ContentType.objects.get_for_model(Interview),
            media__owner_id=str(interview.pk),
        )
        | Q(
            media__owner_type=ContentType.objects.get_for_model(Transcript),
            media__owner_id__in=transcripts,
        )
    )


def pending_suggestions(interview: Interview):
    return suggestions_for(interview).filter(status=SuggestionStatus.PROPOSED)


def accepted_pseudonyms(interview: Interview) -> dict[str, str]:
    """{name: pseudonym}, one entry per name whatever its case (the first accepted wins)."""
    mapping: dict[str, str] = {}
    seen: set[str] = set()
    accepted = suggestions_for(interview).filter(status=SuggestionStatus.ACCEPTED).order_by("pk")
    for name, pseudonym in accepted.values_list("name", "pseudonym"):
        if name.casefold() not in seen:
            seen.add(name.casefold())
            mapping[name] = pseudonym
    return mapping


@transaction.atomic
def decide_suggestion(
    suggestion: PseudonymSuggestion, accept: bool, pseudonym: str | None = None, *, by=None
) -> PseudonymSuggestion:
    """Accept (with the proposed pseudonym, or `pseudonym`) or reject a suggestion.

    The same name proposed again (another upload, another case) gets the same decision. An
    accepted name is replaced at once in the interview's transcript.
    """
    interview = interview_of(suggestion.media.owner)
    if interview is None:
        raise TerrainError(_("This suggestion does not belong to an interview."))
    suggestion = PseudonymSuggestion.objects.select_for_update().get(pk=suggestion.pk)
    if suggestion.status != SuggestionStatus.PROPOSED:
        raise TerrainError(_("This suggestion was already decided."))
    same_name = pending_suggestions(interview).filter(name__iexact=suggestion.name)
    if not accept:
        same_name.update(status=SuggestionStatus.REJECTED)
        logger.info("Pseudonym suggestion %s rejected by %s", suggestion.pk, by)
        suggestion.refresh_from_db()
        return suggestion
    chosen = (pseudonym or "").strip() or suggestion.pseudonym.strip()
    already = {name.casefold(): value for name, value in accepted_pseudonyms(interview).items()}
    if suggestion.name.casefold() in already:
        if (
            pseudonym
            and pseudonym.strip()
            and pseudonym.strip() != already[suggestion.name.casefold()]
        ):
            raise TerrainError(
                _("%(name)s is already replaced by %(pseudonym)s in this transcript.")
                % {"name": suggestion.name, "pseudonym": already[suggestion.name.casefold()]}
            )
        chosen = already[suggestion.name.casefold()]
    _check_pseudonym(interview, chosen)
    same_name.update(status=SuggestionStatus.ACCEPTED, pseudonym=chosen)
    logger.info("Pseudonym suggestion %s accepted by %s", suggestion.pk, by)
    transcript = Transcript.objects.filter(interview=interview).first()
    if transcript is not None:
        apply_accepted_pseudonyms(transcript)
    suggestion.refresh_from_db()
    return suggestion


def _check_pseudonym(interview: Interview, pseudonym: str) -> None:
    if not pseudonym:
        raise TerrainError(_("A pseudonym cannot be empty."))
    if len(pseudonym) > MAX_PSEUDONYM:
        raise TerrainError(_("A pseudonym has at most %(n)d characters.") % {"n": MAX_PSEUDONYM})
    # A pseudonym that is itself a name found would be replaced again by a later pass.
    names = set(suggestions_for(interview).values_list("name", flat=True))
    if names and names_pattern(names).search(pseudonym):
        raise TerrainError(
            _("The pseudonym “%(pseudonym)s” contains a name found in this transcript.")
            % {"pseudonym": pseudonym}
        )


@transaction.atomic
def apply_accepted_pseudonyms(transcript: Transcript) -> int:
    """Replace every accepted name in the transcript's segments; returns how many changed.

    Idempotent: a second pass finds no name left (a pseudonym never contains an accepted name).
    """
    mapping = accepted_pseudonyms(transcript.interview)
    given = "\n".join(mapping.values())
    mapping = {
        name: value for name, value in mapping.items() if not names_pattern([name]).search(given)
    }
    if not mapping:
        return 0
    pattern, replace = replacer(mapping)
    changed = 0
    segments = transcript.segments.select_for_update().order_by("position")
    for segment in segments.prefetch_related("excerpts"):
        if not (pattern.search(segment.text) or pattern.search(segment.speaker)):
            continue
        rewrite_segment_text(segment, pattern, replace)
        segment.speaker = pattern.sub(replace, segment.speaker)[:100]
        segment.save(update_fields=["text", "speaker"])
        changed += 1
    if changed:
        transcript.save(update_fields=["updated_at"])
        refresh_public_quotes(findings_of_interview(transcript.interview_id))
    return changed
