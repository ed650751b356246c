"""Build hostile and broken corpus files: wrong encodings, binary junk, broken HTML, bad JSON lines.

Every generator is deterministic (no randomness without a fixed seed), so a failing test names
the same bytes every run. `CASES` catalogues one file per kind with what ingest must make of it;
tests and benchmarks build corpora from it instead of inventing their own junk.
"""
from __future__ import annotations

import io
import json
import os
import random
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Literal

# A short Russian news item: long enough for encoding detection, with words tests look for.
RU_TITLE = "Выборы в Минске прошли спокойно"
RU_PARAS = (
    "В воскресенье в Минске прошли выборы депутатов местных советов. По данным Центральной "
    "избирательной комиссии, явка избирателей составила более шестидесяти процентов.",
    "Наблюдатели отметили, что голосование проходило спокойно, без серьёзных нарушений. "
    "Участки для голосования открылись в восемь часов утра и работали до восьми вечера.",
    "Окончательные итоги выборов будут объявлены в течение недели, сообщили в избирательной "
    "комиссии столицы.",
)
RU_WORDS = ("Минск", "выборы", "явка избирателей")  # the last only in the body

EN_TITLE = "Leaders meet in Minsk for regional security summit"
EN_PARAS = (
    "Leaders of six countries gathered in Minsk on Thursday for a summit on regional security, "
    "signing agreements on information security and migration.",
    "Officials said the talks were held in open and closed formats and that the next meeting "
    "would take place in Moscow next year.",
    "Analysts called for a wider mandate covering cyber crime, drug trafficking and terrorism.",
)
EN_WORDS = ("Minsk", "summit", "cyber crime")  # the last only in the body


def txt_page(title: str = EN_TITLE, paras: tuple[str, ...] = EN_PARAS) -> str:
    """Return a plain-text page dump laid out like the seed files: title, blank line, paragraphs."""
    return title + "\n\n" + "\n\n".join(paras) + "\n"


def varied_paras(n: int) -> tuple[str, ...]:
    """Return EN_PARAS made unique to document `n`, so no line repeats across a source's files.

    Identical lines in several files of one source are template text and get cleaned away.
    """
    return tuple(f"Story{n}: {p[:-1]}, report {n} said on day {n * 7 % 31 + 1}." for p in EN_PARAS)


def html_page(title: str = EN_TITLE, paras: tuple[str, ...] = EN_PARAS,
              charset: str | None = "utf-8", lang: str = "en") -> str:
    """Return a small but complete news page; `charset` is what its <meta> declares (None: no meta)."""
    meta = f'<meta charset="{charset}">' if charset else ""
    body = "\n".join(f"<p>{p}</p>" for p in paras)
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head>{meta}<title>{title}</title></head>\n'
        f'<body><nav><a href="/">Home</a> <a href="/news">News</a></nav>\n'
        f"<article><h1>{title}</h1>\n{body}\n</article>\n"
        f"<footer>Copyright 2017</footer></body></html>\n"
    )


def encode(text: str, encoding: str) -> bytes:
    """Encode `text`; "utf-16-le+bom" / "utf-16-be+bom" prepend the BOM the plain codecs omit."""
    if encoding == "utf-16-le+bom":
        return b"\xff\xfe" + text.encode("utf-16-le")
    if encoding == "utf-16-be+bom":
        return b"\xfe\xff" + text.encode("utf-16-be")
    return text.encode(encoding)


def lying_html(declared: str, actual: str) -> bytes:
    """Return the Russian page encoded in `actual` while its <meta charset> claims `declared`."""
    return html_page(RU_TITLE, RU_PARAS, charset=declared, lang="ru").encode(actual)


# --- binary files ------------------------------------------------------------------------------

def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bytes(side: int = 16) -> bytes:
    """Return a valid RGB PNG image (signature, IHDR, IDAT, IEND with correct CRCs)."""
    rows = b"".join(b"\x00" + bytes(v for x in range(side) for v in (x * 16 % 256, y * 16 % 256, 128))
                    for y in range(side))
    ihdr = struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", ihdr)
            + _png_chunk(b"IDAT", zlib.compress(rows)) + _png_chunk(b"IEND", b""))


