"""The `searchapp` command line: a thin layer over the library; each command is one function."""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Iterator

from searchapp.config import Settings


@contextmanager
def _open_out(target: str | None) -> Iterator[IO[str] | None]:
    """Yield a text stream for FILE, stdout for "-", or None when no output was asked for."""
    if target is None:
        yield None
    elif target == "-":
        yield sys.stdout
    else:
        path = Path(target)
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "w", encoding="utf-8") as fh:
            yield fh


def cmd_ingest(args: argparse.Namespace) -> int:
    """Ingest the corpus and write articles and the per-file report as JSON lines."""
    from searchapp.ingest.pipeline import ingest_corpus

    settings = Settings.from_env(corpus_dir=args.corpus)
    if not settings.corpus_dir.is_dir():
        print(f"error: corpus folder {settings.corpus_dir} does not exist", file=sys.stderr)
        return 2
    counts: Counter[str] = Counter()
    n_articles = 0
    # The summary goes to stderr when stdout carries JSON, so the stream stays parseable.
    summary_out = sys.stderr if "-" in (args.jsonl, args.report) else sys.stdout
    with _open_out(args.jsonl) as articles_out, _open_out(args.report) as report_out:
        for outcome, articles in ingest_corpus(settings, progress=None if not args.no_progress else False):
            counts[outcome.outcome] += 1
            n_articles += len(articles)
            if articles_out is not None:
                for article in articles:
                    articles_out.write(json.dumps(article.to_json(), ensure_ascii=False) + "\n")
            if report_out is not None:
                report_out.write(json.dumps(outcome.to_json(), ensure_ascii=False) + "\n")
            if outcome.outcome in ("skipped", "failed"):
                print(f"{outcome.outcome}: {outcome.path}: {outcome.reason}", file=sys.stderr)
    files = sum(counts.values())
    print(f"ingested {files} files: {counts['indexed']} indexed, {counts['skipped']} skipped, "
          f"{counts['failed']} failed; {n_articles} articles", file=summary_out)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve the web UI and JSON API, building the index from the corpus first if there is none."""
    from searchapp.serve import run

    settings = Settings.from_env(host=args.host, port=args.port, corpus_dir=args.corpus,
                                 index_dir=args.index, threads=args.threads)
    return run(settings, build=not args.no_build)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="searchapp", description="Search engine for news archives.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    p = sub.add_parser("ingest", help="read the corpus and write clean article records (JSON lines)")
    p.add_argument("--corpus", type=Path, help="corpus folder (default: ./corpus)")
    p.add_argument("--jsonl", metavar="FILE|-", help="write one JSON object per article here")
    p.add_argument("--report", metavar="FILE|-", help="write one JSON object per input file here")
    p.add_argument("--no-progress", action="store_true", help="never show a progress bar")
    p.set_defaults(func=cmd_ingest)
    p = sub.add_parser("serve", help="serve the web UI and JSON API (waitress)")
    p.add_argument("--host", help="address to listen on (default: 127.0.0.1)")
    p.add_argument("--port", type=int, help="port to listen on (default: 8000)")
    p.add_argument("--corpus", type=Path, help="corpus folder, indexed first when there is no index")
    p.add_argument("--index", type=Path, help="index folder (default: ./index)")
    p.add_argument("--threads", type=int, help="worker threads (default: 8)")
    p.add_argument("--no-build", action="store_true",
                   help="do not build a missing index; serve 503 until one appears")
    p.set_defaults(func=cmd_serve)
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
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130

