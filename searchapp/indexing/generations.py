"""Lay out index generations on disk and switch between them atomically.

    index/
      CURRENT          name of the live generation ("gen-0003"), replaced with os.replace
      writer.lock      flock'ed by the one running reindex
      last_reindex.json, last_ingest.json   what the last run did (for the Sources page)
      gen-0003/        a Whoosh index + manifest.json + version.json

A full rebuild fills a new gen-N beside the live one and only then replaces CURRENT, so a reader
either sees the old generation or the finished new one; a crash before the switch leaves the old
one live and a leftover folder that the next writer removes.
"""
from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from searchapp.errors import WriterBusy

POINTER = "CURRENT"
LOCK = "writer.lock"
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


def generations(index_dir: Path) -> list[Path]:
    """Return every gen-N folder, oldest first."""
    if not index_dir.is_dir():
        return []
    found = [p for p in index_dir.iterdir() if p.is_dir() and _GEN_RE.match(p.name)]
    return sorted(found, key=lambda p: int(_GEN_RE.match(p.name).group(1)))


def size_on_disk(folder: Path) -> int:
    """Return the bytes the files under `folder` take (apparent size; 0 when it is gone)."""
    total = 0
    for path in folder.rglob("*"):
        try:
            if path.is_file() and not path.is_symlink():
                total += path.stat().st_size
        except OSError:  # removed by a concurrent cleanup while we walked
            continue
    return total


def new_generation(index_dir: Path) -> Path:
    """Create and return an empty folder for the next generation."""
    index_dir.mkdir(parents=True, exist_ok=True)
    existing = generations(index_dir)
    number = int(_GEN_RE.match(existing[-1].name).group(1)) + 1 if existing else 1
    path = index_dir / f"gen-{number:04d}"
    path.mkdir()
    return path


def write_atomic(path: Path, text: str) -> None:
    """Write a small file so that readers see either the old or the new content."""
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def write_json(path: Path, data: Any) -> None:
    """Write JSON atomically (see write_atomic)."""
    write_atomic(path, json.dumps(data, ensure_ascii=False, indent=1, default=str))


def read_json(path: Path, default: Any = None) -> Any:
    """Return the JSON in `path`, or `default` when it is missing or unreadable."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return default


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


@contextlib.contextmanager
def writer_lock(index_dir: Path) -> Iterator[None]:
    """Hold the one-writer lock; raise WriterBusy at once when another process has it."""
    index_dir.mkdir(parents=True, exist_ok=True)
    path = index_dir / LOCK
    fh = open(path, "a+")
    try:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise WriterBusy(f"another reindex is running on {index_dir} (lock {path}); "
                             "try again when it has finished") from None
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
    finally:
        fh.close()
