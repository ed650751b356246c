"""Experiment: would a learned chooser pick dump headlines better than the rules? (issue 8)

    .venv/bin/python bench/title_chooser.py [--boosted]      # needs the train extra: pip install -e .[train]

For every titled dump page of train and train-extra (bench/dump_titles.py's pages), the lines the
headline search looks at (line 0 to three past the article's first line) are described by 25
features the rules use (position, length, the <title>'s cut and overlap, a date or byline under it,
menu item, a sentence a link cut, shared words with the article, the rules' own pick, ...), and
each is labelled right when it matches the page's headline (token F1 >= 0.8 with the label or its
<h1>/og:title form). A logistic regression (or, with --boosted, gradient-boosted trees) picks
the best-scored line; it is checked on dev-extra, which no title rule was written on. Printed:
pages whose title the rules get right, the model's pick, and pages with a right line among the
candidates at all. Label-noise pages are left out, as bench/dump_titles.py counts them.

Measured 2026-12-03 (98194ab): dev-extra 167 pages: rules 149, logistic 150, boosted 147; a right
line among the candidates on 166. The headline is nearly always there; choosing it is the problem,
and these features do not choose better than the rules. Not shipped.
"""
from __future__ import annotations

import math
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from bench.dump_titles import _pages  # noqa: E402
from bench.dumps import ours, prf, tokens  # noqa: E402
from searchapp.ingest import dump_clean  # noqa: E402
from searchapp.ingest import headline as H  # noqa: E402

_CAPTURED: dict[str, tuple] = {}


def _capture() -> None:
    """Record what the headline search saw on each page (its lines, rules, start and pick)."""
    search = dump_clean._find_title

    def recording(lines: list[str], rule: list, start: int, run_from: int, end: int) -> tuple:
        found = search(lines, rule, start, run_from, end)
        _CAPTURED["page"] = (list(lines), list(rule), start, run_from, found)
        return found

    dump_clean._find_title = recording


def features(lines: list[str], rule: list, start: int, run_from: int, i: int, picked: int | None) -> list[float]:
    """Describe candidate line i as the rules see it."""
    line, words = lines[i], H.word_count(lines[i])
    first, cut, norm = H._norm(lines[0]), H._norm(H.strip_site_name(lines[0])), H._norm(lines[i])
    about = H._stems(" ".join(lines[k] for k in range(start, min(len(lines), start + 6)) if rule[k] is None))
    stems = H._stems(line)
    return [float(v) for v in (
        1.0, i == 0, min(words, 30) / 30, 3 <= words <= 30, words <= 2, math.log1p(max(0, start - i)), i > start,
        rule[i] is None, H.is_candidate(line), H.is_candidate(line, short_ok=True),
        H.dated_below(lines, rule, i, start) if i < start else False, H._signed_below(lines, i),
        norm == cut and bool(cut), H._overlap(norm, cut) if norm and cut else 0.0, bool(norm) and norm in first,
        H.menu_item(lines, i), H._continues(lines, i), H._continued(lines, i), line.isupper(),
        bool(stems & about), len(stems & about) / max(1, len(stems)), run_from <= i <= start,
        line.rstrip().endswith((".", "!", "?")) and words > 12, H.is_candidate_text(line), i == picked)]


def collect(splits: tuple[str, ...]) -> list[dict]:
    """Return, per titled page, its candidates' features and labels and whether the rules were right."""
    rows = []
    for page in _pages(splits):
        _CAPTURED.clear()
        _, title = ours(page)
        if "page" not in _CAPTURED or page["noise"]:
            continue
        lines, rule, start, run_from, found = _CAPTURED["page"]

        def right(text: str) -> bool:
            return any(prf(tokens(text), tokens(f))[2] >= 0.8 for f in page["forms"])

        cands = [i for i in range(min(len(lines), start + 4)) if lines[i].strip() and len(lines[i]) <= 300]
        rows.append({"X": np.array([features(lines, rule, start, run_from, i, found[0]) for i in cands]),
                     "y": np.array([right(lines[i]) for i in cands]), "rules": right(title)})
    return rows


def main() -> None:
    _capture()
    train, check = collect(("train", "train-extra")), collect(("dev-extra",))
    X = np.vstack([r["X"] for r in train])
    y = np.concatenate([r["y"] for r in train])
    if "--boosted" in sys.argv:
        from sklearn.ensemble import HistGradientBoostingClassifier

        model = HistGradientBoostingClassifier(max_depth=4, max_iter=200, learning_rate=0.05, random_state=0).fit(X, y)
        score = lambda rows: model.predict_proba(rows)[:, 1]   # noqa: E731
    else:
        from sklearn.linear_model import LogisticRegression

        model = LogisticRegression(max_iter=2000, class_weight="balanced").fit(X, y)
        score = model.decision_function
    for name, rows in (("train + train-extra", train), ("dev-extra", check)):
        picked = sum(bool(r["y"][int(np.argmax(score(r["X"])))]) for r in rows)
        print(f"{name}: {len(rows)} pages: rules {sum(r['rules'] for r in rows)}, model {picked}, "
              f"a right line among the candidates {sum(bool(r['y'].any()) for r in rows)}")


if __name__ == "__main__":
    main()
