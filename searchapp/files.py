"""Small files written atomically: readers see the old content or the new, never half."""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any


def write_atomic(path: Path, text: str) -> None:
    """Write a small file so that readers see either the old or the new content."""
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def write_json(path: Path, data: Any, *, indent: int | None = 1) -> None:
    """Write JSON atomically (see write_atomic); indent=None for a large file (json's C encoder
    serves only unindented output: indented, last_ingest.json took 0.4 s at 209,473 articles)."""
    write_atomic(path, json.dumps(data, ensure_ascii=False, indent=indent, default=str))


def read_json(path: Path, default: Any = None) -> Any:
    """Return the JSON in `path`, or `default` when it is missing or unreadable."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return default


def size_on_disk(folder: Path) -> int:
    """Return the bytes the files under `folder` take (apparent size; 0 when it is gone)."""
    total = 0
    for path in folder.rglob("*"):
        try:
            if path.is_file() and not path.is_symlink():
                total += path.stat().st_size
        except OSError:  # removed by a concurrent cleanup while we walked
            continue
    return total
