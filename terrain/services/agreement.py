"""Blind double coding: started, declared done, measured, and its disagreements settled."""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..agreement import Tally, excerpt_spans, tally
from ..models import Code, DoubleCoder, DoubleCoding, Excerpt, Interview, Segment, Settlement
from .errors import TerrainError


def reference_name() -> str:
    """How the reference coding is named where a coder's name goes (reader, REFI-QDA User)."""
    return _("Reference coding")


@transaction.atomic
def start_double_coding(interviews, coders, *, by) -> list[DoubleCoding]:
    """Put each interview in blind double coding by `coders` (two or more of its season)."""
    coders = list({coder.pk: coder for coder in coders}.values())
    if len(coders) < 2:
        raise TerrainError(_("Double coding needs at least two coders."))
    interviews = list(interviews)
    if not interviews:
        raise TerrainError(_("Choose at least one interview."))
    for interview in interviews:
        season = interview.visit.season
        if season.researchers.filter(pk__in=[c.pk for c in coders]).count() != len(coders):
            raise TerrainError(_("Every coder must be a researcher of the season."))
        if DoubleCoding.objects.filter(interview=interview).exists():
            raise TerrainError(
                _("%(interview)s is already in double coding.") % {"interview": interview}
            )
    created = []
    for interview in interviews:
        double = DoubleCoding.objects.create(interview=interview, created_by=by)
        DoubleCoder.objects.bulk_create(DoubleCoder(double_coding=double, coder=c) for c in coders)
        created.append(double)
    return created


def _turn(double: DoubleCoding, coder) -> DoubleCoder:
    turn = double.turns.filter(coder=coder).first()
    if turn is None:
        raise TerrainError(_("You are not one of this interview's coders."))
    return turn


@transaction.atomic
def declare_done(double: DoubleCoding, coder) -> DoubleCoding:
    """This coder has finished; once every coder has, the codings are shown to all, and the
    passages they agree on become the reference coding at once."""
    double = DoubleCoding.objects.select_for_update().get(pk=double.pk)
    turn = _turn(double, coder)
    if turn.done_at is None:
        turn.done_at = timezone.now()
        turn.save(update_fields=["done_at"])
    if double.revealed_at is None and not double.turns.filter(done_at=None).exists():
        double.revealed_at = timezone.now()
        double.save(update_fields=["revealed_at"])
        for passage in passages(double):
            if passage.agreed:
                _settle(double, passage, Settlement.Choice.AGREED, None, by=None)
    return double


@transaction.atomic
def reopen(double: DoubleCoding, coder) -> None:
    """Take back one's "done" while the others have not all finished (nothing is shown yet)."""
    if double.revealed_at is not None:
        raise TerrainError(_("Every coder has finished: the codings are compared now."))
    turn = _turn(double, coder)
    turn.done_at = None
    turn.save(update_fields=["done_at"])


def refuse_if_locked(interview_id, coder) -> None:
    """A coder who declared an interview done keeps the coding they declared: it is what the
    agreement measures and what the team settles."""
    if coder is None:
        return
    if DoubleCoder.objects.filter(
        double_coding__interview_id=interview_id, coder=coder, done_at__isnull=False
    ).exists():
        raise TerrainError(
            _("You declared this interview done in double coding: your coding of it is kept as is.")
        )


# Passages: where the coders' excerpts of a turn overlap, merged, with who coded what.


@dataclass
class Passage:
    segment: object
    start: int
    end: int
    excerpts: list = field(default_factory=list)
    agreed: bool = False
    settled: bool = False

    @property
    def key(self) -> str:
        """The passage as the settle form names it: its coders' excerpts."""
        return ",".join(str(pk) for pk in sorted(e.pk for e in self.excerpts))

    @property
    def text(self) -> str:
        return self.segment.text[self.start : self.end]

    def marks(self, coder_id) -> dict[int, set[int]]:
        """{code id: characters of the segment} this coder coded in the passage."""
        marks = {}
        for excerpt in self.excerpts:
            if excerpt.coder_id != coder_id:
                continue
            for segment_id, start, end in excerpt_spans(excerpt):
                if segment_id != self.segment.pk:
                    continue
                for code in excerpt.codes.all():
                    marks.setdefault(code.pk, set()).update(range(start, end))
        return marks


