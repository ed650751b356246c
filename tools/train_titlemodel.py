"""Train (and cross-validate) the learned choice among a dump's headline candidates.

    .venv/bin/python tools/train_titlemodel.py [--recall] [--cv] [--softmax L2 ...] [--out searchapp/data/titlemodel.npz]
    .venv/bin/python tools/train_titlemodel.py --cache --judge L2 MARGIN [--judge-splits dev-extra dev]

Pages: bench/dumpset.py's train and train-extra splits (the splits title rules may be written on),
without Collection5 transplants and without noisy labels (bench/dump_titles.py: a label no dump
line states, or one several pages of a site share). dev and test are never loaded; dev-extra is
scored only by bench/dump_titles.py (whole figures).

Each page goes through the whole ingest once with headline choice recorded: the lines, rules,
article start and the rule system's pick that dump_clean._find_title saw. Candidates and features
come from searchapp/ingest/headline_choice.py; a candidate is right when the title it would
give (its line with the site's name cut, as extract.py does) matches the label as the bench
judges (token F1 >= 0.8 with the label or its <h1>/og:title form). `--recall` prints the rule
system's accuracy beside the candidates' recall (the ceiling). `--cv` compares the rules with the
model on folds grouped by site. The model is pointwise (a gradient-boosted tree ensemble on
"this candidate is right"); the page's title is the best-scoring candidate when it beats the
rule pick's score by a margin, else the rule pick; `--pairwise` tries a model of "this candidate
is right and the rule pick wrong" over (candidate, pick) pairs instead.

Measured 2026-12-02 on the tree of titles10 (`--recall --cv --pairwise --alone --importance`; 991
pages of 530 sites: train + train-extra without Collection5 and noisy labels; 5 folds by site):
- rules 925/991 = 93.3%; some candidate right on 980 = 98.9% (the ceiling; 22 candidates a page
  at the median); the cut line stands in for the ingest's title on 942 of 944 rule picks.
- pointwise trees (100 trees of depth 3, 38 features): 915 (margin 0), 919, 922, 927 (margin 1.5,
  the best, chosen on these same folds: +2 pages, 8 picks changed), 926, 925 (margin 3).
- pairwise switch: 905-925, never above the rules; logistic regression pointwise 905-921.
- the model without the rules' verdicts: 795 = 80.2%. In-sample it reaches only 931.
- what it reads: the rule pick (144 pages lost when shuffled), the overlap with the <title> (71),
  a byline or date under it (11), repeats in the page (9), menu item (7).
No clear gain over the rules, so nothing ships and dev-extra was not measured. The rules were
written on these pages: of their 66 errors here, chrome taken for the headline (a section menu
item, a site name) is a minority; most are labels naming the site or a section, a standfirst or
subheading as the label, CJK titles, or composed pages whose label is a line in another language.
These labels cannot teach a model the chrome errors left on unseen sites.

Measured again 2026-12-02 evening (title14, on the tree of 5fcf93b; 992 pages, 530 sites, 5 folds
by site), with five features of the line model added (the line's probability, kept or not, its
neighbours' probabilities, its rank by probability among the candidates) and `--softmax`, a
conditional logit (one linear score per candidate, softmax within the page, L2 penalty on
standardised features; the page's title is the best candidate when it beats the rule pick's
score by a margin):
- rules 934/992 = 94.2%; some candidate right 981 = 98.9%.
- pointwise trees (43 features): 910 (margin 0) ... 934 (margins 2, 3): never above the rules.
- conditional logit: 937 (+3: one page gained in each of three folds, no fold lost) over a
  plateau (l2 10 with margins 0-1; l2 3 with margins 1-2; l2 0.1-1 with margin 2); 929-936
  elsewhere. The same with the 38 features before (no line-model features): 937 too, so the line
  model's probability adds nothing. What it changes (l2 10, margin 0.5, 7 pages of 992): 3 gained
  (a long standfirst-like label picked over the rules' shorter heading; the site's <title> over a
  section name), 4 from right to right or wrong to wrong.
- the deciding run (`--judge 10 0.5`, chosen on the CV plateau before the run; shipping rule
  fixed before it: dev-extra +3 pages, dev's title figure not lower, CV not lower): dev-extra
  150 -> 151 of 170 (1 pick changed), dev titles 122 -> 121 of 198 (9 picks changed; body: pages
  under 0.5 F1 13 -> 14, teacher pages' mean F1 0.870 -> 0.866). Fails: nothing ships.
- cost: the features take 8.4 ms a page in Python (headline_run, is_candidate, menu_item per
  candidate), against a budget of 0.3 ms (the dump ingest runs ~5.5 ms a page).
`--judge` patches the ingest in-process (dump_clean._find_title and the line model's outputs);
nothing in searchapp/ reads the model.
"""
from __future__ import annotations

