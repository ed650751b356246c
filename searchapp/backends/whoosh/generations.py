"""Lay out index generations on disk and switch between them atomically.

    index/
      CURRENT          name of the live generation ("gen-0003"), replaced with os.replace
      writer.lock, last_reindex.json, last_ingest.json   (searchapp.indexing: lock, reports)
      gen-0003/        a Whoosh index + manifest.json + version.json

A full rebuild fills a new gen-N beside the live one and only then replaces CURRENT, so a reader
either sees the old generation or the finished new one; a crash before the switch leaves the old
one live and a leftover folder that the next writer removes.
"""
from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from searchapp.files import write_atomic

POINTER = "CURRENT"
_GEN_RE = re.compile(r"^gen-(\d{4,})$")


def current(index_dir: Path) -> Path | None:
    """Return the live generation folder, or None when no index was ever published."""
    # A rebuild can switch CURRENT and delete the old generation between our reading the
    # pointer and looking at the folder it names; read the pointer again before saying "none"
    # (tests/test_reliability_concurrency.py saw a 503 from exactly that).
    for _ in range(3):
        try:
            name = (index_dir / POINTER).read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return None
        if not _GEN_RE.match(name):
            return None
        path = index_dir / name
        if path.is_dir():
            return path
    return None


def commit_mark(generation: Path) -> tuple[str, float] | None:
    """Return (a name that changes with every commit, its time) from the newest TOC file.

    None when the generation has no TOC or was removed meanwhile (a rebuild's clean-up).
    """
    try:
        tocs = [(e.stat().st_mtime, e.name) for e in os.scandir(generation) if e.name.endswith(".toc")]
    except FileNotFoundError:
        return None
    if not tocs:
        return None
    mtime, name = max(tocs)
    return f"{generation.name}.{name.removesuffix('.toc')}", mtime


def generations(index_dir: Path) -> list[Path]:
    """Return every gen-N folder, oldest first."""
    if not index_dir.is_dir():
        return []
    found = [p for p in index_dir.iterdir() if p.is_dir() and _GEN_RE.match(p.name)]
    return sorted(found, key=lambda p: int(_GEN_RE.match(p.name).group(1)))


def new_generation(index_dir: Path) -> Path:
    """Create and return an empty folder for the next generation."""
    index_dir.mkdir(parents=True, exist_ok=True)
    existing = generations(index_dir)
    number = int(_GEN_RE.match(existing[-1].name).group(1)) + 1 if existing else 1
    path = index_dir / f"gen-{number:04d}"
    path.mkdir()
    return path


def publish(index_dir: Path, generation: Path) -> None:
    """Make `generation` the live one in a single atomic step."""
    write_atomic(index_dir / POINTER, generation.name + "\n")


def cleanup(index_dir: Path) -> list[str]:
    """Remove generations other than the live one (leftovers of crashes or older rebuilds).

    Readers that still hold files of a removed generation keep working: on POSIX an open file
    outlives its name, and the reader switches to CURRENT on its next refresh.
    """
    live = current(index_dir)
    removed = []
    for gen in generations(index_dir):
        if live is None or gen != live:
            shutil.rmtree(gen, ignore_errors=True)
            removed.append(gen.name)
    for tmp in index_dir.glob(".*.tmp") if index_dir.is_dir() else []:
        tmp.unlink(missing_ok=True)
    if live is not None:
        removed += _commit_leftovers(live)
    return removed


_WHOOSH_TEMP_RE = re.compile(r"^_\w+_\d+\.toc\.|\.tmp$")


def _commit_leftovers(generation: Path) -> list[str]:
    """Remove what a killed commit leaves inside a generation (call only under the writer lock).

    Whoosh writes its TOC as `_MAIN_N.toc.<time>` before renaming it and pools postings in a
    `<random>.tmp` folder; a kill in between leaves them, and Whoosh's own clean-up never matches
    those names (tests/test_reliability_crash.py, kill at toc-temp). Same for our `.name.tmp`.
    """
    removed = []
    for path in generation.iterdir():
        if _WHOOSH_TEMP_RE.search(path.name):
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
            removed.append(f"{generation.name}/{path.name}")
    return removed
