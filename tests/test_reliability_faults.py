"""A write that fails (disk full, I/O error) at each write step of a reindex, in turn (issue 5).

The steps are found by recording one clean run: every file opened for writing under the index
folder, its first write and its close, every fsync, rename, replace and mkdir. Then each step in
turn raises ENOSPC. Whatever the step: `searchapp reindex` exits non-zero with one line that
says what failed (or, for a step after the new state was published, may finish), the index
keeps serving its last good state to a reader opened before and one opened after, and the next
reindex without faults completes and leaves nothing behind. A real disk-full run on a tiny tmpfs
follows, where the machine allows mounting one.
"""
from __future__ import annotations

import builtins
import errno
import os
import random
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from reliability_support import REPO, VersionedCorpus, leftovers, observe, reuters_corpus
from searchapp.cli import main as cli
from searchapp.config import Settings
from searchapp.indexing.reindex import reindex
from searchapp.models import SearchRequest
from searchapp.search.service import SearchService

QUERY = SearchRequest(query="said", page_size=100)
EVERYTHING = SearchRequest(query="", page_size=100, collapse=False)  # every copy of a story too


def _served(engine: SearchService) -> set[str]:
    """Return the ids of every article the engine serves (the corpora here hold under 100)."""
    page = engine.search(EVERYTHING)
    assert page.total == len(page.hits)
    return {h.id for h in page.hits}


class Injector:
    """Record write steps under `root`, and make step number `fail_at` raise ENOSPC."""

    def __init__(self, root: Path, fail_at: int | None = None) -> None:
        self.root = str(root)
        self.fail_at = fail_at
        self.steps: list[str] = []

    def mine(self, path: object) -> bool:
        return isinstance(path, (str, os.PathLike)) and os.fspath(path).startswith(self.root)

    def step(self, kind: str, path: object = "") -> None:
        name = os.path.relpath(os.fspath(path), self.root) if path != "" else ""
        # Whoosh names segments and temp files at random: compare runs by shape.
        name = re.sub(r"\.toc\.[\d.]+$", ".toc.<time>", re.sub(r"[0-9a-z]{16,}", "<id>", name))
        self.steps.append(f"{kind} {name}".strip())
        if len(self.steps) - 1 == self.fail_at:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), os.fspath(path) or None)

    def install(self, mp: pytest.MonkeyPatch) -> None:
        real_open = builtins.open
        injector = self

        class Faulty:
            """A file opened for writing whose first write and close are steps."""

            def __init__(self, fh, path) -> None:
                self._fh, self._path, self._wrote = fh, path, False

            def write(self, data):
                if not self._wrote:
                    self._wrote = True
                    injector.step("write", self._path)
                return self._fh.write(data)

            def close(self):
                if not self._fh.closed:
                    try:
                        injector.step("close", self._path)
                    finally:
                        self._fh.close()

            def __enter__(self):
                return self

            def __exit__(self, *exc):
                self.close()

            def __getattr__(self, name):
                return getattr(self._fh, name)

        def fopen(file, mode="r", *args, **kwargs):
            if self.mine(file) and any(c in mode for c in "wax+"):
                self.step("open", file)
                return Faulty(real_open(file, mode, *args, **kwargs), file)
            return real_open(file, mode, *args, **kwargs)

        def wrap(name: str, paths: int) -> None:
            real = getattr(os, name)

            def hooked(*args, **kwargs):
                if paths == 0:
                    self.step(name)
                elif any(self.mine(a) for a in args[:paths]):
                    self.step(name, args[paths - 1])
                return real(*args, **kwargs)
            mp.setattr(os, name, hooked)

        mp.setattr(builtins, "open", fopen)
        for name, paths in (("replace", 2), ("rename", 2), ("mkdir", 1), ("fsync", 0)):
            wrap(name, paths)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[VersionedCorpus, Path]:
    root = tmp_path_factory.mktemp("faults-template")
    corpus = reuters_corpus(root, 24, 6)
    reindex(Settings(corpus_dir=corpus.corpus_dir, index_dir=root / "index"), full=True,
            progress=False)
    return corpus, root


def _world(template, dest: Path) -> tuple[VersionedCorpus, Settings]:
    corpus, root = template
    shutil.copytree(root / "corpus", dest / "corpus")
    shutil.copytree(root / "index", dest / "index")
    mine = VersionedCorpus(dest / "corpus", corpus.records, dict(corpus.present))
    return mine, Settings(corpus_dir=mine.corpus_dir, index_dir=dest / "index")


def _args(settings: Settings, full: bool) -> list[str]:
    return ["reindex", "--corpus", str(settings.corpus_dir), "--index", str(settings.index_dir),
            "--no-progress"] + (["--full"] if full else [])


def _record_steps(template, tmp_path: Path, full: bool) -> list[str]:
    corpus, settings = _world(template, tmp_path / "record")
    corpus.mutate(random.Random(7), 0.5)
    injector = Injector(settings.index_dir)
    with pytest.MonkeyPatch.context() as mp:
        injector.install(mp)
        assert cli(_args(settings, full)) == 0
    assert observe(settings.index_dir) == corpus.expected()
    return injector.steps