import argparse
import pickle
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.dump_titles import _pages, _right  # noqa: E402
from bench.dumps import ours  # noqa: E402
from searchapp.ingest import dump_clean, headline, linemodel  # noqa: E402
from tools import titlemodel_features as headline_choice  # noqa: E402

SEED = 11
GBM = dict(max_iter=100, learning_rate=0.1, max_depth=3, max_leaf_nodes=8, min_samples_leaf=20,
           l2_regularization=1.0, early_stopping=False, random_state=SEED)
MARGINS = (0.0, 0.5, 1.0, 1.5, 2.0, 3.0)


def record(page: dict) -> dict | None:
    """Run the ingest on `page`, returning what _find_title saw and the title the ingest gave."""
    seen: list[tuple] = []
    probs: list = []
    real = dump_clean._find_title
    real_p = linemodel.LineModel.probabilities
    real_keep = linemodel.expected_f1_keep

    def spy_p(self, lines, verdicts):  # type: ignore[no-untyped-def]
        out = real_p(self, lines, verdicts)
        probs.append(out)
        return out

    def spy_keep(p, w, *a, **k):  # type: ignore[no-untyped-def]
        out = real_keep(p, w, *a, **k)
        probs.append(out)
        return out

    def spy(lines, rule, start, run_from, end):  # type: ignore[no-untyped-def]
        out = real(lines, rule, start, run_from, end)
        seen.append((list(lines), list(rule), start, run_from, out, [np.array(x) for x in probs]))
        return out

    dump_clean._find_title = spy
    linemodel.LineModel.probabilities = spy_p
    linemodel.expected_f1_keep = spy_keep
    try:
        title = ours(page)[1]
    finally:
        dump_clean._find_title = real
        linemodel.LineModel.probabilities = real_p
        linemodel.expected_f1_keep = real_keep
    if len(seen) != 1 or len(probs) != 2:
        return None
    lines, rule, start, run_from, (pick, joined, _), (p, keep) = seen[0]
    t0 = len(p) - len(lines)   # (_find_title reads the lines from the <title> line on)
    return {"lines": lines, "rule": rule, "start": start, "run_from": run_from, "pick": pick,
            "joined": joined, "title": title, "p": np.asarray(p)[t0:], "keep": np.asarray(keep)[t0:]}


def text_of(rec: dict, i: int) -> str:
    """Return the title the ingest would give with candidate line `i` as the headline (its site name cut)."""
    lines = rec["lines"]
    if i == rec["pick"] or (rec["pick"] is None and i == 0):
        return rec["title"]
    if i > 0 and headline.stated_whole(lines[0], lines[i]):
        return lines[i]
    return headline.strip_site_name(lines[i])


def prepare() -> list[dict]:
    pages = [p for p in _pages(("train", "train-extra")) if not p["noise"]]
    out = []
    for p in pages:
        rec = record(p)
        if rec is None:
            continue
        cands = headline_choice.candidates(rec["lines"], rec["start"])
        pick = rec["pick"] if rec["pick"] is not None else 0
        if pick not in cands:
            cands.append(pick)
        approx = rec["joined"] is None and (pick == 0 or not headline.stated_whole(rec["lines"][0], rec["lines"][pick]))
        rec.update(site=p["site"], id=p["id"], cands=cands, pick_at=cands.index(pick),
                   approx_ok=_right(headline.strip_site_name(rec["lines"][pick]), p["forms"]) if approx else None,
                   rule_ok=_right(rec["title"], p["forms"]),
                   y=np.array([_right(text_of(rec, i), p["forms"]) for i in cands]),
                   X=headline_choice.features(rec["lines"], rec["rule"], rec["start"], rec["run_from"], pick, cands,
                                                     rec["p"], rec["keep"]))
        out.append(rec)
    return out


def fit(recs: list[dict]):
    from sklearn.ensemble import HistGradientBoostingClassifier

    X = np.concatenate([r["X"] for r in recs])
    y = np.concatenate([r["y"] for r in recs])
    clf = HistGradientBoostingClassifier(**GBM)
    clf.fit(X, y)
    return clf


