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
