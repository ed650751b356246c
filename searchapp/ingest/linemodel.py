"""Tell article lines from site chrome in a text dump: features per line in context, a shipped model.

A dump (a scraper's `get_text()`) keeps every menu item, share button, teaser and comment on its
own line. Each line gets features of its own shape (length, punctuation, case, digits), its
language (stop-word density in English, Russian and a few other languages), its script against
the page's, its place in the page (position, the longest line, the densest run of prose, prose
mass before and after, comment and related-story markers seen so far), UI phrases in many
languages, a learned text score (a linear model over the line's words) and the same for its
neighbours. Two gradient-boosted tree ensembles score the lines (the second also sees the first
one's probabilities of the neighbours and of the page's main block: whether a line is in the
best-scoring contiguous run, how far from it, and whether a comment or related-story marker lies
between), and the lines kept are the set that maximises the
expected F1 of the body. Trained by tools/train_linemodel.py on bench/dumpset.py's pages; the
weights ship in searchapp/data/linemodel.npz and are evaluated here with numpy alone.
"""
from __future__ import annotations

import math
import re
from functools import lru_cache
from pathlib import Path

import numpy as np

from searchapp.ingest.comment_cues import COMMENT_SECTION

MODEL_PATH = Path(__file__).resolve().parents[1] / "data" / "linemodel.npz"
BETA = 0.8            # F-beta of the decoder: a little more weight on precision than on recall
_MAX_TEXT_TOKENS = 24  # the text score reads a line's first words; long lines are prose anyway

_WORD = re.compile(r"\w+")
_CYR = re.compile(r"[\u0400-\u04ff]")
_LAT = re.compile(r"[A-Za-z\u00c0-\u024f]")
_UPPER = re.compile(r"[A-Z\u00c0-\u00de\u0410-\u042f\u0401]")
_LETTER = re.compile(r"[^\W\d_]")
_DIGIT = re.compile(r"\d")
_PUNCT = re.compile(r"[^\w\s]")
_SEPARATORS = re.compile(r"\s[|/>»•·]\s|\s\|\s|^\W+$")
_DATE = re.compile(
    r"\b\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}\s+[^\W\d_]{3,12}\.?,?\s+\d{4}\b"
    r"|\b[^\W\d_]{3,9}\.?\s+\d{1,2},?\s+\d{4}\b")
_TIME = re.compile(r"\b\d{1,2}:\d{2}\b")
_URLISH = re.compile(r"https?://|www\.|\S+@\S+\.\w+|\.(?:com|ru|kz|by|org|net|de)\b", re.I)
_COPYRIGHT = re.compile(r"©|\(c\)|copyright|all rights reserved|все права|alle rechte|tous droits", re.I)
# A site's legal notice, at any length: copyright, citation terms, cookie banners ("При цитировании
# ... гиперссылка обязательна" is a paragraph that reads as prose in every other respect).
_LEGAL = re.compile(
    r"©|\(c\)\s*\d{4}|copyright|all rights reserved|rights reserved|terms of (?:use|service)|privacy policy|we use cookies"
    r"|written permission|prior permission|без (?:письменного )?разрешения|все права|права (?:защищены|соблюдены)"
    r"|при (?:цитировании|использовании|перепечатке|копировании)|гиперссылк|активная ссылка|перепечатка"
    r"|используем (?:файлы )?cookie|файлы cookie|усі права|всі права|при використанні|при цитуванні|гіперпосилання"
    r"|alle rechte|tous droits|todos los derechos|tutti i diritti|wszelkie prawa"
    # a Russian outlet's registration notice, which the law asks every page to carry
    r"|свидетельств\w* о регистрации|зарегистрирован\w* в федеральной службе|учредитель:|главный редактор:"
    r"|эл\s*№\s*фс|в комментариях запрещ", re.I)
_SENT_END = (".", "!", "?", "…", "»", "\"", "”", "“", ".)", "')")
# Short whole-line UI text in the languages of the region and of the pages we learned from.
_UI_LINE = re.compile(
    r"""^\W*(?:share|tweet|like|reply|log\s?in|log\s?out|sign\s?(?:in|up|out)|register|subscribe|comments?|next|previous|prev
    |home|contacts?|about(?:\ us)?|privacy(?:\ policy)?|cookies?|accept|menu|search|newsletter|advertisement|advertising|ads?
    |read\ more|more|related|tags?|topics?|categories|archive|print|e-?mail|follow\ us|copyright|top|up|back|close|open|login
    |facebook|twitter|instagram|telegram|youtube|vk|linkedin|whatsapp|viber|pinterest|reddit|rss|x|ok|odnoklassniki
    |eng|en|rus|ru|kaz|kz|қаз|рус|бел|de|fr|es|uk|укр
    |поделиться|войти|вход|выход|регистрация|подписаться|комментарии|комментировать|ответить|далее|назад|главная|контакты
    |о\ нас|о\ проекте|реклама|поиск|меню|архив|теги|рубрики|печать|нравится|читать|читать\ далее|подробнее|ещё|еще|все|вверх
    |поділитися|коментарі|головна|новини|пошук|бөлісу|басты\ бет|іздеу
    |teilen|anmelden|abmelden|kommentare|kommentieren|weiterlesen|startseite|impressum|datenschutz|suche|zurück|mehr|werbung|anzeige
    |partager|commentaires|lire\ la\ suite|accueil|rechercher|connexion|compartir|comentarios|leer\ más|inicio|buscar
    |condividi|commenti|udostępnij|komentarze|szukaj|delen|zoeken)\W*$""",
    re.I | re.X)
