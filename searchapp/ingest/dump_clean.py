"""Cleaning a text dump: the line model keeps the article's lines; the header around them is read.

A scraper's dump of a whole page holds every menu, teaser and footer line. The shared rules of
clean.py drop the lines they recognise, the line model (linemodel.py) judges the rest in the
context of the page, and this module finds the article's first paragraph, its headline
(headline.py), the header lines the extractor reads (date, byline, section label), and the
date and byline stated away from that header (page_dates.py, page_bylines.py).
"""
from __future__ import annotations

import re
from dataclasses import replace

from searchapp.ingest import byline_cues, clean, dates, page_bylines, page_dates
from searchapp.models import Draft

MIN_LINES = 6   # fewer lines are a cleaned text already, not a page dump: rules only
MAX_LINES = 5_000  # more is a pasted table or log, not a web page: rules only, at bounded cost
_OPENING_LINES = 6   # an article starting this near the top has only its headline and header above it
_HEADER_WINDOW = 15   # lines above the first article line searched for the headline
_FAR_HEADER = 45   # ...and for a signed heading when none stands in that window
_FAR_TITLE = 20   # lines above the article's first paragraph past which a <title> match is a menu item's
_MENU_TITLE = 5   # ...or past which a <title> match that reads as a menu item is one
_BYLINE = re.compile(rf"^(?:{byline_cues.LABELLED})\s*\S", re.I)
_CRUMBS = re.compile(r"\s[/>»|•·]\s|\s[|]|[|]\s|^\W")
_CREDIT = re.compile(r"^(?:source|источник)\s*:\s*\S.{0,80}$", re.I)


def _is_meta(line: str) -> bool:
    """Tell a header line the extractor reads (date, byline, place and date) from chrome."""
    if len(line) > 150:
        return False
    return bool(_BYLINE.match(line)) or bool(dates.find_dates(line)) or dates.is_date_line(
        line, reference_year=2000) is not None


def _foreign_date(lines: list[str], i: int) -> str | None:
    """Return why a header line's date is not the article's (page_dates.not_the_articles), for a line with one."""
    return page_dates.not_the_articles(lines, i) if dates.find_dates(lines[i]) else None


def _is_paragraph(line: str) -> bool:
    words = len(line.split())
    return words >= 10 and (line.rstrip().endswith((".", "!", "?", "…", "»", "”", '"', "।")) or len(line) >= 100)


def _is_label(line: str) -> bool:
    """A short section label right above a headline ("International integration"), not a breadcrumb."""
    words = line.split()
    return 1 <= len(words) <= 4 and not _CRUMBS.search(line) and not re.search(r"\d", line) \
        and not line.rstrip().endswith((".", ":", "!", "?"))


_FOREIGN_TOP = 30   # leading lines in another script skipped to find the page's <title> line


def _title_line(lines: list[str], doc_script: str | None, start: int) -> int:
    """Return the index of the page's <title> line: the first line not in another script than the article."""
    i = 0
    while i < min(start, _FOREIGN_TOP) and doc_script and clean.script_of(lines[i]) not in (None, doc_script):
        i += 1
    return i if i < min(start, _FOREIGN_TOP) else 0


# Letters of one Cyrillic language that another lacks (Ukrainian, Belarusian, Kazakh; Russian ы),
# and the Bulgarian ъ before a consonant or at a word's end (Russian writes it only before е, ё, ю, я).
_MARKED = frozenset("іїєґўәғқңөұүһы")
_BG_HARD_SIGN = re.compile(r"ъ(?![еёюяЕЁЮЯ])", re.I)
_MIN_BODY_LETTERS = 500
# Prepositions and conjunctions of the Slavic languages (Russian, Ukrainian, Bulgarian) that Kazakh,
# Uzbek and Kyrgyz never write as words: a heading holding one over an article that (nearly) never
# does is a teaser in the site's other language ("Пореден ръст: 819 души заразени с коронавирус..."
# over an Uzbek article). (Kazakh "да", "не" and Uzbek "у" are words of their own: left out.)
_SLAVIC_LINKS = frozenset("и в во на с со з по из за от до ли се че във для при що як від або але".split())
_SLAVIC_RARE = 0.01   # share of the article's words at most that are such links for the test to apply
_CYR_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")   # ("Бизда-чи": one Uzbek word with its particle)


