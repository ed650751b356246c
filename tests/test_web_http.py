"""HTTP done properly, over the real server: compression, validators and 304s, static caching."""
from __future__ import annotations

import gzip
import http.client
import json
import re
from collections.abc import Iterator
from urllib.parse import urlsplit

import brotli
import pytest

from searchapp.config import Settings
from searchapp.serve import Running, start_in_thread
from web_support import build_index


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return build_index(tmp_path_factory.mktemp("http"))


@pytest.fixture(scope="module")
def server(settings: Settings) -> Iterator[Running]:
    running = start_in_thread(settings)
    yield running
    running.stop()


def get(server: Running, path: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    """Send one GET over a real socket; return status, headers (lower-case names), raw body."""
    conn = http.client.HTTPConnection(urlsplit(server.url).netloc, timeout=30)
    try:
        conn.request("GET", path, headers=headers)
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
    finally:
        conn.close()


@pytest.mark.parametrize("encoding, decode", [("gzip", gzip.decompress),
                                              ("br", brotli.decompress)])
@pytest.mark.parametrize("path", ["/search?q=csto", "/api/search?q=csto&size=20"])
def test_html_and_json_are_compressed_when_asked(server: Running, path: str, encoding: str,
                                                 decode) -> None:
    _, _, plain = get(server, path)
    status, headers, body = get(server, path, **{"Accept-Encoding": encoding})
    assert status == 200 and headers["content-encoding"] == encoding
    assert "accept-encoding" in headers["vary"].lower()
    assert len(body) < len(plain) / 2, (len(body), len(plain))
    # Same page apart from the timing line.
    assert re.sub(rb"took[^,<]*", b"", decode(body)) == re.sub(rb"took[^,<]*", b"", plain)
    assert headers["content-security-policy"].startswith("default-src 'none'")


def test_no_compression_without_accept_encoding(server: Running) -> None:
    status, headers, body = get(server, "/api/search?q=csto")
    assert status == 200 and "content-encoding" not in headers
    json.loads(body)


def test_conditional_requests_get_304_until_the_index_changes(server: Running,
                                                              settings: Settings) -> None:
    from searchapp.indexing.reindex import reindex

    for path in ("/search?q=csto", "/api/search?q=csto", "/article/nope-not-there", "/help"):
        status, headers, _ = get(server, path)
        if status != 200:
            assert "etag" not in headers and headers["cache-control"] == "no-store", path
            continue
        etag, modified = headers["etag"], headers["last-modified"]
        assert etag.startswith('W/"') and headers["cache-control"] == "no-cache"
        for extra in ({"Accept-Encoding": "br"}, {"Accept-Encoding": "gzip"}, {}):
            status, again, body = get(server, path, **{"If-None-Match": etag}, **extra)
            assert status == 304 and body == b"", (path, extra)
            assert again["etag"] == etag and "content-security-policy" in again
        assert get(server, path, **{"If-Modified-Since": modified})[0] == 304
        assert get(server, path, **{"If-None-Match": 'W/"something-else"'})[0] == 200

    status, before, _ = get(server, "/search?q=csto")
    extra = settings.corpus_dir / "evil" / "walrus-http.txt"
    extra.write_text("Walrus sighting\n\nA walrus was seen near the pier.\n", encoding="utf-8")
    try:
        reindex(settings, progress=False)
        status, after, _ = get(server, "/search?q=csto", **{"If-None-Match": before["etag"]})
        assert status == 200 and after["etag"] != before["etag"]
    finally:
        extra.unlink()
        reindex(settings, progress=False)


def test_an_alias_table_edit_changes_the_validators(server: Running, settings: Settings) -> None:
    # The desk's alias table is read again when it changes, without a commit: pages change too.
    status, before, _ = get(server, "/search?q=csto")
    table = settings.corpus_dir / "aliases.toml"
    table.write_text('"CSTO" = ["Collective Security Treaty Organization"]\n', encoding="utf-8")
    try:
        status, after, _ = get(server, "/search?q=csto", **{"If-None-Match": before["etag"]})
        assert status == 200 and after["etag"] != before["etag"]
    finally:
        table.unlink()


def test_health_is_never_cached(server: Running) -> None:
    status, headers, _ = get(server, "/healthz")
    assert status == 200 and headers["cache-control"] == "no-store" and "etag" not in headers


def test_static_files_are_fingerprinted_and_cached_for_a_year(server: Running) -> None:
    _, _, html = get(server, "/help")
    urls = re.findall(rb'(?:href|src)="(/static/[^"]+)"', html)
    assert {u.split(b"?")[0] for u in urls} == {b"/static/style.css", b"/static/app.js",
                                                 b"/static/favicon.svg"}
    for url in urls:
        assert re.search(rb"\?v=[0-9a-f]{12}$", url), url
        status, headers, body = get(server, url.decode(), **{"Accept-Encoding": "br"})
        assert status == 200 and body
        assert headers["cache-control"] == "public, max-age=31536000, immutable"
        # A stale or missing fingerprint is not promised for a year.
        stale = url.decode().split("?")[0] + "?v=000000000000"
        assert get(server, stale)[1]["cache-control"] == "no-cache"
    css = [u for u in urls if u.startswith(b"/static/style.css")][0].decode()
    status, headers, body = get(server, css, **{"Accept-Encoding": "br"})
    assert headers.get("content-encoding") == "br" and b"--ink" in brotli.decompress(body)


def raw_request(server: Running, data: bytes) -> tuple[int, dict[str, str], bytes]:
    """Send bytes no HTTP library would send; return status, headers, body of the answer."""
    import socket
    host, port = urlsplit(server.url).netloc.split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(data)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    head, _, body = b"".join(chunks).partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.lower().split(": ", 1) for line in lines[1:])
    return int(lines[0].split()[1]), headers, body


@pytest.mark.parametrize("request_line, extra, status, words", [
    (b"GET /api/search?q=\xd0\x9c\xd0\xb8\xd0\xbd\xd1\x81\xd0\xba HTTP/1.1", b"", 400,
     "percent-encode"),
    (b"GET /api/search?q=\xff HTTP/1.1", b"", 400, "percent-encode"),
    (b"GET /api/search HTTP/1.1", b"Content-Length: abc\r\n", 400, "Content-Length"),
    (b"GET /api/search HTTP/1.1", b"Transfer-Encoding: gzip\r\n", 501, "Transfer-Encoding"),
    (b"GET /healthz HTTP/1.1", b"Bad Header\r\n", 400, "header"),
])
def test_requests_waitress_refuses_get_the_json_error_and_our_headers(
        server: Running, request_line: bytes, extra: bytes, status: int, words: str) -> None:
    got, headers, body = raw_request(
        server, request_line + b"\r\nHost: x\r\n" + extra + b"Connection: close\r\n\r\n")
    assert got == status
    assert headers["content-type"] == "application/json"
    error = json.loads(body)["error"]
    assert error["status"] == status and words in error["message"]
    assert headers["content-security-policy"].startswith("default-src 'none'")
    assert headers["x-content-type-options"] == "nosniff" and headers["cache-control"] == "no-store"


def test_a_page_waitress_refuses_gets_the_html_error_page(server: Running) -> None:
    got, headers, body = raw_request(
        server, b"GET /search?q=\xd0\x9c HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert got == 400 and headers["content-type"].startswith("text/html")
    assert b"<h1" in body and b"percent-encode" in body
    assert "content-security-policy" in headers
