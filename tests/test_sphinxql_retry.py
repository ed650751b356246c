"""A statement that a dead copy cost a shard is asked again only where a mirror could answer.

Right after a node dies, searchd still picks it now and then for a shard that has a live mirror
(until it counts it dead: more than 3 errors in a row, ha_strategy = nodeads): the statement
comes back without the shard, or fails whole when no agent answered at all (a 503 for searches
and /healthz alike, seen in CI). The pool here is a stand-in that answers the way searchd does
(a warning in SHOW META, or searchd's pymysql error turned into ShardsDown by
connection.Pool.run), so each case is exact; the real cluster's behaviour around it is in
test_sphinxql_partial.py and test_sphinxql_failures.py.
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


# A statement that came back without shard 1: searchd chose the dead copy n1 (api port 9313).
DOWN = "index sa_all_a: agent 127.0.0.1:9313: connect() failed: errno=111, Connection refused"
LATE = "index sa_all_a: agent 127.0.0.1:9313: query timed out"


class Scripted:
    """Answers each statement with a count of 7; `lost(call, statement)` gives its warning, if any."""

    def __init__(self, lost):
        self.lost = lost
        self.sent: list[list[str]] = []

    def run(self, node: str, statements):
        self.sent.append(list(statements))
        call = len(self.sent)
        out = []
        for s in statements:
            warning = self.lost(call, s)
            out.append(Result([(1,)], {"total_found": "7", **({"warning": warning} if warning else {})}))
        return out


def test_a_statement_without_a_mirrored_shard_is_asked_again_until_the_mirror_answers():
    # searchd chose the dead copy for the same statement twice in a row (a coin flip per
    # statement until it counts the copy dead): asked once more was not enough.
    pool = Scripted(lambda call, s: DOWN if s == "two" and call <= 2 else None)
    r = reader(pool, MIRRORED)
    results = r._run(["one", "two", "three"])
    assert [res.meta.get("warning") for res in results] == [None, None, None]
    assert r.missing == {}
    # Only the statement that lost the shard is sent again.
    assert pool.sent == [["one", "two", "three"], ["two"], ["two"]]


def test_asking_again_stops_after_the_asks_searchd_needs_to_count_a_copy_dead():
    from searchapp.backends.sphinxql.reader import MIRROR_ASKS
    pool = Scripted(lambda call, s: DOWN)
    r = reader(pool, MIRRORED)
    assert r._run(["one"])[0].meta["warning"] == DOWN
    assert len(pool.sent) == 1 + MIRROR_ASKS
    assert r.missing == {"shard 1 (n1, n2)": DOWN}


def test_a_late_shard_or_a_spent_budget_is_not_asked_again():
    late = Scripted(lambda call, s: LATE)
    assert reader(late, MIRRORED)._run(["one"])[0].meta["warning"] == LATE
    assert len(late.sent) == 1
    down = Scripted(lambda call, s: DOWN)
    r = reader(down, MIRRORED)
    r.deadline = 0.0        # the search's budget is spent
    r._run(["one"])
    assert len(down.sent) == 1


def test_a_shard_without_a_mirror_is_not_asked_again():
    pool = Scripted(lambda call, s: DOWN)
    single = Topology(NODES[:2], (("n0",), ("n1",)))
    reader(pool, single)._run(["one"])
    assert len(pool.sent) == 1


def test_no_agent_answering_an_ask_again_keeps_what_the_first_ask_brought():
    class ThenNothing(Scripted):
        def run(self, node, statements):
            if self.sent:
                self.sent.append(list(statements))
                raise ShardsDown(REFUSED)
            return super().run(node, statements)

    pool = ThenNothing(lambda call, s: DOWN)
    r = reader(pool, MIRRORED)
    assert r._run(["one"])[0].meta["warning"] == DOWN
    assert r.missing == {"shard 1 (n1, n2)": DOWN}
