"""Detect the language of article text (ISO 639-1), deterministically and fast.

A script and function-word fast path settles the common cases and the languages of the region
that langdetect has no profile for (English; Russian, Ukrainian, Belarusian, Kazakh, Kyrgyz, Uzbek
and Tajik by their letters; Uzbek in Latin script by oʻ/gʻ and its function words); langdetect
decides the rest on a bounded sample, with a fixed seed and a
fresh detector per call so the answer never depends on what was detected before.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

SAMPLE_CHARS = 800       # langdetect's cost grows with the sample; 800 chars decide a language well
MIN_LETTERS = 20         # below this, trust the hint or default rather than a guess
MIN_PROSE_SHARE = 0.75   # letters among non-space characters; results tables ("Shr 34 cts vs 1.19 dlrs") fall below
MIN_CONFIDENCE = 0.9     # langdetect called such tables Swedish or German at 0.5-0.86 on Reuters
_WORD = re.compile(r"[^\W\d_]+")
_EN_FUNCTION = frozenset("the of and to in is that for on with as by was are be it at from this have has "
                         "said not or an which will were been its their".split())
# Letters that only some Cyrillic alphabets have; Russian has none of them. langdetect has no
# profile for Kazakh, Belarusian, Uzbek, Kyrgyz or Tajik, so these letters are what tells them apart.
_TAJIK = frozenset("ӣӯҷ")               # Tajik alone
_KAZAKH = frozenset("әұһ")              # Kazakh alone (і, ң, ө, ү, қ, ғ it shares)
_UKRAINIAN = frozenset("єїґ")           # Ukrainian alone (і it shares with Belarusian and Kazakh)
_TURKIC = frozenset("қғ")               # Kazakh, Uzbek, Tajik
_KYRGYZ = frozenset("ңөү")              # Kyrgyz and Kazakh
# Russian words that Ukrainian, Belarusian, Bulgarian, Serbian and Macedonian do not use (so not и, от, с).
_RUSSIAN_WORDS = frozenset("что это как из к о был была были также его её ее который которые которая "
                           "которого он она они уже только еще ещё при после чтобы может будет более".split())
_UZBEK_WORDS = frozenset("va bilan uchun ham hamda esa yil yilda yili haqida orqali tomonidan kerak "
                         "lekin ammo biroq mazkur ushbu deb edi etildi qilish qildi boʻyicha boʻlgan "
                         "boʻlib boʻladi koʻra oʻz yoki hamma barcha shuningdek".split())
_UZBEK_APOSTROPHES = "ʻʼ'‘’`"
_UZBEK_OG = re.compile(r"[og][" + _UZBEK_APOSTROPHES + r"](?=[^\W\d_])", re.I)
_ALIASES = {"zh-cn": "zh", "zh-tw": "zh"}
_SPACES = re.compile(" +")


@lru_cache(maxsize=1)
def _factory():  # type: ignore[no-untyped-def]
    """Load langdetect's profiles once (about a second), lazily: importing us stays free."""
    from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

    factory = DetectorFactory()
    factory.load_profile(PROFILES_DIRECTORY)
    factory.seed = 0
    return factory


_WORD_PROBS: dict[str, "np.ndarray"] = {}   # langdetect's n-gram table, one numpy row per n-gram met
_WORD_PROBS_MAX = 200_000


_CHAR_INFO: dict[str, tuple[str, bool, bool]] = {}   # char -> (its n-gram form, Latin letter, non-Latin)
_NORMAL: dict[int, str] = {}   # the n-gram forms of the characters met, as str.translate reads them


def _char_info(ch: str) -> tuple[str, bool, bool]:
    """Return what langdetect computes of one character, once per character."""
    from langdetect.utils.ngram import NGram
    from langdetect.utils.unicode_block import unicode_block

    info = _CHAR_INFO[ch] = (NGram.normalize(ch), "A" <= ch <= "z",
                             ch >= "\u0300" and unicode_block(ch) != "Latin Extended Additional")
    _NORMAL[ord(ch)] = info[0]
    return info


_WORD_GRAMS: dict[str, list[str]] = {}   # a word (with the space after it, if any) -> its n-grams
_WORD_GRAMS_MAX = 10_000   # (some 1.3 KB a word, its n-grams with them: about 13 MB at most)


