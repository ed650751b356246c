"""The cached-term query path gives exactly what walking Whoosh's matchers gives.

A real on-disk index of generated articles in several segments, with deletions; every query of
a table is run through both `collect` (term cache, bitmaps, threshold top-k) and `walk` (Whoosh's
matchers scoring every match), with and without a filter, and must give the same match set and
the same best documents with the same scores.
"""
from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from searchapp.config import Settings
from searchapp.indexing.reindex import reindex
from searchapp.models import SearchRequest
from searchapp.backends.whoosh import facets as fc
from searchapp.backends.whoosh import topk
from searchapp.backends.whoosh.collect import collect, fallbacks, walk
from searchapp.backends.whoosh.compile import Compiler
from searchapp.search.service import SearchService
from searchapp.backends.whoosh.plan import Unsupported, evaluate
from searchapp.backends.whoosh.postings import length_bytes, read_postings
from searchapp.search.query import parse
from searchapp.backends.whoosh.termcache import cache_for

WORDS = ("oil price bank rate trade deficit coffee wheat export interest cut dollar yen profit "
         "company said central surplus gas economy economic shares tonnes gold stake grain "
         "market minister government meeting talks").split()


def _article(rng: random.Random, i: int) -> dict:
    # Zipf-like: early words are common, so lists differ in length and scores tie often.
    def pick(n: int) -> str:
        return " ".join(WORDS[min(int(rng.paretovariate(1.1)) - 1, len(WORDS) - 1)] for _ in range(n))
    month = rng.randint(1, 6)
    return {"id": f"a{i}", "title": pick(rng.randint(2, 6)).capitalize(),
            "date": f"1987-{month:02d}-{rng.randint(1, 28):02d}" if i % 7 else None,
            "text": ". ".join(pick(rng.randint(4, 30)).capitalize() for _ in range(rng.randint(1, 6)))}


