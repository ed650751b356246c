"""Learn which articles arrived in the index since the desk last looked, by diffing the manifest.

"New" means arrived in the index, not published lately: an old article ingested today is news
to the analyst. The backend's manifest lists the ids of every indexed file (FileEntry.ids); the
desk file (searchapp.search.desk_store) holds every id it has seen, each with the sync that first
saw it. A sync compares the two: ids the index holds and the desk does not have arrived (stamped
with the index's commit time); ids the desk holds and the index no longer does are gone
(their file was deleted or no longer yields them) and are forgotten, so one that comes back
later arrives again.

Lazy, so neither backend nor reindex knows about it: a reindex run by a process that never opened
the desk file is seen on the next look. The index's commit version is checked first, so a look
with nothing committed since costs one small read. A server's requests never run the diff: they
(a desk's look, or any request that sees a new commit) wake one background thread per process
(searchapp.search.arrivals_watch), which syncs under a short lease in the desk file
(`sync_leased`) so that of several processes noticing one commit only one diffs; `searchapp
alerts` (a batch job) syncs in line. Several commits between two
looks land in one sync (stamped with the latest commit's time). A full rebuild keeps every id (ids derive from
source, path and position), so it makes nothing new unless its articles are.

The very first sync records the whole archive as the baseline; a saved search starts from the
sync current when it is saved, so neither the baseline nor a first rebuild floods it.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
import threading
import time
import uuid

from searchapp.backend import Backend
from searchapp.errors import IndexUnavailable
from searchapp.newest_read import Stopped
from searchapp.search.desk_store import DeskError, DeskStore, now_iso

_VERSION_KEY = "synced_version"
_LEASE_KEY = "sync_lease"
# How long a lease keeps other processes from diffing the same commit. Far beyond a diff (0.2-0.3 s
# at 209,473 articles), so only a holder that died (or a diff on a far larger archive) loses it:
# then another process takes over and, at worst, two diff, as without a lease.
LEASE_S = 30.0
# How often a process waiting on another's lease looks whether that sync landed (a read of 2 rows).
LEASE_POLL_S = 0.05
_INSERT_CHUNK = 5000
# Diffs computed outside the lock and thrown away because another sync landed meanwhile, before
# one is done under the lock (each loss means another process made progress, so this is rare).
_OPTIMISTIC_TRIES = 3
# Reads of the manifest under the lock before giving up on an index that keeps committing.
_LIVE_TRIES = 3


def sync(store: DeskStore, backend: Backend) -> int:
    """Bring the desk's arrivals up to the index's last commit; return the latest sync number.

    The expensive part (reading the manifest, reading every id the desk holds, the diff) runs
    outside the desk's write lock, in a read snapshot: at 209,473 articles it takes ~0.3 s, and
    inside `BEGIN IMMEDIATE` it held every other /saved, /api/saved and `searchapp alerts` caller
    behind it. The lock is taken only to write the difference, after checking that no other sync
    landed since the snapshot (neither the synced version nor the latest sync number moved:
    arrivals change only with a new sync row). If one did, the diff is stale (it may even be of an older commit) and is
    computed again; two processes looking at once may both diff, and the second to write finds
    the version synced and writes nothing.

    Whichever way it writes, it first reads the index's version again under the lock: a commit
    may have landed since the manifest was read, and another sync may already have brought the
    desk to it; writing this diff then would move the desk back to the older commit (its newer
    articles gone, to arrive a second time on the next sync). Every write is thus of the commit
    that is live while the lock is held, so the desk's version only moves forward.
    """
    for _ in range(_OPTIMISTIC_TRIES):
        done, seq = _sync_once(store, backend, locked=False)
        if done:
            return seq
    return _sync_once(store, backend, locked=True)[1]


def version_of(backend: Backend) -> tuple[str, str | None]:
    """Return (the index's commit version, its commit time as UTC ISO or None); IndexUnavailable
    when there is no index. Cheap: the backend's quick state, never opening the index."""
    state = backend.state(quick=True)
    if not state.exists:
        raise IndexUnavailable(state.damage or "there is no index yet: run `searchapp reindex`")
    return commit_version(state.version, state.generation, state.last_commit), _utc(state.last_commit)


def commit_version(version: str | None, generation: str | None, last_commit: str | None) -> str:
    """Return the name the desk keeps for an index commit, from a backend's State (or the health
    dict made of one): its version, else its generation and commit time."""
    return version or f"{generation}@{last_commit}"


def synced(store: DeskStore) -> tuple[str | None, int]:
    """Return (the index version the desk's arrivals were last synced to, the latest sync number)."""
    with store.read() as con:
        return store.meta(con, _VERSION_KEY), store.current_seq(con)


def sync_leased(store: DeskStore, backend: Backend, stop: threading.Event | None = None,
                holder: str | None = None) -> int:
    """Like `sync`, but diff only while holding the desk's sync lease, for a background thread.

    Several server processes notice one commit at about the same time; without the lease each
    diffs every id (0.2-0.3 s of CPU at 209,473 articles, taken from that process's requests by
    the GIL) and all but one throw the diff away. With it the first takes the lease (one short
    write) and diffs; the others wait for that sync to land, reading two rows every LEASE_POLL_S,
    and take over when the lease runs out (its holder died) or is released without the version
    synced (its diff failed). Returns the latest sync number; `stop` set ends a wait (Stopped).
    """
    me = holder or f"{os.getpid()}:{threading.get_ident()}:{uuid.uuid4().hex[:8]}"
    while True:
        version, _ = version_of(backend)
        with store.write() as con:
            if store.meta(con, _VERSION_KEY) == version:
                return store.current_seq(con)
            lease = store.meta(con, _LEASE_KEY)
            owner, _, until = (lease or "").partition(" ")
            held = bool(owner) and owner != me and _float(until) > time.time()
            if not held:
                mine = f"{me} {time.time() + LEASE_S:.3f}"
                con.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE "
                            "SET value = excluded.value", (_LEASE_KEY, mine))
        if not held:
            try:
                return sync(store, backend)
            finally:
                # Not released (the desk failed meanwhile): it runs out within LEASE_S anyway, so
                # the sync's own error is the one to tell.
                with contextlib.suppress(DeskError):
                    with store.write() as con:
                        con.execute("DELETE FROM meta WHERE key = ? AND value = ?", (_LEASE_KEY, mine))
        # Another process is syncing: wait for it to land or let go, then look again.
        waiting = stop if stop is not None else threading.Event()
        while True:
            if waiting.wait(LEASE_POLL_S):
                raise Stopped()
            with store.read() as con:
                if store.meta(con, _VERSION_KEY) == version:
                    return store.current_seq(con)
                lease = store.meta(con, _LEASE_KEY)
            owner, _, until = (lease or "").partition(" ")
            if not owner or _float(until) <= time.time():
                break


