"""Score rankings against relevance judgments: AP, nDCG@k, P@k, reciprocal rank, and their means.

Definitions follow trec_eval: a document is relevant when its gain is > 0; AP divides by the
number of relevant documents judged (not the number retrieved); nDCG uses linear gains and a
log2(rank + 1) discount, with the ideal ranking built from all judged gains.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from math import log2
from statistics import fmean


def average_precision(ranking: Sequence[str], gains: Mapping[str, int]) -> float:
    """Return the average precision of one ranked list of document ids."""
    relevant = {d for d, g in gains.items() if g > 0}
    if not relevant:
        return 0.0
    hits, total = 0, 0.0
    for rank, doc in enumerate(_dedupe(ranking), start=1):
        if doc in relevant:
            hits += 1
            total += hits / rank
    return total / len(relevant)


def ndcg_at(ranking: Sequence[str], gains: Mapping[str, int], k: int = 10) -> float:
    """Return nDCG@k with linear gains."""
    dcg = sum(gains.get(doc, 0) / log2(rank + 1)
              for rank, doc in enumerate(_dedupe(ranking)[:k], start=1) if gains.get(doc, 0) > 0)
    ideal = sorted((g for g in gains.values() if g > 0), reverse=True)[:k]
    idcg = sum(g / log2(rank + 1) for rank, g in enumerate(ideal, start=1))
    return dcg / idcg if idcg else 0.0


def precision_at(ranking: Sequence[str], gains: Mapping[str, int], k: int = 10) -> float:
    """Return the share of the first k ranks holding a relevant document (short lists count as misses)."""
    return sum(1 for doc in _dedupe(ranking)[:k] if gains.get(doc, 0) > 0) / k


def reciprocal_rank(ranking: Sequence[str], gains: Mapping[str, int]) -> float:
    """Return 1/rank of the first relevant document, 0 when none is retrieved."""
    for rank, doc in enumerate(_dedupe(ranking), start=1):
        if gains.get(doc, 0) > 0:
            return 1.0 / rank
    return 0.0


def evaluate(run: Mapping[str, Sequence[str]], qrels: Mapping[str, Mapping[str, int]],
             k: int = 10) -> dict[str, float]:
    """Return MAP, nDCG@k and P@k over every query with a relevant document.

    A judged query missing from the run scores zero, as in trec_eval with -c.
    """
    judged = [q for q, g in qrels.items() if any(v > 0 for v in g.values())]
    if not judged:
        return {"map": 0.0, f"ndcg@{k}": 0.0, f"p@{k}": 0.0, "queries": 0}
    return {
        "map": fmean(average_precision(run.get(q, ()), qrels[q]) for q in judged),
        f"ndcg@{k}": fmean(ndcg_at(run.get(q, ()), qrels[q], k) for q in judged),
        f"p@{k}": fmean(precision_at(run.get(q, ()), qrels[q], k) for q in judged),
        "queries": len(judged),
    }


def _dedupe(ranking: Sequence[str]) -> list[str]:
    # A document listed twice would be counted twice; keep its first (best) rank only.
    seen: set[str] = set()
    return [d for d in ranking if not (d in seen or seen.add(d))]
