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
from pathlib import Path
from typing import Iterator, Literal, Sequence

from searchapp.config import Settings
from searchapp.errors import DecodeError, ExtractorUnavailable
from searchapp.ingest import clean, dates, delimited, discover, extract, readers, split
from searchapp.ingest.decode import decode_bytes
from searchapp.models import Article, Draft, IngestOutcome, SourceConfig

Format = Literal["txt", "html", "jsonl", "csv", "tsv"]
RECORD_FORMATS = frozenset({"jsonl", "csv", "tsv"})   # exports: one article per record, never split


def article_id(source: str, rel_path: str, item: int) -> str:
    """Return a stable id from the source, the path under corpus/ and the item's position."""
    digest = hashlib.sha1(rel_path.encode("utf-8", "surrogatepass")).hexdigest()[:12]
    return f"{source}/{digest}-{item}"


def read_drafts(text: str, fmt: Format, settings: Settings, source: SourceConfig | None = None
                ) -> tuple[list[Draft], list[str], list[str]]:
    """Run the reader for `fmt`; return the drafts, why records were dropped, and the file's warnings."""
    if fmt == "html":
        from searchapp.ingest.html import read_html  # lxml is heavy; load only when needed

        return read_html(text, settings), [], []
    if fmt in RECORD_FORMATS:
        if fmt == "jsonl":
            drafts, bad, warnings = readers.read_jsonl(text, max_line_chars=settings.max_jsonl_line_bytes,
                                                       source=source)
        else:
            drafts, bad, warnings = delimited.read_delimited(
                text, tsv=fmt == "tsv", max_field_chars=settings.max_jsonl_line_bytes, source=source)
        return drafts, [b.reason for b in bad], warnings
    return readers.read_txt(text), [], []


def drafts_to_articles(drafts: list[Draft], *, fmt: Format, source: SourceConfig, rel_path: str,
                       templates: frozenset[str] = frozenset(), warnings: list[str] | None = None
                       ) -> list[Article]:
    """Split listing pages, clean, and extract an Article per item (pure); date warnings go to `warnings`."""
    items: list[Draft] = []
    for draft in drafts:
        items.extend([draft] if fmt in RECORD_FORMATS else split.split_listing(draft, order=source.date_order))
    articles = []
    unread: list[tuple[str | None, str]] = []     # (where, raw) of stated dates that were not understood
    for n, item in enumerate(items):
        cleaned = clean.clean_draft(item, templates, dump=(fmt == "txt" and item.title is None))
        if not cleaned.blocks and not cleaned.title:
            continue
        position = item.item if fmt in RECORD_FORMATS else n
        article = extract.extract_article(
            cleaned, source=source, rel_path=rel_path, article_id=article_id(source.name, rel_path, position))
        articles.append(article)
        if item.date_raw and not _date_understood(item.date_raw, article, source.date_order):
            unread.append((item.date_provenance, item.date_raw))
    if unread and warnings is not None:
        warnings.append(_date_warning(unread, len(articles), fmt))
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


def load_text(corpus_dir: Path, rel_path: str, source: SourceConfig, settings: Settings) -> tuple[str, Format]:
    """Read and decode one corpus file; raise _Skip or DecodeError with the reason."""
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
    text, _encoding = decode_bytes(data, declared=source.encoding, html=(fmt == "html"))
    if not text.strip():
        raise _Skip("file holds only whitespace")
    return text, fmt


class _Skip(Exception):
    pass


class _Fail(Exception):
    pass


def ingest_file(corpus_dir: Path, rel_path: str, source: SourceConfig, settings: Settings,
                templates: frozenset[str] = frozenset()) -> tuple[IngestOutcome, list[Article]]:
    """Ingest one file; never raises for bad input: the outcome carries the reason."""
    warnings = list(source.warnings)
    try:
        text, fmt = load_text(corpus_dir, rel_path, source, settings)
        drafts, dropped, read_warnings = read_drafts(text, fmt, settings, source)
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


