"""The line model's shortcuts give exactly what the plain computations they stand for give."""
from __future__ import annotations

import random

import numpy as np
import pytest

from searchapp.ingest import linemodel

# Lines a page may hold, chosen to trip shortcuts: case forms that lower() treats apart (İ, ſ, Σ),
# Cyrillic and mixed scripts, digits of other scripts, separators, blank-looking and very long lines.
LINES = [
    "", " ", "|", " | ", "»", "•••", "—", "_", "__init__", "Home | News | Politics", "Главная / Новости / Политика",
    "KAZ | РУС | ENG", "Share on:", "Поделиться", "Ctrl+Enter", "Read also:", "Читайте также:", "3 comments",
    "Комментарии (12)", "12:30", "03.05.2020", "3 May 2020, 10:14 by Anna Smith", "٣ مايو ٢٠٢٠", "१२:३०",
    "© 2024 Eurasia Wire. All rights reserved.", "При цитировании гиперссылка обязательна", "www.example.kz",
    "İstanbul İSTANBUL", "ſubscribe ſhare", "ΣΊΣΥΦΟΣ σ ς", "ᲀᲁᲂ в В", "Ⅻ Ⓐⓐ ½ ²", "ǅemal ǈubljana",
    "The minister said on Tuesday that the canal would open in the spring, after two years of delays.",
    "Министр заявил во вторник, что канал откроют весной, после двух лет задержек.",
    "Der Minister sagte am Dienstag, dass der Kanal im Frühjahr öffnen werde.",
    "Menu", "MENU", "menu ", "  Menu  ", "Tags: politics, water", "x" * 5000,
    ("Long paragraph, " * 400).strip(), "A" + " b" * 200, "1 2 3 4 5 6 7 8 9 10 11 12", "e-mail: a@b.kz",
]


def _page(rnd: random.Random, size: int) -> list[str]:
    return [rnd.choice(LINES) if rnd.random() < 0.7 else
            "".join(rnd.choice("aZ жЖİıſσΣ1٣.,|:»-_\u00a0\t") for _ in range(rnd.randint(0, 80)))
            for _ in range(size)]


def _reference(model: linemodel.LineModel, lines: list[str], verdicts: list[str | None]) -> np.ndarray:
    scores = linemodel.text_score([linemodel.text_tokens(l) for l in lines], model.vocab, model.bias)
    X1 = linemodel.base_features(lines, verdicts, scores)
    p1 = model.stages[0].predict(X1)
    return model.stages[1].predict(linemodel.stage2_features(X1, p1))


def test_kept_line_values_give_the_page_by_page_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    # The model keeps each line's values across pages (and starts over past a size); every page's
    # probabilities and token weights are those of computing the page alone.
    monkeypatch.setattr(linemodel, "_SCORE_CACHE", 300)
    model = linemodel.LineModel()
    reference = linemodel.LineModel()
    rnd = random.Random(8)
    verdict_choices = [None, None, None, "navigation", "link to another article", "photo caption or credit",
                       "newsletter or social promo", "camera file name", "navigation in another script", "blank"]
    for size in [1, 2, 7, 40, 200, 1] + [rnd.randint(1, 120) for _ in range(40)]:
        lines = _page(rnd, size)
        verdicts = [rnd.choice(verdict_choices) for _ in lines]
        got = model.probabilities(lines, verdicts)
        assert got.tolist() == _reference(reference, lines, verdicts).tolist()
        assert model.token_weights(lines).tolist() == linemodel.token_weights(lines).tolist()
    assert 0 < len(model._table.rows) <= 300 + 200


def test_line_features_do_not_depend_on_the_other_lines() -> None:
    rnd = random.Random(9)
    lines = _page(rnd, 300)
    whole = linemodel.line_features(lines, {})
    ids: dict[str, int] = {}
    parts = [linemodel.line_features(lines[i:i + 37], ids) for i in range(0, len(lines), 37)]
    for name, col in whole.items():
        if name != "key":
            assert np.concatenate([p[name] for p in parts]).tolist() == col.tolist(), name
    # the repeat keys number the same lines alike
    keys = np.concatenate([p["key"] for p in parts])
    assert all((keys == keys[i]).tolist() == (whole["key"] == whole["key"][i]).tolist() for i in range(len(lines)))


