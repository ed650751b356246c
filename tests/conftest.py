"""Shared fixtures: settings isolated in tmp_path and a writer for small corpus trees.

Also a guard: tests use their own fixtures (tests/fixtures/), never the user's corpus/, which
`searchapp add-source` changes. Every file opened or folder listed under corpus/ during the run
is recorded, and the run fails when there was any (tests/test_own_fixtures.py).
"""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any, Callable

import pytest

from searchapp.config import PROJECT_ROOT, Settings

USER_CORPUS = os.path.join(str(PROJECT_ROOT), "corpus")
CORPUS_READS: list[str] = []
_WATCHED = {"open", "os.listdir", "os.scandir", "shutil.copytree", "glob.glob"}


def _watch_corpus(event: str, args: tuple[Any, ...]) -> None:
    if event not in _WATCHED or not args:
        return
    path = args[0]
    if isinstance(path, int) or path is None:
        return
    try:
        text = os.fsdecode(path)
    except TypeError:
        return
    # A relative name may be relative to a directory descriptor (os.open(name, dir_fd=...), as
    # shutil.rmtree does), which the event does not carry: only absolute paths are judged.
    # The default corpus_dir is absolute (PROJECT_ROOT/corpus), so a test using it is caught.
    if not os.path.isabs(text):
        return
    full = os.path.normpath(text)
    if full == USER_CORPUS or full.startswith(USER_CORPUS + os.sep):
        test = os.environ.get("PYTEST_CURRENT_TEST", "(outside a test)").rsplit(" ", 1)[0]
        CORPUS_READS.append(f"{full} by {test}")


sys.addaudithook(_watch_corpus)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Fail the run when a test read the user's corpus/ instead of its own fixtures."""
    if not CORPUS_READS:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_line(f"ERROR: tests read the user's corpus/ ({len(CORPUS_READS)} times): "
                            f"{sorted(set(CORPUS_READS))[:5]}: use tests/fixtures/ instead",
                            red=True)
    session.exitstatus = pytest.ExitCode.TESTS_FAILED


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        escaped = value.replace("\\", "\\\\").replace('"', '\\"')
        return f'"{escaped}"'
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    raise TypeError(f"source.toml values must be str, int, float, bool or lists; got {value!r}")


def toml_text(data: dict[str, object]) -> str:
    """Render a flat dict as TOML (enough for source.toml; tomllib can only read)."""
    return "".join(f"{key} = {_toml_value(value)}\n" for key, value in data.items())


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Return default settings with the corpus and index under tmp_path."""
    return Settings(corpus_dir=tmp_path / "corpus", index_dir=tmp_path / "index")


@pytest.fixture
def make_corpus(settings: Settings) -> Callable[..., Path]:
    """Return a function writing {"<source>/<file>": bytes|str} under settings.corpus_dir.

    When `source_toml` is given it is written as source.toml into every source folder named
    in `files`. Call it several times to add files; it returns the corpus directory.
    """
    def make(files: dict[str, bytes | str], source_toml: dict[str, object] | None = None) -> Path:
        root = settings.corpus_dir
        root.mkdir(parents=True, exist_ok=True)
        for rel, data in files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        if source_toml is not None:
            for source in {Path(rel).parts[0] for rel in files}:
                (root / source / "source.toml").write_text(toml_text(source_toml), encoding="utf-8")
        return root

    return make
