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
from collections.abc import Iterator

from searchapp.config import Settings
from searchapp.indexing.reindex import reindex
from searchapp.search.alerts import Desk
from searchapp.search.desk_store import DeskStore, desk_path
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
