"""The backends the conformance suite runs against, and how to set each one up for a test.

A backend's entry is a context manager: given the Settings of a fresh corpus and index folder, it
yields the Settings that make searchapp.backend.open_backend return that backend, after starting
whatever the backend needs (Whoosh: nothing; an engine server: the server), and stops it after.
tests/test_conformance.py runs every test for every entry, unchanged. `no_index` gives the
Settings of the same backend with no index at all, whatever "no index" means to it.
"""
from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import ContextManager

from searchapp.config import Settings


@contextlib.contextmanager
def whoosh(settings: Settings) -> Iterator[Settings]:
    yield settings.replace(backend="whoosh")


@contextlib.contextmanager
def no_index(settings: Settings, folder: Path) -> Iterator[Settings]:
    """Yield Settings of `settings`' backend that reach no index (in an empty `folder`).

    Whoosh: an empty index_dir. sphinxql: a fresh cluster with nothing published (its index is
    the cluster, not index_dir, which holds only the reindex manifest).
    """
    if settings.backend == "sphinxql":
        from tests.sphinx_support import start_cluster
        cluster = start_cluster(folder / "sphinx-cluster")
        try:
            yield settings.replace(index_dir=folder / "none", sphinxql_topology=str(cluster.toml))
        finally:
            cluster.stop(hard=True)
        return
    yield settings.replace(index_dir=folder / "none")


BACKENDS: dict[str, Callable[[Settings], ContextManager[Settings]]] = {
    "whoosh": whoosh,
}
