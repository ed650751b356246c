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
from collections.abc import Iterable

from searchapp.ingest import byline_cues, dates

# Words a date line may carry besides its date: cues, weekdays, time zones, "by" and a name.
_CUE = re.compile(r"\b(?:published|posted|date|created|опубликовано|дата(?:\s+публикации)?|публикация"
                  r"|publi[ée]e?|veröffentlicht|publicad[oa]|pubblicat[oa]|erschienen)(?!\w)", re.I)
# Words that mark a date as an update, not the first publication (extract.py reads them too).
UPDATE_CUES = (r"updated|last\s+updated|modified|(?:last\s+)?edited|обновлено|изменено|обновлен"
               r"|mis\s+à\s+jour|modifi[ée]e?|aktualisiert|ge[äa]ndert|actualizad[oa]|atualizad[oa]"
               r"|aggiornat[oa]|ultimo\s+aggiornamento|ultima\s+modifica")
_UPDATED = re.compile(rf"\b(?:{UPDATE_CUES})(?!\w)", re.I)
# A time of day beside a date: "10:46 PM", "14.20".
TIME_OF_DAY = r"\b(?:[01]?\d|2[0-3])[:.h][0-5]\d(?::[0-5]\d)?\s*(?:[ap]\.?m\.?)?"
_FILLER = re.compile(
    r"[\s,.;:|/()\[\]–—\-•·]+|\b(?:on|at|am|pm|a\.m|p\.m|utc|gmt|msk|almt|est|edt|cst|cdt|mst|mdt|pst|pdt|ist|cet|cest"
    r"|bst|eet|eest|[+-]\d{2}:?\d{2}"
    r"|mon|tue|wed|thu|fri|sat|sun|monday|tuesday|wednesday|thursday|friday|saturday|sunday"
    r"|понедельник|вторник|среда|четверг|пятница|суббота|воскресенье|в|г"
    # weekdays and the words around a date and its time in German, French, Spanish, Portuguese, Italian
    r"|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|am|um|uhr|den|vom"
    r"|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|le|à"
    r"|lunes|martes|mi[ée]rcoles|jueves|viernes|s[áa]bado|domingo|el|de|del|a\s+las|hs?|hrs|horas"
    r"|segunda|ter[çc]a|quarta|quinta|sexta|feira|em|às"
    r"|luned[ìi]|marted[ìi]|mercoled[ìi]|gioved[ìi]|venerd[ìi]|sabato|domenica|il|alle|ore)(?!\w)"
    r"|" + TIME_OF_DAY, re.I)
_MAX_REST_WORDS = 3
# Dates that label something other than the page's story: a forum member's join date, a book's or
# an event's date, a printout's ("Ausdruck vom"), a birth date, an offer's end.
_OTHER_FIELD = re.compile(
    r"\b(?:joined|member\s+since|registered|release\s+date|released|event\s+date|date\s+of\s+birth|born"
    r"|expires?|valid\s+(?:until|through)|deadline|printed(?:\s+on)?"
    r"|erscheinungsdatum|erscheinungstermin|termin|geboren|gültig\s+bis|ausdruck\s+vom|gedruckt\s+am|mitglied\s+seit"
    r"|membre\s+depuis|inscrit|miembro\s+desde|зарегистрирован\w*|дата\s+регистрации|на\s+сайте\s+с)(?!\w)",
    re.I)
# A cue alone at the end of the line above the date: "Published:" / date, "| UPDATED:" / date,
# "Pubblicato il" / date, "page revision: 8, last edited:" / date.
_CUE_LABEL = re.compile(r"(?:(?P<cue>" + _CUE.pattern + r")|(?P<upd>" + _UPDATED.pattern + r"))"
                        r"(?:\s+(?:on|at|am|vom|le|el|em|il|de))?\s*:?\s*$", re.I)
# A date field: a publish or update cue as the line's label, then what it states ("Published: ...",
# "Опубликовано: ...", "Veröffentlicht am ..."). Never a headline, and what it states is a date.
DATE_FIELD = re.compile(r"^\W*(?:" + _CUE.pattern + r"|" + _UPDATED.pattern + r")"
                        r"(?:\s*:|\s+(?:on|at|am|vom|le|el|em|il)\b)\s*(?P<stated>\S.{0,59})$", re.I)
_CLOCK = re.compile(TIME_OF_DAY, re.I)
_FIELD_REACH = (3, 15)   # lines above and below the headline a date field of the article is looked for


def date_field(lines: list[str], at: int | None, *, order: str = "DMY") -> str | None:
    """Return what a date field near the headline (line `at`; None: the page's top) states when
    the date lines' scan finds no date in it, else None.

    "Published: 31 Smarch 2023" states the article's date; a reader that cannot read it must say
    so (a warning on the file's report line) rather than leave the date quietly unknown. And
    "Publié le 27 Mar 20 à 9:21", which only parse_date reads (as a whole string), is the date.
    """
    lo, hi = (0, _FIELD_REACH[1]) if at is None else (max(0, at - _FIELD_REACH[0]), at + _FIELD_REACH[1] + 1)
    for line in lines[lo:hi]:
        m = DATE_FIELD.match(line.strip()) if len(line) <= 100 else None
        if m is None or not any(c.isdigit() for c in _CLOCK.sub(" ", m.group("stated"))):
            continue    # (a field with no number but a time in it is no date: "Posted in: Politics", "Posted at 10:30")
        if not dates.find_dates(line, order=order):
            return m.group("stated")
    return None


