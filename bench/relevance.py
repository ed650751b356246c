"""Measure the product's ranking on the classic IR collections: MAP, nDCG@10, P@10.

Usage: .venv/bin/python bench/relevance.py [--collections time,cisi,...] [--quick] [--extra]
       [--news] [--few-results N] [--shipped-limits]

Each collection is written by the product's own index backend (searchapp.backend, Whoosh: schema,
EN/RU analyzer, one published generation in a temp dir) and measured three ways in one run:
- product: every query through SearchService.search (Settings defaults, except a page size of 1000
  so one request returns the ranks trec_eval scores, and query-length limits raised for these
  paragraph-long queries unless --shipped-limits). Queries go in as typed, so
  the query language applies (upper-case OR/AND/NOT are operators; words are ANDed and partial
  matches follow only when fewer than `few_results` articles hold every word); a query over a
  limit is refused and scores 0.
- product OR-grouped: the same engine, each query's words typed as "w1 OR w2 OR ..." (the
  protocol of IR-NOTES.md, under which the reference figures were measured).
- whoosh-default: Whoosh out of the box (StemmingAnalyzer, BM25F(), each word once, OR-ed).
--news checks the same on Reuters-21578 (see bench/ir_collections.py: topic descriptions as
queries with the topic's articles as relevant, and headline -> article known-item search).
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
from searchapp.backends.whoosh import ranking  # noqa: E402

DEPTH = 1000  # ranks scored per query, as trec_eval does
FIELDS = ("title", "body")


# --- indexes -------------------------------------------------------------------------------

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


def build_product_index(index_dir: Path, coll: irc.Collection) -> None:
    """Publish an index of the collection, written by the product's backend through the seam."""
    from searchapp.backend import open_backend
    from searchapp.config import Settings

    backend = open_backend(Settings(index_dir=index_dir))
    try:
        with backend.batch(rebuild=True) as batch:
            for i, (t, b) in coll.docs.items():
                batch.add(_article(coll.name, i, t, b))
            batch.commit()
    finally:
        backend.close()


def _article(source: str, doc_id: str, title: str, text: str):  # -> searchapp.models.Article
    from searchapp.models import Article

    return Article(id=doc_id, source=source, source_name=source, path=f"{source}/{doc_id}",
                   url=None, title=title, section=None, author=None, dateline=None, published=None,
                   published_raw=None, date_precision=None, date_inferred=False, page_date=None,
                   language="en", cities=[], countries=[], body=[text] if text else [])


def engine_run(index_dir: Path, queries: dict[str, str], settings) -> tuple[dict[str, list[str]], dict[str, int]]:
    """Rank every query with the product's SearchService; return the run and what happened how often."""
    from searchapp.errors import QueryError
    from searchapp.models import SearchRequest
    from searchapp.search.service import SearchService

    run: dict[str, list[str]] = {}
    events = {"refused": 0, "partial": 0, "best-match": 0, "all-words-only": 0, "incomplete": 0}
    with SearchService(settings.replace(index_dir=index_dir)) as engine:
        for qid, text in queries.items():
            try:
                page = engine.search(SearchRequest(query=text, page_size=DEPTH))
            except QueryError:
                events["refused"] += 1  # over a query limit: the product answers nothing
                run[qid] = []
                continue
            kind = ("best-match" if any("long query" in n for n in page.notes)
                    else "partial" if any("some of" in n for n in page.notes) else "all-words-only")
            events[kind] += 1
            # Out of time, or shards of a distributed backend missing: the ranks are not whole.
            events["incomplete"] += int(page.partial or any("took longer than" in n for n in page.notes))
            run[qid] = [h.id for h in page.hits]
    return run, events


# --- rankers -------------------------------------------------------------------------------

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

