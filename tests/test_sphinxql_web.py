"""The search desk and the API work unchanged on the sphinxql backend (real Flask app, real cluster)."""
from __future__ import annotations

import json
import time
import warnings

import pytest

from searchapp.config import Settings
from searchapp.indexing.reindex import reindex
from searchapp.web.app import create_app
from tests.sphinx_support import needs_searchd, start_cluster

pytestmark = needs_searchd

# (the script is escaped in the export, so the article's text holds it as characters: a record
# field with real tags is read as HTML at ingest, its script dropped)
ROWS = [("Grain harvest in Kazakhstan", "Wheat and grain exports rose; &lt;script&gt;alert(1)&lt;/script&gt;",
         "2017-07-17"),
        ("Минск: выборы", "Выборы прошли в Минске.", "2015-10-11"),
        ("Undated grain note", "Grain stocks without a date.", None)]


@pytest.fixture(scope="module")
def app_and_cluster(tmp_path_factory):
    root = tmp_path_factory.mktemp("web")
    cluster = start_cluster(root / "cluster")
    corpus = root / "corpus" / "wire"
    corpus.mkdir(parents=True)
    with open(corpus / "a.jsonl", "w", encoding="utf-8") as fh:
        for i, (title, text, date) in enumerate(ROWS):
            fh.write(json.dumps({"id": str(i), "title": title, "text": text, "date": date},
                                ensure_ascii=False) + "\n")
    settings = Settings(corpus_dir=root / "corpus", index_dir=root / "index", backend="sphinxql",
                        sphinxql_topology=str(cluster.toml), health_wait_s=10.0)
    reindex(settings, progress=False)
    app = create_app(settings)
    yield app, cluster
    cluster.stop(hard=True)


def test_the_search_page_and_api_answer_with_escaped_snippets(app_and_cluster):
    app, _ = app_and_cluster
    client = app.test_client()
    page = client.get("/search?q=grain")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<mark>grain</mark>" in html and "<script>alert(1)" not in html
    api = client.get("/api/search?q=grain&sort=newest").get_json()
    assert api["total"] == 2 and api["undated_count"] == 1
    assert [h["title"] for h in api["hits"]] == ["Grain harvest in Kazakhstan", "Undated grain note"]
    assert "<mark>" in api["hits"][0]["snippet"] and "&lt;script&gt;" in api["hits"][0]["snippet"]
    ru = client.get("/api/search?q=Минск").get_json()
    assert [h["title"] for h in ru["hits"]] == ["Минск: выборы"]
    article = client.get(f"/api/articles/{api['hits'][0]['id']}")
    assert article.status_code == 200
    body = article.get_json()
    assert body["article"]["title"] == "Grain harvest in Kazakhstan"
    assert [h["title"] for h in body["more_like_this"]] == ["Undated grain note"]
    cmp = client.get("/api/compare?q=grain&q=Минск").get_json()
    assert [p["key"] for p in cmp["periods"]] == ["2015", "2016", "2017"] and cmp["partial"] is False
    assert [(s["total"], s["undated"], s["counts"]) for s in cmp["series"]] == [(2, 1, [0, 0, 1]), (1, 0, [1, 0, 0])]


def test_the_export_lists_what_the_search_finds(app_and_cluster):
    """Export goes through the seam only: the same rows on the sphinxql backend (before the
    test below kills the nodes)."""
    app, _ = app_and_cluster
    client = app.test_client()
    api = client.get("/api/search?q=grain&sort=newest").get_json()
    r = client.get("/api/export?q=grain&sort=newest&format=jsonl")
    rows = [json.loads(line) for line in r.get_data(as_text=True).splitlines()]
    assert r.status_code == 200 and "X-Export-Partial" not in r.headers
    assert [row["id"] for row in rows] == [h["id"] for h in api["hits"]]
    assert r.headers["X-Export-Total"] == str(api["total"]) == "2"
    csv_ru = client.get("/api/export?q=Минск").get_data()
    assert csv_ru.startswith(b"\xef\xbb\xbf") and "Минск: выборы".encode() in csv_ru


def test_healthz_reports_every_node_and_a_shard_with_no_copy(app_and_cluster):
    """health_wait_s is raised: under load a check of three nodes can take longer than 0.5 s,
    and the probe then answers from the quick state (searchapp.web.health)."""
    app, cluster = app_and_cluster
    client = app.test_client()
    ok = client.get("/healthz")
    assert ok.status_code == 200 and ok.get_json()["status"] == "ok"
    body = ok.get_json()
    assert {k: v for k, v in body.items() if k.startswith("node ")} == {
        "node n0 up": 1, "node n1 up": 1, "node n2 up": 1}
    assert [(n["name"], n["ok"], n["shards"]) for n in body["nodes"]] == [
        ("n0", True, ["shard 0 (n0)"]), ("n1", True, ["shard 1 (n1, n2)"]),
        ("n2", True, ["shard 1 (n1, n2)"])]
    assert body["missing_shards"] == []
    cluster.kill("n2")                  # a mirror: the index is whole, the node is reported down
    mirror = client.get("/healthz")
    assert mirror.status_code == 200 and mirror.get_json()["status"] == "ok"
    assert mirror.get_json()["node n2 up"] == 0
    assert [n["name"] for n in mirror.get_json()["nodes"] if not n["ok"]] == ["n2"]
    assert mirror.get_json()["nodes"][2]["error"]
    # Shard 0 has no other copy: still served (every page says it is partial), but degraded.
    cluster.kill("n0")
    degraded = client.get("/healthz")
    for _ in range(10):
        # The first probe after a kill once found the count failing (a 503 in 1 of 3 CI runs, not
        # reproduced by hand; reader._run now asks again when searchd found no live agent, the
        # likeliest cause). The state must settle within seconds; a transient shows in the
        # warnings summary with its body, so the next one says what it was.
        if degraded.status_code == 200:
            break
        warnings.warn(f"transient /healthz {degraded.status_code} after a kill: {degraded.get_json()}")
        time.sleep(0.5)
        degraded = client.get("/healthz")
    assert degraded.status_code == 200, degraded.get_json()
    assert degraded.get_json()["status"] == "degraded" and degraded.get_json()["degraded"] is True
    assert degraded.get_json()["missing_shards"] == [{"name": "shard 0 (n0)", "reason": "down"}]
    # A comparison counted without shard 0 says so, on every line and on the page.
    cmp = client.get("/api/compare?q=grain&q=выборы").get_json()
    assert cmp["partial"] is True
    assert [s["missing_shards"] for s in cmp["series"]] == [[{"name": "shard 0 (n0)", "reason": "down"}]] * 2
    assert "shard 0 (n0) did not answer (down)" in client.get("/compare?q=grain&q=выборы").get_data(as_text=True)
    cluster.kill("n1")                  # no node is left: nothing can be searched
    down = client.get("/healthz")
    assert down.status_code == 503 and down.get_json()["status"] == "unavailable"
    assert "no SphinxQL node answers" in down.get_json()["error"], down.get_json()
    assert [n["ok"] for n in down.get_json()["nodes"]] == [False, False, False]