# An embedded post's attribution over its date: "— Name (@handle)", "A post shared by Name (@handle)".
_EMBED = re.compile(r"(?:^|\s)[—–]\s*[^—–\n]{1,80}\(@\w{1,30}\)|\b(?:a\s+post\s+shared\s+by|ein\s+beitrag\s+geteilt\s+von"
                    r"|une\s+publication\s+partagée\s+par|una\s+publicación\s+compartida\s+por"
                    r"|uma\s+publicação\s+partilhada\s+por|публикация\s+от)\b", re.I)
# A line going on with the sentence of the one above it: a link cut the sentence there.
_GOES_ON = re.compile(r"^\s*[.;]\s*\w")
# Words that may open a date line in lower case: cues, "by" and its translations, "on", "am", "le".
_LOWER_OK = re.compile(rf"^(?:{byline_cues.FOREIGN}|by|on|at|am|um|vom|le|el|em|il|de|del|du|в|от|posted|published"
                       r"|updated|last|publi[ée]e?|veröffentlicht|publicad[oa]|pubblicat[oa]|aktualisiert"
                       r"|actualizad[oa]|atualizad[oa]|aggiornat[oa]|mis|modifi[ée]e?|опубликовано|обновлено)$", re.I)
# Farther than this from the article, a date line belongs to the page's other stories or its footer.
MAX_DISTANCE = 40
# Three date lines or more, each at most four lines below the last, are a list of teasers' or
# comments' dates ("Heading" / date / "Heading" / date); an article states its date once or twice
# ("Published:" date / "Updated:" date).
LIST_RUN, LIST_GAP = 3, 4


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
    before = text[:start].strip(" ,|–—-·•([")
    first = before.split()[0].strip(".,:;") if before else ""
    if (first[:1].islower() and not _LOWER_OK.match(first)) or _GOES_ON.match(text) or _OTHER_FIELD.search(before):
        # "ab dem 27. April 2020", "findet am Freitag, 8. Juni 2012": a piece of a sentence a link
        # cut out; "Joined May 11, 2017", "Termin: 21.02.2020": another thing's date.
        return None
    rest = _FILLER.sub(" ", _UPDATED.sub(" ", _CUE.sub(" ", text[:start] + " " + text[end:])))
    if len(rest.split()) > _MAX_REST_WORDS or text.rstrip().endswith(("?", "!")):
        return None
    return text[start:end], bool(_CUE.search(text)), bool(_UPDATED.search(text[:start]))


def not_the_articles(lines: list[str], i: int) -> str | None:
    """Return why the date on `lines[i]` cannot be the article's, from the lines around it; else None.

    An embedded post's attribution one or two lines above ("— Name (@handle)" / date), a label of
    another thing's date on the line above ("Erscheinungsdatum:" / date, "Joined" / date), or a
    next line going on with the sentence (date / ". The institute counts...").
    """
    if any(len(lines[k]) <= 200 and _EMBED.search(lines[k]) for k in range(max(0, i - 2), i + 1)):
        return "date of an embedded post"
    if i > 0 and len(lines[i - 1]) <= 40 and _OTHER_FIELD.search(lines[i - 1]):
        return "date of another thing"
    if i + 1 < len(lines) and _GOES_ON.match(lines[i + 1]):
        return "date inside a sentence"
    return None


def label_above(lines: list[str], i: int) -> tuple[bool, bool]:
    """Return (a published cue, an update cue) ending the line above `lines[i]` ("Published:", "| UPDATED:")."""
    if i == 0 or len(lines[i - 1]) > 60:
        return False, False
    m = _CUE_LABEL.search(lines[i - 1])
    return (bool(m and m["cue"]), bool(m and m["upd"])) if m else (False, False)


# A piece of a date that a page's layout put on a line of its own: "Dec" / "21" / "st" / "," / "2018".
_DATE_PIECE = re.compile(r"^(?:[0-3]?\d\.?|st|nd|rd|th|[,.]|\d{4}|[^\W\d_]{3,10}\.?(?:\s+\d{4})?|" + TIME_OF_DAY[2:] + r")$", re.I)
_MAX_PIECES = 5


def _is_piece(line: str) -> bool:
    m = _DATE_PIECE.match(line.strip())
    word = m and m.group(0).split()[0].rstrip(".")
    return bool(m) and (not word.isalpha() or word.lower() in dates.MONTHS or word.lower() in {"st", "nd", "rd", "th"})


