"""Bring the index in line with corpus/: incrementally by default, or as a fresh generation.

Incremental: the manifest decides which files are new, changed or gone; only those are deleted
(by their `path` term) and re-ingested, in one commit. An unchanged corpus costs a scan (a stat
per file) and nothing more. Full (`full=True`, a schema change, or no index yet): a new
generation is built beside the live one and published with one atomic rename.

Everything is written through the backend seam (searchapp.backend): one Batch per run, which
commits or cancels as a whole. Crash safety: the backend keeps the manifest with its commit; a
crash between the two leaves files the manifest does not know yet; the next run treats them as
new, and because every ingested path is deleted before it is added, nothing is indexed twice.
"""
from __future__ import annotations

import hashlib
import json
import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import numpy as np

from searchapp import manifest_file
from searchapp.backend import Backend, Batch, open_backend
from searchapp.config import Settings
from searchapp.indexing import manifest as mf
from searchapp.indexing import stories as st
from searchapp.indexing.lock import writer_lock
from searchapp.indexing.reports import LAST_INGEST, LAST_REINDEX, last_ingest, last_run, write_reports
from searchapp.ingest import discover, pipeline
from searchapp.models import Article, IngestOutcome, SourceConfig
from searchapp.progress import progress_bar

__all__ = ["LAST_INGEST", "LAST_REINDEX", "ReindexSummary", "last_ingest", "last_run", "reindex",
           "source_digest"]


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
    resigned: int = 0  # unchanged files read again (counted in updated): their story signatures were lost
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
        if self.resigned:
            out.append(f"  {self.resigned} of the changed files were unchanged but read again: their story "
                       f"signatures had been lost (the file beside the manifest was missing or damaged)")
        entries = [(p, "skipped", r) for p, r in self.skipped] + [(p, "failed", r) for p, r in self.failed]
        out.extend(f"  {g.line()}" for g in grouping.group(entries))
        if self.warnings:
            out.append(f"{len({p for p, _ in self.warnings})} files with warnings:")
            out.extend(f"  {path}: {warning}" for path, warning in self.warnings)
        return out


def source_digest(src: SourceConfig) -> str:
    return hashlib.sha1(json.dumps(asdict(src), sort_keys=True, default=str).encode()).hexdigest()


def _templates(settings: Settings, sources: dict[str, SourceConfig], files: list[str], names: set[str],
               pool: pipeline.WorkerPool) -> tuple[dict[str, frozenset[str]], dict[str, pipeline.Read]]:
    """Find the template lines of the named sources (they depend on all of a source's files).

    Also return the sampled files' reads, which the ingest reuses for files it has to ingest.
    """
    by_source: dict[str, list[str]] = {n: [] for n in sorted(names)}
    for rel in files:
        src = rel.split("/", 1)[0]
        if src in by_source:
            by_source[src].append(rel)
    return pipeline.sample_templates(settings.corpus_dir, [(sources[n], fs) for n, fs in by_source.items()],
                                     settings, pool)


def _digest_lines(lines: frozenset[str]) -> str:
    return hashlib.sha1("\n".join(sorted(lines)).encode("utf-8", "replace")).hexdigest()


def reindex(settings: Settings, *, full: bool = False, progress: bool | None = None,
            backend: Backend | None = None) -> ReindexSummary:
    """Update the index from settings.corpus_dir; raise WriterBusy if another run holds the lock."""
    owned = backend is None
    backend = backend if backend is not None else open_backend(settings)
    try:
        return _reindex(settings, backend, full, progress)
    finally:
        if owned:
            backend.close()


