"""kill -9 of a real reindex process, at random moments and at each named step (issue 5).

After every kill: the index opens, holds exactly the last committed set of articles (the state
before the run, or the one it was writing, and which one is decided by how far it got), every
stored article reads back, and the next reindex completes and leaves nothing behind.
"""
from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from reliability_support import (VersionedCorpus, leftovers, observe, phases, reuters_corpus,
                                 run_driver, survivors)
from searchapp.config import Settings
from searchapp.indexing.check import check
from searchapp.indexing.reindex import reindex
from searchapp.models import SearchRequest
from searchapp.search.service import SearchService

ARTICLES, PER_FILE = 300, 15
RANDOM_KILLS = 26          # kills that must land mid-run (issue 5 asks for at least 25)
MAX_ROUNDS = 60            # a run that finishes before its kill does not count; stop trying here
SEED = int(os.environ.get("RELIABILITY_SEED", "0")) or random.randrange(1, 10**6)
# Phases after which the new state must be visible, per kind of run.
DONE = {False: "commit-done", True: "publish-done"}
# Phases before which the old state must still be the one visible.
STARTED = {False: "commit-start", True: "publish-start"}


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[VersionedCorpus, Path]:
    """Build the corpus and its index once; each test works on a copy."""
    root = tmp_path_factory.mktemp("crash-template")
    corpus = reuters_corpus(root, ARTICLES, PER_FILE)
    reindex(Settings(corpus_dir=corpus.corpus_dir, index_dir=root / "index"), full=True,
            progress=False)
    return corpus, root


@pytest.fixture
def world(template, tmp_path: Path) -> tuple[VersionedCorpus, Settings]:
    corpus, root = template
    # copytree keeps mtimes, so the copied manifest still matches the copied corpus.
    shutil.copytree(root / "corpus", tmp_path / "corpus")
    shutil.copytree(root / "index", tmp_path / "index")
    mine = VersionedCorpus(tmp_path / "corpus", corpus.records, dict(corpus.present))
    settings = Settings(corpus_dir=mine.corpus_dir, index_dir=tmp_path / "index")
    assert observe(settings.index_dir) == mine.expected()
    return mine, settings


def _kill_and_wait(driver, delay: float) -> tuple[bool, str, str]:
    """Kill the driver after `delay` s unless it ends first; return (killed, stdout, stderr)."""
    try:
        driver.proc.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        os.kill(driver.pid, signal.SIGKILL)
    code, out, err = driver.finish(timeout=60)
    return code == -signal.SIGKILL, out, err


def _verify_after_crash(settings: Settings, before: dict, after: dict, reached: list[str],
                        full: bool, where: str) -> str:
    """Check the index right after a kill; return which state it holds ("old" or "new")."""
    assert survivors(settings.index_dir) == [], (where, "processes of the killed run live on")
    state = observe(settings.index_dir)
    assert state in (before, after), (where, reached[-3:], len(state), len(before), len(after))
    which = "new" if state == after and state != before else "old"
    if DONE[full] in reached:
        assert state == after, (where, "the run had committed, the index must show it")
    elif STARTED[full] not in reached:
        assert state == before, (where, "the run had not started committing")
    with SearchService(settings) as engine:  # the product opens it and searches it
        assert engine.health()["ok"], where
        assert engine.search(SearchRequest(query="said")).total > 0, where
    return which


def _recover(settings: Settings, after: dict, where: str) -> None:
    """Run the next reindex; it completes, holds the corpus and leaves nothing behind."""
    reindex(settings, progress=False)
    assert observe(settings.index_dir) == after, where
    assert leftovers(settings.index_dir) == [], where
    result = check(settings)
    assert result.ok, (where, result.lines())


def _calibrate(corpus: VersionedCorpus, settings: Settings, rng: random.Random) -> dict[bool, float]:
    """Time one uninterrupted run of each kind, through the driver (process start included)."""
    est = {}
    for full in (False, True):
        corpus.mutate(rng, 0.4)
        started = time.perf_counter()
        code, out, err = run_driver(corpus.corpus_dir, settings.index_dir, full=full).finish(300)
        assert code == 0, err
        est[full] = time.perf_counter() - started
        assert phases(out)[-1] == "done"
        assert observe(settings.index_dir) == corpus.expected()
    return est


@pytest.mark.slow
def test_kill_9_at_random_moments(world) -> None:
    corpus, settings = world
    rng = random.Random(SEED)
    est = _calibrate(corpus, settings, rng)
    outcomes: dict[str, int] = {}
    reached_phases: set[str] = set()
    round_no = 0
    # Run times vary with the machine's load: count only kills that landed mid-run.
    while sum(n for k, n in outcomes.items() if k.startswith("killed")) < RANDOM_KILLS \
            and round_no < MAX_ROUNDS:
        full = round_no % 3 == 2
        before = corpus.expected()
        corpus.mutate(rng, 0.4)
        after = corpus.expected()
        delay = rng.uniform(0.05, est[full] * 1.1)
        where = f"seed {SEED} round {round_no} full={full} kill at {delay:.2f}s"
        driver = run_driver(corpus.corpus_dir, settings.index_dir, full=full)
        killed, out, err = _kill_and_wait(driver, delay)
        reached = phases(out)
        assert "Traceback" not in err, (where, err)
        reached_phases.add(reached[-1] if reached else "before start")
        which = _verify_after_crash(settings, before, after, reached, full, where)
        outcomes[f"{'killed' if killed else 'finished'}-{which}"] = \
            outcomes.get(f"{'killed' if killed else 'finished'}-{which}", 0) + 1
        _recover(settings, after, where)
        round_no += 1
    print(f"seed {SEED}: {outcomes}; last phases reached: {sorted(reached_phases)}")
    killed = sum(n for k, n in outcomes.items() if k.startswith("killed"))
    assert killed >= RANDOM_KILLS, outcomes  # the kills landed mid-run, not after it had finished


# Every named step of a run; full-only steps are skipped for incremental runs.
STEPS = [(p, False) for p in ("ingest:3", "commit-start", "segments-written", "toc-temp",
                              "toc-renamed", "commit-done", "manifest-temp", "manifest-done",
                              "reports")] + \
        [(p, True) for p in ("ingest:3", "segments-written", "toc-renamed", "manifest-done",
                             "publish-start", "publish-temp", "publish-done", "cleanup-partial",
                             "reports")]


@pytest.mark.slow
@pytest.mark.parametrize("point,full", STEPS, ids=[f"{p}-{'full' if f else 'inc'}" for p, f in STEPS])
def test_kill_9_at_each_step(world, point: str, full: bool) -> None:
    corpus, settings = world
    rng = random.Random(hash(point) ^ full)
    before = corpus.expected()
    corpus.mutate(rng, 0.3)
    after = corpus.expected()
    code, out, err = run_driver(corpus.corpus_dir, settings.index_dir, full=full,
                                crash_at=point).finish(300)
    reached = phases(out)
    assert code == -signal.SIGKILL, (point, code, err)
    assert reached[-1] == point.split(":")[0], reached
    _verify_after_crash(settings, before, after, reached, full, point)
    _recover(settings, after, point)
