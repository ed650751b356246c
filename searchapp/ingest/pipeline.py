"""The ingest pipeline: discover -> decode -> read -> split -> clean -> extract, one place.

`ingest_file` is the I/O edge (stat, read, decode); everything after decoding is pure and
reachable through `ingest_text` for tests. No input makes it raise: a file that can't become
articles gets an outcome with the reason.
"""
from __future__ import annotations

import hashlib
import os
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from pathlib import Path
from typing import Callable, Iterator, Literal, NamedTuple, Sequence, TypeVar

from searchapp.config import Settings
from searchapp.errors import DecodeError, ExtractorUnavailable
from searchapp.ingest import clean, dates, delimited, discover, extract, readers, split
from searchapp.ingest.decode import REPLACED, decode_bytes, replaced_count
from searchapp.models import Article, Draft, IngestOutcome, SourceConfig

Format = Literal["txt", "html", "jsonl", "json", "csv", "tsv", "feed", "xlsx"]
# exports and feeds: one article per record or item, never split
RECORD_FORMATS = frozenset({"jsonl", "json", "csv", "tsv", "feed", "xlsx"})
BINARY_FORMATS = frozenset({"xlsx"})   # read as bytes by their reader, never decoded as text


def article_id(source: str, rel_path: str, item: int) -> str:
    """Return a stable id from the source, the path under corpus/ and the item's position."""
    digest = hashlib.sha1(rel_path.encode("utf-8", "surrogatepass")).hexdigest()[:12]
    return f"{source}/{digest}-{item}"


def read_drafts(text: str | bytes, fmt: Format, settings: Settings, source: SourceConfig | None = None
                ) -> tuple[list[Draft], list[str], list[str]]:
    """Run the reader for `fmt` (bytes for BINARY_FORMATS, else decoded text); return the drafts, why
    records were dropped, and the file's warnings."""
    if isinstance(text, bytes):
        from searchapp.ingest.spreadsheet import read_xlsx  # openpyxl: load only when a workbook comes

        drafts, bad, warnings = read_xlsx(text, source, max_field_chars=settings.max_jsonl_line_bytes)
        return drafts, [b.reason for b in bad], warnings
    if fmt == "html":
        from searchapp.ingest.html import read_html  # lxml is heavy; load only when needed

        return read_html(text, settings), [], []
    if fmt in RECORD_FORMATS:
        if fmt == "jsonl":
            drafts, bad, warnings = readers.read_jsonl(text, max_line_chars=settings.max_jsonl_line_bytes,
                                                       source=source)
        elif fmt == "json":
            from searchapp.ingest.json_document import read_json

            drafts, bad, warnings = read_json(text, max_line_chars=settings.max_jsonl_line_bytes, source=source)
        elif fmt == "feed":
            from searchapp.ingest.feeds import read_feed  # feedparser: load only when a feed comes

            drafts, bad, warnings = read_feed(text, source=source)
        else:
            drafts, bad, warnings = delimited.read_delimited(
                text, tsv=fmt == "tsv", max_field_chars=settings.max_jsonl_line_bytes, source=source)
        return drafts, [b.reason for b in bad], warnings
    return readers.read_txt(text), [], []


