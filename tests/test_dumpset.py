"""The dump development set's relabelling: a new teacher moves labels, never the pages."""
from __future__ import annotations

from bench.dumpset import _carry_labels


def test_chrome_copy_takes_its_pages_new_labels_and_inserted_chrome_stays_chrome() -> None:
    page = ["Menu", "Headline of the story", "First paragraph of the story.", "Second paragraph.", "Footer"]
    labels = [0, 1, 1, 1, 0]
    # Chrome went in above the article, after its first paragraph and below it; one inserted line
    # is a copy of a line the page itself has ("Menu"), which must not shift the labels after it.
    copy = ["Главная", "Menu", "Menu", "Headline of the story", "First paragraph of the story.", "Новости",
            "Second paragraph.", "Footer", "Войти"]
    got = _carry_labels(copy, page, labels)
    assert [line for line, y in zip(copy, got) if y] == page[1:4]
    assert got[copy.index("Новости")] == 0 and got[0] == 0 and got[-1] == 0


def _vote_tool():
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "tools" / "vote_labels.py"
    spec = importlib.util.spec_from_file_location("vote_labels", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_ARTICLE = ("The council voted on Tuesday to rebuild the old bridge across the river before winter comes. "
            "Engineers said the work would take four months and close two lanes of traffic in the town centre.")
_TEASER = "Readers also liked this long story about a festival of lanterns held in the northern hills last spring"


def test_voted_labels_keep_a_line_two_of_three_extractors_hold_and_drop_one_only_the_teacher_holds() -> None:
    tool = _vote_tool()
    lines = ["Menu", _ARTICLE, _TEASER, "Footer"]
    teacher = _ARTICLE + "\n" + _TEASER          # the teacher took a teaser in
    page = {"lines": lines, "ref": teacher, "labels": [0, 1, 1, 0]}
    assert tool.vote_labels(page, _ARTICLE, _ARTICLE + " Share") == [0, 1, 0, 0]
    # an extractor that found (almost) nothing abstains: the teacher's labels stand
    assert tool.vote_labels(page, _ARTICLE, "") == [0, 1, 1, 0]
    # a label a hand-written snippet set (unlike the teacher's alignment) is not outvoted
    snippet = dict(page, labels=[1, 1, 1, 0])
    assert tool.vote_labels(snippet, _ARTICLE, _ARTICLE)[0] == 1


def test_voted_reference_is_the_median_count_of_each_token() -> None:
    tool = _vote_tool()
    t = _ARTICLE + " bridge bridge"
    r = _ARTICLE + " bridge"
    n = _ARTICLE + " " + _TEASER
    ref = tool.vote_reference(t, r, n)
    assert ref["bridge"] == 2 and ref["lanterns"] == 0 and ref["council"] == 1
    assert tool.vote_reference(t, "", n) == tool.Counter(tool._tokens(t))



# A pretty-printed page: one source line per element, a link inside the article's paragraph.
_PRETTY = """<html><head><title>Bridge to be rebuilt - Town News</title></head><body>
<nav><a href="/">Home</a> <a href="/news">Latest News</a> <a href="/sport">Sport</a></nav>
<article><h1>Bridge to be rebuilt</h1>
<p>The council voted on Tuesday to rebuild the <a href="/bridge">old bridge</a> across the river before winter comes.</p>
<p>Engineers said the work would take four months and close two lanes of traffic in the town centre.</p>
</article>
<footer><p>Contact us</p>
<p>Privacy policy</p></footer></body></html>"""


def test_gettext_copy_is_read_as_the_ingest_reads_it_and_labelled_against_the_pages_reference() -> None:
    from bench.dumpset import gettext_page, label_lines, render_dump

    lines = render_dump(_PRETTY)
    page = {"id": "x/1", "lines": lines, "labels": label_lines(lines, _ARTICLE), "ref": _ARTICLE, "mixed": False}
    copy = gettext_page(page, _PRETTY)
    assert copy is not None and copy["id"] == "x/1#gettext" and copy["gettext"]
    # get_text() keeps the paragraph with its link on one line (the canonical dump breaks it in three)
    first = "The council voted on Tuesday to rebuild the old bridge across the river before winter comes."
    assert first in copy["lines"] and first not in lines
    # and the menu on the line of its source
    assert "Home Latest News Sport" in copy["lines"]
    body = [line for line, y in zip(copy["lines"], copy["labels"]) if y]
    assert body == [first, _ARTICLE[len(first) + 1:]]
    # a page whose get_text() dump is its canonical dump again adds nothing
    assert gettext_page({**page, "lines": copy["lines"]}, _PRETTY) is None
