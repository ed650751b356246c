"""`searchapp serve --workers N`: gunicorn worker processes, each with its own engine.

The real command in a subprocess, on a real index: the master never opens the index, every
worker opens its own after the fork, a reindex reaches every worker, the access log writes a line
per request (and cannot be forged by a URL), SIGTERM and Ctrl-C stop everything with status 0.
"""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from searchapp.config import PROJECT_ROOT, Settings
from searchapp.indexing.reindex import reindex
from web_support import build_corpus, free_port, http_get

pytestmark = pytest.mark.skipif(os.name != "posix", reason="gunicorn workers need POSIX")


def _children(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(entry.name))
    return sorted(out)


def _open_under(pid: int, folder: Path) -> list[str]:
    found = []
    try:
        fds = list(Path(f"/proc/{pid}/fd").iterdir())
    except OSError:
        return found
    for fd in fds:
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith(str(folder)):
            found.append(target)
    return found


def _start(tmp_path: Path, settings: Settings, *extra: str) -> tuple[subprocess.Popen, int, Path]:
    port = free_port()
    log = tmp_path / "server.log"
    with open(log, "w") as fh:
        proc = subprocess.Popen(
            [sys.executable, "-m", "searchapp", "serve", "--port", str(port), "--index",
             str(settings.index_dir), "--corpus", str(settings.corpus_dir), *extra],
            env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}, stdout=fh, stderr=subprocess.STDOUT,
            start_new_session=True)
    # Up means answering, and with --workers N > 1 every worker booted: gunicorn forks them one by
    # one, and /healthz answers as soon as the first is up (on a busy CI host the second came
    # after the tests first counted the workers).
    want = int(extra[extra.index("--workers") + 1]) if "--workers" in extra else 0
    want = want if want > 1 else 0   # (one worker serves on waitress in the process itself)
    deadline = time.time() + 60
    while True:
        assert proc.poll() is None, log.read_text()
        try:
            if http_get(port, "/healthz")[0] == 200 and len(_children(proc.pid)) >= want:
                return proc, port, log
        except OSError:
            pass
        assert time.time() < deadline, log.read_text()
        time.sleep(0.2)


def _wait(proc: subprocess.Popen, log: Path) -> int:
    try:
        return proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        raise AssertionError("the server did not stop:\n" + log.read_text())


@pytest.fixture
def indexed(tmp_path: Path) -> Settings:
    settings = Settings(corpus_dir=build_corpus(tmp_path), index_dir=tmp_path / "index")
    reindex(settings, progress=False)
    return settings


def test_workers_each_open_their_own_engine_and_follow_reindexes(tmp_path: Path,
                                                                   indexed: Settings) -> None:
    proc, port, log = _start(tmp_path, indexed, "--workers", "2", "--access-log")
    try:
        workers = _children(proc.pid)
        assert len(workers) == 2, log.read_text()
        deadline = time.time() + 30  # each worker opens its engine in the background at boot
        while not all(_open_under(w, indexed.index_dir) for w in workers):
            assert time.time() < deadline, log.read_text()
            time.sleep(0.2)
        for _ in range(10):
            status, body = http_get(port, "/api/search?q=csto")
            assert status == 200 and json.loads(body)["total"] > 0
        assert _open_under(proc.pid, indexed.index_dir) == []  # the master never opened it

        wire = indexed.corpus_dir / "wire"
        wire.mkdir()
        (wire / "a.jsonl").write_text(json.dumps(
            {"title": "Quokka census", "text": "Quokka numbers rose on Rottnest.",
             "date": "2020-02-02"}) + "\n", encoding="utf-8")
        reindex(indexed, progress=False)
        # New connections each time: whichever worker answers must see the new commit.
        for _ in range(20):
            status, body = http_get(port, "/api/search?q=quokka")
            assert status == 200 and json.loads(body)["total"] == 1, body[:300]
        http_get(port, "/search?q=%0D%0A127.0.0.1%20-%20-%20%22forged")
    finally:
        os.kill(proc.pid, signal.SIGTERM)
        rc = _wait(proc, log)
    text = log.read_text()
    assert rc == 0, text
    assert all(not Path(f"/proc/{w}").exists() for w in workers)
    assert "Traceback" not in text
    lines = [line for line in text.splitlines() if '"GET /api/search?q=quokka ' in line]
    assert len(lines) == 20 and all(" 200 " in line for line in lines)
    assert {line.rsplit("pid=", 1)[1] for line in lines} <= {str(w) for w in workers}
    assert not any(line.startswith('127.0.0.1 - - "forged') for line in text.splitlines())
    assert any("\\r\\n127.0.0.1" in line or "%0D%0A127.0.0.1" in line for line in text.splitlines())


def _raw(port: int, data: bytes) -> tuple[bytes, bytes]:
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(data)
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    return head, body


def test_requests_the_server_cannot_parse_get_the_json_error(tmp_path: Path,
                                                             indexed: Settings) -> None:
    proc, port, log = _start(tmp_path, indexed, "--workers", "2")
    try:
        for line in (b"GET /search?q=\xd0\x9c\xd0\xb8\xd0\xbd\xd1\x81\xd0\xba HTTP/1.1",
                     b"GET /search?q=a b HTTP/1.1", b"NONSENSE"):
            head, body = _raw(port, line + b"\r\nHost: x\r\n\r\n")
            assert head.startswith(b"HTTP/1.1 400 "), head
            assert b"Content-Type: application/json" in head
            assert b"X-Content-Type-Options: nosniff" in head and b"Content-Security-Policy: " in head
            error = json.loads(body)["error"]
            assert error["status"] == 400 and error["message"]
        assert http_get(port, "/api/search?q=csto")[0] == 200  # the workers are still serving
    finally:
        os.kill(proc.pid, signal.SIGTERM)
        assert _wait(proc, log) == 0