def pdf_bytes() -> bytes:
    """Return a one-page PDF whose content stream is deflated (binary, as real PDFs are)."""
    stream = zlib.compress(b"BT /F1 12 Tf 72 712 Td (Leaders meet in Minsk) Tj ET")
    return (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
            b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n"
            b"3 0 obj\n<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>\nendobj\n"
            + b"4 0 obj\n<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream)
            + stream + b"\nendstream\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n")


def zip_bytes() -> bytes:
    """Return a real ZIP archive holding an HTML page and some noise (as if renamed to .html)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        # Fixed timestamps: writestr(name) would stamp the current time and vary the bytes.
        zf.writestr(zipfile.ZipInfo("index.html", (2017, 11, 30, 0, 0, 0)), html_page())
        zf.writestr(zipfile.ZipInfo("noise.bin", (2017, 11, 30, 0, 0, 0)),
                    random.Random(7).randbytes(2048))
    return buf.getvalue()


def nul_laden_text() -> bytes:
    """Return English text with runs of NUL bytes between words (a broken dump, not UTF-16)."""
    words = txt_page().encode("utf-8").split(b" ")
    return b"\x00\x00\x00\x00".join(words)


def undecodable_bytes(size: int = 4096) -> bytes:
    """Return seeded random bytes: invalid UTF-8, control characters, no plausible encoding."""
    return random.Random(1).randbytes(size)


def text_with_stray_bytes() -> bytes:
    """Return a UTF-8 English page with a few invalid bytes inside: decodable text, not junk."""
    return txt_page().encode("utf-8").replace(b"regional", b"regional\xff\xfe", 1).replace(
        b"formats", b"formats\x81", 1)


# --- broken HTML -------------------------------------------------------------------------------

def truncated_html() -> bytes:
    """Return a page cut off in the middle of a tag after its content began."""
    page = html_page(paras=EN_PARAS + ("The closing paragraph never arrives in this dump.",))
    cut = page.index("<p>The closing")
    return (page[:cut] + '<p class="lead" data-x="unfinis').encode("utf-8")


def malformed_html() -> bytes:
    """Return a page with misnested, unclosed and stray tags, unquoted attributes, two bodies."""
    return (
        "<html><head><title>" + EN_TITLE + "</title><body><body class=x>"
        "<div><p><b>" + EN_PARAS[0] + "</p></b></span>"
        "<p>" + EN_PARAS[1] + "<div><table><tr><td>" + EN_PARAS[2] + "</div></i>"
        "<p <p>>&bogus; &#xZZ; &#99999999;</html></html><p>trailing"
    ).encode("utf-8")


def nested_divs(depth: int = 100_000) -> bytes:
    """Return a page whose text sits inside `depth` nested <div>s."""
    inner = "<p>" + " ".join(EN_PARAS) + "</p>"
    return ("<html><head><title>" + EN_TITLE + "</title></head><body>" + "<div>" * depth
            + inner + "</div>" * depth + "</body></html>").encode("ascii")


def huge_attribute(size: int = 5_000_000) -> bytes:
    """Return a page with one attribute value of `size` bytes next to normal article text."""
    blob = "A" * size
    page = html_page()
    return page.replace("<article>", f'<article data-blob="{blob}">', 1).encode("utf-8")


def wide_page(n: int = 100_000, tag: str = "span") -> bytes:
    """Return a normal article followed by `n` sibling elements (a huge flat listing or widget)."""
    return html_page().replace("</article>", "</article>" + f"<{tag}>x</{tag}>" * n, 1).encode()


def many_lines(n: int = 200_000) -> bytes:
    """Return a text dump of `n` short distinct lines (a log or table pasted as an article)."""
    return (EN_TITLE + "\n\n" + " ".join(EN_PARAS) + "\n"
            + "\n".join(f"Line {i} of the Minsk register." for i in range(n))).encode()


def one_huge_line(size: int = 4_000_000) -> bytes:
    """Return a title and a single paragraph of `size` bytes with no line break."""
    words = " ".join(EN_PARAS) + " "
    return (EN_TITLE + "\n\n" + words * (size // len(words) + 1)).encode()


# --- JSON lines --------------------------------------------------------------------------------

def jsonl(lines: list[dict | str]) -> bytes:
    """Join records (dicts are dumped, strings kept verbatim) into JSON-lines bytes."""
    out = [json.dumps(x, ensure_ascii=False) if isinstance(x, dict) else x for x in lines]
    return ("\n".join(out) + "\n").encode("utf-8")


def good_record(n: int) -> dict:
    """Return a well-formed scraper record whose title and text carry the marker `Story{n}`."""
    return {"title": f"Story{n} {EN_TITLE}", "text": f"Story{n} " + " ".join(EN_PARAS),
            "date": "2017-11-30", "url": f"https://example.org/news/{n}"}


def make_sparse(path: Path, size: int) -> Path:
    """Create a file of `size` bytes that occupies no disk blocks (all zeros, a hole)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as f:
        f.truncate(size)
    return path


