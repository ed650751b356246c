"""A desk sync after a commit holds nobody up (searchapp/search/arrivals.py): its long part (the
manifest, every id the desk holds, the diff) runs outside the desk's write lock, so another
process's /saved, and its own sync of a later commit, go ahead while it is still diffing; the
first sync then finds its diff stale and writes nothing twice.

The held sync is stopped inside its diff by SQLite's statement trace (a fault injected at the
one statement every version of the code runs to read the desk's ids); the assertions are on the
order things finished in, not on times."""
from __future__ import annotations

import contextlib
import json
import sqlite3
import threading
import time
from collections.abc import Iterator

import pytest

from searchapp.config import Settings
from searchapp.indexing.reindex import reindex
from searchapp.search.alerts import Desk
from searchapp.search.desk_store import DeskError, DeskStore, desk_path
from searchapp.search.service import SearchService
from searchapp.web.app import close_app, create_app

HOLD_S = 60.0   # a bound for a broken run, never reached by a passing one


def write(settings: Settings, rel: str, records: list[dict[str, str]]) -> None:
    path = settings.corpus_dir / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")


class HeldStore(DeskStore):
    """A desk store whose sync stops when it starts reading the desk's ids, until released."""

    def __init__(self, *args: object, **kw: object) -> None:
        super().__init__(*args, **kw)  # type: ignore[arg-type]
        self.reading = threading.Event()
        self.release = threading.Event()

    @contextlib.contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        with super()._connect() as con:
            con.set_trace_callback(self._trace)
            yield con

    def _trace(self, statement: str) -> None:
        if statement.strip().startswith("SELECT id FROM arrivals") and not self.reading.is_set():
            self.reading.set()
            self.release.wait(HOLD_S)


def test_a_sync_diffing_holds_up_neither_the_saved_page_nor_a_later_sync(settings: Settings) -> None:
    write(settings, "wire/a.jsonl", [{"title": "Gas prices", "text": "Gas prices rose.", "date": "2015-01-02"}])
    reindex(settings, full=True, progress=False)
    app = create_app(settings)
    client = app.test_client()
    try:
        assert client.post("/api/saved", json={"name": "gas", "q": "gas"}).status_code == 201
        write(settings, "wire/b.jsonl", [{"title": "Gas deal", "text": "A gas deal was signed.", "date": "1998-01-02"}])
        reindex(settings, progress=False)

        # One process starts the sync of that commit and is held inside its diff.
        with SearchService(settings) as svc:
            held = Desk(svc, HeldStore(desk_path(settings)))
            got: dict[str, object] = {}

            def held_sync() -> None:
                try:
                    got["seq"] = held.sync()
                except Exception as exc:  # noqa: BLE001 - reported to the test
                    got["error"] = exc

            syncing = threading.Thread(target=held_sync)
            syncing.start()
            try:
                assert held.store.reading.wait(HOLD_S)
                # Meanwhile another commit lands, and the web process looks at its saved searches,
                # and marks them seen: none of it waits for the held sync.
                write(settings, "wire/c.jsonl", [{"title": "Gas field", "text": "A gas field was found.",
                                                  "date": "2015-02-03"}])
                reindex(settings, progress=False)
                page = client.get("/saved")
                assert page.status_code == 200, page.get_data(as_text=True)[:300]
                listed = client.get("/api/saved").get_json()["saved"][0]
                seen = client.post(f"/api/saved/{listed['id']}/seen", json={"upto": listed["new"]["upto"]})
                assert syncing.is_alive() and not held.store.release.is_set()
            finally:
                held.store.release.set()
                syncing.join(HOLD_S)
        assert listed["new"]["total"] == 2 and seen.status_code == 200
        # The held sync's diff (of the second commit) was stale by then: it wrote nothing, so no
        # article arrived twice or went away and came back.
        assert got == {"seq": listed["new"]["upto"]}
        with sqlite3.connect(desk_path(settings)) as con:
            assert con.execute("SELECT added, gone FROM syncs ORDER BY seq").fetchall() == [(1, 0), (2, 0)]
            assert con.execute("SELECT COUNT(*) FROM arrivals").fetchone()[0] == 3
        assert client.get("/api/saved").get_json()["saved"][0]["new"]["total"] == 0
    finally:
        close_app(app)


