"""Record what each corpus file held at the last reindex, and decide what changed since.

The manifest lives inside its index generation (gen-N/manifest.json), so it always describes the
index beside it. A file whose size and mtime are unchanged is not read at all; one whose stamp
changed is hashed, and only a different hash makes it "changed". A change to a source's
source.toml (display name, default language, date order) re-reads every file of that source.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from searchapp.indexing.generations import read_json, write_json

MANIFEST = "manifest.json"


@dataclass
class FileEntry:
    """What one corpus file was when it was last indexed, and what came of it."""

    size: int
    mtime_ns: int
    sha1: str
    outcome: str = "indexed"
    reason: str = ""
    ids: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)   # kept so an unchanged file's report still has them


@dataclass
class Manifest:
    files: dict[str, FileEntry] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)   # source -> sha1 of its config
    templates: dict[str, str] = field(default_factory=dict)  # source -> sha1 of its template lines
    schema_version: int = 0
    corpus: str = ""  # the corpus folder the index was built from (`check` compares with it)


@dataclass
class Plan:
    """What an incremental reindex has to do."""

    new: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    gone: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    touched: dict[str, tuple[int, int, str]] = field(default_factory=dict)  # re-stamped, same hash


def load(generation: Path | None) -> Manifest:
    """Return the manifest stored in a generation folder (empty when there is none)."""
    data = read_json(generation / MANIFEST, None) if generation else None
    if not data:
        return Manifest()
    files = {p: FileEntry(**e) for p, e in data.get("files", {}).items()}
    return Manifest(files=files, sources=dict(data.get("sources", {})),
                    templates=dict(data.get("templates", {})),
                    schema_version=int(data.get("schema_version", 0)),
                    corpus=str(data.get("corpus", "")))


def save(generation: Path, manifest: Manifest) -> None:
    """Write the manifest into its generation folder atomically."""
    write_json(generation / MANIFEST, {
        "schema_version": manifest.schema_version,
        "corpus": manifest.corpus,
        "sources": manifest.sources,
        "templates": manifest.templates,
        "files": {p: asdict(e) for p, e in sorted(manifest.files.items())},
    })


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
