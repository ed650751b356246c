"""The sphinxql backend on a real three-node Sphinx cluster: what a user relies on.

Each test reads through the seam (Reader.search with a parsed query tree) what it wrote through a
Batch, on a cluster of real searchd processes (tests/sphinx_support.py).
"""
from __future__ import annotations

import datetime as dt

import pytest

from searchapp.backend import Filters, Query
from searchapp.backends.sphinxql import schema
from searchapp.config import Settings
from searchapp.search.query import parse
from tests.sphinx_support import article, backend_for, needs_searchd, start_cluster

pytestmark = needs_searchd

ARTICLES = [
    article(1, "Presidents meet in Minsk", "The meetings on collective security went on all day.",
            countries=("Belarus",), cities=("Minsk",), published=dt.date(2017, 7, 17)),
    article(2, "Выборы в парламент", "Выборы прошли спокойно. Ёлка стояла у парламента.",
            language="ru", countries=("Russia",), cities=("Moscow",), published=dt.date(2018, 3, 1)),
    article(3, "École reopens", "The école opened while securities markets fell.",
            source="tengri", published=None),
    article(4, "CSTO summit in Astana", "Collective security treaty organization summit opens.",
            countries=("Kazakhstan", "Russia"), cities=("Astana",), published=dt.date(2017, 1, 1),
            precision="month"),
    article(5, "Oil prices", "Oil and gas prices rose; OPEC met in Vienna.",
            source="tengri", countries=("Austria",), cities=("Vienna",), published=dt.date(2016, 5, 2)),
]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    c = start_cluster(tmp_path_factory.mktemp("cluster"))
    yield c
    c.stop()


@pytest.fixture(scope="module")
def backend(cluster, tmp_path_factory):
    b = backend_for(cluster, tmp_path_factory.mktemp("index"))
    with b.batch(rebuild=True) as batch:
        for a in ARTICLES:
            batch.add(a)
        batch.commit()
    yield b
    b.close()


def ids(backend, text: str, **kw) -> list[str]:
    q = Query(node=parse(text, Settings()).node if text else None, limit=50, **kw)
    with backend.reader() as r:
        m = r.search(q)
    assert not m.missing, m.missing
    return sorted(h.id.split("/")[1].split(".")[0] for h in m.hits)


def test_rows_go_to_both_shards_and_every_copy_of_a_shard(cluster, backend):
    import pymysql
    counts = {}
    for node in cluster.topology.nodes:
        conn = pymysql.connect(host=node.host, port=node.sql_port, autocommit=True)
        with conn.cursor() as cur:
            for shard in cluster.topology.held_by(node.name):
                cur.execute(f"SELECT id FROM {schema.shard_table(shard, 'a')} LIMIT 100")
                counts[(node.name, shard)] = len(cur.fetchall())
        conn.close()
    assert counts[("n0", 0)] + counts[("n1", 1)] == len(ARTICLES)
    assert counts[("n1", 1)] == counts[("n2", 1)] > 0 and counts[("n0", 0)] > 0


def test_words_are_stemmed_in_both_languages(backend):
    assert ids(backend, "meeting") == ["a1"]
    assert ids(backend, "выборов") == ["a2"]
    assert ids(backend, "парламенту") == ["a2"]


def test_yo_folds_and_accents_stay(backend):
    assert ids(backend, "елка") == ["a2"]
    assert ids(backend, "école") == ["a3"]


def test_phrases_prefixes_and_booleans(backend):
    assert ids(backend, '"collective security"') == ["a1", "a4"]
    assert ids(backend, '"security collective"') == []
    assert ids(backend, "secur*") == ["a1", "a3", "a4"]
    assert ids(backend, "summit OR oil") == ["a4", "a5"]
    assert ids(backend, "security NOT summit") == ["a1", "a3"]
    assert ids(backend, "NOT security") == ["a2", "a5"]
    assert ids(backend, "security -summit -meeting") == ["a3"]


def test_field_queries_and_places_across_scripts(backend):
    assert ids(backend, "title:summit") == ["a4"]
    assert ids(backend, "body:summit") == ["a4"]
    assert ids(backend, "title:security") == []
    assert ids(backend, "country:belarus") == ["a1"]
    assert ids(backend, "source:TENGRI") == ["a3", "a5"]
    assert ids(backend, "language:ru") == ["a2"]
    assert ids(backend, "Минск") == ["a1"]          # the city field, written in English
    assert ids(backend, "country:Россия") == ["a2", "a4"]


def test_only_stop_words_searches_nothing(backend):
    with backend.reader() as r:
        m = r.search(Query(node=parse("the and of", Settings()).node))
    assert m.stopped and m.total == 0


def test_filters_and_facets_honour_every_filter_but_their_own(backend):
    q = Query(node=None, filters=Filters(countries=("Russia",), sources=("kazinform",)),
              facets=frozenset({"country", "source", "language", "period"}), periods=True)
    with backend.reader() as r:
        m = r.search(q)
    assert m.total == 2
    # Country counts ignore the country filter, keep the source filter.
    assert m.facets["country"] == {"Belarus": 1, "Russia": 2, "Kazakhstan": 1}
    assert m.facets["source"] == {"kazinform": 2}      # Russia only: both are kazinform
    assert m.facets["language"] == {"en": 1, "ru": 1}
    assert m.periods == {"2018": 1, "2018-03": 1, "2018-03-01": 1, "2017": 1, "2017-01": 1}
    assert m.facets["period"]["2017"] == 1 and m.facets["period"]["2018"] == 1


