"""Find syndicated copies at index time: one `story` key for every copy of one story.

A copy is an article whose words are mostly another's: a wire item reprinted with a dateline
added, a last paragraph cut, another headline or an outlet's boilerplate. Each article's title
and body become word shingles (SHINGLE folded words in a row); a MinHash signature of PERMS
values estimates the Jaccard similarity of two shingle sets (the share of equal values), and
LSH banding (BANDS bands of ROWS values) finds the candidates without comparing every pair. A
candidate whose estimated similarity reaches THRESHOLD, or which holds CONTAINED of the shorter
text's shingles (a reprint cut short), is a copy when the two texts' figures agree too
(bench/story_threshold.py and bench/story_pairs.py measured them on Reuters-21578 and
tgnews-2020; README "Syndicated copies").

numpy, not datasketch: the signature is one vectorised universal hash over a text's shingle
hashes (bench/story_threshold.py times it), and the state to keep is plain arrays.

Stability: a new article joins the story of its most similar earlier copy; otherwise it founds a
story keyed by its own id (or the key it had before a rebuild: `previous`), so adding a copy never
renames a story, deleting one leaves the others' keys, and the same corpus in the same order (a
rebuild reads files sorted) gives the same grouping. Everything needed to go on incrementally
(each live article's story and signature) travels with the manifest, which every backend commits
with its index (backend.Batch.save_manifest): the keys in its file entries, the signatures in an
array file beside it (searchapp.manifest_file).
"""
from __future__ import annotations

import hashlib
import re
import zlib
from collections import defaultdict
from collections.abc import Sequence

import numpy as np

from searchapp.text import fold

SHINGLE = 3         # words per shingle
PERMS = 64          # MinHash values of the shingles per article
NUMS = 16           # ...then the smallest hashes of its numbers (words holding a digit)
SIZE = PERMS + NUMS  # ...then how many shingles it has (capped at 0xFFFE)
WIDTH = SIZE + 1     # 16-bit values per signature
NUMBERS_AGREE = 0.7  # estimated share of the fewer-numbered text's numbers the other holds too
ROWS = 2            # values per LSH band: PERMS // ROWS bands (candidates from ~0.2 similarity)
THRESHOLD = 0.5     # estimated Jaccard similarity of shingles from which two articles are copies
CONTAINED = 0.8     # ...or estimated share of the shorter text's shingles the longer holds
MIN_CONTAINED = 50  # ...when the shorter has this many shingles (a short notice is in everything)
KEY_CHARS = 12      # hex characters of a story key

_MASK = np.uint64(0xFFFFFFFF)
_SHIFT = np.uint64(32)
_rng = np.random.RandomState(20261202)   # fixed: signatures must mean the same in every run


def _odd64(n: int) -> np.ndarray:
    hi = _rng.randint(0, 1 << 32, size=n, dtype=np.uint64) << np.uint64(32)
    return hi | _rng.randint(0, 1 << 32, size=n, dtype=np.uint64) | np.uint64(1)


# Multiply-shift hashing ((a*x + b) mod 2^64, top 32 bits; Dietzfelbinger et al. 1997): one
# multiply and add per value, no modulo (a prime modulus cost twice the time).
_A, _B = _odd64(PERMS), _odd64(PERMS)
_AN, _BN = _odd64(NUMS), _odd64(NUMS)
_NONE = np.uint16(0xFFFF)   # no shingle (or no number) at all: never equal to a real value
_WORD = re.compile(r"\w+")
_FIGURE = re.compile(r"\d[\d.,/:-]*\d|\d")
STORY_KEY = re.compile(r"^[0-9a-f]{%d}$" % KEY_CHARS)


def _words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def shingles(text: str, size: int = SHINGLE, words: list[str] | None = None) -> np.ndarray:
    """Return the distinct 32-bit hashes of the text's word shingles (folded words)."""
    ws = [zlib.crc32(w.encode("utf-8")) for w in (_words(text) if words is None else words)]
    if not ws:
        return np.zeros(0, dtype=np.uint64)
    h = np.asarray(ws, dtype=np.uint64)
    if len(h) < size:
        size = len(h)
    mixed = np.zeros(len(h) - size + 1, dtype=np.uint64)
    for i in range(size):
        # A shingle's hash mixes its words in order (uint64 arithmetic wraps: that is the point).
        mixed = mixed * np.uint64(1000003) + h[i:len(h) - size + 1 + i]
    return np.unique((mixed ^ (mixed >> np.uint64(29))) & _MASK)


