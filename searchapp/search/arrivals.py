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
with nothing committed since costs one small read. Several commits between two looks land in one
sync (stamped with the latest commit's time). A full rebuild keeps every id (ids derive from
source, path and position), so it makes nothing new unless its articles are.

The very first sync records the whole archive as the baseline; a saved search starts from the
sync current when it is saved, so neither the baseline nor a first rebuild floods it.
"""
from __future__ import annotations

import datetime as dt

from searchapp.backend import Backend
from searchapp.errors import IndexUnavailable
from searchapp.search.desk_store import DeskStore, now_iso

_VERSION_KEY = "synced_version"
_INSERT_CHUNK = 5000


def sync(store: DeskStore, backend: Backend) -> int:
    """Bring the desk's arrivals up to the index's last commit; return the latest sync number."""
    state = backend.state(quick=True)
    if not state.exists:
        # No index, no arrivals to speak of: say so rather than report nothing new.
        raise IndexUnavailable(state.damage or "there is no index yet: run `searchapp reindex`")
    version = state.version or f"{state.generation}@{state.last_commit}"
    with store.read() as con:
        if store.meta(con, _VERSION_KEY) == version:
            return store.current_seq(con)
    manifest = backend.manifest()
    ids = {i for entry in manifest.files.values() for i in entry.ids}
    with store.write() as con:
        # Another process may have synced this version while the manifest was read.
        if store.meta(con, _VERSION_KEY) == version:
            return store.current_seq(con)
        known = {r[0] for r in con.execute("SELECT id FROM arrivals")}
        new = ids - known
        gone = known - ids
        if new or gone:
            at = _utc(state.last_commit) or now_iso()
            seq = con.execute("INSERT INTO syncs (at, version, added, gone) VALUES (?, ?, ?, ?)",
                              (at, version, len(new), len(gone))).lastrowid
            ordered = sorted(new)
            for i in range(0, len(ordered), _INSERT_CHUNK):
                con.executemany("INSERT INTO arrivals (id, seq) VALUES (?, ?)",
                                ((x, seq) for x in ordered[i:i + _INSERT_CHUNK]))
            gone_list = sorted(gone)
            for i in range(0, len(gone_list), _INSERT_CHUNK):
                con.executemany("DELETE FROM arrivals WHERE id = ?", ((x,) for x in gone_list[i:i + _INSERT_CHUNK]))
        con.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = "
                    "excluded.value", (_VERSION_KEY, version))
        return store.current_seq(con)


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
