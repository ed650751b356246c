"""One writer at a time: an flock on index_dir/writer.lock, whatever the backend."""
from __future__ import annotations

import contextlib
import fcntl
from collections.abc import Iterator
from pathlib import Path

from searchapp.errors import WriterBusy

LOCK = "writer.lock"


@contextlib.contextmanager
def writer_lock(index_dir: Path) -> Iterator[None]:
    """Hold the one-writer lock; raise WriterBusy at once when another process has it."""
    index_dir.mkdir(parents=True, exist_ok=True)
    path = index_dir / LOCK
    fh = open(path, "a+")
    try:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise WriterBusy(f"another reindex is running on {index_dir} (lock {path}); "
                             "try again when it has finished") from None
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
    finally:
        fh.close()
