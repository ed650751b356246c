"""Parse and find dates in scraped news text: ISO, RFC 2822, numeric and month-name forms.

English, Russian (every case and the usual abbreviations), German, French, Spanish, Portuguese and
Italian month names ("4 de mayo de 2022", "19 Febbraio 2020"); Chinese, Japanese and Korean
year-month-day forms ("2020年7月1日").
Pure and fast: compiled regexes, no dateparser, never the clock (a year-less date gets a year
only from `reference_year`).
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from functools import lru_cache
from typing import Literal

Precision = Literal["day", "month", "year"]
MIN_YEAR, MAX_YEAR = 1800, 2100


@dataclass(frozen=True)
class FoundDate:
    """A date found in text: its value, the text it came from, how precise, whether inferred."""

    value: dt.date | dt.datetime
    raw: str
    precision: Precision
    inferred: bool = False


def _month_table() -> dict[str, int]:
    table: dict[str, int] = {}
    english = ["january", "february", "march", "april", "may", "june", "july", "august",
               "september", "october", "november", "december"]
    german = ["januar", "februar", "märz", "april", "mai", "juni", "juli", "august",
              "september", "oktober", "november", "dezember"]
    french = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
              "septembre", "octobre", "novembre", "décembre"]
    spanish = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
               "septiembre", "octubre", "noviembre", "diciembre"]
    portuguese = ["janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto",
                  "setembro", "outubro", "novembro", "dezembro"]
    italian = ["gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto",
               "settembre", "ottobre", "novembre", "dicembre"]
    # The region's other languages (Ukrainian, Belarusian, Kazakh, Uzbek and Turkish outlets) and
    # the press of its neighbours, in the forms a date takes: "20 квітня 2026", "20 красавіка 2026",
    # "20 сәуір 2026", "20 Nisan 2026", "20 kwietnia 2026", "20. dubna 2026", "20 april 2026".
    ukrainian = ["січня", "лютого", "березня", "квітня", "травня", "червня", "липня", "серпня",
                 "вересня", "жовтня", "листопада", "грудня"]
    ukrainian_nom = ["січень", "лютий", "березень", "квітень", "травень", "червень", "липень", "серпень",
                     "вересень", "жовтень", "листопад", "грудень"]
    belarusian = ["студзеня", "лютага", "сакавіка", "красавіка", "мая", "чэрвеня", "ліпеня", "жніўня",
                  "верасня", "кастрычніка", "лістапада", "снежня"]
    belarusian_nom = ["студзень", "люты", "сакавік", "красавік", "май", "чэрвень", "ліпень", "жнівень",
                      "верасень", "кастрычнік", "лістапад", "снежань"]
    kazakh = ["қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым", "шілде", "тамыз",
              "қыркүйек", "қазан", "қараша", "желтоқсан"]
    uzbek = ["yanvar", "fevral", "mart", "aprel", "may", "iyun", "iyul", "avgust",
             "sentabr", "oktabr", "noyabr", "dekabr"]
    turkish = ["ocak", "şubat", "mart", "nisan", "mayıs", "haziran", "temmuz", "ağustos",
               "eylül", "ekim", "kasım", "aralık"]
    polish = ["stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca", "lipca", "sierpnia",
              "września", "października", "listopada", "grudnia"]
    czech = ["ledna", "února", "března", "dubna", "května", "června", "července", "srpna",
             "září", "října", "listopadu", "prosince"]
    dutch = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
             "september", "oktober", "november", "december"]
    for names in (english, german, french, spanish, portuguese, italian, ukrainian, ukrainian_nom, belarusian,
                  belarusian_nom, kazakh, uzbek, turkish, polish, czech, dutch):
        for i, name in enumerate(names, 1):
            table[name] = i
    for i, name in enumerate(english, 1):
        table[name[:3]] = i
    table.update({"sept": 9, "jänner": 1, "maerz": 3, "mrz": 3, "mär": 3, "okt": 10, "dez": 12,
                  "janv": 1, "févr": 2, "fevrier": 2, "avr": 4, "juil": 7, "aout": 8,
                  "déc": 12, "decembre": 12, "setiembre": 9, "marco": 3,
                  # (not "ago", "set", "out", "gen", "mag": English or other words before a year)
                  "ene": 1, "abr": 4, "dic": 12, "fev": 2, "giu": 6, "lug": 7, "ott": 10})
    # Russian: stem + the case endings a month name takes (nominative, genitive, prepositional...).
    soft = {"январ": 1, "феврал": 2, "апрел": 4, "июн": 6, "июл": 7, "сентябр": 9,
            "октябр": 10, "ноябр": 11, "декабр": 12}
    for stem, i in soft.items():
        for end in ("ь", "я", "е", "ю", "ем", "ём"):
            table[stem + end] = i
    for stem, i in {"март": 3, "август": 8}.items():
        for end in ("", "а", "е", "у", "ом"):
            table[stem + end] = i
    for form in ("май", "мая", "мае", "маю", "маем"):
        table[form] = 5
    table.update({"янв": 1, "фев": 2, "февр": 2, "мар": 3, "апр": 4, "июн": 6, "июл": 7,
                  "авг": 8, "сен": 9, "сент": 9, "окт": 10, "ноя": 11, "нояб": 11, "дек": 12})
    return table


MONTHS = _month_table()
# A generic word stands for the month and is checked against MONTHS afterwards: an alternation
# of ~100 month forms at every position made find_dates ~20x slower.
_MON = r"(?P<mon>[^\W\d_]{3,12})\b\.?"   # ("października", "кастрычніка")
_WEEKDAY_BEFORE = re.compile(
    r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?"
    r"|понедельник|вторник|среда|четверг|пятница|суббота|воскресенье"
    r"|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag"
    r"|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche"
    r"|lunes|martes|mi[ée]rcoles|jueves|viernes|s[áa]bado|domingo"
    r"|segunda|ter[çc]a|quarta|quinta|sexta|(?:segunda|ter[çc]a|quarta|quinta|sexta)-feira"
    r"|luned[ìi]|marted[ìi]|mercoled[ìi]|gioved[ìi]|venerd[ìi]|sabato|domenica),?\s+$", re.IGNORECASE)
# (French, Spanish and Portuguese write "16h28"; "a las", "às", "alle" are their "at")
_TIME = (r"(?:\s*(?:,|\||at|в|um|à|às|a\s+las|alle|ore)?\s*(?P<hh>[01]?\d|2[0-3])[:h](?P<mi>[0-5]\d)"
         r"(?::(?P<ss>[0-5]\d))?(?:\s*(?P<ampm>[ap]\.?m\.?))?(?![\d:])"
         r"(?:\s*(?P<tz>Z\b|GMT\b|UTC\b|[+-]\d{2}:?\d{2}\b|(?-i:[ECMP][SD]?T|BST|CES?T|EES?T|MSK|ALMT)\b))?)?")
# Zone names a clock states ("08:00 AM EDT", "10:14 MSK"). ET, PT, CT and MT name no season, and
# CST and BST name two zones each (US Central or China, British Summer or Bangladesh): no offset.
_NAMED_ZONES = {"EST": -5, "EDT": -4, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7,
                "CET": 1, "CEST": 2, "EET": 2, "EEST": 3, "MSK": 3, "ALMT": 6}
_ZONES_WITHOUT_OFFSET = ("ET", "PT", "CT", "MT", "CST", "BST")
_YEAR_TAIL = r"(?:\s*(?:г\.|года?\b|year\b))?"
_I = re.IGNORECASE

_ISO = re.compile(
    r"(?<!\d)(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})"
    r"(?:[T ](?P<hh>\d{2}):(?P<mi>\d{2})(?::(?P<ss>\d{2})(?:[.,]\d+)?)?"
    r"\s*(?P<tz>Z|[+-]\d{2}:?\d{2})?)?(?!\d)")
# One-digit parts are as common as two ("2017/2/7", "7.2.2017"); which group is the year is
# settled in _numeric, so the last group may be one to four digits here.
_NUMERIC = re.compile(r"(?<![\d.])(?P<a>\d{1,4})(?P<sep>[./-])(?P<b>\d{1,2})(?P=sep)(?P<c>\d{4}|\d{1,2})(?![\d])"
                      + _TIME, _I)
# "4 de mayo de 2022", "11 de Outubro de 2020", "1º de maio": the Spanish and Portuguese "de".
_NAME_DMY = re.compile(r"(?<!\d)(?P<d>[0-3]?\d)(?:st|nd|rd|th|er|º)?\.?\s*(?:of\s+|de\s+)?(?:-\s*)?"
                       + _MON + r"(?:-|,?\s*(?:del?\s+)?)(?P<y>\d{4})(?!\d)" + _YEAR_TAIL + _TIME, _I)
_NAME_MDY = re.compile(r"\b" + _MON + r"\s*(?P<d>[0-3]?\d)(?:st|nd|rd|th)?"
                       r"(?!\d),?\s+(?P<y>\d{4})(?!\d)" + _TIME, _I)
# Not after a day number: "30 февраля 2020" is an invalid day, not the month February 2020.
_NAME_MY = re.compile(r"(?<!\d\s)(?<!\d)\b" + _MON + r",?\s+(?P<y>\d{4})(?!\d)" + _YEAR_TAIL, _I)
# Year-less forms: "12 June , 10:39", "June 12"; "city12 June" (glued to a word) is real scraper output.
_PART_DM = re.compile(r"(?<!\d)(?P<d>[0-3]?\d)(?:st|nd|rd|th|º)?\.?\s*(?:of\s+|de\s+)?" + _MON
                      + r"(?!\s*,?\s*(?:del?\s+)?\d{4})"
                      + _TIME, _I)
_PART_MD = re.compile(r"\b" + _MON + r"\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?(?![\d:.])(?!,?\s*\d{4})"
                      + _TIME, _I)
# "13. 1. 2020": day and month with a space after each dot (Czech, Slovak, German); day first always.
_SPACED_DMY = re.compile(r"(?<![\d.])(?P<d>[0-3]?\d)\.\s(?P<m>[01]?\d)\.\s(?P<y>\d{4})(?!\d)" + _TIME, _I)
# "2026 жылғы 20 сәуір", "2026 ж. 20 сәуір": Kazakh writes the year first, with its word.
_KAZAKH_YDM = re.compile(r"(?<!\d)(?P<y>\d{4})\s*(?:жылғы|жылы|ж\.)\s*(?P<d>[0-3]?\d)\s+" + _MON + _TIME, _I)
# "2020年7月1日", "2020년 7월 1일": year, month, day, each with its sign.
_CJK = re.compile(r"(?<!\d)(?P<y>\d{4})\s*[年년]\s*(?P<m>[01]?\d)\s*[月월]\s*(?P<d>[0-3]?\d)\s*[日일]")
# A day, a month's name and a two-digit year, a time after it or not ("27 Mar 20 à 9:21", as date
# fields write it): read only as a whole string (parse_date), since in running text "27 March 20
# people" is no date and the scans never take two digits after a month's name.
_NAME_DMY_SHORT = re.compile(r"(?P<d>[0-3]?\d)\.?\s+" + _MON + r",?\s+(?P<y>\d{2})" + _TIME, _I)
_YEAR_ONLY = re.compile(r"(?P<y>\d{4})" + _YEAR_TAIL)
_HAS_DIGIT = re.compile(r"\d")
_DIGITS = re.compile(r"\d+")
_LINE_FILLER = re.compile(r"[\s,.;:|/()\[\]–—-]+|\b(?:updated|published|posted|date|on|at)\b"
                          # the same words in French, German, Spanish, Portuguese, Italian
                          r"|\b(?:publi[ée]e?|le|veröffentlicht|am|publicado|el|em|pubblicato|il|uhr|hs?|hrs|horas)(?!\w)", _I)


def _month(word: str) -> int | None:
    # (Turkish capitals: "NİSAN".lower() keeps the dot of "İ" as a combining mark)
    return MONTHS.get(word.lower().rstrip(".").replace("\u0307", ""))


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:  # two-digit years: numeric dates, and a whole "27 Mar 20" (_NAME_DMY_SHORT)
        year += 2000 if year < 70 else 1900
    return year


def _build(y: int, m: int, d: int | None, match: re.Match[str] | None, raw: str,
           inferred: bool = False) -> FoundDate | None:
    """Return a FoundDate when y-m-d (and an optional time in `match`) is a real calendar date."""
    if not MIN_YEAR <= y <= MAX_YEAR:
        return None
    try:
        day = dt.date(y, m, d or 1)
    except ValueError:
        return None
    groups = match.groupdict() if match else {}
    if d is None:
        return FoundDate(day, raw, "month", inferred)
    if groups.get("hh") is None:
        return FoundDate(day, raw, "day", inferred)
    hour = int(groups["hh"])
    ampm = (groups.get("ampm") or "").lower()
    if ampm.startswith("p") and hour < 12:
        hour += 12
    elif ampm.startswith("a") and hour == 12:
        hour = 0
    tz = None
    zone = groups.get("tz")
    if zone in _NAMED_ZONES or zone in _ZONES_WITHOUT_OFFSET:
        tz = dt.timezone(dt.timedelta(hours=_NAMED_ZONES[zone])) if zone in _NAMED_ZONES else None
    elif zone:
        tz = dt.timezone.utc if zone[0] not in "+-" else _offset(zone)
    value = dt.datetime(y, m, d, hour, int(groups["mi"]), int(groups.get("ss") or 0), tzinfo=tz)
    return FoundDate(value, raw, "day", inferred)


def _offset(text: str) -> dt.timezone:
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    return dt.timezone(sign * dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


def _numeric(m: re.Match[str], order: str) -> FoundDate | None:
    a, b, c = m.group("a"), m.group("b"), m.group("c")
    raw = m.group(0)
    if len(a) == 4:  # a four-digit first group is a year whatever the source's order
        return _build(int(a), int(b), int(c), m, raw) if len(c) <= 2 else None
    if order == "YMD" and len(a) == 2 and len(c) <= 2 and m.group("sep") != "-":
        # "17/2/7" where the source writes two-digit years first; else read it as the rest are.
        found = _build(_year(a), int(b), int(c), m, raw)
        if found:
            return found
    if len(c) == 1 or len(a) == 3:
        return None
    if len(c) != 4 and m.group("sep") == "-":
        return None  # "12-05-17" is as often a code as a date
    y = _year(c)
    first, second = (int(b), int(a)) if order == "MDY" else (int(a), int(b))  # (day, month)
    found = _build(y, second, first, m, raw)
    # The other reading only when the stated order cannot be a date ("07/26/2024" under DMY).
    return found or _build(y, first, second, m, raw)


def _windows(text: str) -> list[tuple[int, int]]:
    """Return merged spans around digit runs: every date form has digits, most text has few."""
    spans: list[tuple[int, int]] = []
    for m in _DIGITS.finditer(text):
        start, end = max(0, m.start() - 16), min(len(text), m.end() + 24)
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    return spans


def _scan(text: str, order: str) -> list[tuple[int, int, FoundDate]]:
    return list(_scan_cached(text, order))


@lru_cache(maxsize=8192)
def _scan_cached(text: str, order: str) -> tuple[tuple[int, int, FoundDate], ...]:
    # Splitting, cleaning and extraction each ask about the same header lines: a dump's line was
    # scanned five times on average. FoundDate is frozen, so the hits can be shared.
    hits: list[tuple[int, int, FoundDate]] = []
    for start, end in _windows(text):
        hits.extend(_scan_window(text, start, end, order))
    return tuple(_non_overlapping(hits))


def _scan_window(text: str, pos: int, endpos: int, order: str) -> list[tuple[int, int, FoundDate]]:
    hits: list[tuple[int, int, FoundDate]] = []
    for m in _ISO.finditer(text, pos, endpos):
        f = _build(int(m["y"]), int(m["m"]), int(m["d"]), m, m.group(0))
        if f:
            hits.append((m.start(), m.end(), f))
    for pattern in (_SPACED_DMY, _CJK):
        for m in pattern.finditer(text, pos, endpos):
            f = _build(int(m["y"]), int(m["m"]), int(m["d"]), m, m.group(0).strip())
            if f:
                hits.append((m.start(), m.end(), f))
    for pattern in (_NAME_DMY, _NAME_MDY, _KAZAKH_YDM):
        for m in pattern.finditer(text, pos, endpos):
            mon = _month(m["mon"])
            f = _build(int(m["y"]), mon, int(m["d"]), m, m.group(0).strip()) if mon else None
            if f:
                hits.append(_with_weekday(text, m.start(), m.end(), f))
    for m in _NUMERIC.finditer(text, pos, endpos):
        f = _numeric(m, order)
        if f:
            hits.append((m.start(), m.end(), f))
    for m in _NAME_MY.finditer(text, pos, endpos):
        mon = _month(m["mon"])
        f = _build(int(m["y"]), mon, None, None, m.group(0).strip()) if mon else None
        if f:
            hits.append((m.start(), m.end(), f))
    return hits


def _with_weekday(text: str, start: int, end: int, found: FoundDate) -> tuple[int, int, FoundDate]:
    """Widen a hit over a weekday name just before it ("Sunday, September 26th, 2021")."""
    w = _WEEKDAY_BEFORE.search(text, max(0, start - 14), start)
    if not w:
        return start, end, found
    return w.start(), end, FoundDate(found.value, text[w.start():end].strip(), found.precision, found.inferred)


def _non_overlapping(hits: list[tuple[int, int, FoundDate]]) -> list[tuple[int, int, FoundDate]]:
    # Longest match wins where two forms overlap ("Sunday, September 26th, 2021" over "September 26th").
    hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
    out: list[tuple[int, int, FoundDate]] = []
    for hit in hits:
        if out and hit[0] < out[-1][1]:
            if hit[1] - hit[0] > out[-1][1] - out[-1][0]:
                out[-1] = hit
            continue
        out.append(hit)
    return out


def find_dates(text: str, *, order: str = "DMY") -> list[tuple[int, int, FoundDate]]:
    """Return (start, end, FoundDate) for every complete date (with a year) in `text`, in order."""
    if not text or not _HAS_DIGIT.search(text):
        return []
    return _scan(text, order)


_DAY_MONTH = re.compile(r"(?<![\d.])(\d{1,2})([./])(\d{1,2})\2(?:\d{4}|\d{2})(?![\d.])")


def evident_order(texts: Iterable[str], default: str) -> str:
    """Return the order the texts' own numeric dates show, else `default`.

    "10/11/2022" is 10 November under DMY and 11 October under MDY; a file that also writes
    "10/25/22" (no 25th month) writes month first, one that writes "25.10.2022" day first. Only
    one-sided evidence counts: a file showing both keeps `default` (the source's, DMY unless
    source.toml says otherwise). (A US time zone after the clock is no evidence: a British page
    quoting "11.02.23, 11:52 EST" writes day first.)
    """
    day_first = month_first = False
    for text in texts:
        if not text or not _HAS_DIGIT.search(text):
            continue
        for a, _, b in _DAY_MONTH.findall(text):
            day_first |= int(a) > 12 and int(b) <= 12
            month_first |= int(b) > 12 and int(a) <= 12
        if day_first and month_first:
            return default
    if day_first != month_first and default != "YMD":
        return "DMY" if day_first else "MDY"
    return default


def split_partial(raw: str) -> tuple[int, int, int | None] | None:
    """Return (day, month, year or None) for the first day-and-month in `raw`, even without a year."""
    if not raw or not _HAS_DIGIT.search(raw):
        return None
    found = find_dates(raw)
    if found:
        value = found[0][2].value
        return (value.day, value.month, value.year) if found[0][2].precision == "day" else None
    m = _partial(raw)
    return (int(m["d"]), _month(m["mon"]) or 0, None) if m else None


def _partial(text: str) -> re.Match[str] | None:
    """Return the first day-and-month match without a year whose word is a month name."""
    for pattern in (_PART_DM, _PART_MD):
        for m in pattern.finditer(text):
            if _month(m["mon"]) and 1 <= int(m["d"]) <= 31:
                return m
    return None


@lru_cache(maxsize=8192)   # the same header lines are asked about by splitting, cleaning and extraction
def parse_date(raw: str, *, order: str = "DMY", reference_year: int | None = None) -> FoundDate | None:
    """Parse a string that is a date; return None when it is not one (or has no year and no reference)."""
    text = (raw or "").strip()
    if not text or not _HAS_DIGIT.search(text) or len(text) > 120:
        return None
    year_only = _YEAR_ONLY.fullmatch(text)
    if year_only:
        y = int(year_only["y"])
        return FoundDate(dt.date(y, 1, 1), text, "year") if MIN_YEAR <= y <= MAX_YEAR else None
    hits = _scan(text, order)
    if hits:
        return hits[0][2]
    try:  # RFC 2822 forms the regexes do not cover ("Tue, 15 Nov 94 08:12:31 GMT")
        value = parsedate_to_datetime(text)
        if MIN_YEAR <= value.year <= MAX_YEAR:
            return FoundDate(value, text, "day")
    except (TypeError, ValueError, IndexError):
        pass
    short = _NAME_DMY_SHORT.fullmatch(text)
    if short and (month := _month(short["mon"])):
        return _build(_year(short["y"]), month, int(short["d"]), short, text)
    if reference_year is None:
        return None
    m = _partial(text)
    return _build(reference_year, _month(m["mon"]) or 0, int(m["d"]), m, text, inferred=True) if m else None


def day_of(raw: str, *, order: str = "DMY") -> dt.date | str:
    """Return the day `raw` states (its text itself when it states none), to tell two date texts' days apart."""
    found = parse_date(raw, order=order)
    if found is None:
        return raw
    return found.value.date() if isinstance(found.value, dt.datetime) else found.value


