"""Answer the seam's Reader calls from the distributed table of the live slot.

Every statement goes to one coordinating node, which fans out to every shard (a mirror when the
primary is down). A page is sent as a few round trips at once: the ranked query (carrying the
page's stored articles), and one batch of GROUP BY counts per distinct WHERE, facets honouring
every filter but their own. searchd counts all GROUP BYs of a batch in one pass over the matches
when they share query, filters, ranker and select list and group by integers of one width
(searchd.cpp RunSubset/RunLocalSearches: "multi-queue"); a batch that mixes them matches the
query once per statement, which cost a 209k page 6 matches per shard. FACET would do the same
but cannot be combined with WEIGHT() on a distributed table (SCALEOUT.md trap 4). Every
statement's SHOW META is read: a shard that did not answer makes the answer partial, with the
shard named (trap 1). OPTION max_matches is the page depth, so no shard ships more rows than the
page needs (trap 6).
"""
from __future__ import annotations

import bisect
import datetime as dt
import json
import math
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

import pymysql

from searchapp.backend import (OWN_FILTER, PERIOD_UNKNOWN, Matches, MissingShard, Query, Scored,
                               SourceStats)
from searchapp.backends.sphinxql import schema
from searchapp.backends.sphinxql.compile import _KEPT, MatchCompiler, where
from searchapp.backends.sphinxql.connection import (NodeDown, Pool, Result, ShardsDown,
                                                    missing_shards)
from searchapp.backends.sphinxql.labels import Labels
from searchapp.backends.sphinxql.topology import Topology
from searchapp.errors import NotFound, QueryError
from searchapp.querytree import Node, terms_of
from searchapp.text import fold, is_stopword, stem, words
from searchapp.models import Article

# Most groups one facet (per shard) and one period count return. OPTION max_matches sizes the
# engine's group sorter up front, so it is the cost of a facet (SCALEOUT.md trap 6): a page with
# five facets and the periods took 827 ms at 20,000 and 99 ms at 1,000 on 3,000 articles. The
# page shows facet_limit values, so 1,000 per shard is plenty; periods need every key for exact
# year and month roll-ups: 5,000 keys is thirteen years of days.
GROUP_LIMIT = 1_000
PERIOD_LIMIT = 5_000
SIZE_MARGIN = 16       # groups a count holds beyond the values the slot had (_sizes_of)
# A page this deep carries its stored articles in the ranked query itself (each shard ships
# `depth` rows anyway), so the snippets need no second round trip; a deeper one (the alias
# labels' "every match" query) fetches only ids.
DOC_DEPTH = 50
SIMILAR_TERMS = 12            # words of an article a "more like this" query is made of
FIELD_WEIGHTS = "field_weights=(title=2, body=1, tags=1)"     # "more like this" (ranker=bm25)
# Relevance: per-field BM25 summed over title and body with one idf per word, as the Whoosh
# backend ranks (searchapp/backends/whoosh/ranking.py: K1 1.2, B 0.6). Sphinx 2.2's own
# length-normalised factors (bm25a, bm25f) see no field lengths in an RT table (every document
# scores alike), so the expression reads them from the tlen/blen attributes (schema.length)
# and the averages each commit publishes. Per field, the saturation is applied to the mean
# count of the matched words, tf_idf / (hit_count / word_count + K1 * norm): exact when they
# occur equally often. field_weights here only number the fields for the expression.
BM25_K1 = 1.2
BM25_B = 0.6
FIELD_IDS = "field_weights=(title=1, body=2, tags=3)"
IDF = "idf='plain,tfidf_normalized'"     # log(N/n) per word (the default subtracts n from N)
# Without published averages (a slot written before schema 2), Sphinx's own BM25 (k1 1.2, b 0).
RANKER_FALLBACK = "expr('bm25')"
# Times a statement that came back without a mirrored shard is asked again. searchd chooses a
# shard's copy once per statement and retries only that copy (Sphinx 2.2: agent_retry_count);
# with ha_strategy = nodeads it skips a copy after more than 3 errors in a row, and each
# failed ask adds one, so the fourth ask again cannot go to the dead copy (searchd_conf).
MIRROR_ASKS = 4