def _ngrams(detector, sample: str) -> list[str]:  # type: ignore[no-untyped-def]
    """Return the n-grams langdetect samples from `sample`, as Detector.append, cleaning_text and
    _extract_ngrams find them, with each character's normalisation looked up once.

    langdetect's n-gram buffer starts afresh after each (normalised) space, so a word's n-grams
    depend on the word alone and whether a space follows it: they are found once per word
    (_word_grams) and kept, and a text's n-grams are its words' in order.
    """
    from langdetect.utils.ngram import NGram

    text = NGram.normalize_vi(detector.MAIL_RE.sub(" ", detector.URL_RE.sub(" ", sample)))
    text = _SPACES.sub(" ", text[:detector.max_text_length])   # append() keeps one space of a run
    chars = set(text)
    for ch in chars:
        if ch not in _CHAR_INFO:
            _char_info(ch)
    latin = sum(text.count(ch) for ch in chars if _CHAR_INFO[ch][1])
    if latin * 2 < sum(text.count(ch) for ch in chars if _CHAR_INFO[ch][2]):
        # cleaning_text(): a text mostly in another script loses its Latin letters
        text = "".join(ch for ch in text if ch < "A" or "z" < ch)
    words = text.translate(_NORMAL).split(" ")
    if len(_WORD_GRAMS) > _WORD_GRAMS_MAX:
        _WORD_GRAMS.clear()
    out: list[str] = []
    last = len(words) - 1
    for k, word in enumerate(words):
        if word:            # (two spaces in a row: the second adds nothing)
            key = word + " " if k < last else word
            grams = _WORD_GRAMS.get(key)
            if grams is None:
                grams = _WORD_GRAMS[key] = _word_grams(key, detector.word_lang_prob_map)
            out += grams
    return out


def _word_grams(word: str, table: dict) -> list[str]:  # type: ignore[type-arg]
    """Return the n-grams of langdetect's table that _extract_ngrams finds in one normalised word
    (and the space after it), as NGram.add_char builds them from a space before it."""
    out: list[str] = []
    grams, capital = " ", False
    for norm in word:
        last = grams[-1]
        if last == " ":
            grams, capital = " ", False
        elif len(grams) >= 3:
            grams = grams[1:]
        grams += norm
        if norm.isupper():
            if last.isupper():
                capital = True
        else:
            capital = False
        if capital:
            continue
        if norm != " " and norm in table:
            out.append(norm)
        if len(grams) >= 2:
            if grams[-2:] in table:
                out.append(grams[-2:])
            if len(grams) >= 3 and grams in table:
                out.append(grams)
    return out


def _probabilities(detector, sample: str):  # type: ignore[no-untyped-def]
    """Return langdetect's ranked languages for `sample`: its own walk, step for step.

    langdetect reads the text a character at a time through a class per character and multiplies
    a list of ~55 language probabilities by each sampled n-gram's row in a Python loop (together
    a seventh of a dump's ingest); here each character's normalisation is looked up once and the
    row is a numpy vector. The n-grams, the random draws, every product and the sums (in the same
    order, by Python's sum) are langdetect's, so the answers are the same to the last bit
    (tests/test_language.py compares them with langdetect's own).
    """
    import numpy as np
    from langdetect.lang_detect_exception import ErrorCode, LangDetectException

    ngrams = _ngrams(detector, sample)
    if not ngrams:
        raise LangDetectException(ErrorCode.CantDetectError, "No features in text.")
    table = detector.word_lang_prob_map
    if len(_WORD_PROBS) > _WORD_PROBS_MAX:
        _WORD_PROBS.clear()
    rows = {}
    for w in set(ngrams):
        row = _WORD_PROBS.get(w)
        if row is None:
            row = _WORD_PROBS[w] = np.array(table[w], dtype=np.float64)
        rows[w] = row
    n_langs = len(detector.langlist)
    langprob = np.zeros(n_langs)
    rnd = detector.random
    rnd.seed(detector.seed)
    for _ in range(detector.n_trial):
        prob = (np.array(detector.prior_map, dtype=np.float64) if detector.prior_map is not None
                else np.full(n_langs, 1.0 / n_langs))
        alpha = detector.alpha + rnd.gauss(0.0, 1.0) * detector.ALPHA_WIDTH
        weight = alpha / detector.BASE_FREQ
        i = 0
        while True:
            prob *= weight + rows[rnd.choice(ngrams)]
            if i % 5 == 0:
                prob /= sum(prob.tolist())
                if prob.max() > detector.CONV_THRESHOLD or i >= detector.ITERATION_LIMIT:
                    break
            i += 1
        langprob += prob / detector.n_trial
    return detector._sort_probability(langprob.tolist())