@lru_cache(maxsize=8192)
def is_date_line(line: str, *, order: str = "DMY", reference_year: int | None = None) -> FoundDate | None:
    """Return the date when `line` is essentially just a date (a page header), perhaps with a time."""
    text = line.strip()
    if not text or len(text) > 80 or not _HAS_DIGIT.search(text):
        return None
    hits = find_dates(text, order=order)
    if len(hits) > 1:
        return None
    if hits:
        start, end, found = hits[0]
        rest = text[:start] + " " + text[end:]
    else:
        found = parse_date(text, order=order, reference_year=reference_year)
        if found is None:
            return None
        # A year-less date must fill the line too: "SANTA CRUZ, Calif., Feb 26 - Shr 34 cts" is not one.
        part = _PART_DM.search(text) or _PART_MD.search(text)
        rest = text[: part.start()] + " " + text[part.end():] if part else ""
    rest = _TIME_ONLY.sub(" ", rest)
    return found if not _LINE_FILLER.sub("", rest) else None


_TIME_ONLY = re.compile(r"\b(?:[01]?\d|2[0-3])[:h][0-5]\d(?::[0-5]\d)?\s*(?:[ap]\.?m\.?)?|\d{1,2}[時시]\s*\d{1,2}[分분]", _I)


# A date in a URL's path: "/2018/12/14/", "/2017-02-07-", "/20190810/" (lenta.ru, cnn.com, ria.ru).
_URL_DATE = re.compile(r"/((?:19|20)\d\d)([/-])(0?[1-9]|1[0-2])\2(0?[1-9]|[12]\d|3[01])(?=[/_.-]|$)"
                       r"|/((?:19|20)\d\d)(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?=[/_-]|$)")


def url_date(url: str | None) -> str | None:
    """Return the day a URL's path states ("https://lenta.ru/news/2018/12/14/cancer/" -> "2018-12-14"), or None.

    Outlets put the publication day in their article URLs; an export that has no date column
    (Lenta.ru's) still states it there. On news-articles-2017's 664 URLs with a day in them, it is
    the export's own date or the day before or after in 94.6% (bench/url_dates.py).
    """
    if not url:
        return None
    m = _URL_DATE.search(url.split("?", 1)[0].split("#", 1)[0])
    if m is None:
        return None
    y, mo, d = (m.group(1), m.group(3), m.group(4)) if m.group(1) else (m.group(5), m.group(6), m.group(7))
    try:
        return dt.date(int(y), int(mo), int(d)).isoformat()
    except ValueError:   # "/2019/02/30/"
        return None