_UI_WORD = re.compile(
    r"\b(?:share|login|log in|sign in|sign up|subscribe|cookie|advert|newsletter|comment|ctrl\+enter|click here|javascript"
    r"|поделиться|комментар|войти|авториз|подпис|реклам|рассылк|ошибк|ctrl|нажмите|"
    r"teilen|anmelden|kommentar|werbung|abonn|partager|connexion|publicité|compartir|suscrib)", re.I)
_COMMENTS = re.compile(rf"^\W*(?:\d+\s+)?(?:{COMMENT_SECTION}|отзывы|kommentar schreiben)\b", re.I)
_RELATED = re.compile(
    r"^\W*(?:related|read (?:also|more|next)|see also|more (?:from|on|stories|news)|you (?:may|might) (?:also )?like|recommended"
    r"|popular|most read|latest(?: news)?|top stories|trending|читайте также|смотрите также|по теме|похожие|популярное"
    r"|последние новости|другие новости|новости по теме|ähnliche|weitere artikel|mehr zum thema|das könnte sie|lire aussi"
    r"|à lire aussi|sur le même sujet|te puede interesar|más noticias|також читайте|читайте також)\b", re.I)

_STOP_EN = frozenset(
    "the a an and or but of to in on at for with by from as is are was were be been has have had it its this that these "
    "those which who whom what when where will would can could should may might not no he she they we you his her their our "
    "said says than then also after before over about into more most other some such".split())
_STOP_RU = frozenset(
    "и в во не что он она оно они на я с со как а то все всё так его её ее но да ты к у же вы за бы по только ему было "
    "для от о об из при до после также это этот эта эти этого который которая которые которых года году был была были "
    "будет может если или уже ли ни нет мы их её чтобы когда где там тут под над между через более сказал заявил".split())
_STOP_OTHER = frozenset(
    # German, French, Spanish, Italian, Polish, Portuguese, Dutch, Ukrainian, Kazakh: the commonest words only.
    "der die das und ist nicht ein eine den dem des mit auf für von zu im sich auch es sie er wir werden wurde hat "
    "le la les et est une des du en dans pour que qui sur pas par au avec ce il se plus sont "
    "el los las y es un una por con para del al lo como más pero sus ha "
    "il di che è per non una della con sono gli nel alla "
    "i w na z że się nie do jest to jak od po za o "
    "o os as um uma em não com para por mais "
    "de het een van en is dat op te zijn voor niet met "
    "і в на що не та з до як за від це його її також було "
    "және мен бұл да де үшін бойынша".split())

_STOP_CODE = {w: (w in _STOP_EN) | (w in _STOP_RU) << 1 | (w in _STOP_OTHER) << 2
              for w in _STOP_EN | _STOP_RU | _STOP_OTHER}   # bits: English 1, Russian 2, other 4
_TOKEN_START = re.compile(r"(?<!\S)\S")   # the first character of each str.split() token

N_BASE = 53   # per-line features before neighbours
_NEIGHBOUR_OFFSETS = (-3, -2, -1, 1, 2, 3)
_NEIGHBOUR_COLS = (0, 3, 16, 30)   # log chars, ends a sentence, stop-word density, text score
N_STAGE1 = N_BASE + len(_NEIGHBOUR_OFFSETS) * len(_NEIGHBOUR_COLS) + 2
_P_OFFSETS = (-5, -4, -3, -2, -1, 1, 2, 3, 4, 5)
_N_LONG_RANGE = 11   # stage-2 columns over the whole page's stage-1 probabilities (see _long_range)
N_STAGE2 = N_STAGE1 + len(_P_OFFSETS) + 7 + _N_LONG_RANGE


_DIGITS_TO_0 = str.maketrans("123456789", "000000000")
_SCORE_CACHE = 100_000   # lines whose values are kept (some 40 MB at most), then the table starts over
_HEAD_CHARS = 300     # shape features read a line's first characters: a long line is prose either way


def text_tokens(line: str) -> list[str]:
    """Return the tokens the text score reads: the first words, their pairs, and the line's ends."""
    words = _WORD.findall(line[:_HEAD_CHARS].lower().translate(_DIGITS_TO_0))[:_MAX_TEXT_TOKENS]
    out = words + [a + " " + b for a, b in zip(words, words[1:])]
    if words:
        out.append("^" + words[0])
        out.append(words[-1] + "$")
    last = line.rstrip()[-1:]
    out.append("end=" + ("a" if last.isalpha() else "0" if last.isdigit() else last))
    out.append(f"len={min(12, int(math.log2(1 + len(line))))}")
    return out


def text_score(lines_tokens: list[list[str]], vocab: dict[str, float], bias: float) -> list[float]:
    """Return the linear text score of each line (binary token features, scaled by 1/sqrt(count))."""
    return _score_sets([set(toks) for toks in lines_tokens], vocab, bias).tolist()


def _score_sets(uniq: list[set[str]], vocab: dict[str, float], bias: float) -> np.ndarray:
    sizes = np.fromiter(map(len, uniq), dtype=np.int64, count=len(uniq))
    flat = [t for u in uniq for t in u]
    weights = np.fromiter(map(vocab.get, flat, [0.0] * len(flat)), dtype=np.float64, count=len(flat))
    # The weights are float16 values (multiples of 2**-24): their running sums are exact in float64,
    # so a line's sum is the same in any order and as a difference of the page's cumulative sums.
    c = np.concatenate(([0.0], np.cumsum(weights)))
    ends = np.cumsum(sizes)
    sums = c[ends] - c[ends - sizes]
    return bias + sums / np.sqrt(np.maximum(1, sizes))


_LEN_TOKENS = [f"len={k}" for k in range(13)]