def drafts_to_articles(drafts: list[Draft], *, fmt: Format, source: SourceConfig, rel_path: str,
                       templates: frozenset[str] = frozenset(), warnings: list[str] | None = None
                       ) -> list[Article]:
    """Split listing pages, clean, and extract an Article per item (pure); date warnings go to `warnings`."""
    if not source.order_stated:
        # ("10/11/2022" is read the way the file's other dates show: an outlet writes one order)
        order = dates.evident_order((t for d in drafts for t in (d.date_raw, *d.blocks)), source.date_order)
        source = replace(source, date_order=order) if order != source.date_order else source
    items: list[Draft] = []
    for draft in drafts:
        items.extend([draft] if fmt in RECORD_FORMATS else split.split_listing(draft, order=source.date_order))
    articles = []
    unread: list[tuple[str | None, str]] = []     # (where, raw) of stated dates that were not understood
    yearless: list[str] = []
    for n, item in enumerate(items):
        cleaned = clean.clean_draft(item, templates, dump=(fmt == "txt" and item.title is None),
                                    order=source.date_order)
        if not cleaned.blocks and not cleaned.title:
            continue
        position = item.item if fmt in RECORD_FORMATS else n
        article = extract.extract_article(
            cleaned, source=source, rel_path=rel_path, article_id=article_id(source.name, rel_path, position))
        articles.append(article)
        if cleaned.date_raw and not _date_understood(cleaned.date_raw, article, source.date_order):
            unread.append((cleaned.date_provenance, cleaned.date_raw))
        elif article.published is None and article.published_raw and dates.split_partial(article.published_raw):
            yearless.append(article.published_raw)   # "31 янв": a day the text states, in no year it states
    if unread and warnings is not None:
        warnings.append(_date_warning(unread, len(articles), fmt))
    if yearless and warnings is not None:
        examples = ", ".join(f"{raw[:40]!r}" for raw in list(dict.fromkeys(yearless))[:3])
        warnings.append(f"date without a year in {len(yearless)} of {len(articles)} "
                        f"{'records' if fmt in RECORD_FORMATS else 'articles'} ({examples}); their date is unknown")
    return articles


def _date_understood(stated: str, article: Article, order: str) -> bool:
    """Say whether a date the file states was read (as the article's date or a date at all)."""
    if article.published is not None and (article.published_raw or "").strip() == stated.strip():
        return True
    return dates.parse_date(stated, order=order) is not None


def _date_warning(unread: list[tuple[str | None, str]], total: int, fmt: Format) -> str:
    """Say which stated dates could not be read, with a few examples, in one line."""
    examples = ", ".join(f"{raw[:40]!r}" for raw in list(dict.fromkeys(r for _, r in unread))[:3])
    where = ", ".join(sorted({(p or "stated").split(":", 1)[-1] for p, _ in unread}))
    if fmt in RECORD_FORMATS:
        return (f"date not understood in {len(unread)} of {total} records (field {where}: {examples}); "
                f"their date is taken from the text or unknown")
    return f"date not understood ({where}: {examples}); the date is taken from the text or unknown"


def ingest_text(text: str, *, fmt: Format, source: SourceConfig, rel_path: str = "x.txt",
                settings: Settings | None = None, templates: frozenset[str] = frozenset(),
                warnings: list[str] | None = None) -> list[Article]:
    """Turn decoded text into Articles (pure; for tests and benchmarks); the file's warnings go to `warnings`."""
    drafts, _, read_warnings = read_drafts(text, fmt, settings or Settings(), source)
    if warnings is not None:
        warnings.extend(read_warnings)
    return drafts_to_articles(drafts, fmt=fmt, source=source, rel_path=rel_path, templates=templates,
                              warnings=warnings)


def _read_limited(path: Path, limit: int) -> bytes:
    """Read a file, refusing (without reading) one larger than `limit` bytes."""
    size = path.stat().st_size
    if size > limit:
        raise _TooBig(size)
    with open(path, "rb") as fh:
        data = fh.read(limit + 1)
    if len(data) > limit:  # it grew while we looked
        raise _TooBig(len(data))
    return data


class _TooBig(Exception):
    def __init__(self, size: int) -> None:
        self.size = size