def rss_cp1251() -> bytes:
    """A Russian feed in windows-1251, as many Russian outlets still serve theirs."""
    paras = "".join(f"<p>{p}</p>" for p in RU_PARAS)
    return (f'<?xml version="1.0" encoding="windows-1251"?><rss version="2.0"><channel><title>Минск</title>'
            f"<item><title>{RU_TITLE}</title><description><![CDATA[{paras}]]></description></item>"
            f"</channel></rss>").encode("cp1251")


def entity_bomb_feed() -> bytes:
    """A feed whose DTD nests entities ten deep (a billion "lol"s if expanded), around a real item."""
    ents = '<!ENTITY l0 "lol">' + "".join(f'<!ENTITY l{i} "{("&l%d;" % (i - 1)) * 10}">' for i in range(1, 10))
    return (f'<?xml version="1.0"?><!DOCTYPE rss [{ents}]><rss version="2.0"><channel><title>&l9;</title>'
            f"<item><title>{EN_TITLE} &l9;</title><description>{' '.join(EN_PARAS)}</description></item>"
            f"</channel></rss>").encode()


# --- catalogue ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Case:
    """One hostile file and what ingest must make of it."""

    name: str                                   # file name inside the source folder
    make: Callable[[], bytes]
    expect: Literal["indexed", "not_indexed"]
    words: tuple[str, ...] = ()                 # must appear in the articles (indexed cases)
    reason: tuple[str, ...] = ()                # one must appear in the reason (not_indexed cases)


