"""Detect the language of article text (ISO 639-1), deterministically and fast.

A script and function-word fast path settles the common cases (English, Russian, Kazakh,
Belarusian, Ukrainian); langdetect decides the rest on a bounded sample, with a fixed seed and a
fresh detector per call so the answer never depends on what was detected before.
"""
from __future__ import annotations

import re
from functools import lru_cache

SAMPLE_CHARS = 800       # langdetect's cost grows with the sample; 800 chars decide a language well
MIN_LETTERS = 20         # below this, trust the hint or default rather than a guess
MIN_PROSE_SHARE = 0.75   # letters among non-space characters; results tables ("Shr 34 cts vs 1.19 dlrs") fall below
MIN_CONFIDENCE = 0.9     # langdetect called such tables Swedish or German at 0.5-0.86 on Reuters
_WORD = re.compile(r"[^\W\d_]+")
_EN_FUNCTION = frozenset("the of and to in is that for on with as by was are be it at from this have has "
                         "said not or an which will were been its their".split())
# Letters that only some Cyrillic alphabets have (Russian has none of them).
_KAZAKH = frozenset("әғқңөұүһӘҒҚҢӨҰҮҺ")
_UKRAINIAN = frozenset("іїєґІЇЄҐ")
_BELARUSIAN = frozenset("ўЎ")
_RUSSIAN_ONLY = frozenset("ыэъЫЭЪ")
_ALIASES = {"zh-cn": "zh", "zh-tw": "zh"}


@lru_cache(maxsize=1)
def _factory():  # type: ignore[no-untyped-def]
    """Load langdetect's profiles once (about a second), lazily: importing us stays free."""
    from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

    factory = DetectorFactory()
    factory.load_profile(PROFILES_DIRECTORY)
    factory.seed = 0
    return factory


def _script_guess(letters: str, words: list[str]) -> str | None:
    """Return a language when the letters and function words leave no doubt, else None."""
    cyrillic = sum(1 for ch in letters if "\u0400" <= ch <= "\u04ff")
    if cyrillic > 0.6 * len(letters):
        chars = set(letters)
        if len(chars & _KAZAKH) >= 2:
            return "kk"             # langdetect has no Kazakh profile
        if chars & _BELARUSIAN:
            return "be"             # nor a Belarusian one
        if chars & _UKRAINIAN and not chars & _RUSSIAN_ONLY:
            return "uk"
        if chars & _RUSSIAN_ONLY and not chars & _UKRAINIAN:
            return "ru"
        return None
    if all(ch < "\u0250" for ch in letters):   # Latin script only
        if sum(1 for w in words if w.lower() in _EN_FUNCTION) >= max(3, 0.15 * len(words)):
            return "en"
    return None


def detect_language(text: str, *, hint: str | None = None, default: str = "en") -> str:
    """Return the ISO 639-1 code of `text`'s language; `hint`, then `default`, when it is too short to tell."""
    sample = (text or "")[:SAMPLE_CHARS]
    words = _WORD.findall(sample)
    letters = "".join(words)
    fallback = (hint or default or "en").lower()[:2]
    if len(letters) < MIN_LETTERS:
        return fallback
    guess = _script_guess(letters, words)
    if guess:
        return guess
    if len(letters) < MIN_PROSE_SHARE * sum(1 for ch in sample if not ch.isspace()):
        return fallback
    from langdetect.lang_detect_exception import LangDetectException

    detector = _factory().create()
    detector.append(sample)
    try:
        best = detector.get_probabilities()[0]
    except (LangDetectException, IndexError):
        return fallback
    if best.lang == "unknown" or best.prob < MIN_CONFIDENCE:
        return fallback
    return _ALIASES.get(best.lang, best.lang)