def _other_language(lines: list[str], rule: list[str | None], keep, start: int) -> list[str | None]:
    """Return `rule` with headings above the article in another Cyrillic language than its text marked.

    A Russian article on a Kazakh, Ukrainian or Bulgarian site sits under teasers in the site's
    language; a heading with letters the article's own text never uses is one of them. The
    headline search reads the marks; between the headline and the article they drop the line too.
    """
    body = "".join(lines[i] for i in range(start, len(lines)) if keep[i]).lower()
    if sum(map(str.isalpha, body)) < _MIN_BODY_LETTERS:   # (map: a generator over each character cost more)
        return rule
    absent = {c for c in _MARKED if c not in body}
    bg_absent = not _BG_HARD_SIGN.search(body)
    words = _CYR_WORD.findall(" ".join(lines[i] for i in range(start, len(lines)) if keep[i]).lower())
    no_links = sum(w in _SLAVIC_LINKS for w in words) <= _SLAVIC_RARE * len(words)
    out = list(rule)
    for i in range(start + 1):
        if out[i] is None and len(lines[i]) <= 250:
            low = lines[i].lower()
            # (Uzbek writes ъ after consonants too, "маълум": a heading with the article's own
            # letters, "қилинди", is in its language whatever its ъ)
            if any(c in absent for c in low) or (bg_absent and _BG_HARD_SIGN.search(low)
                                                 and not any(c in _MARKED and c not in absent for c in low)):
                out[i] = "heading in another language"
            elif no_links and len(heading := _CYR_WORD.findall(low)) >= 3 and any(w in _SLAVIC_LINKS for w in heading):
                out[i] = "heading in another language"
    return out


def _other_script(lines: list[str], rule: list[str | None], start: int, doc_script: str | None) -> list[str | None]:
    """Return `rule` with headings above a Latin-script article written in Cyrillic marked.

    An English article on a Russian or Bulgarian site sits under the site's teasers; a heading with
    (nearly) no Latin letters is one of them, not the English headline.
    """
    if doc_script != "latin":
        return rule
    out = list(rule)
    for i in range(start + 1):
        if out[i] is None and len(lines[i]) <= 250 and clean.foreign_script(lines[i], doc_script):
            out[i] = "heading in another script"
    return out


def _find_title(lines: list[str], rule: list[str | None], start: int, run_from: int,
                end: int) -> tuple[int | None, str | None, int]:
    """Return the headline's first line, and the joined text and number of its lines when it spans several.

    `lines[0]` is the page's <title> line when a scraper dumped the whole page; `end` is the last
    line kept as the article's. A dump of the <body> alone opens with chrome ("Skip to content",
    "Sign in", the site's logo) that the <title> search takes for the headline, or finds nothing and
    takes a line right above the first paragraph (a caption, a lead sentence, a byline's tail):
    there, the heading over the article's byline or date is the headline. (Train split dumped as
    the <body> alone: titles 245 -> 290 of 416; dev 59 -> 74 of 123; the whole-soup dumps the same.)
    """
    from searchapp.ingest import headline

    opens = headline.opens_with_headline(lines, rule, start) or headline.opens_with_short_headline(lines, rule, start) \
        or headline.opens_with_name_over_subtitle(lines, rule, start)
    found = _title_of_page(lines, rule, start, run_from, end, opens)
    if opens or not headline.no_page_title(lines, start, end):
        # (a page with no chrome above its article opens with its <h1>: a headline, a name over its
        # subtitle, with the date under them; the <body> alone of such a page opens the same way)
        return found
    at = headline.heading_over_byline(lines, rule, max(0, start - _FAR_HEADER), start)
    if at is None and (found[0] is None or (found[0] == 0 and start > _HEADER_WINDOW)):
        # Nothing but the chrome line 0 would be the title (found at 0, or taken as the last resort
        # by _model_clean): a heading over the article, signed or not, is likelier its headline.
        # (A first line within _HEADER_WINDOW lines of the article is its headline: a text opening
        # '"Норильский никель" нашел советчика' / lead / standfirst / article.)
        # (Train split dumped as the <body> alone: titles +2 of 416, dev no change; whole-soup dumps the same.)
        at = headline.heading_over_article(lines, rule, max(0, start - _FAR_HEADER), start)
        return found if at is None else (at, None, 1)
    if at is None or (found[0] is not None and 0 < found[0] <= at <= found[0] + _STANDFIRST_GAP
                      and headline.word_count(lines[found[0]]) >= 3):
        # (a heading found just above the signed one is the headline over its standfirst: "Headline" /
        # standfirst / date / by; a word or two there is the site's logo or a section: "CNET" / "Tech Industry")
        return found
    return headline.above_standfirst(lines, rule, at, max(0, start - _FAR_HEADER)), None, 1


