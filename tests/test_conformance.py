"""What every backend must do, written once against the seam (searchapp.backend) and run for each.

The product's search behaviour: stemming in English and Russian, places across scripts, filters,
facets that honour every filter but their own, the "date unknown" bucket, rolled-up period counts
for the timeline, sorting, paging, partial matches, suggestions, more like this; and the writer's:
a batch lands whole or not at all, an incremental reindex equals a full rebuild, a reader answers
during a rebuild. Expected values are computed from the articles the backend stores, so the
suite checks the backend against itself and the seam's rules, not against one engine's numbers.
A backend joins by adding itself to tests/backends.py; this file does not change.
"""
from __future__ import annotations

import datetime as dt
import json
import threading
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest

from backends import BACKENDS, no_index
from searchapp.backend import (FACETS, PERIOD_UNKNOWN, Backend, Batch, Filters, Query, Reader,
                               State, open_backend)
from searchapp.config import Settings
from searchapp.errors import IndexUnavailable, NotFound, QueryError
from searchapp.indexing.reindex import reindex
from searchapp.models import Article, SearchRequest
from searchapp.periods import period_bounds, period_key
from searchapp.querytree import Term
from searchapp.search.query import parse
from searchapp.search.service import SearchService

OIL, GAS, CB, BOE, VYB, MINSK = ("Oil prices rise", "Gas exports", "Central bank holds rates",
                                 "Bank of England", "Выборы в Беларуси", "Minsk talks")
AST, ODKB, GRAIN, NOTE = "Astana summit", "Саммит ОДКБ", "Grain harvest", "Undated note"
WIRE = [
    ("Oil prices rise", "Crude oil prices rose after the OPEC meeting in Vienna.", "2017-07-17", "en"),
    ("Gas exports", "Gas exports to Europe grew; oil output was flat.", "2017-07-18", "en"),
    ("Central bank holds rates", "The central bank of Kazakhstan held interest rates. "
     "Economists expected it.", "2016-03-01", "en"),
    ("Bank of England", "The Bank of England said the economy is slowing.", None, "en"),
    ("Выборы в Беларуси", "Выборов президента ждут в Минске. Встреча прошла в Москве.", "2015-10-11", "ru"),
    ("Minsk talks", "Leaders met in Minsk for talks on the government budget.", "2015-02-12", "en"),
]
AGENCY = [
    ("Astana summit", "The CSTO summit in Astana discussed collective security.", "July 2017", "en"),
    ("Саммит ОДКБ", "Саммит ОДКБ прошёл в Астане. Обсуждали коллективную безопасность.",
     "2017-07-20", "ru"),
    ("Grain harvest", "Kazakhstan wheat harvest and grain exports rose.", "2014", "en"),
    ("Undated note", "Oil and gas notes without a date.", None, "en"),
]


