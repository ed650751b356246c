"""List a dump's headline candidates and describe each one for tools/train_titlemodel.py.

The header rules of searchapp/ingest/headline.py pick one line above the article. This module lists the lines
that could be the headline (short lines up to _ABOVE lines above the article's first paragraph,
a few lines into it, and the page's <title> line), describes each one (the rules' verdicts on
it, its place, its date or byline under it, its words against the <title> and the article's
first lines, its shape, its neighbours, and the line model's probability for it and its
neighbours when given). A learned choice among them did not beat the rules
under cross-validation (tools/train_titlemodel.py's docstring has the figures), so nothing in the
product reads this module; it lives beside the training tool to reproduce the measurement.
"""
from __future__ import annotations

from collections import Counter

import numpy as np

from searchapp.ingest import clean, headline

_ABOVE = 40   # lines above the article's first paragraph searched for candidates
_BELOW = 3    # ...and lines into it (a teaser list may sit above a headline the model kept)
_MAX_CHARS = 250

FEATURES = (
    "rule pick", "title match", "pick_headline", "is_candidate", "is_candidate short", "no rule", "lines above start",
    "title line", "in run", "dated below", "signed below", "overlap title", "equals cut title", "inside title",
    "about share", "words", "chars", "sentence end", "colon end", "upper", "capitalised share", "first upper",
    "repeats", "menu item", "short neighbours", "other script", "continues", "candidates between", "from pick",
    "digit share", "share in title", "cover of title", "in kicker run", "title part",
    "site part", "inside a longer candidate", "title-like above", "title-like below",
    "line p", "kept", "p below", "p above", "rank by p",
)


def candidates(lines: list[str], start: int) -> list[int]:
    """Return the indices of the lines that could be the headline of the article starting at `start`."""
    out = [0] if lines else []
    for i in range(max(1, start - _ABOVE), min(len(lines), start + _BELOW + 1)):
        line = lines[i]
        if len(line) <= _MAX_CHARS and 1 <= headline.word_count(line) <= 30 and any(c.isalpha() for c in line):
            out.append(i)
    return out


def features(lines: list[str], rule: list[str | None], start: int, run_from: int, pick: int | None,
             cands: list[int], p: np.ndarray | None = None, keep: np.ndarray | None = None) -> np.ndarray:
    """Return one row of FEATURES per candidate line."""
    norm = headline._norm
    first = norm(lines[0]) if lines else ""
    cut = norm(headline.strip_site_name(lines[0])) if lines else ""
    parts = set(headline._title_parts(lines[0])) if lines else set()
    title_words = set(first.split())
    cut_words = cut.split()
    matched = headline.match_page_title(lines, start)
    picked = headline.pick_headline(lines, rule, start, window=15, run_from=run_from)
    about = headline._stems(" ".join(lines[k] for k in range(start, min(len(lines), start + 6)) if rule[k] is None))
    counts = Counter(norm(line) for line in lines if len(line) <= _MAX_CHARS)
    doc_script = clean.dominant_script(lines)
    site = first[len(cut):].strip() if cut and first.startswith(cut) else \
        first[: len(first) - len(cut)].strip() if cut and first.endswith(cut) else ""
    cnorm = [norm(lines[i]) for i in cands]
    titleish = [i > 0 and headline._overlap(cn, cut) >= 0.5 for i, cn in zip(cands, cnorm)]
    is_cand = [headline.is_candidate(lines[i]) if len(lines[i]) <= _MAX_CHARS else False for i in cands]
    if p is None:
        p = np.full(len(lines), -1.0)
    if keep is None:
        keep = np.zeros(len(lines), bool)
    cand_p = np.array([p[i] for i in cands])
    order = np.argsort(-cand_p, kind="stable")
    rank = np.empty(len(cands))
    rank[order] = np.arange(len(cands))
    rows = []
    for n, i in enumerate(cands):
        line = lines[i]
        ln = norm(line)
        words = ln.split()
        wc = headline.word_count(line)
        stems = headline._stems(line)
        alpha_words = [w for w in line.split() if w[:1].isalpha()]
        letters = sum(c.isalnum() for c in line) or 1
        near = [lines[k] for k in range(max(1, i - 2), min(len(lines), i + 3)) if k != i]
        shared = sum((Counter(words) & Counter(cut_words)).values())
        run = headline.headline_run(lines, i) if i > 0 else None
        rows.append([
            float(i == pick), float(i == matched), float(i == picked), float(is_cand[n]),
            float(headline.is_candidate(line, short_ok=True, page_title=i == 0)), float(rule[i] is None),
            float(start - i), float(i == 0), float(run_from <= i <= start),
            float(i < start and headline.dated_below(lines, rule, i, start)), float(headline._signed_below(lines, i)),
            headline._overlap(ln, cut), float(bool(ln) and ln == cut), float(bool(ln) and ln in first and i > 0),
            len(stems & about) / len(stems) if stems and len(about) >= 20 else -1.0,
            float(wc), float(len(line)), float(line.rstrip().endswith((".", "!", "?", "…"))),
            float(line.rstrip().endswith(":")), float(line.isupper()),
            sum(w[0].isupper() for w in alpha_words) / len(alpha_words) if alpha_words else -1.0,
            float(line.lstrip()[:1].isupper()), float(counts[ln] - 1), float(headline.menu_item(lines, i) if i > 0 else 0),
            float(sum(headline.word_count(x) <= 3 for x in near)),
            float(doc_script is not None and clean.script_of(line) not in (None, doc_script)),
            float(headline._continues(lines, i) or headline._continued(lines, i)),
            float(sum(is_cand[m] for m, k in enumerate(cands) if i < k < start)),
            float(i - pick) if pick is not None else 99.0,
            sum(c.isdigit() for c in line) / letters,
            sum(w in title_words for w in words) / len(words) if words and i > 0 else -1.0,
            shared / len(cut_words) if cut_words and i > 0 else -1.0,
            float(run is not None), float(bool(ln) and ln in parts and i > 0),
            float(bool(ln) and ln == site),
            float(bool(ln) and any(len(o) > len(ln) and f" {ln} " in f" {o} " for o in cnorm)),
            float(sum(t for t, k in zip(titleish, cands) if k < i)), float(sum(t for t, k in zip(titleish, cands) if k > i)),
            float(p[i]), float(bool(keep[i])), float(p[i + 1]) if i + 1 < len(lines) else -1.0,
            float(p[i - 1]) if i > 0 else -1.0, float(rank[n]),
        ])
    return np.asarray(rows, dtype=np.float64).reshape(len(cands), len(FEATURES))