def source_templates(corpus_dir: Path, source: SourceConfig, files: list[str], settings: Settings) -> frozenset[str]:
    """Find the template lines of one source (short lines repeated across many of its files)."""
    files = [r for r in files if discover.file_format(r) in ("txt", "html")]
    if len(files) < settings.template_min_docs:
        return frozenset()
    # An even sample finds lines that recur in a large share of files at a bounded cost.
    step = max(1, len(files) // settings.template_sample_files)
    per_file: list[list[str]] = []
    for rel in files[::step][: settings.template_sample_files]:
        try:
            text, fmt = load_text(corpus_dir, rel, source, settings)
            drafts, _, _ = read_drafts(text, fmt, settings, source)
        except Exception:
            continue
        per_file.append([b for d in drafts for b in d.blocks])
    return clean.template_lines(per_file, min_docs=settings.template_min_docs, min_share=settings.template_min_share)


Job = tuple[str, SourceConfig, frozenset[str]]  # (path under corpus/, its source, its template lines)


def _ingest_job(corpus_dir: Path, job: Job, settings: Settings) -> tuple[IngestOutcome, list[Article]]:
    rel, source, templates = job
    return ingest_file(corpus_dir, rel, source, settings, templates)


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


def ingest_many(corpus_dir: Path, jobs: Sequence[Job], settings: Settings,
                workers: int | None = None) -> Iterator[tuple[IngestOutcome, list[Article]]]:
    """Ingest many files, in order, on `settings.ingest_workers` processes when there is enough work.

    Extraction is pure CPU, so a process per core is what makes a big corpus fast; results come
    back in job order so callers (the index writer) see the same sequence as a serial run. A
    worker that dies (out of memory, killed) does not lose files: the rest run in this process.
    """
    workers = settings.ingest_workers if workers is None else workers
    if workers <= 1 or len(jobs) < settings.parallel_min_files:
        for job in jobs:
            yield _ingest_job(corpus_dir, job, settings)
        return
    import multiprocessing

    # forkserver, not fork: the caller may hold an index writer or threads we must not clone.
    context = multiprocessing.get_context("forkserver")
    # The fork server loads the models once; every worker of every run forks with them loaded.
    context.set_forkserver_preload(["__main__", "searchapp.ingest.warm"])
    pool = ProcessPoolExecutor(workers, mp_context=context,
                               initializer=_exit_with_parent, initargs=(os.getpid(),))
    pending: deque[tuple[Job, Future]] = deque()
    queue = iter(jobs)
    try:
        for job in queue:
            pending.append((job, pool.submit(_ingest_job, corpus_dir, job, settings)))
            if len(pending) >= workers * 4:
                break
        while pending:
            job, fut = pending.popleft()
            try:
                result = fut.result()
            except BrokenProcessPool:
                # A worker died: this job and every later one run here instead.
                for rest in [job, *(j for j, _ in pending), *queue]:
                    yield _ingest_job(corpus_dir, rest, settings)
                return
            yield result
            nxt = next(queue, None)
            if nxt is not None:
                pending.append((nxt, pool.submit(_ingest_job, corpus_dir, nxt, settings)))
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def ingest_corpus(settings: Settings, *, progress: bool | None = None) -> Iterator[tuple[IngestOutcome, list[Article]]]:
    """Ingest every file of every source under settings.corpus_dir, one outcome per file."""
    from searchapp.progress import progress_bar

    corpus = settings.corpus_dir
    sources = discover.list_sources(corpus)
    jobs: list[Job] = []
    for src in sources:
        files = discover.list_files(corpus, src.name)
        templates = source_templates(corpus, src, files, settings)
        jobs.extend((rel, src, templates) for rel in files)
    with progress_bar(total=len(jobs), desc="ingest", unit="file", enabled=progress) as bar:
        for result in ingest_many(corpus, jobs, settings):
            yield result
            bar.update(1)
