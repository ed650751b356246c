"""Shared pieces of the reliability tests: a versioned Reuters corpus, index observation, and a
reindex driver that runs in a subprocess and can be killed (or kill itself) at named points.

Run as a script it is that driver:

    python tests/reliability_support.py CORPUS INDEX [--full]

It prints `phase <name>` lines (flushed) as the reindex passes each point, so a test that kills
it knows how far it got. With RELIABILITY_CRASH_AT=<point>[:<n>] it sends itself SIGKILL at the
n-th time (default 1st) it reaches that point: the same as kill -9 at exactly that moment.
"""
from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SOURCE = "reuters"
DRIVER = Path(__file__).resolve()

# The points the driver reports, in the order a run passes them. Killing before COMMIT_START
# (incremental) or PUBLISH_START (full) must leave the previous state; after COMMIT_DONE
# (incremental) or PUBLISH_DONE (full) the new one.
POINTS = ("start", "ingest", "commit-start", "segments-written", "toc-temp", "toc-renamed",
          "commit-done", "manifest-temp", "manifest-done", "publish-start", "publish-temp",
          "publish-done", "cleanup-partial", "reports", "done")


# -- a corpus whose every state is known ---------------------------------------------------------

@dataclass
class VersionedCorpus:
    """Reuters records in jsonl files; each file has a version that goes into every url.

    `present` maps file (relative to corpus/) -> version; a file absent from it is not on disk.
    What a complete index of the corpus must hold is {article id: version}.
    """

    corpus_dir: Path
    records: dict[str, list[dict]]
    present: dict[str, int] = field(default_factory=dict)
    ids: dict[str, list[str]] = field(default_factory=dict)

    def write(self, rel: str, version: int) -> None:
        """Write one file at a version."""
        path = self.corpus_dir / rel
        lines = []
        for rec in self.records[rel]:
            lines.append(json.dumps({**rec, "url": f"{rec['url']}?v={version}"}) + "\n")
        path.write_text("".join(lines), encoding="utf-8")
        self.present[rel] = version

    def remove(self, rel: str) -> None:
        (self.corpus_dir / rel).unlink()
        del self.present[rel]

    def expected(self) -> dict[str, int]:
        """Return {article id: version} that a complete index of the corpus holds now."""
        from searchapp.ingest.pipeline import article_id
        out = {}
        for rel, version in self.present.items():
            for n in range(len(self.records[rel])):
                out[article_id(SOURCE, rel, n)] = version
        return out

    def mutate(self, rng: random.Random, share: float) -> None:
        """Change about `share` of the files: new versions, deletions, files coming back."""
        files = sorted(self.records)
        for rel in rng.sample(files, max(1, int(len(files) * share))):
            if rel not in self.present:
                self.write(rel, 1)
            elif rng.random() < 0.25 and len(self.present) > 2:
                self.remove(rel)
            else:
                self.write(rel, self.present[rel] + 1)


def reuters_corpus(root: Path, articles: int, per_file: int) -> VersionedCorpus:
    """Write `articles` Reuters articles into root/corpus/reuters/*.jsonl at version 1."""
    import itertools

    sys.path.insert(0, str(REPO))
    from bench.corpora import reuters_records

    src = root / "corpus" / SOURCE
    src.mkdir(parents=True)
    (src / "source.toml").write_text('display_name = "Reuters"\nlanguage = "en"\n'
                                     'date_order = "MDY"\n', encoding="utf-8")
    recs = list(itertools.islice(reuters_records(), articles))
    records: dict[str, list[dict]] = {}
    for start in range(0, len(recs), per_file):
        rel = f"{SOURCE}/r{start // per_file:04d}.jsonl"
        records[rel] = [{"id": str(r["newid"]), "title": r["title"], "text": r["body"],
                         "date": r["date"].isoformat() if r["date"] else None,
                         "url": f"https://reuters.example/{r['newid']}"}
                        for r in recs[start:start + per_file]]
    corpus = VersionedCorpus(root / "corpus", records)
    for rel in records:
        corpus.write(rel, 1)
    return corpus


