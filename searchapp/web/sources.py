"""Read what the last reindex wrote for the Sources page: its summary and the files it could not use, grouped.

The per-file report can be large (one entry per corpus file), so it is parsed once per change of
the file and only the skipped and failed entries are kept.
"""
from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from searchapp.indexing import reindex
from searchapp.ingest import grouping

PROBLEMS = ("skipped", "failed")
SHOWN_PER_GROUP = 10  # paths listed under each group on the page; the rest are counted


@dataclass
class Report:
    """The last reindex: its summary (None when never run) and the files it could not use.

    `problems` lists the skipped and failed files by source, except files whose type is not an
    article format: those are counted ("not article") and shown in `groups`, by type, not as problems.
    """

    last_run: dict[str, Any] | None
    problems: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)     # outcome -> files
    groups: dict[str, list[grouping.Group]] = field(default_factory=dict)  # source -> groups
    warned: dict[str, list[dict[str, Any]]] = field(default_factory=dict)   # source -> files with warnings

    def problems_total(self) -> int:
        return sum(len(v) for v in self.problems.values())


_cache: dict[Path, tuple[tuple[float, float], Report]] = {}
_lock = threading.Lock()


def _stamp(path: Path) -> float:
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return 0.0


def summarise(last_run: dict[str, Any] | None, outcomes: list[dict[str, Any]]) -> Report:
    """Count outcomes and group the skipped and failed files by source, reason and type (pure)."""
    report = Report(last_run=last_run)
    entries: dict[str, list[tuple[str, str, str]]] = {}
    for entry in outcomes:
        kind = str(entry.get("outcome", ""))
        path = str(entry.get("path", ""))
        reason = str(entry.get("reason", ""))
        shown = grouping.NOT_ARTICLE if grouping.is_not_article(path, kind) else kind
        report.counts[shown] = report.counts.get(shown, 0) + 1
        source = path.split("/", 1)[0] if "/" in path else ""
        if entry.get("warnings"):
            report.warned.setdefault(source, []).append({"path": path, "warnings": list(entry["warnings"])})
        if kind in PROBLEMS:
            entries.setdefault(source, []).append((path, kind, reason))
            if shown != grouping.NOT_ARTICLE:
                report.problems.setdefault(source, []).append(
                    {"path": path, "outcome": kind, "reason": reason})
    report.groups = {source: grouping.group(items, examples=SHOWN_PER_GROUP)
                     for source, items in entries.items()}
    return report


def load(index_dir: Path) -> Report:
    """Return the report of the last reindex in index_dir, re-reading it only when it changed."""
    key = (_stamp(index_dir / reindex.LAST_REINDEX), _stamp(index_dir / reindex.LAST_INGEST))
    with _lock:
        hit = _cache.get(index_dir)
        if hit and hit[0] == key:
            return hit[1]
    report = summarise(reindex.last_run(index_dir), reindex.last_ingest(index_dir))
    with _lock:
        _cache[index_dir] = (key, report)
    return report
