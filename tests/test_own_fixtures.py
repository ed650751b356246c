"""The suite runs on its own fixtures: a user's corpus/ (sources added as the README says) changes nothing.

Two proofs. In-process, conftest.py records every file or folder a test opens or lists under the
repository's corpus/ and fails the run when there is one. Out of process (subprocesses escape
that hook), a copy of the repository gets an extra source through `searchapp add-source`, exactly
as a user adds one, and the tests that use the seed articles run there and must pass.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from searchapp.config import PROJECT_ROOT

# The tests that build on the seed articles (tests/seeds.py) or on the web fixture corpus.
SEED_USERS = ("test_seeds.py", "test_reindex.py", "test_search_facets.py", "test_web.py",
              "test_web_serve.py", "test_web_security.py")
EXTRA = {
    "wire.jsonl": '{"title": "CSTO summit in Minsk", "text": "The CSTO met in Minsk on Monday. '
                  'Belarus hosted the meeting.", "date": "2017-11-30"}\n'
                  '{"title": "ОДКБ провела учения", "text": "Учения ОДКБ прошли в Минске.", '
                  '"date": "2024-07-19", "language": "ru"}\n',
    "page.txt": "Astana meeting\n\nKazakhstan and Belarus discussed zebrafish exports in Astana.\n",
    "notes.tokens": "1 CSTO 0 4\n",
}


def _copy_repo(dest: Path) -> None:
    """Copy what a fresh clone holds (code, tests, bench, corpus, project files)."""
    import conftest

    seen = len(conftest.CORPUS_READS)
    for name in ("searchapp", "tests", "bench", "corpus"):
        shutil.copytree(PROJECT_ROOT / name, dest / name,
                        ignore=shutil.ignore_patterns("__pycache__", ".pytest_cache"))
    del conftest.CORPUS_READS[seen:]  # copying the clone's corpus/ is the one read allowed here
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(PROJECT_ROOT / name, dest / name)


@pytest.mark.slow
def test_seed_tests_pass_after_a_user_adds_a_source(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    _copy_repo(repo)
    extra = tmp_path / "downloads"
    extra.mkdir()
    for name, text in EXTRA.items():
        (extra / name).write_text(text, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(repo), "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("SEARCHAPP_CORPUS_DIR", None)
    where = subprocess.run([sys.executable, "-c", "from searchapp.config import PROJECT_ROOT; "
                            "print(PROJECT_ROOT)"], cwd=repo, env=env, capture_output=True,
                           text=True, check=True)
    assert Path(where.stdout.strip()) == repo  # the copy's code runs, with the copy's corpus/
    added = subprocess.run([sys.executable, "-m", "searchapp", "add-source", "extra", str(extra)],
                           cwd=repo, env=env, capture_output=True, text=True, timeout=60)
    assert added.returncode == 0, added.stderr
    assert (repo / "corpus" / "extra" / "wire.jsonl").is_file()
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", "-m", "not browser",
         *(f"tests/{name}" for name in SEED_USERS)],
        cwd=repo, env=env, capture_output=True, text=True, timeout=1200)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert " passed" in run.stdout


def test_the_corpus_guard_sees_a_read_of_corpus(tmp_path: Path) -> None:
    """The in-process guard (conftest.py) notices listing and opening files under corpus/."""
    import conftest

    before = list(conftest.CORPUS_READS)
    try:
        sorted(os.listdir(PROJECT_ROOT / "corpus"))
        seen = conftest.CORPUS_READS[len(before):]
        assert seen and all(Path(p.split(" by ")[0]).is_relative_to(PROJECT_ROOT / "corpus")
                            and p.endswith(" by tests/test_own_fixtures.py::"
                                           "test_the_corpus_guard_sees_a_read_of_corpus")
                            for p in seen)
        os.listdir(tmp_path)  # elsewhere: not recorded
        assert conftest.CORPUS_READS[len(before) + len(seen):] == []
    finally:
        conftest.CORPUS_READS[:] = before  # this test's own read is the one allowed
