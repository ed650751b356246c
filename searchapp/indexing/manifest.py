"""Record what each corpus file held at the last reindex, and decide what changed since.

The manifest (searchapp.backend.Manifest) is kept by the backend with its index, so it always
describes the index beside it. A file whose size and mtime are unchanged is not read at all; one whose stamp
changed is hashed, and only a different hash makes it "changed". A change to a source's
source.toml (display name, default language, date order) re-reads every file of that source.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from searchapp.backend import FileEntry, Manifest

__all__ = ["FileEntry", "Manifest", "Plan", "file_hash", "plan", "stamp"]


@dataclass
class Plan:
    """What an incremental reindex has to do."""

    new: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    gone: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    touched: dict[str, tuple[int, int, str]] = field(default_factory=dict)  # re-stamped, same hash


def file_hash(path: Path) -> str:
    """Return the sha1 of a file's bytes, read in chunks."""
    digest = hashlib.sha1()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def stamp(path: Path) -> tuple[int, int]:
    """Return (size, mtime_ns) of a file, or (-1, -1) when it cannot be stat'ed."""
    try:
        st = os.stat(path)
    except OSError:
        return -1, -1
    return st.st_size, st.st_mtime_ns


def plan(corpus_dir: Path, files: list[str], manifest: Manifest,
         stale_sources: set[str] = frozenset()) -> Plan:
    """Compare the files now under corpus_dir with the manifest: what is new, changed, gone."""
    out = Plan()
    present = set(files)
    for rel in files:
        old = manifest.files.get(rel)
        if old is None:
            out.new.append(rel)
            continue
        if rel.split("/", 1)[0] in stale_sources:
            out.changed.append(rel)
            continue
        size, mtime = stamp(corpus_dir / rel)
        if (size, mtime) == (old.size, old.mtime_ns):
            out.unchanged.append(rel)
            continue
        try:
            digest = file_hash(corpus_dir / rel)
        except OSError:
            out.changed.append(rel)  # unreadable now: re-ingest, the outcome will say why
            continue
        if digest == old.sha1:
            out.unchanged.append(rel)
            out.touched[rel] = (size, mtime, digest)
        else:
            out.changed.append(rel)
    out.gone = sorted(p for p in manifest.files if p not in present)
    return out
