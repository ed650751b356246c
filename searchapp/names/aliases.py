"""The alias table: names that mean the same thing in any script (ОДКБ = CSTO = Collective ...).

Two files, one form: the table shipped in searchapp/data/aliases.toml and a desk's own
`aliases.toml` at the top of the corpus folder, each line `"label" = ["other", "names"]`. Groups
sharing a name are merged, so a desk extends a shipped group by naming any of its members. The
desk file is read again when it changes (one stat per search), so an edit takes effect on the next
search with no reindex: expansion happens at query time (searchapp.names.expand). A desk file that
cannot be read leaves the shipped table in force and says why on every results page.

Names are matched by the stems of their words (searchapp.text.terms), so most case
forms match ("tokayev's" is "Tokayev"). The Russian stemmer takes some surnames for plurals
("Токаев" -> "тока" but "Токаева" -> "токаев"), so a Cyrillic name also stands for its case forms
(`case_forms`), which are both looked up and searched.
"""
from __future__ import annotations

import threading
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from searchapp.text import terms, words

SHIPPED = Path(__file__).resolve().parents[1] / "data" / "aliases.toml"
DESK_FILE = "aliases.toml"


class AliasFileError(ValueError):
    """An aliases.toml that is not a table of names to lists of names."""


@dataclass
class AliasTable:
    """Groups of names; `lookup` finds a name's group by the stems of its words."""

    groups: list[tuple[str, ...]] = field(default_factory=list)
    by_key: dict[tuple[str, ...], int] = field(default_factory=dict)
    longest: int = 0
    problem: str | None = None    # why the desk file is not in force, for the page
    _stems: frozenset[str] | None = field(default=None, repr=False)

    @property
    def stems(self) -> frozenset[str]:
        """Return every stem of every name (a cheap test before a look-up)."""
        if self._stems is None:
            self._stems = frozenset(x for key in self.by_key for x in key)
        return self._stems

    def lookup(self, text: str, key: tuple[str, ...] | None = None) -> tuple[str, ...] | None:
        """Return every name of the group `text` (stems `key`) names, itself included, or None."""
        key = tuple(terms(text)) if key is None else key
        i = self.by_key.get(key) if key else None
        return self.groups[i] if i is not None else None

    def name_words(self) -> set[str]:
        """Return the folded words of every name (the spelling corrector's preferred words)."""
        return {w for g in self.groups for name in g for _, _, w in words(name)}


_VOWELS = "аеёиоуыэюя"


def case_forms(name: str) -> list[str]:
    """Return a one-word Cyrillic name with its oblique case forms (Токаев: Токаева, Токаеву...)."""
    if " " in name or not name or not ("\u0400" <= name[0] <= "\u04ff") or name.isupper():
        return [name]
    low = name[-2:].lower()
    if low in ("ий", "ый"):
        return [name] + [name[:-2] + e for e in ("ого", "ому", "им", "ом")]
    if low == "ая":
        return [name] + [name[:-2] + e for e in ("ой", "ую")]
    last = name[-1].lower()
    if last in "ая":
        return [name] + [name[:-1] + e for e in ("ы", "и", "е", "у", "ой")]
    if last in _VOWELS or last in "йь":
        return [name]   # Лукашенко, Шойгу, НАТО: indeclinable here
    return [name] + [name + e for e in ("а", "у", "ом", "ым", "е")]


def name_keys(name: str) -> list[tuple[str, ...]]:
    """Return the stem keys a name is found and searched under (its case forms' too)."""
    out: dict[tuple[str, ...], None] = {}
    for form in case_forms(name):
        key = tuple(terms(form))
        if key:
            out[key] = None
    return list(out)


def read_groups(path: Path) -> list[list[str]]:
    """Read one aliases.toml into lists of names; raise AliasFileError saying what is wrong."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise AliasFileError(f"{path} cannot be read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise AliasFileError(f"{path} is not valid TOML: {exc}") from None
    out = []
    for label, names in data.items():
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise AliasFileError(f"{path}: {label!r} must be a list of names, like "
                                 f'"{label}" = ["other name", "..."]')
        out.append([label, *names])
    return out


def build(groups: list[list[str]], problem: str | None = None) -> AliasTable:
    """Merge groups that share a name (by stems) into one table."""
    parent: list[int] = list(range(len(groups)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[tuple[str, ...], int] = {}
    for i, names in enumerate(groups):
        for name in names:
            for key in name_keys(name):
                if key in owner:
                    parent[root(i)] = root(owner[key])
                else:
                    owner[key] = i
    merged: dict[int, dict[str, None]] = {}
    for i, names in enumerate(groups):
        merged.setdefault(root(i), {}).update(dict.fromkeys(n.strip() for n in names if n.strip()))
    table = AliasTable(problem=problem)
    for names in merged.values():
        group = tuple(names)
        n = len(table.groups)
        table.groups.append(group)
        for name in group:
            for key in name_keys(name):
                table.by_key.setdefault(key, n)
                table.longest = max(table.longest, len(key))
    return table


class AliasSource:
    """The shipped table plus one corpus folder's desk file, re-read when the file changes."""

    def __init__(self, corpus_dir: Path):
        self.path = Path(corpus_dir) / DESK_FILE
        self._lock = threading.Lock()
        self._stamp: tuple | None = None
        self._table: AliasTable | None = None

    def _stat(self) -> tuple | None:
        try:
            st = self.path.stat()
        except OSError:
            return None
        return (st.st_mtime_ns, st.st_size, st.st_ino)

    def table(self) -> AliasTable:
        """Return the table in force now (one stat; a re-read only after the desk file changed)."""
        stamp = self._stat()
        with self._lock:
            if self._table is not None and stamp == self._stamp:
                return self._table
            groups = shipped_groups()
            problem = None
            if stamp is not None:
                try:
                    groups = groups + read_groups(self.path)
                except AliasFileError as exc:
                    problem = f"The desk's alias file is not in force: {exc}"
            self._table, self._stamp = build(groups, problem), stamp
            return self._table


_SHIPPED: list[list[str]] | None = None


def shipped_groups() -> list[list[str]]:
    """Return the groups of the shipped table (read once; a broken one fails loudly)."""
    global _SHIPPED
    if _SHIPPED is None:
        _SHIPPED = read_groups(SHIPPED)
    return [list(g) for g in _SHIPPED]


_SOURCES: dict[Path, AliasSource] = {}
_SOURCES_LOCK = threading.Lock()


def aliases_for(corpus_dir: Path) -> AliasTable:
    """Return the alias table in force for a corpus folder (shipped + its desk file)."""
    key = Path(corpus_dir)
    with _SOURCES_LOCK:
        source = _SOURCES.get(key)
        if source is None:
            source = _SOURCES[key] = AliasSource(key)
    return source.table()