_BINARY = ("binary", "not text", "png", "pdf", "zip", "image", "archive")
CASES: tuple[Case, ...] = (
    Case("utf8_bom.txt", lambda: encode(txt_page(RU_TITLE, RU_PARAS), "utf-8-sig"), "indexed", RU_WORDS),
    Case("utf16le.txt", lambda: encode(txt_page(RU_TITLE, RU_PARAS), "utf-16-le+bom"), "indexed", RU_WORDS),
    Case("utf16be.txt", lambda: encode(txt_page(RU_TITLE, RU_PARAS), "utf-16-be+bom"), "indexed", RU_WORDS),
    Case("cp1251.txt", lambda: encode(txt_page(RU_TITLE, RU_PARAS), "cp1251"), "indexed", RU_WORDS),
    Case("koi8r.txt", lambda: encode(txt_page(RU_TITLE, RU_PARAS), "koi8-r"), "indexed", RU_WORDS),
    Case("lie_utf8_is_cp1251.html", lambda: lying_html("utf-8", "cp1251"), "indexed", RU_WORDS),
    Case("lie_latin1_is_utf8.html", lambda: lying_html("iso-8859-1", "utf-8"), "indexed", RU_WORDS),
    Case("stray_bytes.txt", text_with_stray_bytes, "indexed", EN_WORDS),
    Case("truncated.html", truncated_html, "indexed", EN_WORDS),
    Case("malformed.html", malformed_html, "indexed", EN_WORDS),
    Case("huge_attribute.html", huge_attribute, "indexed", EN_WORDS),
    Case("empty.txt", lambda: b"", "not_indexed", reason=("empty",)),
    Case("whitespace.txt", lambda: b" \n\t\r\n  \n\xc2\xa0\n", "not_indexed",
         reason=("empty", "blank", "whitespace", "no text")),
    Case("image.txt", png_bytes, "not_indexed", reason=_BINARY),
    Case("doc.html", pdf_bytes, "not_indexed", reason=_BINARY),
    Case("archive.html", zip_bytes, "not_indexed", reason=_BINARY),
    Case("random.txt", undecodable_bytes, "not_indexed",
         reason=_BINARY + ("decode", "encoding", "undecodable")),
    Case("report.pdf", pdf_bytes, "not_indexed", reason=("unsupported file type",)),
    Case("letter.docx", zip_bytes, "not_indexed", reason=("unsupported file type",)),
    Case("sheet.xlsx", zip_bytes, "not_indexed", reason=("not a readable .xlsx workbook",)),
    # CSV/TSV exports are read (delimited.py); a header with neither a title nor a text column is reported.
    Case("table.csv", lambda: b"\xef\xbb\xbftitle,text\nMinsk,\"summit\nheld\"\n", "indexed", ("summit",)),
    Case("numbers.csv", lambda: b"a,b\n1,2\n3,4\n", "not_indexed", reason=("no title and no text",)),
    # JSON documents and feeds (json_document.py, feeds.py).
    Case("feed.xml", rss_cp1251, "indexed", RU_WORDS),
    Case("bomb.rss", entity_bomb_feed, "indexed", EN_WORDS),
    Case("deep.json", lambda: b"[" * 200_000 + b"]" * 200_000, "not_indexed", reason=("nested too deeply",)),
    Case("config.json", lambda: b'{"theme": "dark", "users": [{"login": "x"}]}', "not_indexed",
         reason=("no articles found",)),
    Case("sitemap.xml", lambda: b'<?xml version="1.0"?><urlset><url><loc>https://x.example/</loc></url></urlset>',
         "not_indexed", reason=("not an rss or atom feed",)),
)


def write_mixed_corpus(corpus_dir: Path) -> dict[str, str]:
    """Write every hostile kind into one corpus; return rel path -> "indexed" | "not_indexed" | "any".

    Each catalogue case gets its own source folder, so the copies of the same paragraphs across
    cases are not taken for one source's template text. A dotfile is written too: it is not a
    corpus file and must not be reported.
    """
    expect: dict[str, str] = {}

    def put(rel: str, data: bytes, outcome: str | None) -> None:
        path = corpus_dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        if outcome:
            expect[rel] = outcome

    for case in CASES:
        source = Path(case.name).stem.replace("_", "-")
        put(f"{source}/source.toml", f'display_name = "{case.name}"\n'.encode(), None)
        put(f"{source}/{case.name}", case.make(), case.expect)
    good, bad = good_record, '{"title": "broken'
    put("feeds/feed.jsonl", jsonl([good(1), bad, "[1]", {"url": "u"}, good(5)]), "indexed")
    put("feeds/dead.jsonl", jsonl([bad, "42"]), "not_indexed")
    put("dups/a.html", html_page().encode(), "indexed")
    put("dups/copy/a.html", html_page().encode(), "indexed")
    put("deep/deep.html", nested_divs(100_000), "any")
    put("nul/nul.txt", nul_laden_text(), "any")
    put("misc/.DS_Store", b"\x00\x00\x00\x01Bud1", None)
    put("misc/notes.txt", txt_page().encode(), "indexed")
    make_sparse(corpus_dir / "misc/huge.html", 64 * 1024**2)   # over any sane max_file_bytes
    expect["misc/huge.html"] = "not_indexed"
    return expect


