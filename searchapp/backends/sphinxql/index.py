"""The SphinxQL backend: a cluster of searchd nodes (Manticore in production, Sphinx 2.2 in CI).

Which slot is live, its generation and schema version live in a one-row state table on every
node (searchd_conf.state_table), so every web process sees a switch. The manifest of each slot
is kept in settings.index_dir/sphinxql/ on the machine that runs reindex (the one writer).
"""
from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from searchapp import manifest_file
from searchapp.backend import Manifest, MissingShard, NodeState, State
from searchapp.backends.sphinxql import schema
from searchapp.backends.sphinxql.batch import SphinxBatch
from searchapp.backends.sphinxql.connection import NodeDown, Pool
from searchapp.backends.sphinxql.labels import Labels
from searchapp.backends.sphinxql.reader import SphinxReader, StateCache, _quote, _s
from searchapp.backends.sphinxql.topology import Topology
from searchapp.backends.sphinxql.vocabulary import Vocabulary
from searchapp.config import Settings
from searchapp.errors import IndexUnavailable

PREFIX_WAIT_S = 1.0     # a prefix* waits this long at most for the first vocabulary read
SCHEMA_VERSION = 5   # 2: tlen and blen (field lengths for BM25); 3: pkey for period; 4: story; 5: story signatures v2
STATE_ROW = 1


def topology_from(settings: Settings) -> Topology:
    """Return the cluster Settings describe: a TOML file, or one node at sphinxql_node."""
    from searchapp.backends.sphinxql import topology as tp
    if settings.sphinxql_topology:
        return tp.load(Path(settings.sphinxql_topology))
    try:
        host, sql_port, api_port = settings.sphinxql_node.rsplit(":", 2)
        return tp.parse({"node": [{"name": "node", "host": host, "sql_port": int(sql_port),
                                   "api_port": int(api_port)}], "shard": [{"nodes": ["node"]}]})
    except ValueError:
        raise tp.TopologyError(f"sphinxql_node must be host:sql_port:api_port, not "
                               f"{settings.sphinxql_node!r}") from None


