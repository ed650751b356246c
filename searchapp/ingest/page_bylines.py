"""The author a text dump names between its headline and its article.

A scraper's dump keeps the byline as its own line, most often between the headline and the
first paragraph: "By Jane Roe", "von Olga", "Автор: Иван Петров", or the bare name the page
linked to its author page ("Rob Picheta"). The line model drops such lines as chrome (they are
not the article's text), so the extractor never sees them; this reads them from the dump itself.
A bare name counts only in that narrow header and only when it reads as a person's name: two to
four capitalised words, no place, no menu or section word.

A byline of several people names them all, in its order, joined by ", " as a feed's or a
record's author field is read (feed_authors.py): "By Anna Smith and John Doe", "Von Anna Schmidt
und Jan Müller", "By" / "Dana Ford" / "," / "Tom Watkins". A co-author is a person's name of two
words at least: an agency, an outlet or a role after the names ("By Anna Smith and John Doe,
Reuters", "Jane Roe, Associated Press", ", Staff Writer") is no co-author, as a feed's field
keeps only the people when it names any.
"""
from __future__ import annotations

import re

from searchapp import gazetteer
from searchapp.ingest import byline_cues, dates, page_dates
from searchapp.ingest.headline import CREDIT_END, SITE_WORDS

_CUE = re.compile(rf"^\W*(?:{byline_cues.WRITTEN_BY}|by|{byline_cues.FOREIGN}|автор(?:ы)?|текст)\s*[:：]?\s+",
                  re.I)
# (Spanish "y" and Italian or Portuguese "e" only before a name of two capitalised words: "José Ortega
# y Gasset" is one name; "Isabel Caro y José Miguel Wilson" two. "For" ends the names: "Glen Owen For
# The Mail On Sunday".)
_NAME_AHEAD = r"(?=\s+[A-ZÁÉÍÓÚÑÀÈÌÒÙÇ][\w'’-]*\s+[A-ZÁÉÍÓÚÑÀÈÌÒÙÇ])"
_SEPARATOR = re.compile(r"(\s*(?:[|•·,;/–—&]|\s-\s|\b(?:und|and|And|AND|и|et)\b|\b[ye]\b" + _NAME_AHEAD
                        + r"|\b(?:for|For|FOR)\b)\s*)")
# A separator that joins two names of one byline (not "|", "/" or "for", which part a name from a
# date, a section or an outlet).
_JOINS = re.compile(r"[,;&]|\b(?:und|and|и|et|y|e)\b", re.I)
# An agency or outlet, or a role, beside a byline's names: no co-author ("Jane Roe, Associated Press",
# "Tom Roe, Agence France-Presse", "Ann Poe, Chief Political Correspondent").
_AGENCY = re.compile(r"\b(?:associated\s+press|agence\s+france|france[\s-]presse|reuters|bloomberg|xinhua|"
                     r"interfax|интерфакс|ria\s+novosti|риа\s+новости|тасс|tass)\b", re.I)
# Words of an organisation's name: "Wikimedia Foundation", "Instituto Lula", "Pew Research Center".
_ORGANISATION = frozenset("""foundation institute institution university college school academy association society
    council company group corporation inc ltd llc gmbh center centre department ministry bureau committee commission
    organisation organization network project team instituto fundación fundação universidad universität stiftung
    verein verband institut""".split())
_TIME = re.compile(page_dates.TIME_OF_DAY, re.I)
# Lower-case words a name may hold ("Ursula von der Leyen", "Verónica De Vita").
_PARTICLES = frozenset("von van der den de da del della di du la le bin ibn al el zu ter ten dos das y".split())
# Words of menus, sections and buttons that look like names when capitalised ("Latest News", "Sign In").
_NOT_NAME = frozenset("""
    news stories story home login log sign in up out more read share contact contacts us about menu search subscribe
    video videos photo photos gallery top latest popular trending newsletter comments comment privacy policy terms help
    sport sports politics economy business world opinion culture weather tech technology science health lifestyle
    travel entertainment media live breaking editor editors team staff redaktion newsroom desk press release home page
    follow like tweet email print archive archives tags tag topics category categories related recommended advertisement
    cookie cookies settings account register open close next previous back weiterlesen startseite nachrichten politik
    show hide load learn contacting information informationen weitere mehr hinweis links externe form table points
    content creator relacionados temas relacionadas noticia más ver artículos articles article posts post
    link links kopieren copy keine kommentare alle artikel
    wirtschaft kultur panorama accueil actualités noticias inicio главная новости политика экономика общество спорт
    культура мир происшествия фото видео все
    time duration remaining current autor autorin autoren author authors""".split())   # (a video player's labels: "Current Time" / "0:00" / "Duration")
