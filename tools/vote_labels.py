"""Line labels and dev scores from a reference voted by three extractors (training and measuring only).

    .venv/bin/python tools/vote_labels.py export                 # train/dev/dev-extra teacher pages' HTML
    PY_R tools/vote_labels.py extract readability                # a python with readability-lxml 0.9
    PY_N tools/vote_labels.py extract newspaper4k                # a python with newspaper4k 0.9.6
    .venv/bin/python tools/vote_labels.py labels                 # CACHE/dumpset/vote/labels-vote.json
    .venv/bin/python tools/train_linemodel.py --labels CACHE/dumpset/vote/labels-vote.json --out /tmp/lm.npz
    .venv/bin/python tools/vote_labels.py score [--model /tmp/lm.npz] [--tag NAME]   # dev three ways

The voted reference (/work/bodyref's study, 2026-12-02): per token, the median count over
trafilatura full (the dump set's teacher), readability-lxml and newspaper4k; an extractor giving
under 20 tokens abstains, and under three voters the page keeps trafilatura's text. On the 122
gold texts of train and dev sites it scores F1 0.963 where trafilatura alone scores 0.932.
Labels: each teacher page's line is content when at least two of the three references label it
so (bench/dumpset.py label_lines against each text); a line a trafilatura-eval snippet labelled
keeps that label; gold-text pages and Russian transplants keep their exact labels; a page with
an abstaining extractor keeps trafilatura's. The extractors are not dependencies of the product
(newspaper4k pins versions the app's venv does not have: run each in its own venv, with bs4 and
lxml; the extract step imports bench.dumpset, never searchapp). The test split is never read.
"""
from __future__ import annotations

import argparse
import json
import re
import signal
import statistics
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

MIN_TOKENS = 20
SPLITS = ("train", "dev", "dev-extra")   # never test
_TOKEN = re.compile(r"\w+")


def _cache() -> Path:
    from bench.corpora import CACHE

    return CACHE / "dumpset"


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


def _load(split: str) -> list[dict]:
    path = _cache() / f"{split}.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").split("\n") if line]


def export(out: Path) -> None:
    """Write the teacher pages' decoded HTML (the string the teacher read) of train, dev and dev-extra."""
    from bench import dumpset

    want = {p["id"].split("#")[0] for split in SPLITS if (_cache() / f"{split}.jsonl").exists()
            for p in _load(split) if not p["gold"]}
    out.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    with open(out, "w", encoding="utf-8") as fh:
        for raw in dumpset.raw_pages():
            if raw["id"] in want:
                fh.write(json.dumps({"id": raw["id"], "url": raw["url"], "html": dumpset.decode_page(raw["data"])},
                                    ensure_ascii=False) + "\n")
                n += 1
    print(f"{n} of {len(want)} teacher pages written to {out}")


def _extractor(name: str):  # type: ignore[no-untyped-def]
    if name == "readability":
        from readability import Document

        from bench.dumpset import html_text   # its summary rendered to lines as the gold HTML texts are

        return lambda html, url: html_text(Document(html, url=url).summary(html_partial=True))
    if name == "newspaper4k":
        import newspaper

        def text(html: str, url: str | None) -> str:
            art = newspaper.Article(url or "http://example.invalid/page", fetch_images=False)
            art.download(input_html=html)
            art.parse()
            return art.text or ""
        return text
    raise SystemExit(f"unknown extractor {name}")


class _Timeout(Exception):
    pass


def _alarm(*_: object) -> None:
    raise _Timeout()


def extract(name: str, pages: Path, out: Path) -> None:
    """Run one extractor over the exported pages, one process, resuming from its cache."""
    from importlib.metadata import version

    fn = _extractor(name)
    cache = json.loads(out.read_text(encoding="utf-8")) if out.exists() else {"texts": {}, "errors": {}}
    cache["version"] = version({"readability": "readability-lxml"}.get(name, name))
    signal.signal(signal.SIGALRM, _alarm)
    todo = [json.loads(line) for line in pages.read_text(encoding="utf-8").split("\n") if line]
    todo = [p for p in todo if p["id"] not in cache["texts"]]
    for k, p in enumerate(todo, 1):
        signal.alarm(60)
        try:
            text = fn(p["html"], p["url"])
        except _Timeout:
            text, cache["errors"][p["id"]] = "", "timeout 60 s"
        except Exception as exc:  # noqa: BLE001 - counted below, the page abstains
            text, cache["errors"][p["id"]] = "", f"{type(exc).__name__}: {exc}"[:200]
        finally:
            signal.alarm(0)
        cache["texts"][p["id"]] = text
        if k % 50 == 0 or k == len(todo):
            out.write_text(json.dumps(cache, ensure_ascii=False), encoding="utf-8")
            print(f"{name}: {k}/{len(todo)}", flush=True)
    print(f"{name} {cache['version']}: {len(cache['texts'])} pages, {len(cache['errors'])} errors")


def _texts(folder: Path) -> tuple[dict[str, str], dict[str, str]]:
    r, n = (json.loads((folder / f"{name}.json").read_text(encoding="utf-8"))["texts"]
            for name in ("readability", "newspaper4k"))
    return r, n


