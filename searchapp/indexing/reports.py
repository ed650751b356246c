"""What the last reindex did, kept beside the index for the Sources page, `stats` and the API.

Written by reindex at the end of a run, read by anyone: the web app reads them here and never
imports the writer (issue 9).
"""
from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any

from searchapp.backend import Manifest
from searchapp.files import read_json, write_json
from searchapp.models import IngestOutcome

LAST_REINDEX = "last_reindex.json"
LAST_INGEST = "last_ingest.json"


def write_reports(index_dir: Path, summary: Any, manifest: Manifest,
                  outcomes: dict[str, IngestOutcome]) -> None:
    """Persist the run summary (a ReindexSummary) and every file's outcome."""
    write_json(index_dir / LAST_REINDEX, asdict(summary))
    report = []
    for path, entry in sorted(manifest.files.items()):
        out = outcomes.get(path)
        if out is None:  # untouched this run: an indexed file is "unchanged", others keep why
            kind = "unchanged" if entry.outcome in ("indexed", "unchanged") else entry.outcome
            out = IngestOutcome(path, kind, entry.reason, list(entry.ids),  # type: ignore[arg-type]
                                list(entry.warnings))
        report.append(out.to_json())
    write_json(index_dir / LAST_INGEST, report, indent=None)


def last_run(index_dir: Path) -> dict[str, Any] | None:
    """Return the last reindex summary written to index_dir, if any."""
    return read_json(index_dir / LAST_REINDEX, None)


def last_ingest(index_dir: Path) -> list[dict[str, Any]]:
    """Return the per-file outcomes of the last reindex (what the Sources page lists)."""
    return read_json(index_dir / LAST_INGEST, []) or []
