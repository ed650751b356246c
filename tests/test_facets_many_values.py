"""Facets with many values (the 183 countries and 279 cities of a real archive) count exactly.

Above a few values the Whoosh backend counts a facet with numpy over (document, value) pairs
instead of one bitmap AND per value; the counts must not change: every value an article of the
result holds, its own filter ignored, the others honoured, with deleted articles gone.
"""
from __future__ import annotations

import datetime as dt
import random
import time
from collections import Counter

import pytest

from searchapp.backend import Filters, Query, open_backend
from searchapp.backends.whoosh import facets
from searchapp.backends.whoosh.facets import SMALL_FACET
from searchapp.config import Settings
from searchapp.models import Article
from searchapp.querytree import Term

COUNTRIES = [f"Country {i:02d}" for i in range(3 * SMALL_FACET)]
CITIES = [f"City {i:03d}" for i in range(5 * SMALL_FACET)]


def _articles(n: int, seed: int) -> list[Article]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        countries = rng.sample(COUNTRIES, rng.choice([0, 1, 1, 2, 3]))
        cities = rng.sample(CITIES, rng.choice([0, 1, 2]))
        body = "oil prices" if i % 3 else "grain harvest"
        out.append(Article(
            id=f"wire/a{i}.txt#0", source="wire" if i % 4 else "agency", source_name="Wire",
            path=f"wire/a{i}.txt", url=None, title=f"Report {i}", section=None, author=None,
            dateline=None, published=dt.date(2017, 1 + i % 12, 1), published_raw=None,
            date_precision="day", date_inferred=False, page_date=None, language="en",
            cities=cities, countries=countries, body=[body]))
    return out


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    root = tmp_path_factory.mktemp("many")
    settings = Settings(corpus_dir=root / "corpus", index_dir=root / "index")
    backend = open_backend(settings)
    articles = _articles(600, seed=5)
    with backend.batch(rebuild=True) as batch:
        for art in articles:
            batch.add(art)
        batch.commit()
    # A second segment and deletions, so document numbers have gaps and offsets.
    deleted = {f"wire/a{i}.txt" for i in range(0, 600, 7)}
    with backend.batch() as batch:
        batch.delete_paths(sorted(deleted))
        extra = _articles(50, seed=9)
        for j, art in enumerate(extra):
            art.id, art.path = f"late/b{j}.txt#0", f"late/b{j}.txt"
            batch.add(art)
        batch.commit()
    kept = [a for a in articles if a.path not in deleted] + extra
    yield backend, kept
    backend.close()


def _expected(kept: list[Article], word: str | None, filters: Filters, facet: str) -> Counter:
    own = {"country": "countries", "city": "cities", "source": "sources"}[facet]
    out: Counter = Counter()
    for art in kept:
        if word and word not in art.body[0]:
            continue
        if facet != "country" and filters.countries and not set(filters.countries) & set(art.countries):
            continue
        if facet != "city" and filters.cities and not set(filters.cities) & set(art.cities):
            continue
        if facet != "source" and filters.sources and art.source not in filters.sources:
            continue
        values = {"countries": art.countries, "cities": art.cities, "sources": [art.source]}[own]
        out.update(set(values))
    return out


@pytest.mark.parametrize("sparse_ratio", [0, 4, 10**9])   # always gather, as chosen, always per match
@pytest.mark.parametrize("word", [None, "grain"])
@pytest.mark.parametrize("filters", [
    Filters(), Filters(countries=(COUNTRIES[3],)), Filters(cities=(CITIES[1], CITIES[7])),
    Filters(countries=(COUNTRIES[0], COUNTRIES[40]), sources=("agency",)),
])
def test_counts_match_the_stored_articles(index, word, filters, sparse_ratio, monkeypatch):
    monkeypatch.setattr(facets, "SPARSE_RATIO", sparse_ratio)
    monkeypatch.setattr(facets, "PAIRS_IN_BACKGROUND", False)   # every path, from the first search
    backend, kept = index
    with backend.reader() as reader:
        found = reader.search(Query(node=Term(word) if word else None, filters=filters,
                                    facets=frozenset({"country", "city", "source"}), limit=1))
    for facet in ("country", "city", "source"):
        got = dict(found.facets[facet])
        assert got == dict(_expected(kept, word, filters, facet)), facet
        assert all(n > 0 for n in got.values())


def test_the_first_search_after_a_commit_counts_without_waiting_for_the_pairs(index):
    """The pairs are built by a thread; meanwhile (and after) counts are the same."""
    backend, kept = index
    with backend.reader() as reader:
        reader.snap.view._pair_cache.clear()
        reader.snap.view._building.clear()
        first = reader.search(Query(node=Term("grain"), facets=frozenset({"country", "city"}), limit=1))
        deadline = time.monotonic() + 10
        while not (reader.snap.view.pairs_ready("country") and reader.snap.view.pairs_ready("city")):
            assert time.monotonic() < deadline, "the pairs were never built"
            time.sleep(0.01)
        later = reader.search(Query(node=Term("grain"), facets=frozenset({"country", "city"}), limit=1))
    for facet in ("country", "city"):
        assert dict(first.facets[facet]) == dict(later.facets[facet]) \
            == dict(_expected(kept, "grain", Filters(), facet))
