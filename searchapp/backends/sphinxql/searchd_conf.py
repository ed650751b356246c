"""Write the searchd configuration of one node of a Sphinx 2.2 cluster.

Sphinx 2.2 has no CREATE TABLE: every table a node serves is declared in its config file. Each
node declares, for every shard it holds, two RT tables (slots "a" and "b": a full rebuild fills
the idle slot and then switches, see writer.py), one distributed table per slot that fans out
to every shard with its mirrors, and a one-row state table naming the live slot.
Manticore in RT mode takes the same definitions as CREATE TABLE statements (README).
"""
from __future__ import annotations

import re
from pathlib import Path

from searchapp.backends.sphinxql import schema
from searchapp.backends.sphinxql.topology import Node, Topology
from searchapp.text import STOPWORDS

# Every letter the product's analyser treats as a word character in its two scripts, lowercased
# but not folded to ASCII (the Whoosh backend keeps accents too, so both stem the same words);
# ё folds to е (SCALEOUT.md trap 8: the default table turns école into "cole" and keeps ё).
CHARSET_TABLE = ", ".join([
    "0..9", "A..Z->a..z", "_", "a..z",
    "U+C0..U+D6->U+E0..U+F6", "U+D8..U+DE->U+F8..U+FE", "U+DF", "U+E0..U+F6", "U+F8..U+FF",
    "U+100..U+12F/2", "U+130->i", "U+131", "U+132..U+137/2", "U+139..U+148/2",
    "U+14A..U+177/2", "U+178->U+FF", "U+179..U+17E/2", "U+17F",
    "U+401->U+435", "U+451->U+435",
    "U+400->U+450", "U+402..U+40F->U+452..U+45F", "U+410..U+42F->U+430..U+44F",
    "U+430..U+44F", "U+450", "U+452..U+45F",
    "U+460..U+481/2", "U+48A..U+4BF/2", "U+4C0->U+4CF", "U+4C1..U+4CE/2", "U+4CF",
    "U+4D0..U+4FF/2",
])
# Snowball stemmers through libstemmer, as the Whoosh backend's PyStemmer (SCALEOUT.md trap 11).
MORPHOLOGY = "libstemmer_english, libstemmer_russian"
# What searchd keeps as one word (CHARSET_TABLE), lowercased: as compile._KEPT.
_ONE_WORD = re.compile(r"[0-9a-z_\u00c0-\u017f\u0400-\u04ff]+")
PERSISTENT_CONNECTIONS = 32     # as many as one web process's pooled connections (POOL_SIZE)


def rt_table(name: str, path: Path, stopwords: Path, *, morphology: str = MORPHOLOGY,
             min_prefix_len: int = 3) -> str:
    """Return the declaration of one shard's RT table."""
    lines = [f"index {name}", "{", "\ttype = rt", f"\tpath = {path}"]
    lines += [f"\trt_field = {f}" for f in schema.FIELDS]
    for kind, names in schema.ATTRIBUTES.items():
        lines += [f"\trt_attr_{kind} = {a}" for a in names]
    lines += [
        f"\tcharset_table = {CHARSET_TABLE}",
        f"\tmorphology = {morphology}",
        f"\tstopwords = {stopwords}",
        "\tstopwords_unstemmed = 1",
        "\tdict = keywords",
        f"\tmin_prefix_len = {min_prefix_len}",
        "\tindex_exact_words = 1",
        "\trt_mem_limit = 256M",
        "}", "",
    ]
    return "\n".join(lines)


def distributed(name: str, topo: Topology, slot: str, *, connect_ms: int, query_ms: int) -> str:
    """Return a distributed table over every shard of one slot, mirrors joined by '|'."""
    lines = [f"index {name}", "{", "\ttype = distributed"]
    for shard, names in enumerate(topo.shards):
        table = schema.shard_table(shard, slot)
        # Persistent: a new connection per shard per query (a thread and a handshake in the
        # agent) was most of a small query's time through the distributed table (14 -> 7 ms).
        lines.append("\tagent_persistent = " + "|".join(f"{topo.node(n).api}:{table}" for n in names))
    lines += [
        f"\tagent_connect_timeout = {connect_ms}",
        f"\tagent_query_timeout = {query_ms}",
        # A copy with more than 3 errors in a row (queries or searchd's pings) is skipped until
        # it answers again (reader.MIRROR_ASKS counts on that). Not noerrors: it compares each
        # copy's error ratio over the last 30-90 s, and a live mirror whose first ping failed
        # while it started (1 error in 2 queries) tied with, or beat, a dead primary (10 in 20),
        # so searchd kept sending queries to the dead copy: partial answers after the takeover.
        "\tha_strategy = nodeads",
        "}", "",
    ]
    return "\n".join(lines)


