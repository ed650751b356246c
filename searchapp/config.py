"""Settings: paths and every limit, each with a default and one line of help.

Tests override settings (`Settings(max_file_bytes=10)`), never patch constants.
Environment variables `SEARCHAPP_<NAME>` override defaults for the CLI and server.
"""
from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field, fields
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _cores() -> int:
    """Return the cores this process may run on (the affinity mask, not the machine's count)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _meta(help: str) -> dict[str, str]:
    return {"help": help}


@dataclass(frozen=True)
class Settings:
    corpus_dir: Path = field(default=PROJECT_ROOT / "corpus",
                             metadata=_meta("Folder holding one sub-folder per source."))
    index_dir: Path = field(default=PROJECT_ROOT / "index",
                            metadata=_meta("Folder holding the Whoosh index generations."))
    backend: str = field(default="whoosh",
                         metadata=_meta("Index engine: a package under searchapp/backends/ (whoosh)."))
    sphinxql_topology: str = field(default="", metadata=_meta(
        "TOML file naming the SphinxQL cluster's nodes, shards and mirrors (README); empty: one node at sphinxql_node."))
    sphinxql_node: str = field(default="127.0.0.1:9306:9312",
                               metadata=_meta("host:sql_port:api_port of a one-node SphinxQL setup."))
    sphinxql_connect_timeout_s: float = field(default=1.0, metadata=_meta(
        "Seconds a SphinxQL node may take to accept a connection before it counts as down."))
    sphinxql_write_timeout_s: float = field(default=120.0, metadata=_meta(
        "Seconds one SphinxQL write may take before its node counts as down (a RAM chunk flush takes seconds)."))
    # ingest
    max_file_bytes: int = field(default=20 * 1024 * 1024,
                                metadata=_meta("Files larger than this are skipped unread."))
    max_jsonl_line_bytes: int = field(default=5 * 1024 * 1024,
                                      metadata=_meta("JSON-lines records, and CSV/TSV fields, longer than this are skipped."))
    max_html_elements: int = field(default=200_000,
                                   metadata=_meta("HTML pages are cut after this many elements (bounds the work per page)."))
    htmldate_max_elements: int = field(default=10_000,
                                       metadata=_meta("Pages with more elements skip htmldate's date search."))
    template_min_docs: int = field(default=3,
                                   metadata=_meta("A line seen in this many files of one source is template text."))
    template_min_share: float = field(default=0.3,
                                      metadata=_meta("...and in at least this share of the source's files."))
    template_sample_files: int = field(default=200,
                                       metadata=_meta("Files per source sampled to find template lines."))
    template_reuse_files: int = field(default=2000, metadata=_meta(
        "Sampled files (all sources) whose read is kept for their ingest; later ones are read again (bounds memory)."))
    ingest_workers: int = field(default=max(1, min(4, os.cpu_count() or 1)),
                                metadata=_meta("Processes that extract articles in parallel (1 = in-process)."))
    parallel_min_files: int = field(default=8,
                                    metadata=_meta("Fewer files than this are ingested in-process."))
    # search
    max_query_chars: int = field(default=500, metadata=_meta("Longest query accepted, in characters."))
    max_query_terms: int = field(default=32, metadata=_meta("Most words/terms in one query."))
    min_prefix_chars: int = field(default=3, metadata=_meta("Shortest stem allowed before a trailing *."))
    max_prefix_expansions: int = field(default=512, metadata=_meta("Most index terms one prefix* may expand to."))
    default_page_size: int = field(default=10, metadata=_meta("Hits per page unless asked otherwise."))
    max_page_size: int = field(default=100, metadata=_meta("Most hits per page."))
    max_page: int = field(default=100, metadata=_meta("Deepest page that can be asked for."))
    query_time_limit_s: float = field(default=5.0, metadata=_meta("Time budget for one search, in seconds."))
    max_compare_queries: int = field(default=4, metadata=_meta(
        "Most queries one comparison counts (they share one search's time budget)."))
    max_spell_words: int = field(default=3, metadata=_meta("Most words of one query looked at for a spelling suggestion."))
    max_spell_candidates: int = field(default=24, metadata=_meta("Most correction candidates weighed per word."))
    spell_min_similarity: float = field(default=0.75, metadata=_meta("A correction must be at least this similar to the word (1 - edits/length)."))
    max_expansion_terms: int = field(default=64, metadata=_meta("Most words aliases and cross-script place names may add to one query."))
    facet_limit: int = field(default=20, metadata=_meta("Most values shown per facet."))
    collapse_window: int = field(default=1000, metadata=_meta(
        "Most ranked matches looked at to show one hit per story (syndicated copies); pages past them need collapse=0."))
    copies_listed: int = field(default=5, metadata=_meta("Most other copies of a story named beside a hit."))
    few_results: int = field(default=10, metadata=_meta("An AND query with fewer hits (less than a page) also shows partial matches after them."))
    best_match_words: int = field(default=6, metadata=_meta(
        "A plain query of more distinct words than this is ranked best-match first, not ANDed."))
    snippet_chars: int = field(default=240, metadata=_meta("Target length of a result snippet."))
    # export (searchapp/search/export.py): bounded, so an export never holds the other requests
    export_max_rows: int = field(default=10_000, metadata=_meta(
        "Most rows one export writes (CSV or JSON lines); the rest are cut, and the export says so."))
    export_time_limit_s: float = field(default=30.0, metadata=_meta(
        "Time budget for one export, matching (itself within query_time_limit_s) and reading its rows."))
    export_batch_rows: int = field(default=200, metadata=_meta(
        "Stored articles an export reads at a time; the engine is free for other requests between batches."))
    export_concurrency: int = field(default=2, metadata=_meta(
        "Exports one server process reads at once; another gets a 429 with Retry-After (the threads stay free for searches)."))
    # saved searches and alerts (searchapp/search/desk_store.py, alerts.py)
    desk_file: str = field(default="", metadata=_meta(
        "SQLite file of the desk's saved searches and article arrivals; empty: index_dir/desk.sqlite3."))
    alert_max_arrivals: int = field(default=10_000, metadata=_meta(
        "Most newly arrived articles one saved search checks per look (the newest); more are reported as unchecked."))
    alert_feed_entries: int = field(default=50, metadata=_meta("Entries in a saved search's Atom feed."))
    desk_sync_wait_share: float = field(default=0.5, metadata=_meta(
        "Share of a desk request's remaining time budget it may wait for the background sync of a new commit's "
        "arrivals; past it the counts are of the commit before, saying so (0: never wait)."))
    # the Whoosh backend's caches (searchapp/backends/whoosh/): bounded by what they hold
    postings_cache_budget: int = field(default=4_000_000, metadata=_meta(
        "Raw postings (about 12 bytes each) kept across index versions; a segment is read once."))
    term_cache_budget: int = field(default=4_000_000, metadata=_meta(
        "Scored postings (about 16 bytes each) kept per open index version."))
    phrase_cache_size: int = field(default=512, metadata=_meta(
        "Phrase match sets kept per open index version."))
    # web
    host: str = field(default="127.0.0.1", metadata=_meta("Address the server listens on."))
    port: int = field(default=8000, metadata=_meta("Port the server listens on."))
    workers: int = field(default=_cores(), metadata=_meta(
        "Server processes, each with its own engine (gunicorn on POSIX; 1 = one process on waitress)."))
    threads: int = field(default=8, metadata=_meta("Worker threads of each server process."))
    trusted_proxy: str = field(default="", metadata=_meta(
        "Address of the reverse proxy in front of the server (e.g. 127.0.0.1): its X-Forwarded-Proto, "
        "-Host and -For are believed, so pages and the same-origin check see the address readers use. "
        "Empty: no proxy is trusted and those headers are dropped."))
    access_log: bool = field(default=False, metadata=_meta(
        "Log one line per request (common log format, seconds, pid) to stderr."))
    health_wait_s: float = field(default=0.5,
                                 metadata=_meta("/healthz waits this long for a busy engine, then answers from its last check."))

    def replace(self, **changes: object) -> "Settings":
        return dataclasses.replace(self, **changes)

    @classmethod
    def from_env(cls, **overrides: object) -> "Settings":
        """Defaults, then SEARCHAPP_* environment variables, then explicit overrides."""
        values: dict[str, object] = {}
        for f in fields(cls):
            raw = os.environ.get(f"SEARCHAPP_{f.name.upper()}")
            if raw is None:
                continue
            default = f.default
            if isinstance(default, Path):
                values[f.name] = Path(raw)
            elif isinstance(default, bool):
                values[f.name] = raw.lower() in ("1", "true", "yes")
            elif isinstance(default, int):
                values[f.name] = int(raw)
            elif isinstance(default, float):
                values[f.name] = float(raw)
            else:
                values[f.name] = raw
        values.update({k: v for k, v in overrides.items() if v is not None})
        for key in ("corpus_dir", "index_dir"):
            if key in values:
                values[key] = Path(values[key])  # type: ignore[arg-type]
        return cls(**values)  # type: ignore[arg-type]


def describe() -> list[tuple[str, object, str]]:
    """Return (name, default, help) for every setting, for --help and the docs test."""
    return [(f.name, f.default, f.metadata.get("help", "")) for f in fields(Settings)]
