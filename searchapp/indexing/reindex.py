"""Bring the index in line with corpus/: incrementally by default, or as a fresh generation.

Incremental: the manifest decides which files are new, changed or gone; only those are deleted
(by their `path` term) and re-ingested, in one commit. An unchanged corpus costs a scan (a stat
per file) and nothing more. Full (`full=True`, a schema change, or no index yet): a new
generation is built beside the live one and published with one atomic rename.

Crash safety: a commit is atomic in Whoosh and the manifest is written after it. A crash between
the two leaves files the manifest does not know yet; the next run treats them as new, and because
every ingested path is deleted before it is added, nothing is indexed twice.
"""
from __future__ import annotations

import hashlib
import json
import shutil
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from searchapp.config import Settings
from searchapp.indexing import generations as gens
from searchapp.indexing import manifest as mf
from searchapp.indexing import whoosh_backend as wb
from searchapp.indexing.schema import SCHEMA_VERSION
from searchapp.ingest import discover, pipeline
from searchapp.models import Article, IngestOutcome, SourceConfig
from searchapp.progress import progress_bar

LAST_REINDEX = "last_reindex.json"
LAST_INGEST = "last_ingest.json"


@dataclass
class ReindexSummary:
    """What one reindex run did; counts are files unless they say articles."""

    full: bool
    generation: str
    added: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    articles_added: int = 0
    articles_deleted: int = 0
    articles_total: int = 0
    indexed: int = 0   # files read this run that gave articles (of added + updated)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)   # (path, warning) of files read this run
    cleaned: list[str] = field(default_factory=list)
    seconds: float = 0.0
    finished: str = ""

    def lines(self) -> list[str]:
        """Return the human summary printed at the end of a run.

        Files read are counted apart: indexed, not articles (types that are not an article
        format), skipped and failed; skipped and failed files are grouped by reason and type.
        """
        from searchapp.ingest import grouping

        kind = "full rebuild" if self.full else "incremental"
        not_articles = sum(grouping.is_not_article(p, "skipped") for p, _ in self.skipped)
        failed = len({p for p, _ in self.failed})
        out = [f"{kind} into {self.generation} in {self.seconds:.1f}s: "
               f"{self.added} new and {self.updated} changed files ({self.indexed} indexed, "
               f"{not_articles} not articles, {len(self.skipped) - not_articles} skipped, "
               f"{failed} failed), {self.deleted} deleted, {self.unchanged} unchanged; "
               f"articles +{self.articles_added} -{self.articles_deleted}, "
               f"{self.articles_total} in the index"]
        entries = [(p, "skipped", r) for p, r in self.skipped] + [(p, "failed", r) for p, r in self.failed]
        out.extend(f"  {g.line()}" for g in grouping.group(entries))
        if self.warnings:
            out.append(f"{len({p for p, _ in self.warnings})} files with warnings:")
            out.extend(f"  {path}: {warning}" for path, warning in self.warnings)
        return out


def source_digest(src: SourceConfig) -> str:
    return hashlib.sha1(json.dumps(asdict(src), sort_keys=True, default=str).encode()).hexdigest()


def _templates(settings: Settings, sources: dict[str, SourceConfig], files: list[str],
               names: set[str]) -> dict[str, frozenset[str]]:
    """Find the template lines of the named sources (they depend on all of a source's files)."""
    by_source: dict[str, list[str]] = {n: [] for n in names}
    for rel in files:
        src = rel.split("/", 1)[0]
        if src in by_source:
            by_source[src].append(rel)
    return {n: pipeline.source_templates(settings.corpus_dir, sources[n], fs, settings)
            for n, fs in by_source.items()}


def _digest_lines(lines: frozenset[str]) -> str:
    return hashlib.sha1("\n".join(sorted(lines)).encode("utf-8", "replace")).hexdigest()