def test_lower_case_keeps_word_characters_in_place() -> None:
    # What the token weight and the text score read from the lower-cased words rest on: lower()
    # maps each character to one character, a word character or not as it was, but for İ (two
    # characters), and makes no digit.
    import re
    import sys

    word = re.compile(r"\w")
    longer = []
    for cp in range(sys.maxunicode + 1):
        ch = chr(cp)
        low = ch.lower()
        if len(low) != 1:
            longer.append(ch)
        else:
            assert bool(word.match(ch)) == bool(word.match(low)), hex(cp)
        # and it makes no ASCII digit of anything else (the text score folds the digits it finds)
        assert not any("0" <= c <= "9" for c in low) or low == ch, hex(cp)
    assert longer == ["\u0130"]


def test_text_scores_from_the_shared_words() -> None:
    model = linemodel.load_model()
    lines = LINES + _page(random.Random(10), 400) + ["İİİ " * 100, "a1 b22 c333 " * 40, "x " * 30 + "?"]
    got = linemodel.line_features(lines, {}, (model.vocab, model.bias))
    assert got["score"].tolist() == linemodel.text_score([linemodel.text_tokens(l) for l in lines], model.vocab, model.bias)
    assert got["weight"].tolist() == linemodel.token_weights(lines).tolist()


def test_char_counts_by_table_are_the_class_counts() -> None:
    # Every code point above U+FFFF is in the classes of U+10000 (the table's last entry)...
    high = linemodel._char_masks(np.arange(0x10000, 0x110000, dtype=np.uint32))
    for name, mask in high.items():
        assert (mask == mask[0]).all(), name
    # ...and the table's counts are the counts of the class definitions, line by line.
    rnd = random.Random(11)
    alphabet = list("aZ09_ \t\u00a0,.жЖЁё\u0400\u04ff\u0370\u036f\u00c0\u00d7\u00de\u00df\u00f7\u024f\u0250"
                    "\u2000\u2bff\u2c00\u3000\u303f\u3040\ufe30\uff20\uff21\uffff\U00010000\U0001f600\U0010ffff\ud800")
    heads = LINES + ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 50))) for _ in range(2000)]
    got = linemodel._char_counts(heads)
    for name in linemodel._CHAR_CLASSES:
        want = [int(linemodel._char_masks(np.frombuffer(h.encode("utf-32-le", "surrogatepass"), dtype=np.uint32))[name].sum())
                for h in heads]
        assert got[name].tolist() == want, name
    assert all(col.tolist() == [] for col in linemodel._char_counts([]).values())


def test_shifted_columns_are_the_shifts() -> None:
    rnd = np.random.default_rng(12)
    for n in (1, 2, 3, 7, 50):
        cols = rnd.normal(size=(n, 4))
        offsets = (-3, -2, -1, 1, 2, 3)
        want = np.column_stack([linemodel._shift(cols[:, j], k) for k in offsets for j in range(4)])
        assert np.array_equal(linemodel._shifted(cols, offsets), want)
        p = rnd.random(n)
        want = np.column_stack([linemodel._shift(p, k) for k in linemodel._P_OFFSETS])
        assert np.array_equal(linemodel._shifted(p[:, None], linemodel._P_OFFSETS), want)


def test_separator_counts_are_the_pattern_counts() -> None:
    rnd = random.Random(14)
    alphabet = list("a Ж_|/>»•·.-\u0301İ\t\u00a0") + [" | ", " / ", " » ", " • "]
    lines = LINES + ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 30))) for _ in range(3000)]
    got = linemodel.line_features(lines, {})["separators"]
    assert got.tolist() == [len(linemodel._SEPARATORS.findall(l[:linemodel._HEAD_CHARS])) for l in lines]
    assert got.max() >= 2


def test_capitalised_share_reads_the_split_tokens() -> None:
    import re
    import sys

    # _TOKEN_START ("(?<!\S)\S") starts a token where str.split() does: \s is str.isspace() everywhere.
    space = re.compile(r"\s")
    assert all(bool(space.match(chr(cp))) == chr(cp).isspace() for cp in range(sys.maxunicode + 1))
    rnd = random.Random(15)
    alphabet = list("aA жЖ ǅ\u2028\u0085\x1c\t\u00a0\u3000.1İ") + ["Ab ", "ab "]
    lines = LINES + ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 120))) for _ in range(3000)]
    got = linemodel.line_features(lines, {})["caps"]
    want = []
    for line in lines:
        head = line[:linemodel._HEAD_CHARS]
        words = linemodel._WORD.findall(head.lower())
        firsts = linemodel._TOKEN_START.findall(head) if len(words) <= 40 else [w[:1] for w in words]
        want.append(sum(map(str.isupper, firsts)) / max(1, len(firsts)))
    assert got.tolist() == want
