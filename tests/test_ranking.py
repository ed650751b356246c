"""Check the ranking model: idf and BM25 formulas, shared idf, query weights, stop lists, on a real index."""
from __future__ import annotations

from math import log

import pytest
from whoosh import index as windex
from whoosh.analysis import StandardAnalyzer
from whoosh.fields import ID, TEXT, Schema
from whoosh.query import Or, Term

from searchapp import text
from searchapp.backends.whoosh import ranking


@pytest.mark.parametrize("n_docs, df, expected", [
    (10, 1, log(1 + 9.5 / 1.5)),
    (10, 10, log(1 + 0.5 / 10.5)),  # a word in every document still scores above zero
    (1, 1, log(1 + 0.5 / 1.5)),
])
def test_lucene_idf(n_docs, df, expected):
    assert ranking.lucene_idf(n_docs, df) == pytest.approx(expected)


def test_bm25_term_saturates_and_prefers_short_fields():
    scores = [ranking.bm25_term(1.0, tf, 10, 10, 0.6, 1.2) for tf in (1, 2, 4, 100)]
    assert scores == sorted(scores) and scores[-1] < 1.0
    assert ranking.bm25_term(1.0, 1, 5, 10, 0.6, 1.2) > ranking.bm25_term(1.0, 1, 20, 10, 0.6, 1.2)
    assert ranking.bm25_term(1.0, 1, 5, 10, 0.0, 1.2) == ranking.bm25_term(1.0, 1, 20, 10, 0.0, 1.2)


@pytest.mark.parametrize("tokens, expected", [
    (["oil", "price", "oil"], {"oil": 2.0, "price": 1.0}),
    ([], {}),
    (["a", "", "a", "a"], {"a": 3.0}),
])
def test_term_weights_count_repeats_in_first_seen_order(tokens, expected):
    got = ranking.term_weights(tokens)
    assert got == expected and list(got) == list(expected)


@pytest.mark.parametrize("word, stop", [
    ("the", True), ("which", True), ("doesn't", True), ("yourselves", True),
    ("us", False), ("may", False), ("will", False), ("can", False), ("new", False), ("oil", False),
])
def test_english_stop_list_keeps_homonyms_and_us(word, stop):
    assert (word in text.STOPWORDS_EN) is stop


@pytest.mark.parametrize("word, stop", [
    ("и", True), ("это", True), ("который", True), ("ещё", True), ("еще", True),
    ("человек", False), ("сегодня", False), ("выборы", False), ("два", False),
])
def test_russian_stop_list_drops_function_words_only(word, stop):
    assert (word in text.STOPWORDS_RU) is stop


def test_stop_lists_are_lowercase_words():
    for word in text.STOPWORDS_EN | text.STOPWORDS_RU:
        assert word == word.lower() and word.strip() == word and word


@pytest.fixture()
def searcher_factory(tmp_path):
    schema = Schema(id=ID(stored=True), title=TEXT(analyzer=StandardAnalyzer(stoplist=None)),
                    body=TEXT(analyzer=StandardAnalyzer(stoplist=None)))
    ix = windex.create_in(str(tmp_path), schema)
    with ix.writer() as w:
        w.add_document(id="a", title="oil", body="market news today")
        w.add_document(id="b", title="grain", body="oil prices rose and oil stocks fell")
        w.add_document(id="c", title="grain", body="oil")
        w.add_document(id="d", title="wheat", body="grain harvest")
    opened = []

    def make(**kw):
        s = ix.searcher(weighting=ranking.weighting(**kw))
        opened.append(s)
        return s
    yield make
    for s in opened:
        s.close()


def test_idf_is_shared_by_title_and_body(searcher_factory):
    s = searcher_factory()
    # "oil" is in 1 title and 2 bodies: both fields use the body's (larger) document frequency.
    assert s.idf("title", "oil") == pytest.approx(ranking.lucene_idf(4, 2))
    assert s.idf("body", "oil") == pytest.approx(ranking.lucene_idf(4, 2))
    assert s.idf("title", "wheat") == pytest.approx(ranking.lucene_idf(4, 1))


def test_score_matches_hand_computed_bm25(searcher_factory):
    s = searcher_factory(k1=1.2, b=0.6)
    hits = s.search(Term("body", "oil"), limit=None)
    got = {h["id"]: h.score for h in hits}
    idf = ranking.lucene_idf(4, 2)
    avg = (3 + 7 + 1 + 2) / 4
    expect_c = idf * 1 / (1 + 1.2 * (0.4 + 0.6 * 1 / avg))
    expect_b = idf * 2 / (2 + 1.2 * (0.4 + 0.6 * 7 / avg))
    assert got["c"] == pytest.approx(expect_c)
    assert got["b"] == pytest.approx(expect_b)
    assert [h["id"] for h in hits][0] == "c"  # one mention in a one-word body beats two in seven


def test_title_boost_multiplies_title_matches_only(searcher_factory):
    plain = searcher_factory()
    boosted = searcher_factory(title_boost=2.0)
    q = Term("title", "oil")
    assert boosted.search(q)[0].score == pytest.approx(2 * plain.search(q)[0].score)
    qb = Term("body", "oil")
    assert boosted.search(qb)[0].score == pytest.approx(plain.search(qb)[0].score)


def test_repeated_query_word_outweighs_a_single_one(searcher_factory):
    s = searcher_factory()
    weights = ranking.term_weights(["grain", "grain", "oil"])
    q = Or([Term(f, t, boost=w) for t, w in weights.items() for f in ("title", "body")])
    ids = [h["id"] for h in s.search(q, limit=None)]
    # d has "grain" once in body; a has "oil" once in title: the doubled word wins.
    assert ids.index("d") < ids.index("a")


def test_deleted_articles_never_make_a_match_lower_a_score(tmp_path):
    """Deleted articles stay in Whoosh's term statistics until a merge: after most articles
    with a word are deleted, matching it in title and body still ranks above title only."""
    from searchapp.backend import Query, open_backend
    from searchapp.config import Settings
    from searchapp.querytree import Term as QTerm
    from tests.sphinx_support import article

    b = open_backend(Settings(corpus_dir=tmp_path / "c", index_dir=tmp_path / "i"))
    try:
        with b.batch(rebuild=True) as batch:
            for i in range(20):
                batch.add(article(i, f"Alpha report {i}", "alpha beta gamma" if i < 18 else "delta only"))
            batch.commit()
        with b.batch() as batch:
            batch.delete_paths([f"kazinform/a{i}.txt" for i in range(2, 18)])
            batch.commit()
        with b.reader() as r:
            hits = r.search(Query(node=QTerm("alpha"), limit=10)).hits
    finally:
        b.close()
    assert [h.id.split("/")[1].split(".")[0] for h in hits[:2]] == ["a0", "a1"]   # title and body
    assert all(h.score > 0 for h in hits)