class Softmax:
    """A conditional logit over a page's candidates (one linear score each, softmax within the page), L2-penalised."""

    def __init__(self, l2: float = 1.0) -> None:
        self.l2 = l2

    def fit(self, recs: list[dict]) -> "Softmax":
        from scipy.optimize import minimize

        X = np.concatenate([r["X"] for r in recs])
        self.mu, self.sd = X.mean(0), X.std(0) + 1e-9
        pages = [((r["X"] - self.mu) / self.sd, r["y"].astype(bool)) for r in recs if r["y"].any()]
        Xs = np.concatenate([x for x, _ in pages])
        Y = np.concatenate([y for _, y in pages])
        bounds = np.cumsum([0] + [len(y) for _, y in pages])
        seg = np.repeat(np.arange(len(pages)), np.diff(bounds))

        def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
            s = Xs @ w
            m = np.maximum.reduceat(s, bounds[:-1])[seg]
            e = np.exp(s - m)
            z_all = np.add.reduceat(e, bounds[:-1])
            z_pos = np.add.reduceat(e * Y, bounds[:-1])
            val = -np.sum(np.log(z_pos) - np.log(z_all)) + self.l2 * w @ w
            q_all = e / z_all[seg]
            q_pos = e * Y / z_pos[seg]
            grad = Xs.T @ (q_all - q_pos) + 2 * self.l2 * w
            return float(val), grad

        res = minimize(loss, np.zeros(Xs.shape[1]), jac=True, method="L-BFGS-B", options={"maxiter": 500})
        self.w = res.x
        return self

    def decision_function(self, X: np.ndarray) -> np.ndarray:
        return ((X - self.mu) / self.sd) @ self.w


def choose(scores: np.ndarray, pick_at: int, margin: float) -> int:
    best = int(np.argmax(scores))
    return best if scores[best] > scores[pick_at] + margin else pick_at


def folds(recs: list[dict], k: int) -> list[int]:
    import hashlib

    sites = sorted({r["site"] for r in recs}, key=lambda s: hashlib.md5(s.encode()).hexdigest())
    fold_of = {s: n % k for n, s in enumerate(sites)}
    return [fold_of[r["site"]] for r in recs]


def cross_validate(recs: list[dict], k: int = 5, make=None) -> None:
    fold = folds(recs, k)
    raw = [None] * len(recs)
    for f in range(k):
        clf = (make or fit)([r for r, g in zip(recs, fold) if g != f])
        for n, (r, g) in enumerate(zip(recs, fold)):
            if g == f:
                raw[n] = clf.decision_function(r["X"])
    n = len(recs)
    rules = sum(r["rule_ok"] for r in recs)
    print(f"CV ({k} folds by site, {n} pages, {len({r['site'] for r in recs})} sites): rules {rules}/{n} = {rules / n:.1%}")
    for m in MARGINS:
        ok = sum(bool(r["y"][choose(s, r["pick_at"], m)]) if choose(s, r["pick_at"], m) != r["pick_at"] else r["rule_ok"]
                 for r, s in zip(recs, raw))
        per = [sum((bool(r["y"][choose(s, r["pick_at"], m)]) if choose(s, r["pick_at"], m) != r["pick_at"] else r["rule_ok"])
                   - r["rule_ok"] for r, s, g in zip(recs, raw, fold) if g == f) for f in range(k)]
        changed = sum(choose(s, r["pick_at"], m) != r["pick_at"] for r, s in zip(recs, raw))
        print(f"  model, margin {m}: {ok}/{n} = {ok / n:.1%} ({changed} picks changed; gain per fold {per})")


def pair_rows(r: dict) -> tuple[np.ndarray, np.ndarray, list[int]]:
    """Rows comparing each other candidate with the rule pick; label: it is right and the pick is wrong."""
    X, p = r["X"], r["pick_at"]
    others = [k for k in range(len(r["cands"])) if k != p]
    if not others:
        return np.zeros((0, 3 * X.shape[1])), np.zeros(0, bool), []
    A = X[others]
    B = np.repeat(X[p:p + 1], len(others), axis=0)
    y = np.array([bool(r["y"][k]) and not r["rule_ok"] for k in others])
    return np.hstack([A, B, A - B]), y, others


