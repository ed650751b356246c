"""The sphinxql backend's pure parts: query trees to MATCH() text, filters to WHERE, topology, warnings."""
from __future__ import annotations

import datetime as dt

import pytest

from searchapp.backend import Filters
from searchapp.backends.sphinxql import schema, topology
from searchapp.backends.sphinxql.compile import NOTHING, MatchCompiler, where
from searchapp.backends.sphinxql.connection import missing_shards
from searchapp.config import Settings
from searchapp.search.query import parse

SYNTAX = set("()|-@\"*=!~^$/<&\\'")


def match(text: str) -> str | None:
    return MatchCompiler().compile(parse(text, Settings()).node)


def test_words_phrases_and_booleans_compile_to_engine_syntax():
    assert match("Meetings") == "(@(title,body) meetings)"
    assert match('"Central Bank"') == '(@(title,body) "central bank")'
    assert match("oil OR gas") == "((@(title,body) oil) | (@(title,body) gas))"
    assert match("bank -central") == "((@(title,body) bank) -(@(title,body) central))"
    assert match("NOT bank") == f"({schema.EVERY_ROW} -(@(title,body) bank))"
    assert match("title:summit") == "(@title summit)"
    assert match("econom*") == "(@(title,body) econom*)"


def test_stop_words_drop_out_and_unsearchable_words_match_nothing():
    assert match("the of and") is None
    assert match("the bank") == "(@(title,body) bank)"
    assert match("ἀλήθεια") == NOTHING         # Greek: searchd's charset table has no Greek


def test_keyword_fields_and_places_become_tag_tokens():
    assert match("country:Belarus") == f"(@tags {schema.tag('country', 'Belarus')})"
    assert schema.tag("country", "BELARUS") == schema.tag("country", "belarus")
    got = match("Минск")
    assert schema.tag("city", "Minsk") in got and "@(title,body) минск" in got


@pytest.mark.parametrize("text", ['a") | @body "x', "foo' OR 1=1 --", "back\\slash ~x ^y $z",
                                  "(((a))) @@ =x !y <z> /2", 'title:"x) | (y"'])
def test_hostile_query_text_never_becomes_engine_syntax(text):
    """Only word characters reach MATCH(): the syntax around them is ours."""
    got = match(text) or ""
    for token in got.replace("(", " ").replace(")", " ").split():
        token = token.strip('"')
        if token in ("|", "-", "") or token.startswith("@") or token == schema.EVERY_ROW:
            continue
        assert not SYNTAX & set(token.rstrip("*").lstrip("-")), (text, got)


def test_any_mode_makes_alternatives_and_counts_repeats():
    got = MatchCompiler().alternatives(parse("oil oil gas Минск", Settings()).node)
    assert got == ("((@(title,body) oil^2) | (@(title,body) gas) | "
                   "(@(title,body) минск))")       # no place tokens in this mode


def test_filters_become_where_terms_and_a_facet_drops_its_own():
    f = Filters(sources=("kazinform",), year=2017, month=7, date_from=dt.date(2017, 1, 1),
                undated=False)
    terms = where(f)
    assert f"source_h IN ({schema.value_hash('kazinform')})" in terms
    assert "pmonth = 201707" in terms and "pstart >= 20170101" in terms and "dated = 1" in terms
    assert not any("pmonth" in t for t in where(f, skip=("year", "month", "day")))
    assert not any("source_h" in t for t in where(f, skip=("sources",)))
    assert where(Filters(undated=True)) == ["dated = 0"]


def test_topology_checks_its_description(tmp_path):
    good = {"node": [{"name": "a", "sql_port": 1, "api_port": 2}], "shard": [{"nodes": ["a"]}]}
    assert topology.parse(good).held_by("a") == [0]
    for bad in ({"node": [], "shard": []},
                {**good, "shard": [{"nodes": ["zz"]}]},
                {"node": [{"name": "a"}], "shard": [{"nodes": ["a"]}]}):
        with pytest.raises(topology.TopologyError):
            topology.parse(bad)
    path = tmp_path / "c.toml"
    path.write_text(topology.parse(good).to_toml())
    assert topology.load(path) == topology.parse(good)


def test_agent_warnings_name_the_shards_they_cost():
    topo = topology.parse({
        "node": [{"name": n, "sql_port": p, "api_port": p + 1} for n, p in (("a", 10), ("b", 20), ("c", 30))],
        "shard": [{"nodes": ["a"]}, {"nodes": ["b", "c"]}]})
    got = missing_shards(topo, ["index sa_all_a: agent 127.0.0.1:21: connect() failed"])
    assert list(got) == [1]
    assert sorted(missing_shards(topo, ["something else went wrong"])) == [0, 1]


def test_rows_spread_over_shards_and_keep_periods():
    from tests.sphinx_support import article
    shards = [schema.shard_of(f"src/f{i}.txt#0", 2) for i in range(1000)]
    assert 400 < sum(shards) < 600
    row = schema.row(article(1, "t", "b", published=dt.date(2017, 7, 17)), seq=5)
    assert (row["pkey"], row["pyear"], row["pmonth"], row["pday"]) == (20170717, 2017, 201707, 20170717)
    row = schema.row(article(2, "t", "b", published=dt.date(2017, 7, 1), precision="month"), seq=6)
    assert (row["pkey"], row["pday"], row["pstart"], row["pend"]) == (20170700, 0, 20170701, 20170731)
    row = schema.row(article(3, "t", "b", published=dt.date(2017, 1, 1), precision="year"), seq=7)
    assert row["pkey"] == 20170000
    assert schema.row(article(4, "t", "b", published=None), seq=8)["pkey"] == 0


def test_period_numbers_stand_for_their_keys():
    for key in ("2017", "2017-07", "2017-07-17", "1999-12-31", "unknown"):
        assert schema.period_key_of(schema.period_number(key)) == key
    # Distinct keys never share a number (a year, its January and its 1 January differ).
    assert len({schema.period_number(k) for k in ("2017", "2017-01", "2017-01-01")}) == 3