def _reindex(settings: Settings, backend: Backend, full: bool,
             progress: bool | None) -> ReindexSummary:
    started = time.perf_counter()
    index_dir = settings.index_dir
    # One set of worker processes reads the template sample and then ingests.
    with writer_lock(index_dir), pipeline.WorkerPool(settings) as pool:
        cleaned = backend.recover()
        state = backend.state()
        # A live index that does not open (damaged TOC or segment) is rebuilt, not patched.
        if not state.exists or state.schema_version != backend.schema_version or state.damage:
            full = True
        sources = {s.name: s for s in discover.list_sources(settings.corpus_dir)}
        files = [f for name in sources for f in discover.list_files(settings.corpus_dir, name)]
        digests = {name: source_digest(s) for name, s in sources.items()}
        live = backend.manifest() if state.exists and not state.damage else mf.Manifest()
        old = mf.Manifest() if full else live
        stale = {n for n, d in digests.items() if n in old.sources and old.sources[n] != d}
        plan = mf.plan(settings.corpus_dir, files, old, stale)
        # Files whose story signatures were lost (the sidecar went missing or was damaged) are
        # read again, so their articles are found as copies again: kept as they were, they would
        # be nobody's copy until a full rebuild. (Their files' templates must be at hand: they
        # count as changed from here on.)
        unchanged = set(plan.unchanged)
        resigned = [p for p in manifest_file.lost(old) if p in unchanged]
        if resigned:
            plan.changed += resigned
            again = set(resigned)
            plan.unchanged = [p for p in plan.unchanged if p not in again]
        # Template lines are found across all of a source's files, so a new, changed or gone
        # file can change how every other file of its source is cleaned: when a source's
        # templates change, all its files are re-ingested (incremental must equal full).
        touched = {p.split("/", 1)[0] for p in plan.new + plan.changed + plan.gone} & set(sources)
        templates, reads = _templates(settings, sources, files, touched, pool)
        moved = {n for n, t in templates.items() if old.templates.get(n) != _digest_lines(t)}
        if moved:
            again = [p for p in plan.unchanged if p.split("/", 1)[0] in moved]
            plan.changed += again
            plan.unchanged = [p for p in plan.unchanged if p.split("/", 1)[0] not in moved]
        batch = backend.batch(rebuild=full)
        summary = ReindexSummary(full=full, generation="", cleaned=cleaned,
                                 unchanged=len(plan.unchanged), deleted=len(plan.gone), resigned=len(resigned))
        new = mf.Manifest(files={p: old.files[p] for p in plan.unchanged}, sources=digests,
                          templates={n: old.templates[n] for n in sources if n in old.templates},
                          schema_version=backend.schema_version,
                          corpus=str(settings.corpus_dir.resolve()))
        new.templates.update({n: _digest_lines(t) for n, t in templates.items()})
        for rel, (size, mtime, digest) in plan.touched.items():
            new.files[rel] = replace(new.files[rel], size=size, mtime_ns=mtime, sha1=digest)
        run = _Run(settings, batch, plan, old, new, sources, templates, summary, {}, pool, reads,
                   live, resigned=frozenset(resigned))
        with batch:
            if plan.new or plan.changed or plan.gone or full:
                run.write(progress)
            batch.save_manifest(new)
            batch.commit()
        summary.generation = backend.state(quick=True).generation or ""
        if full:
            summary.cleaned += backend.recover()
        summary.articles_total = sum(len(e.ids) for e in new.files.values())
        summary.seconds = round(time.perf_counter() - started, 3)
        summary.finished = time.strftime("%Y-%m-%dT%H:%M:%S%z")
        write_reports(index_dir, summary, new, run.outcomes)
    return summary


