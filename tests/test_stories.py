"""Syndicated copies: story keys given at index time, on a real index of tests/fixtures/syndicated.

The fixture holds a Kazinform wire item reprinted by The Astana Times (another headline, a
dateline, the last paragraph cut, the outlet's boilerplate), a TASS item carried by Izvestia,
and near misses that must not merge: the same summit written independently, a Russian piece
on the same roads programme. Each backend (whoosh, and sphinxql on a real searchd cluster)
builds it; incremental adds and deletes must keep the keys, a rebuild the grouping and keys.
"""
from __future__ import annotations

import base64
import contextlib
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from searchapp import manifest_file
from searchapp.backend import Filters, Query, open_backend
from searchapp.config import Settings
from searchapp.indexing import stories as st
from searchapp.indexing.reindex import reindex
from tests.sphinx_support import searchd_path, sphinxql

FIXTURE = Path(__file__).parent / "fixtures" / "syndicated"
SUMMIT, REPRINT, NEAR = ("CSTO summit opens in Astana",
                         "Security bloc leaders meet in Kazakh capital <b>&amp;</b>",
                         "CSTO leaders talk security")
GRAIN, TASS, IZV = ("Kazakhstan harvests record grain crop",
                    "Путин поручил ускорить строительство трассы Москва — Казань",
                    "Трассу до Казани достроят быстрее")
RU_NEAR = "Минтранс рассказал о дорогах"


@contextlib.contextmanager
def _whoosh(settings: Settings) -> Iterator[Settings]:
    yield settings


ENGINES = {"whoosh": _whoosh, "sphinxql": sphinxql}


@pytest.fixture(params=sorted(ENGINES))
def corpus(request, tmp_path: Path) -> Iterator[Settings]:
    if request.param == "sphinxql" and searchd_path() is None:
        pytest.skip("searchd (Debian sphinxsearch) is not installed")
    shutil.copytree(FIXTURE, tmp_path / "corpus")
    settings = Settings(corpus_dir=tmp_path / "corpus", index_dir=tmp_path / "index")
    with ENGINES[request.param](settings) as s:
        yield s


def _stories(settings: Settings) -> dict[str, str]:
    """Return title -> story of every indexed article (checked against the hits' stories)."""
    b = open_backend(settings)
    try:
        with b.reader() as r:
            hits = r.search(Query(limit=100)).hits
            arts = r.articles([h.id for h in hits])
        assert [h.story for h in hits] == [a.story for a in arts]
        return {a.title: a.story for a in arts}
    finally:
        b.close()


def _copies(settings: Settings, story: str) -> set[str]:
    b = open_backend(settings)
    try:
        with b.reader() as r:
            hits = r.search(Query(limit=100, filters=Filters(stories=(story,)))).hits
            return {a.title for a in r.articles([h.id for h in hits])}
    finally:
        b.close()


def test_copies_share_a_story_and_near_misses_do_not(corpus: Settings) -> None:
    reindex(corpus, progress=False)
    got = _stories(corpus)
    assert got[SUMMIT] == got[REPRINT] and got[TASS] == got[IZV]
    assert len({got[SUMMIT], got[NEAR], got[GRAIN], got[TASS], got[RU_NEAR]}) == 5
    assert _copies(corpus, got[SUMMIT]) == {SUMMIT, REPRINT}
    assert _copies(corpus, got[TASS]) == {TASS, IZV}


