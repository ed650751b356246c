"""Progress bars for long work: shown on a terminal, silent when output is not a TTY."""
from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import Iterator, Protocol


class Bar(Protocol):
    def update(self, n: int = 1) -> object: ...


class _Null:
    def update(self, n: int = 1) -> None:
        return None


@contextmanager
def progress_bar(*, total: int | None, desc: str, unit: str = "it", enabled: bool | None = None) -> Iterator[Bar]:
    """Yield a tqdm bar on stderr when it is a terminal (or `enabled` says so), else a no-op."""
    if enabled is None:
        enabled = sys.stderr.isatty()
    if not enabled:
        yield _Null()
        return
    from tqdm import tqdm

    bar = tqdm(total=total, desc=desc, unit=unit, file=sys.stderr, dynamic_ncols=True, leave=False)
    try:
        yield bar
    finally:
        bar.close()
