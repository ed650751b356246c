"""The search library on a real index: operators, fallbacks, places, sorting, limits, articles."""
from __future__ import annotations

import json
import threading

import pytest

from searchapp.config import Settings
from searchapp.errors import NotFound, QueryError
from searchapp.indexing.reindex import reindex
from searchapp.models import SearchRequest
from searchapp.search.service import SearchService

DOCS = [
    ("Oil prices rise", "Crude oil prices rose after the OPEC meeting in Vienna.", "2017-07-17", "en"),
    ("Gas exports", "Gas exports to Europe grew; oil output was flat.", "2017-07-18", "en"),
    ("Central bank holds rates", "The central bank held interest rates. Economists expected it.", "2016-03-01", "en"),
    ("Bank of England", "The Bank of England said the economy is slowing.", None, "en"),
    ("Выборы в Беларуси", "Выборов президента ждут в Минске. Встреча прошла в Москве.", "2015-10-11", "ru"),
    ("Minsk talks", "Leaders met in Minsk for talks on the government budget.", "2015-02-12", "en"),
]


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    root = tmp_path_factory.mktemp("engine")
    # few_results=0: operators are checked on their own, without partial matches appended.
    settings = Settings(corpus_dir=root / "corpus", index_dir=root / "index", few_results=0)
    src = settings.corpus_dir / "wire"
    src.mkdir(parents=True)
    with open(src / "a.jsonl", "w", encoding="utf-8") as fh:
        for i, (title, text, date, lang) in enumerate(DOCS):
            fh.write(json.dumps({"id": str(i), "title": title, "text": text, "date": date,
                                 "language": lang}, ensure_ascii=False) + "\n")
    reindex(settings, progress=False)
    eng = SearchService(settings)
    yield eng
    eng.close()


def _titles(engine, **kw) -> list[str]:
    return [h.title for h in engine.search(SearchRequest(**kw)).hits]


@pytest.mark.parametrize("query, expected", [
    ("oil", {"Oil prices rise", "Gas exports"}),
    ("oil gas", {"Gas exports"}),
    ("oil -gas", {"Oil prices rise"}),
    ("oil NOT exports", {"Oil prices rise"}),
    ("oil OR rates", {"Oil prices rise", "Gas exports", "Central bank holds rates"}),
    ('"central bank"', {"Central bank holds rates"}),
    ('"bank central"', set()),
    ('"bank of england"', {"Bank of England"}),
    ("econom*", {"Central bank holds rates", "Bank of England"}),
    ("title:bank", {"Central bank holds rates", "Bank of England"}),
    ("body:bank -title:england", {"Central bank holds rates"}),
    ("meetings", {"Oil prices rise"}),               # stemmed: meeting
    ("выборы", {"Выборы в Беларуси"}),               # Russian stem: выбор
    ("language:ru", {"Выборы в Беларуси"}),
    ("source:WIRE oil", {"Oil prices rise", "Gas exports"}),
    ("source:nope oil", set()),
])
def test_operators(engine, query: str, expected: set[str]) -> None:
    assert set(_titles(engine, query=query, page_size=100)) == expected


def test_place_in_any_script_matches_canonical_place(engine) -> None:
    minsk = set(_titles(engine, query="Minsk"))
    assert {"Minsk talks", "Выборы в Беларуси"} <= minsk
    assert set(_titles(engine, query="Минск")) == minsk
    assert "Выборы в Беларуси" in _titles(engine, query="city:Минск")


def test_partial_matches_follow_with_a_note(engine) -> None:
    with SearchService(engine.settings.replace(few_results=3)) as eng:
        none = eng.search(SearchRequest(query="oil zebra"))
        few = eng.search(SearchRequest(query="oil gas gas"))
    assert none.total == 2 and "No article has all" in none.notes[0]
    assert few.total == 2 and "Few articles" in few.notes[0]
    assert few.hits[0].title == "Gas exports"  # the article with all the words comes first


def test_a_long_plain_query_is_ranked_best_match_first(engine) -> None:
    text = "oil gas exports prices rise central bank rates"  # 8 words no article holds together
    page = engine.search(SearchRequest(query=text, page_size=100))
    assert any("long query" in n for n in page.notes)
    titles = [h.title for h in page.hits]
    assert {"Oil prices rise", "Gas exports", "Central bank holds rates"} <= set(titles)
    assert [h.score for h in page.hits] == sorted((h.score for h in page.hits), reverse=True)
    # A short query keeps AND semantics.
    assert set(_titles(engine, query="oil gas")) == {"Gas exports"}


def test_did_you_mean_from_unstemmed_words(engine) -> None:
    with SearchService(engine.settings.replace(few_results=3)) as eng:
        page = eng.search(SearchRequest(query="goverment"))
    assert page.total == 0 and page.suggestion == "government"


def test_sorting_by_date_puts_undated_last(engine) -> None:
    newest = engine.search(SearchRequest(sort="newest", page_size=100)).hits
    assert [h.published for h in newest][:2] == ["2017-07-18", "2017-07-17"]
    assert newest[-1].published is None
    oldest = engine.search(SearchRequest(sort="oldest", page_size=100)).hits
    assert oldest[0].published == "2015-02-12"


def test_date_filters_and_paging(engine) -> None:
    page = engine.search(SearchRequest(year=2017, page_size=1))
    assert page.total == 2 and page.pages == 2 and len(page.hits) == 1
    second = engine.search(SearchRequest(year=2017, page_size=1, page=2))
    assert second.hits[0].id != page.hits[0].id
    import datetime as dt
    ranged = engine.search(SearchRequest(date_from=dt.date(2016, 1, 1), date_to=dt.date(2016, 12, 31)))
    assert [h.title for h in ranged.hits] == ["Central bank holds rates"]
    assert engine.search(SearchRequest(undated=True)).total == 1


@pytest.mark.parametrize("req", [
    SearchRequest(page=0), SearchRequest(page=101), SearchRequest(page_size=101),
    SearchRequest(month=3), SearchRequest(year=2017, month=13), SearchRequest(query="ec*"),
])
def test_requests_outside_limits_raise_query_error(engine, req) -> None:
    with pytest.raises(QueryError):
        engine.search(req)


def test_article_and_more_like_this(engine) -> None:
    hit = engine.search(SearchRequest(query='"central bank"')).hits[0]
    article = engine.get_article(hit.id)
    assert article.title == "Central bank holds rates" and article.published.isoformat() == "2016-03-01"
    similar = engine.more_like_this(hit.id)
    assert similar and hit.id not in {h.id for h in similar}
    with pytest.raises(NotFound):
        engine.get_article("wire/nope-0")


def test_threads_share_one_engine(engine) -> None:
    errors = []

    def work() -> None:
        try:
            for q in ("oil", "bank", "Minsk", "econom*"):
                assert engine.search(SearchRequest(query=q)).total > 0
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors


def test_status(engine) -> None:
    health = engine.health()
    assert health["ok"] and health["doc_count"] == len(DOCS)
    sources = engine.sources()
    assert sources[0]["name"] == "wire" and sources[0]["count"] == len(DOCS)
    assert sources[0]["date_from"] == "2015-02-12" and sources[0]["undated"] == 1
