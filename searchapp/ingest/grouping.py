"""Group per-file outcomes for people: files that are not articles by type, problems by reason.

A folder of 1,270 annotation files (.tokens, .spans...) beside its articles is one line, not
1,270; those files are not problems (their type is not an article format, nothing was tried).
A real problem (an empty page, an unreadable file) keeps its reason, with the first few paths.
Every file still has its own line in the JSON report; this is only how it is shown.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Iterable

from searchapp.ingest import discover

NOT_ARTICLE = "not article"   # the outcome shown for a file of a type that is not an article format
EXAMPLES = 3


def is_not_article(path: str, outcome: str) -> bool:
    """Tell a skipped file whose type is not an article format (not a problem) from the rest."""
    return outcome == "skipped" and discover.file_format(path) is None


def file_type(path: str) -> str:
    """Return the extension shown for a file ('.tokens', '(no extension)')."""
    return PurePosixPath(path).suffix.lower() or "(no extension)"


def reason_key(reason: str) -> str:
    """Return what files with the same kind of problem share: the reason's first clause, numbers out."""
    head = reason.split(":", 1)[0].strip() or "no reason given"
    return re.sub(r"\d[\d,.]*", "N", head)


@dataclass
class Group:
    """Files with one outcome and one kind of reason."""

    outcome: str                      # NOT_ARTICLE, "skipped" or "failed"
    reason: str                       # the shared reason (for one file: its whole reason)
    count: int = 0
    types: list[tuple[str, int]] = field(default_factory=list)      # extension, files; most first
    examples: list[tuple[str, str]] = field(default_factory=list)   # (path, its own reason)

    def line(self) -> str:
        """Return the group as one line of text."""
        files = f"{self.count:,} file{'s' if self.count != 1 else ''}"
        types = ", ".join(f"{ext} {n:,}" for ext, n in self.types)
        if self.outcome == NOT_ARTICLE:
            return f"{files} of unsupported types (not articles, not read): {types}"
        paths = ", ".join(p for p, _ in self.examples)
        more = f" and {self.count - len(self.examples):,} more" if self.count > len(self.examples) else ""
        return f"{files} {self.outcome}: {self.reason} ({types}): {paths}{more}"

    def to_json(self) -> dict[str, object]:
        return {"outcome": self.outcome, "reason": self.reason, "count": self.count,
                "types": dict(self.types),
                "examples": [{"path": p, "reason": r} for p, r in self.examples]}


def group(entries: Iterable[tuple[str, str, str]], examples: int = EXAMPLES) -> list[Group]:
    """Group (path, outcome, reason) of skipped and failed files; other outcomes are left out.

    Files that are not articles come first, then failed, then skipped, larger groups first.
    """
    found: dict[tuple[str, str], Group] = {}
    types: dict[tuple[str, str], Counter[str]] = {}
    for path, outcome, reason in entries:
        if outcome not in ("skipped", "failed"):
            continue
        if is_not_article(path, outcome):
            key = (NOT_ARTICLE, "")
        else:
            key = (outcome, reason_key(reason))
        g = found.setdefault(key, Group(key[0], key[1]))
        g.count += 1
        types.setdefault(key, Counter())[file_type(path)] += 1
        if len(g.examples) < examples:
            g.examples.append((path, reason))
    for key, g in found.items():
        g.types = sorted(types[key].items(), key=lambda kv: (-kv[1], kv[0]))
        if g.count == 1 and g.outcome != NOT_ARTICLE:
            g.reason = g.examples[0][1]  # one file: its whole reason, not the shared head
    order = {NOT_ARTICLE: 0, "failed": 1, "skipped": 2}
    return sorted(found.values(), key=lambda g: (order[g.outcome], -g.count, g.reason))
