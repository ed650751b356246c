"""The pages and the JSON API through Flask's test client, on a real index of the bundled corpus."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from searchapp.config import Settings
from searchapp.web.app import close_app, create_app
from searchapp.web.params import LIST_PARAMS, SCALAR_PARAMS
from web_support import build_index


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return build_index(tmp_path_factory.mktemp("web"))


@pytest.fixture(scope="module")
def client(settings: Settings):
    app = create_app(settings)
    yield app.test_client()
    close_app(app)


class Links(HTMLParser):
    """Collect <a> elements as (href, text, attrs) and form inputs by name."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.anchors: list[tuple[str, str, dict]] = []
        self.inputs: dict[str, str] = {}
        self._open: list[list] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = dict(attrs)
        if tag == "a":
            self._open.append([a.get("href", ""), "", a])
        if tag == "input" and a.get("name") and a.get("name") not in self.inputs:
            self.inputs[a["name"]] = a.get("value", "")

    def handle_data(self, data: str) -> None:
        for item in self._open:
            item[1] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._open:
            href, text, attrs = self._open.pop()
            self.anchors.append((href, " ".join(text.split()), attrs))


def links(html: bytes) -> Links:
    p = Links()
    p.feed(html.decode())
    return p


def api(client, url: str) -> dict:
    r = client.get(url)
    assert r.status_code == 200, r.get_json()
    return r.get_json()


def test_search_page_shows_results_and_keeps_the_query(client) -> None:
    r = client.get("/search?q=president")
    assert r.status_code == 200 and r.mimetype == "text/html"
    page = links(r.data)
    assert page.inputs["q"] == "president"
    data = api(client, "/api/search?q=president")
    assert data["total"] > 1
    text = r.data.decode()
    assert f"of {data['total']} articles" in text and re.search(r"\d+ ms", text)
    titles = [(h, t) for h, t, a in page.anchors if h.startswith("/article/")]
    assert [t for _, t in titles[:len(data["hits"])]] == [h["title"] for h in data["hits"]]
    assert all("q=president" in h for h, _ in titles)
    assert "<mark>" in text  # the highlighted snippet


def test_home_page_lists_everything(client) -> None:
    r = client.get("/")
    assert r.status_code == 200
    assert api(client, "/api/search")["total"] == api(client, "/api/search?q=")["total"] > 5


def test_choosing_a_facet_narrows_and_its_chip_removes_it(client) -> None:
    page = links(client.get("/search?q=csto").data)
    before = api(client, "/api/search?q=csto")["total"]
    country = next((h, t) for h, t, a in page.anchors if "country=" in h)
    href = country[0]
    chosen = parse_qs(urlsplit(href).query)["country"][0]
    narrowed = api(client, "/api/search?" + urlsplit(href).query)
    assert 0 < narrowed["total"] <= before
    assert all(chosen in h["countries"] for h in narrowed["hits"])
    chips = [a for a in links(client.get(href).data).anchors if a[2].get("class") == "chip"]
    assert len(chips) == 1 and chosen in chips[0][1]
    assert api(client, "/api/search?" + urlsplit(chips[0][0]).query)["total"] == before


def test_year_month_and_undated_buckets(client) -> None:
    data = api(client, "/api/search")
    year = data["facets"]["year"][0]
    by_year = api(client, f"/api/search?year={year['value']}")
    assert by_year["total"] == year["count"] and "month" in by_year["facets"]
    month = by_year["facets"]["month"][0]
    by_month = api(client, f"/api/search?year={year['value']}&month={int(month['value'])}")
    assert by_month["total"] == month["count"]
    undated = api(client, "/api/search?undated=1")
    assert undated["total"] == data["undated_count"] > 0
    assert all(h["published"] is None for h in undated["hits"])
    html = client.get("/search").data.decode()
    assert "Date unknown" in html and "undated=1" in html


def test_date_range_and_sort(client) -> None:
    newest = api(client, "/api/search?sort=newest&size=50")
    dates = [h["published"] for h in newest["hits"] if h["published"]]
    assert dates == sorted(dates, reverse=True) and len(dates) > 3
    oldest = api(client, "/api/search?sort=oldest&size=50")
    odates = [h["published"] for h in oldest["hits"] if h["published"]]
    assert odates == sorted(odates)
    ranged = api(client, "/api/search?from=2018-01-01&to=2024-07-19&size=50")
    assert ranged["total"] > 0
    assert all("2018-01-01" <= h["published"] <= "2024-07-19" for h in ranged["hits"])
    assert ranged["total"] == sum(1 for d in dates if "2018-01-01" <= d <= "2024-07-19")
    html = client.get("/search?from=2018-01-01&to=2024-07-19").data.decode()
    assert 'value="2018-01-01"' in html and "From: 2018-01-01" in html


