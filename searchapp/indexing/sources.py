"""Add a folder of articles to the corpus as a new source, ready for reindex."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

from searchapp.config import Settings
from searchapp.errors import SearchAppError

_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


class SourceError(SearchAppError):
    """The new source's name or folder cannot be used."""

    status = 400


def _toml_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def add_source(name: str, path: Path, settings: Settings, *, link: bool = False,
               display_name: str | None = None, language: str | None = None) -> Path:
    """Copy (or symlink) folder `path` to corpus/NAME/ with a source.toml; return the new folder."""
    if not _NAME_RE.match(name):
        raise SourceError(f"source name {name!r}: use 1-64 lowercase letters, digits, - or _")
    path = Path(path).resolve()
    if not path.is_dir():
        raise SourceError(f"{path} is not a folder")
    dest = settings.corpus_dir / name
    if dest.exists() or dest.is_symlink():
        raise SourceError(f"source {name!r} already exists at {dest}")
    settings.corpus_dir.mkdir(parents=True, exist_ok=True)
    toml = path / "source.toml"
    if link:
        dest.symlink_to(path, target_is_directory=True)
        if not toml.exists():
            # A linked folder is the user's own: write nothing into it, say what is missing.
            return dest
    else:
        shutil.copytree(path, dest, symlinks=False)
    toml = dest / "source.toml"
    if not toml.exists():
        lines = [f"display_name = {_toml_string(display_name or name.replace('-', ' ').title())}"]
        if language:
            lines.append(f"language = {_toml_string(language)}")
        toml.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return dest
