"""Compare queries: counts per period, side by side, under the same filters (search/compare.py, web/compare.py).

On a real index on disk of a corpus written here, with known counts per month and source.
"""
from __future__ import annotations

import json
import re
import time
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest

from searchapp.config import Settings
from searchapp.errors import QueryError
from searchapp.indexing.reindex import reindex
from searchapp.models import SearchRequest
from searchapp.search.budget import Budget
from searchapp.search.compare import Counts, compare
from searchapp.search.service import SearchService
from searchapp.web.app import close_app, create_app
from web_support import audit

# month -> (pipeline articles on the wire, summit articles on the wire, CSTO articles in the daily)
MONTHS = {1: (1, 1, 0), 2: (2, 0, 1), 3: (3, 1, 0), 4: (0, 3, 2), 5: (5, 0, 0)}
HOSTILE = '<script>alert("q")</script> pipeline'


def _records() -> tuple[list[dict], list[dict]]:
    wire, daily = [], []
    for m, (pipe, summit, csto) in MONTHS.items():
        for k in range(pipe):
            wire.append({"title": f"Pipeline talks, round {m}.{k}", "date": f"2021-{m:02d}-{10 + k}",
                         "text": f"Negotiators met again over the gas pipeline route in month {m}; "
                                 "the operator said the route would not change. " * 2})
        for k in range(summit):
            wire.append({"title": f"Leaders meet at the summit {m}.{k}", "date": f"2021-{m:02d}-0{k + 1}",
                         "text": "Leaders gathered for the summit on regional security and trade. " * 2})
        for k in range(csto):
            daily.append({"title": f"CSTO drills {m}.{k}", "date": f"2021-{m:02d}-2{k}",
                          "text": "The CSTO held joint drills near the border, the ministry said. " * 2})
    wire.append({"title": "Pipeline history", "text": "An undated piece on the pipeline's long history. " * 2})
    return wire, daily


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    root = tmp_path_factory.mktemp("compare")
    wire, daily = _records()
    for name, records in (("wire", wire), ("daily", daily)):
        folder = root / "corpus" / name
        folder.mkdir(parents=True)
        (folder / "source.toml").write_text(f'display_name = "The {name.title()}"\nlanguage = "en"\n',
                                            encoding="utf-8")
        (folder / "items.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    settings = Settings(corpus_dir=root / "corpus", index_dir=root / "index")
    reindex(settings, full=True, progress=False)
    return settings


@pytest.fixture(scope="module")
def service(settings: Settings):
    with SearchService(settings) as svc:
        yield svc


@pytest.fixture(scope="module")
def client(settings: Settings):
    app = create_app(settings)
    yield app.test_client()
    close_app(app)


def test_each_query_is_counted_per_month_on_one_timeline(service: SearchService) -> None:
    cmp = service.compare(SearchRequest(), ["pipeline", "summit"])
    assert cmp.unit == "month"
    assert [b.key for b in cmp.buckets] == [f"2021-{m:02d}" for m in MONTHS]
    pipeline, summit = cmp.series
    assert pipeline.counts == [MONTHS[m][0] for m in MONTHS]
    assert summit.counts == [MONTHS[m][1] for m in MONTHS]
    assert (pipeline.total, pipeline.undated) == (sum(v[0] for v in MONTHS.values()) + 1, 1)
    assert summit.undated == 0
    assert pipeline.sources == [{"source": "wire", "name": "The Wire", "count": pipeline.total}]
    assert not cmp.partial and all(s.counted for s in cmp.series)


def test_a_baseline_counts_every_article_the_filters_keep(service: SearchService) -> None:
    cmp = service.compare(SearchRequest(sources=["wire"]), ["summit", ""])
    summit, everything = cmp.series
    assert everything.label == "(all articles)"
    assert everything.counts == [MONTHS[m][0] + MONTHS[m][1] for m in MONTHS]
    assert everything.total == sum(v[0] + v[1] for v in MONTHS.values()) + 1


def test_counts_are_what_each_querys_search_finds(service: SearchService) -> None:
    # The same policy as the results page: names through their aliases (ОДКБ is the CSTO),
    # partial matches when no article has all the words.
    queries = ["ОДКБ", "pipeline summit", "route"]
    cmp = service.compare(SearchRequest(date_from=None), queries)
    for s in cmp.series:
        assert s.total == service.search(SearchRequest(query=s.query)).total, s.query
    assert cmp.series[0].total == sum(v[2] for v in MONTHS.values())
    assert cmp.series[1].total > 0


def test_the_shared_filters_apply_to_every_query(service: SearchService) -> None:
    import datetime as dt
    cmp = service.compare(SearchRequest(date_from=dt.date(2021, 2, 1), date_to=dt.date(2021, 4, 30)),
                          ["pipeline", "CSTO"])
    assert [b.key for b in cmp.buckets] == ["2021-02", "2021-03", "2021-04"]
    assert cmp.series[0].counts == [2, 3, 0] and cmp.series[0].undated == 0
    assert cmp.series[1].counts == [1, 0, 2]


@pytest.mark.parametrize("queries", [["pipeline"], ["a", "b", "c", "d", "e"]])
def test_two_to_four_queries_are_compared(service: SearchService, queries: list[str]) -> None:
    with pytest.raises(QueryError, match="from 2 to 4 queries"):
        service.compare(SearchRequest(), queries)


def test_undated_is_no_filter_of_a_comparison(service: SearchService) -> None:
    with pytest.raises(QueryError, match="undated"):
        service.compare(SearchRequest(undated=True), ["pipeline", "summit"])


def test_queries_share_one_budget_and_one_left_out_says_so() -> None:
    calls = []

    def slow_count(req: SearchRequest, budget: Budget) -> Counts:
        calls.append(req.query)
        time.sleep(0.15)
        return Counts(total=1, periods={"2021": 1, "2021-01": 1, "2021-01-05": 1}, sources=[], notes=[],
                      missing_shards=[], late=False)

    started = time.perf_counter()
    cmp = compare(slow_count, SearchRequest(), ["a", "b", "c"], max_queries=4, limit_s=0.2)
    assert time.perf_counter() - started < 0.5
    assert calls == ["a", "b"]
    assert [s.counted for s in cmp.series] == [True, True, False]
    assert "ran out of time" in cmp.series[2].notes[0]


class _Anchors(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[tuple[str, str]] = []   # (href, aria-label or "")

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.hrefs.append((a["href"], a.get("aria-label") or ""))


def test_each_point_of_the_chart_opens_the_articles_it_counts(client) -> None:
    html = client.get("/compare?q=pipeline&q=summit&source=wire").get_data(as_text=True)
    anchors = _Anchors()
    anchors.feed(html)
    points = [(href, label) for href, label in anchors.hrefs if re.search(r": \d+ articles?$", label)]
    assert len(points) == 2 * len(MONTHS)
    for href, label in points:
        count = int(re.search(r": (\d+) article", label).group(1))
        page = client.get("/api" + href).get_json()
        assert page["total"] == count, (href, label)
        assert parse_qs(urlsplit(href).query)["source"] == ["wire"]


def test_the_api_answers_the_same_counts_with_links(client, service: SearchService) -> None:
    data = client.get("/api/compare?q=pipeline&q=summit&baseline=1").get_json()
    expected = service.compare(SearchRequest(), ["pipeline", "summit", ""])
    assert [s["counts"] for s in data["series"]] == [s.counts for s in expected.series]
    assert [p["key"] for p in data["periods"]] == [b.key for b in expected.buckets]
    assert data["series"][0]["links"]["api"].startswith("/api/search?q=pipeline")
    again = client.get(data["links"]["self"]).get_json()
    assert [s["counts"] for s in again["series"]] == [s["counts"] for s in data["series"]]


@pytest.mark.parametrize("query, message", [
    ("q=a&q=b&q=c&q=d&q=e", "from 2 to 4 queries"),
    ("q=a&q=b&undated=1", "undated"), ("q=a&q=b&from=2021-13", "from is not a real date"),
    ("q=a&q=b&baseline=yes", "baseline must be"), ("q=" + "x" * 501 + "&q=b", "at most 500"),
])
def test_bad_comparisons_get_400_saying_what_is_allowed(client, query: str, message: str) -> None:
    for path in ("/api/compare", "/compare"):
        resp = client.get(f"{path}?{query}")
        assert resp.status_code == 400, (path, query)
        assert message in resp.get_data(as_text=True)


def test_a_range_ending_before_it_starts_counts_nothing_and_says_how_to_fix_it(client) -> None:
    data = client.get("/api/compare?q=pipeline&q=summit&from=2021-04&to=2021-02").get_json()
    assert [s["total"] for s in data["series"]] == [0, 0]
    assert "swap them" in data["notes"][0]


def test_the_page_escapes_the_queries_and_carries_the_filters(client) -> None:
    resp = client.get("/compare", query_string={"q": [HOSTILE, "summit"], "lang": "en"})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert audit(html).problems == []
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html
    assert 'name="lang" value="en"' in html


def test_one_query_gets_the_form_on_the_page_and_a_400_from_the_api(client) -> None:
    html = client.get("/compare?q=pipeline").get_data(as_text=True)
    assert html.count('id="cq') == 4 and "Give 2 to 4 queries" in html and 'value="pipeline"' in html
    resp = client.get("/api/compare?q=pipeline")
    assert resp.status_code == 400 and "from 2 to 4 queries" in resp.get_json()["error"]["message"]


def test_a_results_page_links_to_comparing_its_query(client) -> None:
    html = client.get("/search?q=pipeline&source=wire&sort=newest").get_data(as_text=True)
    anchors = _Anchors()
    anchors.feed(html)
    (href,) = [h for h, _ in anchors.hrefs if h.startswith("/compare?")]
    assert parse_qs(urlsplit(href).query) == {"q": ["pipeline"], "source": ["wire"]}


def test_the_command_line_prints_the_table_and_the_json(settings: Settings, capsys) -> None:
    from searchapp.cli import main

    assert main(["compare", "pipeline", "summit", "--source", "wire", "--index", str(settings.index_dir)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["month", "pipeline", "summit"]
    assert [line.split()[-2:] for line in lines[1:1 + len(MONTHS)]] == [[str(v[0]), str(v[1])] for v in MONTHS.values()]
    assert lines[-1].split() == ["all", str(sum(v[0] for v in MONTHS.values()) + 1), str(sum(v[1] for v in MONTHS.values()))]
    assert main(["compare", "CSTO", "--baseline", "--json", "--index", str(settings.index_dir)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [s["label"] for s in data["series"]] == ["CSTO", "(all articles)"]
    assert main(["compare", "pipeline", "--index", str(settings.index_dir)]) == 2
    assert "from 2 to 4 queries" in capsys.readouterr().err


def test_with_a_baseline_each_count_has_its_share_of_every_article(service: SearchService, client) -> None:
    cmp = service.compare(SearchRequest(sources=["wire"]), ["pipeline", ""])
    pipeline, everything = cmp.series
    assert everything.shares is None
    assert pipeline.shares == [round(MONTHS[m][0] / (MONTHS[m][0] + MONTHS[m][1]), 4) for m in MONTHS]
    assert service.compare(SearchRequest(), ["pipeline", "summit"]).series[0].shares is None
    html = client.get("/compare?q=pipeline&baseline=1&source=wire").get_data(as_text=True)
    assert '<span class="share">50.0%</span>' in html   # January: 1 of 2
    data = client.get("/api/compare?q=pipeline&baseline=1&source=wire").get_json()
    assert data["series"][0]["shares"] == pipeline.shares and data["series"][1]["shares"] is None