@dataclass
class _Run:
    """One reindex run's state, shared by the steps that write it."""

    settings: Settings
    batch: Batch
    plan: mf.Plan
    old: mf.Manifest
    new: mf.Manifest
    sources: dict[str, SourceConfig]
    templates: dict[str, frozenset[str]]
    summary: ReindexSummary
    outcomes: dict[str, IngestOutcome]
    pool: pipeline.WorkerPool
    reads: dict[str, pipeline.Read]     # the template sample's reads, reused by the ingest
    live: mf.Manifest                   # the live index's manifest (its story keys: a rebuild keeps them)
    _stories: st.StoryIndex | None = None
    _previous: dict[str, str] | None = None
    resigned: frozenset[str] = frozenset()   # unchanged files read again for their lost signatures

    @property
    def stories(self) -> st.StoryIndex:
        """The kept articles' signatures, so new copies join their story: built only when a run
        adds articles (an unchanged corpus does not unpack every signature)."""
        if self._stories is None:
            self._stories = _story_index(self.new, self.plan.unchanged)
        return self._stories

    @property
    def previous(self) -> dict[str, str]:
        """Article id -> story key in the live index (a rebuild keeps the keys)."""
        if self._previous is None:
            self._previous = _previous_stories(self.live)
        return self._previous

    def write(self, progress: bool | None) -> None:
        """Delete what changed or went away, ingest and add what is new or changed."""
        plan, old, corpus = self.plan, self.old, self.settings.corpus_dir
        # Files read again for their lost signatures go first: they were in the index before this
        # run, so their articles keep their stories before a new copy can found one of its own.
        todo = sorted(plan.new + plan.changed, key=lambda p: p not in self.resigned)
        # New paths are deleted too: after a crash between commit and manifest they may be indexed.
        # A changed file's old articles go only once it has been read again (see _one).
        self.batch.delete_paths(plan.new + plan.gone)
        self.summary.articles_deleted = sum(len(old.files[p].ids) for p in plan.changed + plan.gone)
        changed = set(plan.changed)
        with progress_bar(total=len(todo), desc="reindex", unit="file", enabled=progress) as bar:
            # Extraction runs in worker processes (pipeline.ingest_many) while this one writes.
            jobs = [(rel, self.sources[rel.split("/", 1)[0]],
                     self.templates.get(rel.split("/", 1)[0], frozenset())) for rel in todo]
            # Stamp before the files are read: a file that changes while it is being ingested
            # then differs from its manifest entry next time, and is read again. (A sampled file's
            # read is reused only if the file has not changed since: pipeline._ingest_job.)
            prints = {rel: _fingerprint(corpus / rel) for rel in todo}
            for rel, result in zip(todo, pipeline.ingest_many(corpus, jobs, self.settings, pool=self.pool,
                                                                     reads=self.reads)):
                self.one(rel, result, prints[rel], old.files.get(rel) if rel in changed else None)
                bar.update(1)

    def one(self, rel: str, result: tuple[IngestOutcome, list[Article]],
            fingerprint: tuple[int, int, str], previous: mf.FileEntry | None) -> None:
        """Add one ingested file to the batch and record its outcome in the manifest and summary.

        `previous` is the manifest entry of a changed file. When that file still exists but
        cannot be read now (permissions, I/O), its indexed articles and entry are kept, and the
        next run tries again: a passing fault must not drop what was indexed (issue 5).
        """
        summary, changed = self.summary, previous is not None
        size, mtime, digest = fingerprint
        outcome, articles = result
        if changed and outcome.outcome != "indexed" and _unreadable(self.settings.corpus_dir / rel):
            self.outcomes[rel] = outcome
            self.new.files[rel] = previous  # type: ignore[assignment]
            _keep_stories(self.stories, previous)  # type: ignore[arg-type]
            summary.articles_deleted -= len(previous.ids)  # type: ignore[union-attr]
            summary.failed.append((rel, f"{outcome.reason} (its last indexed version is kept)"))
            summary.updated += 1
            return
        if changed:
            self.batch.delete_paths([rel])
        added, keys, sigs = [], [], []
        for article in articles:
            sig = st.signature(st.article_text(article.title or "", article.text))
            try:
                # The story is decided before the add, so an article the engine refuses is
                # forgotten by the next run; here it stays a candidate only within this run.
                article.story = self.stories.assign(article.id, sig, self.previous.get(article.id))
                self.batch.add(article)
                added.append(article.id)
                keys.append(article.story)
                sigs.append(sig)
            except Exception as exc:  # noqa: BLE001 - keep the batch (WHOOSH.md)
                summary.failed.append((rel, f"article {article.id}: {exc}"))
        if outcome.outcome == "indexed":
            outcome.article_ids = added
        self.outcomes[rel] = outcome
        self.new.files[rel] = mf.FileEntry(size, mtime, digest, outcome.outcome, outcome.reason,
                                           added, outcome.warnings, keys, np.stack(sigs) if sigs else None)
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


def _keep_stories(index: st.StoryIndex, entry: mf.FileEntry) -> None:
    """Put a kept file's articles (their signatures and stories) in the story index."""
    sigs = manifest_file.signatures(entry)
    if sigs is not None:   # an entry from before stories were kept has none
        for sig, story in zip(np.asarray(sigs), entry.stories):
            index.keep(sig, story)


def _story_index(manifest: mf.Manifest, unchanged: list[str]) -> st.StoryIndex:
    """Return the story index of the files kept as they are, in path order (deterministic)."""
    sigs: list[np.ndarray] = []
    stories: list[str] = []
    for rel in sorted(unchanged):
        entry = manifest.files[rel]
        kept = manifest_file.signatures(entry)
        if kept is not None:   # an entry from before stories were kept has none
            sigs.append(kept)
            stories.extend(entry.stories)
    index = st.StoryIndex()
    index.keep_all(np.concatenate(sigs) if sigs else np.zeros((0, st.WIDTH), np.uint16), stories)
    return index


def _previous_stories(live: mf.Manifest) -> dict[str, str]:
    """Return each article's story key in the live index, so a rebuild keeps the keys."""
    return {aid: key for e in live.files.values() if len(e.stories) == len(e.ids)
            for aid, key in zip(e.ids, e.stories)}


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
