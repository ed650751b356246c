"""Compare the index with the corpus without writing anything (`searchapp check`)."""
from __future__ import annotations

from dataclasses import dataclass, field

from searchapp.backend import Backend, open_backend
from searchapp.config import Settings
from searchapp.indexing import manifest as mf
from searchapp.indexing.reindex import source_digest
from searchapp.ingest import discover


@dataclass
class CheckResult:
    ok: bool
    problems: list[str] = field(default_factory=list)
    new: int = 0
    changed: int = 0
    gone: int = 0
    unchanged: int = 0

    def lines(self) -> list[str]:
        """Return the human report."""
        head = "index matches the corpus" if self.ok else "reindex needed"
        out = [f"{head}: {self.new} new, {self.changed} changed, {self.gone} gone, "
               f"{self.unchanged} unchanged files"]
        return out + [f"  {p}" for p in self.problems]


def check(settings: Settings) -> CheckResult:
    """Tell what a reindex would do, and whether the live index opens and holds what it should."""
    backend = open_backend(settings)
    try:
        return _check(settings, backend)
    finally:
        backend.close()


def _check(settings: Settings, backend: Backend) -> CheckResult:
    state = backend.state()
    if not state.exists:
        return CheckResult(False, [f"no index in {settings.index_dir}"])
    problems = []
    if state.schema_version != backend.schema_version:
        problems.append("index built by another schema version: run `searchapp reindex --full`")
    old = backend.manifest()
    sources = {s.name: s for s in discover.list_sources(settings.corpus_dir)}
    files = [f for name in sources for f in discover.list_files(settings.corpus_dir, name)]
    stale = {n for n, s in sources.items()
             if n in old.sources and old.sources[n] != source_digest(s)}
    plan = mf.plan(settings.corpus_dir, files, old, stale)
    expected = sum(len(e.ids) for e in old.files.values())
    if state.damage:
        problems.append(f"index does not open: {state.damage}")
    elif state.doc_count != expected:
        problems.append(f"index holds {state.doc_count} articles, the manifest lists {expected}")
    if plan.new or plan.changed or plan.gone:
        problems.append("files changed since the last reindex")
    return CheckResult(not problems, problems, len(plan.new), len(plan.changed), len(plan.gone),
                       len(plan.unchanged))
