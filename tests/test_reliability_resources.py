"""Open files and threads return to baseline after 1,000 searches and 20 commits (issue 5).

The web app serves the searches (its engine, its health probe thread); a reindex in the same
process makes the commits. While the app is open, it holds no more files than a fresh engine on
the same index would (nothing leaks per commit); once closed, descriptors and threads are back to
what they were before the app was made.
"""
from __future__ import annotations

import os
import random
import threading
import time
from pathlib import Path

import pytest

from reliability_support import reuters_corpus
from searchapp.config import Settings
from searchapp.indexing.reindex import reindex
from searchapp.models import SearchRequest
from searchapp.search.service import SearchService
from searchapp.web.app import close_app, create_app

SEARCHES, COMMITS = 1000, 20
QUERIES = ["said", "oil prices", '"the company"', "bank OR rates", "pric*", "-said shares",
           "zzznothing", ""]


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


@pytest.mark.slow
def test_fds_and_threads_back_to_baseline(tmp_path: Path) -> None:
    corpus = reuters_corpus(tmp_path, 60, 6)
    settings = Settings(corpus_dir=corpus.corpus_dir, index_dir=tmp_path / "index")
    reindex(settings, full=True, progress=False)
    fds, threads = open_fds(), threading.active_count()
    app = create_app(settings)
    client = app.test_client()
    rng = random.Random(3)
    held = []
    try:
        for n in range(SEARCHES):
            if n % (SEARCHES // COMMITS) == 0:
                corpus.mutate(rng, 0.3)
                reindex(settings, full=n == SEARCHES // 2, progress=False)
            q = rng.choice(QUERIES)
            path = rng.choice(["/api/search", "/search"])
            r = client.get(path, query_string={"q": q, "sort": rng.choice(["relevance", "newest"])})
            assert r.status_code == 200, (n, q, r.data[:200])
            if n % 100 == 0:
                assert client.get("/healthz").status_code == 200
                held.append(open_fds())
        app_holds = open_fds() - fds
        with SearchService(settings) as fresh:
            fresh.search(SearchRequest(query="said"))
            one_engine = open_fds() - fds - app_holds
        # The app holds what one engine on this index holds, not one more file per commit.
        assert app_holds <= one_engine + 2, (app_holds, one_engine, held)
    finally:
        close_app(app)
    assert open_fds() <= fds, (fds, open_fds())
    for _ in range(50):  # the health probe's worker thread ends on its own after close
        if threading.active_count() <= threads:
            break
        time.sleep(0.1)
    assert threading.active_count() <= threads, [t.name for t in threading.enumerate()]
