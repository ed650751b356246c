"""Write a batch of changes into a Whoosh generation: one commit, or nothing at all.

Incremental: the live generation's writer, committed once; the manifest is written after the
commit (a crash between the two leaves files the manifest does not know yet, which the next run
treats as new, and every ingested path is deleted before it is added, so nothing is doubled).
Rebuild: a new generation beside the live one, published by one atomic rename of CURRENT.
"""
from __future__ import annotations

import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from searchapp import manifest_file
from searchapp.backend import Manifest
from searchapp.backends.whoosh import generations as gens
from searchapp.backends.whoosh import writer as wb
from searchapp.errors import IndexUnavailable
from searchapp.models import Article

MANIFEST = "manifest.json"


def load_manifest(generation: Path | None) -> Manifest:
    """Return the manifest stored in a generation folder (empty when there is none)."""
    return manifest_file.read(generation / MANIFEST) if generation else Manifest()


def save_manifest(generation: Path, manifest: Manifest) -> None:
    """Write the manifest (and its signatures' sidecar) into its generation folder atomically."""
    manifest_file.write(generation / MANIFEST, manifest)


class WhooshBatch:
    """The seam's Batch on one generation (the live one, or a new one when rebuilding)."""

    def __init__(self, index_dir: Path, *, rebuild: bool) -> None:
        self.index_dir = index_dir
        self.rebuild = rebuild
        if rebuild:
            self.target = gens.new_generation(index_dir)
            self._ix = wb.create(self.target)
        else:
            live = gens.current(index_dir)
            if live is None:
                raise IndexUnavailable(f"no index in {index_dir} to update: rebuild it")
            self.target = live
            self._ix = wb.open_index(live)
        self._w: Any = None
        self._manifest: Manifest | None = None
        self._done = False

    def _writer(self) -> Any:
        if self._w is None:
            self._w = wb.writer(self._ix, bulk=self.rebuild)
        return self._w

    def add(self, article: Article) -> None:
        wb.add_articles(self._writer(), [article])

    def delete_paths(self, paths: Iterable[str]) -> None:
        paths = list(paths)
        if paths:
            wb.delete_paths(self._writer(), paths)

    def save_manifest(self, manifest: Manifest) -> None:
        self._manifest = manifest

    def commit(self) -> None:
        try:
            if self._w is not None:
                wb.commit(self._w)
            if self._manifest is not None:
                save_manifest(self.target, self._manifest)
        except BaseException:
            self.cancel()
            raise
        self._finish()
        if self.rebuild:
            gens.publish(self.index_dir, self.target)

    def cancel(self) -> None:
        # A commit that failed (disk full) has already closed the writer; cancelling it again
        # raised "This writer is closed" and hid the real error (tests/test_reliability_faults.py).
        w = self._w
        if w is not None and not w.is_closed:
            try:
                w.cancel()
            except Exception:  # noqa: BLE001 - the first error is the one to report
                pass
        self._finish()
        if self.rebuild:
            shutil.rmtree(self.target, ignore_errors=True)

    def _finish(self) -> None:
        if not self._done:
            self._done = True
            self._ix.close()

    def __enter__(self) -> "WhooshBatch":
        return self

    def __exit__(self, exc_type: object, *rest: object) -> None:
        if not self._done:
            self.cancel()
