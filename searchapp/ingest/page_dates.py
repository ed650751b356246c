"""The date a text dump states away from its headline: a date line the cleaning did not keep.

A scraper's dump puts the page's date wherever the page's layout had it: under the headline,
above it beside the section label, at the foot of the article ("Published on ...") or in a
sidebar. The extractor reads the date lines of the article's header; when that header states
none, the date line nearest to the article is the article's date far more often than not, and
a date the page states must not vanish without a word. Teasers of other stories carry dates
too, so the nearest line wins, a "published" cue beats distance, and "updated" lines count
only when nothing else states a date.
"""
from __future__ import annotations

import re

from searchapp.ingest import dates

# Words a date line may carry besides its date: cues, weekdays, time zones, "by" and a name.
_CUE = re.compile(r"\b(?:published|posted|date|created|опубликовано|дата(?:\s+публикации)?|публикация)\b", re.I)
_UPDATED = re.compile(r"\b(?:updated|last\s+updated|modified|edited|обновлено|изменено|обновлен)\b", re.I)
# A time of day beside a date: "10:46 PM", "14.20".
TIME_OF_DAY = r"\b(?:[01]?\d|2[0-3])[:.][0-5]\d(?::[0-5]\d)?\s*(?:[ap]\.?m\.?)?"
_FILLER = re.compile(
    r"[\s,.;:|/()\[\]–—\-•·]+|\b(?:on|at|am|pm|a\.m|p\.m|utc|gmt|msk|almt|est|edt|cst|cdt|mst|mdt|pst|pdt|ist|cet|cest"
    r"|bst|eet|eest|[+-]\d{2}:?\d{2}"
    r"|mon|tue|wed|thu|fri|sat|sun|monday|tuesday|wednesday|thursday|friday|saturday|sunday"
    r"|понедельник|вторник|среда|четверг|пятница|суббота|воскресенье|в|г)\b"
    r"|" + TIME_OF_DAY, re.I)
_MAX_REST_WORDS = 3
# Farther than this from the article, a date line belongs to the page's other stories or its footer.
MAX_DISTANCE = 40


def dated_line(line: str, order: str = "DMY") -> tuple[str, bool, bool] | None:
    """Return (date text, has a published cue, is an update) when `line` is a date line, else None.

    A date line is short and holds one complete date; besides it only cue words, a time, a
    weekday, a time zone or a few words (a byline's name) may stand on it.
    """
    text = line.strip()
    if not text or len(text) > 100:
        return None
    hits = dates.find_dates(text, order=order)
    if len(hits) != 1:
        return None
    start, end, found = hits[0]
    if found.precision != "day":
        return None   # "Oktober 2012" away from the header is an archive widget's month more often than a date
    rest = _FILLER.sub(" ", _UPDATED.sub(" ", _CUE.sub(" ", text[:start] + " " + text[end:])))
    if len(rest.split()) > _MAX_REST_WORDS or text.rstrip().endswith(("?", "!")):
        return None
    return text[start:end], bool(_CUE.search(text)), bool(_UPDATED.search(text[:start]))


def nearest_date_line(lines: list[str], first: int, last: int, *, order: str = "DMY") -> tuple[str, int] | None:
    """Return (date text, signed distance in lines) of the date line that best dates lines[first..last].

    The distance is negative above the article, 0 inside it, positive below it.
    """
    best: tuple[tuple[int, int, int], str, int] | None = None
    for i, line in enumerate(lines):
        found = dated_line(line, order)
        if found is None:
            continue
        raw, cue, update = found
        signed = i - first if i < first else (i - last if i > last else 0)
        if abs(signed) > MAX_DISTANCE:
            continue
        # An update is the page's date only when nothing else is; a "published" cue beats distance.
        key = (update, 0 if cue else 1, abs(signed))
        if best is None or key < best[0]:
            best = (key, raw, signed)
    return (best[1], best[2]) if best else None
