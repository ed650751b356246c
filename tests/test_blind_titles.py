"""bench/blind_titles.py: the reader's items never say which string is ours; the score adds up."""
from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import blind_titles  # noqa: E402


def _pages(n_right: int, n_wrong: int) -> list[dict]:
    pages = []
    for k in range(n_right + n_wrong):
        lines = [f"Story {k} headline - Site", "Home", "News", f"Story {k} headline", "Body text line."]
        right = k < n_right
        pages.append({"set": "held-out", "key": f"page-{k}", "lines": lines,
                      "ours": f"Story {k} headline" if right else "News", "control": f"Story {k} headline",
                      "right": right})
    return pages


def _items(out: Path) -> list[dict]:
    return [json.loads(line) for path in sorted(out.glob("items*.jsonl"))
            for line in path.read_text(encoding="utf-8").splitlines()]


def test_items_hide_which_string_is_ours(tmp_path):
    summary = blind_titles.prepare(tmp_path, _pages(40, 6), readers=2)
    assert summary["held-out"] == {"pages": 46, "right": 40, "misses": 6, "sampled": 30}
    rows = _items(tmp_path)
    text = json.dumps(rows)
    assert "ours" not in text and "control" not in text and "page-" not in text and "held-out" not in text
    assert len(rows) == 36   # the 6 misses and the 30 sampled right pages, each once
    key = json.loads((tmp_path / "key" / "key.json").read_text())["key"]
    firsts = [key[r["candidates"][0]["item"]]["role"] for r in rows if len(r["candidates"]) == 2]
    assert len(firsts) == 6 and set(firsts) == {"ours", "control"}   # shuffled, not ours first
    # the context holds the lines around each string, not a marker of its source
    assert all(any("Story" in line for line in r["context"]) for r in rows)


def test_score_counts_headlines_read_blind(tmp_path):
    blind_titles.prepare(tmp_path, _pages(40, 6), readers=1)
    key = json.loads((tmp_path / "key" / "key.json").read_text())["key"]
    verdicts = []
    sampled_bad = 0
    for item, v in key.items():
        if v["kind"] == "sample":
            verdict = "X" if sampled_bad < 3 else "H"   # 3 of the 30 sampled right titles read as chrome
            sampled_bad += verdict == "X"
        elif v["role"] == "ours":
            verdict = "H" if v["page"] in ("page-40", "page-41") else "X"   # 2 of the 6 wrong ones are headlines
        else:
            verdict = "H"
        verdicts.append({"item": item, "verdict": verdict})
    (tmp_path / "verdicts1.jsonl").write_text("\n".join(json.dumps(v) for v in verdicts))
    lines = blind_titles.score(tmp_path)
    assert lines[0] == "verdicts for 42 of 42 strings"
    # 40 right less a tenth read as chrome, plus 2: 38 of 46
    assert "the headline on 38 = 82.6%" in lines[1]
    assert "wrong titles 6: H 2 X 4" in lines[1] and "their labels: H 6" in lines[1]
