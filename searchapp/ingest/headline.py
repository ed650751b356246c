"""Find the headline of a text dump, and cut a site name off a page title.

In a dump the headline sits just above the article's first line, below menus, breadcrumbs,
language switchers and section labels; a scraper's dump of a whole page often starts with the
page's <title> ("Headline - Site name"), so a line that the first line repeats is the headline.
"""
from __future__ import annotations

import re

from searchapp.ingest import dates

_WORD = re.compile(r"\w+")
# Breadcrumbs and switchers: items joined by separators ("Главная / Новости", "KAZ | РУС | ENG").
_CRUMBS = re.compile(r"\s[/>»|•·]\s|\s\||\|\s|\s/|/\s")
_SWITCHER = re.compile(r"^(?:[^\W\d_]{2,3}\s*[|/·•]?\s*){2,6}$")
_UI = re.compile(
    r"^\W*(?:home|news|latest news|menu|search|share|share on\W*|log ?in|sign in|subscribe|next|previous|more|video|photo"
    r"|главная|новости|последние новости|меню|поиск|поделиться|войти|далее|назад|видео|фото|головна|новини"
    r"|startseite|nachrichten|aktuell|accueil|actualités|inicio|noticias)\W*$", re.I)
_BYLINE = re.compile(r"^\W*(?:by|written by|posted by|author|автор|текст|фото|photo)\b", re.I)
_CLOCK = re.compile(r"\b\d{1,2}:\d{2}\b")
_TITLE_SEP = re.compile(r"\s+(?:[|\-–—·•:»«/]|::)\s+")


def _norm(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


def is_candidate(line: str) -> bool:
    """Return True when `line` could be a headline: a short run of words, not chrome or a date."""
    words = line.split()
    if not 2 <= len(words) <= 30 or len(line) > 250:
        return False
    end = line.rstrip()
    if end.endswith((".", ",", ";", ":", "|")) and not end.endswith(("...", "…")):
        return False
    if _CRUMBS.search(line) or _SWITCHER.match(line) or _UI.match(line) or _BYLINE.match(line):
        return False
    if dates.find_dates(line) or dates.is_date_line(line, reference_year=2000) or _CLOCK.search(line):
        return False
    if len(words) <= 8 and dates.split_partial(line) is not None:   # "Almaty city12 June": a dateline
        return False
    letters = sum(c.isalpha() for c in line)
    return letters >= 0.6 * len(line.replace(" ", ""))


def match_page_title(lines: list[str], start: int, *, after: int = 3) -> int | None:
    """Return the line that repeats the page's <title> (a dump's first line), nearest the article.

    A scraper's dump of a whole page opens with the <title> text, "Headline | Site"; the
    headline itself comes again as the <h1> above the article. Lines up to `after` past the
    article's first line count (teasers may come before the headline).
    """
    if len(lines) < 2:
        return None
    first = _norm(lines[0])
    cut = _norm(strip_site_name(lines[0]))
    best = None
    for i in range(1, min(len(lines), start + after + 1)):
        norm = _norm(lines[i])
        if not norm or len(lines[i]) > 300:
            continue
        if norm == cut or (len(norm.split()) >= 3 and norm in first and len(norm) >= 0.5 * len(cut)):
            if best is None or abs(i - start) < abs(best - start):
                best = i
    return best


def pick_headline(lines: list[str], rule: list[str | None], start: int, *, window: int = 15,
                  run_from: int | None = None) -> int | None:
    """Return the index of the headline among the lines above (or at) `start`, the article's first line.

    `run_from` starts the unbroken run of lines kept as article (or date/byline lines) that ends
    at `start`: a heading there is the article's own, and the first of them is the headline
    (a standfirst or subheading follows it).
    """
    first = _norm(lines[0]) if lines else ""
    best, best_score = None, -1e9
    lo = max(0, start - window)
    for i in range(lo, min(start + 1, len(lines))):
        line = lines[i]
        if rule[i] is not None or not is_candidate(line):
            continue
        words = len(line.split())
        score = 0.0
        norm = _norm(line)
        if i > 0 and words >= 3 and norm and norm in first:
            score += 3.0    # the page's <title> repeats the headline
        if 4 <= words <= 25:
            score += 1.0
        if i == start:
            score -= 0.5    # the first article line itself: only when nothing above reads as one
        if line.isupper():
            score -= 1.0
        if run_from is not None and run_from <= i < start:
            score += 1.5
        else:
            score -= 0.15 * (start - i)
        if score > best_score:
            best, best_score = i, score
    return best


_SITE_WORDS = re.compile(
    r"\b(?:news|agency|times|wire|tv|radio|post|herald|gazette|daily|online|press|media|journal|tribune|review"
    r"|inform|today|channel|portal|service|информ|новости|агентство|газета|портал|тв|радио|журнал)\b"
    r"|\.(?:com|ru|kz|by|uz|kg|tj|am|az|ge|ua|org|net|info|de|uk)\b", re.I)


def strip_site_name(title: str, site: str | None = None) -> str:
    """Cut a site-name suffix or prefix (" - Eurasia Wire", "National News Agency | ") off a title.

    The site side is the one that names `site` when it is known; else an end part that reads as
    a name (capitalised words, no sentence) and is either shorter than the rest or carries an
    outlet word ("News", "Agency", ".kz"), since "Headline - Site" is far more common than
    "Site - Headline". A section left before the site ("Headline - Politics - Site") goes too.
    """
    parts = _TITLE_SEP.split(title)
    if len(parts) < 2:
        return title
    site_l = _norm(site or "")
    if site_l:
        keep = [p for p in parts if not (_norm(p) and (_norm(p) in site_l or site_l in _norm(p)))]
        if keep and len(keep) < len(parts):
            return " - ".join(keep) if len(keep) > 1 else keep[0]
    out = title
    for _ in range(2):
        parts = _TITLE_SEP.split(out)
        if len(parts) < 2:
            break
        last = parts[-1]
        head = out[: out.rfind(last)].rstrip(" |-–—·•:»«/")
        sitey = bool(_SITE_WORDS.search(last))
        if not (len(last) <= 50 and _reads_as_name(last) and (len(last) < len(head) or sitey)):
            break
        if not sitey and len(head.split()) < 3:
            break
        if out != title and not sitey and len(head.split()) < 4:
            break
        out = head
    if out != title:
        return out
    first = parts[0]
    if len(parts) == 2 and _reads_as_name(first) and _SITE_WORDS.search(first) and len(first) < len(parts[1]) \
            and re.search(r"\s[|»·•]\s", title[: len(first) + 4]):
        return parts[1]
    return title


def _reads_as_name(part: str) -> bool:
    words = part.split()
    if not words or len(words) > 6:
        return False
    caps = sum(w[:1].isupper() or w[:1].isdigit() or not w[:1].isalpha() for w in words)
    return caps >= max(1, len(words) - 1) and not part.rstrip().endswith(("?", "!"))