def ranker(avg_title: float, avg_body: float, k1: float = BM25_K1, b: float = BM25_B) -> str:
    """Return the expression ranker of a relevance query for these average field lengths."""
    norm = (f"({1 - b:.4f}+{b:.4f}*if(user_weight==1, tlen/{max(avg_title, 0.01):.4f}, "
            f"if(user_weight==2, blen/{max(avg_body, 0.01):.4f}, 1)))")
    return (f"expr('1000000*sum(tf_idf*word_count/(hit_count+0.0001+{k1:.4f}*word_count*"
            f"{norm}))')")


_GROUP_ATTR = {"source": "source_h", "language": "language_h", "country": "country_h",
               "city": "city_h", "period": "pkey"}
_ALPHABETS = ("abcdefghijklmnopqrstuvwxyz", "абвгдежзийклмнопрстуфхцчшщъыьэюя")


def missing_of(found: dict[str, str]) -> tuple[MissingShard, ...]:
    """Return the seam's MissingShard values for shard name -> the engine's warning."""
    return tuple(MissingShard(name, "timed out" if _late(text) else "down", text)
                 for name, text in found.items())


def _cap(attr: str) -> int:
    """Return the most groups a count of this attribute holds."""
    return PERIOD_LIMIT if attr == "pkey" else GROUP_LIMIT


def _late(warning: str) -> bool:
    """Tell whether the engine's warning says a shard answered too late (not that it is down)."""
    return "timed out" in warning or "timeout" in warning


def _quote(text: str) -> str:
    return "'" + pymysql.converters.escape_string(text) + "'"


def _rollup(rows: Sequence[tuple]) -> dict[str, int]:
    """Return period counts rolled up: a day counts in its month and year, a month in its year."""
    out: Counter[str] = Counter()
    for number, n in rows:
        key = schema.period_key_of(int(number))
        n = int(n)
        if key == PERIOD_UNKNOWN:
            out[key] += n
            continue
        out[key[:4]] += n
        if len(key) >= 7:
            out[key[:7]] += n
        if len(key) == 10:
            out[key] += n
    return dict(out)


def _s(value: object) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