def article_text(title: str, body: str) -> str:
    """Return the text an article is compared by: its title and body."""
    return f"{title}\n{body}"


def _minhash(values: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    if not len(values):
        return np.full(len(a), _NONE, dtype=np.uint16)
    low = ((a[:, None] * values[None, :] + b[:, None]) >> _SHIFT).min(axis=1)
    # Kept at 16 bits (b-bit MinHash): two different minima look equal once in 65,535, which
    # moves a similarity estimate by 0.00002, and the signatures kept take half the bytes.
    return (low % np.uint64(0xFFFF)).astype(np.uint16)


def numbers(text: str) -> np.ndarray:
    """Return the distinct 32-bit hashes of the text's figures: digits joined by . , / : -
    ("6-1/4", "1.5", "340,000", "1987/88").

    Whole figures, not the words \\w+ splits them into: split, "6-1/4 pct" and "6-3/16 pct"
    share 6, and two issues of a Fed notice agreed on most of their "numbers" (the false merges
    of bench/story_threshold.py's tune part).
    """
    return np.unique(np.asarray([zlib.crc32(f.encode("utf-8")) for f in _FIGURE.findall(text)],
                                dtype=np.uint64))


def _smallest(values: np.ndarray) -> np.ndarray:
    """Return the NUMS smallest 16-bit hashes of the values, sorted, padded with _NONE.

    A bottom-k sketch, not a MinHash: a text with at most NUMS numbers (a notice, a market
    line) keeps all of them, so two such texts' shared figures are counted exactly, and a
    shortened copy's numbers, a subset of the original's, are a subset here too.
    """
    out = np.full(NUMS, _NONE, dtype=np.uint16)
    if len(values):
        low = np.unique(((_AN[0] * values + _BN[0]) >> _SHIFT) % np.uint64(0xFFFF))[:NUMS]
        out[:len(low)] = low
    return out


def signature(text: str) -> np.ndarray:
    """Return the signature of a text: PERMS MinHash values of its shingles, the NUMS smallest
    hashes of its numbers, and its shingle count (WIDTH 16-bit values).

    The numbers tell a copy from the next issue of a recurring report (a daily market table,
    a weekly rate notice: Reuters-21578 is full of them), whose words are the same but figures
    are not; the count turns a Jaccard estimate into one of containment, for a copy cut short
    (bench/story_threshold.py).
    """
    words = _words(text)
    sh = shingles(text, words=words)
    return np.concatenate([_minhash(sh, _A, _B), _smallest(numbers(text)),
                           np.array([min(len(sh), 0xFFFE)], dtype=np.uint16)])


def _empty(sigs: np.ndarray) -> np.ndarray:
    return (sigs[..., :PERMS] == _NONE).all(axis=-1)


def _similarities(sig: np.ndarray, others: np.ndarray) -> np.ndarray:
    """Return the estimated Jaccard similarity of a signature's shingles with each of others'."""
    sims = (others[:, :PERMS] == sig[:PERMS]).sum(axis=1) / PERMS
    return np.where(_empty(others) | _empty(sig), 0.0, sims)


def _containments(sig: np.ndarray, others: np.ndarray, sims: np.ndarray) -> np.ndarray:
    """Return the estimated share of the shorter text's shingles the longer holds, for each of
    others; 0 when the shorter has fewer than MIN_CONTAINED shingles.

    From the Jaccard estimate J and the counts: |A & B| = J (|A| + |B|) / (1 + J).
    """
    a = others[:, SIZE].astype(np.float64)
    b = float(sig[SIZE])
    short = np.minimum(a, b)
    inter = sims * (a + b) / (1.0 + sims)
    with np.errstate(divide="ignore", invalid="ignore"):
        got = np.minimum(np.where(short > 0, inter / short, 0.0), 1.0)
    return np.where(short >= MIN_CONTAINED, got, 0.0)


def _figures_agree(sig: np.ndarray, others: np.ndarray) -> np.ndarray:
    """Tell, for each of others, whether its numbers and the signature's agree: the one with
    fewer numbers has at least NUMBERS_AGREE of them in the other (true when either has none).

    Both sketches are exact below the smaller of the full ones' largest values (a sketch
    holding fewer than NUMS numbers holds them all), so the share is counted there; with no
    number of one text down there, nothing tells, and they agree.
    """
    mine, theirs = sig[PERMS:SIZE].astype(np.int64), others[:, PERMS:SIZE].astype(np.int64)
    none = int(_NONE)
    top = np.full(len(others), none, dtype=np.int64)
    if mine[-1] != none:
        top[:] = mine[-1]
    full = theirs[:, -1] != none
    top[full] = np.minimum(top[full], theirs[full, -1])
    m_in = (mine[None, :] != none) & (mine[None, :] <= top[:, None])
    t_in = (theirs != none) & (theirs <= top[:, None])
    shared = ((theirs[:, :, None] == mine[None, None, :]) & t_in[:, :, None]
              & m_in[:, None, :]).sum(axis=(1, 2))
    fewer = np.minimum(m_in.sum(axis=1), t_in.sum(axis=1))
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(fewer > 0, shared / fewer, 1.0)
    return share >= NUMBERS_AGREE


def _copies(sig: np.ndarray, others: np.ndarray, threshold: float) -> tuple[np.ndarray, np.ndarray]:
    """Return, for each of others, whether it is a copy of the signature's text, and the
    estimated Jaccard similarity."""
    sims = _similarities(sig, others)
    alike = (sims >= threshold) | (_containments(sig, others, sims) >= CONTAINED)
    if alike.any():      # figures only for those alike: most candidates are not (a band shared)
        alike[alike] = _figures_agree(sig, others[alike])
    return alike, sims


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Return the estimated Jaccard similarity of two texts' shingles (share of equal values)."""
    return float(_similarities(a, b[None, :])[0])


def containment(a: np.ndarray, b: np.ndarray) -> float:
    """Return the estimated share of the shorter text's shingles the longer text holds (0 when
    the shorter has fewer than MIN_CONTAINED)."""
    return float(_containments(a, b[None, :], _similarities(a, b[None, :]))[0])


def figures_agree(a: np.ndarray, b: np.ndarray) -> bool:
    """Tell whether two texts' numbers mostly agree (true when either has none)."""
    return bool(_figures_agree(a, b[None, :])[0])


def is_copy(a: np.ndarray, b: np.ndarray, threshold: float = THRESHOLD) -> bool:
    """Tell whether two signatures are of copies of one story."""
    return bool(_copies(a, b[None, :], threshold)[0][0])


def jaccard(a: str, b: str) -> float:
    """Return the exact Jaccard similarity of two texts' shingle sets (for measuring the LSH)."""
    x, y = shingles(a), shingles(b)
    if not len(x) or not len(y):
        return 0.0
    inter = len(np.intersect1d(x, y, assume_unique=True))
    return inter / (len(x) + len(y) - inter)


def founder_key(article_id: str) -> str:
    """Return the story key an article founds."""
    return hashlib.blake2b(article_id.encode("utf-8"), digest_size=8,
                           person=b"sa-story").hexdigest()[:KEY_CHARS]


class StoryIndex:
    """The live articles' signatures and stories, and an LSH table over them.

    Two parts: the articles a run keeps as they are (`keep_all`, once, before the run adds any),
    held as one array with their band keys sorted, so a run that adds a hundred articles to an
    archive of 200,000 builds that in one numpy sort instead of hashing 6 million bands in Python
    (a +100-article reindex went from 1 s to 15 s at 209,473 articles); and the articles the run
    adds (`keep`), in a dict of bands. Both count in the order they were kept: ties go to the
    one kept first, as before.
    """

    def __init__(self, threshold: float = THRESHOLD, rows: int = ROWS) -> None:
        self.threshold = threshold
        self.rows = rows
        self._buckets: dict[tuple[int, bytes], list[int]] = defaultdict(list)
        self._sigs: list[np.ndarray] = []
        self._stories: list[str] = []
        self._used: set[str] = set()
        self._kept = np.zeros((0, WIDTH), dtype=np.uint16)   # keep_all's signatures
        self._kept_keys = np.zeros(0, dtype=np.int64)                # their band keys, sorted
        self._kept_rows = np.zeros(0, dtype=np.int64)                # the row of each key

    def __len__(self) -> int:
        return len(self._kept) + len(self._sigs)

    def _bands(self, sig: np.ndarray) -> list[tuple[int, bytes]]:
        if (sig[:PERMS] == _NONE).all():
            return []
        r = self.rows
        return [(i, sig[i * r:(i + 1) * r].tobytes()) for i in range(PERMS // r)]

    def _band_keys(self, sigs: np.ndarray) -> np.ndarray:
        """Return each signature's band keys as int64 (band number, then its values): rows x bands."""
        bands = PERMS // self.rows
        keys = np.repeat(np.arange(bands, dtype=np.int64)[None, :], len(sigs), axis=0)
        vals = sigs[:, :bands * self.rows].astype(np.int64).reshape(len(sigs), bands, self.rows)
        for j in range(self.rows):
            keys = (keys << 16) | vals[:, :, j]
        return keys

    def keep_all(self, sigs: np.ndarray, stories: Sequence[str]) -> None:
        """Add the articles a run keeps as they are, all at once, before it adds any."""
        if len(self._sigs) or len(self._kept):
            raise ValueError("keep_all comes first, once")
        self._kept = np.asarray(sigs, dtype=np.uint16).reshape(-1, WIDTH)
        self._stories = list(stories)
        self._used.update(stories)
        with_words = ~(self._kept[:, :PERMS] == _NONE).all(axis=1)   # a text without words has no bands
        keys = self._band_keys(self._kept)[with_words].ravel()
        rows = np.repeat(np.flatnonzero(with_words), PERMS // self.rows)
        shift = max(1, len(self._kept).bit_length())
        if (keys.max(initial=0)).item().bit_length() + shift <= 63:
            # Each row rides in the low bits of its key, so one np.sort (0.5 s for the 6.7 million
            # keys of 209,473 articles) replaces an argsort and two gathers (1.3 s).
            packed = np.sort((keys << shift) | rows)
            self._kept_keys = packed >> shift
            self._kept_rows = packed & ((1 << shift) - 1)
        else:
            order = np.argsort(keys)   # (the order within a key does not matter: best() sorts)
            self._kept_keys = keys[order]
            self._kept_rows = rows[order]

    def keep(self, sig: np.ndarray, story: str) -> None:
        """Add an article the run adds, with its story."""
        n = len(self)
        self._sigs.append(sig)
        self._stories.append(story)
        self._used.add(story)
        for band in self._bands(sig):
            self._buckets[band].append(n)

    def _sig(self, i: int) -> np.ndarray:
        return self._kept[i] if i < len(self._kept) else self._sigs[i - len(self._kept)]

    def best(self, sig: np.ndarray) -> tuple[str, float] | None:
        """Return the story of the most similar article at or above the threshold, with its
        similarity (ties: the one kept first), or None."""
        bands = self._bands(sig)
        seen: set[int] = set()
        for band in bands:
            seen.update(self._buckets.get(band, ()))
        if bands and len(self._kept_keys):
            q = self._band_keys(sig[None, :])[0]
            lo = np.searchsorted(self._kept_keys, q, side="left")
            hi = np.searchsorted(self._kept_keys, q, side="right")
            for a, b in zip(lo.tolist(), hi.tolist()):
                seen.update(self._kept_rows[a:b].tolist())
        if not seen:
            return None
        cands = sorted(seen)
        n = int(np.searchsorted(cands, len(self._kept)))    # cands[:n] are keep_all's rows
        others = self._kept[cands[:n]]
        if n < len(cands):
            others = np.concatenate([others, np.stack([self._sig(i) for i in cands[n:]])])
        ok, sims = _copies(sig, others, self.threshold)
        if not ok.any():
            return None
        sims = np.where(ok, sims, -1.0)
        top = int(np.argmax(sims))   # argmax takes the first of equal maxima: the earliest kept
        return self._stories[cands[top]], float(sims[top])

    def assign(self, article_id: str, sig: np.ndarray, previous: str | None = None) -> str:
        """Return the story of a new article and keep it: its best copy's, or a new one."""
        found = self.best(sig)
        if found is not None:
            story = found[0]
        elif previous and STORY_KEY.match(previous) and previous not in self._used:
            story = previous       # a rebuild keeps the key a story had
        else:
            story, n = founder_key(article_id), 0
            while story in self._used:   # a founder re-added after its copies outlived it
                n += 1
                story = founder_key(f"{article_id}#{n}")
        self.keep(sig, story)
        return story
