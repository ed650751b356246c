"""Readers while the index changes, and a second writer (issue 5).

- A long-lived engine follows every commit exactly (deletions, changes, merges of segments).
- 8 clients send 2,000+ requests to the real server while 10 incremental commits and one full
  rebuild land, each a separate reindex process: no errors, and every answer shows one committed
  state of the corpus, never a mix.
- A second reindex while one runs exits at once with one clear line; the first completes.
"""
from __future__ import annotations

import http.client
import json
import random
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

import pytest

from reliability_support import (REPO, VersionedCorpus, observe, phases, reuters_corpus,
                                 run_driver)
from searchapp.config import Settings
from searchapp.indexing.reindex import reindex
from searchapp.models import SearchRequest
from searchapp.search.service import SearchService

CLIENTS, REQUESTS, INCREMENTAL, FULL_AT = 8, 2000, 10, 5
QUERIES = ["", "said", "oil", "bank", "trade OR exports", '"the company"', "shares -stake",
           "pric*", "year", "tonnes"]


def _served(hits: list) -> dict[str, int]:
    """Return {id: version} from hits (each url ends with ?v=<version>)."""
    return {h["id"]: int(h["url"].rsplit("?v=", 1)[1]) for h in hits}


@pytest.fixture
def small(tmp_path: Path) -> tuple[VersionedCorpus, Settings]:
    corpus = reuters_corpus(tmp_path, 90, 6)  # all of it fits one page of 100
    settings = Settings(corpus_dir=corpus.corpus_dir, index_dir=tmp_path / "index")
    reindex(settings, full=True, progress=False)
    return corpus, settings


def test_a_long_lived_engine_follows_every_commit(small) -> None:
    corpus, settings = small
    rng = random.Random(5)
    engine = SearchService(settings)
    try:
        for n in range(20):
            corpus.mutate(rng, 0.3)
            reindex(settings, progress=False)
            page = engine.search(SearchRequest(query="", page_size=100, collapse=False))  # every copy: each article once
            hits = [h.to_json() if hasattr(h, "to_json") else vars(h) for h in page.hits]
            assert len(hits) == page.total, (n, "an article shows twice")
            assert _served(hits) == corpus.expected(), f"commit {n}: the engine shows a stale state"
            with SearchService(settings) as fresh:
                word = fresh.search(SearchRequest(query="said", page_size=100))
                assert engine.search(SearchRequest(query="said", page_size=100)).total == word.total
    finally:
        engine.close()


class Client(threading.Thread):
    """Send searches over one keep-alive connection until told to stop; keep every answer."""

    def __init__(self, port: int, seed: int, stop: threading.Event) -> None:
        super().__init__(daemon=True)
        self.port, self.rng, self.stop = port, random.Random(seed), stop
        self.answers: list[tuple[str, dict]] = []
        self.errors: list[str] = []

    def run(self) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        while not self.stop.is_set():
            q = self.rng.choice(QUERIES)
            url = f"/api/search?q={quote(q)}&size=100&collapse=0&sort={self.rng.choice(['relevance', 'newest'])}"
            try:
                conn.request("GET", url)
                resp = conn.getresponse()
                body = resp.read()
                if resp.status != 200:
                    self.errors.append(f"{url}: {resp.status} {body[:200]!r}")
                else:
                    self.answers.append((q, json.loads(body)))
            except (OSError, http.client.HTTPException, ValueError) as exc:
                self.errors.append(f"{url}: {type(exc).__name__}: {exc}")
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        conn.close()


def _consistent(states: list[dict[str, int]], q: str, data: dict) -> int | None:
    """Return the number of a state this answer belongs to, or None when it fits none."""
    got = _served(data["hits"])
    for k, state in enumerate(states):
        if q == "":
            if got == state and data["total"] == len(state):
                return k
        elif all(state.get(i) == v for i, v in got.items()):
            return k
    return None


@pytest.mark.slow
def test_searches_while_commits_and_a_rebuild_land(small) -> None:
    from searchapp.serve import start_in_thread

    corpus, settings = small
    states = [corpus.expected()]
    server = start_in_thread(settings.replace(threads=8))
    stop = threading.Event()
    clients = [Client(int(server.url.rsplit(":", 1)[1]), seed, stop) for seed in range(CLIENTS)]
    rng = random.Random(11)
    commits = []
    try:
        for c in clients:
            c.start()
        for n in range(INCREMENTAL + 1):
            time.sleep(0.3)
            corpus.mutate(rng, 0.3)
            states.append(corpus.expected())
            full = n == FULL_AT
            code, out, err = run_driver(corpus.corpus_dir, settings.index_dir, full=full).finish(300)
            assert code == 0 and phases(out)[-1] == "done", err
            commits.append((full, sum(len(c.answers) for c in clients)))
        # Keep the clients going until enough requests were made, with a bound on the time.
        deadline = time.monotonic() + 600
        while sum(len(c.answers) + len(c.errors) for c in clients) < REQUESTS:
            assert time.monotonic() < deadline, "clients too slow"
            time.sleep(0.2)
    finally:
        stop.set()
        for c in clients:
            c.join(60)
        server.stop()
    errors = [e for c in clients for e in c.errors]
    answers = [a for c in clients for a in c.answers]
    assert errors == [], errors[:5]
    assert len(answers) >= REQUESTS
    seen = set()
    for q, data in answers:
        k = _consistent(states, q, data)
        assert k is not None, (q, data["total"], "answer matches no committed state")
        if q == "":
            seen.add(k)
    # The reads spanned the commits: answers came from many states, requests between commits.
    assert len(seen) >= 6, seen
    assert commits[-1][1] > commits[0][1], commits
    print(f"{len(answers)} answers, states seen {sorted(seen)}, commits at requests {commits}")


@pytest.mark.slow
def test_a_second_writer_exits_at_once(tmp_path: Path) -> None:
    corpus = reuters_corpus(tmp_path, 300, 15)
    settings = Settings(corpus_dir=corpus.corpus_dir, index_dir=tmp_path / "index")
    first = run_driver(corpus.corpus_dir, settings.index_dir, full=True)
    deadline = time.monotonic() + 120
    while "phase ingest" not in first.out_path.read_text():  # it holds the lock and is writing
        assert first.proc.poll() is None and time.monotonic() < deadline
        time.sleep(0.05)
    started = time.monotonic()
    second = subprocess.run([sys.executable, "-m", "searchapp", "reindex", "--corpus",
                             str(corpus.corpus_dir), "--index", str(settings.index_dir)],
                            capture_output=True, text=True, cwd=REPO, timeout=120,
                            env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"})
    took = time.monotonic() - started
    still_running = first.proc.poll() is None
    code, out, err = first.finish(300)
    assert second.returncode == 3, second
    lines = second.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: another reindex is running"), lines
    assert still_running or took < 10, "the second writer waited for the first"
    assert code == 0 and phases(out)[-1] == "done", err
    assert observe(settings.index_dir) == corpus.expected()
