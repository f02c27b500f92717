"""Agreement between coders, counted on the characters of a transcript as QualCoder counts them.

Each character of the interview's transcript (its segments' text, end to end) is a unit; for a
code C each coder either coded it with C or did not. From those yes/no values:

- percentage agreement: the share of characters on which every coder says the same (QualCoder's
  "agreement between coders": dual coded + uncoded, over all characters);
- Cohen's kappa (two coders), from the 2x2 table of characters: both, A only, B only, neither;
  po = (both + neither) / n, pe = pA·pB + (1 - pA)·(1 - pB), kappa = (po - pe) / (1 - pe).
  QualCoder's own kappa restricts itself to the characters someone coded and multiplies pYes by
  pNo, which its code marks as unconfirmed; this is the textbook statistic instead;
- Krippendorff's alpha (two coders or more, nominal), by the `krippendorff` library.

A code's figures and the overall figures (every code used in the interview pooled: a unit is a
character and a code) come from the same `Tally`, which only counts characters, so that the
figures of a three-hour interview need no more memory than its text.
"""

from dataclasses import dataclass, field

import krippendorff
import numpy as np


def excerpt_spans(excerpt) -> list[tuple[int, int, int]]:
    """The characters an excerpt covers: [(segment id, start, end)], end excluded.

    The one place agreement reads an excerpt's extent, so that an excerpt running across several
    segments only changes this function.
    """
    if not excerpt.end_segment_id:
        return [(excerpt.segment_id, excerpt.start, excerpt.end)]
    return [(segment.pk, start, end) for segment, start, end in excerpt.pieces()]


@dataclass
class Tally:
    """How many characters each number of coders coded (`patterns[k]`: coded by exactly k of the
    m coders), and how many each coder coded (`coded[i]`). Tallies of codes add up."""

    coders: int
    patterns: np.ndarray = field(default=None)
    coded: np.ndarray = field(default=None)

    def __post_init__(self):
        if self.patterns is None:
            self.patterns = np.zeros(self.coders + 1, dtype=np.int64)
        if self.coded is None:
            self.coded = np.zeros(self.coders, dtype=np.int64)

    def __add__(self, other: "Tally") -> "Tally":
        return Tally(self.coders, self.patterns + other.patterns, self.coded + other.coded)

    @property
    def units(self) -> int:
        return int(self.patterns.sum())

    @property
    def agreed(self) -> int:
        """Units every coder marks the same way: coded by none or by all."""
        return int(self.patterns[0] + self.patterns[-1])

    def percentage(self) -> float | None:
        return 100 * self.agreed / self.units if self.units else None

    def confusion(self) -> tuple[int, int, int, int]:
        """Two coders: (both, first only, second only, neither)."""
        both = int(self.patterns[2])
        return both, int(self.coded[0]) - both, int(self.coded[1]) - both, int(self.patterns[0])

    def kappa(self) -> float | None:
        """Cohen's kappa of two coders; None for more, or when chance agreement is total."""
        if self.coders != 2 or not self.units:
            return None
        both, first, second, neither = self.confusion()
        n = both + first + second + neither
        observed = (both + neither) / n
        yes_a, yes_b = (both + first) / n, (both + second) / n
        chance = yes_a * yes_b + (1 - yes_a) * (1 - yes_b)
        if chance == 1:
            return None
        return (observed - chance) / (1 - chance)

    def value_counts(self) -> np.ndarray:
        """Krippendorff's value counts, one row per unit [coders saying no, coders saying yes],
        except that the units on which all coders agree are one row per value: such a unit adds
        m to that value's coincidences, and so does a row of x·m of one value ((x·m)² - x·m over
        x·m - 1 = x·m), so the sum, which is all alpha reads, is the same."""
        m = self.coders
        rows = [np.repeat([[m - k, k]], self.patterns[k], axis=0) for k in range(1, m)]
        rows.append(np.array([[m * self.patterns[0], 0], [0, m * self.patterns[m]]]))
        return np.concatenate(rows).astype(np.int64)

    def alpha(self) -> float | None:
        """Krippendorff's alpha (nominal); None when no character or every character is coded."""
        said_yes = int((self.patterns * np.arange(self.coders + 1)).sum())
        if not self.units or said_yes in (0, self.units * self.coders):
            return None
        return float(
            krippendorff.alpha(
                value_counts=self.value_counts(),
                value_domain=[0, 1],
                level_of_measurement="nominal",
            )
        )


def tally(lengths: dict[int, int], coverage: list[list[tuple[int, int, int]]]) -> Tally:
    """The tally of one code: `lengths` {segment id: characters} in reading order, `coverage`
    for each coder the spans (segment, start, end) they coded with the code."""
    offsets, total = {}, 0
    for segment_id, length in lengths.items():
        offsets[segment_id] = total
        total += length
    marks = np.zeros((len(coverage), total), dtype=bool)
    for coder, spans in enumerate(coverage):
        for segment_id, start, end in spans:
            base = offsets[segment_id]
            marks[coder, base + start : base + min(end, lengths[segment_id])] = True
    result = Tally(len(coverage))
    result.patterns = np.bincount(marks.sum(axis=0), minlength=len(coverage) + 1).astype(np.int64)
    result.coded = marks.sum(axis=1).astype(np.int64)
    return result