def reindex(settings: Settings, *, full: bool = False, progress: bool | None = None) -> ReindexSummary:
    """Update the index from settings.corpus_dir; raise WriterBusy if another run holds the lock."""
    started = time.perf_counter()
    index_dir = settings.index_dir
    with gens.writer_lock(index_dir):
        cleaned = gens.cleanup(index_dir)
        live = gens.current(index_dir)
        # A live generation that does not open (damaged TOC or segment) is rebuilt, not patched.
        if live is None or wb.schema_version(live) != SCHEMA_VERSION or wb.damage(live):
            full = True
        sources = {s.name: s for s in discover.list_sources(settings.corpus_dir)}
        files = [f for name in sources for f in discover.list_files(settings.corpus_dir, name)]
        digests = {name: source_digest(s) for name, s in sources.items()}
        if full:
            target = gens.new_generation(index_dir)
            ix = wb.create(target)
            old = mf.Manifest()
        else:
            target = live
            ix = wb.open_index(live)
            old = mf.load(live)
        stale = {n for n, d in digests.items() if n in old.sources and old.sources[n] != d}
        plan = mf.plan(settings.corpus_dir, files, old, stale)
        # Template lines are found across all of a source's files, so a new, changed or gone
        # file can change how every other file of its source is cleaned: when a source's
        # templates change, all its files are re-ingested (incremental must equal full).
        touched = {p.split("/", 1)[0] for p in plan.new + plan.changed + plan.gone} & set(sources)
        templates = _templates(settings, sources, files, touched)
        moved = {n for n, t in templates.items() if old.templates.get(n) != _digest_lines(t)}
        if moved:
            again = [p for p in plan.unchanged if p.split("/", 1)[0] in moved]
            plan.changed += again
            plan.unchanged = [p for p in plan.unchanged if p.split("/", 1)[0] not in moved]
        summary = ReindexSummary(full=full, generation=target.name, cleaned=cleaned,
                                 unchanged=len(plan.unchanged), deleted=len(plan.gone))
        new = mf.Manifest(files={p: old.files[p] for p in plan.unchanged}, sources=digests,
                          templates={n: old.templates[n] for n in sources if n in old.templates},
                          schema_version=SCHEMA_VERSION,
                          corpus=str(settings.corpus_dir.resolve()))
        new.templates.update({n: _digest_lines(t) for n, t in templates.items()})
        for rel, (size, mtime, digest) in plan.touched.items():
            new.files[rel] = mf.FileEntry(size, mtime, digest, new.files[rel].outcome,
                                          new.files[rel].reason, new.files[rel].ids, new.files[rel].warnings)
        outcomes: dict[str, IngestOutcome] = {}
        try:
            if plan.new or plan.changed or plan.gone or full:
                _write(settings, ix, plan, old, new, sources, templates, summary, outcomes, full,
                       progress)
            mf.save(target, new)
        except BaseException:
            if full:
                shutil.rmtree(target, ignore_errors=True)
            raise
        finally:
            ix.close()
        if full:
            gens.publish(index_dir, target)
            summary.cleaned += gens.cleanup(index_dir)
        summary.articles_total = sum(len(e.ids) for e in new.files.values())
        summary.seconds = round(time.perf_counter() - started, 3)
        summary.finished = time.strftime("%Y-%m-%dT%H:%M:%S%z")
        _write_reports(index_dir, summary, new, outcomes)
    return summary


def _write(settings: Settings, ix: Any, plan: mf.Plan, old: mf.Manifest, new: mf.Manifest,
           sources: dict[str, SourceConfig], templates: dict[str, frozenset[str]],
           summary: ReindexSummary,
           outcomes: dict[str, IngestOutcome], full: bool, progress: bool | None) -> None:
    """Delete what changed or went away, ingest and add what is new or changed, commit once."""
    w = wb.writer(ix, bulk=full)
    try:
        todo = plan.new + plan.changed
        # New paths are deleted too: after a crash between commit and manifest they may be indexed.
        # A changed file's old articles go only once it has been read again (see _one).
        wb.delete_paths(w, plan.new + plan.gone)
        summary.articles_deleted = sum(len(old.files[p].ids) for p in plan.changed + plan.gone)
        changed = set(plan.changed)
        with progress_bar(total=len(todo), desc="reindex", unit="file", enabled=progress) as bar:
            # Extraction runs in worker processes (pipeline.ingest_many) while this one writes.
            jobs = [(rel, sources[rel.split("/", 1)[0]], templates.get(rel.split("/", 1)[0], frozenset()))
                    for rel in todo]
            # Stamp before the files are read: a file that changes while it is being ingested
            # then differs from its manifest entry next time, and is read again.
            prints = {rel: _fingerprint(settings.corpus_dir / rel) for rel in todo}
            for rel, result in zip(todo, pipeline.ingest_many(settings.corpus_dir, jobs, settings)):
                _one(w, settings.corpus_dir, rel, result, prints[rel], new, summary, outcomes,
                     old.files.get(rel) if rel in changed else None)
                bar.update(1)
        wb.commit(w)
    except BaseException:
        # A commit that failed (disk full) has already closed the writer; cancelling it again
        # raised "This writer is closed" and hid the real error (tests/test_reliability_faults.py).
        if not w.is_closed:
            try:
                w.cancel()
            except Exception:  # noqa: BLE001 - the first error is the one to report
                pass
        raise


