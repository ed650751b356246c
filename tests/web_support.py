"""Build the web tests' corpus and index: the seed articles (tests/fixtures/seeds) plus hostile
articles, on disk.

Also an HTML auditor that finds executable markup in a page: script elements other than our
own static file, on* attributes, style attributes, and links that are neither relative nor
http(s).
"""
from __future__ import annotations

import html
import http.client
import json
import shutil
import socket
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

from searchapp.config import Settings
from seeds import SEEDS

BUNDLED = SEEDS
OUR_SCRIPT = "/static/app.js"

# Each record attacks one place a value reaches the page; "zebrafish" finds them all.
HOSTILE_RECORDS = [
    {"title": "<script>alert('title')</script> Zebrafish report",
     "text": "Zebrafish <img src=x onerror=alert(1)> breed in tanks. <script>alert(2)</script>\n\n"
             "Click <a href=\"javascript:alert(3)\">here</a> and </mark><script>alert(4)</script>",
     "url": "javascript:alert(5)", "author": "<b onmouseover=alert(6)>Mallory</b>",
     "section": "<svg onload=alert(7)>", "date": "2017-07-17", "source_name": "\"><script>x</script>"},
    {"title": "Zebrafish second \" onfocus=\"alert(8)", "text": "Zebrafish &lt;script&gt; literal "
     "entities and <style>body{display:none}</style> style tags. Zebrafish again.",
     "url": "JaVaScRiPt:alert(9)", "date": "2017-08-02"},
    {"title": "Zebrafish with a real link", "text": "Zebrafish farms expand. " + "Ж" * 300,
     "url": "https://example.org/fish?a=1&b=<x>", "date": "2018-03-04"},
    {"title": "Zebrafish protocol-relative", "text": "Zebrafish " + "https://example.org/" + "a" * 300,
     "url": "//evil.example/steal", "date": "2019-01-01"},
    {"title": "Zebrafish data URL", "text": "Zebrafish data.", "url": "data:text/html,<script>x</script>"},
    # The first record run again under another headline: a syndicated copy, so the results page
    # names its copies (outlet, date, "all copies" link) from hostile text.
    {"title": "<i onmouseover=alert(13)>Fish</i> report, again",
     "text": "Zebrafish <img src=x onerror=alert(1)> breed in tanks. <script>alert(2)</script>\n\n"
             "Click <a href=\"javascript:alert(3)\">here</a> and </mark><script>alert(4)</script>",
     "date": "2017-07-18", "source_name": "\"><script>x</script>"},
]


def free_port() -> int:
    """Return a loopback port nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_get(port: int, path: str) -> tuple[int, bytes]:
    """GET a path from a server on 127.0.0.1 over a new connection; return (status, body)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path)
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


def build_corpus(root: Path) -> Path:
    """Copy the seed articles into root and add the hostile source; return the corpus dir."""
    corpus = root / "corpus"
    shutil.copytree(BUNDLED, corpus)
    evil = corpus / "evil"
    evil.mkdir()
    (evil / "source.toml").write_text('display_name = "Evil <b>Source</b>"\nlanguage = "en"\n',
                                      encoding="utf-8")
    # The export escapes its markup, so each article holds the hostile strings above as its text,
    # character for character: an export field with real tags would be read as HTML (its scripts
    # dropped at ingest, tests/test_json_and_feeds.py), and the page's own escaping is what these
    # records are here to attack.
    (evil / "items.jsonl").write_text(
        "".join(json.dumps({k: html.escape(v, quote=False) if isinstance(v, str) else v for k, v in r.items()},
                           ensure_ascii=False) + "\n" for r in HOSTILE_RECORDS), encoding="utf-8")
    (evil / "page.html").write_text(
        "<html><head><title>Zebrafish page <script>alert(10)</script></title></head><body>"
        "<h1>Zebrafish page</h1><p onclick='alert(11)'>Zebrafish in HTML with an "
        "<a href='javascript:alert(12)'>evil link</a> and <iframe src='https://evil.example'>"
        "</iframe> text.</p></body></html>", encoding="utf-8")
    (evil / "binary.txt").write_bytes(b"\x00\x01\x02\xff" * 200)
    return corpus


def build_index(root: Path) -> Settings:
    """Build corpus and index under root; return Settings pointing at them."""
    from searchapp.indexing.reindex import reindex

    settings = Settings(corpus_dir=build_corpus(root), index_dir=root / "index")
    reindex(settings, full=True, progress=False)
    return settings


@dataclass
class Audit(HTMLParser):
    """Collect what in a page could run script or leave the site."""

    problems: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    scripts: list[str] = field(default_factory=list)
    _in_script: bool = False

    def __post_init__(self) -> None:
        HTMLParser.__init__(self, convert_charrefs=True)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("iframe", "object", "embed", "base", "frame", "applet", "style"):
            self.problems.append(f"<{tag}> element")
        if tag == "script":
            src = dict(attrs).get("src")
            self.scripts.append(src or "")
            if src is None or urlsplit(src).path != OUR_SCRIPT or urlsplit(src).netloc:
                self.problems.append(f"script element src={src!r}")
            self._in_script = True
        if tag == "meta" and (dict(attrs).get("http-equiv") or "").lower() == "refresh":
            self.problems.append("meta refresh")
        for name, value in attrs:
            name = name.lower()
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...> event attribute")
            if name == "style":
                self.problems.append(f"<{tag} style=...> inline style")
            if name in ("href", "src", "action", "xlink:href", "formaction", "srcset", "poster"):
                self._check_link(tag, name, value or "")

    def _check_link(self, tag: str, name: str, value: str) -> None:
        self.links.append(value)
        parts = urlsplit(value.strip())
        if parts.scheme:
            if parts.scheme.lower() not in ("http", "https"):
                self.problems.append(f"<{tag} {name}={value!r}> non-http link")
        elif value.strip().startswith("//"):
            self.problems.append(f"<{tag} {name}={value!r}> protocol-relative link off-site")

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.problems.append("inline script text")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False


def audit(html: str) -> Audit:
    """Parse a page and return what the auditor found."""
    a = Audit()
    a.feed(html)
    a.close()
    return a