# Articles, pronouns and determiners: "Meine Homepage", "Our Team", "Ein Artikel von" are no names.
_FUNCTION_WORDS = frozenset(
    "the a an my our your their his her its this that all ein eine einer mein meine unser unsere ihr ihre dein "
    "der die das le les un une mon ma mes notre nos el los las un una mi mis nuestro il lo gli uno mio мой наш ваш этот "
    "все aus mit für über zu bei nach vom zum im am viel".split())
# A byline cue closing its line ("Ein Artikel von", "By"): the name stands on the next line.
_CUE_AT_END = re.compile(rf"(?:^|\s)(?:{byline_cues.WRITTEN_BY}|by|{byline_cues.FOREIGN}|автор|текст)\s*:?\s*$", re.I)
_MAX_HEADER_LINES = 16
_DATE_NEAR = 3   # a bare name counts only with a date line this close: a byline states both
# Relative times a byline states instead of a date ("1 day ago", "8h", "vor 2 Stunden", "hace 4 minutos",
# "5 min read"), and a clock time alone ("1:39 PM ET").
_RELATIVE = re.compile(r"(?:^|\s)(?:\d{1,2}\s*(?:h|hrs?|hours?|mins?|minutes?|days?)\s+ago|\d{1,2}\s*(?:h|min)"
                       r"|(?:vor|hace|il\s+y\s+a|před)\s+\d{1,2}\s+\w+|\d{1,2}\s+min(?:ute)?s?\s+read"
                       r"|(?:[01]?\d|2[0-3])[:.][0-5]\d\s*(?:[ap]\.?m\.?)?(?:\s+[A-Z]{2,4})?)\s*$", re.I)
# A photo credit's cue alone on the line above a name ("Bild:" / "Mikita Yo"): the photographer, not the author.
_PHOTO_CUE = re.compile(r"^\W*(?:foto|fotos|photo|photos|photograph|bild|image|credit|фото)\s*[:：]?\s*$", re.I)
# A social handle after the name ("Williams Perdomo @wperdomod"): the page's link, not the name.
_HANDLE = re.compile(r"(?:^|\s)@\w{2,30}\s*$")
# What may follow a date that opens a byline line ("06.11.2023 13:30 Uhr | von Olga").
_AFTER_DATE = re.compile(r"(?:\s*uhr\b)?[\s,|–—-]*", re.I)
_JOINER = frozenset(", ; and & und et y и".split())
_UNDER_LEAD = 2   # lines past the article's first paragraph a "By ..." line may still be its byline
_CUE_REACH = 40   # lines past the article's first paragraph a lone cue and its name are looked for
_ABOVE = 4   # a lone cue and its name may stand this close above the headline ("von" / name / headline)


def person_name(line: str, *, cue_required: bool = False) -> str | None:
    """Return the person's name a byline line states ("By Jane Roe | 3 May 2021" -> "Jane Roe"), else None."""
    text = _HANDLE.sub("", line).strip()
    if not text or len(text) > 120:
        return None
    m = _CUE.match(text)
    if m is None and (rest := _after_leading_date(text)) is not None and _CUE.match(rest):
        text = rest     # "06.11.2023 13:30 von Olga": the date first, then the byline
        m = _CUE.match(text)
    if m is None and cue_required:
        return None
    rest = text[m.end():] if m else text
    found = dates.find_dates(rest)
    if m is None and found and rest[: found[0][0]].rstrip().endswith((":", "：")):
        return None   # "Son Güncelleme : 30.04.2024 - 16:49": a field's label before its date, no name
    if m is not None and found:
        # "by Jane Roe, 3 May 2021": the name stands before the date; "by May 24, 2018 Market" is
        # a WordPress line of date and category with no name at all.
        rest = rest[: found[0][0]]
    for start, end, _ in reversed(found if m is None else []):
        rest = rest[:start] + " | " + rest[end:]
    rest = _TIME.sub(" | ", rest)
    pieces = _SEPARATOR.split(rest)   # parts at even places, the separators between them at odd ones
    parts = [p.strip(" .:-–—") for p in pieces[::2]]
    read = [bool(p) and any(c.isalpha() for c in p) and _reads_as_name(p, single_ok=m is not None) for p in parts]
    if not any(read) or (m is None and not all(ok for p, ok in zip(parts, read) if p)):
        return None   # a bare line must be a name and nothing else
    if m is None:
        # (its first name, then every co-author: "Ann Poe, Tom Roe, USA TODAY" names two)
        named = [p for p in parts if p]
        return ", ".join(dict.fromkeys([named[0], *(p for p in named[1:] if co_author(p))]))
    # After a cue: the first name, and the co-authors joined to it ("and", ",") until anything else.
    first = read.index(True)
    names = [parts[first]]
    for k in range(first + 1, len(parts)):
        if not parts[k] and k + 1 < len(parts) and _JOINS.search(pieces[2 * k - 1]) \
                and _JOINS.search(pieces[2 * k + 1]):
            continue   # (two joiners in a row: "A, B, and C"; "Ann Poe | , Tom Roe" joins no pair)
        if not (parts[k] and _JOINS.search(pieces[2 * k - 1]) and co_author(parts[k])):
            break
        if pieces[2 * k - 1].strip() in (",", ";") and gazetteer.canonical_place(parts[k].split()[0]):
            break   # (after a bare comma, a place the gazetteer knows by its first word: "Diêgo Holanda, Porto Velho")
        names.append(parts[k])
    return ", ".join(dict.fromkeys(names))


