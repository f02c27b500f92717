"""Quotes as the public may read them: consent checked now, names replaced as consent says.

Every public reader (the finding page, the search index text, the API, exports) goes through
`public_quotes()`, so a consent withdrawn or expired removes the quote from all of them at once.
"""

import re
from dataclasses import dataclass

from django.apps import apps
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from .models.coding import Excerpt
from .models.consent import Consent, Naming
from .models.fieldwork import Interviewee

WITHHELD = "[…]"


@dataclass(frozen=True)
class Quote:
    """One quote of a published finding; `removed` quotes carry neither text nor name."""

    excerpt_id: int
    text: str = ""
    speaker: str = ""
    removed: bool = False


def name_variants(person) -> list[str]:
    """The ways a person's name appears in a text, longest first."""
    first, last = person.first_name.strip(), person.last_name.strip()
    names = {f"{first} {last}".strip(), f"{last} {first}".strip(), first, last}
    return sorted((name for name in names if len(name) >= 2), key=len, reverse=True)


def name_pattern(person) -> re.Pattern | None:
    variants = name_variants(person)
    if not variants:
        return None
    alternatives = "|".join(re.escape(name) for name in variants)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def turns_of(excerpt) -> list:
    """The turns a quote is made of: its one segment, or every segment a passage runs over."""
    if not excerpt.spans_segments:
        return [excerpt.segment]
    return list(
        excerpt.segment.transcript.segments.filter(
            position__gte=excerpt.segment.position, position__lte=excerpt.end_segment.position
        )
        .select_related("interviewee__person", "interviewee__consent")
        .order_by("position")
    )


def _speaker(segment, people) -> Interviewee | None:
    if segment.interviewee_id:
        return segment.interviewee
    label = segment.speaker.strip().casefold()
    for interviewee in people:
        if label and label in interviewee.labels():
            return interviewee
    return None


def speakers_of(excerpt) -> list[Interviewee | None]:
    """Who speaks in the quote, turn by turn (None where a turn's speaker is not identified)."""
    people = excerpt.segment.transcript.interview.people.all()
    return [_speaker(segment, people) for segment in turns_of(excerpt)]


def speaker_of(excerpt) -> Interviewee | None:
    """Who speaks where the quote starts."""
    return speakers_of(excerpt)[0]


def refusal(excerpt, at=None) -> str | None:
    """Why this excerpt cannot be quoted publicly now, or None: every speaker of a passage
    running over several turns must allow it."""
    for interviewee in speakers_of(excerpt):
        if interviewee is None:
            return _("the speaker is not identified as an interviewee")
        consent = _consent(interviewee)
        if consent is None:
            return _("no consent is recorded for %(who)s") % {"who": interviewee.person}
        reason = consent.refusal(at)
        if reason is not None:
            return f"{reason} ({interviewee.person})"
    return None


def quote(excerpt, at=None) -> Quote:
    """The excerpt as the public may read it now, or a removed quote."""
    at = at or timezone.now()
    if refusal(excerpt, at) is not None:
        return Quote(excerpt.pk, removed=True)
    names = []
    for interviewee in speakers_of(excerpt):
        name = _consent(interviewee).display_name()
        if name not in names:
            names.append(name)
    return Quote(excerpt.pk, pseudonymise(excerpt.text, excerpt, at), " / ".join(names))


def pseudonymise(text: str, excerpt, at=None) -> str:
    """Replace the mentions of every interviewee of the interview who is not quoted by name."""
    for interviewee in excerpt.segment.transcript.interview.people.all():
        consent = _consent(interviewee)
        named = consent is not None and consent.naming == Naming.NAMED
        if named and consent.refusal(at) is None:
            continue
        pattern = name_pattern(interviewee.person)
        if pattern is None:
            continue
        shown = consent.pseudonym.strip() if consent and consent.pseudonym.strip() else WITHHELD
        if consent is not None and consent.withdrawn_at is not None:
            shown = WITHHELD
        text = pattern.sub(shown, text)
    return text


def _consent(interviewee) -> Consent | None:
    try:
        return interviewee.consent
    except Consent.DoesNotExist:
        return None


def backing_excerpts():
    """The excerpt rows with everything quoting needs, in a fixed number of queries."""
    people = Interviewee.objects.select_related("person", "consent")
    return Excerpt.objects.select_related(
        "end_segment",
        "segment__interviewee__person",
        "segment__interviewee__consent",
        "segment__transcript__interview",
    ).prefetch_related(Prefetch("segment__transcript__interview__people", queryset=people))


def quoted_links():
    """The quoted backing excerpts, in order, with everything `quote()` reads."""
    return (
        # From Django's app registry: models.findings calls this module (Finding.public_quotes),
        # so this module does not import it back.
        apps.get_model("terrain", "FindingExcerpt")
        .objects.filter(quoted=True)
        .prefetch_related(Prefetch("excerpt", queryset=backing_excerpts()))
        .order_by("position", "pk")
    )


def prefetch_quotes() -> Prefetch:
    """For a list of findings (API, exports): their quotes' rows in a fixed number of queries.

    Only the rows are prefetched; consent is still checked by `public_quotes()` at each call.
    """
    return Prefetch("backing", queryset=quoted_links(), to_attr="quoted_backing")


def public_quotes(finding, at=None) -> list[Quote]:
    """The quoted excerpts of a finding, in order, each checked against consent now."""
    at = at or timezone.now()
    links = getattr(finding, "quoted_backing", None)
    if links is None:
        links = quoted_links().filter(finding=finding)
    return [quote(link.excerpt, at) for link in links]


def public_text(quotes: list[Quote]) -> str:
    """What the search index holds of the quotes: only those the public may read."""
    return "\n".join(f"{q.speaker}: {q.text}" for q in quotes if not q.removed)
