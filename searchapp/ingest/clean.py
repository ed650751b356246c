"""Cleaning: drop site chrome from a Draft's blocks and keep what was dropped, for audit.

Every rule is about the *kind* of line (navigation, caption, promo, camera file name, a line in
another script than the article), not about particular sites, so it holds for outlets we have
not seen. Rules only fire on short lines: a real paragraph that merely mentions "subscribe" stays.
"""
from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from searchapp.ingest import byline_cues, dates
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


def foreign_script(text: str, doc_script: str) -> bool:
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
    import numpy as np   # (here, not above: the module stays importable for the error line of dump_clean.clean_dump)

    # Counted over the code points with numpy: the same letters _CYR and _LAT find, a page at once.
    cp = np.frombuffer("".join(blocks).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    cyr = int(np.count_nonzero((cp >= 0x400) & (cp <= 0x4FF)))
    lat = int(np.count_nonzero(((cp >= 0x41) & (cp <= 0x5A)) | ((cp >= 0x61) & (cp <= 0x7A))
                               | ((cp >= 0xC0) & (cp <= 0x24F))))
    if cyr == lat == 0:
        return None
    return "cyrillic" if cyr > lat else "latin"


@lru_cache(maxsize=1 << 16)
def cached_verdict(line: str, doc_script: str | None) -> str | None:
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
    if (words <= 6 and doc_script and len(text) < 60 and foreign_script(text, doc_script)
            and not dates.is_date_line(text)):  # a Russian date in an English page is metadata
        return "navigation in another script"
    return None


def clean_draft(draft: Draft, templates: frozenset[str] = frozenset(), *, dump: bool = False,
                order: str = "DMY") -> Draft:
    """Return a copy of `draft` without chrome lines; `removed` records each as "reason: line".

    `dump` says the blocks are the lines of a text dump (a .txt page), where the line model
    finds the article (dump_clean.clean_dump; `order` reads its date fields); elsewhere (HTML
    already reduced to its main text, JSON fields) only the rules run.
    """
    if dump:
        from searchapp.ingest import dump_clean   # (it builds on this module's rules)

        return dump_clean.clean_dump(draft, templates, order=order)
    doc_script = dominant_script(draft.blocks)
    kept: list[str] = []
    removed = list(draft.removed)
    in_template = template_hits(draft.blocks, templates)
    for block, template in zip(draft.blocks, in_template):
        if template:
            removed.append(f"template text: {block}")
            continue
        reason = line_verdict(block, doc_script)
        if reason == "blank":
            continue
        if reason:
            removed.append(f"{reason}: {block}")
        else:
            kept.append(block)
    strip_signoff(kept, removed)
    # A text too short to be a page's dump opens with its own headline, if anything, not a <title>.
    own = bool(kept) and bool(draft.blocks) and kept[0] == draft.blocks[0]
    return replace(draft, blocks=kept, removed=removed, own_headline=own)


def strip_signoff(kept: list[str], removed: list[str]) -> None:
    if kept:
        signed = _WIRE_SIGNOFF.sub("", kept[-1])
        if signed != kept[-1]:
            removed.append(f"wire sign-off: {kept[-1][len(signed):].strip()}")
            kept[-1] = signed


def template_key(block: str) -> str:
    """Normalise a block for counting repeats across files (case and spacing don't matter)."""
    return " ".join(block.lower().split())[:200]


def template_hits(lines: list[str], templates: frozenset[str]) -> list[bool]:
    """Say which of a file's lines are its source's template text.

    A page's header repeats across an outlet's files and is still the page's own: a folder of one
    day's stories repeats "27 Apr 2020" and the byline cue ("by") over an agency's name. The
    header reader needs them in place to find the headline above them and the author below.
    """
    if not templates:
        return [False] * len(lines)
    return [template_key(line) in templates and not _header_line(line) for line in lines]


_LABELLED = re.compile(rf"^\W*(?:{byline_cues.LABELLED})", re.I)


def _header_line(line: str) -> bool:
    return bool(byline_cues.CUE_ALONE.match(line) or _LABELLED.match(line)) or dates.is_date_line(line) is not None


def template_lines(files_blocks: list[list[str]], *, min_docs: int, min_share: float) -> frozenset[str]:
    """Return the short blocks that repeat across many files of one source: site template text.

    Long paragraphs are never template text (syndicated articles share whole paragraphs). Copies of
    one story (a page saved twice, a syndicated copy, the same article under another language's
    menus) count as one file: otherwise their shared headline and short paragraphs would repeat in
    enough files to be taken for the site's template and be cut from every copy.
    """
    stories = _story_groups(files_blocks)
    if len(stories) < min_docs:
        return frozenset()
    counts: dict[str, int] = {}
    for group in stories:
        keys = {template_key(b) for i in group for b in files_blocks[i] if len(b) <= 200}
        for key in keys:
            counts[key] = counts.get(key, 0) + 1
    need = max(min_docs, int(min_share * len(stories) + 0.999))
    return frozenset(k for k, n in counts.items() if n >= need)


_STORY_TEXT = 60        # chars: a block this long is a sentence of the story, not a menu item
_FEW_COPIES = 5         # a story saved again, its print or AMP page, a syndicated copy: a few files


def _story_groups(files_blocks: list[list[str]]) -> list[list[int]]:
    """Group the files that are copies of one story: most of their sentence-long text is shared.

    "Most" is weighed in characters against the smaller file. Sentences in more than half of the
    files (and more than _FEW_COPIES: copies of one story are few) are the site's, not a story's: a long
    legal footer or cookie notice on every page must not make two different short stories one.
    When in doubt files are grouped, which only finds fewer template lines (keeps chrome) and
    never cuts a story's own text.
    """
    weight: list[dict[str, int]] = []
    holders: dict[str, list[int]] = {}
    for i, blocks in enumerate(files_blocks):
        own = {template_key(b): len(b) for b in blocks if len(b) >= _STORY_TEXT}
        weight.append(own)
        for key in own:
            holders.setdefault(key, []).append(i)
    site_wide = {key for key, files in holders.items() if len(files) > max(_FEW_COPIES, len(files_blocks) // 2)}
    for own in weight:
        # A file whose every sentence is on most pages is such a copy itself (a folder of copies).
        if any(key not in site_wide for key in own):
            for key in site_wide.intersection(own):
                del own[key]
    shared: dict[tuple[int, int], int] = {}
    for key, files in holders.items():
        files = [i for i in files if key in weight[i]]
        if len(files) > 1:
            for a_pos, a in enumerate(files):
                for b in files[a_pos + 1:]:
                    shared[(a, b)] = shared.get((a, b), 0) + weight[a][key]
    parent = list(range(len(files_blocks)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    total = [sum(w.values()) for w in weight]
    for (a, b), chars in shared.items():
        if 2 * chars >= min(total[a], total[b]):
            parent[root(a)] = root(b)
    groups: dict[int, list[int]] = {}
    for i in range(len(files_blocks)):
        groups.setdefault(root(i), []).append(i)
    return list(groups.values())
