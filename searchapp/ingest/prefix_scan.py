"""Find where a regex's matches start, as `finditer` does, jumping between its literal prefixes.

A case-insensitive alternation of phrases ("copyright|all rights reserved|при цитировании|...")
is slow in Python's `re`: with no case-sensitive first character to scan for, the engine tries
every alternative at every position of the text. When every match must begin with one of a few
literal strings, the places where one of them occurs (found case-sensitively in the lower-cased
text, which `re` scans quickly) are the only places a match can start, and the pattern itself is
tried there alone. The starts are exactly `[m.start() for m in pattern.finditer(text)]`: the same
matches at the same places, found in the same order (tests/test_prefix_scan.py compares them).
"""
from __future__ import annotations

import re
from typing import Any

_PLANS: dict[re.Pattern[str], tuple[bool, re.Pattern[str], str] | None] = {}


def _literal_prefixes(seq: Any) -> set[tuple[int, ...]] | None:
    """Return code-point strings one of which every match of the parsed `seq` starts with, or None."""
    from re import _constants as c  # type: ignore[attr-defined]

    lits: list[int] = []
    for op, av in seq:
        if op is c.LITERAL:
            lits.append(av)
            continue
        if lits:
            return {tuple(lits)}
        if op is c.AT:
            continue          # zero-width (\b, ^): the match starts where what follows starts
        if op is c.BRANCH:
            out: set[tuple[int, ...]] = set()
            for alternative in av[1]:
                sub = _literal_prefixes(alternative)
                if sub is None:
                    return None
                out |= sub
            return out
        if op is c.SUBPATTERN and not av[1] and not av[2]:   # a group that changes no flags
            return _literal_prefixes(av[3])
        return None
    return {tuple(lits)} if lits else None


def _plan(pattern: re.Pattern[str]) -> tuple[bool, re.Pattern[str], str] | None:
    """Return (lower-case the text?, a finder of the prefixes, characters that rule the plan out)."""
    import _sre
    from re import _casefix, _parser  # type: ignore[attr-defined]

    if not isinstance(pattern.pattern, str) or pattern.flags & (re.ASCII | re.LOCALE):
        return None
    try:
        prefixes = _literal_prefixes(_parser.parse(pattern.pattern, pattern.flags).data)
    except Exception:  # noqa: BLE001  (a parser of another Python: scan the plain way)
        return None
    if not prefixes:
        return None
    icase = bool(pattern.flags & re.IGNORECASE)
    # Under IGNORECASE `re` matches a literal l with any character whose simple lower case is l
    # or one of l's extra case forms (_casefix: ſ for s, ı for i, ᲀ for в...). str.lower() gives
    # the simple lower case but for İ (two characters) and a final Σ (ς); a text holding İ
    # changes length, and one holding an extra form of a prefix's letter is scanned the plain way.
    fold = _sre.unicode_tolower if icase else (lambda ch: ch)
    low = {"".join(chr(fold(ch)) for ch in p) for p in prefixes}
    extra = {chr(e) for p in prefixes for ch in p for e in _casefix._EXTRA_CASES.get(fold(ch), ())} if icase else set()
    finder = re.compile("|".join(re.escape(s) for s in sorted(low, key=lambda s: (-len(s), s))))
    return icase, finder, "".join(sorted(extra))


def match_starts(pattern: re.Pattern[str], text: str) -> list[int]:
    """Return the start of each match `pattern.finditer(text)` yields, in order."""
    try:
        plan = _PLANS[pattern]
    except KeyError:
        plan = _PLANS[pattern] = _plan(pattern)
    if plan is not None:
        icase, finder, extra = plan
        hay = text.lower() if icase else text
        if len(hay) == len(text) and not any(ch in hay for ch in extra):
            starts: list[int] = []
            pos = 0   # where finditer would search next: the end of the last match
            match, search = pattern.match, finder.search
            found = search(hay)
            while found is not None:
                at = found.start()
                if at >= pos:
                    # match() at a position tries exactly what search() tries there (lookbehind
                    # and \b see the text before it); no match starts where no prefix does.
                    m = match(text, at)
                    if m is not None:
                        starts.append(at)
                        pos = m.end()   # past the prefix at least: finditer goes on from there
                found = search(hay, at + 1)
            return starts
    return [m.start() for m in pattern.finditer(text)]