def _split_date(lines: list[str], i: int, order: str) -> tuple[str, bool, bool] | None:
    """Return the date line that `lines[i]` and the few short lines under it make when joined ("8." / "Dezember 2010")."""
    if not _is_piece(lines[i]) or (i > 0 and _is_piece(lines[i - 1]) and not dates.find_dates(lines[i - 1])):
        return None   # (a join starts at the first piece only)
    joined = lines[i].strip()
    for k in range(i + 1, min(len(lines), i + _MAX_PIECES)):
        piece = lines[k].strip()
        if not _is_piece(piece):
            return None
        joined += piece if piece in {",", ".", "st", "nd", "rd", "th"} else " " + piece
        found = dated_line(joined, order)
        if found is not None:
            return found
    return None


def foot_date(body: list[str], order: str = "DMY") -> tuple[str, bool] | None:
    """Return (date text, is an update) when the last line of `body` is the article's closing date line.

    The line's neighbours judge it as they judge any date line: not an embedded post's or another
    thing's date, not the last of a list of dated teasers, an update when the line above says so.
    """
    at = len(body) - 1
    found = dated_line(body[at], order) if body else None
    if found is None or not_the_articles(body, at):
        return None
    cue_above, update_above = label_above(body, at)
    if not (found[1] or found[2] or cue_above or update_above) and any(
            (f := dated_line(body[i], order)) and not any(label_above(body, i))
            and dates.day_of(f[0], order=order) != dates.day_of(found[0], order=order)
            for i in range(max(0, at - LIST_GAP), at)):
        return None   # the last of a list of dated teasers ("Heading" / date / "Heading" / date) under the article
    return found[0], found[2] or update_above


def _listed(at: list[tuple[int, str]], order: str) -> set[int]:
    """Return the date lines in a list of dated items.

    A list is a run of LIST_RUN date lines or more, each within LIST_GAP lines of the next, stating
    more than one day (a page repeating its own "Posted:" / "Updated:" block states one).
    """
    out: set[int] = set()
    run: list[tuple[int, str]] = []
    for i, raw in at + [(10 ** 9, "")]:
        if run and i - run[-1][0] > LIST_GAP:
            days = {dates.day_of(r, order=order) for _, r in run}
            if len(run) >= LIST_RUN and len(days) > 1:
                out.update(k for k, _ in run)
            run = []
        run.append((i, raw))
    return out


def _date_lines(lines: list[str], at: Iterable[int], order: str) -> list[tuple[int, tuple[str, bool, bool]]]:
    """Return (index, dated_line) of the date lines among lines[i] for i in `at` (one split over lines too)."""
    found_at = [(i, dated_line(lines[i], order) or _split_date(lines, i, order)) for i in at]
    return [(i, found) for i, found in found_at if found is not None and not not_the_articles(lines, i)]


def _unlabelled(lines: list[str], i: int, found: tuple[str, bool, bool]) -> bool:
    # (a labelled date line, "Published:" / date, "Updated: date", is the page's own, in no list)
    return not (found[1] or found[2] or any(label_above(lines, i)))


def nearest_date_line(lines: list[str], first: int, last: int, *, order: str = "DMY") -> tuple[str, int] | None:
    """Return (date text, signed distance in lines) of the date line that best dates lines[first..last].

    The distance is negative above the article, 0 inside it, positive below it.
    """
    best: tuple[tuple[int, int, int], str, int] | None = None
    # Only a date line within MAX_DISTANCE of the article can date it: the lines farther out are
    # read only as far as a list of dated items (_listed) holding one of those goes on, that is
    # while an unlabelled date line comes within LIST_GAP of the last one found.
    lo, hi = max(0, first - MAX_DISTANCE), min(len(lines), last + MAX_DISTANCE + 1)
    found_at = _date_lines(lines, range(lo, hi), order)
    listable = [i for i, found in found_at if _unlabelled(lines, i, found)]
    above: list[tuple[int, tuple[str, bool, bool]]] = []
    below: list[tuple[int, tuple[str, bool, bool]]] = []
    if listable:
        edge, k = listable[0], lo - 1
        while k >= 0 and k >= edge - LIST_GAP:
            for i, found in _date_lines(lines, (k,), order):
                above.append((i, found))
                edge = i if _unlabelled(lines, i, found) else edge
            k -= 1
        edge, k = listable[-1], hi
        while k < len(lines) and k <= edge + LIST_GAP:
            for i, found in _date_lines(lines, (k,), order):
                below.append((i, found))
                edge = i if _unlabelled(lines, i, found) else edge
            k += 1
    found_at = above[::-1] + found_at + below
    listed = _listed([(i, found[0]) for i, found in found_at if _unlabelled(lines, i, found)], order)
    for i, found in found_at:
        if i in listed:
            continue
        raw, cue, update = found
        cue_above, update_above = label_above(lines, i)
        cue, update = (cue or cue_above) and not update_above, update or update_above
        signed = i - first if i < first else (i - last if i > last else 0)
        if abs(signed) > MAX_DISTANCE:
            continue
        # An update is the page's date only when nothing else is; a "published" cue beats distance.
        key = (update, 0 if cue else 1, abs(signed))
        if best is None or key < best[0]:
            best = (key, raw, signed)
    return (best[1], best[2]) if best else None
