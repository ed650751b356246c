"""Keep a manifest on disk: its JSON, and the story signatures beside it in one array file.

The story signatures (each article's MinHash values, searchapp.indexing.stories) are a fixed-width
array, 162 bytes an article: carried in the manifest's JSON as base64 they made it 55.6 MB at
209,473 articles, parsed by every desk sync and written by every reindex (a +100-article
reindex went from 1.0 to 4.4-4.9 s). They now live in a sidecar `.npy` file beside the JSON,
one row per article in the JSON's order (files sorted by path, each file's ids in order), named
with a token the JSON holds. The sidecar is written (and synced) before the JSON, which is
replaced atomically, so the JSON's swap commits both; a crash between leaves an orphan sidecar
that the next write removes. A reader that never asks for signatures (a desk sync, an unchanged
reindex) never reads the sidecar; the reindex that does reads it memory-mapped. When nothing but
unchanged entries point into the live sidecar in its own order, the next write keeps it as it is.

A lost sidecar (deleted, cut short) costs the signatures of the articles that pointed into it.
The next write names those files in the JSON (`sketches_lost`) instead of passing their
placeholder rows off as signatures, so they read as lost until they are read again: `check` keeps
saying so, and the next reindex re-reads them (searchapp.indexing.reindex) to restore them.

An old manifest with the signatures inline (`"sketches": "<base64>"` per file) is read as it is
and written the new way by the next commit: no rebuild.
"""
from __future__ import annotations

import base64
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from searchapp.backend import FileEntry, Manifest
from searchapp.files import write_atomic

SIDECAR_KEY = "sketches_file"
LOST_KEY = "sketches_lost"   # files whose signatures were lost: their sidecar rows are placeholders
_WIDTH_KEY = "sketches_width"
_DTYPE = np.dtype("<u2")


class Sidecar:
    """One sidecar file, memory-mapped when first needed (never, for most readers)."""

    def __init__(self, path: Path, rows: int, width: int) -> None:
        self.path = path
        self.rows = rows
        self.width = width
        self._array: np.ndarray | None = None

    def array(self) -> np.ndarray:
        """Return the whole array (rows x width); no rows when the file is missing or does not fit."""
        if self._array is None:
            try:
                arr = np.load(self.path, mmap_mode="r", allow_pickle=False)
            except (OSError, ValueError):
                arr = None
            if arr is None or arr.dtype != _DTYPE or arr.shape != (self.rows, self.width):
                # Not the file the manifest wrote (gone, cut short): the articles have no signatures,
                # as an entry from before stories had none; their next re-read gives them back.
                arr = np.zeros((0, self.width), dtype=_DTYPE)
            self._array = arr
        return self._array


@dataclass(frozen=True)
class Rows:
    """A file entry's signatures: rows start:stop of a sidecar."""

    sidecar: Sidecar
    start: int
    stop: int

    def __len__(self) -> int:
        return self.stop - self.start


def signatures(entry: FileEntry) -> np.ndarray | None:
    """Return an entry's signatures (one row per id), or None when it has none that fit its ids."""
    sk = entry.sketches
    if isinstance(sk, Rows):
        whole = sk.sidecar.array()
        arr = whole[sk.start:sk.stop] if len(whole) else None
    elif isinstance(sk, str):
        arr = _inline(sk, len(entry.stories))
    else:
        arr = sk
    if arr is None or len(arr) != len(entry.ids) or len(arr) != len(entry.stories):
        return None
    return arr


def _inline(text: str, rows: int) -> np.ndarray | None:
    """Return the signatures an old manifest held inline (base64 of little-endian uint16 rows)."""
    raw = base64.b64decode(text.encode("ascii")) if text else b""
    if not raw or not rows or len(raw) % (2 * rows):
        return None
    return np.frombuffer(raw, dtype=_DTYPE).reshape(rows, -1)