def names_of(value: str) -> str:
    """Return the names an author field or a byline's remainder states, joined by ", ", when it names
    several ("Anna Smith and John Doe, Reuters" -> "Anna Smith, John Doe"), else `value` as it is."""
    several = person_name("by " + value, cue_required=True)
    return several if several and ", " in several else value


def co_author(text: str) -> bool:
    """Tell a co-author's name beside a byline's first: a person's name of two words at least, no
    agency, outlet or role ("Associated Press", "USA TODAY", "Staff Writer", "Chief Correspondent")."""
    return _reads_as_name(text, single_ok=False) and not SITE_WORDS.search(text) and not _AGENCY.search(text) \
        and not any(_role_or_organisation(w.lower().strip(".")) for w in text.split())


def _role_or_organisation(word: str) -> bool:
    # (the roles an author field names, plural too: "Staff Writers")
    return word.rstrip("s") in byline_cues.ROLE or word == "staff" or word in _ORGANISATION


def _after_leading_date(text: str) -> str | None:
    """Return what follows a date that opens `text` (dates.find_dates reads it), else None."""
    found = dates.find_dates(text)
    if not found or text[:found[0][0]].strip():
        return None
    return text[_AFTER_DATE.match(text, found[0][1]).end():]


_INITIALS = re.compile(r"(?:[A-Z]\.){2,3}")


def _reads_as_name(text: str, *, single_ok: bool) -> bool:
    words = text.split()
    if not (1 if single_ok else 2) <= len(words) <= 4 or len(text) > 50:
        return False
    caps = 0
    for k, w in enumerate(words):
        if w in _PARTICLES:
            continue
        if 0 < k < len(words) - 1 and _INITIALS.fullmatch(w):
            caps += 1   # (initials inside a name, "James S.A. Corey"; first, "U.S. Army" is no name)
            continue
        if w.lower() in _NOT_NAME or w.lower() in _FUNCTION_WORDS:
            return False
        core = w.rstrip(".")
        if not core or not core[0].isupper() or not all(c.isalpha() or c in "-'’" for c in core):
            return False
        if len(core) > 1 and not (core[1:].islower() or core.isupper() or "-" in core or "'" in core or "’" in core
                                  or core.startswith(("Mc", "Mac", "Di", "De", "Le", "La", "Du", "Fitz"))):
            return False   # "McDonald", "DiChristopher", "DeSantis" are names; "PlayStation", "YouTube" are not
        caps += 1
    return caps >= (1 if single_ok else 2) and gazetteer.canonical_place(text) is None


def _named_after(lines: list[str], i: int) -> str | None:
    """Return the name(s) on the lines after a lone cue at line i ("By" / "Jane Roe" / "," / "John Doe")."""
    j = i + 1
    if j < len(lines) and lines[j].strip() in (":", "："):
        j += 1
    name = person_name("by " + lines[j], cue_required=True) if j < len(lines) else None
    return _with_co_authors(lines, j, name) if name else None


def _with_co_authors(lines: list[str], j: int, name: str) -> str:
    """Return `name`, read from line j, with the co-authors on the lines after it: behind a joiner line
    ("Dana Ford" / "," / "James Corey" / ", and" / "Tom Watkins,"), or one name a line with the
    byline's date right under the last ("By" / "Anna Smith" / "John Doe" / "4 March 2024")."""
    names = [name]
    while j + 2 < len(lines) and _joiner_line(lines[j + 1]) and (more := _co_authors(lines[j + 2])):
        names.append(more)
        j += 2
    if len(names) == 1:
        run = j + 1
        while run < len(lines) and run - j <= 3 and _alone(lines[run]):
            run += 1
        if run > j + 1 and run < len(lines) and _dated_line(lines[run]):
            names.extend(_co_authors(lines[k]) or "" for k in range(j + 1, run))
    return ", ".join(dict.fromkeys(", ".join(names).split(", ")))