class SphinxBackend:
    """Backend over a SphinxQL cluster; one per process, shared by its threads."""

    name = "sphinxql"
    schema_version = SCHEMA_VERSION

    def __init__(self, settings: Settings, topology: Topology | None = None):
        self.settings = settings
        self.topology = topology or topology_from(settings)
        # Searches and writes may take up to the query budget; the state row and pings answer
        # at once, so a frozen node costs them a connect timeout, not the budget (issue 12).
        self.pool = Pool(self.topology, connect_timeout=settings.sphinxql_connect_timeout_s,
                         read_timeout=settings.query_time_limit_s + settings.sphinxql_connect_timeout_s)
        self.control = Pool(self.topology, connect_timeout=settings.sphinxql_connect_timeout_s,
                            read_timeout=settings.sphinxql_connect_timeout_s)
        # Writes wait for searchd to index them; flushing a full RAM chunk to disk took longer
        # than a search's budget at 209,473 articles, and failed a rebuild that was fine.
        self.writes = Pool(self.topology, connect_timeout=settings.sphinxql_connect_timeout_s,
                           read_timeout=settings.sphinxql_write_timeout_s)
        self._turn = 0
        self._lock = threading.Lock()
        self._vocabulary = Vocabulary(self.pool, self.topology)
        self._cache = StateCache()
        self._labels = Labels()

    # -- nodes ----------------------------------------------------------------------------------

    def coordinators(self) -> list[str]:
        """Return the node names in the order to try them, turning the first one per call."""
        names = [n.name for n in self.topology.nodes]
        with self._lock:
            self._turn = (self._turn + 1) % len(names)
            k = self._turn
        turned = names[k:] + names[:k]
        # A node that just failed goes last: asking it first would cost every search a timeout.
        return sorted(turned, key=lambda n: bool(self.pool.suspect(n) or self.control.suspect(n)))

    def _state_on(self, name: str) -> dict[str, Any] | None:
        rows = self.control.query(name, f"SELECT value FROM {schema.STATE_TABLE} WHERE id = {STATE_ROW}")
        return json.loads(_s(rows[0][0])) if rows else None

    def live_state(self) -> dict[str, Any] | None:
        """Return the published state (slot, generation...) from the first node that answers."""
        errors = []
        for name in self.coordinators():
            try:
                return self._state_on(name)
            except NodeDown as exc:
                errors.append(str(exc))
        raise IndexUnavailable("no SphinxQL node answers: " + "; ".join(errors))

    def publish(self, state: dict[str, Any]) -> None:
        """Write the state row on every node (a node down raises: reindex then fails loudly)."""
        value = _quote(json.dumps(state, sort_keys=True))
        for node in self.topology.nodes:
            self.writes.execute(node.name, f"REPLACE INTO {schema.STATE_TABLE} (id, note, value) "
                                         f"VALUES ({STATE_ROW}, '', {value})")

    # -- the seam -------------------------------------------------------------------------------

    @contextmanager
    def reader(self) -> Iterator[SphinxReader]:
        """Return a view of the live slot through the first node that answers."""
        errors = []
        for name in self.coordinators():
            try:
                state = self._state_on(name)
            except NodeDown as exc:
                errors.append(str(exc))
                continue
            if state is None:
                raise IndexUnavailable("no index is published on the SphinxQL cluster: "
                                       "run `searchapp reindex`")
            self._vocabulary.watch(state)
            key = tuple(state.get(k) for k in ("slot", "generation", "last_commit", "commit_ns"))
            lengths = state.get("avg_lengths")
            yield SphinxReader(self.pool, self.topology, name, state["slot"],
                               lengths=tuple(lengths) if lengths else None,
                               vocabulary=lambda: self._vocabulary.ordered(PREFIX_WAIT_S),
                               prefix_limit=self.settings.max_prefix_expansions,
                               shared=self._cache.for_state(key), labels=self._labels)
            return
        raise IndexUnavailable("no SphinxQL node answers: " + "; ".join(errors))

    def vocabulary(self, wait: float = 0.0) -> frozenset[str] | None:
        """Return the spelling words of the slot readers last saw (sphinxql/vocabulary.py)."""
        return self._vocabulary.words(wait)

    def batch(self, *, rebuild: bool = False) -> SphinxBatch:
        """Start a batch: incremental into the live slot, or a rebuild into the idle one."""
        return SphinxBatch(self, rebuild=rebuild)

    def _manifest_path(self, slot: str) -> Path:
        return Path(self.settings.index_dir) / "sphinxql" / f"manifest-{slot}.json"

    def save_manifest(self, slot: str, manifest: Manifest) -> None:
        """Write a slot's manifest atomically (after its rows landed)."""
        path = self._manifest_path(slot)
        path.parent.mkdir(parents=True, exist_ok=True)
        manifest_file.write(path, manifest)

    def manifest(self) -> Manifest:
        """Return the manifest of the live slot (empty when none was kept on this machine)."""
        state = self.live_state()
        if state is None:
            return Manifest()
        return manifest_file.read(self._manifest_path(state["slot"]))

    def recover(self) -> list[str]:
        """Nothing to remove: an interrupted rebuild's idle slot is emptied by the next one."""
        return []

    def nodes(self, *, quick: bool = False) -> list[NodeState]:
        """Return each node's health: whether it answers, and the shards it holds.

        quick: a node that failed moments ago (connection.SUSPECT_S) is reported down unasked.
        """
        out = []
        for node in self.topology.nodes:
            known = self.control.suspect(node.name) or self.pool.suspect(node.name) if quick else None
            why = known or self.control.ping(node.name)
            out.append(NodeState(node.name, node.sql, why is None,
                                 tuple(self.topology.shard_name(i)
                                       for i in self.topology.held_by(node.name)), why))
        return out

    def state(self, *, quick: bool = False) -> State:
        """Return the cluster's state: each node, and the shards no copy answers for.

        A shard with no copy up makes every search partial (said on each page), not the index
        unusable: only when no shard answers is it damage (searches then fail with a 503).
        """
        nodes = tuple(self.nodes(quick=quick))
        up = {n.name for n in nodes if n.ok}
        counters = {f"node {n.name} up": int(n.ok) for n in nodes}
        dead = [i for i, names in enumerate(self.topology.shards) if not up & set(names)]
        missing = tuple(MissingShard(self.topology.shard_name(i), "down",
                                     "no copy of it answers") for i in dead)
        try:
            live = self.live_state()
        except IndexUnavailable as exc:
            return State(exists=False, damage=str(exc), counters=counters, nodes=nodes,
                         missing=missing)
        if live is None:
            return State(exists=False, counters=counters, nodes=nodes, missing=missing,
                         damage="no index is published on the SphinxQL cluster: run "
                                "`searchapp reindex`")
        damage = None
        if len(dead) == len(self.topology.shards):
            damage = f"no copy answers for {', '.join(m.name for m in missing)}"
        count = 0
        if not quick and damage is None:
            try:
                with self.reader() as r:
                    count = r.doc_count()
            except Exception as exc:  # noqa: BLE001 - state never raises
                damage = str(exc)
        return State(exists=True, generation=live.get("generation"),
                     schema_version=int(live.get("schema_version", 0)), damage=damage,
                     doc_count=count, last_commit=live.get("last_commit"), counters=counters,
                     nodes=nodes, missing=missing,
                     # Every commit stamps commit_ns: the HTTP validators follow each one.
                     version=f"{live.get('generation')}.{live.get('commit_ns', 0)}")

    def close(self) -> None:
        """Stop the vocabulary read and close pooled connections (safe twice)."""
        self._vocabulary.close()
        self.pool.close()
        self.control.close()
        self.writes.close()