def _text_scores(lines: list[str], stripped: list[str], words: list[list[str]], vocab: dict[str, float],
                 bias: float) -> np.ndarray:
    """Return text_score([text_tokens(l) for l in lines]) from the words text_tokens finds in each line.

    `words` begin with _WORD.findall(line[:_HEAD_CHARS].lower().translate(_DIGITS_TO_0))[:_MAX_TEXT_TOKENS],
    `stripped` are the lines rstripped.
    """
    uniq = []
    for line, s, ws in zip(lines, stripped, words):
        ws = ws[:_MAX_TEXT_TOKENS]
        toks = set(ws)
        if ws:
            toks.update(map(" ".join, zip(ws, ws[1:])))
            toks.add("^" + ws[0])
            toks.add(ws[-1] + "$")
        last = s[-1:]
        toks.add("end=" + ("a" if last.isalpha() else "0" if last.isdigit() else last))
        toks.add(_LEN_TOKENS[min(12, int(math.log2(1 + len(line))))])
        uniq.append(toks)
    return _score_sets(uniq, vocab, bias)


def _densest_run(score: list[float]) -> tuple[int, int]:
    """Return [start, end) of the contiguous run with the largest sum (Kadane)."""
    best, best_span = -math.inf, (0, 0)
    cur, start = 0.0, 0
    for i, s in enumerate(score):
        if cur <= 0:
            cur, start = s, i
        else:
            cur += s
        if cur > best:
            best, best_span = cur, (start, i + 1)
    return best_span


def _window_mean(x: np.ndarray, k: int) -> np.ndarray:
    """Return the mean of x over a centred window of k (odd) values, zeros beyond the ends."""
    half = k // 2
    c = np.concatenate(([0.0], np.cumsum(np.concatenate((np.zeros(half), x, np.zeros(half))))))
    return (c[k:] - c[:-k]) / k


def _shift(col: np.ndarray, k: int, fill: float = -1.0) -> np.ndarray:
    out = np.full_like(col, fill)
    if k > 0:
        out[:-k] = col[k:]
    elif k < 0:
        out[-k:] = col[:k]
    else:
        out[:] = col
    return out


def _shifted(cols: np.ndarray, offsets: tuple[int, ...], fill: float = -1.0) -> np.ndarray:
    """Return _shift(cols[:, j], k) for each offset k (outer) and column j (inner), side by side."""
    n, m = cols.shape
    reach = max(map(abs, offsets))
    padded = np.full((n + 2 * reach, m), fill)
    padded[reach:reach + n] = cols
    return np.hstack([padded[reach + k:reach + k + n] for k in offsets])


_CHAR_CLASSES = ("cyr", "lat", "letters", "upper", "digit", "punct", "separator")


def _char_masks(cp: np.ndarray) -> dict[str, np.ndarray]:
    """Return which of the counted classes each code point is in."""
    up_ascii = (cp >= 65) & (cp <= 90)
    low_ascii = (cp >= 97) & (cp <= 122)
    lat_ext = (cp >= 0xC0) & (cp <= 0x24F) & (cp != 0xD7) & (cp != 0xF7)
    cyr = (cp >= 0x400) & (cp <= 0x4FF)
    other = (cp >= 0x370) & ~cyr & ~((cp >= 0x2000) & (cp <= 0x2BFF)) & ~((cp >= 0x3000) & (cp <= 0x303F)) \
        & ~((cp >= 0xFE30) & (cp <= 0xFF20))
    upper = up_ascii | ((cp >= 0xC0) & (cp <= 0xDE) & (cp != 0xD7)) | ((cp >= 0x410) & (cp <= 0x42F)) | (cp == 0x401)
    digit = (cp >= 48) & (cp <= 57)
    letters = up_ascii | low_ascii | lat_ext | cyr | other
    space = (cp == 32) | (cp == 9) | (cp == 0xA0)
    punct = ~(letters | digit | space) & (cp != 95)
    separator = (cp == 0x7C) | (cp == 0x2F) | (cp == 0x3E) | (cp == 0xBB) | (cp == 0x2022) | (cp == 0xB7)   # |/>»•·
    return {"cyr": cyr, "lat": up_ascii | low_ascii | lat_ext, "letters": letters, "upper": upper, "digit": digit,
            "punct": punct, "separator": separator}


def _class_table() -> tuple[np.ndarray, np.ndarray]:
    """Number the combinations of classes a code point can be in; return each code point's number and them.

    Every code point above U+FFFF is in the same classes (a letter of no counted script), so one
    entry, 0x10000, stands for them all.
    """
    masks = _char_masks(np.arange(0x10001, dtype=np.uint32))
    bits = np.zeros(0x10001, dtype=np.int64)
    for i, name in enumerate(_CHAR_CLASSES):
        bits |= masks[name].astype(np.int64) << i
    combos, of = np.unique(bits, return_inverse=True)
    return of.astype(np.intp), combos


_CLASS_OF, _CLASS_COMBOS = _class_table()