def _float(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return 0.0


def _sync_once(store: DeskStore, backend: Backend, *, locked: bool) -> tuple[bool, int]:
    """Try one sync; return (done, the latest sync number). Not done when the desk or the index
    moved between the snapshot and the write (never when `locked`: then whatever moved is read
    again under the lock)."""
    version, at = version_of(backend)
    with store.read() as con:
        if store.meta(con, _VERSION_KEY) == version:
            return True, store.current_seq(con)
    ids = _ids(backend)
    base: tuple[str | None, int] = (None, 0)
    new, gone = set[str](), set[str]()
    if not locked:
        with store.snapshot() as con:
            synced = store.meta(con, _VERSION_KEY)
            if synced == version:
                return True, store.current_seq(con)
            base = (synced, store.current_seq(con))
            new, gone = _diff(con, ids)
    with store.write() as con:
        # The index's version again, now that no other sync can land: the ids above are of
        # `version` only if it is still live (the manifest was read after it), and a desk
        # already at the live version is done, whatever this diff says.
        live, live_at = version_of(backend)
        if store.meta(con, _VERSION_KEY) == live:
            return True, store.current_seq(con)
        if live != version:
            if not locked:
                return False, 0      # a commit landed since: this diff is of an older one
            ids, version, at = _ids_of_live(backend, live, live_at)
        if locked:
            new, gone = _diff(con, ids)
        elif (store.meta(con, _VERSION_KEY), store.current_seq(con)) != base:
            return False, 0      # another sync landed after the snapshot: this diff is stale
        if new or gone:
            seq = con.execute("INSERT INTO syncs (at, version, added, gone) VALUES (?, ?, ?, ?)",
                              (at or now_iso(), version, len(new), len(gone))).lastrowid
            ordered = sorted(new)
            for i in range(0, len(ordered), _INSERT_CHUNK):
                con.executemany("INSERT INTO arrivals (id, seq) VALUES (?, ?)",
                                ((x, seq) for x in ordered[i:i + _INSERT_CHUNK]))
            gone_list = sorted(gone)
            for i in range(0, len(gone_list), _INSERT_CHUNK):
                con.executemany("DELETE FROM arrivals WHERE id = ?", ((x,) for x in gone_list[i:i + _INSERT_CHUNK]))
        con.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = "
                    "excluded.value", (_VERSION_KEY, version))
        return True, store.current_seq(con)


def _ids(backend: Backend) -> set[str]:
    """Return every article id in the index's manifest."""
    return {i for entry in backend.manifest().files.values() for i in entry.ids}


def _ids_of_live(backend: Backend, live: str, live_at: str | None) -> tuple[set[str], str, str | None]:
    """Return (the manifest's ids, the version they are of, its commit time), read while the
    desk's lock is held: the version read before and after the manifest must agree, else a
    commit landed while it was read and it is read again (commits are seconds apart)."""
    for _ in range(_LIVE_TRIES):
        ids = _ids(backend)
        after, after_at = version_of(backend)
        if after == live:
            return ids, live, live_at
        live, live_at = after, after_at
    raise IndexUnavailable(f"the index changed {_LIVE_TRIES} times while its manifest was read; "
                           "the desk's arrivals are synced on the next look")


def _diff(con: sqlite3.Connection, ids: set[str]) -> tuple[set[str], set[str]]:
    """Return (ids the index holds and the desk does not, ids the desk holds and the index does not)."""
    known = {r[0] for r in con.execute("SELECT id FROM arrivals")}
    return ids - known, known - ids


def _utc(local_iso: str | None) -> str | None:
    """Return a backend's commit time (local, naive ISO) as an aware UTC ISO time."""
    if not local_iso:
        return None
    try:
        t = dt.datetime.fromisoformat(local_iso)
    except ValueError:
        return None
    if t.tzinfo is None:
        t = t.astimezone()   # naive: the machine's local time (how the backends write it)
    return t.astimezone(dt.timezone.utc).isoformat(timespec="seconds")
