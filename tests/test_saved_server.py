"""Saved searches under the real server with two gunicorn workers and the CLI at the same time:
one SQLite desk file, many writers, no request refused for a locked database, and every worker
tells the same new matches."""
from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from searchapp.config import PROJECT_ROOT, Settings
from searchapp.indexing.reindex import reindex
from test_serve_workers import _start, _wait
from web_support import build_corpus, http_get

pytestmark = pytest.mark.skipif(os.name != "posix", reason="gunicorn workers need POSIX")


def request(port: int, method: str, path: str, body: object | None = None) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        data = json.dumps(body).encode() if body is not None else None
        conn.request(method, path, body=data, headers={"Content-Type": "application/json"} if data else {})
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


def test_two_workers_and_the_cli_share_the_desk_file(tmp_path: Path) -> None:
    settings = Settings(corpus_dir=build_corpus(tmp_path), index_dir=tmp_path / "index")
    reindex(settings, progress=False)
    proc, port, log = _start(tmp_path, settings, "--workers", "2")
    try:
        cli = [subprocess.Popen([sys.executable, "-m", "searchapp", "saved", "add", f"cli {i}", "quokka",
                                 "--index", str(settings.index_dir)],
                                env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)},
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE) for i in range(3)]
        with ThreadPoolExecutor(8) as pool:
            saves = list(pool.map(lambda i: request(port, "POST", "/api/saved", {"name": f"web {i}", "q": "quokka"}),
                                  range(16)))
            lists = list(pool.map(lambda _: request(port, "GET", "/api/saved"), range(16)))
        for p in cli:
            out, err = p.communicate(timeout=60)
            assert p.returncode == 0, err
        assert [s for s, _ in saves] == [201] * 16, saves
        assert all(s == 200 for s, _ in lists)
        status, body = request(port, "GET", "/api/saved")
        every = json.loads(body)["saved"]
        assert len(every) == 19 and all(s["new"]["total"] == 0 for s in every)

        wire = settings.corpus_dir / "wire"
        wire.mkdir()
        (wire / "a.jsonl").write_text(json.dumps({"title": "Quokka census", "text": "Quokka numbers rose.",
                                                  "date": "1999-02-02"}) + "\n", encoding="utf-8")
        reindex(settings, progress=False)
        # New connections each time, so both workers answer: each sees the one new match.
        with ThreadPoolExecutor(8) as pool:
            looks = list(pool.map(lambda _: request(port, "GET", "/api/saved"), range(16)))
        for status, body in looks:
            assert status == 200
            assert [s["new"]["total"] for s in json.loads(body)["saved"]] == [1] * 19
        first = every[0]["id"]
        assert request(port, "POST", f"/api/saved/{first}/seen", {})[0] == 200
        for _ in range(8):
            got = json.loads(request(port, "GET", f"/api/saved/{first}")[1])
            assert got["new"]["total"] == 0
        assert http_get(port, "/saved")[0] == 200
    finally:
        os.kill(proc.pid, signal.SIGTERM)
        rc = _wait(proc, log)
    text = log.read_text()
    assert rc == 0 and "Traceback" not in text and "locked" not in text, text


def test_a_commit_another_process_is_syncing_is_said_not_waited_for(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Two workers; the sync lease of a commit is held by another process (this test, as a worker
    or a cron job in its diff would hold it): every look answers within its budget, from the sync
    before, saying the commit's arrivals are still being counted; no worker diffs meanwhile. When
    the holder lets go without syncing, a worker takes the sync over and a reload shows the match."""
    import time

    from searchapp.search.desk_store import DeskStore, desk_path

    monkeypatch.setenv("SEARCHAPP_QUERY_TIME_LIMIT_S", "1")
    settings = Settings(corpus_dir=build_corpus(tmp_path), index_dir=tmp_path / "index")
    reindex(settings, progress=False)
    proc, port, log = _start(tmp_path, settings, "--workers", "2")
    store = DeskStore(desk_path(settings))
    try:
        status, body = request(port, "POST", "/api/saved", {"name": "quokka", "q": "quokka"})
        assert status == 201
        saved = json.loads(body)["id"]
        with store.write() as con:
            before = con.execute("SELECT COUNT(*) FROM syncs").fetchone()[0]   # the baseline
            con.execute("INSERT INTO meta (key, value) VALUES ('sync_lease', ?)", (f"elsewhere {time.time() + 600}",))
        wire = settings.corpus_dir / "wire"
        wire.mkdir()
        (wire / "a.jsonl").write_text(json.dumps({"title": "Quokka census", "text": "Quokka numbers rose.",
                                                  "date": "1999-02-02"}) + "\n", encoding="utf-8")
        reindex(settings, progress=False)
        t = time.perf_counter()
        with ThreadPoolExecutor(4) as pool:
            looks = list(pool.map(lambda _: request(port, "GET", f"/api/saved/{saved}"), range(8)))
        assert time.perf_counter() - t < 8 * 1.0   # each within its 1 s budget, not the lease's 600 s
        for status, body in looks:
            new = json.loads(body)["new"]
            assert status == 200 and new["total"] == 0 and new["pending_commit"] is not None, new
            assert any("still being counted" in n for n in new["notes"])
        status, page = http_get(port, "/saved")
        assert status == 200 and b"still being counted" in page
        with store.read() as con:   # nobody synced behind the lease
            assert con.execute("SELECT COUNT(*) FROM syncs").fetchone()[0] == before
        with store.write() as con:
            con.execute("DELETE FROM meta WHERE key = 'sync_lease'")
        deadline = time.monotonic() + 30
        while True:   # the workers' lease waits see it gone within LEASE_POLL_S; one syncs
            new = json.loads(request(port, "GET", f"/api/saved/{saved}")[1])["new"]
            if new["pending_commit"] is None or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        assert (new["total"], new["pending_commit"]) == (1, None), new
        with store.read() as con:
            assert con.execute("SELECT added FROM syncs").fetchall()[before:] == [(1,)]
    finally:
        os.kill(proc.pid, signal.SIGTERM)
        rc = _wait(proc, log)
    text = log.read_text()
    assert rc == 0 and "Traceback" not in text, text