_STANDFIRST_GAP = 2


def _title_of_page(lines: list[str], rule: list[str | None], start: int, run_from: int,
                   end: int, opens: bool) -> tuple[int | None, str | None, int]:
    """Return _find_title's answer read from the page's <title> line, `lines[0]`, and the lines above `start`.

    `opens`: the text opens with its own headline (a headline, a name over its subtitle, with the date under them).
    """
    from searchapp.ingest import headline

    title_at = 0 if opens else headline.match_page_title(lines, start)
    matched = title_at is not None and not opens
    if title_at is None:
        title_at = headline.repeat_of_page_title(lines, start, end)
    if title_at is None and 3 <= start <= _OPENING_LINES and rule[0] is None \
            and headline.is_candidate(lines[0], short_ok=True, page_title=True) \
            and all(headline.is_candidate(lines[i], short_ok=True) for i in range(1, start)):
        # A text opening with its headline and then a list of other stories' headlines (teasers)
        # before the article: the first line is the headline, the list is no header.
        title_at = 0
    if title_at is None or rule[title_at] is not None:
        title_at = headline.pick_headline(lines, rule, start, window=_HEADER_WINDOW, run_from=run_from)
        if title_at is None:
            # Nothing reads as a headline right above the article: a heading with its byline or date
            # under it further up is the article's own (a page putting its lead, photo caption and
            # credits between headline and text; the <title> may name only the site)
            title_at = headline.signed_heading(lines, rule, max(0, start - _FAR_HEADER), start)
    elif matched and ((menu := start - title_at > _MENU_TITLE and headline.menu_item(lines, title_at))
                      or (start - title_at > _FAR_TITLE and not headline.whole_page_title(lines, title_at))):
        # A <title> line matched far above the article, or a menu item's line, names the section
        # ("Swimming - News | Federation" over a menu holding "Swimming", "News"; "blog | Site"); a
        # heading of headline length with its date or byline under it, right above the article, is
        # the article's own.
        # (not one of a list of teasers, each with its date: "Heading" / date / "Heading" / date)
        near = headline.pick_headline(lines, rule, start, window=_HEADER_WINDOW, run_from=run_from)
        if menu and (near is None or not headline.dated_below(lines, rule, near, start)):
            near = headline.dated_heading(lines, rule, max(title_at, start - _HEADER_WINDOW), start)
        if near is not None and near > title_at and headline.word_count(lines[near]) >= (3 if menu else 4) \
                and headline.dated_below(lines, rule, near, start) and not _is_meta(lines[near - 1]) \
                and sum(_is_meta(lines[k]) for k in range(near + 1, start)) <= 2:
            title_at = near
    if matched and title_at is not None and (seen := headline.past_breadcrumb(lines, rule, title_at, start)) is not None:
        title_at = seen   # the <title>'s line ends a breadcrumb: the headline a reader sees is under it
    if title_at == start and start > 0 and (cut := headline.page_title_over_paragraph(lines, rule, start)):
        # The article's first paragraph read as its headline ("For a better experience download a newer
        # browser!", a notice the model kept as the first paragraph): the page's <title>, its site's name
        # cut and not a word shared with that paragraph, states the headline the page never repeats.
        return 0, cut, 1
    joined, n = None, 1   # a kicker and headline on two lines (or a headline a link cut) that the <title> joins
    if title_at is not None and (run := headline.headline_run(lines, title_at)) is not None \
            and all(rule[k] in (None, "blank") for k in range(run[0], run[0] + run[1])):   # (":" between: "blank")
        title_at, n, joined = run
    return title_at, joined, n


