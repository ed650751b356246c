"""Talk SphinxQL to the nodes of a cluster: pooled connections, statement batches, partial results.

pymysql speaks the MySQL protocol searchd serves (`listen = ...:mysql41`): autocommit, utf8mb4,
and MULTI_STATEMENTS so a query, its facet queries and their SHOW META go in one round trip.
Sphinx 2.2 answers a query with a dead or slow agent successfully, with fewer matches and a
warning only in SHOW META (SCALEOUT.md trap 1): every query here is followed by SHOW META, and a
warning naming an agent becomes the names of the shards that are missing.
"""
from __future__ import annotations

import queue
import re
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

import pymysql
from pymysql.constants import CLIENT

from searchapp.backends.sphinxql.topology import Node, Topology
from searchapp.errors import SearchAppError

# Idle connections kept per node: as many as the clients one process serves at once (bench:
# 32), so a busy server does not connect and close a socket per page.
POOL_SIZE = 32
# A node that failed is tried last (as a coordinator) and not pinged by a quick health check for
# this long: a frozen node costs each request a connect timeout, not one per statement it sends.
SUSPECT_S = 10.0
T = TypeVar("T")
_AGENT_RE = re.compile(r"agent ([^\s:]+:\d+)")


class NodeDown(SearchAppError, ConnectionError):
    """A node does not answer (or broke off); the message names it and says what to do.

    A ConnectionError too, so `searchapp reindex` reports it in one line like any I/O failure.
    """

    status = 503


class ShardsDown(NodeDown):
    """The coordinating node answered, but no shard behind it did."""


@dataclass
class Result:
    """One SELECT's rows and what its SHOW META said."""

    rows: list[tuple]
    meta: dict[str, str] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return int(self.meta.get("total_found", len(self.rows)))


