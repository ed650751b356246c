"""Describe a SphinxQL cluster: its nodes, which node holds which shard, and the mirrors.

One shard is a set of articles (chosen by a hash of the article id); every node listed for a
shard holds a full copy of it, the first being its primary. A one-node setup is one shard on
one node. The same description is read from a small TOML file (`sphinxql_topology`) or built
by the test harness, so tests, benches and production read one format:

    [[node]]
    name = "a"
    host = "127.0.0.1"
    sql_port = 9306      # listen = ...:mysql41 (SphinxQL)
    api_port = 9312      # listen = ... (the agent protocol between nodes)

    [[shard]]
    nodes = ["a"]
    [[shard]]
    nodes = ["b", "c"]   # b is the primary, c its mirror
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from searchapp.errors import SearchAppError


class TopologyError(SearchAppError):
    """The cluster description is not usable; the message says what is wrong."""


@dataclass(frozen=True)
class Node:
    name: str
    host: str
    sql_port: int
    api_port: int

    @property
    def sql(self) -> str:
        return f"{self.host}:{self.sql_port}"

    @property
    def api(self) -> str:
        return f"{self.host}:{self.api_port}"


@dataclass(frozen=True)
class Topology:
    nodes: tuple[Node, ...]
    shards: tuple[tuple[str, ...], ...]     # per shard: node names, primary first

    def node(self, name: str) -> Node:
        """Return the node called `name`."""
        for n in self.nodes:
            if n.name == name:
                return n
        raise TopologyError(f"no node named {name!r}")

    def held_by(self, node: str) -> list[int]:
        """Return the shards a node holds a copy of."""
        return [i for i, names in enumerate(self.shards) if node in names]

    def shard_name(self, shard: int) -> str:
        """Return the name a shard is shown under (in partial-result notes and /healthz)."""
        return f"shard {shard} ({', '.join(self.shards[shard])})"

    def to_toml(self) -> str:
        """Return the TOML text that `load` reads back."""
        out = []
        for n in self.nodes:
            out += ["[[node]]", f'name = "{n.name}"', f'host = "{n.host}"',
                    f"sql_port = {n.sql_port}", f"api_port = {n.api_port}", ""]
        for names in self.shards:
            out += ["[[shard]]", "nodes = [" + ", ".join(f'"{x}"' for x in names) + "]", ""]
        return "\n".join(out)


def parse(data: dict) -> Topology:
    """Build and check a Topology from parsed TOML."""
    try:
        nodes = tuple(Node(str(n["name"]), str(n.get("host", "127.0.0.1")), int(n["sql_port"]),
                           int(n["api_port"])) for n in data.get("node", []))
        shards = tuple(tuple(str(x) for x in s["nodes"]) for s in data.get("shard", []))
    except (KeyError, TypeError, ValueError) as exc:
        raise TopologyError(f"cluster description: a node needs name, sql_port and api_port, "
                            f"a shard needs nodes ({exc!r})") from None
    if not nodes or not shards:
        raise TopologyError("cluster description: at least one [[node]] and one [[shard]]")
    names = {n.name for n in nodes}
    if len(names) != len(nodes):
        raise TopologyError("cluster description: node names must be unique")
    for i, s in enumerate(shards):
        if not s or any(x not in names for x in s) or len(set(s)) != len(s):
            raise TopologyError(f"cluster description: shard {i} must list known nodes, each once")
    return Topology(nodes, shards)


def load(path: Path) -> Topology:
    """Read a cluster description from a TOML file."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise TopologyError(f"cannot read the cluster description {path}: {exc}") from None
    return parse(data)
