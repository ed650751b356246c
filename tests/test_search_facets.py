"""Facet counts, totals, timeline and date filters equal a brute-force count over the records."""
from __future__ import annotations

import datetime as dt
import itertools
import json
import shutil
from collections import Counter
from pathlib import Path

import pytest

from searchapp.config import Settings
from searchapp.indexing.analysis import terms
from searchapp.indexing.reindex import reindex
from searchapp.ingest.pipeline import ingest_corpus
from searchapp.models import Article, SearchRequest
from searchapp.search.engine import SearchEngine
from seeds import SEEDS

SEED = SEEDS
N_REUTERS = 600


def _reuters(dest: Path) -> None:
    from bench.corpora import reuters_records
    src = dest / "reuters"
    src.mkdir(parents=True)
    (src / "source.toml").write_text('display_name = "Reuters"\nlanguage = "en"\ndate_order = "MDY"\n')
    rows = itertools.islice(reuters_records(), N_REUTERS)
    for n, chunk in enumerate(itertools.batched(rows, 100) if hasattr(itertools, "batched")
                              else _batches(rows, 100)):
        with open(src / f"r{n}.jsonl", "w", encoding="utf-8") as fh:
            for i, rec in enumerate(chunk):
                # Every 7th record undated, so the "date unknown" bucket is exercised too.
                date = rec["date"].isoformat() if rec["date"] and i % 7 else None
                body = f"{rec['dateline']} - {rec['body']}" if rec["dateline"] else rec["body"]
                fh.write(json.dumps({"id": str(rec["newid"]), "title": rec["title"],
                                     "date": date, "text": body}) + "\n")


def _batches(it, n):
    it = iter(it)
    while chunk := list(itertools.islice(it, n)):
        yield chunk


@pytest.fixture(scope="module", params=["reuters", "seed"])
def indexed(request, tmp_path_factory) -> tuple[Settings, list[Article]]:
    root = tmp_path_factory.mktemp(request.param)
    settings = Settings(corpus_dir=root / "corpus", index_dir=root / "index")
    if request.param == "seed":
        shutil.copytree(SEED, settings.corpus_dir)
    else:
        _reuters(settings.corpus_dir)
    summary = reindex(settings, progress=False)
    assert not summary.failed
    articles = [a for _, arts in ingest_corpus(settings, progress=False) for a in arts]
    assert len(articles) == summary.articles_total
    return settings, articles


def _day(a: Article) -> dt.date | None:
    p = a.published
    return p.date() if isinstance(p, dt.datetime) else p


def _keep(a: Article, req: SearchRequest, skip: str = "") -> bool:
    """Brute-force filter, skipping one dimension (as facet counts do)."""
    day = _day(a)
    if skip != "source" and req.sources and a.source not in req.sources:
        return False
    if skip != "country" and req.countries and not set(a.countries) & set(req.countries):
        return False
    if skip != "city" and req.cities and not set(a.cities) & set(req.cities):
        return False
    if skip != "language" and req.languages and a.language not in req.languages:
        return False
    if skip != "calendar" and req.year is not None and (day is None or day.year != req.year):
        return False
    if req.date_from and (day is None or a.date_precision != "day" or day < req.date_from):
        return False
    if req.date_to and (day is None or a.date_precision != "day" or day > req.date_to):
        return False
    return True


def _matches(a: Article, word: str) -> bool:
    return not word or terms(word)[0] in set(terms(a.title)) | set(terms(a.text))


def _brute(articles, word, req, skip=""):
    return [a for a in articles if _matches(a, word) and _keep(a, req, skip)]


def _requests(articles: list[Article]) -> list[SearchRequest]:
    countries = Counter(c for a in articles for c in a.countries).most_common(2)
    years = Counter(_day(a).year for a in articles if _day(a)).most_common(1)
    days = sorted(_day(a) for a in articles if _day(a) and a.date_precision == "day")
    reqs = [SearchRequest(query=w) for w in ("", "oil", "security")]
    if countries:
        reqs.append(SearchRequest(query="", countries=[countries[0][0]]))
        reqs.append(SearchRequest(query="oil", countries=[c for c, _ in countries]))
    if years:
        reqs.append(SearchRequest(query="", year=years[0][0], countries=[countries[0][0]]
                                  if countries else []))
    if days:
        mid = days[len(days) // 2]
        reqs.append(SearchRequest(query="", date_from=days[0], date_to=mid))
    return reqs


def test_totals_facets_and_timeline_equal_brute_force(indexed) -> None:
    settings, articles = indexed
    with SearchEngine(settings.replace(facet_limit=1000, few_results=0)) as engine:
        for req in _requests(articles):
            page = engine.search(req)
            hits = _brute(articles, req.query, req)
            assert page.total == len(hits), req
            assert page.undated_count == sum(_day(a) is None for a in hits)
            for facet, value_of in (("source", lambda a: [a.source]),
                                    ("country", lambda a: a.countries),
                                    ("city", lambda a: a.cities),
                                    ("language", lambda a: [a.language])):
                expected = Counter(v for a in _brute(articles, req.query, req, facet)
                                   for v in set(value_of(a)))
                got = {f.value: f.count for f in page.facets[facet] if f.count}
                assert got == dict(expected), (req, facet)
            years = Counter(_day(a).year for a in _brute(articles, req.query, req, "calendar")
                            if _day(a))
            assert {int(f.value): f.count for f in page.facets["year"] if f.count} == dict(years)
            assert sum(b.count for b in page.timeline) == sum(
                1 for a in hits if _day(a) and (page.timeline_unit != "day"
                                                or a.date_precision == "day"))


def test_selected_facet_still_shows_other_values(indexed) -> None:
    settings, articles = indexed
    countries = Counter(c for a in articles for c in a.countries).most_common(2)
    if len(countries) < 2:
        pytest.skip("corpus has fewer than two countries")
    with SearchEngine(settings) as engine:
        page = engine.search(SearchRequest(countries=[countries[0][0]]))
    values = {f.value: f for f in page.facets["country"]}
    assert values[countries[0][0]].selected
    assert countries[1][0] in values


def test_filter_matching_nothing_gives_zero_not_the_unfiltered_total(indexed) -> None:
    settings, _ = indexed
    with SearchEngine(settings) as engine:
        page = engine.search(SearchRequest(query="oil", sources=["no-such-source"]))
    assert page.total == 0 and page.hits == []