def read(path: Path) -> Manifest:
    """Return the manifest in `path` (empty when it is missing or unreadable), its signatures
    left in the sidecar until asked for."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Manifest()
    if not isinstance(data, dict):
        return Manifest()
    manifest = Manifest.from_json(data)
    name, width = data.get(SIDECAR_KEY), data.get(_WIDTH_KEY)
    if isinstance(name, str) and name and "/" not in name and isinstance(width, int):
        lost = data.get(LOST_KEY)
        lost = {rel for rel in lost if isinstance(rel, str)} if isinstance(lost, list) else set()
        order = [(rel, e) for rel, e in sorted(manifest.files.items()) if e.stories]
        sidecar = Sidecar(path.parent / name, sum(len(e.stories) for _, e in order), width)
        at = 0
        for rel, entry in order:
            entry.sketches = None if rel in lost else Rows(sidecar, at, at + len(entry.stories))
            at += len(entry.stories)
    return manifest


def lost(manifest: Manifest) -> list[str]:
    """Return the files whose articles have story keys but no signatures that fit them (a lost sidecar)."""
    return [rel for rel, e in sorted(manifest.files.items()) if e.stories and signatures(e) is None]


def write(path: Path, manifest: Manifest) -> None:
    """Write the manifest into `path` atomically, its signatures into a sidecar beside it first."""
    paths = [rel for rel, e in sorted(manifest.files.items()) if e.stories]
    order = [manifest.files[rel] for rel in paths]
    data: dict[str, Any] = manifest.to_json()
    sidecar = _reusable(order, path)
    if sidecar is None:
        parts = [signatures(e) for e in order]
        width = next((p.shape[1] for p in parts if p is not None and p.ndim == 2), 0)
        blocks = [_rows_for(e, p, width) for e, p in zip(order, parts)]
        array = np.concatenate(blocks) if blocks else np.zeros((0, width), dtype=_DTYPE)
        name = f"{path.stem}.sketches-{time.time_ns():x}.npy"
        _write_array(path.parent / name, array)
        width = array.shape[1]
        # (placeholder rows are "no signature", which an article without words has too: the
        # JSON says which are lost, so a reader never takes them for signatures)
        if missing := [rel for rel, p in zip(paths, parts) if p is None or p.shape[1:] != (width,)]:
            data[LOST_KEY] = missing
    else:
        name, width = sidecar.path.name, sidecar.width
    data[SIDECAR_KEY], data[_WIDTH_KEY] = name, width
    # Unindented: json's C encoder serves only that (the manifest is read by programs, not people).
    write_atomic(path, json.dumps(data, ensure_ascii=False, separators=(",", ":")))
    for old in path.parent.glob(f"{path.stem}.sketches-*.npy"):
        if old.name != name:
            old.unlink(missing_ok=True)


def _rows_for(entry: FileEntry, arr: np.ndarray | None, width: int) -> np.ndarray:
    """Return the sidecar rows of one entry: its signatures, or rows that match nothing."""
    if arr is not None and arr.shape[1:] == (width,):
        return np.asarray(arr, dtype=_DTYPE)
    # Unknown signatures (an entry from before stories, a sidecar that went missing): all-ones rows
    # are "no shingle, no number" (stories._NONE), so the article is nobody's copy until it is
    # read again, as before this file existed.
    return np.full((len(entry.stories), width), 0xFFFF, dtype=_DTYPE)


def _reusable(order: list[FileEntry], path: Path) -> Sidecar | None:
    """Return the sidecar of `path` that every entry already points into, whole and in order,
    or None (a sidecar of another manifest file is never shared: each removes its own)."""
    sidecar, at = None, 0
    for entry in order:
        sk = entry.sketches
        if not isinstance(sk, Rows) or (sidecar is not None and sk.sidecar is not sidecar) or sk.start != at:
            return None
        sidecar, at = sk.sidecar, sk.stop
    if (sidecar is None or at != sidecar.rows or sidecar.path.parent != path.parent
            or not sidecar.path.name.startswith(f"{path.stem}.sketches-") or not sidecar.path.exists()):
        return None
    return sidecar


def _write_array(path: Path, array: np.ndarray) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "wb") as fh:
        np.save(fh, np.ascontiguousarray(array, dtype=_DTYPE), allow_pickle=False)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
