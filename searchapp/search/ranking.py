"""Rank search results: the BM25 variant, the stop lists and query-term weights the product uses.

Why these choices: mean MAP over TIME, CISI, Cranfield, CACM, MED, NPL, measured with
`bench/relevance.py` (Whoosh's default BM25F with its 34-word stop list: .364 in the same run).
- Stop words: the Snowball lists (English keeps "us" = United States and the homonyms
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
        return lucene_idf(parent.doc_count(), n)

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


# Snowball English stop list (snowballstem.org/algorithms/english/stop.txt, BSD), written out.
# Snowball's own advice is kept: "us" stays searchable (US = United States), and the homonyms
# will/can/may/must/might (a WILL, a tin CAN, the month of MAY) are not stop words.
STOPWORDS_EN: frozenset[str] = frozenset("""
i me my myself we our ours ourselves you your yours yourself yourselves
he him his himself she her hers herself it its itself they them their theirs themselves
what which who whom this that these those
am is are was were be been being have has had having do does did doing
would should could ought
i'm you're he's she's it's we're they're i've you've we've they've
i'd you'd he'd she'd we'd they'd i'll you'll he'll she'll we'll they'll
isn't aren't wasn't weren't hasn't haven't hadn't doesn't don't didn't
won't wouldn't shan't shouldn't can't cannot couldn't mustn't
let's that's who's what's here's there's when's where's why's how's
a an the and but if or because as until while
of at by for with about against between into through during before after
above below to from up down in out on off over under
again further then once here there when where why how
all any both each few more most other some such
no nor not only own same so than too very
""".split())

# Snowball Russian stop list (snowballstem.org/algorithms/russian/stop.txt, BSD), written out,
# without its content words that news readers search for (человек, жизнь, сказал(а), сказать,
# говорил, сегодня, один, два, три, хорошо, лучше, кажется), plus the commonest forms of
# это/который that the list lacks. Words with "ё" are listed both ways, so the list works
# whether or not the analyzer folds ё to е before the stop filter.
STOPWORDS_RU: frozenset[str] = frozenset("""
и в во не что он на я с со как а то все она так его но да ты к у же вы за бы по только
ее мне было вот от меня еще нет о из ему теперь когда даже ну вдруг ли если уже или ни
быть был него до вас нибудь опять уж вам ведь там потом себя ничего ей может они тут где
есть надо ней для мы тебя их чем была сам чтоб без будто чего раз тоже себе под будет ж
тогда кто этот того потому этого какой совсем ним здесь этом почти мой тем чтобы нее
сейчас были куда зачем всех никогда можно при наконец об другой хоть после над больше
тот через эти нас про всего них какая много разве эту моя впрочем свою этой перед иногда
чуть том нельзя такой им более всегда конечно всю между
её ещё всё
это эта этих этим который которая которое которые которых котором которой также
""".split())
