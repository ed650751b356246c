"""A search notices a commit for the desk (searchapp.web.saved.notice_commit): after a reindex, a
/search alone gets the desk's arrivals synced by the background reader, without any desk request
and in a process that never opened the desk file, on both backends; the search never waits for
that sync; and a search never creates a desk file that does not exist.

Real components: a real index on disk (reindexed for each commit), the real Flask app, the real
SQLite desk file. The slow sync is a diff held on an event; assertions are on what happened in
which order, the deadlines only bound a broken run."""
from __future__ import annotations

import threading
import time

import pytest

from searchapp.backend import open_backend
from searchapp.config import Settings
from searchapp.indexing.reindex import reindex
from searchapp.models import SearchRequest
from searchapp.search import arrivals
from searchapp.search.alerts import Desk
from searchapp.search.arrivals import synced, version_of
from searchapp.search.desk_store import DeskStore, desk_path
from searchapp.search.service import SearchService
from searchapp.web.app import close_app, create_app
from tests.test_desk_sync import HOLD_S, on_backend, write  # noqa: F401 - on_backend is a fixture

POLL_S = 0.02


def _desk_made_elsewhere(settings: Settings) -> None:
    """Index one article and save a search as another process would (`searchapp saved add`):
    the desk file exists, synced to this commit, and the server process has never opened it."""
    write(settings, "wire/a.jsonl", [{"title": "Gas prices", "text": "Gas prices rose.", "date": "2015-01-02"}])
    reindex(settings, full=True, progress=False)
    with SearchService(settings) as svc:
        Desk(svc).save("gas", SearchRequest(query="gas"))


def _commit(settings: Settings) -> str:
    """Index one more article; return the index's new version."""
    write(settings, "wire/b.jsonl", [{"title": "Gas deal", "text": "A gas deal was signed.", "date": "1998-01-02"}])
    reindex(settings, progress=False)
    backend = open_backend(settings)
    try:
        return version_of(backend)[0]
    finally:
        backend.close()


def _wait_synced(settings: Settings, version: str) -> int:
    """Poll the desk file until it is synced to `version` (bounded by HOLD_S); return its sync."""
    store = DeskStore(desk_path(settings))
    deadline = time.monotonic() + HOLD_S
    while True:
        desk_version, seq = synced(store)
        if desk_version == version:
            return seq
        assert time.monotonic() < deadline, f"the desk stayed at {desk_version}, not {version}"
        time.sleep(POLL_S)


def test_a_search_after_a_commit_gets_the_desk_synced_without_a_desk_request(on_backend: Settings) -> None:
    settings = on_backend
    _desk_made_elsewhere(settings)
    app = create_app(settings)
    client = app.test_client()
    try:
        version = _commit(settings)
        with pytest.MonkeyPatch.context() as mp:
            threads: list[str] = []
            real = arrivals._diff
            mp.setattr(arrivals, "_diff", lambda con, ids: (threads.append(threading.current_thread().name),
                                                             real(con, ids))[1])
            assert client.get("/search?q=gas").status_code == 200
            seq = _wait_synced(settings, version)
        assert threads == ["desk-arrivals"]     # the diff ran once, in the background reader
        # The saved search's first look finds the commit counted: nothing pending, nothing waited.
        new = client.get("/api/saved").get_json()["saved"][0]["new"]
        assert (new["total"], new["upto"], new["pending_commit"]) == (1, seq, None), new
    finally:
        close_app(app)


def test_a_search_never_waits_for_the_sync_it_wished(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    _desk_made_elsewhere(settings)
    app = create_app(settings)
    client = app.test_client()
    events: list[str] = []
    entered, release = threading.Event(), threading.Event()
    real = arrivals._diff

    def slow(con, ids):  # type: ignore[no-untyped-def]
        events.append(f"diff starts in {threading.current_thread().name}")
        entered.set()
        release.wait(HOLD_S)
        try:
            return real(con, ids)
        finally:
            events.append("diff ends")

    try:
        version = _commit(settings)
        monkeypatch.setattr(arrivals, "_diff", slow)
        answered = threading.Event()

        def search() -> None:
            for path in ("/search?q=gas", "/api/search?q=gas", "/search?q=deal"):
                got = client.get(path)
                events.append(f"{path} {got.status_code}")
            answered.set()

        threading.Thread(target=search, name="the-request").start()
        assert answered.wait(HOLD_S), "a search waited for the desk's sync"
        assert entered.wait(HOLD_S), "no sync was wished"
        assert not release.is_set()
        release.set()
        _wait_synced(settings, version)
        assert events.index("/search?q=deal 200") < events.index("diff ends"), events
        assert events.count("diff starts in desk-arrivals") == 1 and len(events) == 5, events
    finally:
        release.set()
        close_app(app)


def test_a_search_creates_no_desk_file(settings: Settings) -> None:
    write(settings, "wire/a.jsonl", [{"title": "Gas prices", "text": "Gas prices rose.", "date": "2015-01-02"}])
    reindex(settings, full=True, progress=False)
    app = create_app(settings)
    client = app.test_client()
    try:
        assert client.get("/search?q=gas").status_code == 200
        _commit(settings)
        assert client.get("/search?q=gas").status_code == 200
        assert client.get("/api/search?q=deal").status_code == 200
        # No sync was wished (none running, and none ran: it would have made the file).
        assert not any(t.name == "desk-arrivals" for t in threading.enumerate())
        assert not desk_path(settings).exists()
        # The desk works as before once someone uses it: the file is made by saving a search.
        assert client.post("/api/saved", json={"name": "gas", "q": "gas"}).status_code == 201
        assert desk_path(settings).is_file()
    finally:
        close_app(app)
