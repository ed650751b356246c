"""Keep one search inside its time budget: every part asks before it starts, skipped parts say so.

Matching and ranking stop at the deadline on their own (searchapp.search.collect); the parts after
them (partial matches, spelling, facets, snippets) are each asked `allows(part)` first. A part
that is refused is recorded, and the page carries one note naming what was left out, so a search
over budget answers with what it has instead of holding its caller (and, through the engine lock,
every other search) until it is done.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field


@dataclass
class Budget:
    """A deadline for one search and the list of parts it had to skip."""

    limit_s: float
    started: float = field(default_factory=time.perf_counter)
    skipped: list[str] = field(default_factory=list)
    late: bool = False   # matching itself ran out of time

    @property
    def deadline(self) -> float:
        return self.started + self.limit_s

    def left(self) -> float:
        """Return the seconds left, never below zero."""
        return max(0.0, self.deadline - time.perf_counter())

    def allows(self, part: str, reserve: float = 0.0) -> bool:
        """Tell whether `part` may start (some time left beyond `reserve`); record it when not."""
        if self.left() > reserve:
            return True
        if part not in self.skipped:
            self.skipped.append(part)
        return False

    def skip(self, part: str) -> None:
        """Record a part left out for lack of budget (a part that bounds its own work)."""
        if part not in self.skipped:
            self.skipped.append(part)

    def note(self) -> str | None:
        """Return the page's note about what the budget cut, or None when nothing was cut."""
        if not self.late and not self.skipped:
            return None
        text = f"The search took longer than {self.limit_s:g} s"
        if self.late:
            text += "; results may be incomplete"
        if self.skipped:
            text += "; left out: " + ", ".join(self.skipped)
        return text + "."