def fit_pairs(recs: list[dict]):
    from sklearn.ensemble import HistGradientBoostingClassifier

    rows = [pair_rows(r) for r in recs]
    X = np.concatenate([x for x, _, _ in rows])
    y = np.concatenate([t for _, t, _ in rows])
    clf = HistGradientBoostingClassifier(**GBM)
    clf.fit(X, y)
    return clf


THRESHOLDS = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)


def cross_validate_pairs(recs: list[dict], k: int = 5) -> None:
    fold = folds(recs, k)
    best: list[tuple[float, int]] = [(0.0, -1)] * len(recs)
    for f in range(k):
        clf = fit_pairs([r for r, g in zip(recs, fold) if g != f])
        for n, (r, g) in enumerate(zip(recs, fold)):
            if g == f:
                X, _, others = pair_rows(r)
                if others:
                    prob = clf.predict_proba(X)[:, 1]
                    j = int(np.argmax(prob))
                    best[n] = (float(prob[j]), others[j])
    n = len(recs)
    rules = sum(r["rule_ok"] for r in recs)
    print(f"pairwise CV ({k} folds by site, {n} pages): rules {rules}/{n} = {rules / n:.1%}")
    for t in THRESHOLDS:
        res = [(bool(r["y"][c]) if pr >= t else r["rule_ok"]) for r, (pr, c) in zip(recs, best)]
        per = [sum(x - r["rule_ok"] for x, r, g in zip(res, recs, fold) if g == f) for f in range(k)]
        changed = sum(pr >= t for pr, _ in best)
        print(f"  switch at p >= {t}: {sum(res)}/{n} = {sum(res) / n:.1%} ({changed} changed; gain per fold {per})")


RULE_FEATURES = ("rule pick", "title match", "pick_headline", "from pick")


def alone(recs: list[dict], k: int = 5) -> None:
    """Cross-validate the model without the rule system's verdicts as features: the best candidate wins."""
    keep = [n for n, f in enumerate(headline_choice.FEATURES) if f not in RULE_FEATURES]
    fold = folds(recs, k)
    ok, per = 0, [0] * k
    for f in range(k):
        clf = fit([dict(r, X=r["X"][:, keep]) for r, g in zip(recs, fold) if g != f])
        for r, g in zip(recs, fold):
            if g == f:
                b = int(np.argmax(clf.decision_function(r["X"][:, keep])))
                right = r["rule_ok"] if b == r["pick_at"] else bool(r["y"][b])
                ok += right
                per[f] += right - r["rule_ok"]
    print(f"model alone (no rule features), CV: {ok}/{len(recs)} = {ok / len(recs):.1%}; against the rules per fold {per}")


def importance(recs: list[dict]) -> None:
    """Print the pages the in-sample choice loses when one feature's column is shuffled (the top ten)."""
    clf = fit(recs)
    X = np.concatenate([r["X"] for r in recs])
    bounds = np.cumsum([0] + [len(r["cands"]) for r in recs])

    def right(Xm: np.ndarray) -> int:
        s = clf.decision_function(Xm)
        out = 0
        for n, r in enumerate(recs):
            b = int(np.argmax(s[bounds[n]:bounds[n + 1]]))
            out += r["rule_ok"] if b == r["pick_at"] else bool(r["y"][b])
        return out

    base = right(X)
    print(f"in-sample, best candidate wins: {base}/{len(recs)} (rules {sum(r['rule_ok'] for r in recs)})")
    rng = np.random.default_rng(SEED)
    lost = []
    for k, name in enumerate(headline_choice.FEATURES):
        Xp = X.copy()
        Xp[:, k] = rng.permutation(Xp[:, k])
        lost.append((base - right(Xp), name))
    for d, name in sorted(lost, reverse=True)[:10]:
        print(f"  {name} shuffled: -{d} pages")


def recall(recs: list[dict]) -> None:
    n = len(recs)
    rules = sum(r["rule_ok"] for r in recs)
    ceiling = sum(bool(r["y"].any()) or r["rule_ok"] for r in recs)
    # (the title another candidate would give is its line with the site's name cut, as extract.py
    # cuts it: on the rule's own picks that stand-in gives the ingest's verdict this often)
    checked = [r for r in recs if r["approx_ok"] is not None]
    approx = sum(r["approx_ok"] == r["rule_ok"] for r in checked)
    sizes = [len(r["cands"]) for r in recs]
    print(f"{n} pages: rules {rules} = {rules / n:.1%}; some candidate right {ceiling} = {ceiling / n:.1%}; "
          f"candidates per page median {int(np.median(sizes))}, max {max(sizes)}; the cut line's verdict is the ingest's "
          f"on {approx}/{len(checked)} rule picks")


