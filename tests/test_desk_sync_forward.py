"""A desk's arrivals only move forward (searchapp/search/arrivals.py): a sync whose manifest was
read before a commit that another sync has meanwhile brought to the desk writes nothing, whether
it writes optimistically or, after its optimistic tries lost, under the desk's lock.

Before, such a sync wrote its older commit's diff over the newer sync: the newer commit's
articles were dropped from the desk (to arrive a second time, as news, on the next sync) and the
desk's version went back. The interfering commit and sync are real (a reindex, another desk store
on the same SQLite file, another backend), landed at the one moment that matters: just after
this sync read the index's manifest."""
from __future__ import annotations

import sqlite3
from collections.abc import Callable

import pytest

from searchapp.backend import Backend, Manifest, open_backend
from searchapp.config import Settings
from searchapp.indexing.reindex import reindex
from searchapp.search import arrivals
from searchapp.search.arrivals import sync, synced, version_of
from searchapp.search.desk_store import DeskStore, desk_path
from tests.test_desk_sync import write


def _interfere_after_manifest_read(monkeypatch: pytest.MonkeyPatch, backend: Backend,
                                   land: Callable[[], None], *, on_read: int) -> list[int]:
    """Make `backend`'s `on_read`-th manifest read call `land` just after reading; return the
    count of reads (a list, so the test sees it grow)."""
    real = backend.manifest
    reads: list[int] = []

    def manifest() -> Manifest:
        got = real()
        reads.append(1)
        if len(reads) == on_read:
            land()
        return got

    monkeypatch.setattr(backend, "manifest", manifest)
    return reads


def _desk(path: object) -> tuple[list[tuple[str, int, int]], dict[str, int]]:
    """Return the desk file's sync rows (version, added, gone) and its arrivals (id: seq)."""
    with sqlite3.connect(path) as con:   # type: ignore[arg-type]
        rows = con.execute("SELECT version, added, gone FROM syncs ORDER BY seq").fetchall()
        return rows, dict(con.execute("SELECT id, seq FROM arrivals").fetchall())


@pytest.mark.parametrize("locked", [False, True], ids=["optimistic", "locked"])
def test_a_sync_of_an_older_commit_never_writes_over_a_newer_sync(
        settings: Settings, monkeypatch: pytest.MonkeyPatch, locked: bool) -> None:
    write(settings, "wire/a.jsonl", [{"title": "Gas prices", "text": "Gas prices rose.", "date": "2015-01-02"}])
    reindex(settings, full=True, progress=False)
    path = desk_path(settings)
    mine, theirs = DeskStore(path), DeskStore(path)
    backend, other_backend = open_backend(settings), open_backend(settings)
    try:
        sync(mine, backend)   # the baseline: article a
        write(settings, "wire/b.jsonl", [{"title": "Gas deal", "text": "A gas deal.", "date": "1998-01-02"}])
        reindex(settings, progress=False)
        older, _ = version_of(backend)
        landed: dict[str, object] = {}

        def land() -> None:
            # Another commit, and another process's sync of it, between this sync's manifest
            # read (of the older commit) and its write.
            write(settings, "wire/c.jsonl", [{"title": "Gas field", "text": "A gas field.", "date": "2015-02-03"}])
            reindex(settings, progress=False)
            landed["seq"] = sync(theirs, other_backend)
            landed["version"] = version_of(other_backend)[0]

        tries: list[bool] = []
        if locked:
            # The optimistic tries lose, as when another sync lands between each one's snapshot
            # and its write; the locked try that follows is the one under test.
            real = arrivals._sync_once

            def losing(store: DeskStore, be: Backend, *, locked: bool) -> tuple[bool, int]:
                if store is not mine:       # the other process's sync goes its own way
                    return real(store, be, locked=locked)
                tries.append(locked)
                return real(store, be, locked=True) if locked else (False, 0)

            monkeypatch.setattr(arrivals, "_sync_once", losing)
        reads = _interfere_after_manifest_read(monkeypatch, backend, land, on_read=1)

        seq = sync(mine, backend)

        assert reads and landed, "the interfering sync never ran"
        assert tries == ([False] * arrivals._OPTIMISTIC_TRIES + [True] if locked else [])
        newest = version_of(backend)[0]
        assert landed["version"] == newest != older
        # The desk stays at the newest sync: its version, its arrivals, no sync row of the older
        # commit written after it.
        assert seq == landed["seq"]
        assert synced(mine) == (newest, landed["seq"])
        rows, known = _desk(path)
        assert [r[0] for r in rows] == [rows[0][0], newest], rows
        assert rows[-1][1:] == (2, 0), rows          # b and c arrived in the newer sync, once
        assert sorted(known.values()) == [1, landed["seq"], landed["seq"]], known
    finally:
        backend.close()
        other_backend.close()


def test_a_locked_sync_of_a_commit_landing_under_the_lock_reads_the_manifest_again(
        settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    """The locked try's manifest is of an older commit than the live one, and no other sync
    brought the desk there: it reads the manifest again under the lock and syncs the live one."""
    write(settings, "wire/a.jsonl", [{"title": "Gas prices", "text": "Gas prices rose.", "date": "2015-01-02"}])
    reindex(settings, full=True, progress=False)
    path = desk_path(settings)
    mine = DeskStore(path)
    backend = open_backend(settings)
    try:
        sync(mine, backend)
        write(settings, "wire/b.jsonl", [{"title": "Gas deal", "text": "A gas deal.", "date": "1998-01-02"}])
        reindex(settings, progress=False)
        monkeypatch.setattr(arrivals, "_OPTIMISTIC_TRIES", 0)

        def land() -> None:
            write(settings, "wire/c.jsonl", [{"title": "Gas field", "text": "A gas field.", "date": "2015-02-03"}])
            reindex(settings, progress=False)

        reads = _interfere_after_manifest_read(monkeypatch, backend, land, on_read=1)
        seq = sync(mine, backend)
        assert len(reads) == 2      # once before the lock, once under it
        assert synced(mine) == (version_of(backend)[0], seq)
        rows, known = _desk(path)
        assert [r[1:] for r in rows] == [(1, 0), (2, 0)] and len(known) == 3
    finally:
        backend.close()
