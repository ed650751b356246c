"""Cleaning: drop site chrome from a Draft's blocks and keep what was dropped, for audit.

Every rule is about the *kind* of line (navigation, caption, promo, camera file name, a line in
another script than the article), not about particular sites, so it holds for outlets we have
not seen. Rules only fire on short lines: a real paragraph that merely mentions "subscribe" stays.
"""
from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from searchapp.ingest import dates, page_bylines, page_dates
from searchapp.ingest.prefix_scan import Prefilter
from searchapp.models import Draft

_CYR = re.compile(r"[\u0400-\u04ff]")
_LAT = re.compile(r"[A-Za-z\u00c0-\u024f]")

# Whole-line UI text: navigation, sharing, reading aids, in the languages our outlets use.
_NAV = re.compile(
    r"""^\W*(?:
        skip\ to\ (?:main\ )?(?:content|navigation|search)|skip\ navigation|jump\ to\ (?:content|navigation)
      | go\ back|back(?:\ to\ (?:top|the\ .{1,30}|all\ .{1,30}|home(?:page)?|main\ page|list|news|section))?
      | (?:return|go)\ to\ (?:the\ )?(?:home\ ?page|main\ page|top|list|previous\ page)
      | home(?:page)?|main\ page|menu|search|close|next|previous|prev|more|load\ more|show\ more
      | read\ (?:more|also|next|full\ (?:story|article))|see\ also|related(?:\ (?:news|articles|stories|posts))?
      | (?:also\ )?read(?:\ also)?|more\ news|latest\ news|top\ stories|most\ read|popular|trending
      | share(?:\ (?:this|on\ \w+|article|story))?|print(?:\ this)?(?:\ (?:page|article))?|email|tweet|comments?\ \(\d+\)
      | (?:\d+\s+)?comments?|leave\ a\ (?:reply|comment)|tags?(?:\s*:.{0,80})?|advertisement|sponsored(?:\ content)?
      | cookies?\ (?:policy|settings)|privacy\ policy|terms\ of\ (?:use|service)|all\ rights\ reserved.*|©.*|copyright\ .{0,80}
      | на\ главную|главная(?:\ страница)?|назад|вернуться(?:\ .{0,40})?|к\ списку(?:\ .{0,30})?|наверх|меню|поиск
      | читать\ (?:далее|также|еще|ещё|полностью)|читайте\ также|смотрите\ также|см\.\ также|подробнее|ещё|еще
      | поделиться|распечатать|версия\ для\ печати|комментарии(?:\ \(\d+\))?|теги(?:\s*:.{0,80})?|реклама|все\ новости.{0,30}
      | все\ права\ защищены.*|новости\ партнеров|последние\ новости|главные\ новости
    )\W*$""",
    re.I | re.X,
)
_CAPTION = re.compile(
    r"""^[\s(\[]*(?:photo|photos|photograph|image|picture|pic|credit|credits|source\ of\ (?:the\ )?photo|illustration|video
      |фото|фотография|иллюстрация|видео|источник\ фото|кадр)
      (?:\s*(?:credit|by|courtesy|source|автор))?\s*(?:[:©|/–—-]|by\b|courtesy\b
      |из\ (?:открытых\ )?(?:источник|архив|соцсет|сет)|предоставлен|пресс-служб|с\ сайта|автора)""",
    re.I | re.X,
)
_CAMERA_FILE = re.compile(
    r"^_?(?:dsc|dscn|dscf|img|pxl|mvimg|dji|gopr|sam|p\d{3}|photo|image|screenshot)[\s_-]?\d[\w-]*(?:\.(?:jpe?g|png|gif|webp|heic|tiff?))?$"
    r"|^[\w-]+\.(?:jpe?g|png|gif|webp|heic|tiff?|bmp|svg)$",
    re.I,
)
_PROMO_VERB = re.compile(
    r"\b(?:subscribe|sign\ up|newsletter|follow\ us\b|join\ us\b|stories\ sent|get\ (?:the\ )?(?:latest|our)|download\ (?:our|the)\ app"
    r"|подписывайтесь|подпишитесь|подписаться\ на|следите\ за\ нами|присоединяйтесь|наш\ (?:телеграм|канал))",
    re.I | re.X,
)
_SOCIAL = re.compile(r"\b(?:twitter|facebook|instagram|telegram|youtube|tiktok|vk|vkontakte|вконтакте|linkedin|whatsapp|viber|rss|x\.com)\b", re.I)
_RELATED = re.compile(
    r"^\W*(?:(?:read|see|watch|listen|look)\s+(?:also|more|next|too)|related(?:\s+(?:news|stories|articles))?|more\s+on\s+this"
    r"|also\s+read|recommended|читайте\s+(?:также|еще|ещё)|смотрите\s+(?:также|еще|ещё)|см\.\s+также|по\s+теме|также\s+читайте)"
    r"\s*[:>»|–—-]",
    re.I,
)
_BLANKISH = re.compile(r"^[\s\W_]*$")
# A line that is only social network names: the share buttons' labels.
_SOCIAL_ONLY = re.compile(
    r"^\W*(?:(?:twitter|facebook|instagram|telegram|youtube|tiktok|vk|vkontakte|вконтакте|одноклассники|ok|linkedin"
    r"|whatsapp|viber|rss|pinterest|reddit|x|email|e-mail)\W*){1,8}$", re.I)
