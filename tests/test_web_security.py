"""Hostile articles, hostile queries and hostile paths through the real app: nothing executable."""
from __future__ import annotations

import socket
from urllib.parse import quote, unquote_to_bytes

import pytest
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from searchapp.config import Settings
from searchapp.web.app import close_app, create_app
from web_support import audit, build_index


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return build_index(tmp_path_factory.mktemp("websec"))


@pytest.fixture(scope="module")
def client(settings: Settings):
    app = create_app(settings)
    yield app.test_client()
    close_app(app)


def assert_inert(html: str, where: str) -> None:
    found = audit(html)
    assert not found.problems, (where, found.problems)
    assert [src.split("?")[0] for src in found.scripts] == ["/static/app.js"], where


def evil_ids(client) -> list[str]:
    data = client.get("/api/search?source=evil&size=50").get_json()
    assert data["total"] >= 5  # the hostile records were indexed, so the test attacks something
    return [h["id"] for h in data["hits"]]


def test_hostile_articles_render_inert_everywhere(client) -> None:
    pages = ["/search?q=zebrafish", "/search?q=zebrafish&size=50&sort=newest",
             "/search?source=evil", "/sources", "/search?q=script", "/search?q=alert",
             "/search?q=onerror"]
    pages += [f"/article/{i}" for i in evil_ids(client)]
    pages += [f"/article/{i}?q=zebrafish+script+alert" for i in evil_ids(client)]
    for url in pages:
        r = client.get(url)
        assert r.status_code == 200, url
        assert_inert(r.data.decode(), url)
    html = client.get("/search?q=zebrafish&size=50").data.decode()
    assert "&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;" in html  # shown, as text


def test_article_links_only_to_http_originals(client) -> None:
    by_title = {}
    for i in evil_ids(client):
        art = client.get(f"/api/articles/{i}").get_json()["article"]
        by_title[art["title"]] = (i, art["url"])
    good_id, good_url = by_title["Zebrafish with a real link"]
    html = client.get(f"/article/{good_id}").data.decode()
    assert 'href="https://example.org/fish?a=1&amp;b=&lt;x&gt;"' in html
    assert 'rel="noopener noreferrer nofollow"' in html
    for title in ("Zebrafish protocol-relative", "Zebrafish data URL"):
        i, url = by_title[title]
        html = client.get(f"/article/{i}").data.decode()
        assert "Original" not in html and "evil.example" not in html.split("<main")[1].split(
            'class="body"')[0]


@pytest.mark.parametrize("query", [
    "<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "javascript:alert(1)",
    "' onmouseover='alert(1)", "</title><script>x</script>", "<svg/onload=alert(1)>",
    "zebrafish <script>", "title:<b>", "%3Cscript%3E",
])
def test_hostile_queries_are_shown_as_text(client, query: str) -> None:
    for path in ("/search", "/article/csto/nope-0"):
        for params in (f"q={quote(query)}", f"q=zebrafish&country={quote(query)}",
                       f"q=zebrafish&from={quote(query)}", f"q={quote(query)}&page=abc"):
            r = client.get(f"{path}?{params}")
            assert r.status_code in (200, 400, 404), (path, params)
            assert_inert(r.data.decode(), f"{path}?{params}")
    assert client.get(f"/api/search?q={quote(query)}").status_code in (200, 400)


@pytest.mark.parametrize("url", [
    "/article/../../etc/passwd", "/article/..%2f..%2fetc%2fpasswd",
    "/article/%2e%2e/%2e%2e/etc/passwd", "/article/%252e%252e%252fetc%252fpasswd",
    "/api/articles/../../../etc/passwd", "/api/articles/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "/static/../../../etc/passwd", "/static/%2e%2e/%2e%2e/config.py", "/static/..%2fapp.py",
    "//evil.example", "//evil.example/search", "/%2F%2Fevil.example", "/\\evil.example",
    "/article//evil.example", "/article/%2F%2Fevil.example", "/article/\x00", "/article/" + "a" * 5000,
])
def test_paths_never_escape_or_redirect_off_site(client, url: str) -> None:
    # As a real server sees the request line: PATH_INFO is the percent-decoded path, and a
    # leading // is a path, not a host (the test client would read it as a host).
    path = unquote_to_bytes(url).decode("latin-1")
    r = client.get("/", environ_overrides={"PATH_INFO": path, "REQUEST_URI": url})
    assert r.status_code in (200, 400, 404), url
    assert b"root:" not in r.data and b"import " not in r.data
    location = r.headers.get("Location", "")
    assert not location.startswith("//") and "evil.example" not in location, location
    if r.mimetype == "text/html":
        assert_inert(r.data.decode(), url)