def measure(coll: irc.Collection, workdir: Path, settings, quick: bool = False) -> dict[str, dict[str, float]]:
    """Return {system: metrics} on one collection.

    product: the SearchService as shipped, queries as typed (AND first; partial matches follow
    when few articles have all the words). product OR-grouped: the same engine, each query's
    words typed as "w1 OR w2 OR ..." (the protocol of IR-NOTES.md and of the reference figures).
    whoosh-default: Whoosh out of the box, for comparison.
    """
    queries = coll.judged_queries()
    if quick:
        queries = dict(list(queries.items())[:20])
    qrels = {q: coll.qrels[q] for q in queries}
    out: dict[str, dict[str, float]] = {}

    index_dir = workdir / f"{coll.name}-product"
    build_product_index(index_dir, coll)
    run, events = engine_run(index_dir, queries, settings)
    out["product"] = {**evaluate(run, qrels), **events}
    # IR-NOTES.md's protocol: the query's words OR-grouped, typed in the product's own query
    # language ("w1 OR w2 OR ...") and answered by SearchService.search like any user query.
    from searchapp.text import words

    grouped = {q: " OR ".join(w for _, _, w in words(t)) for q, t in queries.items()}
    run, events = engine_run(index_dir, grouped, settings)
    out["product OR-grouped"] = {**evaluate(run, qrels), **events}

    schema, docs = default_documents(coll)
    ix = build_index(workdir / f"{coll.name}-default", schema, docs)
    analyzer = schema["body"].analyzer
    with ix.searcher(weighting=scoring.BM25F()) as s:
        out["whoosh-default"] = evaluate(run_queries(s, queries, lambda t: default_query(t, analyzer)), qrels)
    return out


def print_table(results: dict[str, dict[str, dict[str, float]]], names: Sequence[str]) -> None:
    """Print one row per collection and system, and the mean MAP per system."""
    print(f"{'collection':11} {'system':19} {'MAP':>6} {'nDCG@10':>8} {'P@10':>6} {'queries':>7}")
    for name in names:
        for system, m in results[name].items():
            how = "" if "refused" not in m else (
                f"  (best match: {m['best-match']}, partial list: {m['partial']}, "
                f"all words only: {m['all-words-only']}, "
                f"refused: {m['refused']})")
            print(f"{name:11} {system:19} {m['map']:6.3f} {m['ndcg@10']:8.3f} {m['p@10']:6.3f} {m['queries']:7d}{how}")
    systems = list(next(iter(results.values())))
    for system in systems:
        vals = [results[n][system] for n in names]
        if len(vals) < 2:
            continue
        print(f"{'mean':11} {system:19} {fmean(v['map'] for v in vals):6.3f} "
              f"{fmean(v['ndcg@10'] for v in vals):8.3f} {fmean(v['p@10'] for v in vals):6.3f}")


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--collections", default=",".join(irc.MAIN),
                    help=f"comma-separated, from {', '.join(irc.MAIN + irc.EXTRA)}")
    ap.add_argument("--extra", action="store_true", help="also LISA and ADI, reported separately")
    ap.add_argument("--news", action="store_true",
                    help="also Reuters-21578 (topic descriptions as queries; headline known-item), separately")
    ap.add_argument("--quick", action="store_true", help="first 20 judged queries per collection")
    ap.add_argument("--few-results", type=int, default=None,
                    help="override Settings.few_results (AND hits below which partial matches follow)")
    # Test-collection queries are paragraphs (CISI's run past 500 characters); the product's
    # query-length limits are settings, raised here so the ranking is measured, not the refusal.
    ap.add_argument("--shipped-limits", dest="raise_limits", action="store_false",
                    help="keep the default max_query_chars/max_query_terms (long queries get refused)")
    args = ap.parse_args(argv)
    names = [n.strip() for n in args.collections.split(",") if n.strip()]
    unknown = [n for n in names if n not in irc.LOADERS]
    if unknown:
        ap.error(f"unknown collection(s): {', '.join(unknown)}")
    from searchapp.config import Settings

    # Only the page size is raised by default, so one request returns the DEPTH ranks trec_eval scores.
    settings = Settings(max_page_size=DEPTH)
    if args.few_results is not None:
        settings = settings.replace(few_results=args.few_results)
    if args.raise_limits:
        settings = settings.replace(max_query_chars=100_000, max_query_terms=10_000)
    w = ranking.weighting()
    print(f"product ranking: {type(w).__name__} K1={w.K1} B={w.B} boosts={getattr(w, 'field_boosts', {})} "
          f"shared idf={getattr(w, 'shared_idf_fields', ())}; few_results={settings.few_results} "
          f"max_query_chars={settings.max_query_chars} max_query_terms={settings.max_query_terms}")
    groups = [names] + ([list(irc.EXTRA)] if args.extra else []) + ([list(irc.NEWS)] if args.news else [])
    with tempfile.TemporaryDirectory(prefix="relevance-") as tmp:
        for group in groups:
            results = {}
            for name in group:
                t0 = time.perf_counter()
                results[name] = measure(irc.load(name), Path(tmp), settings, quick=args.quick)
                print(f"  {name}: {time.perf_counter() - t0:.1f}s", file=sys.stderr)
            print_table(results, group)
            print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
