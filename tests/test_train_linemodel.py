"""tools/train_linemodel.py's folds and tree options (the training itself needs scikit-learn and the bench set)."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tools import train_linemodel as tl  # noqa: E402


def _pages() -> list[dict]:
    # one big site (as train's transplant host), a few middling ones and many single pages
    sizes = [40, 9, 7, 6, 5, 4, 3, 3, 2, 2] + [1] * 30
    return [{"site": f"site{k}.example"} for k, n in enumerate(sizes) for _ in range(n)]


def test_even_folds_hold_about_the_same_pages_whatever_the_seed():
    pages = _pages()
    for seed in range(5):
        parts = tl.folds(pages, 2, seed=seed, even=True)
        sizes = sorted(len(f) for f in parts)
        assert sizes[1] - sizes[0] <= 1, (seed, sizes)
        # every page once, and a site's pages in one fold
        assert sorted(i for f in parts for i in f) == list(range(len(pages)))
        for f in parts:
            other = {pages[i]["site"] for g in parts if g is not f for i in g}
            assert not {pages[i]["site"] for i in f} & other
    # the seed still changes which sites go together
    assert len({tuple(tl.folds(pages, 2, seed=s, even=True)[0]) for s in range(5)}) > 1
    three = [len(f) for f in tl.folds(pages, 3, seed=1, even=True)]
    assert max(three) == 40 and sum(three) == len(pages)


def test_default_folds_are_the_shipped_models():
    pages = _pages()
    of_site = {s: i % 2 for i, s in enumerate(sorted(sorted({p["site"] for p in pages}), key=tl.hash_site))}
    expected = [[i for i, p in enumerate(pages) if of_site[p["site"]] == f] for f in range(2)]
    assert tl.folds(pages, 2) == expected


def test_tree_options_default_to_the_shipped_recipe(monkeypatch):
    seen = {}

    def stop(argv=None):
        seen.update(tl.GBM)
        raise SystemExit(0)

    monkeypatch.setattr(tl, "load", lambda split: stop())
    saved = dict(tl.GBM)
    try:
        try:
            tl.main(["--no-write"])
        except SystemExit:
            pass
        assert seen == saved
        assert (saved["max_iter"], saved["learning_rate"], saved["min_samples_leaf"]) == (80, 0.1, 40)
        try:
            tl.main(["--no-write", "--max-iter", "160", "--learning-rate", "0.05", "--min-samples-leaf", "20"])
        except SystemExit:
            pass
        assert (seen["max_iter"], seen["learning_rate"], seen["min_samples_leaf"]) == (160, 0.05, 20)
    finally:
        tl.GBM.clear()
        tl.GBM.update(saved)


def test_add_weight_scales_only_the_added_pages_lines():
    import numpy as np

    own = {"lines": ["Menu", "A paragraph of the article."], "labels": [0, 1]}
    added = {**own, "added": True}
    train = [dict(own), dict(added)]
    tl.prepare(train)
    before = [p["w"].copy() for p in train]
    tl.weigh_added(train, 0.5)
    assert np.array_equal(train[0]["w"], before[0])
    assert np.allclose(train[1]["w"], 0.5 * before[1]) and before[1].min() > 0