class Pool:
    """Connections to every node of a topology, a few per node, shared by threads."""

    def __init__(self, topology: Topology, *, connect_timeout: float = 2.0,
                 read_timeout: float = 30.0):
        self.topology = topology
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout
        self._idle: dict[str, queue.LifoQueue] = {n.name: queue.LifoQueue() for n in topology.nodes}
        self._lock = threading.Lock()
        self._failed: dict[str, tuple[float, str]] = {}   # node -> (when, why) of its last failure
        self._sender: ThreadPoolExecutor | None = None

    @property
    def sender(self) -> ThreadPoolExecutor:
        """Threads that send round trips side by side with the caller's (reader._run_together)."""
        with self._lock:
            if self._sender is None:
                self._sender = ThreadPoolExecutor(POOL_SIZE, thread_name_prefix="sphinxql-send")
            return self._sender

    def suspect(self, name: str) -> str | None:
        """Return why a node failed within the last SUSPECT_S seconds, else None."""
        last = self._failed.get(name)
        return last[1] if last and time.monotonic() - last[0] < SUSPECT_S else None

    def _connect(self, node: Node) -> pymysql.connections.Connection:
        try:
            return pymysql.connect(host=node.host, port=node.sql_port, autocommit=True,
                                   charset="utf8mb4", client_flag=CLIENT.MULTI_STATEMENTS,
                                   connect_timeout=self.connect_timeout,
                                   read_timeout=self.read_timeout, write_timeout=self.read_timeout)
        except pymysql.err.OperationalError as exc:
            raise NodeDown(f"node {node.name} ({node.sql}) does not answer: {exc.args[-1]}") from None

    @contextmanager
    def connection(self, name: str, *, fresh: bool = False) -> Iterator[pymysql.connections.Connection]:
        """Lend a connection to one node; one that failed is closed, not returned."""
        node = self.topology.node(name)
        idle = self._idle[name]
        conn = None
        if not fresh:
            try:
                conn = idle.get_nowait()
            except queue.Empty:
                pass
        if conn is None:
            conn = self._connect(node)
        ok = False
        try:
            yield conn
            ok = True
        except ShardsDown:
            raise          # the node answered: its agents did not (a ConnectionError all the same)
        except (pymysql.err.OperationalError, pymysql.err.InterfaceError, OSError) as exc:
            raise NodeDown(f"node {node.name} ({node.sql}) broke off: {exc}") from None
        finally:
            if ok and idle.qsize() < POOL_SIZE:
                idle.put(conn)
            else:
                try:
                    conn.close()
                except Exception:  # noqa: BLE001 - closing a dead socket may fail
                    pass

    def call(self, name: str, work: Callable[[Any], T]) -> T:
        """Run work(cursor) on one node; a pooled connection the node dropped (it restarted)
        is replaced by a fresh one once before the node counts as down (and a suspect)."""
        try:
            out = self._call(name, work)
        except ShardsDown:
            raise
        except NodeDown as exc:
            self._failed[name] = (time.monotonic(), str(exc))
            raise
        self._failed.pop(name, None)
        return out

    def _call(self, name: str, work: Callable[[Any], T]) -> T:
        pooled = not self._idle[name].empty()
        started = time.monotonic()
        try:
            with self.connection(name) as conn, conn.cursor() as cur:
                return work(cur)
        except ShardsDown:
            raise
        except NodeDown:
            # Retry only a pooled connection that failed at once (a restarted node dropped
            # it); one that timed out met a hung node, and a second wait would double it.
            if not pooled or time.monotonic() - started >= self.connect_timeout:
                raise
        with self.connection(name, fresh=True) as conn, conn.cursor() as cur:
            return work(cur)

    def run(self, name: str, statements: Sequence[str]) -> list[Result]:
        """Send SELECTs to one node in one round trip, each followed by SHOW META.

        When no agent of a distributed table answers, searchd fails the query rather than
        warn: that is every shard missing, reported as NodeDown (503), not an engine error.
        """
        sql = "; ".join(f"{s}; SHOW META" for s in statements)

        def work(cur: Any) -> list[Result]:
            out: list[Result] = []
            try:
                cur.execute(sql)
            except (pymysql.err.ProgrammingError, pymysql.err.InternalError) as exc:
                text = str(exc.args[-1]).rstrip("\x00")
                if "agent " not in text:
                    raise
                raise ShardsDown(f"no shard answered through node {name}: "
                               f"{' '.join(text.split())}") from None
            for _ in statements:
                rows = list(cur.fetchall())
                cur.nextset()
                meta = {str(k): str(v) for k, v in cur.fetchall()}
                cur.nextset()
                out.append(Result(rows, meta))
            return out
        return self.call(name, work)

    def execute(self, name: str, sql: str) -> int:
        """Run one writing statement on one node; return the rows it touched."""
        return self.call(name, lambda cur: cur.execute(sql))

    def query(self, name: str, sql: str) -> list[tuple]:
        """Run one statement on one node and return its rows."""
        def work(cur: Any) -> list[tuple]:
            cur.execute(sql)
            return list(cur.fetchall())
        return self.call(name, work)

    def ping(self, name: str) -> str | None:
        """Return None when the node answers SphinxQL, else why not."""
        try:
            self.query(name, "SHOW STATUS LIKE 'uptime'")
        except NodeDown as exc:
            return str(exc)
        return None

    def close(self) -> None:
        """Close every idle connection (and stop the sender threads)."""
        with self._lock:
            sender, self._sender = self._sender, None
        if sender is not None:
            sender.shutdown(wait=False, cancel_futures=True)
        for idle in self._idle.values():
            while True:
                try:
                    idle.get_nowait().close()
                except queue.Empty:
                    break
                except Exception:  # noqa: BLE001 - closing a dead socket may fail
                    pass


def missing_shards(topology: Topology, warnings: Sequence[str]) -> dict[int, str]:
    """Return shard -> the warning that says it did not answer, from SHOW META warnings."""
    by_api = {n.api: n.name for n in topology.nodes}
    out: dict[int, str] = {}
    for text in warnings:
        named = [by_api[a] for a in _AGENT_RE.findall(text) if a in by_api]
        if not named:
            # A warning about no known agent: say so on every shard rather than drop it.
            out.update({i: text for i in range(len(topology.shards)) if i not in out})
            continue
        for name in named:
            for shard in topology.held_by(name):
                out.setdefault(shard, text)
    return out
