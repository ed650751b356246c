"""The `searchapp` command line: a thin layer over the library; each command is one function."""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, Callable, Iterator

from searchapp.config import Settings
from searchapp.errors import ExtractorUnavailable


@contextmanager
def _open_out(target: str | None, *, binary: bool = False) -> Iterator[IO[Any] | None]:
    """Yield a text (or binary) stream for FILE, stdout for "-", or None when no output was asked for."""
    if target is None:
        yield None
    elif target == "-":
        yield sys.stdout.buffer if binary else sys.stdout
        sys.stdout.flush()
    else:
        path = Path(target)
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") if binary else open(path, "w", encoding="utf-8") as fh:
            yield fh


def _json_line(obj: dict) -> str:
    """Serialise one record; a file name with undecodable bytes falls back to \\u escapes."""
    try:
        return json.dumps(obj, ensure_ascii=False).encode("utf-8").decode("utf-8") + "\n"
    except UnicodeEncodeError:
        return json.dumps(obj, ensure_ascii=True) + "\n"


def cmd_ingest(args: argparse.Namespace) -> int:
    """Ingest the corpus and write articles and the per-file report as JSON lines."""
    from searchapp.ingest import grouping
    from searchapp.ingest.pipeline import ingest_corpus

    settings = Settings.from_env(corpus_dir=args.corpus)
    if not settings.corpus_dir.is_dir():
        print(f"error: corpus folder {settings.corpus_dir} does not exist", file=sys.stderr)
        return 2
    counts: Counter[str] = Counter()
    problems: list[tuple[str, str, str]] = []
    n_articles = 0
    # The summary goes to stderr when stdout carries JSON, so the stream stays parseable.
    summary_out = sys.stderr if "-" in (args.jsonl, args.report) else sys.stdout
    with _open_out(args.jsonl) as articles_out, _open_out(args.report) as report_out:
        for outcome, articles in ingest_corpus(settings, progress=None if not args.no_progress else False):
            counts[outcome.outcome] += 1
            n_articles += len(articles)
            if articles_out is not None:
                for article in articles:
                    articles_out.write(_json_line(article.to_json()))
            if report_out is not None:
                report_out.write(_json_line(outcome.to_json()))
            if outcome.outcome in ("skipped", "failed"):
                problems.append((outcome.path.encode("utf-8", "backslashreplace").decode(),
                                 outcome.outcome, outcome.reason))
            for warning in outcome.warnings:
                print(f"warning: {outcome.path.encode('utf-8', 'backslashreplace').decode()}: {warning}", file=sys.stderr)
            counts["warned"] += bool(outcome.warnings)
    # Grouped by reason and type: a folder of 1,270 annotation files is one line, not 1,270
    # (every file keeps its own line in --report).
    groups = grouping.group(problems)
    for g in groups:
        print(g.line(), file=sys.stderr)
    files = sum(counts.values()) - counts["warned"]
    not_articles = sum(g.count for g in groups if g.outcome == grouping.NOT_ARTICLE)
    print(f"ingested {files} files: {counts['indexed']} indexed, {not_articles} not articles, "
          f"{counts['skipped'] - not_articles} skipped, {counts['failed']} failed, "
          f"{counts['warned']} with warnings; {n_articles} articles", file=summary_out)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve the web UI and JSON API, building the index from the corpus first if there is none."""
    from searchapp.serve import run

    settings = Settings.from_env(host=args.host, port=args.port, corpus_dir=args.corpus,
                                 index_dir=args.index, threads=args.threads, workers=args.workers,
                                 access_log=args.access_log or None)
    return run(settings, build=not args.no_build)


def cmd_reindex(args: argparse.Namespace) -> int:
    """Bring the index in line with the corpus (incremental unless --full)."""
    from searchapp.errors import WriterBusy
    from searchapp.indexing.reindex import reindex

    settings = Settings.from_env(corpus_dir=args.corpus, index_dir=args.index)
    if not settings.corpus_dir.is_dir():
        print(f"error: corpus folder {settings.corpus_dir} does not exist", file=sys.stderr)
        return 2
    try:
        summary = reindex(settings, full=args.full, progress=False if args.no_progress else None)
    except WriterBusy as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 3
    except OSError as exc:
        # Disk full, permissions, I/O: one line, not a traceback (issue 5). A failed run never
        # switches generations or commits half a batch, so the live index is the last good one.
        print(f"error: reindex failed, the index keeps its last complete state: {exc}",
              file=sys.stderr)
        return 1
    print("\n".join(summary.lines()))
    return 1 if summary.failed and args.strict else 0


def cmd_add_source(args: argparse.Namespace) -> int:
    """Copy or link a folder of articles into corpus/NAME/ with a source.toml."""
    from searchapp.indexing.sources import SourceError, add_source

    settings = Settings.from_env(corpus_dir=args.corpus)
    try:
        dest = add_source(args.name, args.path, settings, link=args.link,
                          display_name=args.display_name, language=args.language)
    except SourceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"added source {args.name} at {dest}; run `searchapp reindex` to index it")
    return 0


def _search_request(args: argparse.Namespace, settings: Settings) -> object:
    import datetime as dt

    from searchapp.models import SearchRequest

    def day(text: str | None) -> dt.date | None:
        return dt.date.fromisoformat(text) if text else None

    return SearchRequest(
        query=args.query, sources=args.source or [], countries=args.country or [],
        cities=args.city or [], languages=args.language or [], year=args.year, month=args.month,
        date_from=day(args.date_from), date_to=day(args.date_to), undated=args.undated,
        sort=args.sort, page=args.page, page_size=args.page_size or settings.default_page_size,
        # Syndicated copies: one story's copies (--story), every copy shown (--all-copies).
        stories=getattr(args, "story", None) or [], collapse=not getattr(args, "all_copies", False))


def _print_page(page: object) -> None:
    import html
    import re

    p = page  # a SearchPage
    first = (p.request.page - 1) * p.request.page_size + 1  # type: ignore[attr-defined]
    stories = f" in {p.stories} stories" if p.collapsed and p.stories is not None else ""  # type: ignore[attr-defined]
    print(f"{p.total} results{stories} ({p.took_ms:.0f} ms)")  # type: ignore[attr-defined]
    if p.partial:  # type: ignore[attr-defined]
        print(f"note: {p.partial_note()}")  # type: ignore[attr-defined]
    for note in p.notes:  # type: ignore[attr-defined]
        print(f"note: {note}")
    if p.suggestion:  # type: ignore[attr-defined]
        print(f"did you mean: {p.suggestion}")  # type: ignore[attr-defined]
    bold = sys.stdout.isatty()
    for n, hit in enumerate(p.hits, first):  # type: ignore[attr-defined]
        places = ", ".join(hit.cities + hit.countries)
        print(f"\n{n}. {hit.title}")
        print(f"   {hit.published or 'date unknown'} | {hit.source_name} | {hit.language}"
              + (f" | {places}" if places else "") + f" | {hit.id}")
        text = re.sub(r"</?mark>", lambda m: ("\033[1m" if m.group() == "<mark>" else "\033[0m")
                      if bold else "", hit.snippet)
        print(f"   {html.unescape(text)}")
        if hit.copies > 1 and not p.request.stories:  # type: ignore[attr-defined]
            where = ", ".join(f"{c.source_name or c.source} ({c.published or 'date unknown'})"
                              for c in hit.other_copies)
            more = hit.copies - 1 - len(hit.other_copies)
            print(f"   {hit.copies} copies: {where}" + (f" and {more} more" if more > 0 else "")
                  + f" | all: --story {hit.story}")
    for name, values in p.facets.items():  # type: ignore[attr-defined]
        if values:
            print(f"\n{name}: " + ", ".join(f"{v.label or v.value} ({v.count})" for v in values[:8]))


def _ask(args: argparse.Namespace, ask: Callable[[Any, Settings], Any]) -> Any:
    """Return ask(search service, settings) on the index of `args`; print the error and return None on a bad request."""
    from searchapp.errors import SearchAppError
    from searchapp.search.service import SearchService

    settings = Settings.from_env(index_dir=args.index)
    try:
        with SearchService(settings) as engine:
            return ask(engine, settings)
    except (SearchAppError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return None


def _print_json(data: dict) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=1)
    print()


def cmd_search(args: argparse.Namespace) -> int:
    """Search the index and print a listing, or the whole SearchPage as JSON."""
    page = _ask(args, lambda engine, settings: engine.search(_search_request(args, settings)))
    if page is None:
        return 2
    if args.json:
        _print_json(page.to_json())
    else:
        _print_page(page)
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    """Count each query per period under the same filters; print a table, or the comparison as JSON."""
    queries = [q for q in args.queries if q.strip()] + ([""] if args.baseline else [])
    shared = argparse.Namespace(**vars(args), query="", undated=False, sort="relevance", page=1, page_size=None)
    cmp = _ask(args, lambda engine, settings: engine.compare(_search_request(shared, settings), queries))
    if cmp is None:
        return 2
    if args.json:
        _print_json(cmp.to_json())
        return 0
    names = [s.label for s in cmp.series]
    width = max([len(cmp.unit)] + [len(b.label) for b in cmp.buckets] + [len("date unknown")])
    cols = [max(8, len(n)) for n in names]
    print(f"{cmp.unit:<{width}}  " + "  ".join(f"{n:>{c}}" for n, c in zip(names, cols)))
    for j, b in enumerate(cmp.buckets):
        print(f"{b.label:<{width}}  " + "  ".join(f"{s.counts[j]:>{c},}" for s, c in zip(cmp.series, cols)))
    print(f"{'date unknown':<{width}}  " + "  ".join(f"{s.undated:>{c},}" for s, c in zip(cmp.series, cols)))
    print(f"{'all':<{width}}  " + "  ".join(f"{s.total:>{c},}" for s, c in zip(cmp.series, cols)))
    for s in cmp.series:
        for note in s.notes + [f"{m['name']} did not answer ({m['reason']})" for m in s.missing_shards]:
            print(f"note ({s.label}): {note}", file=sys.stderr)
    for note in cmp.notes:
        print(f"note: {note}", file=sys.stderr)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """Write every result of a search (up to export_max_rows) as CSV or JSON lines."""
    from searchapp.search.export import article_url
    from searchapp.search.export_formats import encode

    if args.max_rows is not None and args.max_rows < 1:
        print("error: --max-rows must be at least 1", file=sys.stderr)
        return 2

    def write(engine: Any, settings: Settings) -> Any:
        base = args.base_url or f"http://{settings.host}:{settings.port}"
        # Matched first: a query the parser refuses leaves no empty file behind.
        export = engine.export(_search_request(args, settings), max_rows=args.max_rows, article_url=article_url(base))
        with _open_out(args.out, binary=True) as out:
            for chunk in encode(export.rows(), args.format):
                out.write(chunk)
        return export.report

    report = _ask(args, write)
    if report is None:
        return 2
    for note in report.notes:
        print(f"note: {note}", file=sys.stderr)
    for kind, message in report.messages():
        print(f"{kind}: {message}", file=sys.stderr)
    where = "" if args.out == "-" else f" to {args.out}"
    print(f"exported {report.rows:,} of {report.total:,} matching articles{where} ({args.format})",
          file=sys.stderr)
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    """Print the index's generation, size on disk, last commit and per-source counts as JSON."""
    from searchapp.files import size_on_disk
    from searchapp.search.service import SearchService

    settings = Settings.from_env(index_dir=args.index)
    with SearchService(settings) as engine:
        out = engine.stats()
        if out["ok"]:
            out["sources"] = engine.sources()
    # The live version's folder is named by the backend's generation (Whoosh: index/gen-N).
    live = settings.index_dir / out["generation"] if out.get("generation") else None
    out["size_on_disk"] = {
        "live_generation_bytes": size_on_disk(live) if live is not None else 0,
        "index_dir_bytes": size_on_disk(settings.index_dir),
    }
    out["size_on_disk"]["human"] = _human_bytes(out["size_on_disk"]["live_generation_bytes"])
    json.dump(out, sys.stdout, ensure_ascii=False, indent=1, default=str)
    print()
    return 0 if out["ok"] else 1