def _joiner_line(line: str) -> bool:
    """Tell a line that only joins two names: ",", "and", ", and", "&", "und", "и"."""
    words = line.replace(",", " , ").split()
    return bool(words) and all(w.lower() in _JOINER for w in words)


def _alone(line: str) -> bool:
    """Tell a line that is one co-author's name and nothing else, no place the gazetteer knows by its
    first word ("John Doe"; not "— Porto Velho", a dateline under "Por Diêgo Holanda, G1 RO")."""
    text = line.strip()
    return _co_authors(text) == text and gazetteer.canonical_place(text.split()[0]) is None


def _co_authors(line: str) -> str | None:
    """Return the co-author(s) a line opens with ("Tom Watkins,", "Kara Scannell", "Fatima Hussein, The
    Associated Press": the name, not its agency), else None."""
    text = line.strip().strip(",;")
    name = person_name("by " + text, cue_required=True)
    return name if name and text.startswith(name.split(", ")[0]) and all(co_author(n) for n in name.split(", ")) \
        else None


def _cue_line(line: str) -> bool:
    """Tell a line that ends in a byline cue and says little else ("von", "Kommentar von", "Eingestellt von")."""
    return bool(byline_cues.CUE_ALONE.match(line)) or (len(line.split()) <= 3 and bool(_CUE_AT_END.search(line)))


def _credited(lines: list[str], i: int) -> bool:
    """Tell a photo credit's name: under a "Foto:" line (a "©" line under a name may be the photo's,
    under the byline), or the photographer's name with the picture agency's after a slash
    ("Perry Knotts/Getty Images", "Nadja Wohlleben / REUTERS")."""
    return (i > 0 and bool(_PHOTO_CUE.match(lines[i - 1]))) or bool(CREDIT_END.search(lines[i]))


def _joined(lines: list[str], a: int, b: int) -> bool:
    """Tell whether name lines a < b are one byline: only joiners ("," "and") and roles (", Staff Writer") between."""
    between = [lines[k].strip() for k in range(a + 1, b)]
    return 1 <= len(between) <= 3 and any(t.lower() in _JOINER for t in between) and all(
        t.lower() in _JOINER or t.startswith(",") for t in between)


def _one_a_line(lines: list[str], runs: list[list[int]]) -> list[list[int]]:
    """Join runs of bare names on adjacent lines into one byline when the line under the last is its
    date ("Birgit Baumann" / "Anna Giulia Fink" / "Jan Michael Marchart" / "3. Mai 2024, 17:47");
    names on adjacent lines with no date under them stay apart (a list of people, teasers' authors)."""
    chains: list[list[list[int]]] = []
    for run in runs:
        if chains and run[0] == chains[-1][-1][-1] + 1:
            chains[-1].append(run)
        else:
            chains.append([run])
    out: list[list[int]] = []
    for chain in chains:
        end = chain[-1][-1] + 1
        if len(chain) > 1 and end < len(lines) and _dated_line(lines[end]):
            out.append([i for run in chain for i in run])
        else:
            out.extend(chain)
    return out


def _in_sentence(lines: list[str], i: int) -> bool:
    """Tell a name a link cut out of a sentence ("Un grupo de vecinas del barrio" / "Peñi Trapún" / "de"):
    the line above breaks off at a comma or a small word, and the one below goes on in lower case."""
    if i == 0 or i + 1 >= len(lines) or _cue_line(lines[i - 1]) or lines[i - 1].strip().lower() in _JOINER:
        return False   # ("Colin Manning" / "," / "Hayley J. Fowler" / ", Newcastle University": one byline)
    above, below = lines[i - 1].rstrip(), lines[i + 1].lstrip()
    last = above.rsplit(None, 1)[-1].lower() if above else ""
    return bool(below) and (below[0].islower() or below[0] in ",.;:)") and (
        above.endswith(",") or last in _SMALL_WORDS)


# Words a sentence does not end with, in the pages' languages: articles, prepositions, conjunctions.
_SMALL_WORDS = frozenset(
    "the a an and or of with from by to in on at for as about der die das den dem des ein eine einen einem einer und "
    "oder von mit zu bei nach für über auf le la les un une et du des de en au aux el los las una y del con por para "
    "il lo gli di da e и в на с о об для от по к из у за".split())


