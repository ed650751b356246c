"""Scan quickly for regexes whose every match holds one of a few literal strings; the same answers.

A case-insensitive alternation of phrases ("copyright|all rights reserved|при цитировании|...")
is slow in Python's `re`: with no case-sensitive first character to scan for, the engine tries
every alternative at every position of the text. When every match must begin with (or contain)
one of a few literal strings, the places where one of them occurs, found case-sensitively in the
lower-cased text (which `re` scans quickly), are the only places a match can start (or the text
cannot match at all), and the pattern itself is tried there alone.

`match_starts` gives exactly `[m.start() for m in pattern.finditer(text)]`; `Prefilter.may_match`
is False only for a text the pattern cannot match (search, match or fullmatch). Under IGNORECASE
`re` takes a letter l for any character whose simple lower case is l or one of l's extra case
forms (re._casefix: ſ for s, ı for i, ᲀ for в...). str.lower() gives the simple lower case but for
İ (two characters) and a final Σ (ς): a text holding İ changes length, and one holding an extra
form of one of the literals' letters, is scanned the plain way. tests/test_prefix_scan.py
compares both with `re` on texts made of such letters.
"""
from __future__ import annotations

import re
from typing import Any, Literal

_Lits = set[tuple[int, ...]]


def _prefixes(seq: Any) -> _Lits | None:
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
            out: _Lits = set()
            for alternative in av[1]:
                sub = _prefixes(alternative)
                if sub is None:
                    return None
                out |= sub
            return out
        if op is c.SUBPATTERN and not av[1] and not av[2]:   # a group that changes no flags
            return _prefixes(av[3])
        return None
    return {tuple(lits)} if lits else None


def _contained(seq: Any) -> _Lits | None:
    """Return code-point strings one of which every match of the parsed `seq` contains, or None."""
    from re import _constants as c  # type: ignore[attr-defined]

    best: _Lits | None = None

    def consider(found: _Lits | None) -> None:
        nonlocal best
        # the most selective: the shortest of its strings as long as can be, then the fewest
        if found and (best is None or (min(map(len, found)), -len(found)) > (min(map(len, best)), -len(best))):
            best = found

    lits: list[int] = []
    for op, av in seq:
        if op is c.LITERAL:
            lits.append(av)
            continue
        if lits:
            consider({tuple(lits)})
            lits = []
        if op is c.BRANCH:
            out: _Lits | None = set()
            for alternative in av[1]:
                sub = _contained(alternative)
                if sub is None:
                    out = None
                    break
                out |= sub   # type: ignore[operator]
            consider(out)
        elif op is c.SUBPATTERN and not av[1] and not av[2]:
            consider(_contained(av[3]))
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT) and av[0] >= 1:
            consider(_contained(av[2]))
    if lits:
        consider({tuple(lits)})
    return best


def _trie(strings: set[str]) -> str:
    """Return a regex that matches where any of `strings` starts: one branch per next letter.

    A flat alternation tries every string at each position whose letter starts any of them.
    """
    root: dict[str, dict] = {}
    for s in strings:
        node = root
        for ch in s:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, dict]) -> str:
        if "" in node:
            return ""   # a shorter string ends here: it alone says that one of them starts here
        alts = [re.escape(ch) + emit(sub) for ch, sub in sorted(node.items())]
        return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"

    return emit(root)


def _in_set_misses_newline(items: Any) -> bool | None:
    """Say whether a parsed character set leaves out "\\n" (None: a member this does not know)."""
    from re import _constants as c  # type: ignore[attr-defined]

    with_newline = {c.CATEGORY_SPACE, c.CATEGORY_NOT_DIGIT, c.CATEGORY_NOT_WORD, c.CATEGORY_LINEBREAK}
    without = {c.CATEGORY_DIGIT, c.CATEGORY_NOT_SPACE, c.CATEGORY_WORD, c.CATEGORY_NOT_LINEBREAK}
    negate = has = False
    for op, av in items:
        if op is c.NEGATE:
            negate = True
        elif op is c.LITERAL:
            has = has or av == 10
        elif op is c.RANGE:
            has = has or av[0] <= 10 <= av[1]
        elif op is c.CATEGORY and (av in with_newline or av in without):
            has = has or av in with_newline
        else:
            return None
    return has == negate


def _within_a_line(seq: Any, dotall: bool) -> bool:
    """Say whether no match of the parsed `seq` holds a newline or looks past the ends of its line.

    Only \\b, \\B and a start-of-text ^ are allowed as assertions: they see the characters either
    side of a line the same way whether the line is searched alone (between the newlines) or in the text.
    """
    from re import _constants as c  # type: ignore[attr-defined]

    for op, av in seq:
        if op is c.LITERAL:
            ok = av != 10
        elif op is c.IN:
            ok = bool(_in_set_misses_newline(av))
        elif op is c.ANY:
            ok = not dotall
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            ok = _within_a_line(av[2], dotall)
        elif op is c.SUBPATTERN:
            ok = not av[1] and not av[2] and _within_a_line(av[3], dotall)
        elif op is c.ATOMIC_GROUP:
            ok = _within_a_line(av, dotall)
        elif op is c.BRANCH:
            ok = all(_within_a_line(alternative, dotall) for alternative in av[1])
        elif op is c.AT:
            ok = av in (c.AT_BOUNDARY, c.AT_NON_BOUNDARY, c.AT_BEGINNING, c.AT_BEGINNING_STRING)
        else:
            ok = False
        if not ok:
            return False
    return True