def _human_bytes(n: int) -> str:
    size = float(n)
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:,.0f} {unit}" if unit == "bytes" else f"{size:,.1f} {unit}"
        size /= 1024
    return f"{n} bytes"


def cmd_check(args: argparse.Namespace) -> int:
    """Tell whether the index matches the corpus (exit 1 when a reindex would change it)."""
    from searchapp.indexing.check import check

    import os

    settings = Settings.from_env(corpus_dir=args.corpus, index_dir=args.index)
    # Without --corpus, compare with the corpus the index was built from, not with ./corpus.
    given = args.corpus is not None or "SEARCHAPP_CORPUS_DIR" in os.environ
    result = check(settings, corpus_given=given)
    print("\n".join(result.lines()))
    return 0 if result.ok else 1

# -- saved searches and alerts (searchapp/search/alerts.py) -----------------------------------


def _desk(args: argparse.Namespace, act: Callable[[Any], Any]) -> Any:
    """Return act(desk) on the index of `args`; print the error and return None when it fails."""
    from searchapp.errors import SearchAppError
    from searchapp.search.alerts import Desk
    from searchapp.search.service import SearchService

    settings = Settings.from_env(index_dir=args.index)
    try:
        with SearchService(settings) as engine:
            return act(Desk(engine))
    except (SearchAppError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return None


def cmd_saved(args: argparse.Namespace) -> int:
    """Save a search under a name, list the saved searches, or remove one."""
    from searchapp.search.desk_store import request_to_json

    def act(desk: Any) -> Any:
        if args.saved_command == "add":
            shared = argparse.Namespace(**vars(args), page=1, page_size=None)
            saved = desk.save(args.name, _search_request(shared, desk.settings))
            print(f"saved search {saved.id}: {saved.name}; what arrives from now on is new")
        elif args.saved_command == "rm":
            saved = desk.store.find(args.name)
            desk.store.delete(saved.id)
            print(f"removed saved search {saved.id}: {saved.name}")
        else:
            every = desk.store.list()
            if args.json:
                _print_json({"saved": [{"id": s.id, "name": s.name, "created": s.created,
                                        "request": request_to_json(s.request)} for s in every]})
            for s in every if not args.json else ():
                print(f"{s.id}\t{s.name}\t{s.request.query}")
        return True

    return 0 if _desk(args, act) else 2


def cmd_alerts(args: argparse.Namespace) -> int:
    """Print each saved search's new matches and mark them seen (unless --peek); for cron.

    Exit status as grep's: 0 when something new matched, 1 when nothing did, 2 on an error."""
    from searchapp.search.budget import Budget

    def act(desk: Any) -> Any:
        upto = desk.sync()
        out = []
        for saved in desk.store.list():
            # A cron job holds no one up: each saved search has a whole budget of its own.
            got = desk.new_matches(saved, Budget(desk.settings.query_time_limit_s), limit=args.limit, upto=upto)
            with desk.service.backend.reader() as reader:
                articles = {a.id: a for a in reader.articles(got.ids)}
            out.append((got, [articles[i] for i in got.ids if i in articles]))
            # A count cut short by its time (late) may have missed matches: they stay new.
            if not args.peek and got.counted and not got.late:
                desk.mark_seen(saved.id, got.upto)
        return out

    looked = _desk(args, act)
    if looked is None:
        return 2
    if args.json:
        _print_json({"saved": [{"id": g.saved.id, "name": g.saved.name, **g.to_json(),
                                "articles": [{"id": a.id, "title": a.title, "source": a.source,
                                              "published": a.published.isoformat()[:10] if a.published else None,
                                              "url": a.url} for a in arts]}
                               for g, arts in looked], "marked_seen": not args.peek})
    for got, arts in looked if not args.json else ():
        more = f" (showing {len(arts)})" if got.total > len(arts) else ""
        print(f"{got.saved.name}: {got.total:,} new{more}" if got.counted else f"{got.saved.name}: not counted")
        for a in arts:
            print(f"  {a.published.isoformat()[:10] if a.published else 'date unknown'} | {a.source_name} | "
                  f"{a.title} | {a.id}")
        for note in got.notes:
            print(f"note ({got.saved.name}): {note}", file=sys.stderr)
    return 0 if any(g.total for g, _ in looked) else 1


def _corpus_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--corpus", type=Path, help="corpus folder (default: ./corpus)")


def _index_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--index", type=Path, help="index folder (default: ./index)")


def _progress_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--no-progress", action="store_true", help="never show a progress bar")


def _filter_args(p: argparse.ArgumentParser, *, ordered: bool = True) -> None:
    """Add the search's filters and, when `ordered`, undated and sort (`search`, `export`; `compare` has neither)."""
    p.add_argument("--source", action="append", help="only this source (repeatable)")
    p.add_argument("--country", action="append", help="only this country (repeatable)")
    p.add_argument("--city", action="append", help="only this city (repeatable)")
    p.add_argument("--language", action="append", help="only this language code (repeatable)")
    p.add_argument("--year", type=int, help="only this year")
    p.add_argument("--month", type=int, help="only this month (1-12, with --year)")
    p.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD", help="published on or after")
    p.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD", help="published on or before")
    p.add_argument("--story", action="append", help="only the copies of this story (a hit's story key; repeatable)")
    if ordered:
        p.add_argument("--undated", action="store_true", help="only articles without a date")
        p.add_argument("--sort", choices=("relevance", "newest", "oldest"), default="relevance")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="searchapp", description="Search engine for news archives.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    p = sub.add_parser("ingest", help="read the corpus and write clean article records (JSON lines)")
    _corpus_arg(p)
    p.add_argument("--jsonl", metavar="FILE|-", help="write one JSON object per article here")
    p.add_argument("--report", metavar="FILE|-", help="write one JSON object per input file here")
    _progress_arg(p)
    p.set_defaults(func=cmd_ingest)
    p = sub.add_parser("serve", help="serve the web UI and JSON API (gunicorn workers, or waitress)")
    p.add_argument("--host", help="address to listen on (default: 127.0.0.1)")
    p.add_argument("--port", type=int, help="port to listen on (default: 8000)")
    p.add_argument("--corpus", type=Path, help="corpus folder, indexed first when there is no index")
    _index_arg(p)
    p.add_argument("--workers", type=int,
                   help="server processes, each with its own engine (default: the cores; "
                        "1 = one process on waitress)")
    p.add_argument("--threads", type=int, help="threads per server process (default: 8)")
    p.add_argument("--access-log", action="store_true", help="log one line per request to stderr")
    p.add_argument("--no-build", action="store_true",
                   help="do not build a missing index; serve 503 until one appears")
    p.set_defaults(func=cmd_serve)
    p = sub.add_parser("reindex", help="update the index from the corpus (incremental; --full rebuilds)")
    _corpus_arg(p)
    _index_arg(p)
    p.add_argument("--full", action="store_true", help="build a new generation and switch to it")
    p.add_argument("--strict", action="store_true", help="exit 1 when any file failed")
    _progress_arg(p)
    p.set_defaults(func=cmd_reindex)
    p = sub.add_parser("add-source", help="copy or link a folder of articles into corpus/NAME/")
    p.add_argument("name", help="source name: lowercase letters, digits, - or _")
    p.add_argument("path", type=Path, help="folder holding the articles")
    _corpus_arg(p)
    p.add_argument("--link", action="store_true", help="symlink the folder instead of copying it")
    p.add_argument("--display-name", help="name shown to people (default: from NAME)")
    p.add_argument("--language", help="default ISO 639-1 language of the source")
    p.set_defaults(func=cmd_add_source)
    p = sub.add_parser("search", help="search the index")
    p.add_argument("query", nargs="?", default="", help='words, "phrases", AND/OR/NOT, -word, field:value, prefix*')
    _index_arg(p)
    p.add_argument("--json", action="store_true", help="print the whole result page as JSON")
    _filter_args(p)
    p.add_argument("--page", type=int, default=1, help="result page (default: 1)")
    p.add_argument("--page-size", type=int, help="hits per page (default: setting default_page_size)")
    p.add_argument("--all-copies", action="store_true",
                   help="show every copy of a story (default: one hit per story, with its copies)")
    p.set_defaults(func=cmd_search)
    p = sub.add_parser("compare", help="count queries per period side by side, under the same filters")
    p.add_argument("queries", nargs="+", metavar="QUERY", help="two to four queries (the search's syntax)")
    p.add_argument("--baseline", action="store_true", help="also count every article the filters keep")
    _index_arg(p)
    p.add_argument("--json", action="store_true", help="print the comparison as JSON")
    _filter_args(p, ordered=False)
    p.set_defaults(func=cmd_compare)
    p = sub.add_parser("export", help="write every result of a search as CSV or JSON lines")
    p.add_argument("query", nargs="?", default="", help='words, "phrases", AND/OR/NOT, -word, field:value, prefix*')
    _index_arg(p)
    p.add_argument("--format", choices=("csv", "jsonl"), default="csv",
                   help="csv (UTF-8 with a BOM, for spreadsheets; default) or jsonl (one JSON object per line)")
    p.add_argument("--out", metavar="FILE|-", default="-", help="write here (default: - , stdout)")
    _filter_args(p)
    p.add_argument("--max-rows", type=int,
                   help="most rows to write (default: setting export_max_rows)")
    p.add_argument("--base-url", metavar="URL",
                   help="the desk's address, for the desk_url column (default: http://host:port "
                        "of the settings)")
    p.set_defaults(func=cmd_export, page=1, page_size=None)
    p = sub.add_parser("stats", help="print index generation, size, last commit and sources (JSON)")
    _index_arg(p)
    p.set_defaults(func=cmd_stats)
    p = sub.add_parser("check", help="tell whether the index matches the corpus")
    p.add_argument("--corpus", type=Path,
                   help="corpus folder (default: the one the index was built from, else ./corpus)")
    _index_arg(p)
    p.set_defaults(func=cmd_check)
    p = sub.add_parser("saved", help="save a search under a name, list the saved searches, remove one")
    saved = p.add_subparsers(dest="saved_command", metavar="ACTION", required=True)
    q = saved.add_parser("add", help="save QUERY and its filters as NAME: what arrives from now on is new")
    q.add_argument("name", help="the saved search's name")
    q.add_argument("query", nargs="?", default="", help="the search's query (its syntax)")
    _index_arg(q)
    _filter_args(q)
    q = saved.add_parser("list", help="list the saved searches")
    _index_arg(q)
    q.add_argument("--json", action="store_true", help="print them as JSON")
    q = saved.add_parser("rm", help="remove a saved search")
    q.add_argument("name", help="its name or id")
    _index_arg(q)
    p.set_defaults(func=cmd_saved)
    p = sub.add_parser("alerts", help="print each saved search's new matches and mark them seen (for cron; "
                                      "exit 0: something new, 1: nothing new, 2: error)")
    _index_arg(p)
    p.add_argument("--json", action="store_true", help="print them as JSON")
    p.add_argument("--peek", action="store_true", help="do not mark them seen")
    p.add_argument("--limit", type=int, default=20, help="most articles listed per saved search (default: 20)")
    p.set_defaults(func=cmd_alerts)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except ExtractorUnavailable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `searchapp search ... | head` closed our stdout: not an error worth a traceback.
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0

