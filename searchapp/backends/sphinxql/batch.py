"""Write articles to their shards: every copy of a shard gets every row (no INSERT into a
distributed table in Sphinx 2.2, SCALEOUT.md trap 2), REPLACE by row id, delete by path.

Incremental batches hold their changes until commit(), then send each shard's deletes and rows to
every copy of it; a batch larger than FLUSH_ROWS lands in steps. A rebuild writes into the idle
slot (readers use the live one), and commit() switches the live slot on every node. Before any
write, and on any failure, a node that does not answer stops the batch with one line naming it;
the manifest is saved only after every row landed, so the next reindex redoes what did not.
Writes are idempotent (REPLACE by id, delete by path first), so redoing them loses nothing.

Each node has one sender thread, so its statements land in the order they were made while the
nodes index in parallel and the next rows are built meanwhile (a copy's failure surfaces at the
next statement to that node or at commit, always before the manifest is saved).
"""
from __future__ import annotations

import time
from collections import defaultdict, deque
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from searchapp.backend import Manifest
from searchapp.backends.sphinxql import schema
from searchapp.backends.sphinxql.connection import NodeDown
from searchapp.models import Article

if TYPE_CHECKING:
    from searchapp.backends.sphinxql.index import SphinxBackend

FLUSH_ROWS = 2000          # rows per shard held before an incremental batch sends them early
ROWS_PER_STATEMENT = 200   # rows in one REPLACE statement
PATHS_PER_DELETE = 500
PENDING_PER_NODE = 3       # statements queued per node before the batch waits for it


class ShardWriteError(NodeDown):
    """A shard could not be written; nothing of this batch is recorded as indexed."""


# What pymysql's escape_string escapes, by chained str.replace: its per-character translate()
# was the largest single cost of a rebuild (every body is sent twice: the field and `doc`).
_ESCAPES = (("\\", "\\\\"), ("\0", "\\0"), ("\n", "\\n"), ("\r", "\\r"),
            ("\x1a", "\\Z"), ("'", "\\'"), ('"', '\\"'))


def _sql_value(value: Any) -> str:
    """Return a value as a SphinxQL literal: an MVA list, an integer or a quoted string."""
    if isinstance(value, list):
        return "(" + ", ".join(str(int(v)) for v in value) + ")"
    if isinstance(value, int):
        return str(value)
    for char, escaped in _ESCAPES:
        if char in value:
            value = value.replace(char, escaped)
    return "'" + value + "'"


