"""Compare the index with the corpus without writing anything (`searchapp check`)."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from searchapp.config import Settings
from searchapp.indexing import generations as gens
from searchapp.indexing import manifest as mf
from searchapp.indexing import whoosh_backend as wb
from searchapp.indexing.reindex import source_digest
from searchapp.indexing.schema import SCHEMA_VERSION
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
    live = gens.current(settings.index_dir)
    if live is None:
        return CheckResult(False, [f"no index in {settings.index_dir}: run `searchapp reindex` "
                                   f"to build one"], index=False)
    problems = []
    if wb.schema_version(live) != SCHEMA_VERSION:
        problems.append("index built by another schema version: run `searchapp reindex --full`")
    old = mf.load(live)
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
    try:
        count = wb.doc_count(live)
        if count != expected:
            problems.append(f"index holds {count} articles, the manifest lists {expected}")
    except Exception as exc:  # noqa: BLE001 - report, do not crash
        problems.append(f"index does not open: {exc}")
    if plan.new or plan.changed or plan.gone:
        problems.append("files changed since the last reindex:")
    named = ([("new", p) for p in plan.new] + [("changed", p) for p in plan.changed]
             + [("gone", p) for p in plan.gone])[:SHOW_FILES]
    return CheckResult(not problems, problems, len(plan.new), len(plan.changed), len(plan.gone),
                       len(plan.unchanged), corpus=str(corpus), corpus_recorded=recorded,
                       files=named)
