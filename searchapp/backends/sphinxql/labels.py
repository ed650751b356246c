"""Name facet groups: a value's hash -> the value as written, read once per process.

Facet counts come back keyed by 64-bit value hashes (schema.value_hash), with no string beside
them, so that searchd counts every facet of a page in one pass over the matches (reader._count).
The names of hashes not seen before are read in one GROUP BY over the rows holding them: a row's
string column holds the value (for countries and cities with the row's others, told apart by
their hashes). A hash stands for one folded value for good, so a commit forgets nothing; the
spelling kept is the first one read.
"""
from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence

from searchapp.backends.sphinxql import schema

# dimension -> (hash attribute, string column naming the value)
COLUMNS = {"source": ("source_h", "source"), "language": ("language_h", "language"),
           "country": ("country_h", "countries"), "city": ("city_h", "cities")}
PER_READ = 500          # hashes named by one statement
# Groups one read may return: rows holding a wanted country or city also hold others (each its
# own group), so the read is not capped at the hashes it asks for.
READ_GROUPS = 20_000
MAX_KNOWN = 100_000     # names kept per dimension; past it the map starts again (memory bound)


def _s(value: object) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


class Labels:
    """Value names per facet dimension, shared by every reader of a backend (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._known: dict[str, dict[int, str]] = {name: {} for name in COLUMNS}

    def names(self, name: str, hashes: Iterable[int], table: str,
              run: Callable[[Sequence[str]], list]) -> dict[int, str]:
        """Return hash -> value for these hashes of one dimension (unknown ones left out).

        run: sends statements and returns their results (the reader's, so a shard missing from
        the read makes the page partial like any other statement).
        """
        hashes = list(hashes)
        with self._lock:
            known = self._known[name]
            missing = [h for h in hashes if h not in known]
        if missing:
            found = self._read(name, missing, table, run)
            with self._lock:
                known = self._known[name]
                if len(known) + len(found) > MAX_KNOWN:
                    known = self._known[name] = {}
                known.update(found)
        with self._lock:
            known = self._known[name]
            return {h: known[h] for h in hashes if h in known}

    @staticmethod
    def _read(name: str, missing: list[int], table: str,
              run: Callable[[Sequence[str]], list]) -> dict[int, str]:
        attr, column = COLUMNS[name]
        statements = []
        for i in range(0, len(missing), PER_READ):
            part = ", ".join(str(h) for h in missing[i:i + PER_READ])
            statements.append(f"SELECT GROUPBY() AS g, COUNT(*) AS n, {column} FROM {table} "
                              f"WHERE {attr} IN ({part}) GROUP BY {attr} LIMIT {READ_GROUPS} "
                              f"OPTION max_matches={READ_GROUPS}")
        wanted = set(missing)
        found: dict[int, str] = {}
        for result in run(statements):
            for g, _, label in result.rows:
                g = int(g)
                if g not in wanted:
                    continue
                values = _s(label).split("\t") if name in ("country", "city") else [_s(label)]
                value = next((v for v in values if schema.value_hash(v) == g), None)
                if value is not None:
                    found[g] = value
        return found