class SphinxBatch:
    """A batch of changes to the cluster (see the module docstring)."""

    def __init__(self, backend: "SphinxBackend", *, rebuild: bool):
        self.backend = backend
        self.topology = backend.topology
        self.rebuild = rebuild
        live = backend.live_state()
        self.previous = live
        self.slot = schema.SLOTS[1] if live and live["slot"] == schema.SLOTS[0] else schema.SLOTS[0]
        if not rebuild:
            if live is None:
                raise NodeDown("no index is published on the SphinxQL cluster yet: "
                               "run `searchapp reindex --full`")
            self.slot = live["slot"]
        self._rows: dict[int, dict[str, dict[str, Any]]] = defaultdict(dict)   # shard -> aid -> row
        self._deletes: set[str] = set()
        self._manifest: Manifest | None = None
        self._seq = time.time_ns()
        self._done = False
        self._senders = {n.name: ThreadPoolExecutor(1, thread_name_prefix=f"sphinxql-write-{n.name}")
                         for n in self.topology.nodes}
        self._pending: dict[str, deque[tuple[int, Future]]] = defaultdict(deque)
        self._check_nodes()
        if rebuild:
            for shard in range(len(self.topology.shards)):
                self._each_copy(shard, f"TRUNCATE RTINDEX {schema.shard_table(shard, self.slot)}")

    # -- helpers ----------------------------------------------------------------------------

    def _check_nodes(self) -> None:
        for node in self.topology.nodes:
            why = self.backend.control.ping(node.name)
            if why is not None:
                shards = ", ".join(str(s) for s in self.topology.held_by(node.name))
                raise ShardWriteError(f"reindex stopped: {why} (it holds shard {shards}); nothing "
                                      "more is recorded as indexed, run reindex again once it is back")

    def _each_copy(self, shard: int, sql: str) -> None:
        """Queue a statement on every copy of a shard (waiting while a node is far behind)."""
        for name in self.topology.shards[shard]:
            pending = self._pending[name]
            while len(pending) >= PENDING_PER_NODE:
                self._settle(*pending.popleft())
            pending.append((shard, self._senders[name].submit(self.backend.writes.execute, name, sql)))

    def _settle(self, shard: int, sent: Future) -> None:
        try:
            sent.result()
        except NodeDown as exc:
            self._stop_senders()
            raise ShardWriteError(f"reindex stopped: shard {shard}: {exc}; nothing more is "
                                  "recorded as indexed, run reindex again once it is back") from None

    def _compact(self) -> None:
        """Turn each rebuilt table into one disk chunk before it goes live.

        A rebuild leaves most rows in the RAM chunk's many small segments, and every search
        visits each: at 209,473 articles one GROUP BY took 4.8 ms a shard before, 2.1 ms after.
        FLUSH RAMCHUNK writes the RAM chunk as a disk chunk; OPTIMIZE merges the disk chunks
        (in the background: the switch does not wait for it).
        """
        for shard in range(len(self.topology.shards)):
            table = schema.shard_table(shard, self.slot)
            self._each_copy(shard, f"FLUSH RAMCHUNK {table}")
            self._each_copy(shard, f"OPTIMIZE INDEX {table}")

    def _drain(self) -> None:
        """Wait until every queued statement landed; raise on the first that did not."""
        for pending in self._pending.values():
            while pending:
                self._settle(*pending.popleft())

    def _stop_senders(self) -> None:
        for sender in self._senders.values():
            sender.shutdown(wait=True, cancel_futures=True)
        self._pending.clear()

    def _flush(self, shard: int | None = None) -> None:
        """Send pending deletes (to every shard) and then rows (of one shard, or all)."""
        if self._deletes:
            hashes = sorted(schema.path_hash(p) for p in self._deletes)
            for s in range(len(self.topology.shards)):
                table = schema.shard_table(s, self.slot)
                for i in range(0, len(hashes), PATHS_PER_DELETE):
                    part = ", ".join(str(h) for h in hashes[i:i + PATHS_PER_DELETE])
                    self._each_copy(s, f"DELETE FROM {table} WHERE path_h IN ({part})")
            self._deletes.clear()
        for s in [shard] if shard is not None else list(self._rows):
            rows = list(self._rows.pop(s, {}).values())
            table = schema.shard_table(s, self.slot)
            for i in range(0, len(rows), ROWS_PER_STATEMENT):
                self._each_copy(s, self._replace(table, rows[i:i + ROWS_PER_STATEMENT]))

    @staticmethod
    def _replace(table: str, rows: list[dict[str, Any]]) -> str:
        values = ", ".join("(" + ", ".join([_sql_value(r[c]) for c in schema.COLUMNS]) + ")"
                           for r in rows)
        return f"REPLACE INTO {table} ({', '.join(schema.COLUMNS)}) VALUES {values}"

    # -- the seam ---------------------------------------------------------------------------

    def add(self, article: Article) -> None:
        """Queue one article for its shard (sent at commit, or early in a large batch)."""
        self._seq += 1
        row = schema.row(article, self._seq)
        shard = schema.shard_of(article.id, len(self.topology.shards))
        self._rows[shard][article.id] = row
        if self.rebuild and len(self._rows[shard]) >= ROWS_PER_STATEMENT:
            self._flush(shard)      # the idle slot is unseen by readers: send as it comes
        elif len(self._rows[shard]) >= FLUSH_ROWS:
            self._flush(shard)

    def delete_paths(self, paths: Iterable[str]) -> None:
        """Delete every article read from these files (rows queued for them go too)."""
        paths = set(paths)
        if not paths:
            return
        for rows in self._rows.values():
            for aid in [a for a, r in rows.items() if r["path"] in paths]:
                del rows[aid]
        self._deletes |= paths

    def save_manifest(self, manifest: Manifest) -> None:
        """Keep the manifest; it is written after every row landed."""
        self._manifest = manifest

    def commit(self) -> None:
        """Send what is pending to every copy, save the manifest, then publish (rebuild) or stamp."""
        if self._done:
            raise RuntimeError("this batch is already committed or cancelled")
        self._flush()
        if self.rebuild:
            self._compact()
        self._drain()
        self._stop_senders()
        if self._manifest is not None:
            self.backend.save_manifest(self.slot, self._manifest)
        generation = (self.previous or {}).get("generation_no", 0) + (1 if self.rebuild else 0)
        lengths = self._average_lengths()
        self.backend.publish({
            "avg_lengths": lengths,
            "slot": self.slot, "generation_no": generation,
            "generation": f"{self.slot}-{generation}",
            "schema_version": self.backend.schema_version if self.rebuild
            else (self.previous or {}).get("schema_version", 0),
            "last_commit": time.strftime("%Y-%m-%dT%H:%M:%S"),
            # Two commits within one second differ here, so a reader's cache of the published
            # state (the spelling vocabulary) sees each one.
            "commit_ns": time.time_ns(),
        })
        self._done = True

    def _average_lengths(self) -> list[float]:
        """Return the slot's average title and body length (BM25's norm; reader.ranker)."""
        node = self.topology.shards[0][0]
        rows = self.backend.pool.query(node, f"SELECT AVG(tlen), AVG(blen), COUNT(*) FROM "
                                             f"{schema.dist_table(self.slot)}")
        return [float(rows[0][0]), float(rows[0][1])] if rows and int(rows[0][2]) else [1.0, 1.0]

    def cancel(self) -> None:
        """Drop what is pending; a rebuild's idle slot is emptied at the next rebuild."""
        self._rows.clear()
        self._deletes.clear()
        self._stop_senders()
        self._done = True

    def __enter__(self) -> "SphinxBatch":
        return self

    def __exit__(self, *exc: object) -> None:
        if not self._done:   # leaving without commit() drops the batch, as the seam says
            self.cancel()