# The typo notice of Russian-language sites and its English form.
_TYPO_NOTICE = re.compile(r"ctrl\s*\+\s*enter|нашли\s+ошибку|found\s+a\s+(?:typo|mistake|error)", re.I)
_WIRE_SIGNOFF = re.compile(r"\s+(?:Reuter|Reuters|REUTER|REUTERS)\s*$")


def _promo(text: str) -> bool:
    """Return True when the line asks the reader to subscribe, sign up, follow or join."""
    for m in _PROMO_VERB.finditer(text):
        # "Stars join US charity show": the country, not the promo's "us" (unless the line shouts)
        if m.group().endswith("US") and not text.isupper():
            continue
        return True
    return False


def script_of(text: str) -> str | None:
    """Return "cyrillic" or "latin" for the script most letters of `text` are in."""
    cyr = len(_CYR.findall(text))
    lat = len(_LAT.findall(text))
    if cyr == lat == 0:
        return None
    return "cyrillic" if cyr > lat else "latin"


def _foreign_script(text: str, doc_script: str) -> bool:
    """Return True when (nearly) all of a line's letters are in another script than the page's.

    A headline naming a company in Latin letters ("Economist продан") still has words in the
    page's script; a menu of another language has none.
    """
    if text.isascii():   # (most lines) no Cyrillic, and its letters are A-Z and a-z, the only ASCII with a case
        return doc_script == "cyrillic" and text.lower() != text.upper()
    cyr = len(_CYR.findall(text))
    lat = len(_LAT.findall(text))
    own, other = (cyr, lat) if doc_script == "cyrillic" else (lat, cyr)
    return other > 0 and own < 0.2 * (own + other)


