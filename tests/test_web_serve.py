"""`searchapp serve`: builds a missing index from the corpus, serves on waitress, stops cleanly."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from searchapp.config import PROJECT_ROOT, Settings
from searchapp.serve import ensure_index, start_in_thread
from web_support import build_corpus, free_port, http_get


def test_ensure_index_builds_once(tmp_path: Path) -> None:
    settings = Settings(corpus_dir=build_corpus(tmp_path), index_dir=tmp_path / "index")
    done = ensure_index(settings, progress=False)
    assert done and "articles" in done
    assert ensure_index(settings, progress=False) is None


def test_serve_command_from_nothing_but_a_corpus(tmp_path: Path) -> None:
    corpus = build_corpus(tmp_path)
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "searchapp", "serve", "--port", str(port), "--corpus", str(corpus),
         "--index", str(tmp_path / "index")], env=env, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.time() + 60
        status = 0
        while time.time() < deadline and status != 200:
            assert proc.poll() is None, proc.stderr.read()
            try:
                status, _ = http_get(port, "/healthz")
            except OSError:
                time.sleep(0.2)
        assert status == 200
        status, body = http_get(port, "/search?q=csto")
        assert status == 200 and b"<mark>" in body
    finally:
        proc.send_signal(signal.SIGTERM)
        rc = proc.wait(timeout=30)
    err = proc.stderr.read()
    assert rc == 0, err
    assert "full rebuild" in err and f"127.0.0.1:{port}" in err
    assert "Traceback" not in err


def test_serve_without_a_corpus_says_so(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "searchapp", "serve", "--corpus", str(tmp_path / "none"),
         "--index", str(tmp_path / "index")], capture_output=True, text=True, timeout=60,
        env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)})
    assert proc.returncode == 2
    assert "no corpus folder" in proc.stderr and "Traceback" not in proc.stderr


def test_server_in_thread_answers_and_stops(tmp_path: Path) -> None:
    from searchapp.indexing.reindex import reindex

    settings = Settings(corpus_dir=build_corpus(tmp_path), index_dir=tmp_path / "index")
    reindex(settings, progress=False)
    running = start_in_thread(settings)
    port = int(running.url.rsplit(":", 1)[1])
    assert http_get(port, "/api/search?q=csto")[0] == 200
    running.stop()
    assert not running.thread.is_alive()