def test_raw_request_lines_on_the_real_server(settings: Settings) -> None:
    from searchapp.serve import start_in_thread

    server = start_in_thread(settings)
    port = int(server.url.rsplit(":", 1)[1])
    try:
        for target in ("//evil.example", "//evil.example/search", "/article//evil.example",
                       "/article/../../etc/passwd", "/static/../../etc/passwd", "/search/",
                       "/search?q=%ff%00"):
            with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
                sock.sendall(f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                             "Connection: close\r\n\r\n".encode())
                data = b""
                while chunk := sock.recv(65536):
                    data += chunk
            head = data.split(b"\r\n\r\n", 1)[0].decode("latin-1")
            status = int(head.split()[1])
            assert status in (200, 400, 404), (target, head)
            assert "location:" not in head.lower(), (target, head)
            assert b"root:" not in data
    finally:
        server.stop()


def test_invalid_utf8_and_control_characters(client) -> None:
    for q in ("%ff%fe%fd", "%00%01", "%c3%28", "a%0d%0aSet-Cookie:%20x=1"):
        for path in ("/search", "/api/search"):
            r = client.get(f"{path}?q={q}")
            assert r.status_code in (200, 400), (path, q)
            assert "Set-Cookie" not in r.headers


queries = st.text(st.characters(blacklist_categories=("Cs",)), max_size=120)
values = st.one_of(queries, st.integers(-10**12, 10**12).map(str), st.sampled_from(
    ["", "0", "-1", "abc", "2017-02-30", "9999-12-31", "0001-01-01", "newest", "1", "true"]))
names = st.sampled_from(["q", "page", "size", "sort", "from", "to", "year", "month", "day",
                         "undated", "source", "country", "city", "lang", "other"])


@hsettings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(names, values), max_size=6), st.sampled_from(["/search", "/api/search"]))
def test_fuzzed_parameters_never_5xx(client, pairs, path) -> None:
    query = "&".join(f"{quote(k)}={quote(v, safe='')}" for k, v in pairs)
    r = client.get(f"{path}?{query}")
    assert r.status_code in (200, 400), (query, r.data[:300])
    if r.status_code == 400:
        message = (r.get_json()["error"]["message"] if path.startswith("/api")
                   else r.data.decode())
        assert message and "Traceback" not in message


@pytest.mark.parametrize("html", [
    "<script>alert(1)</script>", '<script src="https://evil.example/x.js"></script>',
    '<img src=x onerror="alert(1)">', '<a href="javascript:alert(1)">x</a>',
    '<a href=" JAVASCRIPT:alert(1)">x</a>', '<a href="//evil.example">x</a>',
    '<iframe src="https://x"></iframe>', '<svg><a xlink:href="data:text/html,x">y</a></svg>',
    '<p style="background:url(x)">', '<meta http-equiv="refresh" content="0;url=//x">',
    '<form action="javascript:x">',
])
def test_the_auditor_catches_executable_markup(html: str) -> None:
    assert audit(html).problems


def test_markup_is_trusted_in_exactly_one_place() -> None:
    """Templates never use |safe or turn autoescaping off; only web/markup.py builds Markup."""
    from pathlib import Path

    import searchapp.web as web

    root = Path(web.__file__).parent
    for path in (root / "templates").glob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert "|safe" not in text.replace(" ", "") and "autoescape" not in text, path.name
    for path in root.glob("*.py"):
        if path.name != "markup.py":
            assert "Markup(" not in path.read_text(encoding="utf-8"), path.name
    assert "|highlighted" in (root / "templates" / "search.html").read_text(encoding="utf-8")
