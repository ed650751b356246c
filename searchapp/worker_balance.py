"""gunicorn worker processes that share the connections evenly: the least busy takes the next one.

Why: a gthread worker accepts whenever its poller wakes, and a browser or API client keeps its
connection for many requests. The worker that woke first when clients arrived kept most of
them: bench/load.py's 32 keep-alive connections sat 27 on one worker and 5 on the other, whose
queue was five times shorter, and the crowded one set the tail (p99). Each worker writes how
many connections it holds on a board in shared memory; it takes a new connection only while it
holds no more than the least busy of the others, so connections end up spread evenly.
"""
from __future__ import annotations

import multiprocessing
from typing import Any

from gunicorn.workers.gthread import ThreadWorker

_FREE = -1
_board: Any = None   # multiprocessing.RawArray: connections held per worker slot, -1 = free


def make_board(workers: int) -> None:
    """Create the shared board in the master, before any worker is forked."""
    global _board
    # Room for replacements: a worker that dies is replaced while its slot is still being freed.
    _board = multiprocessing.RawArray("l", [_FREE] * (2 * workers + 2))


def pre_fork(server: Any, worker: Any) -> None:
    """gunicorn hook, in the master: give the worker about to be forked a free slot."""
    used = {getattr(w, "slot", None) for w in server.WORKERS.values()}
    worker.slot = next(i for i in range(len(_board)) if i not in used and _board[i] == _FREE)
    _board[worker.slot] = 0


def child_exit(server: Any, worker: Any) -> None:
    """gunicorn hook, in the master: free the slot of a worker that exited."""
    slot = getattr(worker, "slot", None)
    if slot is not None:
        _board[slot] = _FREE


class BalancedThreadWorker(ThreadWorker):  # type: ignore[misc]
    """gunicorn's gthread worker, taking new connections only when no sibling holds fewer."""

    slot: int

    @property
    def worker_connections(self) -> int:
        # gthread's loop reads this limit before each wait: below it, it accepts.
        mine = self.nr_conns
        _board[self.slot] = mine
        others = [n for i, n in enumerate(_board) if n != _FREE and i != self.slot]
        if others and mine > min(others):
            return mine   # full for now: a less busy sibling takes the next connection
        return self._limit

    @worker_connections.setter
    def worker_connections(self, value: int) -> None:
        self._limit = value