def test_calendar_ranges_and_date_unknown(backend):
    assert ids(backend, "", filters=Filters(year=2017)) == ["a1", "a4"]
    assert ids(backend, "", filters=Filters(year=2017, month=7)) == ["a1"]
    assert ids(backend, "", filters=Filters(year=2017, month=7, day=17)) == ["a1"]
    assert ids(backend, "", filters=Filters(date_from=dt.date(2017, 1, 1),
                                            date_to=dt.date(2017, 12, 31))) == ["a1", "a4"]
    # A month-precise article lies inside a range only when the whole month does.
    assert ids(backend, "", filters=Filters(date_from=dt.date(2017, 1, 2))) == ["a1", "a2"]
    assert ids(backend, "", filters=Filters(date_to=dt.date(2030, 1, 1))) == ["a1", "a2", "a4", "a5"]
    assert ids(backend, "", filters=Filters(undated=True)) == ["a3"]
    with backend.reader() as r:
        m = r.search(Query(periods=True))
    assert m.periods["unknown"] == 1 and m.periods["2017"] == 2 and m.periods["2017-07"] == 1


def test_sorting_by_date_keeps_undated_last_and_pages(backend):
    def order(sort: str, offset: int = 0, limit: int = 10) -> list[str]:
        with backend.reader() as r:
            m = r.search(Query(sort=sort, offset=offset, limit=limit))
        return [h.id.split("/")[1].split(".")[0] for h in m.hits]
    assert order("newest") == ["a2", "a1", "a4", "a5", "a3"]
    assert order("oldest") == ["a5", "a4", "a1", "a2", "a3"]
    assert order("newest", offset=2, limit=2) == ["a4", "a5"]
    with backend.reader() as r:
        m = r.search(Query(sort="newest", offset=4, limit=2))
    assert m.total == 5 and len(m.hits) == 1


def test_relevance_ranks_title_matches_first_and_any_mode_counts_words(backend):
    with backend.reader() as r:
        m = r.search(Query(node=parse("summit", Settings()).node))
        assert [h.id for h in m.hits] == [ARTICLES[3].id] and m.hits[0].score > 0
        m = r.search(Query(node=parse("oil security summit", Settings()).node, mode="any"))
    got = [h.id for h in m.hits]
    assert got[0] == ARTICLES[3].id and set(got) == {a.id for a in (ARTICLES[0], ARTICLES[2],
                                                                      ARTICLES[3], ARTICLES[4])}


def test_stored_articles_come_back_whole(backend):
    with backend.reader() as r:
        got = r.articles([ARTICLES[1].id, "nope", ARTICLES[0].id])
    assert [a.to_json() for a in got] == [ARTICLES[1].to_json(), ARTICLES[0].to_json()]


def test_similar_spelling_and_sources(backend):
    with backend.reader() as r:
        similar = [s.id for s in r.similar(ARTICLES[0].id, 3)]
        assert ARTICLES[0].id not in similar and similar[0] == ARTICLES[3].id
        assert r.doc_frequency("meetings") == 1 and r.doc_frequency("meeting") == 0
        assert r.spelling("sumit", 3, 2) == ["summit"]
        stats = {s.name: s for s in r.sources()}
    assert stats["tengri"].count == 2 and stats["tengri"].undated == 1
    assert stats["kazinform"].date_from == dt.date(2017, 1, 1)
    assert stats["kazinform"].date_to == dt.date(2018, 3, 1)


def test_stored_text_with_sql_metacharacters_reads_back_exactly(cluster, tmp_path):
    """Quotes, backslashes, NUL, ^Z and line breaks in an article survive the write as written."""
    hostile = "O'Brien said \"no\"; DROP \\ x\0y\x1az\r\nend \\' \\\\"
    b = backend_for(cluster, tmp_path)
    try:
        art = article(9, "Quote's \\title\"", hostile)
        with b.batch(rebuild=True) as batch:
            batch.add(art)
            batch.commit()
        with b.reader() as r:
            got = r.articles([art.id])
            hits = r.search(Query(node=parse("O'Brien", Settings()).node, limit=5)).hits
        assert got and got[0].title == art.title and got[0].body == art.body
        assert [h.id for h in hits] == [art.id]
    finally:
        with b.batch(rebuild=True) as batch:   # the module's backend reads the same cluster
            for a in ARTICLES:
                batch.add(a)
            batch.commit()
        b.close()


def test_a_pages_counts_take_one_pass_over_the_matches_per_shard(cluster, backend):
    """Four facets and the timeline share the query and filters: each shard counts them all in
    one pass (searchd's multi-query optimisation, "xN" in its query log), not one match each.
    A string group key or another select list in one count would undo it, silently but for time."""
    q = Query(node=parse("summit OR meetings OR elections", Settings()).node,
              facets=frozenset({"country", "city", "source", "language", "period"}),
              periods=True, limit=10)
    with backend.reader() as r:
        m = r.search(q)
    assert m.total == 2 and not m.missing
    assert m.facets["city"] == {"Minsk": 1, "Astana": 1}
    passes = []
    for node in cluster.topology.nodes:
        log = (cluster.folder(node.name) / "query.log").read_text(errors="replace")
        passes += [line for line in log.splitlines()
                   if "summit" in line and "@city_h" in line and "[sa_s" in line]
    assert passes, "no shard logged the city count"
    # The period counts of the page and of the timeline are one statement: five counts.
    assert all(" x5 " in line for line in passes), passes