def _dated_line(line: str) -> bool:
    """Tell a byline's date line: a date, a relative time ("8h", "1 day ago") or a clock time, in a short line."""
    # (a date inside a paragraph is the story's, not a byline's)
    return (len(line) <= 80 and bool(dates.find_dates(line))) or (len(line) <= 40 and bool(_RELATIVE.search(line)))


def _dated_near(lines: list[str], i: int) -> bool:
    """Tell whether a byline's date line stands within _DATE_NEAR lines of line i."""
    # ("25.10.2022 - Reiner Nagel": the date may share the name's line)
    return bool(dates.find_dates(lines[i])) or any(
        _dated_line(lines[j]) for j in range(max(0, i - _DATE_NEAR), min(len(lines), i + _DATE_NEAR + 1)) if j != i)


def _first_copy(lines: list[str], title_at: int) -> int:
    """Return the first of the lines just above `title_at` that repeat the headline, else `title_at`.

    A page shows its headline twice (its header with the byline under it, then a share box or a
    sticky bar over the article): the byline is under the first copy.
    """
    key = " ".join(lines[title_at].split()).lower()
    for k in range(max(0, title_at - _MAX_HEADER_LINES), title_at):
        if len(key) >= 20 and " ".join(lines[k].split()).lower() == key:
            return k
    return title_at


def header_author(lines: list[str], title_at: int | None, start: int, rule: list[str | None]) -> str | None:
    """Return the author named on a line between the headline and the first paragraph, or None.

    A "By ..." line wins over a bare name; lines a cleaning rule recognised (menus, captions,
    share buttons) are no byline. When none stands under the headline, the one under an earlier
    copy of it counts (_first_copy).
    """
    found = _header_author(lines, title_at, start, rule)
    if found is None and title_at is not None and (copy := _first_copy(lines, title_at)) != title_at:
        found = _header_author(lines, copy, start, rule)
    return found


def _header_author(lines: list[str], title_at: int | None, start: int, rule: list[str | None]) -> str | None:
    first = title_at + 1 if title_at is not None else max(0, start - 4)
    window = range(first, min(start, first + _MAX_HEADER_LINES))
    # (a byline may stand under the lead, the article's first paragraph: "von Daniela Obers")
    for i in [*window, *range(start, min(len(lines), start + _UNDER_LEAD))]:
        name = person_name(lines[i], cue_required=True)
        if name is None and _CUE_AT_END.search(lines[i]) and i + 1 < len(lines):
            name = _named_after(lines, i)
        elif name:
            name = _with_co_authors(lines, i, name)   # ("By Jane Roe" / "and" / "John Doe")
        if name:
            return name
    # A lone cue with its name under it before the article ("By" / "Jane Roe", past a video
    # player's labels) says more than a bare name with a time near it.
    for i in range(first, start):
        if _cue_line(lines[i]) and (name := _named_after(lines, i)) and " " in name:
            return name   # (one word after a lone cue may be a label's: a player's "Text" / "Color")
    # Bare names: one byline, maybe of several names joined by "," / "and" lines, with a date near.
    runs: list[list[int]] = []
    for i in window:
        if rule[i] is not None or lines[i].isupper() or not person_name(lines[i]) or _credited(lines, i) \
                or _in_sentence(lines, i):
            continue   # (a bare line all in capitals is a label, an outlet or a place: "LA NACION")
        if runs and _joined(lines, runs[-1][-1], i):
            runs[-1].append(i)
        else:
            runs.append([i])
    runs = _one_a_line(lines, runs)
    dated = [run for run in runs if any(_dated_near(lines, i) for i in run)]
    # Teasers, none of them the article's: names each with a date line of its own right beside it (a category line under the
    # byline's date shares that date line; an author box repeating the byline has none).
    own = {j for run in dated for j in (run[0] - 1, run[-1] + 1) if 0 <= j < len(lines) and _dated_line(lines[j])}
    if dated and len(own) < 2:
        return ", ".join(person_name(lines[i]) or "" for i in dated[0])
    # A lone cue line away from that header (a byline box under a photo, an author box after the
    # article): the name on the line under it.
    for i in range(max(0, first - _ABOVE), min(len(lines), start + _CUE_REACH)):
        if _cue_line(lines[i]) and (name := _named_after(lines, i)) and (
                i < start or " " in name or (i + 2 < len(lines) and _dated_line(lines[i + 2]))):
            return name   # (past the article's start, one word after "von" is a title, "Rechtsanwalt", unless a date signs it)
    return None