def judge(recs: list[dict], l2: float, margin: float, splits: tuple[str, ...]) -> None:
    """Train the conditional logit on all the pages, let it override the rules in the ingest, and print
    bench/dump_titles.py's whole figures for `splits` and bench/dumps.py's for dev (no page is listed)."""
    from bench import dump_titles, dumps

    model = Softmax(l2).fit(recs)
    state: dict = {}
    real = dump_clean._find_title
    real_p = linemodel.LineModel.probabilities
    real_keep = linemodel.expected_f1_keep
    changed = [0]

    def spy_p(self, lines, verdicts):  # type: ignore[no-untyped-def]
        state["p"] = out = real_p(self, lines, verdicts)
        return out

    def spy_keep(p, w, *a, **k):  # type: ignore[no-untyped-def]
        state["keep"] = out = real_keep(p, w, *a, **k)
        return out

    def chooser(lines, rule, start, run_from, end):  # type: ignore[no-untyped-def]
        out = real(lines, rule, start, run_from, end)
        t0 = len(state["p"]) - len(lines)
        pick = out[0] if out[0] is not None else 0
        cands = headline_choice.candidates(lines, start)
        if pick not in cands:
            cands.append(pick)
        X = headline_choice.features(lines, rule, start, run_from, pick, cands, np.asarray(state["p"])[t0:],
                                     np.array(state["keep"])[t0:])
        c = cands[choose(model.decision_function(X), cands.index(pick), margin)]
        if c == pick:
            return out
        changed[0] += 1
        return c, None, 1

    dump_clean._find_title, linemodel.LineModel.probabilities, linemodel.expected_f1_keep = chooser, spy_p, spy_keep
    try:
        print(f"conditional logit l2 {l2}, margin {margin}, trained on {len(recs)} pages:")
        if [s for s in splits if s != "dev"]:
            dump_titles.splits_view(tuple(s for s in splits if s != "dev"), False, None)
            print(f"  picks changed: {changed[0]}")
        changed[0] = 0
        if "dev" in splits:
            dumps.main(["--split", "dev", "--skip-speed", "--skip-flat", "--skip-clean"])
            print(f"  picks changed (dev run): {changed[0]}")
    finally:
        dump_clean._find_title, linemodel.LineModel.probabilities, linemodel.expected_f1_keep = real, real_p, real_keep


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--recall", action="store_true")
    ap.add_argument("--cv", action="store_true")
    ap.add_argument("--alone", action="store_true", help="also cross-validate the model without the rules' verdicts")
    ap.add_argument("--importance", action="store_true", help="pages lost in-sample when a feature is shuffled")
    ap.add_argument("--out", type=Path)
    ap.add_argument("--judge", type=float, nargs=2, metavar=("L2", "MARGIN"),
                    help="whole figures of the conditional logit overriding the rules (dev-extra, dev)")
    ap.add_argument("--judge-splits", nargs="*", default=["train", "train-extra", "dev-extra", "dev"],
                    choices=["train", "train-extra", "dev-extra", "dev"])
    ap.add_argument("--softmax", type=float, nargs="*", help="also cross-validate a conditional logit with these L2 penalties")
    ap.add_argument("--cache", action="store_true", help="reuse the pages recorded by the last run (/tmp)")
    ap.add_argument("--pairwise", action="store_true", help="also cross-validate the pairwise switch model")
    args = ap.parse_args(argv)
    cache = Path("/tmp/title14_recs.pkl")
    if args.cache and cache.exists():
        recs = pickle.loads(cache.read_bytes())
    else:
        recs = prepare()
        cache.write_bytes(pickle.dumps(recs))
    if args.recall:
        recall(recs)
    if args.cv:
        cross_validate(recs)
    for l2 in args.softmax or ():
        print(f"conditional logit, l2 {l2}:")
        cross_validate(recs, make=lambda rs, l2=l2: Softmax(l2).fit(rs))
    if args.pairwise:
        cross_validate_pairs(recs)
    if args.alone:
        alone(recs)
    if args.judge:
        judge(recs, args.judge[0], args.judge[1], tuple(args.judge_splits))
    if args.importance:
        importance(recs)
    if args.out:
        from tools.train_linemodel import export_forest

        clf = fit(recs)
        np.savez_compressed(args.out, **export_forest(clf))
        print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
