"""The desk's SQLite file: saved searches, and the articles that arrived in the index and when.

One file (Settings.desk_file; default index_dir/desk.sqlite3, beside the generation folders a
rebuild swaps, so a rebuild never replaces it) shared by every server process and the CLI: WAL
(readers never wait for the writer), a busy timeout (a writer waits for another instead of
failing), one short-lived connection per call (no connection crosses a thread or a fork), and
`BEGIN IMMEDIATE` around every read-modify-write so two processes syncing at once take turns
(held only for the write itself: a sync's long read runs in a `snapshot`, searchapp.search.arrivals).
The schema's version is SQLite's user_version; a file from a newer searchapp is refused, not
rewritten.

Saved searches belong to the desk: the product has no user accounts, so everyone who can reach
the server sees and edits the same list.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import json
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from searchapp.config import Settings
from searchapp.errors import NotFound, QueryError, SearchAppError
from searchapp.models import SearchRequest

SCHEMA_VERSION = 1
MAX_NAME_CHARS = 120
BUSY_TIMEOUT_S = 10.0

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
-- One row per sync that found a change: `at` is the index's commit time it saw (or the sync's).
CREATE TABLE IF NOT EXISTS syncs (seq INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL,
                                  version TEXT, added INTEGER NOT NULL, gone INTEGER NOT NULL);
-- Every article id the index holds, with the sync that first saw it.
CREATE TABLE IF NOT EXISTS arrivals (id TEXT PRIMARY KEY, seq INTEGER NOT NULL) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS arrivals_seq ON arrivals (seq);
CREATE TABLE IF NOT EXISTS saved (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL UNIQUE,
                                  request TEXT NOT NULL, created TEXT NOT NULL,
                                  created_seq INTEGER NOT NULL, seen_seq INTEGER NOT NULL);
"""

# The request fields a saved search keeps: the query, its filters and its sort (not the page).
_KEPT = ("query", "sources", "countries", "cities", "languages", "stories", "year", "month", "day",
         "date_from", "date_to", "undated", "sort")


class DeskError(SearchAppError):
    """The desk file cannot be used (made by a newer searchapp, or not a SQLite file)."""

    status = 503


class NameTaken(SearchAppError):
    status = 409


@dataclass(frozen=True)
class SavedSearch:
    """A search kept under a name; `seen_seq` is the last arrival sync its user has looked at."""

    id: int
    name: str
    request: SearchRequest
    created: str            # ISO time
    created_seq: int        # the arrivals sync current when it was saved (its feed starts after)
    seen_seq: int


def request_to_json(req: SearchRequest) -> dict[str, Any]:
    """Return the kept fields of `req` as JSON values (dates as ISO strings)."""
    out: dict[str, Any] = {}
    for name in _KEPT:
        value = getattr(req, name)
        out[name] = value.isoformat() if isinstance(value, dt.date) else value
    return out


def request_from_json(data: dict[str, Any]) -> SearchRequest:
    """Return the SearchRequest `request_to_json` kept (unknown keys ignored)."""
    known = {f.name for f in fields(SearchRequest)}
    values = {k: v for k, v in data.items() if k in known and k in _KEPT}
    for key in ("date_from", "date_to"):
        if values.get(key):
            values[key] = dt.date.fromisoformat(values[key])
    return SearchRequest(**values)


def check_name(name: str) -> str:
    """Return the name stripped, or raise QueryError saying what a name may be."""
    name = " ".join(str(name).split())
    if not name:
        raise QueryError("a saved search needs a name")
    if len(name) > MAX_NAME_CHARS:
        raise QueryError(f"a saved search's name may have at most {MAX_NAME_CHARS} characters")
    if any(ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 for c in name):
        raise QueryError("a saved search's name may not hold control characters")
    return name


def default_name(query: str) -> str:
    """Return the name a search is saved under when none is given: its query, made a valid name
    (control characters dropped, cut to MAX_NAME_CHARS), or "All articles" for a blank one."""
    text = " ".join("".join(c for c in query if not (ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0)).split())
    if len(text) > MAX_NAME_CHARS:
        text = text[:MAX_NAME_CHARS - 1].rstrip() + "…"
    return text or "All articles"


