"""Measure the product's ranking on the classic IR collections: MAP, nDCG@10, P@10.

Usage: .venv/bin/python bench/relevance.py [--collections time,cisi,...] [--quick] [--extra]

Each collection is indexed on disk (a temp dir) with the product's schema and analyzer
(searchapp.indexing), and every query is ranked the way the product ranks a long query whose
words are not all in one document: its keyword (OR) fallback, scored by
searchapp.search.ranking.weighting(). Whoosh's default (StemmingAnalyzer, BM25F(), parser-style
OR query without repeated words) runs on its own index in the same run, for comparison.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from statistics import fmean

from whoosh import index as windex
from whoosh import scoring
from whoosh.analysis import StemmingAnalyzer
from whoosh.fields import ID, TEXT, Schema
from whoosh.query import Or, Query, Term

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import ir_collections as irc  # noqa: E402
from bench.ir_metrics import evaluate  # noqa: E402
from searchapp.search import ranking  # noqa: E402

DEPTH = 1000  # ranks scored per query, as trec_eval does
FIELDS = ("title", "body")
Ranker = Callable[[object, str], list[str]]


# --- indexes -------------------------------------------------------------------------------

def product_documents(coll: irc.Collection) -> tuple[Schema, list[dict]]:
    """Return the product's schema and one product index document per collection document."""
    from searchapp.indexing.schema import build_schema, to_document
    from searchapp.models import Article

    docs = []
    for doc_id, (title, text) in coll.docs.items():
        art = Article(id=doc_id, source=coll.name, source_name=coll.name, path=f"{coll.name}/{doc_id}",
                      url=None, title=title, section=None, author=None, dateline=None, published=None,
                      published_raw=None, date_precision=None, date_inferred=False, page_date=None,
                      language="en", cities=[], countries=[], body=[text] if text else [])
        docs.append(to_document(art))
    return build_schema(), docs


def default_documents(coll: irc.Collection) -> tuple[Schema, list[dict]]:
    """Return Whoosh's out-of-the-box stemmed title+body schema and its documents."""
    schema = Schema(id=ID(stored=True, unique=True),
                    title=TEXT(analyzer=StemmingAnalyzer()), body=TEXT(analyzer=StemmingAnalyzer()))
    return schema, [{"id": i, "title": t, "body": b} for i, (t, b) in coll.docs.items()]


def build_index(dirpath: Path, schema: Schema, docs: Sequence[dict]):  # -> whoosh Index
    """Write the documents into a new on-disk index and return it."""
    dirpath.mkdir(parents=True, exist_ok=True)
    ix = windex.create_in(str(dirpath), schema)
    with ix.writer(limitmb=256) as writer:
        for doc in docs:
            writer.add_document(**doc)
    return ix


# --- rankers -------------------------------------------------------------------------------

def product_query(text: str, analyzer, fields: Sequence[str] = FIELDS) -> Query | None:
    """Return the product's keyword-fallback query: every analysed word, OR-ed, repeats as boosts."""
    weights = ranking.term_weights(t.text for t in analyzer(text))
    if not weights:
        return None
    return Or([Term(f, tok, boost=w) for tok, w in weights.items() for f in fields])


def default_query(text: str, analyzer, fields: Sequence[str] = FIELDS) -> Query | None:
    """Return what Whoosh's OR-group parser makes of the text: each word once, in every field."""
    seen = dict.fromkeys(t.text for t in analyzer(text))
    return Or([Term(f, tok) for tok in seen for f in fields]) if seen else None


def run_queries(searcher, queries: dict[str, str], make_query: Callable[[str], Query | None]) -> dict[str, list[str]]:
    """Rank every query and return {qid: [doc ids best first]}."""
    run: dict[str, list[str]] = {}
    for qid, text in queries.items():
        q = make_query(text)
        if q is None:
            run[qid] = []
            continue
        hits = searcher.search(q, limit=DEPTH)
        run[qid] = [hit["id"] for hit in hits]
    return run


# --- driver --------------------------------------------------------------------------------

def measure(coll: irc.Collection, workdir: Path, quick: bool = False) -> dict[str, dict[str, float]]:
    """Return {system: metrics} for the product and Whoosh's default on one collection."""
    queries = coll.judged_queries()
    if quick:
        queries = dict(list(queries.items())[:20])
    qrels = {q: coll.qrels[q] for q in queries}
    out: dict[str, dict[str, float]] = {}

    schema, docs = product_documents(coll)
    ix = build_index(workdir / f"{coll.name}-product", schema, docs)
    analyzer = schema["body"].analyzer
    with ix.searcher(weighting=ranking.weighting()) as s:
        out["product"] = evaluate(run_queries(s, queries, lambda t: product_query(t, analyzer)), qrels)

    schema, docs = default_documents(coll)
    ix = build_index(workdir / f"{coll.name}-default", schema, docs)
    analyzer = schema["body"].analyzer
    with ix.searcher(weighting=scoring.BM25F()) as s:
        out["whoosh-default"] = evaluate(run_queries(s, queries, lambda t: default_query(t, analyzer)), qrels)
    return out


def print_table(results: dict[str, dict[str, dict[str, float]]], names: Sequence[str]) -> None:
    """Print one row per collection and system, and the mean MAP per system."""
    print(f"{'collection':11} {'system':15} {'MAP':>6} {'nDCG@10':>8} {'P@10':>6} {'queries':>7}")
    for name in names:
        for system, m in results[name].items():
            print(f"{name:11} {system:15} {m['map']:6.3f} {m['ndcg@10']:8.3f} {m['p@10']:6.3f} {m['queries']:7d}")
    systems = list(next(iter(results.values())))
    for system in systems:
        vals = [results[n][system] for n in names]
        print(f"{'mean':11} {system:15} {fmean(v['map'] for v in vals):6.3f} "
              f"{fmean(v['ndcg@10'] for v in vals):8.3f} {fmean(v['p@10'] for v in vals):6.3f}")


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--collections", default=",".join(irc.MAIN),
                    help=f"comma-separated, from {', '.join(irc.MAIN + irc.EXTRA)}")
    ap.add_argument("--extra", action="store_true", help="also LISA and ADI, reported separately")
    ap.add_argument("--quick", action="store_true", help="first 20 judged queries per collection")
    args = ap.parse_args(argv)
    names = [n.strip() for n in args.collections.split(",") if n.strip()]
    unknown = [n for n in names if n not in irc.LOADERS]
    if unknown:
        ap.error(f"unknown collection(s): {', '.join(unknown)}")
    w = ranking.weighting()
    print(f"product ranking: {type(w).__name__} K1={w.K1} B={w.B} boosts={getattr(w, 'field_boosts', {})}")
    groups = [names] + ([list(irc.EXTRA)] if args.extra else [])
    with tempfile.TemporaryDirectory(prefix="relevance-") as tmp:
        for group in groups:
            results = {}
            for name in group:
                t0 = time.perf_counter()
                results[name] = measure(irc.load(name), Path(tmp), quick=args.quick)
                print(f"  {name}: {time.perf_counter() - t0:.1f}s", file=sys.stderr)
            print_table(results, group)
            print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