def _fingerprint(path: Path) -> tuple[int, int, str]:
    """Return (size, mtime_ns, sha1) of a corpus file; sha1 is "" when it cannot be read."""
    size, mtime = mf.stamp(path)
    try:
        return size, mtime, mf.file_hash(path)
    except OSError:
        return size, mtime, ""


def _unreadable(path: Path) -> bool:
    """Tell a file that is there but cannot be read now from one that is gone."""
    size, _mtime, digest = _fingerprint(path)
    return size >= 0 and not digest


def _one(w: Any, corpus_dir: Path, rel: str, result: tuple[IngestOutcome, list[Article]],
         fingerprint: tuple[int, int, str], new: mf.Manifest, summary: ReindexSummary,
         outcomes: dict[str, IngestOutcome], previous: mf.FileEntry | None) -> None:
    """Add one ingested file to the writer and record its outcome in the manifest and summary.

    `previous` is the manifest entry of a changed file. When that file still exists but cannot
    be read now (permissions, I/O), its indexed articles and entry are kept, and the next run
    tries again: a passing fault must not drop what was indexed (issue 5).
    """
    changed = previous is not None
    size, mtime, digest = fingerprint
    outcome, articles = result
    if changed and outcome.outcome != "indexed" and _unreadable(corpus_dir / rel):
        outcomes[rel] = outcome
        new.files[rel] = previous
        summary.articles_deleted -= len(previous.ids)
        summary.failed.append((rel, f"{outcome.reason} (its last indexed version is kept)"))
        summary.updated += 1
        return
    if changed:
        wb.delete_paths(w, [rel])
    added = []
    for article in articles:
        try:
            wb.add_articles(w, [article])
            added.append(article.id)
        except Exception as exc:  # noqa: BLE001 - keep the batch (WHOOSH.md)
            summary.failed.append((rel, f"article {article.id}: {exc}"))
    if outcome.outcome == "indexed":
        outcome.article_ids = added
    outcomes[rel] = outcome
    new.files[rel] = mf.FileEntry(size, mtime, digest, outcome.outcome, outcome.reason, added, outcome.warnings)
    summary.warnings.extend((rel, w) for w in outcome.warnings)
    summary.articles_added += len(added)
    if outcome.outcome == "indexed":
        summary.indexed += 1
    elif outcome.outcome == "skipped":
        summary.skipped.append((rel, outcome.reason))
    elif outcome.outcome == "failed":
        summary.failed.append((rel, outcome.reason))
    if changed:
        summary.updated += 1
    else:
        summary.added += 1


def _write_reports(index_dir: Path, summary: ReindexSummary, manifest: mf.Manifest,
                   outcomes: dict[str, IngestOutcome]) -> None:
    """Persist the run summary and every file's outcome, for the web Sources page."""
    gens.write_json(index_dir / LAST_REINDEX, asdict(summary))
    report = []
    for path, entry in sorted(manifest.files.items()):
        out = outcomes.get(path)
        if out is None:  # untouched this run: an indexed file is "unchanged", others keep why
            kind = "unchanged" if entry.outcome in ("indexed", "unchanged") else entry.outcome
            out = IngestOutcome(path, kind, entry.reason, list(entry.ids), list(entry.warnings))  # type: ignore[arg-type]
        report.append(out.to_json())
    gens.write_json(index_dir / LAST_INGEST, report)


def last_run(index_dir: Path) -> dict[str, Any] | None:
    """Return the last reindex summary written to index_dir, if any."""
    return gens.read_json(index_dir / LAST_REINDEX, None)


def last_ingest(index_dir: Path) -> list[dict[str, Any]]:
    """Return the per-file outcomes of the last reindex (what the Sources page lists)."""
    return gens.read_json(index_dir / LAST_INGEST, []) or []