def test_pagination(client) -> None:
    first = api(client, "/api/search?size=2")
    second = api(client, "/api/search?size=2&page=2")
    assert first["pages"] >= 3 and first["links"]["next"].endswith("size=2&page=2")
    assert {h["id"] for h in first["hits"]}.isdisjoint(h["id"] for h in second["hits"])
    page = links(client.get("/search?size=2&page=2").data)
    rels = {a[2].get("rel"): a[0] for a in page.anchors if a[2].get("rel")}
    assert rels == {"prev": "/search?size=2", "next": "/search?size=2&page=3"}


def test_did_you_mean_and_fallback_note(client) -> None:
    data = api(client, "/api/search?q=presidnet")
    assert data["suggestion"] == "president"
    page = links(client.get("/search?q=presidnet").data)
    assert ("/search?q=president", "president") in [(h, t) for h, t, _ in page.anchors]
    html = client.get('/search?q="unclosed').data.decode()
    assert "could not be read as written" in html


def test_timeline_bars_narrow_to_their_period(client) -> None:
    data = api(client, "/api/search")
    html = client.get("/search").data.decode()
    assert "<svg" in html and f"Articles by {data['timeline_unit']}" in html
    bars = [a for a in links(html.encode()).anchors if a[2].get("class") == "bar"]
    counted = [b for b in data["timeline"] if b["count"]]
    assert len(bars) == len(counted)
    for bar, bucket in zip(bars, counted):
        assert bar[2]["aria-label"] == f"{bucket['label']}: {bucket['count']} article" + \
            ("s" if bucket["count"] != 1 else "")
        narrowed = api(client, "/api/search?" + urlsplit(bar[0]).query)
        assert narrowed["total"] == bucket["count"]


def test_help_page(client) -> None:
    html = client.get("/help").data.decode()
    for piece in ('"a phrase"', "OR", "-word", "prefix*", "field:value", "country"):
        assert piece in html.replace("&#34;", '"').replace("&quot;", '"')


def test_help_examples_are_queries_the_parser_takes(client) -> None:
    """Each example on /help is a search link whose syntax is read as written (no fallback).

    That they find articles on the bundled corpus was checked against an index of corpus/ built
    apart (tests never read corpus/); here only that they are well-formed searches.
    """
    html = client.get("/help").data.decode()
    parser = Links()
    parser.feed(html)
    examples = [href for href, _, _ in parser.anchors if href.startswith("/search?q=")]
    assert len(examples) >= 12
    for href in examples:
        data = api(client, "/api" + href)
        assert not any("searched" in n and "instead" in n or "is not a field" in n
                       for n in data["notes"]), (href, data["notes"])


def test_article_page(client) -> None:
    hit = api(client, "/api/search?q=president&size=1")["hits"][0]
    r = client.get(f"/article/{hit['id']}?q=president")
    assert r.status_code == 200
    html = r.data.decode()
    art = api(client, f"/api/articles/{hit['id']}")["article"]
    assert art["published_raw"] and f"from “{art['published_raw']}”" in html
    assert art["source_name"] in html and "More like this" in html
    assert "<mark>" in html and "Results for “president”" in html
    plain = client.get(f"/article/{hit['id']}").data.decode()
    assert "<mark>" not in plain


def test_article_page_collapses_removed_lines_and_shows_provenance(client) -> None:
    ids = [h["id"] for h in api(client, "/api/search?size=50")["hits"]]
    arts = [api(client, f"/api/articles/{i}")["article"] for i in ids]
    with_removed = next(a for a in arts if a["removed"])
    html = client.get(f"/article/{with_removed['id']}").data.decode()
    assert f"Lines removed by cleaning ({len(with_removed['removed'])})" in html
    assert "<details" in html
    undated = next(a for a in arts if a["published"] is None)
    assert "Unknown" in client.get(f"/article/{undated['id']}").data.decode()


def test_sources_page_lists_counts_and_problem_files(client) -> None:
    html = client.get("/sources").data.decode()
    data = api(client, "/api/sources")
    assert {s["name"] for s in data["sources"]} >= {"csto", "evil", "kazinform"}
    for s in data["sources"]:
        assert f"source={s['name']}" in html
    assert any(p["path"] == "evil/binary.txt" and p["reason"] for p in data["problems"])
    assert "evil/binary.txt" in html and data["last_reindex"]["generation"] in html


