"""prefix_scan.match_starts finds exactly the match starts finditer finds, however the text is cased."""
from __future__ import annotations

import random
import re
import zlib

import pytest

from searchapp.ingest import clean, linemodel
from searchapp.ingest.prefix_scan import Prefilter, _plan, line_match_starts, match_starts

PATTERNS = [
    linemodel._LEGAL, linemodel._COPYRIGHT, linemodel._UI_WORD, linemodel._URLISH, linemodel._DIGIT,
    re.compile(r"\bfoo|ba(?:r|z)\s*\d|qux", re.I),
    re.compile(r"^abc|xyz$|(?<=a)bc|cd"),          # anchors and lookbehind, case-sensitive
    re.compile(r"ab|b|abab\s*c", re.I),            # prefixes inside one another; a match over a newline
    re.compile(r"(?:sigma σ|kelvin k|long ſ|dotted i)\w*", re.I),
    re.compile(r"σ\w*|copyright", re.I),
    re.compile(r"свидетельств\w* о|в комментариях|эл\s*№", re.I),
]
ALPHABET = list("abcxyzfoqurkisgmS KIΣσςſıİᲀвВсСтТоОдД№ \n\n.()0123©") + ["ab", "abab", "(c)", "bar 1", "Copyright",
                                                                  "ALL RIGHTS RESERVED", "В комментариях", "ЭЛ №"]


def _texts(seed: int, count: int) -> list[str]:
    rnd = random.Random(seed)
    return ["".join(rnd.choice(ALPHABET) for _ in range(rnd.randint(0, 60))) for _ in range(count)]


@pytest.mark.parametrize("pattern", PATTERNS, ids=lambda p: p.pattern[:30])
def test_same_starts_as_finditer(pattern: re.Pattern[str]) -> None:
    fixed = ["", "(c)\n2020 copyright", "All Rights Reserved\nall rights reserved", "ſ and s", "İstanbul ı i",
             "ΣΊΣΥΦΟΣ σ ς", "ΑΣ", "ᲀ в В",
             # letters IGNORECASE matches that lower() does not turn into the prefix's letter
             "ſigma σ", "Copyrıght", "ᲀ комментариях запрещено", "dotted İ", "DOTTED İ", "abab\n c abcab", "xyz\nxyz", "При цитировании гиперссылка обязательна"]
    for text in fixed + _texts(zlib.crc32(pattern.pattern.encode()), 400):
        assert match_starts(pattern, text) == [m.start() for m in pattern.finditer(text)], text


LINE_PATTERNS = PATTERNS + [
    linemodel._TIME, linemodel._URLISH,
    re.compile(r"\b\d{1,2}:\d{2}\b"), re.compile(r"\S+@\S+|foo\s+bar", re.I),   # \s+ crosses lines
    re.compile(r"a\.?b|x(?=\n)|q$", re.M), re.compile(r"\Bb:|^x:|z\W"),
]
LINE_ALPHABET = ALPHABET + ["12:30", "1:5", "a@b.c", "www.", ".com", "ru", "foo \n bar", "x\n", "q", "b:", "z!"]


@pytest.mark.parametrize("pattern", LINE_PATTERNS, ids=lambda p: p.pattern[:30])
def test_same_lines_as_finditer(pattern: re.Pattern[str]) -> None:
    rnd = random.Random(zlib.crc32(pattern.pattern.encode()))
    for _ in range(400):
        text = "".join(rnd.choice(LINE_ALPHABET) for _ in range(rnd.randint(0, 60)))
        line_of = lambda at: text.count("\n", 0, at)  # noqa: E731
        want = {line_of(m.start()) for m in pattern.finditer(text)}
        assert {line_of(at) for at in line_match_starts(pattern, text)} == want, text


def test_phrase_lists_take_the_fast_path() -> None:
    # The point of the module: the line model's phrase lists are scanned by their prefixes.
    for pattern in (linemodel._LEGAL, linemodel._COPYRIGHT, linemodel._UI_WORD):
        assert _plan(pattern).finder is not None, pattern.pattern[:40]
    assert _plan(linemodel._DIGIT).finder is None   # no literal to look for: finditer as it is
    for pattern in (linemodel._TIME, linemodel._URLISH):   # lines holding ':', '@', 'www.'... searched alone
        assert _plan(pattern, "contained").one_line and _plan(pattern, "contained").finder is not None


CLEAN_RULES = [clean._NAV, clean._SOCIAL_ONLY, clean._TYPO_NOTICE, clean._RELATED, clean._CAPTION, clean._CAMERA_FILE,
               clean._PROMO_VERB, clean._SOCIAL]


@pytest.mark.parametrize("pattern", PATTERNS + CLEAN_RULES, ids=lambda p: p.pattern[:30])
def test_prefilter_never_rules_out_a_match(pattern: re.Pattern[str]) -> None:
    pre = Prefilter(pattern)
    texts = ["Share on Facebook", "ſubscribe to our newsletter", "Нашли ошибку? Ctrl+Enter", "Read also: x",
             "Photo: AP", "IMG_1234.jpg", "Follow us on Twitter", "Подпиᲃывайтесь на наш канал", "Menu", "© 2020",
             "İ"] + _texts(zlib.crc32(pattern.pattern.encode()) + 1, 300)
    for text in texts:
        for line in (text, text.split("\n")[0].strip()):
            if pattern.search(line) or pattern.match(line):
                assert pre.may_match(line), line
            if pre.finder is not None and pre.icase and pattern.search(line):
                # what clean.line_verdict does with the finder: lower-case once, guard, then scan
                low = line.lower()
                assert len(low) != len(line) or any(ch in low for ch in pre.unsafe_chars) or pre.finder.search(low)


def test_rules_search_by_their_phrases() -> None:
    # The slow searches of line_verdict use the phrases; they filter the lines that hold none.
    for finder in (clean._TYPO_IN, clean._PROMO_IN, clean._SOCIAL_IN):
        assert finder.pattern
    assert clean._PROMO_IN.search("plain article text about a meeting") is None
    assert clean.line_verdict("Subscribe to our newsletter", "latin") == "newsletter or social promo"
    assert clean.line_verdict("ſubscribe today", "latin") == "newsletter or social promo"   # ſ is s to re


def test_lines_with_matches_a_scan_per_line() -> None:
    import numpy as np

    lines = ["Copyright 2020", "no", "(c)", "2021 here", "все права защищены", "ſome text"] * 3
    got = linemodel._lines_with(linemodel._LEGAL, lines, np.arange(len(lines)), len(lines))
    joined = "\n".join(lines)
    starts = np.cumsum([len(l) + 1 for l in lines]) - [len(l) + 1 for l in lines]
    want = np.zeros(len(lines), dtype=bool)
    for m in linemodel._LEGAL.finditer(joined):
        want[np.searchsorted(starts, m.start(), side="right") - 1] = True
    assert got.tolist() == want.tolist()
    assert got.any()
