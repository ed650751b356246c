"""A query that finds no agent answering is asked once more only where a mirror could answer.

Right after a node dies, searchd can pick a dead mirror for the one shard still up while the
other shard has no copy left; no agent answers and the query fails whole, although the live
mirror would have answered (a 503 for searches and /healthz alike, seen in CI). The pool here is
a stand-in that fails the first round trip the way searchd's pymysql error is turned into
ShardsDown (connection.Pool.run), so each case is exact; the real cluster's behaviour around it
is in test_sphinxql_failures.py and test_sphinxql_web.py.
"""
from __future__ import annotations

import pytest

from searchapp.backends.sphinxql.connection import Result, ShardsDown
from searchapp.backends.sphinxql.reader import SphinxReader
from searchapp.backends.sphinxql.topology import Node, Topology

NODES = tuple(Node(f"n{i}", "127.0.0.1", 9306 + i, 9312 + i) for i in range(3))
MIRRORED = Topology(NODES, (("n0",), ("n1", "n2")))
SINGLE = Topology(NODES[:2], (("n0",), ("n1",)))
REFUSED = ("no shard answered through node n1: agent 127.0.0.1:9312: connection refused; "
           "agent 127.0.0.1:9314: connection refused")


class FailsFirst:
    """Fails the first round trip with `error`, then answers a count of 7."""

    def __init__(self, error: str):
        self.error = error
        self.calls = 0

    def run(self, node: str, statements):
        self.calls += 1
        if self.calls == 1:
            raise ShardsDown(self.error)
        return [Result([(1,)], {"total_found": "7"}) for _ in statements]


def reader(pool, topology) -> SphinxReader:
    return SphinxReader(pool, topology, "n1", "a")


def test_no_agent_answering_is_asked_again_when_a_shard_has_a_mirror():
    pool = FailsFirst(REFUSED)
    assert reader(pool, MIRRORED).doc_count() == 7
    assert pool.calls == 2


def test_without_mirrors_the_failure_is_final_and_asked_once():
    pool = FailsFirst(REFUSED)
    with pytest.raises(ShardsDown, match="connection refused"):
        reader(pool, SINGLE).doc_count()
    assert pool.calls == 1


def test_agents_that_timed_out_are_not_asked_again():
    pool = FailsFirst("no shard answered through node n1: agent 127.0.0.1:9312: query timed out")
    with pytest.raises(ShardsDown, match="timed out"):
        reader(pool, MIRRORED).doc_count()
    assert pool.calls == 1
