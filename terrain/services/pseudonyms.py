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

from medias.models import PseudonymSuggestion, SuggestionStatus
from medias.processors.pseudonyms import names_pattern, replacer

from ..access import interview_of
from ..models import Excerpt, Interview, PseudonymChange, Transcript
from .consent import findings_of_interview, refresh_public_quotes
from .erasure import rewrite_segment_text, touching_excerpts
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
    interview, suggestion = _locked(suggestion)
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
        apply_accepted_pseudonyms(transcript, decided=suggestion.name)
    suggestion.refresh_from_db()
    return suggestion


def _locked(suggestion: PseudonymSuggestion):
    """(its interview, the suggestion read again and locked for the decision)."""
    interview = interview_of(suggestion.media.owner)
    if interview is None:
        raise TerrainError(_("This suggestion does not belong to an interview."))
    return interview, PseudonymSuggestion.objects.select_for_update().get(pk=suggestion.pk)


def accepted_decisions(interview: Interview) -> list[dict]:
    """[{"name", "pseudonym", "pk"}]: one line per accepted name, the first suggestion's pk."""
    decisions: dict[str, dict] = {}
    accepted = suggestions_for(interview).filter(status=SuggestionStatus.ACCEPTED).order_by("pk")
    for pk, name, pseudonym in accepted.values_list("pk", "name", "pseudonym"):
        decisions.setdefault(name.casefold(), {"pk": pk, "name": name, "pseudonym": pseudonym})
    return list(decisions.values())


def undo_refusal(interview: Interview) -> str | None:
    """Why accepted pseudonyms of this interview can no longer be undone, or None."""
    if any(finding.is_published for finding in findings_of_interview(interview.pk)):
        return _(
            "A published finding quotes this interview: its pseudonyms can no longer be undone."
        )
    return None


@transaction.atomic
def undo_pseudonym(suggestion: PseudonymSuggestion, *, by=None) -> int:
    """Put back the name an accepted suggestion replaced; the suggestion is to decide again.

    Segments get back their words and excerpts their offsets, as long as nothing changed them
    since (a later pseudonym or an edit must be undone first). Returns the segments restored.
    """
    interview, suggestion = _locked(suggestion)
    if suggestion.status != SuggestionStatus.ACCEPTED:
        raise TerrainError(_("This name was not replaced."))
    refusal = undo_refusal(interview)
    if refusal:
        raise TerrainError(refusal)
    changes = PseudonymChange.objects.select_for_update().filter(
        transcript__interview=interview, name__iexact=suggestion.name
    )
    restored = 0
    for change in changes.select_related("segment").order_by("-pk"):
        segment = change.segment
        if (segment.text, segment.speaker) != (change.text_after, change.speaker_after):
            raise TerrainError(
                _(
                    "The transcript changed where %(name)s was replaced (another pseudonym or "
                    "an edit): undo that first."
                )
                % {"name": suggestion.name}
            )
        segment.text, segment.speaker = change.text_before, change.speaker_before
        segment.save(update_fields=["text", "speaker"])
        excerpts = list(
            Excerpt.objects.filter(
                pk__in=[int(pk) for pk in change.excerpts_before]
            ).select_related("segment", "end_segment")
        )
        for excerpt in excerpts:
            start, end, _text = change.excerpts_before[str(excerpt.pk)]
            # Only the offsets into this segment: a passage running into another turn keeps
            # what that turn's own changes did; its text is read again from its turns.
            if not excerpt.spans_segments or excerpt.segment_id == segment.pk:
                excerpt.start = start
            if not excerpt.spans_segments or excerpt.end_segment_id == segment.pk:
                excerpt.end = end
            excerpt.text = excerpt.text_of()
        Excerpt.objects.bulk_update(excerpts, ["start", "end", "text"])
        restored += 1
    changes.delete()
    suggestions_for(interview).filter(
        name__iexact=suggestion.name, status=SuggestionStatus.ACCEPTED
    ).update(status=SuggestionStatus.PROPOSED)
    if restored:
        Transcript.objects.filter(interview=interview).first().save(update_fields=["updated_at"])
        refresh_public_quotes(findings_of_interview(interview.pk))
    logger.info("Pseudonym suggestion %s undone by %s", suggestion.pk, by)
    return restored


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
def apply_accepted_pseudonyms(transcript: Transcript, decided: str = "") -> int:
    """Replace every accepted name in the transcript's segments; returns how many changed.

    Idempotent: a second pass finds no name left (a pseudonym never contains an accepted name).
    With `decided` (the name just accepted), each change is journaled so it can be undone.
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
    for segment in segments:
        if not (pattern.search(segment.text) or pattern.search(segment.speaker)):
            continue
        before = (segment.text, segment.speaker)
        excerpts = {str(x.pk): [x.start, x.end, x.text] for x in touching_excerpts(segment)}
        rewrite_segment_text(segment, pattern, replace)
        segment.speaker = pattern.sub(replace, segment.speaker)[:100]
        segment.save(update_fields=["text", "speaker"])
        if decided:
            PseudonymChange.objects.create(
                transcript=transcript,
                segment=segment,
                name=decided,
                text_before=before[0],
                speaker_before=before[1],
                text_after=segment.text,
                speaker_after=segment.speaker,
                excerpts_before=excerpts,
            )
        changed += 1
    if changed:
        transcript.save(update_fields=["updated_at"])
        refresh_public_quotes(findings_of_interview(transcript.interview_id))
    return changed