class _Plan:
    """The literals of one pattern, their finder, and the letters that rule the finder out."""

    def __init__(self, pattern: re.Pattern[str], mode: Literal["prefix", "contained"]) -> None:
        import _sre
        from re import _casefix, _parser  # type: ignore[attr-defined]

        self.finder: re.Pattern[str] | None = None
        self.one_line = False
        self.icase = bool(pattern.flags & re.IGNORECASE)
        self.unsafe: re.Pattern[str] | None = None
        self.unsafe_chars = ""
        if not isinstance(pattern.pattern, str) or pattern.flags & (re.ASCII | re.LOCALE):
            return
        try:
            parsed = _parser.parse(pattern.pattern, pattern.flags).data
        except Exception:  # noqa: BLE001  (another Python's parser: scan the plain way)
            return
        self.one_line = (not pattern.flags & re.MULTILINE and _parser.parse(pattern.pattern, pattern.flags).getwidth()[0] >= 1
                         and _within_a_line(parsed, bool(pattern.flags & re.DOTALL)))
        literals = _prefixes(parsed) if mode == "prefix" else _contained(parsed)
        if not literals:
            return
        fold = _sre.unicode_tolower if self.icase else (lambda ch: ch)
        self.finder = re.compile(_trie({"".join(chr(fold(ch)) for ch in lit) for lit in literals}))
        if self.icase:
            extra = {chr(e) for lit in literals for ch in lit for e in _casefix._EXTRA_CASES.get(fold(ch), ())}
            if extra:
                self.unsafe_chars = "".join(sorted(extra))
                self.unsafe = re.compile("[" + re.escape(self.unsafe_chars) + "]")

    def haystack(self, text: str, low: str | None = None) -> str | None:
        """Return the text the finder scans (lower-cased under IGNORECASE), or None where it cannot."""
        if not self.icase:
            return text
        low = text.lower() if low is None else low
        if len(low) != len(text) or (self.unsafe is not None and self.unsafe.search(low)):
            return None
        return low


_PLANS: dict[tuple[re.Pattern[str], str], _Plan] = {}


def _plan(pattern: re.Pattern[str], mode: Literal["prefix", "contained"] = "prefix") -> _Plan:
    try:
        return _PLANS[pattern, mode]
    except KeyError:
        plan = _PLANS[pattern, mode] = _Plan(pattern, mode)
        return plan


def match_starts(pattern: re.Pattern[str], text: str) -> list[int]:
    """Return the start of each match `pattern.finditer(text)` yields, in order."""
    plan = _plan(pattern)
    hay = plan.haystack(text) if plan.finder is not None else None
    if hay is None:
        return [m.start() for m in pattern.finditer(text)]
    starts: list[int] = []
    pos = 0   # where finditer would search next: the end of the last match
    match, search = pattern.match, plan.finder.search  # type: ignore[union-attr]
    found = search(hay)
    while found is not None:
        at = found.start()
        if at >= pos:
            # match() at a position tries exactly what search() tries there (lookbehind and \b
            # see the text before it); no match starts where no prefix does.
            m = match(text, at)
            if m is not None:
                starts.append(at)
                pos = m.end()   # past the prefix at least: finditer goes on from there
        found = search(hay, at + 1)
    return starts


def line_match_starts(pattern: re.Pattern[str], text: str) -> list[int]:
    """Return match starts of `pattern` in `text`, at least one in each line where finditer starts one.

    (The lines are text.split("\\n"); the starts are all finditer's, or one per line.) A pattern none
    of whose matches leaves its line is searched only in the lines that hold one of its literals.
    """
    if _plan(pattern).finder is not None:
        return match_starts(pattern, text)
    plan = _plan(pattern, "contained")
    hay = plan.haystack(text) if plan.finder is not None and plan.one_line else None
    if hay is None:
        return [m.start() for m in pattern.finditer(text)]
    starts: list[int] = []
    search, find, rfind, size = pattern.search, text.find, text.rfind, len(text)
    found = plan.finder.search(hay)  # type: ignore[union-attr]
    while found is not None:
        at = found.start()
        begin, end = rfind("\n", 0, at) + 1, find("\n", at)
        end = size if end < 0 else end
        # the line alone, its newline included: \b at its end sees what it sees in the text
        m = search(text, begin, min(size, end + 1))
        if m is not None:
            starts.append(m.start())
        found = plan.finder.search(hay, end + 1)  # type: ignore[union-attr]
    return starts


class Prefilter:
    """Tell quickly that a pattern cannot match a text: none of the literals each match holds is in it."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self._plan = plan = _plan(pattern, "contained")
        # For callers that lower-case a text once for several patterns: `finder` scans text.lower()
        # (text itself when not `icase`), valid where that has text's length and none of `unsafe_chars`.
        self.finder, self.icase, self.unsafe_chars = plan.finder, plan.icase, plan.unsafe_chars

    def may_match(self, text: str, low: str | None = None) -> bool:
        """Return False only when `pattern` matches nowhere in `text` (`low`: text.lower(), if at hand)."""
        plan = self._plan
        if plan.finder is None:
            return True
        hay = plan.haystack(text, low)
        return hay is None or plan.finder.search(hay) is not None