def _char_counts(heads: list[str]) -> dict[str, np.ndarray]:
    """Count letter classes per line in one pass of numpy over the page's code points.

    Each code point's combination of classes is looked up and counted per line (one bincount);
    a class's count is the sum over the combinations holding it.
    """
    n, k = len(heads), len(_CLASS_COMBOS)
    lens = np.fromiter((len(h) for h in heads), dtype=np.int64, count=n)
    cp = np.frombuffer("".join(heads).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    at = np.repeat(np.arange(0, n * k, k), lens) + _CLASS_OF[np.minimum(cp, 0x10000)]
    counts = np.bincount(at, minlength=n * k).reshape(n, k)
    return {name: counts[:, (_CLASS_COMBOS >> i) & 1 == 1].sum(axis=1) for i, name in enumerate(_CHAR_CLASSES)}


def _segment_sums(values: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Return the sum of `values` over consecutive segments of the given lengths."""
    c = np.concatenate(([0], np.cumsum(values, dtype=np.int64)))
    ends = np.cumsum(counts)
    return c[ends] - c[ends - counts]


def _lines_with(pattern: re.Pattern[str], texts: list[str], at: np.ndarray, n: int) -> np.ndarray:
    """Return a mask over n lines: True where `pattern.search` finds a match in texts[k] (line at[k]).

    One scan over the texts joined by newlines: the patterns given here cannot match a newline,
    so no match spans two lines and a line has a match exactly when a match starts in it.
    """
    out = np.zeros(n, dtype=bool)
    if not texts:
        return out
    from searchapp.ingest.prefix_scan import line_match_starts

    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    starts = np.cumsum(lengths + 1) - lengths - 1
    # (a phrase list under IGNORECASE is slow to scan; line_match_starts finds the same lines faster)
    hits = line_match_starts(pattern, "\n".join(texts))
    if hits:
        out[at[np.searchsorted(starts, hits, side="right") - 1]] = True
    return out


def _log1p(values) -> list[float]:  # type: ignore[no-untyped-def]
    # math.log1p, not numpy's: the trees were trained on these exact values.
    return list(map(math.log1p, values))


# Stage-1 columns that read a line alone (its shape, words, phrases), by the name line_features gives them.
_LINE_COLUMNS = {
    0: "log_chars", 1: "nw", 2: "mean_word", 3: "ends", 4: "colon", 5: "comma_end", 6: "cap_start",
    7: "upper_share", 8: "digit_share", 9: "punct_share", 10: "commas", 11: "caps", 12: "separators",
    13: "en", 14: "ru", 15: "ot", 16: "stop", 18: "no_letters", 24: "ui_line", 25: "ui_word", 26: "date",
    27: "time", 28: "url", 29: "copyright", 45: "comment", 46: "related", 51: "legal"}
_LINE_COLUMN_AT = list(_LINE_COLUMNS)
# The rule verdicts the features read, and None (no rule fired) for the prose test.
_VERDICT_CODE = {"navigation": 1, "link to another article": 2, "photo caption or credit": 3,
                 "newsletter or social promo": 4, "camera file name": 5, "navigation in another script": 5, None: 6}
_LOG1P_INTS = np.array([math.log1p(k) for k in range(8192)])   # math.log1p of small counts, looked up


def _log1p_ints(k: np.ndarray) -> np.ndarray:
    """Return math.log1p of each (non-negative) integer of k, as _log1p gives it."""
    if k.size and int(k.max()) >= len(_LOG1P_INTS):
        return np.array(_log1p(k.tolist()), dtype=np.float64)
    return _LOG1P_INTS[k]


def line_features(lines: list[str], key_ids: dict[str, int],
                  text_model: tuple[dict[str, float], float] | None = None) -> dict[str, np.ndarray]:
    """Return what each line gives the features alone, as named columns (one value per line).

    Nothing here depends on the other lines of the page, so a line's values can be kept and
    reused when it comes again (LineModel does). `key_ids` numbers the lines' repeat keys (the
    text lower-cased with its spacing squeezed): a key not in it gets the next number. With
    `text_model` (vocabulary, bias) the columns include the text score ("score") and the token
    weight ("weight") of token_weights.
    """
    n = len(lines)
    heads = [l[:_HEAD_CHARS] for l in lines]
    cc = _char_counts(heads)
    cyr, lat, letters = cc["cyr"], cc["lat"], cc["letters"]
    chars = np.fromiter(map(len, lines), dtype=np.int64, count=n)
    keys = [" ".join(l[:200].lower().split()) for l in lines]
    for k in keys:
        if k not in key_ids:
            key_ids[k] = len(key_ids)
    words = [_WORD.findall(h.lower()) for h in heads]
    nw = np.fromiter(map(len, words), dtype=np.int64, count=n)
    flat = [w for ws in words for w in ws]
    wlen = _segment_sums(np.fromiter(map(len, flat), dtype=np.int64, count=len(flat)), nw)
    code = np.fromiter(map(_STOP_CODE.get, flat, [0] * len(flat)), dtype=np.int64, count=len(flat))
    nw1 = np.maximum(1, nw)
    en = _segment_sums(code & 1, nw) / nw1
    ru = _segment_sums((code >> 1) & 1, nw) / nw1
    ot = _segment_sums((code >> 2) & 1, nw) / nw1
    stripped = [l.rstrip() for l in lines]
    # The capitalised share reads whitespace-separated tokens, or for long lines the (lower-cased) words:
    # the share of them whose first character is upper case (_TOKEN_START finds where split() cuts).
    tokens = [h.split() if k <= 40 else ws for h, k, ws in zip(heads, nw.tolist(), words)]
    n_split = np.fromiter(map(len, tokens), dtype=np.int64, count=n)
    caps = np.fromiter((sum([t[0].isupper() for t in ts]) for ts in tokens), dtype=np.int64, count=n)
    short = nw <= 10

    def flag(pattern_fn, mask) -> np.ndarray:  # type: ignore[no-untyped-def]
        return np.fromiter((m and pattern_fn(h) is not None for h, m in zip(heads, mask)), dtype=bool, count=n)

    short_at = np.flatnonzero(short)
    short_heads = [heads[i] for i in short_at.tolist()]
    has_digit = _lines_with(_DIGIT, short_heads, short_at, n)
    hn = np.maximum(1, np.fromiter(map(len, heads), dtype=np.int64, count=n))
    out = {
        "chars": chars, "cyr": cyr, "lat": lat, "letters": letters, "nw": nw,
        "key": np.fromiter(map(key_ids.__getitem__, keys), dtype=np.int64, count=n),
        "script": np.where((cyr == 0) & (lat == 0), 0, np.where(cyr > lat, 1, 2)),
        "log_chars": np.array(_log1p(chars.tolist()), dtype=np.float64),
        "mean_word": wlen / nw1,
        "ends": np.fromiter((s.endswith(_SENT_END) for s in stripped), dtype=bool, count=n),
        "colon": np.fromiter((s.endswith(":") for s in stripped), dtype=bool, count=n),
        "comma_end": np.fromiter((s.endswith((",", ";", "-", "–", "—")) for s in stripped), dtype=bool, count=n),
        "cap_start": np.fromiter((s[:1].isupper() for s in stripped), dtype=bool, count=n),
        "upper_share": cc["upper"] / np.maximum(1, letters),
        "digit_share": cc["digit"] / hn,
        "punct_share": cc["punct"] / hn,
        "commas": np.fromiter((h.count(",") for h in heads), dtype=np.int64, count=n) / nw1,
        "caps": caps / np.maximum(1, n_split),
        # _SEPARATORS finds a separator character between spaces, or a line with no word character
        # (and so no word): other lines hold none.
        "separators": np.fromiter((len(_SEPARATORS.findall(h)) if s or not k else 0
                                   for h, s, k in zip(heads, cc["separator"].tolist(), nw.tolist())),
                                  dtype=np.int64, count=n),
        "en": en, "ru": ru, "ot": ot, "stop": np.maximum(np.maximum(en, ru), ot),
        "no_letters": letters == 0,
        "comment": flag(_COMMENTS.match, (nw <= 8).tolist()),
        "related": flag(_RELATED.match, short.tolist()),
        "ui_line": flag(_UI_LINE.match, (nw <= 5).tolist()),
        "ui_word": _lines_with(_UI_WORD, short_heads, short_at, n),
        "date": flag(_DATE.search, has_digit.tolist()),   # every date form has a digit
        "time": _lines_with(_TIME, short_heads, short_at, n),
        "url": _lines_with(_URLISH, short_heads, short_at, n),
        "copyright": _lines_with(_COPYRIGHT, short_heads, short_at, n),
        "legal": _lines_with(_LEGAL, heads, np.arange(n), n),
    }
    if text_model is not None:
        # text_tokens reads the words with their digits as 0: \w takes a digit for a digit, so they are
        # these words, translated where the line has an ASCII digit (lower() makes none).
        folded = [[w.translate(_DIGITS_TO_0) for w in ws[:_MAX_TEXT_TOKENS]] if d else ws
                  for ws, d in zip(words, cc["digit"].tolist())]
        out["score"] = _text_scores(lines, stripped, folded, *text_model)
        # A line's words in full: lower() keeps each character a word character or not, and its
        # length, but for İ (two characters); a head is the whole line up to _HEAD_CHARS.
        out["weight"] = np.fromiter(
            (max(1, k) if len(line) <= _HEAD_CHARS and "\u0130" not in line else max(1, len(_WORD.findall(line)))
             for line, k in zip(lines, nw.tolist())), dtype=np.float64, count=n)
    return out


def base_features(lines: list[str], verdicts: list[str | None], scores: list[float]) -> np.ndarray:
    """Return the stage-1 feature matrix (one row per line) for one page.

    `verdicts` are the rule reasons of searchapp.ingest.clean.line_verdict (None = no rule fired),
    `scores` the text scores of the lines. Each feature is computed for the whole page at once
    (a column per pass, numpy over the page's words and letters): a row per line in Python cost
    a third of the ingest.
    """
    return page_features(line_features(lines, {}), verdicts, np.asarray(scores, dtype=np.float64))


def page_features(f: dict[str, np.ndarray], verdicts: list[str | None], scores: np.ndarray) -> np.ndarray:
    """Return the stage-1 matrix from the lines' own values (line_features) and their place in the page."""
    n = len(verdicts)
    X = np.zeros((n, N_STAGE1), dtype=np.float64)
    if n == 0:
        return X
    cyr, lat, letters, chars, nw = f["cyr"], f["lat"], f["letters"], f["chars"], f["nw"]
    en, ru, ot, stop, ends = f["en"], f["ru"], f["ot"], f["stop"], f["ends"]
    is_comment, is_related = f["comment"], f["related"]
    page_cyr, page_lat = int(cyr.sum()), int(lat.sum())
    page_script = 0 if page_cyr == page_lat == 0 else (1 if page_cyr > page_lat else 2)
    total_chars = max(1, int(chars.sum()))
    _, key_at, key_count = np.unique(f["key"], return_inverse=True, return_counts=True)
    order = np.argsort(-chars, kind="stable")
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n)
    longest = int(order[0])
    line_script = f["script"]
    v = np.array([_VERDICT_CODE.get(x, 0) for x in verdicts], dtype=np.int64)
    before = np.concatenate(([0], np.cumsum(chars)[:-1]))
    idx = np.arange(n)
    cols = X[:, :N_BASE]
    cols[:, _LINE_COLUMN_AT] = np.column_stack([f[name] for name in _LINE_COLUMNS.values()])
    cols[:, 17] = (line_script != 0) & (page_script != 0) & (line_script != page_script)
    cols[:, 19] = v == 1
    cols[:, 20] = v == 2
    cols[:, 21] = v == 3
    cols[:, 22] = v == 4
    cols[:, 23] = v == 5
    cols[:, 30] = scores
    cols[:, 31] = _log1p_ints(key_count[key_at] - 1)
    cols[:, 32] = rank / n
    cols[:, 33] = idx / n
    cols[:, 34] = _log1p_ints(idx)
    cols[:, 35] = _log1p_ints(idx[::-1])
    cols[:, 36] = math.log1p(n)
    cols[:, 37] = before / total_chars
    cols[:, 38] = (idx - longest) / n
    cols[:, 43] = np.cumsum(is_comment) - is_comment
    cols[:, 44] = np.cumsum(is_related) - is_related
    cols[:, 47] = page_script
    # The same in any language: stop words of the page's own language (the list its lines hit
    # most), against the page's prose lines; the share of the line's letters in the page's script.
    page_lang = int(np.argmax([en @ nw, ru @ nw, ot @ nw]))
    own = (en, ru, ot)[page_lang]
    cols[:, 48] = own
    long_lines = nw >= 8
    cols[:, 49] = own / max(0.05, float(own[long_lines].mean()) if long_lines.any() else 0.05)
    in_script = cyr if page_script == 1 else lat if page_script == 2 else np.zeros(n, dtype=np.int64)
    cols[:, 50] = in_script / np.maximum(1, letters)
    cols[:, 52] = _shift(is_related.astype(np.float64), -1, 0.0)   # the teaser under "Читайте также:"
    prose = (nw >= 8) & (ends | (stop >= 0.15)) & (v == 6)
    run_score = np.where(prose, chars, -np.maximum(40, chars)).tolist()
    a, b = _densest_run(run_score)
    prose_chars = np.where(prose, chars, 0)
    total_prose = max(1, int(prose_chars.sum()))
    cum = np.cumsum(prose_chars)
    X[:, 39] = (a <= idx) & (idx < b)
    X[:, 40] = np.where(idx < a, -_log1p_ints(np.maximum(0, a - idx)), _log1p_ints(np.where(idx >= b, idx - b + 1, 0)))
    X[:, 41] = (cum - prose_chars) / total_prose
    X[:, 42] = (total_prose - cum) / total_prose
    col = N_BASE + len(_NEIGHBOUR_OFFSETS) * len(_NEIGHBOUR_COLS)
    X[:, N_BASE:col] = _shifted(X[:, _NEIGHBOUR_COLS], _NEIGHBOUR_OFFSETS)
    pr = prose.astype(np.float64)
    X[:, col] = _window_mean(pr, 7)
    X[:, col + 1] = pr.mean()
    return X


def stage2_features(X1: np.ndarray, p: np.ndarray, tail: bool = False) -> np.ndarray:
    """Return the stage-2 matrix: stage-1 features plus the neighbours' stage-1 probabilities.

    With `tail`, the _tail_columns follow (a model trained with them says so: LineModel.tail).
    """
    n = len(p)
    X = np.zeros((n, N_STAGE2 + (N_TAIL if tail else 0)), dtype=np.float64)
    X[:, :N_STAGE1] = X1
    col = N_STAGE1 + len(_P_OFFSETS)
    X[:, N_STAGE1:col] = _shifted(p[:, None], _P_OFFSETS)
    w = np.exp(X1[:, 0]) - 1   # characters of each line
    X[:, col] = _window_mean(p, 5)
    X[:, col + 1] = _window_mean(p, 11)
    X[:, col + 2] = p.mean()
    X[:, col + 3] = p.max()
    mass = p * w
    total = max(1.0, float(mass.sum()))
    cum = np.cumsum(mass)
    X[:, col + 4] = (cum - mass) / total
    X[:, col + 5] = (total - cum) / total
    X[:, col + 6] = (np.argsort(np.argsort(-p)) / n) if n else 0
    if n:
        X[:, col + 7:N_STAGE2] = _long_range(X1, p)
        if tail:
            X[:, N_STAGE2:] = _tail_columns(X1, p)
    return X


N_TAIL = 15   # stage-2 columns of _tail_columns
_TAIL_WINDOW = 10
_CUE_COLUMNS = [19, 20, 21, 22, 23, 24, 25, 45, 46, 51]   # rule verdicts, UI line or word, comment, related, legal


def _tail_columns(X1: np.ndarray, p: np.ndarray) -> np.ndarray:
    """Return the stage-2 columns that tell where the article ends and what follows it.

    After an article a page goes on with what reads as prose line by line (comments, teasers,
    an author box, a subscription pitch) and with the short lines between them: names and
    timestamps of comments, tags, "Reply" / "READ THE REST" repeated under each item. The main
    block of _long_range takes such a tail in when the stage-1 probabilities stay high, so these
    columns do not lean on them: the share of short lines, date or time lines, lines the page
    repeats, UI or comment / related-story cue lines and prose lines among the ten lines after
    and the ten before a line; and, counted from the article's centre (the line where half the
    page's stage-1 probability mass, weighted by length, is reached), the cue lines, date or time
    lines and short lines between it and the line (log-scaled, negative above the centre).
    """
    n = len(p)
    out = np.zeros((n, N_TAIL), dtype=np.float64)
    if n == 0:
        return out
    nw = X1[:, 1]
    flags = np.empty((n, 5), dtype=np.float64)
    flags[:, 0] = nw <= 4                                                      # short
    flags[:, 1] = ((X1[:, 26] > 0) | (X1[:, 27] > 0)) & (nw <= 12)            # a date or time
    flags[:, 2] = X1[:, 31] > 0                                                # the page repeats it
    flags[:, 3] = X1[:, _CUE_COLUMNS].any(axis=1)                              # UI, comment, related, legal, a rule's
    flags[:, 4] = (nw >= 8) & ((X1[:, 3] > 0) | (X1[:, 16] >= 0.15))          # prose
    k = _TAIL_WINDOW
    c = np.zeros((n + 1 + k, 5))      # c[i] = the flags of lines before i (rows past n repeat the page's sums)
    np.cumsum(flags, axis=0, out=c[1:n + 1])
    c[n + 1:] = c[n]
    out[:, 0:5] = (c[1 + k:n + 1 + k] - c[1:n + 1]) / k              # the ten lines after
    lo = np.concatenate((np.zeros((k, 5)), c[:n - k])) if n > k else np.zeros((n, 5))
    out[:, 5:10] = (c[:n] - lo) / k                                  # the ten before
    mass = p * X1[:, 0]
    cm = np.cumsum(mass)
    centre = min(int(np.searchsorted(cm, 0.5 * cm[-1])), n - 1) if cm[-1] > 0 else 0
    # cue, date and short lines between the centre and a line (negative above it; the centre's own, below it)
    between = np.empty((n, 3))
    cols = [3, 1, 0]
    between[:centre + 1] = c[1:centre + 2][:, cols] - c[centre, cols]
    between[centre + 1:] = c[centre + 1:n][:, cols] - c[centre + 1, cols]
    out[:, 10:13] = np.sign(between) * np.log1p(np.abs(between))
    idx = np.arange(n)
    out[:, 13] = np.sign(idx - centre) * np.log1p(np.abs(idx - centre))
    # the prose share of the lines from the centre to this one, both in: it falls where the article ends
    share = np.empty(n)
    share[centre:] = c[centre + 1:n + 1, 4] - c[centre, 4]
    share[:centre] = c[centre + 1, 4] - c[:centre, 4]
    out[:, 14] = share / (np.abs(idx - centre) + 1)
    return out


def _long_range(X1: np.ndarray, p: np.ndarray) -> np.ndarray:
    """Return the stage-2 columns that read the page beyond a line's near neighbours.

    An article is mostly one contiguous run of lines; what follows its end (comments, teasers,
    an author box) can read as prose line by line. The main block is the run with the largest
    sum of (p - 0.5) * log(chars); a line gets its membership, its signed distance to the block,
    its place against the block's start and end, the comment and related-story markers between
    it and the block, and the stage-1 probabilities over wider windows before and after it.
    """
    n = len(p)
    idx = np.arange(n)
    a, b = _densest_run(((p - 0.5) * X1[:, 0]).tolist())
    out = np.zeros((n, _N_LONG_RANGE), dtype=np.float64)
    out[:, 0] = (idx >= a) & (idx < b)
    out[:, 1] = np.where(idx < a, -np.log1p(np.maximum(0, a - idx)), np.log1p(np.maximum(0, idx - b + 1)))
    out[:, 2] = (idx - b) / n
    out[:, 3] = (idx - a) / n
    marks = np.concatenate(([0.0], np.cumsum(X1[:, 45] + X1[:, 46])))   # comment and related-story markers
    out[:, 4] = np.where(idx >= b, marks[idx] - marks[b], np.where(idx < a, marks[a] - marks[np.minimum(n, idx + 1)], 0.0))
    out[:, 5] = (b - a) / n
    out[:, 6] = _window_mean(p, 21)
    c = np.concatenate(([0.0], np.cumsum(p)))
    out[:, 7] = (c[np.minimum(n, idx + 11)] - c[idx + 1]) / 10    # the next ten lines
    out[:, 8] = (c[idx] - c[np.maximum(0, idx - 10)]) / 10       # the ten before
    after = np.maximum.accumulate(p[::-1])[::-1]
    out[:-1, 9] = after[1:]                                       # the most likely line below
    out[1:, 10] = np.maximum.accumulate(p)[:-1]                   # and above
    return out


class Forest:
    """A gradient-boosted tree ensemble exported from scikit-learn, evaluated with numpy."""

    def __init__(self, feature: np.ndarray, threshold: np.ndarray, left: np.ndarray, right: np.ndarray,
                 leaf: np.ndarray, value: np.ndarray, baseline: float, depth: int) -> None:
        self.feature, self.threshold = feature.astype(np.intp), threshold
        self.left, self.right = left.astype(np.intp), right.astype(np.intp)
        self.leaf, self.value, self.baseline, self.depth = leaf, value, baseline, depth
        self.trees = np.arange(feature.shape[0])
        # The walk predict() takes: flat node indices (tree * size + node), a leaf pointing to itself
        # on both sides (so no step asks whether it is a leaf), node k's feature, threshold and value
        # at 2k, and its child for "x <= threshold" at 2k+1 of the child array, for "x > threshold"
        # at 2k (so a step is one add and four gathers).
        n_trees, size = feature.shape
        roots = np.arange(n_trees) * size
        node = np.arange(size)[None, :]
        left_flat, right_flat = ((np.where(leaf, node, child) + roots[:, None]).ravel() for child in (self.left, self.right))
        flat = n_trees * size
        self._feature = np.zeros(2 * flat, np.intp)
        self._threshold, self._value = np.zeros(2 * flat), np.zeros(2 * flat)
        self._feature[0::2] = np.where(leaf, 0, self.feature).ravel()
        self._threshold[0::2], self._value[0::2] = threshold.ravel(), value.ravel()
        self._child = np.empty(2 * flat, np.intp)
        self._child[0::2], self._child[1::2] = 2 * right_flat, 2 * left_flat
        self._roots = 2 * roots.astype(np.intp)
        # The first step starts at each tree's root: its feature and threshold are the same for every row.
        self._root_feature, self._root_threshold = self._feature[self._roots], self._threshold[self._roots]

    def predict(self, X: np.ndarray) -> np.ndarray:
        """Return P(content) for each row of X."""
        n = X.shape[0]
        if n == 0:
            return np.zeros(0)
        feature, threshold, child = self._feature, self._threshold, self._child
        at = child.take(self._roots + (X[:, self._root_feature] <= self._root_threshold))
        row_off = (np.arange(n) * X.shape[1])[:, None]
        Xf = X.ravel()
        for _ in range(self.depth - 1):
            at = child.take(at + (Xf.take(row_off + feature.take(at)) <= threshold.take(at)))
        raw = self.baseline + self._value.take(at).sum(axis=1)
        return 1.0 / (1.0 + np.exp(-raw))

    def predict_2d(self, X: np.ndarray) -> np.ndarray:
        """Return P(content) as predict() does, by 2-D indexing (the reference the tests compare with)."""
        n = X.shape[0]
        if n == 0:
            return np.zeros(0)
        t = self.trees[None, :]
        node = np.zeros((n, len(self.trees)), dtype=np.intp)
        rows = np.arange(n)[:, None]
        for _ in range(self.depth):
            f = self.feature[t, node]
            go_left = X[rows, f] <= self.threshold[t, node]
            nxt = np.where(go_left, self.left[t, node], self.right[t, node])
            node = np.where(self.leaf[t, node], node, nxt)
        raw = self.baseline + self.value[t, node].sum(axis=1)
        return 1.0 / (1.0 + np.exp(-raw))


class _LineTable:
    """The values line_features gave each line met, with its text score and token weight, kept in columns.

    A source's pages repeat their menus, footers and teasers: such a line is read once, and a
    page's rows are gathered from the columns.
    """

    def __init__(self) -> None:
        self.rows: dict[str, int] = {}
        self.key_ids: dict[str, int] = {}
        self.cols: dict[str, np.ndarray] = {}

    def add(self, lines: list[str], values: dict[str, np.ndarray]) -> None:
        size, m = len(self.rows), len(lines)
        for name, col in values.items():
            have = self.cols.get(name)
            if have is None or len(have) < size + m:
                grown = np.empty(max(1024, 2 * (size + m)), dtype=col.dtype)
                if have is not None:
                    grown[:size] = have[:size]
                self.cols[name] = have = grown
            have[size:size + m] = col
        self.rows.update(zip(lines, range(size, size + m)))


class LineModel:
    """The shipped line model: the text-score vocabulary and the two tree ensembles."""

    def __init__(self, path: Path | None = None) -> None:
        self._table = _LineTable()
        with np.load(path or MODEL_PATH, allow_pickle=False) as z:
            words = str(z["vocab_words"]).split("\n")
            self.vocab = dict(zip(words, z["vocab_weights"].astype(np.float64).tolist()))
            self.bias = float(z["vocab_bias"])
            self.tail = bool(z["s2_tail"]) if "s2_tail" in z.files else False
            self.stages = [
                Forest(z[f"s{k}_feature"], z[f"s{k}_threshold"], z[f"s{k}_left"], z[f"s{k}_right"],
                       z[f"s{k}_leaf"], z[f"s{k}_value"], float(z[f"s{k}_baseline"]), int(z[f"s{k}_depth"]))
                for k in (1, 2)]

    def _line_values(self, lines: list[str], names: tuple[str, ...] = ()) -> dict[str, np.ndarray]:
        """Return line_features of `lines` with "score" and "weight" (or only `names`), once per distinct line."""
        table = self._table
        if len(table.rows) > _SCORE_CACHE:
            table = self._table = _LineTable()
        rows = table.rows
        missing = [l for l in dict.fromkeys(lines) if l not in rows]
        if missing:
            values = line_features(missing, table.key_ids, (self.vocab, self.bias))
            table.add(missing, values)
        at = np.fromiter(map(rows.__getitem__, lines), dtype=np.intp, count=len(lines))
        return {name: table.cols[name][at] for name in names or table.cols}

    def probabilities(self, lines: list[str], verdicts: list[str | None]) -> np.ndarray:
        """Return P(the line belongs to the article) for each line of one dump."""
        if not lines:
            return np.zeros(0)
        values = self._line_values(lines)
        X1 = page_features(values, verdicts, values["score"])
        p1 = self.stages[0].predict(X1)
        return self.stages[1].predict(stage2_features(X1, p1, self.tail))

    def token_weights(self, lines: list[str]) -> np.ndarray:
        """Return token_weights(lines), read from the values kept for the lines."""
        return self._line_values(lines, ("weight",))["weight"]


@lru_cache(maxsize=1)
def load_model() -> LineModel:
    """Load the shipped model once per process; raise ExtractorUnavailable if it cannot load."""
    try:
        return LineModel()
    except Exception as exc:  # a missing or damaged file: dumps would keep all their chrome
        from searchapp.errors import ExtractorUnavailable

        raise ExtractorUnavailable(
            f"the dump line model cannot load from {MODEL_PATH}: {type(exc).__name__}: {exc}") from exc


def token_weights(lines: list[str]) -> np.ndarray:
    """Return each line's weight in the body's token F1: its number of word tokens (at least 1)."""
    return np.array([max(1, len(_WORD.findall(l))) for l in lines], dtype=np.float64)


def expected_f1_keep(p: np.ndarray, weights: np.ndarray, beta: float = BETA) -> np.ndarray:
    """Return the mask of lines to keep that maximises the expected F-beta of the kept tokens.

    Lines are taken in order of probability; E[F] is approximated by the ratio of expectations,
    (1+b^2) * sum(p*w over kept) / (b^2 * sum(p*w over all) + sum(w over kept)).
    """
    n = len(p)
    keep = np.zeros(n, dtype=bool)
    if n == 0:
        return keep
    order = np.argsort(-p, kind="stable")
    pw = (p * weights)[order]
    b2 = beta * beta
    ef = (1 + b2) * np.cumsum(pw) / (b2 * pw.sum() + np.cumsum(weights[order]))
    k = int(np.argmax(ef)) + 1
    keep[order[:k]] = True
    return keep
