"""Partial results reach the reader: the page note, the API's `partial`, /healthz (real cluster).

Cluster: shard 0 on n0 alone, shard 1 on n1 with a mirror on n2 (tests/sphinx_support.py). Each
test kills or freezes a real searchd and reads the real Flask app's answers.
"""
from __future__ import annotations

import json
import time

import pytest

from searchapp.backends.sphinxql import schema
from searchapp.backends.sphinxql.cluster import LocalCluster, free_ports, loopback_topology
from searchapp.backends.sphinxql.topology import Node, Topology
from searchapp.config import Settings
from searchapp.indexing.reindex import reindex
from searchapp.web.app import close_app, create_app
from tests.sphinx_support import needs_searchd, start_cluster

pytestmark = [needs_searchd, pytest.mark.slow]

N = 24


def _site(tmp_path, cluster):
    corpus = tmp_path / "corpus" / "wire"
    corpus.mkdir(parents=True)
    with open(corpus / "a.jsonl", "w", encoding="utf-8") as fh:
        for i in range(N):
            fh.write(json.dumps({"id": str(i), "title": f"Grain report {i}",
                                 "text": f"Wheat and grain exports, report {i}.",
                                 "date": "2017-07-17", "language": "en"}) + "\n")
    settings = Settings(corpus_dir=tmp_path / "corpus", index_dir=tmp_path / "index",
                        backend="sphinxql", sphinxql_topology=str(cluster.toml), health_wait_s=10.0)
    reindex(settings, progress=False)
    app = create_app(settings)
    ids = [h["id"] for h in app.test_client().get("/api/search?q=grain&size=100").get_json()["hits"]]
    on_shard = [sum(1 for i in ids if schema.shard_of(i, 2) == s) for s in (0, 1)]
    return app, cluster, on_shard


@pytest.fixture
def site(tmp_path):
    cluster = start_cluster(tmp_path / "cluster")
    app, cluster, on_shard = _site(tmp_path, cluster)
    yield app, cluster, on_shard
    close_app(app)
    cluster.stop(hard=True)


def test_a_whole_cluster_answers_complete_and_cacheable(site):
    app, _, on_shard = site
    client = app.test_client()
    api = client.get("/api/search?q=grain")
    assert api.get_json()["partial"] is False and api.get_json()["missing_shards"] == []
    assert api.get_json()["total"] == N and min(on_shard) > 0
    assert api.headers.get("ETag")
    assert "Results are partial" not in client.get("/search?q=grain").get_data(as_text=True)


def test_a_dead_shard_without_a_mirror_is_marked_partial_on_the_page_and_the_api(site):
    app, cluster, on_shard = site
    client = app.test_client()
    cluster.kill("n0")
    api = client.get("/api/search?q=grain")
    body = api.get_json()
    assert api.status_code == 200 and body["partial"] is True
    assert body["missing_shards"] == [{"name": "shard 0 (n0)", "reason": "down"}]
    assert body["total"] == on_shard[1] and sum(f["count"] for f in body["facets"]["source"]) == on_shard[1]
    # A passing state is never stored: once the shard is back the next answer is whole.
    assert api.headers["Cache-Control"] == "no-store" and "ETag" not in api.headers
    page = client.get("/search?q=grain")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert ('<p class="note partial" role="status">Results are partial: shard 0 (n0) did not '
            'answer (down).') in html
    health = client.get("/healthz")
    assert health.status_code == 200 and health.get_json()["status"] == "degraded"
    assert [n["ok"] for n in health.get_json()["nodes"]] == [False, True, True]
    cluster.start("n0")
    again = client.get("/api/search?q=grain").get_json()
    assert again["partial"] is False and again["total"] == N
    assert client.get("/healthz").get_json()["status"] == "ok"


