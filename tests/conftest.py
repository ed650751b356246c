"""Shared fixtures: settings isolated in tmp_path and a writer for small corpus trees."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest

from searchapp.config import Settings


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