def test_openapi_document_describes_every_api_route(client) -> None:
    doc = api(client, "/api/openapi.json")
    assert doc["openapi"].startswith("3.")
    app_routes = {re.sub(r"<(?:path:|int:)?(\w+)>", r"{\1}", r.rule) for r in client.application.url_map.iter_rules()
                  if r.rule.startswith("/api/") or r.rule == "/healthz"}
    assert app_routes == set(doc["paths"])
    params = doc["paths"]["/api/search"]["get"]["parameters"]
    names = {p["name"] for p in params if p["name"] != "period"}
    # The date parameters form one exploded object, so the rules that bind them can be stated.
    names |= set(next(p for p in params if p["name"] == "period")["schema"]["properties"])
    assert names == set(SCALAR_PARAMS) | set(LIST_PARAMS)
    refs = re.findall(r'"\$ref": "#/components/schemas/(\w+)"', client.get("/api/openapi.json").data.decode()
                      .replace('":"', '": "'))
    assert refs and set(refs) <= set(doc["components"]["schemas"])


def test_api_article_and_404s(client) -> None:
    hit = api(client, "/api/search?size=1")["hits"][0]
    data = api(client, hit["links"]["api"])
    assert data["article"]["id"] == hit["id"] and isinstance(data["article"]["body"], list)
    for url in ("/api/articles/nope", "/article/nope", "/api/articles/csto/000000000000-0"):
        r = client.get(url)
        assert r.status_code == 404
    assert client.get("/api/articles/nope").get_json()["error"]["status"] == 404


@pytest.mark.parametrize("query, status, words", [
    ("page=abc", 400, "page must be a whole number from 1 to 100"),
    ("page=0", 400, "from 1 to 100"),
    ("page=101", 400, "from 1 to 100"),
    ("size=101", 400, "size must be a whole number from 1 to 100"),
    ("from=2017-02-31", 400, "not a real date"),
    ("to=soon", 400, "YYYY-MM-DD"),
    ("sort=random", 400, "sort must be one of relevance, newest, oldest"),
    ("q=" + "x" * 501, 400, "at most 500"),
    ("q=a*", 400, "at least 3 letters"),
    ("q=" + "+".join(f"w{i}" for i in range(40)), 400, "at most 32"),
])
def test_bad_parameters_get_400_saying_what_is_allowed(client, query: str, status: int,
                                                       words: str) -> None:
    for path in ("/search", "/api/search"):
        r = client.get(f"{path}?{query}")
        assert r.status_code == status, (path, query)
        body = r.data.decode()
        assert words in body.replace("&#39;", "'") and "Traceback" not in body
    err = client.get(f"/api/search?{query}").get_json()["error"]
    assert err["status"] == status and words in err["message"]
    html = client.get(f"/search?{query}").data.decode()
    assert 'role="alert"' in html and 'name="q"' in html


def test_a_range_ending_before_it_starts_answers_empty_with_a_note(client) -> None:
    data = client.get("/api/search?q=csto&from=2019-01-01&to=2018-01-01").get_json()
    assert data["total"] == 0 and data["hits"] == []
    assert any("is after to" in n and "swap them" in n for n in data["notes"])
    html = client.get("/search?q=csto&from=2019-01-01&to=2018-01-01").data.decode()
    assert "swap them" in html and "No articles found" in html


def test_api_snippets_come_as_html_and_as_plain_text(client) -> None:
    hits = client.get("/api/search?q=zebrafish&size=50").get_json()["hits"]
    assert hits
    for hit in hits:
        html, text = hit["snippet"], hit["snippet_text"]
        assert re.sub(r"</?mark>", "", html).replace("&lt;", "<").replace("&gt;", ">") \
            .replace("&quot;", '"').replace("&#x27;", "'").replace("&#39;", "'") \
            .replace("&amp;", "&") == text
    marked = [h for h in hits if "<mark>" in h["snippet"]]
    assert marked and all("<mark>" not in h["snippet_text"] for h in marked)
    # The hostile text comes back as the characters it was, for a program to escape itself.
    assert any("<script>" in h["snippet_text"] or "<img" in h["snippet_text"] for h in hits)