# -- a request never runs the diff: the server's background sync (searchapp/search/arrivals_watch.py)


class WatchedStore(HeldStore):
    """A held store that records which threads ran the diff, held only once `armed`."""

    def __init__(self, *args: object, **kw: object) -> None:
        super().__init__(*args, **kw)
        self.armed = False
        self.diff_threads: list[str] = []

    def _trace(self, statement: str) -> None:
        # The diff's statement exactly (a count's "SELECT id FROM arrivals WHERE seq ..." is not).
        if self.armed and statement.strip() == "SELECT id FROM arrivals":
            self.diff_threads.append(threading.current_thread().name)
            if not self.reading.is_set():
                self.reading.set()
                self.release.wait(HOLD_S)


@pytest.fixture(params=["whoosh", "sphinxql"])
def on_backend(request: pytest.FixtureRequest, settings: Settings) -> Iterator[Settings]:
    """The settings on each backend: the desk reads the index's version and manifest through the seam."""
    if request.param == "whoosh":
        yield settings
        return
    from tests.sphinx_support import sphinxql
    with sphinxql(settings) as on_sphinx:
        yield on_sphinx


def test_a_request_after_a_commit_never_runs_the_diff_and_says_the_arrivals_are_being_counted(
        on_backend: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = on_backend.replace(query_time_limit_s=1.0)
    # The web app's desk store is this one (as it is the store every version of Desk makes).
    monkeypatch.setattr("searchapp.search.alerts.DeskStore", WatchedStore)
    write(settings, "wire/a.jsonl", [{"title": "Gas prices", "text": "Gas prices rose.", "date": "2015-01-02"}])
    reindex(settings, full=True, progress=False)
    app = create_app(settings)
    client = app.test_client()
    store: WatchedStore | None = None
    try:
        saved = client.post("/api/saved", json={"name": "gas", "q": "gas"}).get_json()
        store = app.extensions["searchapp.desk"].store
        assert isinstance(store, WatchedStore)
        write(settings, "wire/b.jsonl", [{"title": "Gas deal", "text": "A gas deal was signed.", "date": "1998-01-02"}])
        reindex(settings, progress=False)
        store.armed = True   # the next diff (of that commit) is held until released

        answers: dict[str, object] = {}

        def look() -> None:
            answers["one"] = client.get(f"/api/saved/{saved['id']}")
            answers["list"] = client.get("/api/saved")
            answers["page"] = client.get("/saved")

        requests = threading.Thread(target=look, name="the-request")
        requests.start()
        requests.join(3 * (settings.query_time_limit_s + 1))
        # Three requests, each within its budget, while the diff is still held.
        assert not requests.is_alive(), "a request waited for the diff beyond its budget"
        assert not store.release.is_set() and store.reading.is_set()
        assert "the-request" not in store.diff_threads
        one, listing, page = answers["one"], answers["list"], answers["page"]
        assert one.status_code == listing.status_code == page.status_code == 200   # type: ignore[union-attr]
        new = one.get_json()["new"]   # type: ignore[union-attr]
        assert new["total"] == 0 and new["pending_commit"] is not None
        assert any("still being counted" in n for n in new["notes"])
        listed = listing.get_json()   # type: ignore[union-attr]
        assert listed["pending_commit"] == new["pending_commit"]
        assert any("still being counted" in n for n in listed["notes"])
        assert "still being counted" in page.get_data(as_text=True)   # type: ignore[union-attr]
    finally:
        if store is not None:
            store.release.set()
    try:
        # Once the background sync lands, a reload shows the new match and no notice.
        new = client.get(f"/api/saved/{saved['id']}").get_json()["new"]
        assert (new["total"], new["pending_commit"]) == (1, None), new
        assert not any("still being counted" in n for n in new["notes"])
        page = client.get("/saved").get_data(as_text=True)
        assert "1 new" in page and "still being counted" not in page
        assert store.diff_threads == ["desk-arrivals"]   # one diff, in the background thread
    finally:
        close_app(app)


def test_of_two_processes_noticing_one_commit_only_one_diffs(settings: Settings) -> None:
    """The sync lease (arrivals.sync_leased): the second waits for the first's sync to land."""
    from searchapp.backend import open_backend
    from searchapp.search.arrivals import sync_leased

    write(settings, "wire/a.jsonl", [{"title": "Gas prices", "text": "Gas prices rose.", "date": "2015-01-02"}])
    reindex(settings, full=True, progress=False)
    first, second = WatchedStore(desk_path(settings)), WatchedStore(desk_path(settings))
    backend = open_backend(settings)
    try:
        sync_leased(first, backend)
        write(settings, "wire/b.jsonl", [{"title": "Gas deal", "text": "A gas deal.", "date": "1998-01-02"}])
        reindex(settings, progress=False)
        backend.state()   # the backend sees the commit
        first.armed = second.armed = True
        got: dict[str, int] = {}
        one = threading.Thread(target=lambda: got.__setitem__("first", sync_leased(first, backend, holder="p1")))
        one.start()
        assert first.reading.wait(HOLD_S)
        two = threading.Thread(target=lambda: got.__setitem__("second", sync_leased(second, backend, holder="p2")))
        two.start()
        two.join(0.5)
        assert two.is_alive() and not second.reading.is_set()   # waiting on the lease, not diffing
        first.release.set()
        one.join(HOLD_S)
        two.join(HOLD_S)
        assert got["first"] == got["second"] == 2
        assert (len(first.diff_threads), len(second.diff_threads)) == (1, 0)
    finally:
        first.release.set()
        backend.close()


class FailingStore(DeskStore):
    """A desk store whose writes fail once `failing` (as a desk file locked past its busy timeout)."""

    failing = False

    @contextlib.contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        if self.failing:
            raise DeskError(f"the desk file {self.path} cannot be used: database is locked")
        with super().write() as con:
            yield con


def test_a_failing_background_sync_is_named_on_the_page_and_retried(
        settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("searchapp.search.alerts.DeskStore", FailingStore)
    monkeypatch.setattr("searchapp.search.arrivals_watch.RETRY_S", 0.2)
    write(settings, "wire/a.jsonl", [{"title": "Gas prices", "text": "Gas prices rose.", "date": "2015-01-02"}])
    reindex(settings, full=True, progress=False)
    app = create_app(settings)
    client = app.test_client()
    try:
        saved = client.post("/api/saved", json={"name": "gas", "q": "gas"}).get_json()
        write(settings, "wire/b.jsonl", [{"title": "Gas deal", "text": "A gas deal.", "date": "1998-01-02"}])
        reindex(settings, progress=False)
        FailingStore.failing = True
        got = client.get(f"/api/saved/{saved['id']}")
        assert got.status_code == 200
        new = got.get_json()["new"]
        assert new["pending_commit"] is not None and new["total"] == 0
        assert any("still being counted" in n and "database is locked" in n for n in new["notes"])
        FailingStore.failing = False
        time.sleep(0.3)   # past RETRY_S: the next look asks again
        new = client.get(f"/api/saved/{saved['id']}").get_json()["new"]
        assert (new["total"], new["pending_commit"]) == (1, None), new
    finally:
        FailingStore.failing = False
        close_app(app)


def test_a_desk_that_moves_back_after_a_sync_is_synced_again(settings: Settings) -> None:
    """NewestRead reads a key once: a desk that differs from the index again after this process
    synced that very state (a desk file restored from a copy) is synced again, not left pending."""
    from searchapp.search.arrivals_watch import ArrivalsWatch
    from searchapp.search.budget import Budget

    write(settings, "wire/a.jsonl", [{"title": "Gas prices", "text": "Gas prices rose.", "date": "2015-01-02"}])
    reindex(settings, full=True, progress=False)
    with SearchService(settings) as svc:
        store = DeskStore(desk_path(settings))
        watch = ArrivalsWatch(store, svc.backend)
        try:
            for _ in range(3):
                with store.write() as con:
                    con.execute("INSERT INTO meta (key, value) VALUES ('synced_version', 'restored') "
                                "ON CONFLICT (key) DO UPDATE SET value = excluded.value")
                looked = watch.look(Budget(HOLD_S))
                assert looked.pending is None, looked
        finally:
            watch.close()