def test_an_export_without_a_shard_says_so_in_its_headers(site):
    app, cluster, on_shard = site
    client = app.test_client()
    cluster.kill("n0")
    r = client.get("/api/export?q=grain&format=jsonl")
    rows = r.get_data(as_text=True).splitlines()
    assert r.status_code == 200 and len(rows) == on_shard[1] == int(r.headers["X-Export-Rows"])
    assert r.headers["X-Export-Partial"] == "shard 0 (n0) did not answer (down)"
    assert r.headers["X-Export-Total"] == str(on_shard[1])
    assert r.headers["Cache-Control"] == "no-store" and "ETag" not in r.headers
    cluster.start("n0")
    whole = client.get("/api/export?q=grain&format=jsonl")
    assert "X-Export-Partial" not in whole.headers and whole.headers["X-Export-Rows"] == str(N)


def test_a_dead_primary_is_replaced_by_its_mirror(site):
    app, cluster, _ = site
    client = app.test_client()
    cluster.kill("n1")
    started = time.monotonic()
    while True:
        body = client.get("/api/search?q=grain").get_json()
        if not body["partial"]:
            break
        # Until searchd marks n1 dead, an answer without shard 1 says so.
        assert body["missing_shards"] == [{"name": "shard 1 (n1, n2)", "reason": "down"}]
        assert time.monotonic() - started < 3.0, "the mirror never took over"
        time.sleep(0.05)
    assert body["total"] == N and body["missing_shards"] == []
    # And it stays whole, through every coordinator: each node keeps its own account of which
    # copy is dead, and a partial answer came through the one that had not yet tried n1.
    backend = app.extensions["searchapp"].get().backend
    for coordinators in (None, ["n0"], ["n2"]):
        if coordinators:
            backend.coordinators = lambda c=coordinators: c
        for _ in range(10):
            body = client.get("/api/search?q=grain").get_json()
            assert not body["partial"] and body["total"] == N, (coordinators, body["missing_shards"])
    health = client.get("/healthz").get_json()
    assert health["status"] == "ok" and health["node n1 up"] == 0 and health["missing_shards"] == []


def test_a_frozen_shard_times_out_and_the_page_says_so(site):
    app, cluster, on_shard = site
    client = app.test_client()
    cluster.pause("n0")
    try:
        started = time.perf_counter()
        body = client.get("/api/search?q=grain").get_json()
        took = time.perf_counter() - started
        html = client.get("/search?q=grain").get_data(as_text=True)
    finally:
        cluster.resume("n0")
    assert body["partial"] is True and body["total"] == on_shard[1]
    assert body["missing_shards"] == [{"name": "shard 0 (n0)", "reason": "timed out"}]
    assert "Results are partial: shard 0 (n0) did not answer (timed out)." in html
    # Each round trip through the distributed table waits one agent connect timeout (1 s) for
    # the frozen node: three per page (hits and facets, articles, source names), within budget.
    assert took < app.config["SEARCHAPP_SETTINGS"].query_time_limit_s


def test_every_shard_timing_out_is_an_empty_answer_that_says_so_not_a_503(tmp_path):
    """A coordinator that holds no shard answers, every shard is frozen: nobody answered in time."""
    two = loopback_topology([["n0"], ["n1"]])
    coordinator = Node("c", "127.0.0.1", *free_ports(2))
    cluster = LocalCluster(tmp_path / "cluster", Topology(two.nodes + (coordinator,), two.shards))
    cluster.start()
    app, cluster, _ = _site(tmp_path, cluster)
    try:
        backend = app.extensions["searchapp"].get().backend
        backend.coordinators = lambda: ["c"]
        cluster.pause("n0")
        cluster.pause("n1")
        try:
            api = client_get(app, "/api/search?q=grain")
            html = client_get(app, "/search?q=grain").get_data(as_text=True)
        finally:
            cluster.resume("n0")
            cluster.resume("n1")
        body = api.get_json()
        assert api.status_code == 200, body
        assert body["total"] == 0 and body["partial"] is True
        assert body["missing_shards"] == [{"name": "shard 0 (n0)", "reason": "timed out"},
                                          {"name": "shard 1 (n1)", "reason": "timed out"}]
        assert ("Results are partial: shard 0 (n0) did not answer (timed out); shard 1 (n1) did "
                "not answer (timed out).") in html
    finally:
        close_app(app)
        cluster.stop(hard=True)


def client_get(app, url: str):
    return app.test_client().get(url)