def _cyrillic_guess(letters: str, words: list[str]) -> str | None:
    """Tell the Cyrillic languages of the region apart by the letters only they use.

    A Russian text quoting a Kazakh or Uzbek name ("Нұр-Сұлтан", "Ўзбекистон") has those
    letters too, so Russian function words (which none of the others use) decide first.
    """
    low = letters.lower()
    count = {ch: low.count(ch) for ch in "ӣӯҷәұһєїґқғңөүўіҳыэ"}
    n_words = max(1, len(words))
    russian_words = sum(1 for w in words if w.lower() in _RUSSIAN_WORDS)
    # Where no Russian word is, one such letter tells; beside Russian words, more than a few
    # quoted names give (1 in 100 letters: the region's languages have 2-4 in 100).
    enough = max(3, len(low) // 100) if russian_words else 1
    has = lambda chars: sum(count[c] for c in chars) >= enough  # noqa: E731
    if russian_words >= max(3, 0.04 * n_words):
        return "ru"
    if has(_TAJIK):
        return "tg"
    if has(_KAZAKH):
        return "kk"
    if has("ў"):
        # Belarusian writes і for и; Uzbek has no і, and қ/ғ/ҳ instead.
        return "be" if count["і"] > sum(count[c] for c in "қғҳ") else "uz"
    if has(_UKRAINIAN):
        return "uk"
    if has(_TURKIC) or has("ҳ"):
        # Kazakh writes і, ң, ө, ү; Uzbek has none of them.
        return "kk" if any(count[c] for c in "іңөү") else "uz"
    if has(_KYRGYZ) and count["ң"]:
        return "ky"
    if has("і") and not count["ы"] and not count["э"]:
        return "uk"
    if has("і") and count["ы"] + count["э"]:
        return "be"     # і beside ы or э: Belarusian (Ukrainian has no ы or э, Russian no і)
    if count["ы"] + count["э"]:
        return "ru"     # ы and э: Russian (Bulgarian, Serbian, Macedonian and Ukrainian have neither)
    return None


def _uzbek_latin(words: list[str], sample: str) -> bool:
    """Say whether Latin-script text is Uzbek: oʻ/gʻ and its function words (no langdetect profile)."""
    og = len(_UZBEK_OG.findall(sample))
    if og:  # "bo'yicha" with a plain apostrophe is one word, as "boʻyicha" is
        words = _WORD.findall(_UZBEK_OG.sub(lambda m: m.group(0)[0] + "ʻ", sample))
    hits = sum(1 for w in words if w.lower() in _UZBEK_WORDS)
    return hits >= max(3, 0.08 * len(words)) or (og >= 2 and hits >= 2)


def _count(text: str, keep) -> int:  # type: ignore[no-untyped-def]
    """Return how many characters of `text` `keep` says yes to, asking once per distinct character."""
    return sum(text.count(ch) for ch in set(text) if keep(ch))


def _script_guess(letters: str, words: list[str], sample: str) -> str | None:
    """Return a language when the letters and function words leave no doubt, else None."""
    cyrillic = _count(letters, lambda ch: "\u0400" <= ch <= "\u04ff")
    if cyrillic > 0.6 * len(letters):
        return _cyrillic_guess(letters, words)
    han = _count(letters, lambda ch: "\u4e00" <= ch <= "\u9fff")
    if han > 0.3 * len(letters):
        # Scripts settle East Asian text: kana is Japanese, Hangul Korean, Han alone Chinese
        # (langdetect called Traditional Chinese news Korean).
        if any("\u3040" <= ch <= "\u30ff" for ch in letters):
            return "ja"
        if any("\uac00" <= ch <= "\ud7a3" for ch in letters):
            return "ko"
        return "zh"
    latin = _count(letters, lambda ch: ch < "\u0250" or ch in _UZBEK_APOSTROPHES)
    if latin > 0.9 * len(letters):
        if sum(1 for w in words if w.lower() in _EN_FUNCTION) >= max(3, 0.15 * len(words)):
            return "en"
        if _uzbek_latin(words, sample):
            return "uz"
    return None


def detect_language(text: str, *, hint: str | None = None, default: str = "en") -> str:
    """Return the ISO 639-1 code of `text`'s language; `hint`, then `default`, when it is too short to tell."""
    sample = (text or "")[:SAMPLE_CHARS]
    words = _WORD.findall(sample)
    letters = "".join(words)
    fallback = (hint or default or "en").lower()[:2]
    if len(letters) < MIN_LETTERS:
        return fallback
    guess = _script_guess(letters, words, sample)
    if guess:
        return guess
    # Vowel signs of Indic scripts are marks, not letters, but they are prose all the same.
    marks = _count(sample, lambda ch: unicodedata.category(ch)[0] == "M")
    if len(letters) + marks < MIN_PROSE_SHARE * _count(sample, lambda ch: not ch.isspace()):
        return fallback
    from langdetect.lang_detect_exception import LangDetectException

    detector = _factory().create()
    try:
        ranked = _probabilities(detector, sample)
    except LangDetectException:
        return fallback
    # zh-cn and zh-tw are one language here: their shares add up (each alone was often < 0.9).
    totals: dict[str, float] = {}
    for item in ranked:
        code = _ALIASES.get(item.lang, item.lang)
        totals[code] = totals.get(code, 0.0) + item.prob
    best = max(totals, key=totals.__getitem__, default="unknown")
    if best == "unknown" or totals[best] < MIN_CONFIDENCE:
        return fallback
    return best
