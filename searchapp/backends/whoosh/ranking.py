"""Rank search results: the BM25 variant and query-term weights the product uses.

Why these choices: mean MAP over TIME, CISI, Cranfield, CACM, MED, NPL, measured with
`bench/relevance.py` (Whoosh's default BM25F with its 34-word stop list: .364 in the same run).
- Stop words (searchapp/text.py): the Snowball lists (English keeps "us" = United States and the homonyms
  will/can/may/must/might, as Snowball advises). Snowball .393; SMART's 571 words .393;
  Snowball + its "commonest words" .393; Whoosh's 34 words .387: nothing beats Snowball.
- idf: Lucene's `log(1 + (N - n + 0.5) / (n + 0.5))` .393; Whoosh's `log(N/(n+1)) + 1` .386.
- One idf per term for title and body (the larger of the two document frequencies), as BM25F
  prescribes: .401 against .396 with Whoosh's per-field idf, which makes any title word look rare.
- K1 = 1.2, B = 0.6: flat optimum (K1 1.0-1.4 x B 0.55-0.65 all give .400-.403); B 0.75: .397.
- Title boost: 1.0. 0.75 gives .400, 1.5 .400, 2.0 worse; a true BM25F (tf summed across fields
  before saturation) .400 at best. Repeated query words kept as weights: without them .384
  (CISI .182 against .219), and saturating them (k3) never helped.
- Stemming: Snowball English .401; Porter .396; none .365 (it helps even on TIME, the news
  collection: .647 stemmed against .630).
Models tried and dropped: DFR PL2 (.382), DPH (.379), BM25+ (delta .25: .391).
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from math import log
from typing import Any

from whoosh.scoring import BM25F, WeightingModel, WeightLengthScorer, WeightScorer

# Tuned values (see module docstring); keep in sync with the report of bench/relevance.py.
K1 = 1.2
B = 0.6
# Multiplier for a match in the title field. 1.0 = title counts like body text.
TITLE_BOOST = 1.0
# Text fields whose terms share one document-level idf.
SHARED_IDF_FIELDS = ("title", "body")


class LuceneBM25F(BM25F):
    """BM25 per field with Lucene's idf shared across text fields, and optional field multipliers.

    `shared_idf_fields` (title and body by default) get one idf per term: the one of its most
    frequent field (max of the per-field document frequencies, a cheap lower bound of the number
    of documents holding the term anywhere). Whoosh's own per-field idf makes a title match of
    a common word look rare, because titles are short; sharing it is what BM25F prescribes.
    """

    def __init__(self, B: float = B, K1: float = K1,
                 field_boosts: Mapping[str, float] | None = None,
                 shared_idf_fields: Iterable[str] = SHARED_IDF_FIELDS, **kwargs: float) -> None:
        super().__init__(B=B, K1=K1, **kwargs)
        self.field_boosts = dict(field_boosts or {})
        self.shared_idf_fields = tuple(shared_idf_fields)

    def idf(self, searcher: Any, fieldname: str, text: str) -> float:
        """Return Lucene's BM25 idf, computed on the whole index (not one segment)."""
        parent = searcher.get_parent()
        group = self.shared_idf_fields if fieldname in self.shared_idf_fields else (fieldname,)
        schema = parent.schema
        n = max(parent.doc_frequency(f, text) for f in group if f in schema)
        # Deleted documents stay in the term statistics until their segment is merged, so N
        # counts them too (as Lucene's docCount does): with live documents only, a word most
        # of whose articles were deleted got a negative idf, and matching it lowered a score.
        return lucene_idf(parent.doc_count_all(), n)

    def scorer(self, searcher: Any, fieldname: str, text: str, qf: int = 1) -> Any:
        if not searcher.schema[fieldname].scorable:
            return WeightScorer.for_(searcher, fieldname, text)
        b = self._field_B.get(fieldname, self.B)
        boost = self.field_boosts.get(fieldname, 1.0)
        return _BoostedBM25Scorer(searcher, fieldname, text, b, self.K1, boost)


class _BoostedBM25Scorer(WeightLengthScorer):
    def __init__(self, searcher: Any, fieldname: str, text: str,
                 b: float, k1: float, boost: float) -> None:
        parent = searcher.get_parent()
        # idf and average length are index-wide statistics; the parent caches idf per term.
        self.idf = parent.idf(fieldname, text) * boost
        self.avgfl = parent.avg_field_length(fieldname) or 1.0
        self.b = b
        self.k1 = k1
        self.setup(searcher, fieldname, text)

    def _score(self, weight: float, length: int) -> float:
        return bm25_term(self.idf, weight, length, self.avgfl, self.b, self.k1)


def lucene_idf(doc_count: int, doc_freq: int) -> float:
    """Return log(1 + (N - n + 0.5) / (n + 0.5)), Lucene's non-negative BM25 idf."""
    return log(1.0 + (doc_count - doc_freq + 0.5) / (doc_freq + 0.5))


def bm25_term(idf: float, tf: float, length: float, avg_length: float, b: float, k1: float) -> float:
    """Return one term's BM25 contribution (Lucene form: tf saturation without the (k1+1) factor)."""
    norm = k1 * ((1.0 - b) + b * length / avg_length)
    return idf * tf / (tf + norm)


def weighting(*, k1: float = K1, b: float = B, title_boost: float = TITLE_BOOST,
              title_field: str = "title") -> WeightingModel:
    """Return the product's ranking model for `Searcher(weighting=...)`."""
    boosts = {title_field: title_boost} if title_boost != 1.0 else {}
    return LuceneBM25F(B=b, K1=k1, field_boosts=boosts)


def term_weights(tokens: Iterable[str]) -> dict[str, float]:
    """Return each distinct analysed query token with its count, in first-seen order.

    Use the count as the term's boost in an OR query: the repeat survives parsing.
    """
    return {tok: float(n) for tok, n in Counter(t for t in tokens if t).items()}