# --- faults on file access ---------------------------------------------------------------------

class _CountingFile:
    """Delegate to a real file object, adding up the bytes (or chars) each read returns."""

    def __init__(self, f, guard: "FileFaults", key: str) -> None:
        self._f, self._guard, self._key = f, guard, key

    def _count(self, data):
        self._guard.bytes_read[self._key] = self._guard.bytes_read.get(self._key, 0) + len(data or b"")
        return data

    def read(self, *a):
        return self._count(self._f.read(*a))

    def read1(self, *a):
        return self._count(self._f.read1(*a))

    def readline(self, *a):
        return self._count(self._f.readline(*a))

    def readlines(self, *a):
        lines = self._f.readlines(*a)
        self._count("".join(lines) if lines and isinstance(lines[0], str) else b"".join(lines))
        return lines

    def readinto(self, buf):
        n = self._f.readinto(buf)
        self._guard.bytes_read[self._key] = self._guard.bytes_read.get(self._key, 0) + (n or 0)
        return n

    def __iter__(self):
        for line in self._f:
            yield self._count(line)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return self._f.__exit__(*exc)

    def __getattr__(self, name):
        return getattr(self._f, name)


class FileFaults:
    """Intercept Python-level opens of chosen paths: count bytes read, refuse, or delete first.

    `install(monkeypatch)` wraps builtins.open, io.open, os.open, Path.open, Path.read_bytes and
    Path.read_text. Per path, `mode` is "count" (open normally, add up bytes read), "deny" (raise
    PermissionError, as for a chmod 000 file read by a non-root user) or "vanish" (unlink the file
    at the first open, so it disappears between discovery and reading).
    """

    def __init__(self) -> None:
        self.modes: dict[str, str] = {}
        self.opens: dict[str, int] = {}
        self.bytes_read: dict[str, int] = {}

    def watch(self, path: Path, mode: Literal["count", "deny", "vanish"] = "count") -> str:
        key = os.path.realpath(path)
        self.modes[key] = mode
        return key

    def _before_open(self, file: object) -> str | None:
        if isinstance(file, int):
            return None
        try:
            key = os.path.realpath(os.fspath(file))  # type: ignore[arg-type]
        except TypeError:
            return None
        mode = self.modes.get(key)
        if mode is None:
            return None
        self.opens[key] = self.opens.get(key, 0) + 1
        if mode == "deny":
            raise PermissionError(13, "Permission denied", os.fspath(file))  # type: ignore[arg-type]
        if mode == "vanish" and os.path.exists(key):
            os.unlink(key)
        return key

    def install(self, monkeypatch) -> "FileFaults":
        import builtins
        import pathlib

        real_open, real_os_open = builtins.open, os.open

        def g_open(file, *a, **k):
            key = self._before_open(file)
            f = real_open(file, *a, **k)
            return _CountingFile(f, self, key) if key else f

        def g_os_open(path, flags, *a, **k):
            self._before_open(path)
            return real_os_open(path, flags, *a, **k)

        def g_path_open(self_, mode="r", buffering=-1, encoding=None, errors=None, newline=None):
            return g_open(self_, mode, buffering, encoding, errors, newline)

        def g_read_bytes(self_):
            with g_path_open(self_, "rb") as f:
                return f.read()

        def g_read_text(self_, encoding=None, errors=None):
            with g_path_open(self_, "r", encoding=encoding, errors=errors) as f:
                return f.read()

        monkeypatch.setattr(builtins, "open", g_open)
        monkeypatch.setattr(io, "open", g_open)
        monkeypatch.setattr(os, "open", g_os_open)
        monkeypatch.setattr(pathlib.Path, "open", g_path_open)
        monkeypatch.setattr(pathlib.Path, "read_bytes", g_read_bytes)
        monkeypatch.setattr(pathlib.Path, "read_text", g_read_text)
        return self
