"""Check the IR metrics against hand-computed cases, and the collection parsers against their traps."""
from __future__ import annotations

import gzip
from math import log2

import pytest

from bench import ir_collections as irc
from bench.ir_metrics import average_precision, evaluate, ndcg_at, precision_at, reciprocal_rank

BINARY = {"a": 1, "c": 1, "f": 1}  # f is never retrieved


@pytest.mark.parametrize("ranking, gains, expected", [
    (["a", "b", "c", "d", "e"], BINARY, (1 / 1 + 2 / 3) / 3),
    (["b", "a"], {"a": 1}, 1 / 2),
    (["a", "c", "f"], BINARY, 1.0),
    ([], BINARY, 0.0),
    (["a", "a", "c"], {"a": 1, "c": 1}, 1.0),  # a duplicate must not count twice
    (["x"], {}, 0.0),
    (["b", "a"], {"a": 1, "b": 0}, 1 / 2),  # gain 0 is judged non-relevant
])
def test_average_precision(ranking, gains, expected):
    assert average_precision(ranking, gains) == pytest.approx(expected)


@pytest.mark.parametrize("ranking, gains, k, expected", [
    (["a", "b", "c", "d", "e"], BINARY, 5, (1 + 1 / log2(4)) / (1 + 1 / log2(3) + 1 / log2(4))),
    (["x", "y"], {"y": 3, "x": 1}, 10, (1 + 3 / log2(3)) / (3 + 1 / log2(3))),
    (["y", "x"], {"y": 3, "x": 1}, 10, 1.0),
    (["b", "a"], {"a": 1}, 1, 0.0),  # the relevant document sits below the cut-off
    (["b"], {}, 10, 0.0),
])
def test_ndcg(ranking, gains, k, expected):
    assert ndcg_at(ranking, gains, k) == pytest.approx(expected)


@pytest.mark.parametrize("ranking, k, expected", [
    (["a", "b", "c", "d", "e"], 5, 2 / 5),
    (["a", "b", "c", "d", "e"], 10, 2 / 10),  # a short list counts its missing ranks as misses
    (["a"], 1, 1.0),
])
def test_precision(ranking, k, expected):
    assert precision_at(ranking, BINARY, k) == pytest.approx(expected)


def test_reciprocal_rank():
    assert reciprocal_rank(["b", "c", "a"], {"a": 1}) == pytest.approx(1 / 3)
    assert reciprocal_rank(["b"], {"a": 1}) == 0.0


def test_evaluate_skips_unjudged_and_zeroes_missing_runs():
    qrels = {"1": {"a": 1}, "2": {"b": 2}, "3": {"c": 0}}
    run = {"1": ["a"], "3": ["c"]}  # query 2 retrieved nothing; query 3 has no relevant doc
    scores = evaluate(run, qrels, k=10)
    assert scores["queries"] == 2
    assert scores["map"] == pytest.approx(0.5)
    assert scores["p@10"] == pytest.approx(0.05)


def test_parse_smart_joins_an_id_split_over_two_lines_and_crlf():
    text = ".I 28\n56\n.T\nDecision Tables\n.W\nfirst\nsecond\n.I 2857\n.T\nNext\n".replace("\n", "\r\n")
    records = list(irc.parse_smart(irc._fold_newlines(text)))
    assert [r[0] for r in records] == ["2856", "2857"]
    assert records[0][1] == {"T": "Decision Tables", "W": "first second"}


def test_read_text_gunzips_and_folds_crlf(tmp_path):
    path = tmp_path / "x.gz"
    path.write_bytes(gzip.compress(b".I 1\r\n.W\r\nhello\r\n"))
    assert irc.read_text(path) == ".I 1\n.W\nhello\n"


needs_data = pytest.mark.skipif(not irc.CORPORA.is_dir(), reason="shared corpora not beside the repo")


@needs_data
@pytest.mark.parametrize("name, docs, judged", [
    ("time", 423, 79), ("cisi", 1460, 76), ("cranfield", 1400, 225), ("cacm", 3204, 52),
    ("med", 1033, 30), ("npl", 11429, 93),
])
def test_collections_load_with_every_judged_document_present(name, docs, judged):
    c = irc.load(name)
    assert len(c.docs) == docs
    assert len(c.judged_queries()) == judged
    assert all(d in c.docs for rel in c.qrels.values() for d in rel)


@needs_data
def test_cranfield_query_ids_are_block_positions_and_gains_graded():
    c = irc.load("cranfield")
    assert set(c.queries) == {str(n) for n in range(1, 226)}  # .I runs 001..365 with gaps
    assert c.qrels["1"]["184"] == 3  # code 2 -> gain 3
    assert all(1 <= g <= 4 for rel in c.qrels.values() for g in rel.values())


@needs_data
def test_time_positions_after_the_gap_shift_by_two():
    c = irc.load("time")
    assert max(int(d) for rel in c.qrels.values() for d in rel) <= len(c.docs)
    assert "NASSAU" in c.docs["1"][1]