def _write(path: Path, rows: list[tuple[str, str, str | None, str]], first: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        for i, (title, text, date, lang) in enumerate(rows, first):
            fh.write(json.dumps({"id": str(i), "title": title, "text": text, "date": date,
                                 "language": lang}, ensure_ascii=False) + "\n")


def _corpus(root: Path) -> Settings:
    settings = Settings(corpus_dir=root / "corpus", index_dir=root / "index")
    _write(settings.corpus_dir / "wire" / "a.jsonl", WIRE, 0)
    _write(settings.corpus_dir / "agency" / "b.jsonl", AGENCY, len(WIRE))
    return settings


@pytest.fixture(scope="module", params=sorted(BACKENDS))
def built(request, tmp_path_factory):
    """Settings of a built index of the fixture corpus, on one backend."""
    with BACKENDS[request.param](_corpus(tmp_path_factory.mktemp(request.param))) as settings:
        reindex(settings, progress=False)
        yield settings


@pytest.fixture(scope="module")
def backend(built):
    b = open_backend(built)
    yield b
    b.close()


@pytest.fixture(scope="module")
def stored(backend) -> dict[str, Article]:
    """Every article the backend stores, by title: the ground truth of the expectations."""
    with backend.reader() as r:
        every = r.search(Query(limit=1000, sort="oldest"))
        return {a.title: a for a in r.articles([h.id for h in every.hits])}


def _titles(reader: Reader, hits) -> list[str]:
    return [a.title for a in reader.articles([h.id for h in hits])]


def _ids(reader: Reader, text: str | None = None, **kw) -> set[str]:
    """Return the titles of every match (titles are unique in the fixture corpus)."""
    node = parse(text, Settings()).node if text else None
    return set(_titles(reader, reader.search(Query(node=node, limit=1000, **kw)).hits))


def _day(a: Article) -> dt.date | None:
    return a.published.date() if isinstance(a.published, dt.datetime) else a.published


def _period(a: Article) -> str:
    return period_key(_day(a), a.date_precision)


# -- reading -----------------------------------------------------------------------------------

def test_state_describes_the_index(backend: Backend, stored) -> None:
    state = backend.state()
    assert isinstance(state, State) and state.ok and state.exists and state.generation
    assert state.doc_count == len(stored) == len(WIRE) + len(AGENCY)
    assert state.schema_version == backend.schema_version
    assert backend.state(quick=True).generation == state.generation


def test_state_without_an_index_never_raises(built, tmp_path: Path) -> None:
    with no_index(built, tmp_path) as settings:
        b = open_backend(settings)
        try:
            state = b.state()
            assert not state.exists and not state.ok and state.damage
            assert not b.state(quick=True).exists
            with pytest.raises(IndexUnavailable):
                with b.reader():
                    pass
        finally:
            b.close()


def test_a_whole_index_answers_complete(backend: Backend) -> None:
    with backend.reader() as r:
        m = r.search(Query(node=parse("oil", Settings()).node, facets=frozenset(FACETS)))
    assert m.total and m.missing == () and not m.partial


def test_articles_round_trip_in_the_order_asked(backend: Backend, stored) -> None:
    with backend.reader() as r:
        got = r.articles([stored[VYB].id, "missing", stored[OIL].id])
    assert [a.id for a in got] == [stored[VYB].id, stored[OIL].id]
    assert got[0].title == "Выборы в Беларуси" and got[0].language == "ru"
    assert got[1].body == ["Crude oil prices rose after the OPEC meeting in Vienna."]
    assert got[1].published == dt.date(2017, 7, 17) and got[1].source == "wire"


@pytest.mark.parametrize("query, expected", [
    ("meetings", {OIL}),                     # English stem: meeting
    ("выборы", {VYB}), ("выборов", {VYB}),   # Russian stem: выбор
    ("безопасности", {ODKB}),
    ('"central bank"', {CB}), ('"bank central"', set()),
    ("oil -gas", {OIL}), ("oil OR rates", {OIL, GAS, CB, NOTE}),
    ("title:bank", {CB, BOE}), ("language:ru", {VYB, ODKB}), ("source:AGENCY", {AST, ODKB, GRAIN, NOTE}),
    ("econom*", {CB, BOE}), ("zzzz", set()),
])
def test_words_phrases_operators_fields(backend: Backend, query: str, expected: set[str]) -> None:
    with backend.reader() as r:
        assert _ids(r, query) == expected


def test_places_match_across_scripts(backend: Backend, stored) -> None:
    minsk = {i for i, a in stored.items() if "Minsk" in a.cities}
    astana = {i for i, a in stored.items() if "Astana" in a.cities}
    assert {VYB, MINSK} <= minsk and {AST, ODKB} <= astana  # ingest saw Минске and Астане too
    with backend.reader() as r:
        for text in ("Minsk", "Минск", "минске", "city:Минск"):
            assert _ids(r, text) >= minsk, text
        assert _ids(r, "Астана") >= astana and _ids(r, "country:kazakhstan") >= {GRAIN}
        exact = r.search(Query(node=Term("Минск", exact=True), limit=100))
        # As written: the Russian article (stemmed "Минске"), not the English "Minsk" one.
        assert set(_titles(r, exact.hits)) == {VYB}


def test_only_stop_words_search_nothing(backend: Backend) -> None:
    with backend.reader() as r:
        got = r.search(Query(node=parse("the of and", Settings()).node))
    assert got.stopped and got.total == 0 and not got.hits


def test_mode_any_takes_alternatives(backend: Backend) -> None:
    node = parse("oil zebra", Settings()).node
    with backend.reader() as r:
        assert r.search(Query(node=node)).total == 0
        some = r.search(Query(node=node, mode="any", limit=100))
        both = r.search(Query(node=parse("oil gas", Settings()).node, mode="any", limit=100))
        some, both = _titles(r, some.hits), _titles(r, both.hits)
    assert set(some) == {OIL, GAS, NOTE}
    # The articles holding both words rank above those holding one.
    assert set(both[:2]) == {GAS, NOTE} and len(both) == 3


def test_too_broad_a_prefix_is_refused(built) -> None:
    b = open_backend(built.replace(max_prefix_expansions=1))
    try:
        with b.reader() as r, pytest.raises(QueryError):
            r.search(Query(node=parse("exp*", Settings()).node))
    finally:
        b.close()


# -- filters, facets, periods ------------------------------------------------------------------

def _where(stored, **f) -> set[str]:
    """Return the ids the filters of the seam should keep, computed from stored articles."""
    out = set()
    for i, a in stored.items():
        day, bounds = _day(a), period_bounds(_period(a))
        if f.get("sources") and a.source not in f["sources"]:
            continue
        if f.get("languages") and a.language not in f["languages"]:
            continue
        if f.get("countries") and not set(a.countries) & set(f["countries"]):
            continue
        if f.get("year") and (day is None or day.year != f["year"]):
            continue
        if f.get("date_from") and (bounds is None or bounds[0] < f["date_from"]):
            continue
        if f.get("date_to") and (bounds is None or bounds[1] > f["date_to"]):
            continue
        if f.get("undated") and day is not None:
            continue
        out.add(i)
    return out


@pytest.mark.parametrize("filters", [
    {"sources": ("agency",)}, {"languages": ("ru",)}, {"countries": ("Kazakhstan",)},
    {"sources": ("agency", "wire"), "languages": ("en",)}, {"year": 2017},
    {"date_from": dt.date(2017, 7, 1), "date_to": dt.date(2017, 7, 31)},
    {"date_from": dt.date(2017, 7, 10)},     # a month-precision July 2017 does not lie inside
    {"undated": True}, {"sources": ("nowhere",)},
])
def test_filters(backend: Backend, stored, filters) -> None:
    expected = _where(stored, **filters)
    with backend.reader() as r:
        got = r.search(Query(filters=Filters(**filters), limit=1000))
        assert set(_titles(r, got.hits)) == expected and got.total == len(expected)


def test_an_ids_filter_keeps_only_those_articles_with_every_other_filter(backend: Backend,
                                                                         stored) -> None:
    # The product asks "which of this page's hits does this other name find" this way.
    wanted = (stored[OIL].id, stored[GAS].id, stored[VYB].id, "nowhere/none.txt#0")
    with backend.reader() as r:
        got = r.search(Query(node=parse("oil", Settings()).node, filters=Filters(ids=wanted),
                             limit=1000, facets=frozenset({"language"})))
        assert set(_titles(r, got.hits)) == {OIL, GAS} and got.total == 2
        assert dict(got.facets["language"]) == {"en": 2}
        both = r.search(Query(filters=Filters(ids=wanted, languages=("ru",)), limit=1000))
        assert _titles(r, both.hits) == [VYB]


def test_every_article_has_a_story_that_hits_carry_and_filters_keep(backend: Backend, stored) -> None:
    # The fixture corpus holds no copies: each article is its own story (backend.py, "Stories").
    keys = {a.title: a.story for a in stored.values()}
    assert all(len(k) == 12 for k in keys.values()) and len(set(keys.values())) == len(keys)
    with backend.reader() as r:
        every = r.search(Query(limit=1000))
        assert {h.story for h in every.hits} == set(keys.values())
        assert all(h.story == stored[a.title].story
                   for h, a in zip(every.hits, r.articles([h.id for h in every.hits])))
        two = Filters(stories=(keys[OIL], keys[ODKB]))
        assert _ids(r, filters=two) == {OIL, ODKB}
        assert _ids(r, "oil", filters=two) == {OIL}
        assert _ids(r, filters=replace(two, languages=("ru",))) == {ODKB}
        counted = r.search(Query(filters=two, facets=frozenset({"language"})))
        assert counted.total == 2 and dict(counted.facets["language"]) in ({"en": 1, "ru": 1},)
        assert _ids(r, filters=Filters(stories=("000000000000",))) == set()


def test_filters_hold_real_values(stored) -> None:
    # The fixture exercises what the filters test claims: all precisions, both languages, places.
    assert {a.date_precision for a in stored.values()} >= {"day", "month", "year", None}
    assert _where(stored, countries=("Kazakhstan",)) - {CB, AST, ODKB, GRAIN} == set()


def test_each_facet_honours_every_filter_but_its_own(backend: Backend, stored) -> None:
    f = {"sources": ("agency",), "languages": ("en",), "countries": ("Kazakhstan",)}
    with backend.reader() as r:
        got = r.search(Query(filters=Filters(**f), facets=frozenset(FACETS), limit=0))
    assert got.total == len(_where(stored, **f))
    for name, own, values in (("source", "sources", lambda a: [a.source]),
                              ("language", "languages", lambda a: [a.language]),
                              ("country", "countries", lambda a: a.countries),
                              ("city", None, lambda a: a.cities)):
        rest = {k: v for k, v in f.items() if k != own}
        expected = Counter(v for i in _where(stored, **rest) for v in values(stored[i]))
        assert {k: n for k, n in got.facets[name].items() if n} == dict(expected), name


def _rolled(stored, ids) -> Counter:
    out: Counter = Counter()
    for i in ids:
        key = _period(stored[i])
        if key == PERIOD_UNKNOWN:
            out[key] += 1
        else:
            for n in (4, 7, 10):
                if len(key) >= n:
                    out[key[:n]] += 1
    return out


def test_period_counts_are_rolled_up_with_the_unknown_bucket(backend: Backend, stored) -> None:
    with backend.reader() as r:
        got = r.search(Query(periods=True, limit=0))
        july = r.search(Query(node=parse("oil OR summit OR саммит", Settings()).node,
                              periods=True, limit=0))
    expected = _rolled(stored, stored)
    assert {k: got.periods[k] for k in got.periods if got.periods[k]} == dict(expected)
    assert got.periods["2017"] == 4 and got.periods["2017-07"] == 4 and got.periods["2017-07-17"] == 1
    assert got.periods[PERIOD_UNKNOWN] == 2
    assert july.periods["2017-07"] == 4 and july.periods[PERIOD_UNKNOWN] == 1


def test_the_period_facet_ignores_the_calendar_but_not_the_rest(backend: Backend, stored) -> None:
    f = {"year": 2017, "languages": ("en",)}
    with backend.reader() as r:
        got = r.search(Query(filters=Filters(**f), facets=frozenset({"period"}), limit=0))
    assert got.total == len(_where(stored, **f))
    expected = _rolled(stored, _where(stored, languages=("en",)))
    assert {k: n for k in got.facets["period"] if (n := got.facets["period"][k])} == dict(expected)


# -- order and pages ---------------------------------------------------------------------------

def test_date_orders_put_undated_last(backend: Backend, stored) -> None:
    with backend.reader() as r:
        newest = _titles(r, r.search(Query(sort="newest", limit=100)).hits)
        oldest = _titles(r, r.search(Query(sort="oldest", limit=100)).hits)
        no_query = _titles(r, r.search(Query(sort="relevance", limit=100)).hits)
    def first_day(i: str) -> dt.date:
        return period_bounds(_period(stored[i]))[0]  # type: ignore[index]
    dated = [i for i in newest if _day(stored[i]) is not None]
    assert [first_day(i) for i in dated] == sorted((first_day(i) for i in dated), reverse=True)
    assert set(newest[len(dated):]) == {BOE, NOTE} and set(oldest[-2:]) == {BOE, NOTE}
    dated_old = oldest[:-2]
    assert [first_day(i) for i in dated_old] == sorted(first_day(i) for i in dated_old)
    assert no_query == newest


def test_relevance_ranks_best_first_and_pages_add_up(backend: Backend) -> None:
    node = parse("oil OR gas OR bank OR summit", Settings()).node
    with backend.reader() as r:
        whole = r.search(Query(node=node, limit=100))
        pages = [r.search(Query(node=node, offset=o, limit=3)) for o in range(0, whole.total + 3, 3)]
    scores = [h.score for h in whole.hits]
    assert scores == sorted(scores, reverse=True) and scores[0] > 0
    assert [h.id for p in pages for h in p.hits] == [h.id for h in whole.hits]
    assert {p.total for p in pages} == {whole.total} and not pages[-1].hits


def test_title_words_and_repeats_rank(backend: Backend) -> None:
    with backend.reader() as r:
        hits = _titles(r, r.search(Query(node=parse("bank", Settings()).node, limit=10)).hits)
    assert set(hits) == {CB, BOE}


# -- vocabulary, similar, sources ----------------------------------------------------------------

def test_spelling_works_on_words_not_stems(backend: Backend) -> None:
    with backend.reader() as r:
        assert r.doc_frequency("oil") == 3 and r.doc_frequency("prices") == 1
        assert r.doc_frequency("price") == 0    # unstemmed: "price" was never written
        assert r.doc_frequency("выборов") == 1
        assert "central" in r.spelling("centrl", 3, 2)
        assert "economy" in r.spelling("econmy", 3, 2)


def test_vocabulary_is_the_words_as_written_and_needs_no_reader(backend: Backend) -> None:
    with backend.reader() as r:      # a reader tells the backend which index is live
        assert r.doc_count() > 0
    words = backend.vocabulary(wait=10)
    assert words is not None
    assert {"oil", "prices", "central", "выборов"} <= words
    assert "price" not in words     # unstemmed, like doc_frequency
    held = threading.Event()
    release = threading.Event()

    def hold() -> None:
        with backend.reader():
            held.set()
            release.wait(10)

    t = threading.Thread(target=hold, daemon=True)
    t.start()
    try:
        assert held.wait(10)
        assert backend.vocabulary() == words   # answered while another thread holds a reader
    finally:
        release.set()
        t.join(10)


def test_similar_articles(backend: Backend, stored) -> None:
    with backend.reader() as r:
        similar = r.similar(stored[OIL].id, 3)
        titles = set(_titles(r, similar))
        assert similar and OIL not in titles and len(similar) <= 3
        assert titles & {GAS, NOTE}       # they share "oil"
        with pytest.raises(NotFound):
            r.similar("missing", 3)


def test_sources(backend: Backend, stored) -> None:
    with backend.reader() as r:
        got = {s.name: s for s in r.sources()}
    assert set(got) == {"wire", "agency"}
    wire = got["wire"]
    assert wire.count == 6 and wire.undated == 1
    assert wire.date_from == dt.date(2015, 2, 12) and wire.date_to == dt.date(2017, 7, 18)
    assert got["agency"].date_from == dt.date(2014, 1, 1) and got["agency"].undated == 1


# -- the product over the seam ----------------------------------------------------------------

def test_partial_matches_follow_and_suggestions_help(built, backend: Backend) -> None:
    service = SearchService(built, backend)
    page = service.search(SearchRequest(query="oil zebra"))
    assert {h.title for h in page.hits} == {OIL, GAS, NOTE} and "No article has all" in page.notes[0]
    page = service.search(SearchRequest(query="oil gas"))
    assert {h.title for h in page.hits[:2]} == {GAS, NOTE} and len(page.hits) == 3
    assert service.search(SearchRequest(query="centrl")).suggestion == "central"
    page = service.search(SearchRequest(query="oil", year=2017))
    assert page.timeline_unit == "day" and sum(b.count for b in page.timeline) == 2
    assert [f.value for f in page.facets["year"]] == ["2017"]
    page = service.search(SearchRequest())
    assert page.timeline_unit == "year" and page.undated_count == 2
    assert [b.key for b in page.timeline] == ["2014", "2015", "2016", "2017"]


# -- writing -----------------------------------------------------------------------------------

@pytest.fixture(params=sorted(BACKENDS))
def fresh(request, tmp_path: Path):
    """Settings of a fixture corpus not yet indexed, on one backend."""
    with BACKENDS[request.param](_corpus(tmp_path)) as settings:
        yield settings


def _snapshot(settings: Settings) -> dict:
    """Return what a user can observe of an index: every article and a few result lists."""
    b = open_backend(settings)
    try:
        with b.reader() as r:
            every = r.search(Query(limit=1000, sort="oldest", facets=frozenset(FACETS) - {"period"}))
            out = {"articles": sorted((a.title, a.id, a.body, a.countries) for a in
                                      r.articles([h.id for h in every.hits])),
                   "facets": {k: dict(v) for k, v in every.facets.items()}}
            for text in ("oil", "bank OR summit", "минск", '"central bank"'):
                got = r.search(Query(node=parse(text, Settings()).node, limit=100))
                # Matches, not scores: an engine may count deleted documents in its statistics
                # until segments merge (Whoosh's document frequencies do), which moves scores.
                out[text] = sorted(h.id for h in got.hits)
        return out
    finally:
        b.close()


def test_incremental_reindex_equals_a_full_rebuild(fresh: Settings) -> None:
    reindex(fresh, progress=False)
    _write(fresh.corpus_dir / "wire" / "a.jsonl", WIRE[:3] + [("Oil talks", "New oil talks in Minsk.",
                                                              "2018-01-02", "en")], 0)
    _write(fresh.corpus_dir / "extra" / "c.jsonl", [("Bank summit", "A summit of central banks.",
                                                     "2018-02-03", "en")], 50)
    (fresh.corpus_dir / "agency" / "b.jsonl").unlink()
    summary = reindex(fresh, progress=False)
    assert not summary.full and summary.updated == 1 and summary.added == 1 and summary.deleted == 1
    incremental = _snapshot(fresh)
    assert reindex(fresh, full=True, progress=False).full
    assert _snapshot(fresh) == incremental
    assert [a[0] for a in incremental["articles"]] == sorted([OIL, GAS, CB, "Oil talks", "Bank summit"])


def test_a_batch_lands_whole_or_not_at_all(fresh: Settings) -> None:
    reindex(fresh, progress=False)
    b = open_backend(fresh)
    try:
        extra = Article(id="x1", source="wire", source_name="wire", path="wire/x.jsonl", url=None,
                        title="Zebra crossing", section=None, author=None, dateline=None,
                        published=None, published_raw=None, date_precision=None,
                        date_inferred=False, page_date=None, language="en", cities=[],
                        countries=[], body=["A zebra crossed."])
        before = b.manifest()
        assert set(before.files) == {"wire/a.jsonl", "agency/b.jsonl"}
        with pytest.raises(RuntimeError), b.batch() as batch:
            assert isinstance(batch, Batch)
            batch.add(extra)
            batch.delete_paths(["wire/a.jsonl"])
            raise RuntimeError("the run died")
        with b.reader() as r:
            assert _ids(r, "zebra") == set() and r.doc_count() == 10
        batch = b.batch()
        batch.add(extra)
        batch.delete_paths(["agency/b.jsonl"])
        batch.save_manifest(replace(before, files={"wire/a.jsonl": before.files["wire/a.jsonl"]}))
        with b.reader() as r:
            assert r.doc_count() == 10          # nothing shows before the commit
        batch.commit()
        with b.reader() as r:
            assert _ids(r, "zebra") == {"Zebra crossing"} and r.doc_count() == 7
        assert set(b.manifest().files) == {"wire/a.jsonl"}
    finally:
        b.close()


def test_a_reader_answers_during_a_rebuild(fresh: Settings) -> None:
    reindex(fresh, progress=False)
    b = open_backend(fresh)
    seen: list[int] = []
    errors: list[BaseException] = []
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            try:
                with b.reader() as r:
                    seen.append(r.search(Query(node=parse("oil", Settings()).node)).total)
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)
                return

    t = threading.Thread(target=read)
    t.start()
    try:
        _write(fresh.corpus_dir / "wire" / "d.jsonl", [("More oil", "Oil again.", None, "en")], 90)
        for _ in range(2):
            reindex(fresh, full=True, progress=False)
    finally:
        stop.set()
        t.join(30)
        b.close()
    assert not errors and seen and set(seen) <= {3, 4}
    b = open_backend(fresh)
    try:
        with b.reader() as r:
            assert r.search(Query(node=parse("oil", Settings()).node)).total == 4
    finally:
        b.close()