def originals(double: DoubleCoding):
    """The coders' own excerpts of the interview (not the reference's)."""
    return (
        Excerpt.objects.filter(
            segment__transcript__interview=double.interview,
            coder__in=double.coders.all(),
        )
        .select_related("segment", "coder")
        .prefetch_related("codes")
        .order_by("segment__position", "start", "pk")
    )


def passages(double: DoubleCoding) -> list[Passage]:
    """The passages of the interview that a coder coded, in reading order: overlapping excerpts
    of one turn (whoever made them) are one passage."""
    coder_ids = [turn.coder_id for turn in double.turns.all()]
    # The turns by id: an excerpt's pieces may lie in other turns than its own.
    segments = {
        segment.pk: segment
        for segment in Segment.objects.filter(transcript__interview=double.interview_id)
    }
    at = {segment.position: segment for segment in segments.values()}
    pieces = []
    for excerpt in originals(double):
        for segment_id, start, end in excerpt_spans(excerpt):
            pieces.append((segments[segment_id].position, start, end, excerpt))
    pieces.sort(key=lambda piece: piece[:3])
    result = []
    for position, start, end, excerpt in pieces:
        last = result[-1] if result else None
        if last is not None and last.segment.position == position and start < last.end:
            last.end = max(last.end, end)
            if excerpt not in last.excerpts:
                last.excerpts.append(excerpt)
        else:
            result.append(Passage(at[position], start, end, [excerpt]))
    settled = set(
        Settlement.originals.through.objects.filter(settlement__double_coding=double).values_list(
            "excerpt_id", flat=True
        )
    )
    for passage in result:
        first = passage.marks(coder_ids[0])
        passage.agreed = all(passage.marks(c) == first for c in coder_ids[1:])
        passage.settled = all(e.pk in settled for e in passage.excerpts)
    return result


def _runs(characters: set[int]) -> list[tuple[int, int]]:
    runs = []
    for char in sorted(characters):
        if runs and runs[-1][1] == char:
            runs[-1][1] = char + 1
        else:
            runs.append([char, char + 1])
    return [tuple(run) for run in runs]


def _settle(double, passage: Passage, choice, kept_coder, *, by) -> Settlement:
    coder_ids = [turn.coder_id for turn in double.turns.all()]
    if choice == Settlement.Choice.AGREED:
        kept = [coder_ids[0]]
    elif choice == Settlement.Choice.CODER:
        kept = [kept_coder.pk]
    elif choice == Settlement.Choice.ALL:
        kept = coder_ids
    else:
        kept = []
    by_code = {}
    for coder_id in kept:
        for code_id, chars in passage.marks(coder_id).items():
            by_code.setdefault(code_id, set()).update(chars)
    # One reference excerpt per span, carrying every code kept on exactly that span.
    spans = {}
    for code_id, chars in by_code.items():
        for span in _runs(chars):
            spans.setdefault(span, []).append(code_id)
    settlement = Settlement.objects.create(
        double_coding=double, choice=choice, kept_coder=kept_coder, settled_by=by
    )
    settlement.originals.set(passage.excerpts)
    segment, name = passage.segment, reference_name()
    codes = {code.pk: code for code in Code.objects.filter(pk__in=by_code)}
    for (start, end), code_ids in sorted(spans.items()):
        excerpt = Excerpt.objects.create(
            segment=segment, start=start, end=end, text=segment.text[start:end], coder_name=name
        )
        excerpt.codes.set([codes[pk] for pk in code_ids])
        settlement.excerpts.add(excerpt)
    return settlement


