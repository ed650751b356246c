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
