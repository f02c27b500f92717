"""The benchmark: each figure is a ratio against its floor, both measured in the same run.

A figure module defines a function decorated with `@figure(...)`; it receives the run's
`Context` (scale, database, server URL...) and returns a `Result`. `python -m bench` runs
every registered figure, prints a table and writes JSON to var/bench/, and exits non-zero
when a target is missed.
"""

from collections.abc import Callable
from dataclasses import asdict, dataclass, field

REGISTRY: list["Figure"] = []


@dataclass
class Result:
    """What one figure measured: the value, its floor, and how the ratio is judged."""

    name: str
    value: float | None
    floor: float | None = None
    unit: str = ""
    # "max": ratio = value / floor must stay <= target; "min": ratio must be >= target;
    # "limit": no floor, value itself must be <= target.
    kind: str = "max"
    target: float | None = None
    notes: str = ""
    details: dict = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        if self.kind == "limit" or not self.floor or self.value is None:
            return None
        return self.value / self.floor

    @property
    def met(self) -> bool | None:
        if self.target is None:
            return None
        measured = self.value if self.kind == "limit" else self.ratio
        if measured is None:
            return False
        return measured >= self.target if self.kind == "min" else measured <= self.target

    def as_dict(self) -> dict:
        return {**asdict(self), "ratio": self.ratio, "met": self.met}


@dataclass
class Figure:
    name: str
    function: Callable
    order: int = 100


def figure(name: str, order: int = 100):
    """Register a benchmark figure; `order` sorts them (data first, load test last)."""

    def register(function):
        REGISTRY.append(Figure(name, function, order))
        return function

    return register
