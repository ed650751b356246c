"""Keep a server process's desk arrivals synced off the request path: requests only look.

A request that looks at the desk (the /saved page, /api/saved, one saved search's new matches,
its feed) reads two things, both cheap: the index's commit version (the backend's quick state)
and the version the desk last synced (one row). When they differ, it wishes the new version on
this process's one background reader (searchapp.newest_read.NewestRead, the pattern the spelling
vocabularies use), which runs the diff (searchapp.search.arrivals.sync_leased: one process per
commit diffs, the others wait for it to land). The request then waits for that sync only within
Settings.desk_sync_wait_share of what is left of its budget, and otherwise answers from the last
sync that landed, saying so (`Look.pending`: the commit whose arrivals are still being counted).

Every other request notices a commit too, so that the sync is usually done before anyone looks:
a web request already reads the index's version for its HTTP validators (searchapp.web.caching),
and the web layer hands a new one to `notice` (searchapp.web.saved), which only wishes it on the
same background reader: no desk read, no wait, nothing but a comparison on a request that finds
the version it noticed last. A process that never opened the desk file makes its desk then,
only when the file exists (a search never creates one).

Why wait at all: a sync takes 0.2-0.3 s at 209,473 articles, the budget is 5 s, so nearly every
first look after a commit is complete and the analyst never sees a notice; why only a share: the
counting of the saved searches runs on the same budget, and a slow diff (a far larger archive, a
busy machine, another process holding the lease) must not leave them all "not counted".
"""
from __future__ import annotations

import threading
from dataclasses import dataclass

from searchapp.backend import Backend
from searchapp.newest_read import NewestRead, Read
from searchapp.search.arrivals import sync_leased, synced, version_of
from searchapp.search.budget import Budget
from searchapp.search.desk_store import DeskStore

# A sync that failed (the desk file locked past its busy timeout, the index unreadable) is tried
# again on the first look after this many seconds, not on every look.
RETRY_S = 5.0


@dataclass(frozen=True)
class Look:
    """The desk's arrivals as a request may use them: synced up to sync `seq`; `pending` is the
    UTC time of the index's commit whose arrivals are still being counted (None: none is; "" when
    the backend cannot tell the commit's time)."""

    seq: int
    pending: str | None = None
    problem: str | None = None    # why the last background sync failed, while it is pending

    def note(self) -> str | None:
        """Return the page's notice about a commit not counted yet, or None."""
        if self.pending is None:
            return None
        commit = f"the index's commit at {self.pending}" if self.pending else "the index's latest commit"
        text = (f"Arrivals of {commit} are still being counted; these counts are as of the one "
                f"before. Reload in a moment to see them.")
        if self.problem:
            text += f" (The last try failed: {self.problem}; it is tried again shortly.)"
        return text


class ArrivalsWatch:
    """One process's background sync of one desk file's arrivals; safe to share between threads."""

    def __init__(self, store: DeskStore, backend: Backend, wait_share: float = 0.5) -> None:
        self.store = store
        self.backend = backend
        self.wait_share = wait_share   # Settings.desk_sync_wait_share
        self._read: NewestRead[tuple[str, int], int] = NewestRead(
            self._sync, name="desk-arrivals", retry_s=RETRY_S)
        self._lock = threading.Lock()
        self._landed: tuple[str, int] | None = None   # the key the last sync was of
        self._round = 0

    def notice(self, version: str) -> None:
        """Wish a sync of the index's commit `version` (a version the caller read anyway; see
        searchapp.search.arrivals.commit_version) on the background reader; read nothing, never wait.
        A version synced or being synced costs a comparison under a lock (NewestRead.want)."""
        with self._lock:
            key = (version, self._round)
        self._read.want(key)

    def look(self, budget: Budget | None = None) -> Look:
        """Return the arrivals a request may count with, never running the diff itself: wait for
        a sync in progress up to `wait_share` of what `budget` has left (no budget: not at all)."""
        version, commit_at = version_of(self.backend)
        desk_version, seq = synced(self.store)
        if desk_version == version:
            return Look(seq)
        # NewestRead reads a key once. A key is the index's version and a round, bumped when the
        # desk differs again after a sync of that very key landed (a desk file restored from a
        # copy, a version forgotten), so such a desk is synced again, not left pending for good.
        # (No desk version in the key: `notice` wishes the same key without reading the desk.)
        with self._lock:
            key = (version, self._round)
            if key == self._landed:
                self._round += 1
                key = (version, self._round)
        self._read.want(key)
        wait = budget.left() * self.wait_share if budget is not None else 0.0
        if wait > 0:
            self._read.wait_for(key, wait)
        desk_version, seq = synced(self.store)
        if desk_version == version:
            return Look(seq)
        return Look(seq, pending=commit_at or "", problem=self._read.error)

    def _sync(self, key: tuple[str, int], stop: threading.Event) -> Read[int]:
        # Syncs to the index's version now, which may be newer than the key's: still a sync the
        # waiting requests can use (they compare the desk with the index again after).
        seq = sync_leased(self.store, self.backend, stop)
        with self._lock:
            self._landed = key
        return Read(seq)

    def close(self) -> None:
        """Stop a running sync (a lease wait ends; a diff ends at its next write) and its thread."""
        self._read.close()