@pytest.mark.slow
@pytest.mark.parametrize("full", [False, True], ids=["incremental", "full"])
def test_a_failing_write_at_each_step(template, tmp_path: Path, capsys, full: bool) -> None:
    steps = _record_steps(template, tmp_path, full)
    assert len(steps) > 10, steps  # the recording saw the run's writes
    capsys.readouterr()
    for n, step in enumerate(steps):
        corpus, settings = _world(template, tmp_path / f"step{n}")
        before = corpus.expected()
        corpus.mutate(random.Random(7), 0.5)
        after = corpus.expected()
        reader = SearchService(settings)
        assert _served(reader) == set(before)
        injector = Injector(settings.index_dir, fail_at=n)
        where = f"step {n} of {len(steps)}: {step}"
        with pytest.MonkeyPatch.context() as mp:
            injector.install(mp)
            code = cli(_args(settings, full))
        err = capsys.readouterr().err.strip()
        assert injector.steps[n] == step, (where, "the run took another path", injector.steps[n])
        state = observe(settings.index_dir)
        if code == 0:  # the failure hit after the new state was in place, and was harmless
            assert state == after, where
        else:
            assert len(err.splitlines()) == 1 and err.startswith("error:"), (where, err)
            assert "No space left on device" in err, (where, err)
            assert state in (before, after), where
        # The last good index keeps serving, to a reader opened before and one opened after.
        assert _served(reader) == set(state) and reader.health()["ok"], where
        reader.close()
        with SearchService(settings) as fresh:
            assert _served(fresh) == set(state), where
        reindex(settings, progress=False)
        assert observe(settings.index_dir) == after, where
        assert leftovers(settings.index_dir) == [], where
        shutil.rmtree(tmp_path / f"step{n}")


def _mount_tmpfs(path: Path, size: str) -> bool:
    path.mkdir(parents=True, exist_ok=True)
    try:
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
                              capture_output=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


@pytest.mark.slow
def test_real_disk_full_on_tmpfs(tmp_path: Path) -> None:
    """A full rebuild on a filesystem too small for a second generation fails cleanly."""
    if os.geteuid() != 0 or not sys.platform.startswith("linux"):
        pytest.skip("mounting a tmpfs needs root on Linux")
    mnt = tmp_path / "mnt"
    if not _mount_tmpfs(mnt, "64m"):
        pytest.skip("cannot mount a tmpfs here")
    try:
        corpus = reuters_corpus(tmp_path, 400, 40)
        settings = Settings(corpus_dir=corpus.corpus_dir, index_dir=mnt / "index")
        reindex(settings, full=True, progress=False)
        used = sum(p.stat().st_size for p in settings.index_dir.rglob("*") if p.is_file())
        good = observe(settings.index_dir)
        # Leave room for less than a second copy of the index.
        subprocess.run(["mount", "-o", f"remount,size={int(used * 1.5) // 4096 * 4096 + 4096}",
                        str(mnt)], check=True, timeout=30)
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        done = subprocess.run([sys.executable, "-m", "searchapp", *_args(settings, True)],
                              capture_output=True, text=True, cwd=REPO, env=env, timeout=600)
        assert done.returncode != 0, done.stdout
        err = done.stderr.strip()
        assert len(err.splitlines()) == 1 and err.startswith("error:"), err
        assert "No space left on device" in err
        assert observe(settings.index_dir) == good
        with SearchService(settings) as engine:
            assert engine.search(QUERY).total > 0
        subprocess.run(["mount", "-o", "remount,size=64m", str(mnt)], check=True, timeout=30)
        corpus.mutate(random.Random(3), 0.3)
        reindex(settings, full=True, progress=False)
        assert observe(settings.index_dir) == corpus.expected()
        assert leftovers(settings.index_dir) == []
    finally:
        subprocess.run(["umount", "-l", str(mnt)], capture_output=True, timeout=30)


def test_files_vanishing_or_unreadable_during_a_reindex(template, tmp_path: Path, capsys) -> None:
    """Between planning and reading, one changed file is deleted and another becomes unreadable
    (a folder now stands in its place). The run finishes and reports both; articles of every
    other file stay, and the unreadable file's last indexed version is kept until it can be read."""
    from searchapp.ingest import pipeline

    corpus, settings = _world(template, tmp_path)
    before = observe(settings.index_dir)
    files = sorted(corpus.present)
    gone, unreadable = files[0], files[1]
    for rel in files[:3]:
        corpus.write(rel, corpus.present[rel] + 1)
    real = pipeline.ingest_many

    def sabotage(corpus_dir, jobs, *args, **kwargs):
        (corpus_dir / gone).unlink()
        (corpus_dir / unreadable).unlink()
        (corpus_dir / unreadable).mkdir()
        return real(corpus_dir, jobs, *args, **kwargs)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(pipeline, "ingest_many", sabotage)
        assert cli(_args(settings, False)) == 0
    out = capsys.readouterr().out
    assert gone in out and unreadable in out, out  # each is reported with its reason
    state = observe(settings.index_dir)
    kept = {i: v for i, v in before.items()
            if not i.startswith(tuple(_ids_prefix(r) for r in (gone, unreadable, files[2])))}
    assert all(state.get(i) == v for i, v in kept.items()), "articles of untouched files lost"
    assert all(state[i] == before[i] for i in before if i.startswith(_ids_prefix(unreadable))), \
        "the unreadable file's indexed articles were dropped"
    assert all(state[i] == corpus.present[files[2]] for i in before
               if i.startswith(_ids_prefix(files[2])))
    # Once the file is readable again, the next run picks up its new version.
    (settings.corpus_dir / unreadable).rmdir()
    corpus.write(unreadable, corpus.present[unreadable] + 1)
    del corpus.present[gone]
    reindex(settings, progress=False)
    assert observe(settings.index_dir) == corpus.expected()


def _ids_prefix(rel: str) -> str:
    from searchapp.ingest.pipeline import article_id
    return article_id("reuters", rel, 0)[:-1]
