"""Failure is never silent on the sphinxql backend: kill or freeze real searchd nodes.

Cluster: shard 0 on n0 alone, shard 1 on n1 with a mirror on n2 (tests/sphinx_support.py).
"""
from __future__ import annotations

import time

import pytest

from searchapp.backend import Manifest, Query
from searchapp.backends.sphinxql.batch import ShardWriteError
from searchapp.config import Settings
from searchapp.search.query import parse
from tests.sphinx_support import article, backend_for, needs_searchd, start_cluster

pytestmark = [needs_searchd, pytest.mark.slow]

ARTICLES = [article(n, f"Report {n}", f"Security council report number {n} on the summit.")
            for n in range(40)]


@pytest.fixture
def cluster(tmp_path):
    c = start_cluster(tmp_path / "cluster")
    yield c
    c.stop(hard=True)


@pytest.fixture
def backend(cluster, tmp_path):
    b = backend_for(cluster, tmp_path / "index")
    with b.batch(rebuild=True) as batch:
        for a in ARTICLES:
            batch.add(a)
        batch.save_manifest(Manifest(schema_version=1))
        batch.commit()
    yield b
    b.close()


def search(backend, text: str = "security", **kw):
    with backend.reader() as r:
        return r.search(Query(node=parse(text, Settings()).node, limit=100,
                              facets=frozenset({"source", "country"}), periods=True, **kw))


def shard_sizes(backend) -> list[int]:
    from searchapp.backends.sphinxql import schema
    n = len(backend.topology.shards)
    sizes = [0] * n
    for a in ARTICLES:
        sizes[schema.shard_of(a.id, n)] += 1
    return sizes


def test_a_dead_shard_gives_partial_results_naming_it(cluster, backend):
    assert search(backend).total == len(ARTICLES)
    cluster.kill("n0")
    m = search(backend)
    assert m.partial and [(x.name, x.reason) for x in m.missing] == [("shard 0 (n0)", "down")]
    assert m.total == shard_sizes(backend)[1] == len(m.hits)
    assert sum(m.facets["source"].values()) == m.total      # facets say the same shards


def test_a_frozen_shard_times_out_and_says_so(cluster, backend):
    cluster.pause("n0")
    try:
        started = time.perf_counter()
        m = search(backend)
        took = time.perf_counter() - started
    finally:
        cluster.resume("n0")
    assert [(x.name, x.reason) for x in m.missing] == [("shard 0 (n0)", "timed out")]
    assert "timed out" in m.missing[0].detail
    assert took < 3.0          # agent_connect_timeout (1 s), not the whole query timeout
    assert m.total == shard_sizes(backend)[1]


def test_the_mirror_takes_over_when_the_primary_dies(cluster, backend):
    cluster.kill("n1")
    complete_at = None
    started = time.monotonic()
    for _ in range(40):
        m = search(backend)
        if m.missing:     # until the engine marks n1 dead, a partial answer says which shard
            assert [x.name for x in m.missing] == ["shard 1 (n1, n2)"] and m.total < len(ARTICLES)
            complete_at = None
        else:
            assert m.total == len(ARTICLES)
            complete_at = complete_at or time.monotonic()
        time.sleep(0.05)
    assert complete_at is not None and complete_at - started < 1.0
    # A coordinator that is itself dead is skipped too: every answer comes from n0 or n2.
    cluster.kill("n0")
    m = search(backend)
    assert [x.name for x in m.missing] == ["shard 0 (n0)"] and m.total == shard_sizes(backend)[1]


def test_a_write_with_a_shard_down_fails_in_one_line_and_a_later_one_loses_nothing(
        cluster, backend):
    extra = [article(100 + n, f"Extra {n}", "Another security report.") for n in range(10)]
    before = backend.manifest()
    cluster.kill("n2")                   # a mirror is a copy that must be written too
    with pytest.raises(ShardWriteError) as err:
        with backend.batch() as batch:
            for a in extra:
                batch.add(a)
            batch.save_manifest(Manifest(schema_version=1, sources={"x": "new"}))
            batch.commit()
    message = str(err.value)
    assert "\n" not in message and "n2" in message and "reindex again" in message
    assert backend.manifest() == before               # the manifest did not advance
    cluster.start("n2")
    with backend.batch() as batch:
        for a in extra:
            batch.add(a)
        batch.save_manifest(Manifest(schema_version=1, sources={"x": "new"}))
        batch.commit()
    assert backend.manifest().sources == {"x": "new"}
    assert search(backend).total == len(ARTICLES) + len(extra)
    # Every copy holds its whole shard: kill the primary and the mirror answers in full.
    cluster.kill("n1")
    deadline = time.monotonic() + 3
    while (m := search(backend)).missing and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not m.missing and m.total == len(ARTICLES) + len(extra)


def test_a_frozen_cluster_is_a_clear_503_within_a_connect_timeout_per_node(cluster, backend):
    from searchapp.errors import SearchAppError
    for name in ("n0", "n1", "n2"):
        cluster.pause(name)
    try:
        started = time.perf_counter()
        with pytest.raises(SearchAppError) as err:
            search(backend)
        took = time.perf_counter() - started
    finally:
        for name in ("n0", "n1", "n2"):
            cluster.resume(name)
    assert err.value.status == 503 and all(n in str(err.value) for n in ("n0", "n1", "n2"))
    assert took < 3 * backend.settings.sphinxql_connect_timeout_s + 2


def test_a_killed_node_comes_back_with_every_acknowledged_write(cluster, backend):
    cluster.kill("n0")
    cluster.kill("n1")
    cluster.kill("n2")
    cluster.start()
    m = search(backend)
    assert not m.missing and m.total == len(ARTICLES)


def _jsonl(path, first: int, n: int) -> None:
    import json
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(first, first + n):
            fh.write(json.dumps({"id": str(i), "title": f"Grain report {i}",
                                 "text": f"Wheat and grain exports, report {i}.",
                                 "date": "2017-07-17", "language": "en"}) + "\n")


def test_reindex_with_a_node_down_fails_in_one_line_and_the_next_one_finishes(cluster, tmp_path):
    """The real command line: `searchapp reindex` on the sphinxql backend."""
    import os
    import subprocess
    import sys

    corpus, index = tmp_path / "corpus", tmp_path / "index"
    env = {**os.environ, "SEARCHAPP_BACKEND": "sphinxql",
           "SEARCHAPP_SPHINXQL_TOPOLOGY": str(cluster.toml)}

    def run() -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "searchapp", "reindex", "--corpus", str(corpus),
                               "--index", str(index), "--no-progress"], env=env, text=True,
                              capture_output=True, timeout=120)
    _jsonl(corpus / "wire" / "a.jsonl", 0, 30)
    first = run()
    assert first.returncode == 0, first.stderr
    _jsonl(corpus / "wire" / "b.jsonl", 100, 20)
    cluster.kill("n1")
    failed = run()
    assert failed.returncode != 0 and "Traceback" not in failed.stderr
    lines = failed.stderr.strip().splitlines()
    assert len(lines) == 1 and "n1" in lines[0] and "reindex again" in lines[0], failed.stderr
    cluster.start("n1")
    second = run()
    assert second.returncode == 0, second.stderr
    assert "1 new" in second.stdout and "+20" in second.stdout and "50 in the index" in second.stdout
    b = backend_for(cluster, index)
    try:
        assert search(b, "grain").total == 50
        assert search(b, "grain").missing == ()
    finally:
        b.close()