def state_table(path: Path) -> str:
    """Return the declaration of the table naming the live slot (an RT table needs a field)."""
    return "\n".join([f"index {schema.STATE_TABLE}", "{", "\ttype = rt", f"\tpath = {path}",
                      "\trt_field = note", "\trt_attr_string = value", "}", ""])


def node_config(topo: Topology, node: Node, folder: Path, *, morphology: str = MORPHOLOGY,
                min_prefix_len: int = 3, connect_ms: int = 1000, query_ms: int = 5000,
                expansion_limit: int = 512) -> str:
    """Return the whole config file of one node; its data, logs and binlog live in `folder`."""
    data = folder / "data"
    stop = folder / "stopwords.txt"
    parts = []
    for shard in topo.held_by(node.name):
        for slot in schema.SLOTS:
            table = schema.shard_table(shard, slot)
            parts.append(rt_table(table, data / table, stop, morphology=morphology,
                                  min_prefix_len=min_prefix_len))
    for slot in schema.SLOTS:
        parts.append(distributed(schema.dist_table(slot), topo, slot,
                                 connect_ms=connect_ms, query_ms=query_ms))
    parts.append(state_table(data / schema.STATE_TABLE))
    parts.append("\n".join([
        "searchd", "{",
        f"\tlisten = {node.host}:{node.sql_port}:mysql41",
        f"\tlisten = {node.host}:{node.api_port}",
        f"\tlog = {folder / 'searchd.log'}",
        f"\tquery_log = {folder / 'query.log'}",
        f"\tpid_file = {folder / 'searchd.pid'}",
        f"\tbinlog_path = {folder / 'binlog'}",
        "\tworkers = threads",
        # Connections each node keeps open to each agent (agent_persistent); searchd needs it set.
        f"\tpersistent_connections_limit = {PERSISTENT_CONNECTIONS}",
        # One process per node, so a test can kill the node by the PID it wrote (trap 10).
        "\twatchdog = 0",
        "\tread_timeout = 5",
        "\tclient_timeout = 300",
        "\tmax_packet_size = 32M",
        f"\texpansion_limit = {expansion_limit}",
        "\tseamless_rotate = 1",
        "}", "",
    ]))
    return "\n".join(parts)


def searchd_stopwords() -> list[str]:
    """Return the product's stop words that searchd reads as one word each.

    searchd splits each line of its stop list as it splits text: "don't", "it's", "we'll" would
    make "don", "t", "s", "ll" stop words, so "u.s" (u + s) or "Nam's" (nam + s) lost a word, and
    a phrase holding it matched nothing once a table was a disk chunk (RAM segments let it
    pass). Contractions need no entry: the product drops them from queries itself.
    """
    return sorted(w for w in STOPWORDS if _ONE_WORD.fullmatch(w))


def write_node(topo: Topology, node: Node, folder: Path, **options: object) -> Path:
    """Write a node's config, stop list and empty folders; return the config file."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "data").mkdir(exist_ok=True)
    (folder / "binlog").mkdir(exist_ok=True)
    (folder / "stopwords.txt").write_text("\n".join(searchd_stopwords()) + "\n", encoding="utf-8")
    conf = folder / "searchd.conf"
    conf.write_text(node_config(topo, node, folder, **options), encoding="utf-8")  # type: ignore[arg-type]
    return conf


def main(argv: list[str] | None = None) -> int:
    """Write one node's searchd config from a cluster description (README: SphinxQL set-up)."""
    import argparse

    from searchapp.backends.sphinxql import topology as tp

    ap = argparse.ArgumentParser(prog="python -m searchapp.backends.sphinxql.searchd_conf",
                                 description=main.__doc__)
    ap.add_argument("topology", type=Path, help="the cluster's TOML file (sphinxql_topology)")
    ap.add_argument("node", help="the node to write, by its name in the TOML file")
    ap.add_argument("folder", type=Path, help="where the node keeps its data, binlog and logs")
    args = ap.parse_args(argv)
    topo = tp.load(args.topology)
    conf = write_node(topo, topo.node(args.node), args.folder.resolve())
    print(f"wrote {conf}; start the node with: searchd --config {conf}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