def _write(path: Path, rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    root = tmp_path_factory.mktemp("fastpath")
    settings = Settings(corpus_dir=root / "corpus", index_dir=root / "index")
    rng = random.Random(7)
    rows = [_article(rng, i) for i in range(900)]
    for n in range(3):
        _write(settings.corpus_dir / "wire" / f"f{n}.jsonl", rows[n * 300:(n + 1) * 300])
    reindex(settings, progress=False)
    # A second commit: a new file (new segment) and a changed one (deletions in the first).
    _write(settings.corpus_dir / "wire" / "f3.jsonl", [_article(rng, i) for i in range(900, 1000)])
    _write(settings.corpus_dir / "wire" / "f1.jsonl", rows[300:450])
    reindex(settings, progress=False)
    eng = SearchService(settings)
    yield eng
    eng.close()


QUERIES = ["oil", "oil price", "bank rate cut", "company said", '"central bank"', '"oil price"',
           "oil OR gas", "bank -central", "-oil", "-said -company", "econom*", "gold stake",
           'oil OR "central bank"', "wheat OR (grain -market)", "title:oil body:price",
           "title:oil", "zzzz", "said", "talks -meeting minister"]


def _compiled(engine: SearchService, text: str):
    snap = engine.backend._holder.get()
    return snap, Compiler(snap.searcher, snap.view.values, engine.settings).compile(
        parse(text, engine.settings).node)


def test_index_has_segments_and_deletions(engine) -> None:
    snap = engine.backend._holder.get()
    readers = [r for r, _ in snap.searcher.reader().leaf_readers()]
    assert len(readers) >= 2 and any(r.has_deletions() for r in readers)


@pytest.mark.parametrize("text", QUERIES)
@pytest.mark.parametrize("filtered", [False, True])
@pytest.mark.parametrize("method", ["as chosen", "threshold walk", "dense"])
def test_same_matches_and_top_as_walking_whoosh(engine, monkeypatch, text, filtered,
                                                 method) -> None:
    if method != "as chosen":  # this method even for few candidates
        monkeypatch.setattr(topk, "DIRECT_MAX", 0)
        monkeypatch.setattr(topk, "DIRECT_RATIO", 10**9)
        monkeypatch.setattr(topk, "DENSE_MAX_POSTINGS", 0 if method == "threshold walk" else 10**9)
    snap, q = _compiled(engine, text)
    assert q is not None
    req = SearchRequest(query=text, year=1987, month=3) if filtered else SearchRequest(query=text)
    allowed = fc.combine(snap.view, fc.filter_bits(snap.view, req))
    gate = allowed if allowed != snap.view.live else None
    for want in (1, 10, 40):
        fast = collect(snap.searcher, q, want=want, allowed=gate, deadline=1e18)
        slow = walk(snap.searcher, q, want=want, allowed=gate, deadline=1e18)
        assert fast.bits == slow.bits
        assert [d for _, d in fast.top] == [d for _, d in slow.top]
        assert [s for s, _ in fast.top] == pytest.approx([s for s, _ in slow.top], rel=1e-12)


def test_unscored_collect_keeps_the_first_documents(engine) -> None:
    snap, q = _compiled(engine, "oil OR gas")
    fast = collect(snap.searcher, q, want=5, allowed=None, deadline=1e18, score=False)
    slow = walk(snap.searcher, q, want=5, allowed=None, deadline=1e18, score=False)
    assert fast.bits == slow.bits and fast.top == slow.top


def test_fast_reads_equal_whoosh_public_api(engine) -> None:
    snap = engine.backend._holder.get()
    for reader, _ in snap.searcher.reader().leaf_readers():
        ids, weights = read_postings(reader, "body", b"oil")
        m = reader.postings("body", b"oil")
        assert list(ids) == list(m.all_ids())
        assert list(weights) == [w for _, w in reader.postings("body", b"oil").items_as("weight")]
        lengths = length_bytes(reader, "body")
        from whoosh.util.numeric import byte_to_length
        for d in list(ids)[:50]:
            assert byte_to_length(lengths[d]) == reader.doc_field_length(d, "body")


def test_unsupported_kinds_fall_back_to_walking(engine) -> None:
    from whoosh import query as wq
    snap = engine.backend._holder.get()
    q = wq.Wildcard("body", "oi*")
    with pytest.raises(Unsupported):
        evaluate(q, cache_for(snap.searcher))
    before = fallbacks()
    fast = collect(snap.searcher, q, want=5, allowed=None, deadline=1e18)
    slow = walk(snap.searcher, q, want=5, allowed=None, deadline=1e18)
    assert fast.bits == slow.bits and fast.top == slow.top
    # Said, not silent: counted for `searchapp stats` and /healthz.
    assert fallbacks() == before + 1
    assert engine.health()["fast_path_fallbacks"] == before + 1


# Every kind of query the product emits (issue 9): words, stop words, phrases, prefixes, each
# field, places in both scripts, NOT/-, OR, brackets, a pure NOT, partial matches (weighted OR),
# a pasted paragraph (best match), a text the parser falls back on; with filters and each sort.
PRODUCT_QUERIES = QUERIES + [
    "oil prices the", '"the oil"', "title:econom*", "body:\"central bank\"", "source:wire",
    "language:en", "country:Vienna", "city:Минск", "Minsk", "Минске", "oil zzzz",
    "oil NOT (gas OR price)", "NOT oil", "(oil OR gas) (bank OR rate) -said",
    "oil price bank rate trade deficit coffee wheat export interest", '"unclosed oil',
    "oil OR", "oil oil price",
]


@pytest.mark.parametrize("text", PRODUCT_QUERIES)
def test_the_pinned_whoosh_takes_the_fast_path_for_every_product_query(engine, text) -> None:
    before = fallbacks()
    for req in (SearchRequest(query=text), SearchRequest(query=text, year=1987, sort="newest"),
                SearchRequest(query=text, languages=["en"], page=2, page_size=5)):
        engine.search(req)
    assert fallbacks() == before, f"{text!r} walked Whoosh's matchers"


@pytest.mark.parametrize("dense_max", [0, 10**9])
def test_deadline_passed_reports_timeout(engine, monkeypatch, dense_max) -> None:
    monkeypatch.setattr(topk, "DIRECT_MAX", 0)
    monkeypatch.setattr(topk, "DIRECT_RATIO", 10**9)
    monkeypatch.setattr(topk, "DENSE_MAX_POSTINGS", dense_max)
    snap, q = _compiled(engine, "oil OR gas OR said")
    got = collect(snap.searcher, q, want=10, allowed=None, deadline=0.0)
    assert got.timed_out


def test_new_commit_is_searched_with_fresh_term_data(engine) -> None:
    before = engine.search(SearchRequest(query="kerosene")).total
    settings: Settings = engine.settings
    _write(settings.corpus_dir / "wire" / "f4.jsonl",
           [{"id": "k1", "title": "Kerosene", "text": "Kerosene and oil.", "date": "1987-02-02"}])
    reindex(settings, progress=False)
    page = engine.search(SearchRequest(query="kerosene"))
    assert (before, page.total, page.hits[0].title) == (0, 1, "Kerosene")
    # Old segments' postings come from the shared raw cache; scores follow the new statistics.
    snap, q = _compiled(engine, "oil price")
    fast = collect(snap.searcher, q, want=20, allowed=None, deadline=1e18)
    slow = walk(snap.searcher, q, want=20, allowed=None, deadline=1e18)
    assert fast.bits == slow.bits and [d for _, d in fast.top] == [d for _, d in slow.top]
    assert [s for s, _ in fast.top] == pytest.approx([s for s, _ in slow.top], rel=1e-12)


def test_more_like_this_asks_whoosh_more_likes_question(engine) -> None:
    # The article page's "similar articles" asks what Whoosh's more_like() asks (the body's 12
    # key terms as an Or of boosted terms, the article left out) and answers it on the fast
    # path. Whoosh's own Or matcher misses matches of that query on a two-segment index (66 of
    # 850 here), so the reference sums each term's own Whoosh matcher over every document.
    from whoosh import query as wq
    ids = [h.id for q in ("oil", "bank", "gold", "said") for h in
           engine.search(SearchRequest(query=q, page_size=5)).hits]
    assert len(ids) >= 15
    with engine.backend.reader() as reader:
        searcher, live = reader.snap.searcher, reader.snap.view.live
        context = searcher.context()
        for article_id in ids:
            docnum = searcher.document_number(id=article_id)
            scores: dict[int, float] = {}
            for word, boost in searcher.key_terms([docnum], "body", numterms=12, normalize=False):
                for sub, offset in searcher.leaf_searchers():
                    m = wq.Term("body", word, boost=boost).matcher(sub, context)
                    while m.is_active():
                        d = m.id() + offset
                        scores[d] = scores[d] + m.score() if d in scores else m.score()
                        m.next()
            ranked = sorted((-sc, d) for d, sc in scores.items() if d != docnum and live >> d & 1)
            want = [(searcher.stored_fields(d)["id"], -neg) for neg, d in ranked[:5]]
            got = reader.similar(article_id, 5)
            assert [s.id for s in got] == [i for i, _ in want]
            assert [s.score for s in got] == pytest.approx([sc for _, sc in want], rel=1e-12)