def test_ctrl_c_stops_master_and_workers(tmp_path: Path, indexed: Settings) -> None:
    proc, port, log = _start(tmp_path, indexed, "--workers", "2")
    workers = _children(proc.pid)
    assert len(workers) == 2
    assert http_get(port, "/search?q=minsk")[0] == 200
    os.killpg(proc.pid, signal.SIGINT)  # what a terminal sends to the whole foreground group
    rc = _wait(proc, log)
    text = log.read_text()
    assert rc == 0, text
    assert "Traceback" not in text
    assert all(not Path(f"/proc/{w}").exists() for w in workers)


def test_one_worker_serves_on_waitress_with_the_same_access_log(tmp_path: Path,
                                                                indexed: Settings) -> None:
    proc, port, log = _start(tmp_path, indexed, "--workers", "1", "--access-log")
    try:
        assert _children(proc.pid) == []
        assert http_get(port, "/api/search?q=csto")[0] == 200
        assert http_get(port, "/api/search?page=0")[0] == 400
    finally:
        os.kill(proc.pid, signal.SIGTERM)
        rc = _wait(proc, log)
    text = log.read_text()
    assert rc == 0 and "Traceback" not in text, text
    assert "gunicorn" not in text
    assert any('"GET /api/search?q=csto HTTP/1.1" 200 ' in line and f"pid={proc.pid}" in line
               for line in text.splitlines()), text
    assert any('"GET /api/search?page=0 HTTP/1.1" 400 ' in line for line in text.splitlines())


def test_bad_worker_count_is_refused(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "searchapp", "serve", "--workers", "0",
                           "--index", str(tmp_path / "index"), "--no-build"],
                          capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)})
    assert proc.returncode == 2 and "at least 1" in proc.stderr


def _sockets(pid: int) -> int:
    return sum(1 for fd in Path(f"/proc/{pid}/fd").iterdir()
               if os.readlink(fd).startswith("socket:"))


def test_kept_alive_connections_spread_evenly_over_the_workers(tmp_path: Path,
                                                               indexed: Settings) -> None:
    # Clients keep their connection for many requests; one worker taking most of them at
    # start made its queue, and the tail latency, several times the other's (bench/load.py).
    import http.client
    proc, port, log = _start(tmp_path, indexed, "--workers", "2")
    conns: list[http.client.HTTPConnection] = []
    try:
        workers = _children(proc.pid)
        time.sleep(1.0)  # both workers up and polling
        before = {w: _sockets(w) for w in workers}
        for _ in range(16):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            conn.request("GET", "/api/search?q=csto")
            resp = conn.getresponse()
            resp.read()
            assert resp.status == 200 and not resp.will_close
            conns.append(conn)
        held = {w: _sockets(w) - before[w] for w in workers}
        assert sum(held.values()) == 16, held
        assert max(held.values()) - min(held.values()) <= 2, held
    finally:
        for conn in conns:
            conn.close()
        os.kill(proc.pid, signal.SIGTERM)
        _wait(proc, log)


def _save(port: int, headers: dict[str, str]) -> int:
    import urllib.error
    import urllib.request

    req = urllib.request.Request(f"http://127.0.0.1:{port}/api/saved", method="POST",
                                 data=json.dumps({"q": "minsk"}).encode(),
                                 headers={"Content-Type": "application/json", **headers})
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status
    except urllib.error.HTTPError as exc:
        return exc.code


@pytest.mark.parametrize("workers", ["1", "2"])     # waitress, then gunicorn
def test_behind_a_trusted_tls_proxy_a_save_from_the_desks_page_is_accepted(tmp_path: Path, indexed: Settings,
                                                                          monkeypatch: pytest.MonkeyPatch,
                                                                          workers: str) -> None:
    # The proxy serves https://desk.example and passes requests on to the server's own address:
    # the browser's Origin names the proxy's address, which only the forwarded headers tell.
    page = {"Origin": "https://desk.example", "Sec-Fetch-Site": "same-origin"}
    forwarded = {**page, "X-Forwarded-Proto": "https", "X-Forwarded-Host": "desk.example",
                 "X-Forwarded-For": "203.0.113.7"}
    for proxy, with_headers, status in (("127.0.0.1", forwarded, 201), ("127.0.0.1", page, 403),
                                        ("", forwarded, 403), ("192.0.2.1", forwarded, 403)):
        monkeypatch.setenv("SEARCHAPP_TRUSTED_PROXY", proxy)
        proc, port, log = _start(tmp_path, indexed, "--workers", workers)
        try:
            assert _save(port, with_headers) == status, (proxy, with_headers, log.read_text())
        finally:
            os.kill(proc.pid, signal.SIGTERM)
            assert _wait(proc, log) == 0, log.read_text()


def test_one_process_on_waitress_opens_its_engine_before_the_first_search(indexed: Settings) -> None:
    """As each gunicorn worker does: the first search after a start does not pay for opening the
    index (about 2 s at 209,473 articles; bench index, 2026-12-03)."""
    from searchapp.serve import start_in_thread
    from searchapp.web.request import EXTENSION

    running = start_in_thread(indexed)
    try:
        holder = running.app.extensions[EXTENSION]
        deadline = time.time() + 20
        while holder._engine is None and time.time() < deadline:   # no request has been made
            time.sleep(0.05)
        assert holder._engine is not None
    finally:
        running.stop()