def _write(path: Path, rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


def _indexed_without_izvestia(corpus: Settings) -> tuple[Path, str, dict[str, str]]:
    """Index the corpus without Izvestia's reprint; return its file, its text and the stories."""
    izvestia = corpus.corpus_dir / "izvestia" / "items.jsonl"
    saved = izvestia.read_text(encoding="utf-8")
    izvestia.unlink()
    reindex(corpus, progress=False)
    return izvestia, saved, _stories(corpus)


def test_incremental_adds_and_deletes_keep_story_keys_and_a_rebuild_keeps_them(corpus: Settings) -> None:
    izvestia, saved, first = _indexed_without_izvestia(corpus)
    assert IZV not in first
    # A new copy joins the story as it was: the TASS item's key does not change.
    izvestia.write_text(saved, encoding="utf-8")
    summary = reindex(corpus, progress=False)
    assert not summary.full and summary.added == 1
    second = _stories(corpus)
    assert second[IZV] == second[TASS] == first[TASS]
    assert {t: k for t, k in second.items() if t != IZV} == first
    # The original goes away: its copy keeps the key, and another copy of the original, added
    # later, still finds the story through the copy's kept signature.
    tass = json.loads((corpus.corpus_dir / "tass" / "items.jsonl").read_text(encoding="utf-8").splitlines()[0])
    (corpus.corpus_dir / "tass" / "items.jsonl").unlink()
    reindex(corpus, progress=False)
    third = _stories(corpus)
    assert TASS not in third and third[IZV] == first[TASS]
    _write(corpus.corpus_dir / "ria" / "items.jsonl",
           [dict(tass, id="r1", title="Путин: трассу Москва — Казань надо строить быстрее",
                 text="МОСКВА, 12 мая — РИА Новости. " + tass["text"])])
    reindex(corpus, progress=False)
    fourth = _stories(corpus)
    assert fourth["Путин: трассу Москва — Казань надо строить быстрее"] == first[TASS]
    # A full rebuild of the same corpus: the same grouping and the same keys (links stay valid).
    assert reindex(corpus, full=True, progress=False).full
    assert _stories(corpus) == fourth
    # ...also from nothing (another index folder): the same grouping.
    other = corpus.replace(index_dir=corpus.index_dir.parent / "index2") \
        if corpus.backend == "whoosh" else None
    if other is not None:
        reindex(other, progress=False)
        fresh = _stories(other)
        assert _groups(fresh) == _groups(fourth)


def _groups(stories: dict[str, str]) -> set[frozenset[str]]:
    by: dict[str, set[str]] = {}
    for title, key in stories.items():
        by.setdefault(key, set()).add(title)
    return {frozenset(v) for v in by.values()}


def test_the_manifest_keeps_each_articles_story_and_signature(corpus: Settings) -> None:
    reindex(corpus, progress=False)
    b = open_backend(corpus)
    try:
        entry = b.manifest().files["izvestia/items.jsonl"]
    finally:
        b.close()
    sigs = manifest_file.signatures(entry)
    assert len(entry.stories) == len(entry.ids) == 1 and sigs is not None and sigs.shape == (1, st.WIDTH)
    assert entry.stories[0] == _stories(corpus)[IZV]
    # The signatures are beside the manifest's JSON, not in it (it carries only the keys).
    path = _manifest_path(corpus)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert all("sketches" not in e for e in data["files"].values())
    assert np.load(path.parent / data[manifest_file.SIDECAR_KEY]).shape == (len(_stories(corpus)), st.WIDTH)


def _manifest_path(settings: Settings) -> Path:
    """Return the live manifest's file (whoosh: in the generation; sphinxql: per slot)."""
    found = sorted(settings.index_dir.rglob("manifest*.json"), key=lambda p: p.stat().st_mtime_ns)
    assert found
    return found[-1]


def _sidecars(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.glob(f"{path.stem}.sketches-*.npy"))


def _inline_the_signatures(path: Path) -> None:
    """Rewrite a manifest as searchapp wrote it before the sidecar: signatures inline, base64."""
    m = manifest_file.read(path)
    data = m.to_json()
    for rel, entry in m.files.items():
        sigs = manifest_file.signatures(entry)
        data["files"][rel]["sketches"] = "" if sigs is None else \
            base64.b64encode(np.ascontiguousarray(sigs, dtype="<u2").tobytes()).decode("ascii")
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    for name in _sidecars(path):
        (path.parent / name).unlink()


def test_an_old_manifest_with_inline_signatures_is_migrated_by_the_next_commit(corpus: Settings) -> None:
    izvestia, saved, first = _indexed_without_izvestia(corpus)
    _inline_the_signatures(_manifest_path(corpus))
    # The old manifest is read as it is: no rebuild, and a new copy finds its story through the
    # signatures the old manifest held inline.
    izvestia.write_text(saved, encoding="utf-8")
    summary = reindex(corpus, progress=False)
    assert not summary.full and summary.added == 1
    assert _stories(corpus)[IZV] == first[TASS]
    path = _manifest_path(corpus)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert all("sketches" not in e for e in data["files"].values())
    assert _sidecars(path) == [data[manifest_file.SIDECAR_KEY]]
    # An unchanged corpus keeps the sidecar as it is; a change writes a new one and drops the old.
    assert reindex(corpus, progress=False).added == 0
    assert _sidecars(_manifest_path(corpus)) == [data[manifest_file.SIDECAR_KEY]]
    tass = json.loads((corpus.corpus_dir / "tass" / "items.jsonl").read_text(encoding="utf-8").splitlines()[0])
    _write(corpus.corpus_dir / "ria" / "items.jsonl",
           [dict(tass, id="r1", title="Путин: трассу Москва — Казань надо строить быстрее",
                 text="МОСКВА, 12 мая — РИА Новости. " + tass["text"])])
    reindex(corpus, progress=False)
    assert _stories(corpus)["Путин: трассу Москва — Казань надо строить быстрее"] == first[TASS]
    path = _manifest_path(corpus)
    now = _sidecars(path)
    assert len(now) == 1 and now != [data[manifest_file.SIDECAR_KEY]]


def _lose_the_sidecar(corpus: Settings) -> Path:
    path = _manifest_path(corpus)
    for name in _sidecars(path):
        (path.parent / name).unlink()
    return path


def test_a_lost_sidecar_costs_the_signatures_until_the_next_reindex_reads_their_files(corpus: Settings) -> None:
    from searchapp.indexing.check import check

    izvestia, saved, first = _indexed_without_izvestia(corpus)
    signed = len(manifest_file.lost(open_backend(corpus).manifest()))
    assert signed == 0
    path = _lose_the_sidecar(corpus)
    # The manifest still says what is indexed (a desk sync reads only that) ...
    b = open_backend(corpus)
    try:
        files = [rel for rel, e in b.manifest().files.items() if e.stories]
        assert sum(len(e.ids) for e in b.manifest().files.values()) == len(first)
    finally:
        b.close()
    # ... `searchapp check` says what was lost and what restores it ...
    result = check(corpus)
    assert not result.ok and any(f"{len(first)} articles have lost their story signatures" in p
                                 and "the next `searchapp reindex` reads their files again" in p
                                 for p in result.problems), result.problems
    # ... and the next reindex reads the kept files again: a new copy finds its story as before
    # the loss, every key stays, and nothing is lost any more.
    izvestia.write_text(saved, encoding="utf-8")
    summary = reindex(corpus, progress=False)
    assert not summary.full and summary.added == 1 and not summary.failed
    assert summary.resigned == len(files) and summary.unchanged == 0
    assert any("were unchanged but read again" in line for line in summary.lines())
    got = _stories(corpus)
    assert {t: k for t, k in got.items() if t != IZV} == first and got[IZV] == first[TASS]
    assert check(corpus).ok, check(corpus).problems
    assert len(_sidecars(_manifest_path(corpus))) == 1


def test_lost_signatures_stay_lost_through_a_commit_that_does_not_read_their_files(corpus: Settings) -> None:
    # A commit between the loss and the re-read (any writer of the manifest) writes placeholder
    # rows for the lost signatures: "no signature", as an article without words has. They must
    # not pass for signatures, or `check` would stop telling and the copies stay lost in silence.
    _indexed_without_izvestia(corpus)
    path = _lose_the_sidecar(corpus)
    before = manifest_file.read(path)
    files = [rel for rel, e in before.files.items() if e.stories]
    manifest_file.write(path, before)
    after = manifest_file.read(path)
    assert manifest_file.lost(after) == sorted(files)
    assert [manifest_file.signatures(after.files[rel]) for rel in files] == [None] * len(files)
    # (a second commit keeps them lost, and a file read again since is signed again)
    manifest_file.write(path, after)
    assert manifest_file.lost(manifest_file.read(path)) == sorted(files)


# -- the detector itself (pure) ----------------------------------------------------------------

LONG = ("The central bank of Kazakhstan kept its base rate at nine percent on Monday, citing "
        "slowing inflation and stable demand, and said it expected to ease policy next year "
        "if the tenge remained stable against the dollar.")


@pytest.mark.parametrize("other, copy", [
    (LONG, True),
    ("ALMATY (Reuters) - " + LONG + " Reporting by A. Writer; editing by B. Editor.", True),
    (LONG.upper(), True),                                    # case is folded
    ("The central bank of Russia raised its key rate on Friday to fight inflation.", False),
    ("", False),
])
def test_copy_or_not(other: str, copy: bool) -> None:
    a, b = st.signature(LONG), st.signature(other)
    assert (st.similarity(a, b) >= st.THRESHOLD) is copy
    index = st.StoryIndex()
    first = index.assign("x", a)
    assert (index.assign("y", b) == first) is copy


def test_founders_never_share_a_key() -> None:
    index = st.StoryIndex()
    index.keep(st.signature("something else entirely, a different story"), st.founder_key("x"))
    # "x" re-added with other words while a copy keeps its old key: a new key, not the copy's.
    assert index.assign("x", st.signature(LONG)) != st.founder_key("x")
    assert index.assign("z", np.array(st.signature(""))) != index.assign("w", st.signature(""))


def test_kept_articles_held_as_one_array_find_the_same_stories_as_one_by_one() -> None:
    # A run keeps most of the archive as it is (StoryIndex.keep_all: one sorted array of band
    # keys) and adds a few articles; they must join exactly the stories they would join if every
    # kept article had been put in one at a time, ties to the earliest included.
    rng = np.random.default_rng(3)
    words = [f"w{i}" for i in range(400)]
    bases = [" ".join(rng.choice(words, 60)) for _ in range(40)]
    texts = []
    for n in range(300):
        base = bases[n % 40].split()
        cut = int(rng.integers(0, 12))                     # copies edited more or less
        texts.append(" ".join(base[cut:] + list(rng.choice(words, cut))) + (f" {n}" if n % 3 else ""))
    texts += ["", "", LONG]
    sigs = [st.signature(t) for t in texts]
    one_by_one, at_once = st.StoryIndex(), st.StoryIndex()
    kept = [one_by_one.assign(f"k{n}", s) for n, s in enumerate(sigs[:200])]
    at_once.keep_all(np.stack(sigs[:200]), kept)
    added = [(one_by_one.assign(f"a{n}", s), at_once.assign(f"a{n}", s)) for n, s in enumerate(sigs[200:])]
    assert [a for a, _ in added] == [b for _, b in added]
    assert len({a for a, _ in added} & set(kept)) > 20      # most added texts joined kept stories
    with pytest.raises(ValueError):
        at_once.keep_all(np.stack(sigs[:2]), kept[:2])


# A wire story of ten sentences; outlets reprint its first paragraphs (bench/story_threshold.py:
# Reuters' shortened and extended reprints, at shingle Jaccard 0.1-0.4, were not merged before
# the containment rule).
WIRE = ("The government of Kazakhstan approved a plan on Tuesday to build four new grain "
        "terminals on the Caspian coast, the agriculture ministry said in a statement. The "
        "terminals at Aktau and Kuryk will handle up to 3.5 million tonnes a year once finished "
        "in 2027, officials told reporters in Astana. Farmers in the north have complained for "
        "years that rail bottlenecks leave grain rotting in elevators after good harvests. "
        "The ministry said private investors would fund most of the work under concession "
        "agreements lasting twenty five years. Exporters welcomed the decision but warned that "
        "freight rates across the sea to Iran and Azerbaijan remained high. Analysts at a local "
        "brokerage said the terminals could raise wheat exports by a fifth within three seasons. "
        "The plan also includes a new rail spur linking the ports to the main line from Almaty. "
        "Construction tenders are expected to be announced before the end of the summer, the "
        "statement said. Neighbouring Turkmenistan has announced a similar port expansion at "
        "Turkmenbashi, which could compete for the same cargo. The ministry did not say how much "
        "the state itself would contribute to the project.")
LEAD = " ".join(WIRE.split(". ")[:4]) + "."          # its first four sentences, about 75 words
FED = ("FED ADDS RESERVES VIA CUSTOMER REPURCHASES The Federal Reserve entered the U.S. "
       "Government securities market to arrange {} billion dlrs of customer repurchase "
       "agreements, a Fed spokesman said. Dealers said Federal funds were trading at {} pct "
       "when the Fed began its temporary and indirect supply of reserves to the banking system.")


def test_a_reprint_cut_to_its_first_paragraphs_joins_the_story() -> None:
    whole, lead = st.signature(WIRE), st.signature(LEAD)
    assert st.similarity(whole, lead) < st.THRESHOLD <= 1.0   # Jaccard alone calls it another story
    assert st.containment(whole, lead) >= st.CONTAINED and st.figures_agree(whole, lead)
    for first, then in ((whole, lead), (lead, whole)):          # shortened or extended
        index = st.StoryIndex()
        assert index.assign("wire", first) == index.assign("reprint", then)


def test_a_short_notice_inside_a_long_story_is_not_its_copy() -> None:
    # Every shingle of a two-sentence notice may sit in a long article: below MIN_CONTAINED
    # shingles containment says nothing.
    notice = " ".join(WIRE.split(". ")[:1]) + "."
    assert len(st.shingles(notice)) < st.MIN_CONTAINED
    index = st.StoryIndex()
    assert index.assign("wire", st.signature(WIRE)) != index.assign("notice", st.signature(notice))


@pytest.mark.parametrize("amount, rate, copy", [
    ("1.5", "6-1/4", True),      # the same notice again
    ("2.5", "6-3/16", False),    # the next day's: same words, other figures
    ("1.5", "6-3/8", False),     # one figure of two agrees
])
def test_recurring_notices_differ_by_their_whole_figures(amount: str, rate: str, copy: bool) -> None:
    # Split into \w+ words, "6-1/4" and "6-3/16" shared "6" and the old rule merged two issues of
    # this Fed notice (bench/story_threshold.py's tune part; 22 such pairs in one story).
    a, b = st.signature(FED.format("1.5", "6-1/4")), st.signature(FED.format(amount, rate))
    assert st.similarity(a, b) >= st.THRESHOLD
    assert st.is_copy(a, b) is copy
    index = st.StoryIndex()
    assert (index.assign("monday", a) == index.assign("tuesday", b)) is copy


def test_figures_are_whole_and_a_shortened_copys_are_a_subset() -> None:
    many = " ".join(f"item {n} cost {n}.{n % 7} dlrs" for n in range(40))   # 80 figures
    some = " ".join(f"item {n} cost {n}.{n % 7} dlrs" for n in range(0, 40, 5))
    other = " ".join(f"item {n} cost {n + 1}.{n % 5} dlrs" for n in range(0, 40, 5))
    assert len(st.numbers("at 6-1/4 pct, 1.5 billion, 340,000 in 1987/88")) == 4
    assert st.figures_agree(st.signature(many), st.signature(some))       # a subset agrees
    assert not st.figures_agree(st.signature(many), st.signature(other))
    assert st.figures_agree(st.signature(many), st.signature("no figures at all"))