def load_text(corpus_dir: Path, rel_path: str, source: SourceConfig, settings: Settings
              ) -> tuple[str | bytes, Format, list[str]]:
    """Read and decode one corpus file (a binary format stays bytes); raise _Skip or DecodeError with the reason.

    Returns the text, its format and the warnings of its decoding (bytes that were replaced).
    """
    fmt = discover.file_format(rel_path)
    if fmt is None:
        raise _Skip(f"unsupported file type {Path(rel_path).suffix or '(no extension)'!r}; "
                    f"supported: {', '.join(sorted(discover.SUPPORTED))}")
    path = corpus_dir / rel_path
    try:
        data = _read_limited(path, settings.max_file_bytes)
    except _TooBig as big:
        raise _Skip(f"file too large: {big.size:,} bytes is over the limit of "
                    f"{settings.max_file_bytes:,} (setting max_file_bytes)") from None
    except FileNotFoundError:
        raise _Fail("file disappeared before it could be read") from None
    except IsADirectoryError:
        raise _Skip("not a regular file") from None
    except PermissionError:
        raise _Fail("permission denied: the file is not readable") from None
    except OSError as exc:
        raise _Fail(f"could not read the file: {exc.strerror or exc}") from None
    if not data.strip():
        raise _Skip("empty file" if not data else "file holds only whitespace")
    if fmt in BINARY_FORMATS:
        return data, fmt, []
    # (html=True also reads an XML declaration's encoding: a Russian feed is often windows-1251)
    text, encoding = decode_bytes(data, declared=source.encoding, html=(fmt in ("html", "feed")))
    if not text.strip():
        raise _Skip("file holds only whitespace")
    warnings = []
    if encoding == REPLACED:
        n = replaced_count(text)
        warnings.append(f"{n} byte sequence{'s' if n != 1 else ''} not valid UTF-8 (a corrupt or cut file?) "
                        f"replaced by \ufffd; the rest of the file read as UTF-8")
    return text, fmt, warnings


class _Skip(Exception):
    pass


class _Fail(Exception):
    pass


def ingest_file(corpus_dir: Path, rel_path: str, source: SourceConfig, settings: Settings,
                templates: frozenset[str] = frozenset(), read: Read | None = None
                ) -> tuple[IngestOutcome, list[Article]]:
    """Ingest one file (or finish one already `read`); never raises for bad input: the outcome carries the reason."""
    warnings = list(source.warnings)
    try:
        _, fmt, drafts, dropped, read_warnings = read or _read_file(corpus_dir, rel_path, source, settings)
        warnings.extend(read_warnings)
        articles = drafts_to_articles(drafts, fmt=fmt, source=source, rel_path=rel_path, templates=templates,
                                      warnings=warnings)
    except _Skip as exc:
        return IngestOutcome(rel_path, "skipped", str(exc)), []
    except _Fail as exc:
        return IngestOutcome(rel_path, "failed", str(exc)), []
    except DecodeError as exc:
        return IngestOutcome(rel_path, "failed", str(exc)), []
    except ExtractorUnavailable:
        raise  # every file would fail the same way: stop the run with the reason
    except RecursionError:
        return IngestOutcome(rel_path, "failed", "document nested too deeply to read"), []
    except MemoryError:
        return IngestOutcome(rel_path, "failed", "out of memory while reading the document"), []
    except Exception as exc:  # a bug must not stop the run; the report names it
        return IngestOutcome(rel_path, "failed", f"internal error while extracting: {type(exc).__name__}: {exc}"[:300]), []
    if not articles:
        why = "; ".join(dropped[:5]) if dropped else "no article text found after cleaning"
        return IngestOutcome(rel_path, "skipped", why, warnings=warnings), []
    reason = ""
    if dropped:
        reason = f"{len(dropped)} record(s) dropped: " + "; ".join(dropped[:5])
    return IngestOutcome(rel_path, "indexed", reason, [a.id for a in articles], warnings), articles


