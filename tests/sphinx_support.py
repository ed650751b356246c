"""A real three-node Sphinx cluster for tests: shard 0 on n0, shard 1 on n1 with a mirror on n2.

Tests skip (with the reason) only when searchd is not installed; scripts/test installs Debian's
sphinxsearch when it can.
"""
from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from searchapp.backends.sphinxql.cluster import LocalCluster, loopback_topology, searchd_path
from searchapp.backends.sphinxql.index import SphinxBackend
from searchapp.config import Settings
from searchapp.models import Article

SHARDS = [["n0"], ["n1", "n2"]]
needs_searchd = pytest.mark.skipif(searchd_path() is None,
                                   reason="searchd (Debian sphinxsearch) is not installed")


def start_cluster(base: Path, shards: list[list[str]] = SHARDS) -> LocalCluster:
    """Start a loopback cluster with its configs under `base`."""
    cluster = LocalCluster(base, loopback_topology(shards))
    cluster.start()
    return cluster


def backend_for(cluster: LocalCluster, index_dir: Path, **settings: object) -> SphinxBackend:
    """Return a backend on the cluster, reading its description from the TOML file."""
    s = Settings(index_dir=index_dir, backend="sphinxql", sphinxql_topology=str(cluster.toml),
                 **settings)  # type: ignore[arg-type]
    return SphinxBackend(s)


def article(n: int, title: str, body: str, *, source: str = "kazinform", language: str = "en",
            published: dt.date | None = None, precision: str | None = "day",
            countries: tuple[str, ...] = (), cities: tuple[str, ...] = (),
            path: str | None = None) -> Article:
    """Return a small article; its path defaults to one file per article."""
    return Article(
        id=f"{source}/a{n}.txt#0", source=source, source_name=source.title(),
        path=path or f"{source}/a{n}.txt", url=f"https://example.org/{n}", title=title,
        section=None, author=None, dateline=None, published=published, published_raw=None,
        date_precision=precision if published else None, date_inferred=False, page_date=None,
        language=language, cities=list(cities), countries=list(countries), body=[body])


@contextlib.contextmanager
def sphinxql(settings: Settings) -> Iterator[Settings]:
    """Yield Settings for the sphinxql backend on a fresh three-node cluster (tests/backends.py)."""
    if searchd_path() is None:
        pytest.skip("searchd (Debian sphinxsearch) is not installed")
    base = Path(settings.index_dir).parent / "sphinx-cluster"
    cluster = start_cluster(base)
    try:
        yield settings.replace(backend="sphinxql", sphinxql_topology=str(cluster.toml))
    finally:
        cluster.stop(hard=True)     # a throwaway cluster: no need to wait for a clean shutdown
