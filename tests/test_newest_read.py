"""The background reader both spelling vocabularies use: newest wish wins, nothing lost in silence."""
from __future__ import annotations

import threading
import time

from searchapp.newest_read import NewestRead, Read


def _until(cond, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not cond():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.005)


def test_wishes_made_during_a_read_collapse_into_the_newest():
    gate = threading.Event()
    seen = []

    def read(key, stop):
        seen.append(key)
        gate.wait(5)
        return Read(f"words of {key}")

    r = NewestRead(read, name="t")
    try:
        r.want(1)
        _until(lambda: seen == [1])
        r.want(2)
        r.want(3)                 # 2 is never read: 3 is newer
        gate.set()
        _until(lambda: r.value() == "words of 3")
        assert seen == [1, 3]
        r.want(3)                 # already read: nothing more
        time.sleep(0.05)
        assert seen == [1, 3]
    finally:
        r.close()


def test_an_incomplete_read_is_kept_only_until_a_complete_one_and_retried_later():
    calls = []

    def read(key, stop):
        calls.append(key)
        return Read(f"part of {key}", "shard 1: down") if len(calls) == 1 else Read(f"all of {key}")

    r = NewestRead(read, name="t", retry_s=0.2)
    try:
        r.want("a")
        assert r.value(wait=5) == "part of a" and r.error == "shard 1: down"
        r.want("a")               # failed just now: not asked again before retry_s
        time.sleep(0.05)
        assert calls == ["a"]
        time.sleep(0.2)
        r.want("a")
        _until(lambda: r.value() == "all of a")
        assert r.error is None and calls == ["a", "a"]
    finally:
        r.close()


def test_a_failing_read_says_why_and_keeps_the_last_good_value():
    def read(key, stop):
        if key == "bad":
            raise OSError("slot switched away")
        return Read(key)

    r = NewestRead(read, name="t")
    try:
        r.want("good")
        assert r.value(wait=5) == "good"
        r.want("bad")
        _until(lambda: r.error is not None)
        assert r.value() == "good" and "OSError: slot switched away" in r.error
    finally:
        r.close()


def test_wait_for_a_key_ends_with_its_read_and_waits_for_a_retry_not_an_old_failure():
    gate = threading.Event()
    answers = iter([Read(None, "broken"), Read("fixed")])

    def read(key, stop):
        gate.wait(5)
        return next(answers)

    r = NewestRead(read, name="t", retry_s=0.05)
    try:
        r.want("k")
        assert not r.wait_for("k", 0.05)       # still reading: the wait ends at its timeout
        gate.set()
        assert r.wait_for("k", 5) and r.error == "broken"
        gate.clear()
        time.sleep(0.06)                        # past retry_s: a new wish reads again
        r.want("k")
        assert not r.wait_for("k", 0.05)       # the old failure is no answer to the retry
        gate.set()
        assert r.wait_for("k", 5) and r.value() == "fixed" and r.error is None
    finally:
        r.close()