def dominant_script(blocks: list[str]) -> str | None:
    """Return the script of the bulk of the text, weighting long paragraphs most."""
    import numpy as np   # (here, not above: the module stays importable for the error line of _clean_dump)

    # Counted over the code points with numpy: the same letters _CYR and _LAT find, a page at once.
    cp = np.frombuffer("".join(blocks).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    cyr = int(np.count_nonzero((cp >= 0x400) & (cp <= 0x4FF)))
    lat = int(np.count_nonzero(((cp >= 0x41) & (cp <= 0x5A)) | ((cp >= 0x61) & (cp <= 0x7A))
                               | ((cp >= 0xC0) & (cp <= 0x24F))))
    if cyr == lat == 0:
        return None
    return "cyrillic" if cyr > lat else "latin"


@lru_cache(maxsize=1 << 16)
def _cached_verdict(line: str, doc_script: str | None) -> str | None:
    # A source's pages repeat their menus and footers: each such line is judged once.
    return line_verdict(line, doc_script)


def _phrases(rule: re.Pattern[str]) -> re.Pattern[str]:
    """Return a finder of the phrases one of which each match of `rule` holds, for the lower-cased line."""
    pre = Prefilter(rule)
    return pre.finder if pre.finder is not None and pre.icase else re.compile("")   # "": no filter


# A search for one of many phrases under IGNORECASE tries each at every position of the line;
# the same phrases in the lower-cased line are found at a fraction of the cost, and most lines
# hold none of them (prefix_scan). Anchored rules (match) cost little already.
_TYPO_IN, _PROMO_IN, _SOCIAL_IN = (_phrases(r) for r in (_TYPO_NOTICE, _PROMO_VERB, _SOCIAL))
_UNFOLDED_CHARS = "".join(sorted({ch for r in (_TYPO_NOTICE, _PROMO_VERB, _SOCIAL) for ch in Prefilter(r).unsafe_chars}))
_UNFOLDED = re.compile(f"[{re.escape(_UNFOLDED_CHARS)}]" if _UNFOLDED_CHARS else "(?!)")


def line_verdict(line: str, doc_script: str | None) -> str | None:
    """Return why a line is chrome ("navigation", "photo caption"...), or None to keep it."""
    text = line.strip()
    words = len(text.split())
    if _BLANKISH.match(text):
        return "blank"
    if words <= 12 and _NAV.match(text):
        return "navigation"
    if words <= 8 and _SOCIAL_ONLY.match(text):
        return "social links"
    low = text.lower()
    # (where lower() changes the length or leaves a letter IGNORECASE folds otherwise, no filter)
    plain = len(low) != len(text) or _UNFOLDED.search(low) is not None
    if words <= 15 and (plain or _TYPO_IN.search(low)) and _TYPO_NOTICE.search(text):
        return "typo notice"
    if words <= 20 and _RELATED.match(text):
        return "link to another article"
    if words <= 25 and _CAPTION.match(text):
        return "photo caption or credit"
    if words <= 2 and _CAMERA_FILE.match(text):
        return "camera file name"
    if words <= 60 and (plain or _PROMO_IN.search(low)) and _promo(text) \
            and (((plain or _SOCIAL_IN.search(low)) and _SOCIAL.search(text)) or words <= 15):
        return "newsletter or social promo"
    if (words <= 6 and doc_script and len(text) < 60 and _foreign_script(text, doc_script)
            and not dates.is_date_line(text)):  # a Russian date in an English page is metadata
        return "navigation in another script"
    return None


def clean_draft(draft: Draft, templates: frozenset[str] = frozenset(), *, dump: bool = False) -> Draft:
    """Return a copy of `draft` without chrome lines; `removed` records each as "reason: line".

    `dump` says the blocks are the lines of a text dump (a .txt page), where the line model
    finds the article; elsewhere (HTML already reduced to its main text, JSON fields) only the
    rules run.
    """
    if dump and _MIN_DUMP_LINES <= len(draft.blocks) <= _MAX_DUMP_LINES:
        return _clean_dump(draft, templates)
    doc_script = dominant_script(draft.blocks)
    kept: list[str] = []
    removed = list(draft.removed)
    for block in draft.blocks:
        if templates and template_key(block) in templates:
            removed.append(f"template text: {block}")
            continue
        reason = line_verdict(block, doc_script)
        if reason == "blank":
            continue
        if reason:
            removed.append(f"{reason}: {block}")
        else:
            kept.append(block)
    _strip_signoff(kept, removed)
    # A text too short to be a page's dump opens with its own headline, if anything, not a <title>.
    own = bool(kept) and bool(draft.blocks) and kept[0] == draft.blocks[0]
    return replace(draft, blocks=kept, removed=removed, own_headline=own)


def _strip_signoff(kept: list[str], removed: list[str]) -> None:
    if kept:
        signed = _WIRE_SIGNOFF.sub("", kept[-1])
        if signed != kept[-1]:
            removed.append(f"wire sign-off: {kept[-1][len(signed):].strip()}")
            kept[-1] = signed


_MIN_DUMP_LINES = 6   # fewer lines are a cleaned text already, not a page dump: rules only
_MAX_DUMP_LINES = 5_000  # more is a pasted table or log, not a web page: rules only, at bounded cost
_OPENING_LINES = 6   # an article starting this near the top has only its headline and header above it
_HEADER_WINDOW = 15   # lines above the first article line searched for the headline
_BYLINE = re.compile(r"^(?:by\b|written\s+by\b|posted\s+by\b|author:|автор:|автор\s|текст:)\s*\S", re.I)
_CRUMBS = re.compile(r"\s[/>»|•·]\s|\s[|]|[|]\s|^\W")
_CREDIT = re.compile(r"^(?:source|источник)\s*:\s*\S.{0,80}$", re.I)
_PERSON = re.compile(r"^(?:[A-Z\u0410-\u042f\u0401][a-z\u0430-\u044f\u0451'’-]+\.?\s){1,3}"
                     r"[A-Z\u0410-\u042f\u0401][a-z\u0430-\u044f\u0451'’-]+$")


def _is_meta(line: str) -> bool:
    """Tell a header line the extractor reads (date, byline, place and date) from chrome."""
    if len(line) > 150:
        return False
    return bool(_BYLINE.match(line)) or bool(dates.find_dates(line)) or dates.is_date_line(
        line, reference_year=2000) is not None


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
    while i < min(start, _FOREIGN_TOP) and doc_script and script_of(lines[i]) not in (None, doc_script):
        i += 1
    return i if i < min(start, _FOREIGN_TOP) else 0


# Letters of one Cyrillic language that another lacks (Ukrainian, Belarusian, Kazakh; Russian ы),
# and the Bulgarian ъ before a consonant or at a word's end (Russian writes it only before е, ё, ю, я).
_MARKED = frozenset("іїєґўәғқңөұүһы")
_BG_HARD_SIGN = re.compile(r"ъ(?![еёюяЕЁЮЯ])", re.I)
_MIN_BODY_LETTERS = 500


def _other_language(lines: list[str], rule: list[str | None], keep, start: int) -> list[str | None]:
    """Return `rule` with headings above the article in another Cyrillic language than its text marked.

    A Russian article on a Kazakh, Ukrainian or Bulgarian site sits under teasers in the site's
    language; a heading with letters the article's own text never uses is one of them. The
    headline search reads the marks; between the headline and the article they drop the line too.
    """
    body = "".join(lines[i] for i in range(start, len(lines)) if keep[i]).lower()
    if sum(c.isalpha() for c in body) < _MIN_BODY_LETTERS:
        return rule
    absent = {c for c in _MARKED if c not in body}
    bg_absent = not _BG_HARD_SIGN.search(body)
    out = list(rule)
    for i in range(start + 1):
        if out[i] is None and len(lines[i]) <= 250:
            low = lines[i].lower()
            if any(c in absent for c in low) or (bg_absent and _BG_HARD_SIGN.search(low)):
                out[i] = "heading in another language"
    return out


def _find_title(lines: list[str], rule: list[str | None], start: int, run_from: int) -> tuple[int | None, str | None]:
    """Return the headline's line and, when a kicker and headline on two lines make it, their joined text.

    `lines[0]` is the page's <title> line (a scraper's dump opens with it).
    """
    from searchapp.ingest import headline

    title_at = 0 if headline.opens_with_headline(lines, rule, start) else headline.match_page_title(lines, start)
    if title_at is None and 3 <= start <= _OPENING_LINES and rule[0] is None \
            and headline.is_candidate(lines[0], short_ok=True, page_title=True) \
            and all(headline.is_candidate(lines[i], short_ok=True) for i in range(1, start)):
        # A text opening with its headline and then a list of other stories' headlines (teasers)
        # before the article: the first line is the headline, the list is no header.
        title_at = 0
    if title_at is None or rule[title_at] is not None:
        title_at = headline.pick_headline(lines, rule, start, window=_HEADER_WINDOW, run_from=run_from)
    joined = None   # a kicker and headline on two lines that the <title> joins
    if title_at is not None and (pair := headline.kicker_pair(lines, title_at)) is not None \
            and rule[pair] is None and rule[pair + 1] is None:
        title_at, joined = pair, headline.strip_site_name(lines[0])
    return title_at, joined


def _clean_dump(draft: Draft, templates: frozenset[str]) -> Draft:
    """Keep the article lines of a text dump: rules and templates first, then the line model."""
    from searchapp.ingest import headline

    try:
        from searchapp.ingest import linemodel
    except ImportError as exc:  # numpy missing: the chrome would stay in every dump
        from searchapp.errors import ExtractorUnavailable

        raise ExtractorUnavailable(f"the dump line model cannot load: {exc}") from exc
    lines = draft.blocks
    doc_script = dominant_script(lines)
    verdicts = [_cached_verdict(line, doc_script) for line in lines]
    rule: list[str | None] = [
        "template text" if templates and template_key(line) in templates else v
        for line, v in zip(lines, verdicts)]
    p = linemodel.load_model().probabilities(lines, verdicts)
    keep = linemodel.expected_f1_keep(p, linemodel.token_weights(lines))
    keep &= [r is None for r in rule]
    kept_at = [i for i in range(len(lines)) if keep[i]]
    if not kept_at:
        return clean_draft(draft, templates)
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
    run_from = start
    # (a line a rule dropped, such as a photo credit under the headline, does not break the run)
    while run_from > 0 and (rule[run_from - 1] is not None or keep[run_from - 1] or _is_meta(lines[run_from - 1])):
        run_from -= 1
    if run_from == 1 and rule[0] is None and len(lines[0]) <= 250 and not _is_paragraph(lines[0]):
        keep[0], run_from = True, 0   # the text opens with one heading right above the article: its headline
    # A page whose chrome is in another script than its article may put that chrome above the
    # <title> line (an English article on a Russian site): the title line is the first one in
    # the article's script.
    t0 = _title_line(lines, doc_script, start)
    title_rule = _other_language(lines, rule, keep, start) if doc_script == "cyrillic" else rule
    title_at, joined = _find_title(lines[t0:], title_rule[t0:], start - t0, max(run_from - t0, 0))
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
        for i in range(title_at + 1, start):
            if rule[i] is None and _is_meta(lines[i]):
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
        if _CREDIT.match(lines[i]) or (i == after[0] and _PERSON.match(lines[i])):
            header.add(i)
    kept: list[str] = []
    removed = list(draft.removed)
    p_list = p.tolist()   # Python floats format faster than numpy's, to the same text
    for i, line in enumerate(lines):
        if joined is not None and i == title_at:
            kept.append(joined)
        elif joined is not None and i == title_at + 1:
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
    _strip_signoff(kept, removed)
    title_hint = joined or (lines[title_at] if title_at is not None else None)
    nearest = page_dates.nearest_date_line(lines, min(kept_at[0], title_at if title_at is not None else kept_at[0]),
                                           kept_at[-1])
    # A text whose first line stands right above its first paragraph opens with its own headline,
    # not a page's <title>: "Choose hope over fear - Kennedy" keeps whom it quotes.
    own = start == 1 and bool(keep[0]) and joined is None and (title_at in (0, None))
    return replace(draft, blocks=kept, removed=removed, title_hint=title_hint, own_headline=own,
                   fallback_date_raw=nearest[0] if nearest else None,
                   fallback_author=page_bylines.header_author(lines, title_at, start, rule))


def template_key(block: str) -> str:
    """Normalise a block for counting repeats across files (case and spacing don't matter)."""
    return " ".join(block.lower().split())[:200]


def template_lines(files_blocks: list[list[str]], *, min_docs: int, min_share: float) -> frozenset[str]:
    """Return the short blocks that repeat across many files of one source: site template text.

    Long paragraphs are never template text (syndicated articles share whole paragraphs).
    """
    if len(files_blocks) < min_docs:
        return frozenset()
    counts: dict[str, int] = {}
    for blocks in files_blocks:
        for key in {template_key(b) for b in blocks if len(b) <= 200}:
            counts[key] = counts.get(key, 0) + 1
    need = max(min_docs, int(min_share * len(files_blocks) + 0.999))
    return frozenset(k for k, n in counts.items() if n >= need)
