"""Property tests: no bytes or text make ingest raise; every file gets a well-formed outcome."""
from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st

import hostile
from searchapp.config import Settings
from searchapp.errors import DecodeError
from searchapp.ingest.decode import decode_bytes
from searchapp.ingest.pipeline import ingest_file, ingest_text
from searchapp.models import Article, SourceConfig

SRC = SourceConfig(name="src", display_name="Source", language="en")
FORMATS = ("txt", "html", "jsonl")
FAST = hyp_settings(max_examples=200, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# Raw bytes biased towards what breaks decoders and parsers: BOMs, binary magic, markup, JSON.
_FRAGMENTS = [b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\x00", b"\x89PNG\r\n\x1a\n", b"%PDF-",
              b"PK\x03\x04", b"<html>", b"<meta charset=koi8-r>", b"<div>", b"</p>", b"<!--",
              b"<script>", b"{", b"}", b'"title":', b"\n", b"\r\n", "Минск".encode("cp1251"),
              "выборы".encode("koi8-r"), "Минск".encode("utf-8"), b"\xd0", b"\x80\x81\xfe"]

# Text biased towards markup and JSON, with control characters and surrogate-free Unicode.
_TOKENS = ["<p>", "</p>", "<div>", "</div>", "<title>", "</title>", "<h1>", "<time datetime='2017-13-45'>",
           "<script type='application/ld+json'>{\"datePublished\": 5}</script>", "&amp;", "&#0;",
           "{", "}", "[", "]", '"title": ', '"text": ', '"date": ', ",", "null", "\n", "\n\n", " ",
           "30 ноября 2017", "March 5", "Minsk", "Минск", "\x00", "\ufeff", "\u2028", "\x85"]
any_text = st.one_of(
    st.text(max_size=1000),
    st.lists(st.one_of(st.sampled_from(_TOKENS), st.text(max_size=20)), max_size=80).map("".join),
)
raw_bytes = st.one_of(
    st.binary(max_size=2048),
    st.lists(st.one_of(st.sampled_from(_FRAGMENTS), st.binary(max_size=16)), max_size=60).map(b"".join),
    # Text that reaches the readers, in the encodings corpus files come in.
    st.tuples(any_text, st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1251", "koi8-r"])).map(
        lambda te: te[0].encode(te[1], errors="replace")),
)


def _check_articles(articles: object) -> None:
    assert isinstance(articles, list)
    for a in articles:
        assert isinstance(a, Article)
        assert set(a.to_json()) == set(Article.FIELDS)
    ids = [a.id for a in articles]
    assert len(ids) == len(set(ids)), ids


@pytest.mark.parametrize("fmt", FORMATS)
@FAST
@given(text=any_text)
def test_ingest_text_never_raises(fmt: str, text: str) -> None:
    _check_articles(ingest_text(text, fmt=fmt, source=SRC, rel_path=f"src/x.{fmt}"))


@FAST
@given(text=st.lists(st.sampled_from([hostile.good_record(1), hostile.good_record(2), "{", "[]",
                                      "null", '{"title": 5, "text": ["a"]}', '{"text": {}}', ""]),
                     max_size=8))
def test_ingest_text_jsonl_mixtures(text: list) -> None:
    data = hostile.jsonl(text).decode("utf-8")
    _check_articles(ingest_text(data, fmt="jsonl", source=SRC, rel_path="src/x.jsonl"))


@FAST
@given(data=raw_bytes, declared=st.sampled_from([None, "utf-8", "cp1251", "koi8-r", "utf-16",
                                                 "x-no-such-charset", ""]), html=st.booleans())
def test_decode_bytes_returns_text_or_raises_decode_error(data: bytes, declared, html: bool) -> None:
    try:
        text, encoding = decode_bytes(data, declared=declared, html=html)
    except DecodeError as err:
        assert str(err).strip()
        return
    assert isinstance(text, str) and isinstance(encoding, str) and encoding


@pytest.fixture(scope="module")
def corpus_root():
    with tempfile.TemporaryDirectory(prefix="ingest-props-") as tmp:
        (Path(tmp) / "src").mkdir()
        yield Path(tmp)


@pytest.mark.parametrize("fmt", FORMATS)
@FAST
@given(data=raw_bytes)
def test_ingest_file_never_raises_and_always_explains(corpus_root: Path, fmt: str, data: bytes) -> None:
    rel = f"src/page.{fmt}"
    (corpus_root / rel).write_bytes(data)
    settings = Settings(corpus_dir=corpus_root, index_dir=corpus_root / "index",
                        max_file_bytes=1500, max_jsonl_line_bytes=400)
    outcome, articles = ingest_file(corpus_root, rel, SRC, settings)
    assert outcome.path == rel
    assert outcome.outcome in ("indexed", "skipped", "failed")
    event(outcome.outcome)
    _check_articles(articles)
    assert outcome.article_ids == [a.id for a in articles]
    assert (outcome.outcome == "indexed") == bool(articles)
    if outcome.outcome != "indexed":
        assert outcome.reason.strip() and "Traceback" not in outcome.reason
        # The pipeline turns its own crashes into "internal error" outcomes: still a bug here.
        assert "internal error" not in outcome.reason.lower(), outcome.reason
    for a in articles:
        assert a.path == rel and a.source == "src"
