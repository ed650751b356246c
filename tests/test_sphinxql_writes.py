"""Writes on the sphinxql backend: incremental batches, delete by path, a rebuild's atomic switch."""
from __future__ import annotations

import time

import pytest

from searchapp.backend import Manifest, Query
from searchapp.backends.sphinxql import vocabulary
from searchapp.config import Settings
from searchapp.search.query import parse
from tests.sphinx_support import article, backend_for, needs_searchd, start_cluster

pytestmark = needs_searchd


@pytest.fixture
def cluster(tmp_path):
    c = start_cluster(tmp_path / "cluster")
    yield c
    c.stop(hard=True)


def total(backend, text: str | None = None) -> int:
    with backend.reader() as r:
        m = r.search(Query(node=parse(text, Settings()).node if text else None))
    assert not m.missing
    return m.total


def test_an_incremental_batch_is_unseen_until_commit_and_deletes_by_path_everywhere(cluster, tmp_path):
    backend = backend_for(cluster, tmp_path / "index")
    with backend.batch(rebuild=True) as b:
        for n in range(20):
            b.add(article(n, f"Old {n}", "Grain harvest report.", path="feed/day1.jsonl"))
        b.add(article(99, "Other", "Grain elsewhere.", path="feed/day2.jsonl"))
        b.commit()
    assert total(backend, "grain") == 21
    batch = backend.batch()
    batch.delete_paths(["feed/day1.jsonl"])
    for n in range(5):
        batch.add(article(100 + n, f"New {n}", "Wheat harvest report.", path="feed/day1.jsonl"))
    assert total(backend, "grain") == 21 and total(backend, "wheat") == 0   # not yet
    batch.commit()
    assert total(backend, "grain") == 1 and total(backend, "wheat") == 5
    # Every copy was written: with the primary of shard 1 gone, its mirror gives the same.
    cluster.kill("n1")
    for _ in range(40):
        with backend.reader() as r:
            m = r.search(Query())
        if not m.missing:
            break
    assert not m.missing and m.total == 6
    backend.close()


def test_leaving_a_batch_without_commit_drops_it(cluster, tmp_path):
    backend = backend_for(cluster, tmp_path / "index")
    with backend.batch(rebuild=True) as b:
        b.add(article(1, "Kept", "Kept text."))
        b.commit()
    with backend.batch() as b:
        b.add(article(2, "Dropped", "Dropped text."))
    with pytest.raises(ZeroDivisionError):
        with backend.batch() as b:
            b.add(article(3, "Dropped", "Dropped text."))
            1 / 0
    assert total(backend) == 1
    backend.close()


def test_a_rebuild_fills_the_idle_slot_and_switches_at_commit(cluster, tmp_path):
    backend = backend_for(cluster, tmp_path / "index")
    with backend.batch(rebuild=True) as b:
        for n in range(10):
            b.add(article(n, f"First {n}", "Copper mine output."))
        b.save_manifest(Manifest(schema_version=1, sources={"gen": "1"}))
        b.commit()
    first = backend.state()
    rebuild = backend.batch(rebuild=True)
    for n in range(300):                    # more than one statement's worth: sent as it comes
        rebuild.add(article(n, f"Second {n}", "Nickel mine output."))
    with backend.reader() as r:              # readers still see the whole old index
        assert r.search(Query()).total == 10
    rebuild.save_manifest(Manifest(schema_version=1, sources={"gen": "2"}))
    rebuild.commit()
    assert total(backend, "nickel") == 300 and total(backend, "copper") == 0
    second = backend.state()
    assert first.generation != second.generation and second.ok and second.doc_count == 300
    assert backend.manifest().sources == {"gen": "2"}
    assert second.counters == {"node n0 up": 1, "node n1 up": 1, "node n2 up": 1}
    cluster.kill("n0")
    state = backend.state()
    assert state.counters["node n0 up"] == 0 and [n.ok for n in state.nodes] == [False, True, True]
    assert state.ok and [m.name for m in state.missing] == ["shard 0 (n0)"]   # served, partial
    backend.close()


def test_the_spelling_vocabulary_pages_through_every_shard_and_follows_each_commit(
        cluster, tmp_path, monkeypatch):
    monkeypatch.setattr(vocabulary, "PAGE", 3)          # several statements per shard
    backend = backend_for(cluster, tmp_path / "index")
    with backend.batch(rebuild=True) as b:
        for n in range(12):
            b.add(article(n, f"Copper {n}", f"The smelter output of mine{n}x rose."))
        b.commit()
    with backend.reader():                  # a reader tells the backend which slot is live
        pass
    words = backend.vocabulary(wait=20)
    assert words is not None
    assert {"copper", "smelter", "output", "rose"} | {f"mine{n}x" for n in range(12)} <= words
    assert "the" not in words and "of" not in words          # stop words out, as in Whoosh's
    with backend.batch() as b:              # same second as the rebuild, most likely
        b.add(article(50, "Nickel", "Tailings ponds."))
        b.commit()
    for _ in range(200):
        with backend.reader():
            pass
        if "tailings" in (backend.vocabulary() or ()):
            break
        time.sleep(0.05)
    assert {"tailings", "ponds", "copper"} <= backend.vocabulary()
    assert "pond" not in backend.vocabulary()                 # words as written, not stems
    backend.close()