def desk_path(settings: Settings) -> Path:
    """Return where the desk file lives: Settings.desk_file, else index_dir/desk.sqlite3."""
    return Path(settings.desk_file) if settings.desk_file else Path(settings.index_dir) / "desk.sqlite3"


def now_iso() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


class DeskStore:
    """The desk file; safe to share between threads (each call opens its own connection)."""

    def __init__(self, path: Path, busy_timeout_s: float = BUSY_TIMEOUT_S) -> None:
        self.path = Path(path)
        self.busy_timeout_s = busy_timeout_s
        self._ready = False

    @contextlib.contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        if not self.path.parent.is_dir():
            # Not made here: a mistyped --index would leave a stray folder with a desk file in it.
            raise DeskError(f"the desk file's folder {self.path.parent} does not exist (is the index there?)")
        try:
            con = sqlite3.connect(self.path, timeout=self.busy_timeout_s, isolation_level=None)
        except sqlite3.Error as exc:
            raise DeskError(f"cannot open the desk file {self.path}: {exc}") from None
        try:
            con.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout_s * 1000)}")
            if not self._ready:
                self._prepare(con)
            yield con
        except sqlite3.DatabaseError as exc:
            if isinstance(exc, sqlite3.IntegrityError):
                raise
            raise DeskError(f"the desk file {self.path} cannot be used: {exc}") from None
        finally:
            con.close()

    def _prepare(self, con: sqlite3.Connection) -> None:
        """Create the schema once per process, or refuse a file from a newer searchapp."""
        version = con.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise DeskError(f"the desk file {self.path} has schema version {version}; this searchapp "
                            f"knows {SCHEMA_VERSION}: upgrade searchapp")
        if version < SCHEMA_VERSION:
            con.execute("PRAGMA journal_mode = WAL")
            con.execute("BEGIN IMMEDIATE")
            try:
                if con.execute("PRAGMA user_version").fetchone()[0] < SCHEMA_VERSION:
                    # One statement at a time: executescript() would commit the transaction first.
                    for statement in _statements(_SCHEMA):
                        con.execute(statement)
                con.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK") if con.in_transaction else None
                raise
        self._ready = True

    @contextlib.contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """A connection for reads (each statement sees a committed state)."""
        with self._connect() as con:
            yield con

    @contextlib.contextmanager
    def snapshot(self) -> Iterator[sqlite3.Connection]:
        """A connection inside a read transaction: every statement sees one committed state, and
        no writer waits for it (WAL), however long the reading takes."""
        with self._connect() as con:
            con.execute("BEGIN")
            try:
                yield con
            finally:
                con.execute("ROLLBACK")   # nothing was written: ending the read is all it does

    @contextlib.contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """A connection inside `BEGIN IMMEDIATE`: committed on success, rolled back on error."""
        with self._connect() as con:
            con.execute("BEGIN IMMEDIATE")
            try:
                yield con
            except BaseException:
                con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")

    # -- arrivals -------------------------------------------------------------------------------

    def current_seq(self, con: sqlite3.Connection | None = None) -> int:
        """Return the latest sync's number (0 before the first)."""
        if con is None:
            with self.read() as c:
                return self.current_seq(c)
        return con.execute("SELECT COALESCE(MAX(seq), 0) FROM syncs").fetchone()[0]

    def meta(self, con: sqlite3.Connection, key: str) -> str | None:
        row = con.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def arrivals_after(self, seq: int, limit: int, *, upto: int | None = None) -> tuple[list[str], int]:
        """Return (the newest `limit` ids that arrived after sync `seq`, up to sync `upto`, newest
        sync first; how many arrived in that span in all)."""
        hi = upto if upto is not None else 1 << 62
        with self.read() as con:
            total = con.execute("SELECT COUNT(*) FROM arrivals WHERE seq > ? AND seq <= ?",
                                (seq, hi)).fetchone()[0]
            ids = [r[0] for r in con.execute(
                "SELECT id FROM arrivals WHERE seq > ? AND seq <= ? ORDER BY seq DESC, id LIMIT ?",
                (seq, hi, limit))]
        return ids, total

    def arrival_times(self, ids: Sequence[str]) -> dict[str, tuple[int, str]]:
        """Return id -> (sync number, its time) for the ids that arrived (in chunks of 500)."""
        out: dict[str, tuple[int, str]] = {}
        with self.read() as con:
            for i in range(0, len(ids), 500):
                chunk = list(ids[i:i + 500])
                marks = ",".join("?" * len(chunk))
                for id_, seq, at in con.execute(
                        f"SELECT a.id, a.seq, s.at FROM arrivals a JOIN syncs s ON s.seq = a.seq "
                        f"WHERE a.id IN ({marks})", chunk):
                    out[id_] = (seq, at)
        return out

    # -- saved searches -------------------------------------------------------------------------

    def add(self, name: str, req: SearchRequest, seq: int) -> SavedSearch:
        """Save `req` under `name`, seen up to sync `seq`; NameTaken when the name is in use."""
        name = check_name(name)
        created = now_iso()
        try:
            with self.write() as con:
                cur = con.execute("INSERT INTO saved (name, request, created, created_seq, seen_seq) "
                                  "VALUES (?, ?, ?, ?, ?)",
                                  (name, json.dumps(request_to_json(req), ensure_ascii=False), created,
                                   seq, seq))
                new_id = cur.lastrowid
        except sqlite3.IntegrityError:
            raise NameTaken(f"a saved search is already named {name!r}") from None
        return SavedSearch(int(new_id), name, _kept(req), created, seq, seq)  # type: ignore[arg-type]

    def list(self) -> list[SavedSearch]:
        """Return every saved search, by name (case-blind)."""
        with self.read() as con:
            rows = con.execute("SELECT id, name, request, created, created_seq, seen_seq FROM saved "
                               "ORDER BY name COLLATE NOCASE, id").fetchall()
        return [_row(r) for r in rows]

    def get(self, saved_id: int) -> SavedSearch:
        """Return one saved search; NotFound when there is none with that id."""
        with self.read() as con:
            row = con.execute("SELECT id, name, request, created, created_seq, seen_seq FROM saved "
                              "WHERE id = ?", (saved_id,)).fetchone()
        if row is None:
            raise NotFound(f"there is no saved search {saved_id}")
        return _row(row)

    def find(self, key: str) -> SavedSearch:
        """Return the saved search whose id or name is `key` (the CLI's way to name one)."""
        if key.isdigit():
            with contextlib.suppress(NotFound):
                return self.get(int(key))
        with self.read() as con:
            row = con.execute("SELECT id, name, request, created, created_seq, seen_seq FROM saved "
                              "WHERE name = ?", (" ".join(key.split()),)).fetchone()
        if row is None:
            raise NotFound(f"there is no saved search named {key!r}")
        return _row(row)

    def rename(self, saved_id: int, name: str) -> SavedSearch:
        name = check_name(name)
        try:
            with self.write() as con:
                cur = con.execute("UPDATE saved SET name = ? WHERE id = ?", (name, saved_id))
        except sqlite3.IntegrityError:
            raise NameTaken(f"a saved search is already named {name!r}") from None
        if not cur.rowcount:
            raise NotFound(f"there is no saved search {saved_id}")
        return self.get(saved_id)

    def delete(self, saved_id: int) -> None:
        with self.write() as con:
            cur = con.execute("DELETE FROM saved WHERE id = ?", (saved_id,))
        if not cur.rowcount:
            raise NotFound(f"there is no saved search {saved_id}")

    def mark_seen(self, saved_id: int, upto: int) -> SavedSearch:
        """Record that its user has seen what arrived up to sync `upto` (never moves back, never
        past the latest sync: arrivals after the page was made stay new)."""
        with self.write() as con:
            upto = min(upto, self.current_seq(con))
            cur = con.execute("UPDATE saved SET seen_seq = MAX(seen_seq, ?) WHERE id = ?", (upto, saved_id))
        if not cur.rowcount:
            raise NotFound(f"there is no saved search {saved_id}")
        return self.get(saved_id)


def _statements(script: str) -> list[str]:
    lines = [ln for ln in script.splitlines() if not ln.lstrip().startswith("--")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]


def _kept(req: SearchRequest) -> SearchRequest:
    return request_from_json(request_to_json(req))


def _row(row: tuple[Any, ...]) -> SavedSearch:
    return SavedSearch(id=row[0], name=row[1], request=request_from_json(json.loads(row[2])),
                       created=row[3], created_seq=row[4], seen_seq=row[5])