def clean_dump(draft: Draft, templates: frozenset[str], *, order: str = "DMY") -> Draft:
    """Keep the article lines of a text dump, and state a date field the date lines' scan cannot read.

    A dump of MIN_LINES to MAX_LINES lines goes through the rules, templates and the line model;
    a shorter or longer one through the rules only. A publish or update field near the headline
    that the date lines' scan cannot read ("Publié le 27 Mar 20 à 9:21", "Published: 31 Smarch
    2023") becomes the draft's stated date (provenance "date line") when the draft states none:
    extraction reads it where parse_date can, and where it cannot, the pipeline says on the file's
    report line that it was not understood, as for any format's stated date.
    """
    title_at = None
    if MIN_LINES <= len(draft.blocks) <= MAX_LINES:
        cleaned, title_at = _model_clean(draft, templates)
    else:
        cleaned = clean.clean_draft(draft, templates)
    if cleaned.date_raw is None and (stated := page_dates.date_field(draft.blocks, title_at, order=order)):
        cleaned = replace(cleaned, date_raw=stated, date_provenance="date line")
    return cleaned


def _model_clean(draft: Draft, templates: frozenset[str]) -> tuple[Draft, int | None]:
    """Return the draft with the article lines the line model keeps, and its headline's line."""
    from searchapp.ingest import headline

    try:
        from searchapp.ingest import linemodel
    except ImportError as exc:  # numpy missing: the chrome would stay in every dump
        from searchapp.errors import ExtractorUnavailable

        raise ExtractorUnavailable(f"the dump line model cannot load: {exc}") from exc
    lines = draft.blocks
    doc_script = clean.dominant_script(lines)
    verdicts = [clean.cached_verdict(line, doc_script) for line in lines]
    rule: list[str | None] = [
        "template text" if template else v
        for template, v in zip(clean.template_hits(lines, templates), verdicts)]
    model = linemodel.load_model()
    p = model.probabilities(lines, verdicts)
    keep = linemodel.expected_f1_keep(p, model.token_weights(lines))
    keep &= [r is None for r in rule]
    kept_at = [i for i in range(len(lines)) if keep[i]]
    if not kept_at:
        return clean.clean_draft(draft, templates), None
    # The article proper starts at its first paragraph; the model may keep a label, the headline
    # and a date line above it, or drop them.
    start = next((i for i in kept_at if _is_paragraph(lines[i])), None)
    if start is not None and any(rule[k] is None and _is_meta(lines[k]) for k in range(start + 1, min(start + 3, len(lines)))):
        # A long line with the date or byline under it is the headline or its standfirst
        # ('Kiosk owner: "People come to us to escape"' / date / by), not the article's first paragraph.
        start = next((i for i in kept_at if i > start + 2 and _is_paragraph(lines[i])), start)
    if start is None:
        start = next((i for i in kept_at if not headline.is_candidate(lines[i])), kept_at[-1])
    # The header: the headline above the first paragraph, the date and byline lines between
    # them, and a date or section label right above the headline; the extractor reads them.
    title_rule = _other_language(lines, rule, keep, start) if doc_script == "cyrillic" else _other_script(lines, rule, start, doc_script)
    run_from = start
    # (a line a rule dropped, such as a photo credit under the headline, does not break the run; nor
    # does a teaser in another language of the site between the headline and its date)
    while run_from > 0 and (title_rule[run_from - 1] is not None or keep[run_from - 1] or _is_meta(lines[run_from - 1])):
        run_from -= 1
    if run_from == 1 and rule[0] is None and len(lines[0]) <= 250 and not _is_paragraph(lines[0]):
        keep[0], run_from = True, 0   # the text opens with one heading right above the article: its headline
    # A page whose chrome is in another script than its article may put that chrome above the
    # <title> line (an English article on a Russian site): the title line is the first one in
    # the article's script.
    t0 = _title_line(lines, doc_script, start)
    title_at, joined, n_title = _find_title(lines[t0:], title_rule[t0:], start - t0, max(run_from - t0, 0),
                                            kept_at[-1] - t0)
    header: set[int] = set()
    if title_at is not None:
        title_at += t0
        # Between the headline and the article, a heading in another language of the site is a teaser.
        for i in range(title_at + 1, start):
            if title_rule[i] == "heading in another language" and rule[i] is None:
                rule[i], keep[i] = title_rule[i], False
    if title_at is None and rule[t0] is None and headline.is_candidate(headline.strip_site_name(lines[t0]), short_ok=True,
                                                                       page_title=True):
        # Nothing above the article reads as its headline: the dump's first line, the page's
        # <title>, is the best statement of it left (its date lines belong to no article).
        header.add(t0)
        title_at = t0
    elif title_at is not None:
        header.add(title_at)
        meta_from = title_at + 1
        if title_at == t0 and (again := headline.match_page_title(lines[t0:], start - t0)) \
                and start - (again + t0) <= _HEADER_WINDOW:
            # The <title> line over a masthead's date and the site's dated teasers, its headline
            # coming again right above the article: the date lines under the repeat are the article's.
            meta_from = again + t0 + 1
        for i in range(meta_from, start):
            if rule[i] is None and _is_meta(lines[i]) and (why := _foreign_date(lines, i)):
                # an embedded post's date, a book's "Erscheinungsdatum:" value: not the article's
                rule[i], keep[i] = why, False
            elif rule[i] is None and _is_meta(lines[i]):
                header.add(i)
        for i in range(title_at - 1, max(-1, title_at - 3), -1):
            if rule[i] is None and (_is_meta(lines[i]) or (_is_label(lines[i]) and i == title_at - 1)):
                header.add(i)
            else:
                break
    # After the article: a "Source: X" credit, and the author's name signing it off (as agencies
    # do); the extractor reads both and moves them to `removed`.
    after = [i for i in range(kept_at[-1] + 1, len(lines)) if rule[i] is None][:3] if kept_at else []
    for i in after:
        if _CREDIT.match(lines[i]) or (i == after[0] and byline_cues.PERSON.match(lines[i])):
            header.add(i)
    kept: list[str] = []
    removed = list(draft.removed)
    p_list = p.tolist()   # Python floats format faster than numpy's, to the same text
    for i, line in enumerate(lines):
        if joined is not None and i == title_at:
            kept.append(joined)
        elif joined is not None and title_at < i < title_at + n_title:
            removed.append(f"headline, second line: {line}")
        elif i in header or (keep[i] and (title_at is None or i > title_at)):
            kept.append(line)
        elif keep[i]:
            removed.append(f"header text: {line}")
        elif rule[i] == "blank":
            continue
        elif rule[i]:
            removed.append(f"{rule[i]}: {line}")
        else:
            removed.append(f"boilerplate, p={1 - p_list[i]:.2f}: {line}")
    clean.strip_signoff(kept, removed)
    title_hint = joined or (lines[title_at] if title_at is not None else None)
    nearest = page_dates.nearest_date_line(lines, min(kept_at[0], title_at if title_at is not None else kept_at[0]),
                                           kept_at[-1])
    # A text whose first line stands right above its first paragraph opens with its own headline,
    # not a page's <title>: "Choose hope over fear - Kennedy" keeps whom it quotes.
    own = start == 1 and bool(keep[0]) and joined is None and (title_at in (0, None))
    # (a headline the <title> states whole, or joins from its lines, has had its site name cut: no more)
    whole = joined is not None or (title_at is not None and title_at != t0
                                   and headline.stated_whole(lines[t0], lines[title_at]))
    return replace(draft, blocks=kept, removed=removed, title_hint=title_hint, own_headline=own, hint_whole=whole,
                   fallback_date_raw=nearest[0] if nearest else None,
                   fallback_author=page_bylines.header_author(lines, title_at, start, rule)), title_at
