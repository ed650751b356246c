"""The text rules both sides of the seam share: words, folding, stop words, stemming by script.

Every backend indexes title and body as `terms` does and the product marks and corrects words
with the same rules, so a query word meets the stem it was indexed under ("meetings" -> "meet",
"выборы"/"выборов" -> "выбор"). Each word is stemmed by its own script: Latin with the English
Snowball stemmer, Cyrillic with the Russian one; a mixed English/Russian article needs no
language guess. Pure: no engine is imported here (issue 9).
"""
from __future__ import annotations

import re
from functools import lru_cache

import Stemmer

# Words with inner apostrophes or dots stay whole ("don't", "u.s", "3.5"), as Whoosh's default.
WORD_PATTERN = r"\w+(?:['’.]\w+)*"
_WORD_RE = re.compile(WORD_PATTERN)
CYRILLIC = re.compile(r"[\u0400-\u04ff]")
LATIN = re.compile(r"[a-z\u00c0-\u024f]")

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

STOPWORDS: frozenset[str] = frozenset(
    w.replace("ё", "е").replace("’", "'") for w in STOPWORDS_EN | STOPWORDS_RU)


@lru_cache(maxsize=None)
def stemmer(language: str) -> Stemmer.Stemmer:
    """Return the shared PyStemmer object of a language ("english", "russian")."""
    s = Stemmer.Stemmer(language)
    s.maxCacheSize = 100_000
    return s


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Return the stem of one lowercased word, choosing the stemmer by its script."""
    if "." in word:  # abbreviations and numbers ("u.s", "3.5") are not inflected words
        return word
    if CYRILLIC.search(word):
        return stemmer("russian").stemWord(word)
    if LATIN.search(word):
        return stemmer("english").stemWord(word)
    return word


def fold(word: str) -> str:
    """Return the word lowercased, with ё as е and a typographic apostrophe as a plain one."""
    return word.lower().replace("ё", "е").replace("’", "'")


def words(text: str) -> list[tuple[int, int, str]]:
    """Return (start, end, folded word) for every word in `text`, stop words included."""
    return [(m.start(), m.end(), fold(m.group())) for m in _WORD_RE.finditer(text)]


def is_stopword(word: str) -> bool:
    """Tell whether a folded word is on the stop list."""
    return word in STOPWORDS


def terms(text: str) -> list[str]:
    """Return the index terms of `text`: the stems of its words that are not stop words."""
    return [stem(w) for _, _, w in words(text) if w not in STOPWORDS]


# Characters XML 1.0 cannot hold (C0 controls but tab and newlines, lone surrogates, U+FFFE/FFFF):
# an article's text may carry them, and neither lxml nor an XML feed accepts them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str, replacement: str = "") -> str:
    """Return `text` with the characters XML 1.0 cannot hold replaced."""
    return _NOT_XML.sub(replacement, text)