# -- observing an index --------------------------------------------------------------------------

def observe(index_dir: Path) -> dict[str, int]:
    """Return {article id: version} of the live index; every stored article must read back."""
    from searchapp.backends.whoosh import generations as gens
    from searchapp.backends.whoosh import writer as wb
    from searchapp.backends.whoosh.schema import from_stored

    live = gens.current(index_dir)
    assert live is not None, f"no live generation in {index_dir}"
    ix = wb.open_index(live)
    try:
        out = {}
        with ix.searcher() as s:
            for stored in s.all_stored_fields():
                article = from_stored(stored)
                assert article.title and article.body, article.id
                assert article.id not in out, f"{article.id} indexed twice"
                out[article.id] = int(article.url.rsplit("?v=", 1)[1])
        return out
    finally:
        ix.close()


def leftovers(index_dir: Path) -> list[str]:
    """Return files and folders a finished reindex should not have left behind."""
    from searchapp.backends.whoosh import generations as gens
    from searchapp.backends.whoosh import writer as wb
    from searchapp.files import read_json

    live = gens.current(index_dir)
    found = [p.name for p in index_dir.iterdir()
             if p.is_dir() and p != live or p.name.endswith(".tmp")]
    ix = wb.open_index(live)
    try:
        segments = {s.segment_id() for s in ix._segments()}
        toc = f"_MAIN_{ix.latest_generation()}.toc"
    finally:
        ix.close()
    keep = {"manifest.json", "version.json", "MAIN_WRITELOCK", toc}
    # The manifest's signatures sidecar (searchapp/manifest_file.py): the one the manifest names.
    keep.add(str((read_json(live / "manifest.json", None) or {}).get("sketches_file")))
    for p in live.iterdir():
        if p.name not in keep and not any(p.name.startswith(seg + ".") for seg in segments):
            found.append(f"{live.name}/{p.name}")
    return sorted(found)


# -- the driver ----------------------------------------------------------------------------------

@dataclass
class Driver:
    """A running driver; its output goes to files, since a pipe stays open while any process
    that inherited it lives, and a killed run's children may outlive it."""

    proc: subprocess.Popen
    out_path: Path
    err_path: Path

    @property
    def pid(self) -> int:
        return self.proc.pid

    def finish(self, timeout: float | None = None) -> tuple[int, str, str]:
        """Wait for the driver and return (exit status, stdout, stderr)."""
        code = self.proc.wait(timeout=timeout)
        return (code, self.out_path.read_text(encoding="utf-8", errors="replace"),
                self.err_path.read_text(encoding="utf-8", errors="replace"))


def run_driver(corpus_dir: Path, index_dir: Path, *, full: bool = False,
               crash_at: str | None = None) -> Driver:
    """Start the driver on a corpus and index.

    Its environment carries RELIABILITY_RUN=<index_dir>, which every process it starts
    (ingest workers too) inherits, so `survivors` can find them after a kill.
    """
    env = {**os.environ, "PYTHONPATH": str(REPO), "RELIABILITY_RUN": str(index_dir)}
    env.pop("RELIABILITY_CRASH_AT", None)
    if crash_at:
        env["RELIABILITY_CRASH_AT"] = crash_at
    args = [sys.executable, str(DRIVER), str(corpus_dir), str(index_dir)] + (["--full"] if full else [])
    out_path = index_dir.parent / "driver.out"
    err_path = index_dir.parent / "driver.err"
    with open(out_path, "w") as out, open(err_path, "w") as err:
        proc = subprocess.Popen(args, stdout=out, stderr=err, stdin=subprocess.DEVNULL, cwd=REPO,
                                env=env)
    return Driver(proc, out_path, err_path)