def test_unexpected_errors_are_logged_and_shown_plainly(settings: Settings, caplog) -> None:
    class Broken:
        def search(self, req):
            raise RuntimeError("secret internal detail")

        def close(self) -> None:
            pass

    app = create_app(settings, engine=Broken())  # a fault injected on purpose
    c = app.test_client()
    for url in ("/search?q=x", "/api/search?q=x"):
        r = c.get(url)
        assert r.status_code == 500
        body = r.data.decode()
        assert "secret internal detail" not in body and "Traceback" not in body
        assert "went wrong" in body
    assert "secret internal detail" in caplog.text


def test_unknown_route_and_method(client) -> None:
    assert client.get("/nowhere").status_code == 404
    r = client.post("/search")
    assert r.status_code == 405 and "GET" in r.headers["Allow"]
    assert client.post("/api/search").get_json()["error"]["status"] == 405


def test_no_index_gives_503_then_a_reindex_is_picked_up_without_restart(tmp_path: Path) -> None:
    from searchapp.indexing.reindex import reindex
    from web_support import build_corpus

    settings = Settings(corpus_dir=build_corpus(tmp_path), index_dir=tmp_path / "index")
    app = create_app(settings)
    c = app.test_client()
    try:
        health = c.get("/healthz")
        assert health.status_code == 503 and health.get_json()["status"] == "unavailable"
        for url in ("/search?q=x", "/", "/sources", "/article/csto/x-0"):
            r = c.get(url)
            assert r.status_code == 503 and b"index" in r.data
        assert c.get("/api/search").get_json()["error"]["status"] == 503
        reindex(settings, progress=False)
        health = c.get("/healthz").get_json()
        assert health["status"] == "ok" and health["doc_count"] > 5
        assert health["generation"] and health["last_commit"]
        before = c.get("/api/search?q=walrus").get_json()["total"]
        assert before == 0
        extra = settings.corpus_dir / "evil" / "walrus.txt"
        extra.write_text("Walrus sighting\n\nA walrus was seen near the pier on 3 May 2020.\n",
                         encoding="utf-8")
        reindex(settings, progress=False)  # incremental: the same app sees it
        assert c.get("/api/search?q=walrus").get_json()["total"] == 1
        reindex(settings, full=True, progress=False)  # a new generation: still seen
        assert c.get("/api/search?q=walrus").get_json()["total"] == 1
    finally:
        close_app(app)


def test_security_headers_on_every_response(client) -> None:
    urls = ["/", "/search?q=x", "/search?page=abc", "/help", "/sources", "/nowhere",
            "/api/search", "/api/openapi.json", "/healthz", "/static/style.css", "/static/app.js",
            "/article/nope"]
    for url in urls:
        h = client.get(url).headers
        csp = h["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp, url
        assert "frame-ancestors 'none'" in csp
        assert h["X-Content-Type-Options"] == "nosniff"
        assert h["Referrer-Policy"] == "same-origin"


def test_app_creation_does_no_work_and_releases_files(settings: Settings) -> None:
    import os

    def fds() -> int:
        return len(os.listdir("/proc/self/fd"))

    missing = Settings(index_dir=Path("/nonexistent/index"), corpus_dir=Path("/nonexistent"))
    create_app(missing)  # opens nothing, so a missing index is no error until a request
    warm = create_app(settings)
    warm.test_client().get("/search?q=president")
    close_app(warm)
    baseline = fds()
    for _ in range(50):
        app = create_app(settings)
        assert app.test_client().get("/search?q=president").status_code == 200
        close_app(app)
    assert fds() <= baseline + 2


def test_healthz_answers_fast_while_the_engine_is_busy(settings: Settings) -> None:
    import threading
    import time

    from searchapp.search.service import SearchService

    class Slow(SearchService):
        """The real engine whose health() waits, as behind a long search (a fault injected)."""

        gate = threading.Event()

        def health(self):
            self.gate.wait(5)
            return super().health()

    engine = Slow(settings)
    app = create_app(settings, engine=engine)
    c = app.test_client()
    try:
        t = time.perf_counter()
        r = c.get("/healthz")
        assert time.perf_counter() - t < 2
        assert r.status_code == 200 and r.get_json()["busy"] is True
        assert r.get_json()["generation"]
        Slow.gate.set()
        time.sleep(0.1)
        r = c.get("/healthz").get_json()
        assert r["doc_count"] > 5 and "busy" not in r
    finally:
        Slow.gate.set()
        close_app(app)


def test_a_page_past_the_last_one_says_so(client) -> None:
    pages = api(client, "/api/search?size=5")["pages"]
    html = client.get(f"/search?size=5&page={pages + 3}").data.decode()
    assert "past the last page" in html and f"size=5&amp;page={pages}" in html