def vote_labels(page: dict, r: str, n: str) -> list[int]:
    """Return a teacher page's labels voted line by line by trafilatura (its labels), readability and newspaper4k."""
    from bench import dumpset

    if len(_tokens(r)) < MIN_TOKENS or len(_tokens(n)) < MIN_TOKENS:
        return page["labels"]
    lines, own = page["lines"], page["labels"]
    plain = dumpset.label_lines(lines, page["ref"])
    by_r, by_n = dumpset.label_lines(lines, r), dumpset.label_lines(lines, n)
    # a line whose label differs from the teacher's alignment was set by a trafilatura-eval snippet: it stays
    return [y if y != t else int(y + a + b >= 2) for y, t, a, b in zip(own, plain, by_r, by_n)]


def labels(folder: Path) -> None:
    r, n = _texts(folder)
    out, changed = {}, Counter()
    for p in _load("train"):
        if p["gold"]:
            continue
        base = p["id"].split("#")[0]
        new = vote_labels(p, r.get(base, ""), n.get(base, ""))
        changed["content -> chrome"] += sum(a == 1 and b == 0 for a, b in zip(p["labels"], new))
        changed["chrome -> content"] += sum(a == 0 and b == 1 for a, b in zip(p["labels"], new))
        changed["pages changed"] += new != p["labels"]
        out[p["id"]] = new
    path = folder / "labels-vote.json"
    path.write_text(json.dumps(out, sort_keys=True), encoding="utf-8")
    print(f"{len(out)} teacher pages of train to {path}: " + ", ".join(f"{k} {v}" for k, v in changed.items()))


def vote_reference(t: str, r: str, n: str) -> Counter:
    """Return the voted token multiset: per token the median count of the three texts (trafilatura's alone
    when an extractor abstains)."""
    texts = [t, r, n]
    if any(len(_tokens(x)) < MIN_TOKENS for x in texts):
        return Counter(_tokens(t))
    counts = [Counter(_tokens(x)) for x in texts]
    return +Counter({w: sorted(c[w] for c in counts)[1] for w in set().union(*counts)})


def _prf(pred: Counter, ref: Counter) -> tuple[float, float, float]:
    n_p, n_r = sum(pred.values()), sum(ref.values())
    if not n_p and not n_r:
        return 1.0, 1.0, 1.0
    common = sum((pred & ref).values())
    p, r = (common / n_p if n_p else 0.0), (common / n_r if n_r else 0.0)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score(folder: Path, model: Path | None, tag: str) -> None:
    """Print dev's (and dev-extra's) body F1 through the whole ingest against the teacher, gold texts and the vote."""
    from bench import dumps, dumpset
    from searchapp.ingest import linemodel

    if model is not None:
        linemodel.MODEL_PATH = model
    r, n = _texts(folder)
    pages = [dict(p, extra=False) for p in _load("dev")]
    if (_cache() / "dev-extra.jsonl").exists():
        pages += [dict(p, extra=True) for p in _load("dev-extra")]
    rows = []
    for p in pages:
        body = Counter(_tokens(dumps.ours(p)[0]))
        teacher = _prf(body, Counter(_tokens(p["ref"])))
        base = p["id"].split("#")[0]
        voted = teacher if p["gold"] else _prf(body, vote_reference(p["ref"], r.get(base, ""), n.get(base, "")))
        rows.append((p, teacher, voted))

    def line(name: str, keep) -> str:  # type: ignore[no-untyped-def]
        part = [x for x in rows if keep(x[0])]
        if not part:
            return f"{name} 0"
        m = lambda k, i: statistics.mean(x[k][i] for x in part)  # noqa: E731
        return (f"{name} {len(part)}: teacher {m(1, 2):.4f} (P {m(1, 0):.3f} R {m(1, 1):.3f}), "
                f"vote {m(2, 2):.4f}")

    cyr = lambda p: dumpset.script(" ".join(p["lines"])) == "cyr"  # noqa: E731
    dev = lambda p: not p["extra"]  # noqa: E731
    print(f"[{tag}] dev " + line("all", dev))
    for name, keep in (("gold-text pages (no transplants)", lambda p: p["gold"] and not p.get("transplant")),
                       ("teacher pages", lambda p: not p["gold"]),
                       ("real pages (no transplants)", lambda p: not p.get("transplant")),
                       ("Russian transplants", lambda p: p.get("transplant")),
                       ("Cyrillic pages", cyr), ("real Cyrillic pages", lambda p: cyr(p) and not p.get("transplant"))):
        print(f"[{tag}]   dev {line(name, lambda p, keep=keep: dev(p) and keep(p))}")
    print(f"[{tag}] dev-extra {line('all (teacher pages)', lambda p: p['extra'])}")
    print(f"[{tag}] dev + dev-extra real pages {line('', lambda p: not p.get('transplant'))}")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("step", choices=("export", "extract", "labels", "score"))
    ap.add_argument("extractor", nargs="?", choices=("readability", "newspaper4k"))
    ap.add_argument("--dir", type=Path, default=None, help="where the pages, texts and labels go (default CACHE/dumpset/vote)")
    ap.add_argument("--model", type=Path, default=None, help="score: the line model to score (default: the shipped one)")
    ap.add_argument("--tag", default="model")
    args = ap.parse_args(argv)
    folder = args.dir or _cache() / "vote"
    if args.step == "export":
        export(folder / "pages.jsonl")
    elif args.step == "extract":
        if not args.extractor:
            ap.error("extract needs an extractor: readability or newspaper4k")
        extract(args.extractor, folder / "pages.jsonl", folder / f"{args.extractor}.json")
    elif args.step == "labels":
        labels(folder)
    else:
        score(folder, args.model, args.tag)


if __name__ == "__main__":
    main()
