"""Snippets: the query's words marked as written, everything else escaped, <mark> the only markup."""
from __future__ import annotations

import html
import json
import re

import pytest

from searchapp.config import Settings
from searchapp.indexing.reindex import reindex
from searchapp.models import SearchRequest
from searchapp.search.service import SearchService
from searchapp.search.snippets import Matcher, highlight

HOSTILE = ('Minister said <script>alert("x")</script> and <img src=x onerror=alert(1)> '
           'before the Meetings & "talks" <mark>fake</mark> in Минске.')


def _only_mark_tags(html: str) -> bool:
    return all(tag in ("<mark>", "</mark>") for tag in re.findall(r"<[^>]*>", html))


@pytest.mark.parametrize("words, marked", [
    (["meeting"], ["Meetings"]),                  # inflection and case as written in the text
    (["meetings", "talks"], ["Meetings", "talks"]),
    (["минск"], ["Минске"]),
    (["script"], ["script", "script"]),           # text words, escaped, never live tags
    (["the"], []),                                # stop words are never marked
])
def test_marks_words_as_written_and_escapes_everything_else(words, marked) -> None:
    out = highlight(HOSTILE, Matcher.for_words(words), 400)
    assert re.findall(r"<mark>(.*?)</mark>", out) == marked
    assert _only_mark_tags(out)
    assert "<script" not in out and "<img" not in out
    text = re.sub(r"</?mark>", "", out)
    assert "&lt;script&gt;" in text and "onerror=alert(1)&gt;" in text
    assert "&lt;mark&gt;fake&lt;/mark&gt;" in text


def test_prefix_marks_words_starting_with_it() -> None:
    out = highlight("Economy and economists disagree", Matcher.for_words([], ["econom"]), 100)
    assert re.findall(r"<mark>(.*?)</mark>", out) == ["Economy", "economists"]


def test_window_moves_to_the_matches_and_stays_near_the_limit() -> None:
    text = "filler " * 200 + "the central bank raised rates " + "tail " * 200
    out = highlight(text, Matcher.for_words(["bank", "rates"]), 120)
    assert "<mark>bank</mark>" in out and "<mark>rates</mark>" in out
    assert out.startswith("…") and out.endswith("…")
    assert len(re.sub(r"</?mark>", "", out)) <= 125


def test_engine_snippet_of_hostile_article_is_inert(settings: Settings) -> None:
    src = settings.corpus_dir / "evil"
    src.mkdir(parents=True)
    # escaped in the export, so the article's text holds the markup as characters (a field with
    # real tags is read as HTML at ingest, its script dropped)
    (src / "a.jsonl").write_text(json.dumps({
        "title": html.escape("Meetings <script>alert(1)</script>", quote=False),
        "text": html.escape(HOSTILE, quote=False), "date": "2020-01-02"}) + "\n")
    reindex(settings, progress=False)
    with SearchService(settings) as engine:
        page = engine.search(SearchRequest(query="meeting script"))
    assert page.total == 1
    snippet = page.hits[0].snippet
    assert _only_mark_tags(snippet) and "<mark>Meetings</mark>" in snippet
    assert "<script" not in snippet and "<img" not in snippet
    assert page.hits[0].title.startswith("Meetings <script>")  # plain text: the page escapes it


TRICKY = [
    "The U.S. said u.s oil; US oil-rich don't don’t Oil's OIL. oil.",
    "toil boil oil soil oily oils OIL",
    "Ёлка и ёлки: Ёжик в Минске, минский Минск. ОДКБ",
    "İstanbul oil talks in İzmir; oil.",                   # lowercasing changes the length
    "a" * 300 + " oil " + "b.c.d " * 80 + "oil.gas oil",
    "3.5 per cent, 3.5% and 35 oil 3.5.",
]


@pytest.mark.parametrize("text", TRICKY)
@pytest.mark.parametrize("query, prefixes", [
    (["oil"], []), (["u.s", "oil"], []), (["don't"], []), (["минск", "ёлка"], []),
    (["istanbul"], []), ([], ["oi"]), (["3.5"], []), (["gas"], ["b.c"]),
])
def test_marks_exactly_the_words_a_word_by_word_reading_finds(text, query, prefixes) -> None:
    # The snippet finds marked words through one regex over the folded text; it must mark
    # exactly the words that splitting the text word by word (the index's own rule) finds.
    from searchapp.search.snippets import _hits, _hits_by_word
    from searchapp.text import fold
    match = Matcher.for_words(query, prefixes)
    by_word = _hits_by_word(text, match)
    if len(fold(text)) == len(text):
        assert _hits(fold(text), match) == by_word
    marked = re.findall(r"<mark>(.*?)</mark>", highlight(text, match, max_chars=10_000))
    assert [html.unescape(m) for m in marked] == [text[s:e] for s, e, _ in by_word]