class SphinxReader:
    """One view of the live slot through one coordinating node."""

    def __init__(self, pool: Pool, topology: Topology, node: str, slot: str,
                 lengths: tuple[float, float] | None = None,
                 vocabulary: Callable[[], Sequence[str] | None] | None = None,
                 prefix_limit: int | None = None, shared: "StateCache | None" = None,
                 labels: Labels | None = None):
        self.pool = pool
        self.topology = topology
        self.node = node
        self.slot = slot
        self.table = schema.dist_table(slot)
        self.missing: dict[str, str] = {}     # every shard that failed to answer this reader
        self.deadline = math.inf              # when re-asking for a mirror stops (search sets it)
        self.lengths = lengths                # average title and body length of the slot
        self.vocabulary = vocabulary          # the spelling words, sorted (vocabulary.py): a prefix's count
        self.prefix_limit = prefix_limit
        self._docs: dict[str, str] = {}       # aid -> stored article, from this reader's searches
        self._shared = shared
        self._labels = labels if labels is not None else Labels()

    # -- plumbing ---------------------------------------------------------------------------

    def _run(self, statements: Sequence[str]) -> list[Result]:
        """Send statements to the coordinator; ask again those a dead copy cost a shard.

        Right after a node dies, searchd still picks it now and then for a shard that has a
        live mirror (until it counts the node dead: searchd_conf, ha_strategy), and the
        statement comes back without the shard, or fails when no agent answered at all (a 503
        for searches and /healthz alike while the mirror could answer). Such a statement is
        asked again, up to MIRROR_ASKS times while the search has time left; a copy that was
        down costs milliseconds. Statements whose agents were late are not asked again: that
        would spend the budget twice.
        """
        results: list[Result | None] = [None] * len(statements)
        todo = list(range(len(statements)))
        for ask in range(MIRROR_ASKS + 1):
            last = ask == MIRROR_ASKS or time.perf_counter() >= self.deadline
            try:
                answers = self.pool.run(self.node, [statements[i] for i in todo])
            except ShardsDown as exc:
                if last or _late(str(exc)) or all(len(c) == 1 for c in self.topology.shards):
                    if any(results[i] is None for i in todo):
                        raise
                    break       # keep what an earlier ask brought
                continue
            again = []
            for i, result in zip(todo, answers):
                results[i] = result
                if self._mirror_could_answer(result):
                    again.append(i)
            todo = again
            if not todo or last:
                break
        # Every statement has its answer: the last ask either answered or raised above.
        done = [r for r in results if r is not None]
        assert len(done) == len(statements)
        for shard, text in self._missing_in(done).items():
            self.missing.setdefault(self.topology.shard_name(shard), text)
        return done

    def _mirror_could_answer(self, result: Result) -> bool:
        """Tell whether every shard missing from a result was down (not late) and has a mirror."""
        missing = self._missing_in([result])
        return bool(missing) and all(len(self.topology.shards[shard]) > 1 and not _late(text)
                                     for shard, text in missing.items())

    def _missing_in(self, results: Sequence[Result]) -> dict[int, str]:
        warnings = [r.meta["warning"] for r in results if r.meta.get("warning")]
        return missing_shards(self.topology, warnings) if warnings else {}

    def _missing_now(self, before: set[str]) -> dict[str, str]:
        return {k: v for k, v in self.missing.items() if k not in before}

    # -- the seam -------------------------------------------------------------------------------

    def doc_count(self) -> int:
        """Return the number of live articles (over the shards that answered)."""
        return self._run([f"SELECT id FROM {self.table} LIMIT 1"])[0].total

    def search(self, query: Query) -> Matches:
        """Answer a query: ranked page, facet and period counts, partial and timed-out flags."""
        self._check_prefixes(query.node)
        self.deadline = query.deadline
        if query.mode == "any":
            match = MatchCompiler().alternatives(query.node)
        else:
            match = MatchCompiler().compile(query.node)
        if query.node is not None and match is None:
            return Matches(total=0, stopped=True)
        scored = query.sort == "relevance" and match is not None
        rank = ranker(*self.lengths) if self.lengths else RANKER_FALLBACK
        base = [f"MATCH({_quote(match)})"] if match is not None else []
        options = []
        remaining = query.deadline - time.perf_counter()
        if math.isfinite(query.deadline):
            options.append(f"max_query_time={max(1, int(remaining * 1000))}")
        if scored:
            order = "w DESC, seq ASC"
            options += [f"ranker={rank}", FIELD_IDS, IDF]
        elif query.sort == "oldest":
            order = "dated DESC, pstart ASC, pend ASC, seq ASC"
        else:
            order = "dated DESC, pstart DESC, pend DESC, seq DESC"
        depth = query.offset + max(query.limit, 1)
        with_docs = query.limit > 0 and depth <= DOC_DEPTH
        what = "aid, WEIGHT() AS w, story" + (", doc" if with_docs else "")
        ranked = self._select(what, base + where(query.filters), order,
                              f"{query.offset}, {max(query.limit, 1)}",
                              options + [f"max_matches={depth}"])
        # Each count: (what it is, its WHERE terms, its GROUP BY statement).
        counts: list[tuple[str, tuple[str, ...], str]] = []
        before = set(self.missing)
        sizes = self._shared.get("group_sizes") if self._shared is not None else None
        for name in sorted(query.facets):
            terms = tuple(base + where(query.filters, skip=OWN_FILTER[name]))
            counts.append((name, terms, self._count(_GROUP_ATTR[name], terms, options, sizes or {})))
        if query.periods:
            terms = tuple(base + where(query.filters))
            counts.append(("", terms, self._count("pkey", terms, options, sizes or {})))
        # One batch per distinct WHERE: searchd counts every GROUP BY of a batch in one pass
        # over the matches when the batch's statements share query, filters and select list
        # (_count), and a batch mixing WHEREs makes each statement match again.
        batches: dict[tuple[str, ...], list[str]] = {}
        for _, terms, sql in counts:
            if sql not in batches.setdefault(terms, []):
                batches[terms].append(sql)
        # Until the slot's numbers of values are known, counts hold the caps; they are read
        # beside this page's statements (not before them: a frozen shard would cost each
        # round trip its agent timeout) and used from the next page on.
        sizing = self._sizing() if counts and sizes is None and self._shared is not None else []
        try:
            answers = self._run_together([[ranked]] + list(batches.values())
                                         + ([sizing] if sizing else []))
        except ShardsDown as exc:
            if "timed out" not in str(exc):
                raise
            # Every shard answered too late (a costly query on a busy cluster): nothing found
            # in the budget, said as such, not a cluster that is down (503).
            return Matches(total=0, timed_out=True, missing=tuple(
                MissingShard(self.topology.shard_name(i), "timed out", str(exc))
                for i in range(len(self.topology.shards))))
        main = answers[ranked]
        if with_docs:
            self._docs.update((_s(row[0]), _s(row[3])) for row in main.rows)
        hits = [Scored(_s(row[0]), float(row[1]) if scored else 0.0, _s(row[2]))
                for row in main.rows][:query.limit]
        out = Matches(total=main.total, hits=hits)
        facets = {}
        rolled: dict[str, dict[str, int]] = {}     # the period facet and the timeline: often one
        for name, _, sql in counts:
            rows = answers[sql].rows
            if name in ("", "period"):
                if sql not in rolled:
                    rolled[sql] = _rollup(rows)
                if name:
                    facets[name] = rolled[sql]
                else:
                    out.periods = dict(rolled[sql])
            else:
                facets[name] = self._labelled(name, rows)
        out.facets = facets
        out.timed_out = time.perf_counter() > query.deadline
        out.missing = missing_of(self._missing_now(before))
        if sizing and not out.missing:
            self._shared.put("group_sizes", self._sizes_of(sizing, answers))
        return out

    def _run_together(self, batches: list[list[str]]) -> dict[str, Result]:
        """Send each batch in its own round trip, all at once; return each statement's result.

        The first batch runs in this thread, the others on the pool's senders: searchd works
        on them side by side (a batch waits for its slowest statement, not for the others).
        """
        pending = [self.pool.sender.submit(self._run, b) for b in batches[1:]]
        error: BaseException | None = None
        out: dict[str, Result] = {}
        try:
            out.update(zip(batches[0], self._run(batches[0])))
        except NodeDown as exc:
            error = exc
        for batch, future in zip(batches[1:], pending):
            try:
                out.update(zip(batch, future.result()))
            except NodeDown as exc:
                error = error or exc
        if error is not None:
            raise error
        return out

    def _sizing(self) -> list[str]:
        """Return the statements counting the slot's values per group attribute.

        searchd sizes (and clears) a group sorter of max_matches groups for every count on
        every shard, most of a count's cost at 5,000 (the period cap) or 1,000; the slot's own
        number of values (SHOW META total_found of a GROUP BY over every row) is exact and
        usually far smaller. Read once per published state (StateCache).
        """
        return [f"SELECT GROUPBY() AS g, COUNT(*) AS n FROM {self.table} GROUP BY {a} LIMIT 1 "
                f"OPTION max_matches={_cap(a)}" for a in dict.fromkeys(_GROUP_ATTR.values())]

    @staticmethod
    def _sizes_of(sizing: list[str], answers: dict[str, Result]) -> dict[str, int]:
        """Return the group sorter size per attribute; a margin covers values a commit adds
        between reading the published state and a search."""
        return {a: answers[sql].total + max(SIZE_MARGIN, answers[sql].total // 4)
                for a, sql in zip(dict.fromkeys(_GROUP_ATTR.values()), sizing)}

    def _check_prefixes(self, node: Node | None) -> None:
        """Refuse a prefix* of more than prefix_limit words, as the Whoosh backend does.

        searchd cannot count a wildcard's expansions (it keeps the commonest expansion_limit,
        silently), so they are counted in the spelling vocabulary: the same folded words as
        written that the Whoosh backend counts. Before the first read of it has ended (a new
        process, for up to PREFIX_WAIT_S), a prefix is searched uncounted, capped by searchd.
        """
        if self.prefix_limit is None or self.vocabulary is None or node is None:
            return
        prefixes = [fold(t.text) for t in terms_of(node) if t.prefix]
        if not prefixes:
            return
        ordered = self.vocabulary()
        if ordered is None:
            return
        for prefix in prefixes:
            first = bisect.bisect_left(ordered, prefix)
            if first + self.prefix_limit < len(ordered) and \
                    ordered[first + self.prefix_limit].startswith(prefix):
                raise QueryError(f"'{prefix}*' matches more than {self.prefix_limit} words; "
                                 f"write more letters before the *")

    def _select(self, what: str, terms: list[str], order: str, limit: str,
                options: list[str]) -> str:
        sql = f"SELECT {what} FROM {self.table}"
        if terms:
            sql += " WHERE " + " AND ".join(terms)
        sql += f" ORDER BY {order} LIMIT {limit}"
        if options:
            sql += " OPTION " + ", ".join(options)
        return sql

    def _count(self, attr: str, terms: Sequence[str], options: list[str],
               sizes: dict[str, int]) -> str:
        """Return the GROUP BY counting the matches per value of one attribute.

        Every count has the same select list and no ranker, and groups by a 64-bit integer
        (a value hash or pkey): searchd's multi-query optimisation counts all those sharing a
        WHERE in one pass (a string key, or select lists of other widths, each match again).
        Its group sorter holds as many groups as the slot has values (sizes), capped.
        """
        limit = min(_cap(attr), sizes.get(attr, _cap(attr)))
        sql = f"SELECT GROUPBY() AS g, COUNT(*) AS n FROM {self.table}"
        if terms:
            sql += " WHERE " + " AND ".join(terms)
        sql += f" GROUP BY {attr} ORDER BY n DESC LIMIT {limit}"
        opts = [o for o in options if o.startswith("max_query_time")]
        return sql + " OPTION " + ", ".join(opts + ["ranker=none", f"max_matches={limit}"])

    def _labelled(self, name: str, rows: Sequence[tuple]) -> dict[str, int]:
        """Name each hashed group by its value (the value read once per process, labels.py)."""
        counts = {int(g): int(n) for g, n in rows}
        names = self._labels.names(name, counts, self.table, self._run)
        out: dict[str, int] = {}
        for g, n in counts.items():
            value = names.get(g)
            if value is not None:
                out[value] = out.get(value, 0) + n
        return out

    def articles(self, ids: Sequence[str]) -> list[Article]:
        """Return the stored articles with these ids, in this order (not found: left out)."""
        if not ids:
            return []
        found = {i: Article.from_json(json.loads(self._docs[i])) for i in ids if i in self._docs}
        rest = [i for i in dict.fromkeys(ids) if i not in found]
        for chunk in range(0, len(rest), 500):
            part = rest[chunk:chunk + 500]
            res = self._run([f"SELECT aid, doc FROM {self.table} WHERE id IN "
                             f"({', '.join(str(schema.doc_id(i)) for i in part)}) "
                             f"LIMIT {len(part)} OPTION max_matches={len(part)}"])[0]
            for aid, doc in res.rows:
                found[_s(aid)] = Article.from_json(json.loads(_s(doc)))
        return [found[i] for i in ids if i in found]

    def similar(self, article_id: str, limit: int) -> list[Scored]:
        """Return other articles sharing this one's most telling words, best first."""
        got = self.articles([article_id])
        if not got:
            raise NotFound(f"no article with id {article_id!r}")
        article = got[0]
        counts = Counter(w for _, _, w in words(f"{article.title}\n{article.text}")
                         if not is_stopword(w) and len(w) > 2 and not w.isdigit() and _KEPT.fullmatch(w))
        if not counts:
            return []
        by_stem: dict[str, tuple[int, str]] = {}
        for w, n in counts.items():
            s = stem(w)
            tf, first = by_stem.get(s, (0, w))
            by_stem[s] = (tf + n, first)
        total = max(self.doc_count(), 1)
        freq = self._frequencies([w for _, w in by_stem.values()], exact=True)
        ranked = sorted(((tf * math.log(1 + total / (1 + freq.get(w, 0))), w)
                         for tf, w in by_stem.values()), reverse=True)[:SIMILAR_TERMS]
        terms = [w for _, w in ranked]
        match = "@(title,body) " + "(" + " | ".join(t for t in terms) + ")"
        res = self._run([self._select("aid, WEIGHT() AS w, story", [f"MATCH({_quote(match)})",
                                      f"id != {schema.doc_id(article_id)}"], "w DESC, seq ASC",
                                      f"0, {limit}", ["ranker=bm25", FIELD_WEIGHTS,
                                                      f"max_matches={max(limit, 1)}"])])[0]
        return [Scored(_s(aid), float(w), _s(story)) for aid, w, story in res.rows]

    def _frequencies(self, words_: list[str], *, exact: bool = False) -> dict[str, int]:
        """Return documents per word summed over the shards (CALL KEYWORDS on each shard's table).

        exact: count the word as written (its "=word" form, index_exact_words), not its stem.
        """
        out: Counter[str] = Counter()
        if not words_:
            return {}
        text = " ".join(("=" + w) if exact else w for w in words_)
        for shard, names in enumerate(self.topology.shards):
            table = schema.shard_table(shard, self.slot)
            for name in names:
                try:
                    rows = self.pool.query(name, f"CALL KEYWORDS({_quote(text)}, {_quote(table)}, 1)")
                except NodeDown:
                    continue        # a dead copy: the shard's next copy answers
                for row in rows:
                    word = _s(row[1])
                    out[word[1:] if exact and word.startswith("=") else word] += int(row[3])
                break
            else:
                self.missing.setdefault(self.topology.shard_name(shard), "no copy answers")
        return dict(out)

    def doc_frequency(self, word: str) -> int:
        """Return how many articles hold this folded, unstemmed word (its exact form)."""
        word = fold(word)
        if not _KEPT.fullmatch(word):
            return 0
        return self._frequencies([word], exact=True).get(word, 0)

    def spelling(self, word: str, limit: int, max_distance: int) -> list[str]:
        """Return vocabulary words one edit away, commonest first.

        Sphinx 2.2 cannot list its dictionary, so the candidates one edit away are generated
        and counted in one CALL KEYWORDS per shard; two edits would be ~100 times as many.
        """
        word = fold(word)
        if max_distance < 1 or not word.isalpha():
            return []
        alphabet = _ALPHABETS[1] if any("а" <= c <= "я" for c in word) else _ALPHABETS[0]
        splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
        edits = {a + b[1:] for a, b in splits if b}
        edits |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
        edits |= {a + c + b[1:] for a, b in splits if b for c in alphabet}
        edits |= {a + c + b for a, b in splits for c in alphabet}
        edits = sorted(e for e in edits if e != word and len(e) > 1 and not is_stopword(e))
        found = {w: n for w, n in self._frequencies(edits, exact=True).items() if n and w in edits}
        return [w for w, _ in sorted(found.items(), key=lambda wn: (-wn[1], wn[0]))][:limit]

    def sources(self) -> list[SourceStats]:
        """Return every source in the index with its counts and date span.

        Two GROUP BYs over every row: kept per published state (a commit publishes a new one),
        unless a shard was missing from the answer.
        """
        if self._shared is not None:
            got = self._shared.get("sources")
            if got is not None:
                return got
        before = set(self.missing)
        out = self._sources()
        if self._shared is not None and not self._missing_now(before):
            self._shared.put("sources", out)
        return out

    def _sources(self) -> list[SourceStats]:
        what = "GROUPBY() AS g, COUNT(*) AS n, source, source_name"
        stmts = [
            f"SELECT {what} FROM {self.table} GROUP BY source_h LIMIT {GROUP_LIMIT} OPTION max_matches={GROUP_LIMIT}",
            f"SELECT {what}, MIN(pstart) AS lo, MAX(pend) AS hi FROM {self.table} WHERE dated = 1 "
            f"GROUP BY source_h LIMIT {GROUP_LIMIT} OPTION max_matches={GROUP_LIMIT}",
        ]
        every, dated = self._run(stmts)
        spans = {int(r[0]): (int(r[1]), int(r[4]), int(r[5])) for r in dated.rows}
        out = []
        for g, n, source, name in every.rows:
            d_n, lo, hi = spans.get(int(g), (0, 0, 0))
            out.append(SourceStats(_s(source), _s(name) or _s(source), int(n),
                                   _date(lo) if d_n else None, _date(hi) if d_n else None,
                                   int(n) - d_n))
        return sorted(out, key=lambda s: s.name)


class StateCache:
    """Answers that hold for one published state of the cluster (slot, generation, commit)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._key: tuple | None = None
        self._values: dict[str, object] = {}

    def for_state(self, key: tuple) -> "StateCache":
        """Forget every answer when the published state is not the one they were of."""
        with self._lock:
            if key != self._key:
                self._key, self._values = key, {}
        return self

    def get(self, name: str) -> Any:
        with self._lock:
            return self._values.get(name)

    def put(self, name: str, value: object) -> None:
        with self._lock:
            self._values[name] = value


def _date(ymd: int) -> dt.date:
    return dt.date(ymd // 10000, ymd // 100 % 100, ymd % 100)
