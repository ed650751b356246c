"""Snippets: the query's words marked as written, everything else escaped, <mark> the only markup."""
from __future__ import annotations

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
    (src / "a.jsonl").write_text(json.dumps({
        "title": "Meetings <script>alert(1)</script>", "text": HOSTILE, "date": "2020-01-02"}) + "\n")
    reindex(settings, progress=False)
    with SearchService(settings) as engine:
        page = engine.search(SearchRequest(query="meeting script"))
    assert page.total == 1
    snippet = page.hits[0].snippet
    assert _only_mark_tags(snippet) and "<mark>Meetings</mark>" in snippet
    assert "<script" not in snippet and "<img" not in snippet
    assert page.hits[0].title.startswith("Meetings <script>")  # plain text: the page escapes it