def survivors(index_dir: Path, wait: float = 15.0) -> list[int]:
    """Return pids of processes a driver on index_dir started that are still alive after `wait` s.

    Any found are then killed (by pid: they are this test's own), so one failure does not leave
    processes behind for the rest of the suite.
    """
    import time

    marker = f"RELIABILITY_RUN={index_dir}".encode() + b"\0"
    deadline = time.monotonic() + wait
    while True:
        alive = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit() or int(entry.name) == os.getpid():
                continue
            try:
                if marker in (entry / "environ").read_bytes() + b"\0":
                    state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
                    if state != "Z":
                        alive.append(int(entry.name))
            except OSError:
                continue
        if not alive or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    for pid in alive:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    return alive


def phases(output: str) -> list[str]:
    """Return the phases a driver printed, in order."""
    return [line.split(" ", 1)[1] for line in output.splitlines() if line.startswith("phase ")]


def _install_hooks(index_dir: Path) -> None:
    """Report each point and die by SIGKILL at the one named in RELIABILITY_CRASH_AT."""
    import whoosh.index as windex
    from whoosh.filedb.filestore import FileStorage
    from whoosh.writing import SegmentWriter

    from searchapp.backends.whoosh import batch as wbatch
    from searchapp.backends.whoosh import generations as gens
    from searchapp.backends.whoosh import writer as wb
    from searchapp.indexing import reindex as rx

    target, _, nth = (os.environ.get("RELIABILITY_CRASH_AT") or "").partition(":")
    wanted = int(nth or 1)
    seen: dict[str, int] = {}

    def point(name: str) -> None:
        seen[name] = seen.get(name, 0) + 1
        if seen[name] == 1 or name == "ingest":
            print(f"phase {name}", flush=True)
        if name == target and seen[name] == wanted:
            os.kill(os.getpid(), signal.SIGKILL)

    def wrap(owner: object, attr: str, before: str | None, after: str | None) -> None:
        real = getattr(owner, attr)

        def hooked(*args, **kwargs):
            if before:
                point(before)
            out = real(*args, **kwargs)
            if after:
                point(after)
            return out
        setattr(owner, attr, hooked)

    wrap(wb, "add_articles", "ingest", None)
    wrap(wb, "commit", "commit-start", "commit-done")
    wrap(SegmentWriter, "_commit_toc", "segments-written", None)
    wrap(windex, "clean_files", "toc-renamed", None)
    wrap(wbatch, "save_manifest", None, "manifest-done")
    wrap(gens, "publish", "publish-start", "publish-done")
    wrap(rx, "write_reports", "reports", None)
    real_rename, real_replace, real_rmtree = FileStorage.rename_file, os.replace, shutil.rmtree

    def rename_file(self, old, new, safe=False):
        if new.endswith(".toc"):
            point("toc-temp")
        return real_rename(self, old, new, safe)

    def replace(src, dst, *a, **k):
        name = os.path.basename(dst)
        point({"manifest.json": "manifest-temp", gens.POINTER: "publish-temp"}.get(name, "replace"))
        return real_replace(src, dst, *a, **k)

    def rmtree(path, *a, **k):
        if Path(path).resolve().parent != index_dir:  # e.g. multiprocessing's temp folder at exit
            return real_rmtree(path, *a, **k)
        # Remove half of the folder's files first, so a kill leaves a half-deleted generation.
        files = sorted(Path(path).iterdir()) if Path(path).is_dir() else []
        for p in files[: len(files) // 2]:
            if p.is_file():
                p.unlink()
        if seen.get("publish-done"):
            point("cleanup-partial")
        return real_rmtree(path, *a, **k)

    FileStorage.rename_file = rename_file
    os.replace = replace
    shutil.rmtree = rmtree


def _main(argv: list[str]) -> int:
    sys.path.insert(0, str(REPO))
    from searchapp.cli import main as cli

    _install_hooks(Path(argv[1]).resolve())
    print("phase start", flush=True)
    args = ["reindex", "--corpus", argv[0], "--index", argv[1], "--no-progress"] + argv[2:]
    code = cli(args)
    print("phase done", flush=True)
    return code


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
