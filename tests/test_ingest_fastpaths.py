"""The ingest's shortcuts give what the plain computations they stand for give."""
from __future__ import annotations

import random
import unicodedata

from searchapp.ingest import language, readers, split


def _strings(seed: int, alphabet: list[str], count: int = 20_000) -> list[str]:
    rnd = random.Random(seed)
    return ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 14))) for _ in range(count)]


def test_squeeze_is_the_space_substitution() -> None:
    alphabet = list("ab яж\t\u00a0\u2000\u200a\u200b\u202f\u205f\u3000x.") + ["  "]
    for block in _strings(1, alphabet):
        assert readers._squeeze(block) == readers._SPACES.sub(" ", block).strip(), repr(block)


def test_character_counts_are_the_counts() -> None:
    alphabet = list("aZ жЖ\u0301\u0903 \t\n中ʻ'1")
    for text in _strings(2, alphabet, 5_000):
        assert language._count(text, lambda ch: unicodedata.category(ch)[0] == "M") == \
            sum(1 for ch in text if unicodedata.category(ch)[0] == "M")
        assert language._count(text, str.isspace) == sum(1 for ch in text if ch.isspace())


def test_listing_header_needs_a_digit() -> None:
    # Lines without a digit, or too long to be a date line or a heading, are no item header.
    assert split._header("Meeting held today", "DMY") is None
    assert split._header("x" * 300 + " 29.03.2024", "DMY") is None
    assert split._header("Meeting held 29.03.2024", "DMY") is not None
    assert split._header("26.07.2024", "DMY") is not None


def test_foreign_script_of_ascii_lines() -> None:
    from searchapp.ingest import clean

    def counted(text: str, doc_script: str) -> bool:
        cyr, lat = len(clean._CYR.findall(text)), len(clean._LAT.findall(text))
        own, other = (cyr, lat) if doc_script == "cyrillic" else (lat, cyr)
        return other > 0 and own < 0.2 * (own + other)

    for text in _strings(3, list("aZ1 .-_жЖé"), 5_000) + ["Menu", "123", "Главная", "ENG"]:
        for doc_script in ("cyrillic", "latin"):
            assert clean.foreign_script(text, doc_script) == counted(text, doc_script), (text, doc_script)


def test_ngrams_are_langdetects() -> None:
    # language._ngrams finds each word's n-grams once: the same as langdetect's own character walk.
    factory = language._factory()
    alphabet = list("abcXYZ жЖяі ,.!-'\n\t中あṻș1") + ["  ", "ABC", "De", "www.x.com ", "a@b.org "]
    for text in _strings(5, alphabet, 3_000) + [" ".join(_strings(6, alphabet, 40)) for _ in range(3)]:
        theirs = factory.create()
        theirs.append(text)
        theirs.cleaning_text()
        assert language._ngrams(factory.create(), text) == theirs._extract_ngrams(), repr(text)


def test_nearest_date_line_reads_the_lines_that_matter() -> None:
    # nearest_date_line reads the lines near the article and a dated list reaching into them: the
    # same answer as reading every line of the page.
    from searchapp.ingest import page_dates as pd

    def every_line(lines: list[str], first: int, last: int, order: str) -> tuple[str, int] | None:
        found_at = [(i, pd.dated_line(line, order) or pd._split_date(lines, i, order)) for i, line in enumerate(lines)]
        found_at = [(i, f) for i, f in found_at if f is not None and not pd.not_the_articles(lines, i)]
        listed = pd._listed([(i, f[0]) for i, f in found_at if pd._unlabelled(lines, i, f)], order)
        best = None
        for i, (raw, cue, update) in found_at:
            if i in listed:
                continue
            cue_above, update_above = pd.label_above(lines, i)
            cue, update = (cue or cue_above) and not update_above, update or update_above
            signed = i - first if i < first else (i - last if i > last else 0)
            if abs(signed) <= pd.MAX_DISTANCE and (best is None or (update, 0 if cue else 1, abs(signed)) < best[0]):
                best = ((update, 0 if cue else 1, abs(signed)), raw, signed)
        return (best[1], best[2]) if best else None

    pool = ["12 March 2021", "3 May 2020", "Published: 4 May 2020", "Updated: 5 May 2020", "Dec", "21", "2018",
            "Teaser heading", "A sentence of the article that goes on and on.", "Joined May 11, 2017", "Updated:",
            "04/05/2019", "Menu"]
    dated = ["12 March 2021", "3 May 2020", "04/05/2019", "7 June 2018"]
    prose = ["Teaser heading", "A sentence of the article that goes on and on.", "Menu"]
    rnd = random.Random(7)
    for _ in range(3_000):
        lines = [rnd.choice(pool) for _ in range(rnd.randint(1, 160))]
        first = rnd.randrange(len(lines))
        last = rnd.randrange(first, len(lines))
        if rnd.random() < 0.7:
            # prose with a list of dated teasers across the edge of what can date the article
            lines = [rnd.choice(prose) for _ in range(len(lines) + 2 * pd.MAX_DISTANCE)]
            first, last = first + pd.MAX_DISTANCE, last + pd.MAX_DISTANCE
            at = rnd.choice([first - pd.MAX_DISTANCE - 8, last + pd.MAX_DISTANCE - 4]) + rnd.randint(0, 6)
            for _ in range(rnd.randint(2, 5)):
                if 0 <= at < len(lines):
                    lines[at] = rnd.choice(dated)
                at += rnd.randint(1, 5)
        for order in ("DMY", "MDY"):
            assert pd.nearest_date_line(lines, first, last, order=order) == every_line(lines, first, last, order)