@transaction.atomic
def settle_passage(double: DoubleCoding, key: str, choice: str, *, kept_coder=None, by):
    """Settle the passage whose coders' excerpts are `key`: keep one coder's coding, every
    coder's, or none. The coders' excerpts stay as they were."""
    double = DoubleCoding.objects.select_for_update().get(pk=double.pk)
    if double.revealed_at is None:
        raise TerrainError(_("The coders have not all finished: nothing can be settled yet."))
    if choice not in Settlement.Choice.values or choice == Settlement.Choice.AGREED:
        raise TerrainError(_("Choose what to keep of this passage."))
    if choice == Settlement.Choice.CODER:
        if kept_coder is None or not double.turns.filter(coder=kept_coder).exists():
            raise TerrainError(_("Choose one of this interview's coders."))
    else:
        kept_coder = None
    passage = next((p for p in passages(double) if p.key == key), None)
    if passage is None:
        raise TerrainError(_("This passage is no longer there: reload the page."))
    if passage.settled:
        raise TerrainError(_("This passage is already settled."))
    return _settle(double, passage, choice, kept_coder, by=by)


# Figures.


@dataclass
class CodeFigures:
    code: object  # a Code, or None for the overall row
    tally: Tally

    @property
    def percentage(self):
        return self.tally.percentage()

    @property
    def kappa(self):
        return self.tally.kappa()

    @property
    def alpha(self):
        return self.tally.alpha()


def figures(double: DoubleCoding) -> list[CodeFigures]:
    """Agreement for each code a coder used in the interview, then overall (codes pooled)."""
    coder_ids = [turn.coder_id for turn in double.turns.all()]
    transcript = getattr(double.interview, "transcript", None)
    if transcript is None:
        return []
    lengths = {pk: len(text) for pk, text in transcript.segments.values_list("pk", "text")}
    coverage, codes = {}, {}
    for excerpt in originals(double):
        for code in excerpt.codes.all():
            codes[code.pk] = code
            spans = coverage.setdefault(code.pk, [[] for _ in coder_ids])
            spans[coder_ids.index(excerpt.coder_id)] += excerpt_spans(excerpt)
    rows = [
        CodeFigures(code, tally(lengths, coverage[code.pk]))
        for code in sorted(codes.values(), key=lambda code: (code.position, code.name))
    ]
    if rows:
        overall = rows[0].tally
        for row in rows[1:]:
            overall = overall + row.tally
        rows.append(CodeFigures(None, overall))
    return rows


def double_codings(season):
    """The season's interviews in double coding, with their coders and how far each has got."""
    return (
        DoubleCoding.objects.filter(interview__visit__season=season)
        .select_related("interview__visit", "interview__transcript")
        .prefetch_related("turns__coder")
    )


def interviews_without(season):
    return Interview.objects.filter(visit__season=season, double_coding=None).order_by(
        "visit__date", "date", "pk"
    )


# What the reader shows of an interview in double coding.

READER_ALL, READER_REFERENCE = "tout", "reference"


def reference_excerpts(double: DoubleCoding):
    return Settlement.excerpts.through.objects.filter(settlement__double_coding=double).values(
        "excerpt_id"
    )


def reader_double_coding(interview, user, choice=None) -> dict | None:
    """The reader's double-coding bar: blind or not for this user, their "done", and which
    coding is shown (`choice`: every coding, the reference, or one coder's) once revealed."""
    double = (
        DoubleCoding.objects.filter(interview=interview).prefetch_related("turns__coder").first()
    )
    if double is None:
        return None
    turns = list(double.turns.all())
    turn = next((t for t in turns if t.coder_id == user.pk), None)
    shown, current = None, READER_ALL
    if not double.blind:
        if choice == READER_REFERENCE:
            reference = reference_excerpts(double)
            shown, current = (lambda rows: rows.filter(pk__in=reference)), choice
        elif choice and choice.isdigit() and int(choice) in {t.coder_id for t in turns}:
            coder_id = int(choice)
            shown, current = (lambda rows: rows.filter(coder_id=coder_id)), choice
    return {
        "double": double,
        "turns": turns,
        "turn": turn,
        "blind": double.blind and turn is not None,
        "done": sum(1 for t in turns if t.done_at),
        "shown": shown,
        "current": current,
    }