def sample_templates(corpus_dir: Path, sources: Sequence[tuple[SourceConfig, list[str]]], settings: Settings,
                     pool: WorkerPool | None = None) -> tuple[dict[str, frozenset[str]], dict[str, Read]]:
    """Find each source's template lines from an even sample of its files, read on `pool`'s workers.

    The samples of all sources go to the workers as one batch (a corpus of many small folders
    keeps every worker busy). Also return each sampled file's read, which the ingest reuses.
    """
    picks: list[tuple[str, list[str]]] = []
    for source, files in sources:
        files = [r for r in files if discover.file_format(r) in ("txt", "html")]
        if len(files) < settings.template_min_docs:
            picks.append((source.name, []))
            continue
        # An even sample finds lines that recur in a large share of files at a bounded cost.
        step = max(1, len(files) // settings.template_sample_files)
        picks.append((source.name, files[::step][: settings.template_sample_files]))
    by_name = {source.name: source for source, _ in sources}
    calls = [(corpus_dir, rel, by_name[name], settings) for name, rels in picks for rel in rels]
    results = iter((pool or WorkerPool(settings, workers=1)).map(_read_sample, calls))
    templates: dict[str, frozenset[str]] = {}
    reads: dict[str, Read] = {}
    for name, rels in picks:
        per_file: list[list[str]] = []
        for rel in rels:
            read = next(results)
            if read is not None:
                if len(reads) < settings.template_reuse_files:
                    reads[rel] = read
                per_file.append([b for d in read.drafts for b in d.blocks])
        templates[name] = (clean.template_lines(per_file, min_docs=settings.template_min_docs,
                                                min_share=settings.template_min_share)
                           if rels else frozenset())
    return templates, reads


class Read(NamedTuple):
    """What reading one file gave (the part of its ingest that does not depend on template lines)."""

    stamp: tuple[int, int]       # (size, mtime_ns) before it was read: the file's version
    fmt: Format
    drafts: list[Draft]
    dropped: list[str]
    warnings: list[str]


def _stamp(path: Path) -> tuple[int, int]:
    st = path.stat()
    return st.st_size, st.st_mtime_ns


def _unchanged(path: Path, stamp: tuple[int, int]) -> bool:
    try:
        return _stamp(path) == stamp
    except OSError:
        return False


def _read_file(corpus_dir: Path, rel: str, source: SourceConfig, settings: Settings) -> Read:
    """Read, decode and run the reader on one file; raise as load_text and the readers do."""
    try:
        stamp = _stamp(corpus_dir / rel)
    except OSError:
        stamp = (-1, -1)        # never a file's stamp: not reused (load_text says why it cannot read it)
    text, fmt, decoding = load_text(corpus_dir, rel, source, settings)
    drafts, dropped, warnings = read_drafts(text, fmt, settings, source)
    return Read(stamp, fmt, drafts, dropped, decoding + warnings)


def _read_sample(corpus_dir: Path, rel: str, source: SourceConfig, settings: Settings) -> Read | None:
    """Read one sampled file; None when it cannot be read (its ingest then reports why)."""
    try:
        return _read_file(corpus_dir, rel, source, settings)
    except Exception:
        return None


Job = tuple[str, SourceConfig, frozenset[str]]  # (path under corpus/, its source, its template lines)


def _ingest_job(corpus_dir: Path, job: Job, settings: Settings, read: Read | None = None
                ) -> tuple[IngestOutcome, list[Article]]:
    rel, source, templates = job
    if read is not None and not _unchanged(corpus_dir / rel, read.stamp):
        read = None             # changed since the sample read it: read it again
    return ingest_file(corpus_dir, rel, source, settings, templates, read=read)


def _exit_with_parent(parent: int) -> None:
    """Run in each worker: exit when the process that made the pool is gone.

    A pool worker waits on its call queue forever and, under forkserver, its parent is the fork
    server, which outlives a killed reindex as well: without this, kill -9 of a reindex left
    the workers and the fork server running (tests/test_reliability_crash.py).
    """
    import threading
    import time

    def watch() -> None:
        while True:
            time.sleep(0.5)
            try:
                os.kill(parent, 0)
            except ProcessLookupError:
                os._exit(1)
            except PermissionError:  # alive, owned by someone else
                pass

    threading.Thread(target=watch, name="watch-parent", daemon=True).start()


T = TypeVar("T")


class WorkerPool:
    """The ingest's worker processes: started on first use, shared by the template sample and the ingest.

    Extraction is pure CPU, so a process per core is what makes a big corpus fast. A worker that
    dies (out of memory, killed) loses no call: the rest run in this process, as does every later
    call. Few calls, or `workers` <= 1, run in this process without starting any.
    """

    def __init__(self, settings: Settings, workers: int | None = None) -> None:
        self.workers = settings.ingest_workers if workers is None else workers
        self.min_calls = settings.parallel_min_files
        self._pool: ProcessPoolExecutor | None = None
        self._broken = False

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop the workers (calls not yet started are cancelled) and wait for them to exit.

        Waiting costs a running call at most; not waiting leaves the executor's manager thread
        closing its wakeup pipe while the interpreter's exit hook writes to it (Python 3.11), which
        printed a traceback at the end of a reindex.
        """
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            import multiprocessing

            # forkserver, not fork: the caller may hold an index writer or threads we must not clone.
            context = multiprocessing.get_context("forkserver")
            # The fork server loads the models once; every worker of every run forks with them loaded.
            context.set_forkserver_preload(["__main__", "searchapp.ingest.warm"])
            self._pool = ProcessPoolExecutor(self.workers, mp_context=context,
                                             initializer=_exit_with_parent, initargs=(os.getpid(),))
        return self._pool

    def map(self, fn: Callable[..., T], calls: Sequence[tuple]) -> Iterator[T]:
        """Yield fn(*call) for each call, in order, on the workers when there are enough calls."""
        if self.workers <= 1 or self._broken or len(calls) < self.min_calls:
            for call in calls:
                yield fn(*call)
            return
        pool = self._executor()
        pending: deque[tuple[tuple, Future]] = deque()
        queue = iter(calls)
        try:
            for call in queue:
                pending.append((call, pool.submit(fn, *call)))
                if len(pending) >= self.workers * 4:
                    break
            while pending:
                call, fut = pending.popleft()
                try:
                    result = fut.result()
                except BrokenProcessPool:
                    # A worker died: this call and every later one run here instead.
                    self._broken = True
                    self.close()
                    for rest in [call, *(c for c, _ in pending), *queue]:
                        yield fn(*rest)
                    pending.clear()
                    return
                yield result
                nxt = next(queue, None)
                if nxt is not None:
                    pending.append((nxt, pool.submit(fn, *nxt)))
        finally:
            for _, fut in pending:  # the caller stopped early
                fut.cancel()


def ingest_many(corpus_dir: Path, jobs: Sequence[Job], settings: Settings, workers: int | None = None, *,
                pool: WorkerPool | None = None, reads: dict[str, Read] | None = None
                ) -> Iterator[tuple[IngestOutcome, list[Article]]]:
    """Ingest many files, in order, on `pool` (or `settings.ingest_workers` processes of its own).

    Results come back in job order so callers (the index writer) see the same sequence as a
    serial run. A file in `reads` (the template sample) is not read again unless it changed.
    """
    reads = reads or {}
    calls = [(corpus_dir, job, settings, reads.get(job[0])) for job in jobs]
    if pool is not None:
        yield from pool.map(_ingest_job, calls)
        return
    with WorkerPool(settings, workers) as own:
        yield from own.map(_ingest_job, calls)


def ingest_corpus(settings: Settings, *, progress: bool | None = None) -> Iterator[tuple[IngestOutcome, list[Article]]]:
    """Ingest every file of every source under settings.corpus_dir, one outcome per file."""
    from searchapp.progress import progress_bar

    corpus = settings.corpus_dir
    sources = [(src, discover.list_files(corpus, src.name)) for src in discover.list_sources(corpus)]
    with WorkerPool(settings) as pool:
        templates, reads = sample_templates(corpus, sources, settings, pool)
        jobs = [(rel, src, templates[src.name]) for src, files in sources for rel in files]
        with progress_bar(total=len(jobs), desc="ingest", unit="file", enabled=progress) as bar:
            for result in ingest_many(corpus, jobs, settings, pool=pool, reads=reads):
                yield result
                bar.update(1)
