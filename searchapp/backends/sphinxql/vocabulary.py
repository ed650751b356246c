"""Keep the spelling vocabulary of the live slot, read off the request path (Backend.vocabulary).

Sphinx 2.2 cannot list its dictionary (and what it holds are stems and =exact forms), but every
row keeps its article in the `doc` attribute, so a background thread pages through each shard's
table by id on the first copy that answers and splits title and body as the Whoosh backend's
spelling field does: folded words as written, stop words and one-letter words out. Readers only
report the published state (`watch`); a new slot, generation or commit starts a new read, and
until it ends `words()` answers with the last complete set (a list a commit behind costs at most
a missed suggestion). A read with a shard that no copy answers keeps what it got and is tried
again after RETRY_S, so a dead shard costs one background read per RETRY_S, not one per request.
"""
from __future__ import annotations

import json
import threading

from searchapp.backends.sphinxql import schema
from searchapp.backends.sphinxql.connection import NodeDown, Pool
from searchapp.backends.sphinxql.topology import Topology
from searchapp.newest_read import NewestRead, Read, Stopped
from searchapp.text import is_stopword, words

PAGE = 1_000          # rows per statement (Sphinx 2.2's default max_matches)
RETRY_S = 30.0        # how soon a read that missed a shard is tried again


def article_words(doc: str) -> set[str]:
    """Return the spelling words of one stored article (the `doc` attribute's JSON)."""
    data = json.loads(doc)
    text = "\n".join([data.get("title") or "", *(data.get("body") or [])])
    return {w for _, _, w in words(text) if len(w) > 1 and not is_stopword(w)}


class Vocabulary:
    """The spelling vocabulary of the live slot of one cluster, read in the background."""

    def __init__(self, pool: Pool, topology: Topology):
        self._pool = pool
        self._topology = topology
        self._read = NewestRead(self._read_slot, name="sphinxql-vocabulary", retry_s=RETRY_S)

    @property
    def error(self) -> str | None:
        """Why the last read was incomplete (None once one is complete)."""
        return self._read.error

    def watch(self, state: dict) -> None:
        """Start reading the words of this published state when it is new (cheap otherwise)."""
        self._read.want((state.get("slot"), state.get("generation"), state.get("last_commit"),
                         state.get("commit_ns")))

    def _read_slot(self, key: tuple, stop: threading.Event) -> Read[frozenset[str]]:
        out: set[str] = set()
        missing = []
        for shard, names in enumerate(self._topology.shards):
            table = schema.shard_table(shard, key[0])
            errors = []
            for name in names:
                try:
                    self._read_shard(name, table, out, stop)
                    break
                except NodeDown as exc:
                    errors.append(str(exc))   # a dead copy: the shard's next copy answers
            else:
                missing.append(f"{self._topology.shard_name(shard)}: {'; '.join(errors)}")
        # Sorted here, off the request path, for the prefix count (reader._check_prefixes).
        return Read((frozenset(out), sorted(out)), "; ".join(missing) or None)

    def _read_shard(self, name: str, table: str, out: set[str], stop: threading.Event) -> None:
        last = 0
        while True:
            if stop.is_set():
                raise Stopped
            rows = self._pool.query(name, f"SELECT id, doc FROM {table} WHERE id > {last} "
                                          f"ORDER BY id ASC LIMIT {PAGE} OPTION max_matches={PAGE}")
            for _, doc in rows:
                out |= article_words(doc.decode() if isinstance(doc, bytes) else str(doc))
            if len(rows) < PAGE:
                return
            last = int(rows[-1][0])

    def words(self, wait: float = 0.0) -> frozenset[str] | None:
        """Return the last word set read, waiting up to `wait` s for a first one."""
        got = self._read.value(wait)
        return got[0] if got is not None else None

    def ordered(self, wait: float = 0.0) -> list[str] | None:
        """Return the same words in sorted order (a prefix's words are one run of them)."""
        got = self._read.value(wait)
        return got[1] if got is not None else None

    def close(self) -> None:
        """Stop a running read and wait for its thread."""
        self._read.close()
