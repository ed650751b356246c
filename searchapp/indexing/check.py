"""Compare the index with the corpus without writing anything (`searchapp check`)."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from searchapp import manifest_file
from searchapp.backend import Backend, open_backend
from searchapp.config import Settings
from searchapp.indexing import manifest as mf
from searchapp.indexing.reindex import source_digest
from searchapp.ingest import discover

SHOW_FILES = 10  # changed files named in the report; the rest are counted


@dataclass
class CheckResult:
    ok: bool
    problems: list[str] = field(default_factory=list)
    new: int = 0
    changed: int = 0
    gone: int = 0
    unchanged: int = 0
    index: bool = True                 # False: there is no index at all
    corpus: str = ""                   # the corpus compared with
    corpus_recorded: bool = False      # ...as the index recorded it (no --corpus given)
    files: list[tuple[str, str]] = field(default_factory=list)  # (new|changed|gone, path), first few

    def lines(self) -> list[str]:
        """Return the human report: what is wrong first, then what differs."""
        if not self.index:
            return self.problems
        head = "index matches the corpus" if self.ok else "reindex needed"
        out = [f"{head}: {self.new} new, {self.changed} changed, {self.gone} gone, "
               f"{self.unchanged} unchanged files"]
        if self.corpus:
            how = " (recorded at the last reindex)" if self.corpus_recorded else ""
            out.append(f"  corpus: {self.corpus}{how}")
        out += [f"  {p}" for p in self.problems]
        for kind, path in self.files:
            out.append(f"    {kind}: {path}")
        more = self.new + self.changed + self.gone - len(self.files)
        if more > 0:
            out.append(f"    ... and {more} more")
        return out


def check(settings: Settings, *, corpus_given: bool = True) -> CheckResult:
    """Tell what a reindex would do, and whether the live index opens and holds what it should.

    With `corpus_given=False` the corpus is the one the index records (where its last reindex
    read from), falling back to settings.corpus_dir for an index that recorded none.
    """
    backend = open_backend(settings)
    try:
        return _check(settings, backend, corpus_given)
    finally:
        backend.close()


def _check(settings: Settings, backend: Backend, corpus_given: bool) -> CheckResult:
    state = backend.state()
    if not state.exists:
        return CheckResult(False, [f"no index in {settings.index_dir}: run `searchapp reindex` "
                                   f"to build one"], index=False)
    problems = []
    if state.schema_version != backend.schema_version:
        problems.append("index built by another schema version: run `searchapp reindex --full`")
    old = backend.manifest()
    corpus, recorded = settings.corpus_dir, False
    if not corpus_given and old.corpus:
        corpus, recorded = Path(old.corpus), True
    if not corpus.is_dir():
        problems.append(f"corpus folder {corpus} does not exist: pass --corpus DIR")
        return CheckResult(False, problems, corpus=str(corpus), corpus_recorded=recorded)
    sources = {s.name: s for s in discover.list_sources(corpus)}
    files = [f for name in sources for f in discover.list_files(corpus, name)]
    stale = {n for n, s in sources.items()
             if n in old.sources and old.sources[n] != source_digest(s)}
    plan = mf.plan(corpus, files, old, stale)
    expected = sum(len(e.ids) for e in old.files.values())
    if state.damage:
        problems.append(f"index does not open: {state.damage}")
    elif state.doc_count != expected:
        problems.append(f"index holds {state.doc_count} articles, the manifest lists {expected}")
    unsigned = sum(len(e.ids) for e in old.files.values() if e.stories and manifest_file.signatures(e) is None)
    if unsigned:
        # (the sidecar beside the manifest is gone or cut short: search works, copies are not found)
        problems.append(f"{unsigned} articles have lost their story signatures (the file beside the "
                        f"manifest is missing or damaged): new copies of them are not recognised until "
                        f"the next `searchapp reindex` reads their files again")
    if plan.new or plan.changed or plan.gone:
        problems.append("files changed since the last reindex:")
    named = ([("new", p) for p in plan.new] + [("changed", p) for p in plan.changed]
             + [("gone", p) for p in plan.gone])[:SHOW_FILES]
    return CheckResult(not problems, problems, len(plan.new), len(plan.changed), len(plan.gone),
                       len(plan.unchanged), corpus=str(corpus), corpus_recorded=recorded,
                       files=named)
