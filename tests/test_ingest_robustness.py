"""Prove ingest's promise on bad input: every file ends up indexed or reported with a clear reason.

Issue 2 item 8 and issue 5 "Hostile and broken input". Files are real files in tmp_path; only
faults that a root test run cannot produce (unreadable, vanishing files) are injected.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import resource
import subprocess
import sys
from pathlib import Path

import pytest

import hostile
from hostile import CASES, EN_WORDS, RU_TITLE, RU_PARAS, RU_WORDS, Case, FileFaults
from searchapp.errors import DecodeError
from searchapp.models import Article, IngestOutcome, SourceConfig
from searchapp.ingest.decode import decode_bytes
from searchapp.ingest.pipeline import ingest_corpus, ingest_file

SRC = SourceConfig(name="src", display_name="Source", language="en")
REPO = Path(__file__).resolve().parents[1]
MOJIBAKE = ("Ð", "Ñ", "Â", "Ã", "â€", "\ufffd")
Result = tuple[IngestOutcome, list[Article]]


def run_file(settings, make_corpus, name: str, data: bytes, **changes) -> Result:
    """Write src/<name> into a fresh corpus and ingest just that file."""
    make_corpus({f"src/{name}": data})
    s = settings.replace(**changes) if changes else settings
    return ingest_file(s.corpus_dir, f"src/{name}", SRC, s)


def text_of(articles: list[Article]) -> str:
    return "\n".join(a.title + "\n" + "\n".join(a.body) for a in articles)


def assert_reason(reason: str, words: tuple[str, ...]) -> None:
    """The reason is a sentence for a person: present, not a traceback, naming the problem."""
    assert reason.strip(), "no reason given"
    assert "Traceback" not in reason and len(reason) < 1000, reason
    assert "internal error" not in reason.lower(), f"a crash, not a reason: {reason}"
    assert any(w in reason.lower() for w in words), f"reason {reason!r} names none of {words}"


def assert_indexed(result: Result, words: tuple[str, ...]) -> None:
    outcome, articles = result
    assert outcome.outcome == "indexed", f"{outcome.path}: {outcome.outcome} ({outcome.reason})"
    assert articles and outcome.article_ids == [a.id for a in articles]
    text = text_of(articles).lower()
    for word in words:
        assert word.lower() in text, f"{word!r} missing from {text[:300]!r}"


def assert_reported(result: Result, words: tuple[str, ...]) -> None:
    outcome, articles = result
    assert outcome.outcome in ("skipped", "failed"), f"{outcome.path}: {outcome.outcome}"
    assert articles == [] and outcome.article_ids == []
    assert_reason(outcome.reason, words)


def mentions_line(reason: str, n: int) -> bool:
    """True when the reason points at line `n` ("line 2", "lines 2, 4", "line 4: bad JSON")."""
    return re.search(rf"\blines?\b[^.;]*?\b{n}\b", reason, re.I) is not None


@pytest.fixture
def faults(monkeypatch) -> FileFaults:
    return FileFaults().install(monkeypatch)


# --- the catalogue: every kind of hostile file alone ------------------------------------------

@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_hostile_file_gets_its_outcome(settings, make_corpus, case: Case):
    result = run_file(settings, make_corpus, case.name, case.make())
    assert result[0].path == f"src/{case.name}"
    if case.expect == "indexed":
        assert_indexed(result, case.words)
    else:
        assert_reported(result, case.reason)


# --- encodings: the Russian words come out right ----------------------------------------------

RU_FILES = [
    ("txt", "utf-8-sig", None), ("txt", "utf-16-le+bom", None), ("txt", "utf-16-be+bom", None),
    ("txt", "cp1251", None), ("txt", "koi8-r", None), ("txt", "utf-8", None),
    ("html", "cp1251", None), ("html", "koi8-r", None),              # no declaration at all
    ("html", "cp1251", "windows-1251"), ("html", "koi8-r", "koi8-r"),  # honest declarations
    ("html", "cp1251", "utf-8"), ("html", "utf-8", "iso-8859-1"),      # lying declarations
    ("html", "koi8-r", "windows-1251"), ("html", "utf-16-le+bom", "utf-8"),
]


@pytest.mark.parametrize("fmt,encoding,declared", RU_FILES, ids=lambda v: str(v))
def test_russian_text_decodes_right(settings, make_corpus, fmt, encoding, declared):
    if fmt == "txt":
        page = hostile.txt_page(RU_TITLE, RU_PARAS)
    else:
        page = hostile.html_page(RU_TITLE, RU_PARAS, charset=declared, lang="ru")
    outcome, articles = result = run_file(settings, make_corpus, f"page.{fmt}",
                                          hostile.encode(page, encoding))
    assert_indexed(result, RU_WORDS)
    assert len(articles) == 1
    assert "Выборы в Минске" in articles[0].title
    assert any("явка избирателей" in p for p in articles[0].body)
    text = text_of(articles)
    assert not [m for m in MOJIBAKE if m in text], f"mojibake in {text[:200]!r}"


DECODE_TABLE = [
    (hostile.encode("Минск, выборы", "utf-8-sig"), None, False),
    (hostile.encode("Минск, выборы", "utf-16-le+bom"), None, False),
    (hostile.encode("Минск, выборы", "utf-16-be+bom"), None, False),
    (hostile.txt_page(RU_TITLE, RU_PARAS).encode("cp1251"), None, False),
    (hostile.txt_page(RU_TITLE, RU_PARAS).encode("koi8-r"), None, False),
    (hostile.txt_page(RU_TITLE, RU_PARAS).encode("cp1251"), "utf-8", False),
    (hostile.txt_page(RU_TITLE, RU_PARAS).encode("utf-8"), "latin-1", False),
    (hostile.lying_html("utf-8", "cp1251"), None, True),
    (hostile.lying_html("iso-8859-1", "utf-8"), None, True),
    (hostile.lying_html("windows-1251", "koi8-r"), None, True),
    # a declared Cyrillic charset that is not the page's still competes with the others
    (hostile.lying_html("iso-8859-5", "cp1251"), None, True),
    (hostile.lying_html("koi8-u", "cp1251"), None, True),
    (hostile.lying_html("x-mac-cyrillic", "koi8-r"), None, True),
]


@pytest.mark.parametrize("data,declared,html", DECODE_TABLE)
def test_decode_bytes_finds_the_real_encoding(data, declared, html):
    text, encoding = decode_bytes(data, declared=declared, html=html)
    assert "Минск" in text and "выборы" in text, (encoding, text[:80])
    assert encoding and not text.startswith("\ufeff")


# --- encodings: legacy pages in other languages never come out as Cyrillic ---------------------

# (language, title, paragraphs): news prose written here, in the languages whose old pages and
# text exports are in a legacy code page.
LEGACY_TEXTS = {
    "zh": ("国务院召开常务会议部署稳就业工作", (
        "国务院总理今天主持召开国务院常务会议，部署进一步稳定和扩大就业的措施，要求各地加大对中小企业的支持力度。",
        "会议指出，今年以来经济运行总体平稳，但就业压力依然较大，高校毕业生和农民工就业需要重点关注。",
        "会议决定，延长阶段性降低失业保险费率政策，并对吸纳就业困难人员的企业给予社会保险补贴。")),
    "ko": ("정부, 중소기업 고용 지원 대책 발표", (
        "정부는 오늘 국무회의를 열고 중소기업의 고용을 늘리기 위한 새로운 지원 대책을 발표했습니다.",
        "이번 대책에는 청년 고용 장려금을 확대하고 지방 기업에 대한 세제 혜택을 늘리는 방안이 포함됐습니다.",
        "정부 관계자는 올해 하반기부터 지원이 본격적으로 시행될 것이라고 밝혔습니다.")),
    "fr": ("Le député présente sa réforme à l'Assemblée", (
        "Le député a présenté jeudi à l'Assemblée nationale une réforme très attendue des retraites, après des mois de négociations.",
        "Selon lui, la réforme garantira l'équilibre du système d'ici à 2030 et protégera les carrières longues.",
        "Les syndicats ont déjà annoncé une journée de grève et appellent à manifester dès la semaine prochaine à Paris.")),
    "es": ("El gobierno de España aprueba la reforma", (
        "El gobierno de España aprobó el martes una reforma de las pensiones que afectará a millones de trabajadores.",
        "La ministra explicó en rueda de prensa que la reforma garantizará la sostenibilidad del sistema durante la próxima década.",
        "Los sindicatos señalaron que estudiarán el texto antes de decidir si convocan movilizaciones en otoño.")),
    "pl": ("Sejm przyjął ustawę o wsparciu dla rolników", (
        "Sejm przyjął w piątek ustawę, która przewiduje dopłaty dla rolników poszkodowanych przez tegoroczną suszę.",
        "Minister rolnictwa podkreślił, że pieniądze trafią do gospodarstw jeszcze przed końcem października.",
        "Opozycja krytykuje projekt, twierdząc, że pomoc jest spóźniona i zbyt mała w porównaniu z potrzebami wsi.")),
    "el": ("Η κυβέρνηση ανακοίνωσε νέα μέτρα στήριξης", (
        "Η κυβέρνηση ανακοίνωσε σήμερα νέα μέτρα στήριξης για τις μικρές επιχειρήσεις που επλήγησαν από την κρίση.",
        "Ο υπουργός Οικονομικών δήλωσε ότι τα μέτρα θα τεθούν σε ισχύ από τον επόμενο μήνα.",
        "Η αντιπολίτευση χαρακτήρισε τα μέτρα ανεπαρκή και ζήτησε συζήτηση στη Βουλή.")),
}
# (format, language, codec, declared charset): declared pages, and pages and text files that declare nothing
LEGACY_FILES = [
    ("html", "zh", "gbk", "gb2312"), ("html", "zh", "gb18030", "gbk"), ("html", "ko", "euc-kr", "euc-kr"),
    ("html", "el", "cp1253", "windows-1253"), ("html", "fr", "cp1252", "iso-8859-1"),
    ("html", "pl", "cp1250", "windows-1250"),
    *[(fmt, lang, codec, None) for fmt in ("html", "txt")
      for lang, codec in (("fr", "cp1252"), ("es", "cp1252"), ("pl", "cp1250"), ("zh", "gbk"))],
]


@pytest.mark.parametrize("fmt,lang,codec,declared", LEGACY_FILES, ids=lambda v: str(v))
def test_legacy_pages_in_other_languages_decode_right(settings, make_corpus, fmt, lang, codec, declared):
    """A GBK, EUC-KR, Greek or Latin code page is no Cyrillic one: the words come back as written.

    (GB2312 and EUC-KR read as koi8-r, and French, Spanish or Polish accents read as cp1251 or
    cp1250, used to pass as text: every word garbled, nothing said.)
    """
    title, paras = LEGACY_TEXTS[lang]
    page = hostile.txt_page(title, paras) if fmt == "txt" else hostile.html_page(title, paras, charset=declared, lang=lang)
    outcome, articles = result = run_file(settings, make_corpus, f"page.{fmt}", page.encode(codec))
    assert outcome.outcome == "indexed", outcome.reason
    text = text_of(articles)
    assert title in text and paras[1] in text, text[:300]


@pytest.mark.parametrize("lang", ["fr", "pl", "zh"])
def test_a_utf8_file_with_a_corrupt_byte_stays_utf8_and_says_so(settings, make_corpus, lang):
    """One bad byte in a UTF-8 file (a cut download) costs that byte, not every accented letter.

    (Read as a legacy code page, "député" became "dÃĐputÃĐ" all through the file, in silence.)
    """
    title, paras = LEGACY_TEXTS[lang]
    data = hostile.txt_page(title, paras).encode("utf-8")
    cut = data.index(paras[1].encode("utf-8"))
    outcome, articles = result = run_file(settings, make_corpus, "page.txt", data[:cut] + b"\xff" + data[cut:])
    assert outcome.outcome == "indexed", outcome.reason
    text = text_of(articles)
    assert title in text and paras[1] in text and paras[2] in text, text[:300]
    assert any("not valid UTF-8" in w and w.startswith("1 byte sequence ") for w in outcome.warnings), outcome.warnings


def test_a_page_declared_latin_1_is_read_as_browsers_read_it():
    """Pages declaring iso-8859-1 are written in windows-1252: its quotes and dashes come back."""
    page = hostile.html_page("Minister says \u201cno\u201d \u2013 again", ("He said \u201cno\u201d to the plan \u2013 again.",) * 3,
                             charset="iso-8859-1")
    text, encoding = decode_bytes(page.encode("cp1252"), html=True)
    assert "\u201cno\u201d \u2013 again" in text and encoding == "cp1252"


@pytest.mark.parametrize("data", [hostile.png_bytes(), hostile.pdf_bytes(), hostile.zip_bytes(),
                                  hostile.undecodable_bytes()], ids=["png", "pdf", "zip", "random"])
def test_decode_bytes_refuses_binary(data):
    with pytest.raises(DecodeError) as err:
        decode_bytes(data, html=True)
    assert str(err.value).strip()


# --- NUL bytes, deep and huge HTML -------------------------------------------------------------

def test_nul_laden_text_never_leaks_nul(settings, make_corpus):
    outcome, articles = result = run_file(settings, make_corpus, "nul.txt", hostile.nul_laden_text())
    if outcome.outcome == "indexed":
        assert_indexed(result, EN_WORDS)
        for a in articles:
            assert "\x00" not in json.dumps(a.to_json(), ensure_ascii=False)
    else:
        assert_reported(result, ("nul", "binary", "not text", "control"))


_CHILD = """
import json, sys
from pathlib import Path
from searchapp.config import Settings
from searchapp.ingest.pipeline import ingest_file
from searchapp.models import SourceConfig
corpus, rel = Path(sys.argv[1]), sys.argv[2]
outcome, articles = ingest_file(corpus, rel, SourceConfig("src", "Source", language="en"),
                                Settings(corpus_dir=corpus))
print(json.dumps({"outcome": outcome.to_json(), "articles": [a.to_json() for a in articles]}))
"""


def run_file_bounded(settings, make_corpus, name: str, data: bytes, timeout: float = 120) -> Result:
    """Ingest src/<name> in a child process; fail (not hang the suite) if it takes over `timeout` s."""
    make_corpus({f"src/{name}": data})
    try:
        proc = subprocess.run([sys.executable, "-c", _CHILD, str(settings.corpus_dir), f"src/{name}"],
                              env={**os.environ, "PYTHONPATH": str(REPO)}, capture_output=True,
                              text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        pytest.fail(f"ingesting {name} ({len(data):,} bytes) did not finish within {timeout:.0f}s")
    assert proc.returncode == 0, proc.stderr[-2000:]
    got = json.loads(proc.stdout.splitlines()[-1])
    return IngestOutcome(**got["outcome"]), [Article.from_json(a) for a in got["articles"]]


# The point is "finishes and keeps the text", not speed: the bound is generous on purpose.
PATHOLOGICAL = [
    ("deep_closed.html", lambda: hostile.nested_divs(100_000)),
    ("deep_unclosed.html", lambda: hostile.nested_divs(100_000).replace(b"</div>", b"")),
    ("wide_spans.html", lambda: hostile.wide_page(100_000, "span")),
    ("wide_divs.html", lambda: hostile.wide_page(100_000, "div")),
    ("many_lines.txt", lambda: hostile.many_lines(200_000)),
    ("one_huge_line.txt", lambda: hostile.one_huge_line(4_000_000)),
]


@pytest.mark.slow
@pytest.mark.parametrize("name,make", PATHOLOGICAL, ids=[n for n, _ in PATHOLOGICAL])
def test_pathological_shapes_finish_and_keep_the_text(settings, make_corpus, name, make):
    outcome, articles = result = run_file_bounded(settings, make_corpus, name, make())
    if outcome.outcome == "indexed":
        assert_indexed(result, EN_WORDS)
        assert any("cyber crime" in p for a in articles for p in a.body), "article text lost"
    else:
        assert_reported(result, ("deep", "nest", "element", "too many", "complex", "large", "long"))


def test_huge_attribute_stays_out_of_the_text(settings, make_corpus):
    outcome, articles = result = run_file(settings, make_corpus, "attr.html", hostile.huge_attribute())
    assert_indexed(result, EN_WORDS)
    assert "AAAAAAAAAA" not in text_of(articles)


def test_truncated_html_keeps_what_arrived(settings, make_corpus):
    outcome, articles = result = run_file(settings, make_corpus, "cut.html", hostile.truncated_html())
    assert_indexed(result, EN_WORDS + ("next meeting", "cyber crime"))
    assert "unfinis" not in text_of(articles)


# --- size limit: skipped, and not read into memory ---------------------------------------------

SIZE_WORDS = ("large", "size", "limit", "bytes", "mb", "too big")


def test_file_over_size_limit_is_skipped_unread(settings, make_corpus, faults):
    data = hostile.txt_page().encode() * 500                       # ~200 KB of good text
    make_corpus({"src/big.txt": data})
    key = faults.watch(settings.corpus_dir / "src/big.txt")
    s = settings.replace(max_file_bytes=1000)
    result = ingest_file(s.corpus_dir, "src/big.txt", SRC, s)
    assert_reported(result, SIZE_WORDS)
    assert result[0].outcome == "skipped"
    # A sniff of the head is fine; reading the file is not.
    assert faults.bytes_read.get(key, 0) <= 64 * 1024, faults.bytes_read


def test_sparse_multi_gigabyte_file_is_skipped_unread(settings, make_corpus, faults):
    make_corpus({"src/ok.txt": hostile.txt_page()})
    path = hostile.make_sparse(settings.corpus_dir / "src/huge.txt", 4 * 1024**3)
    key = faults.watch(path)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss        # KiB on Linux
    result = ingest_file(settings.corpus_dir, "src/huge.txt", SRC, settings)
    rss_growth_mib = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) / 1024
    assert_reported(result, SIZE_WORDS)
    assert faults.bytes_read.get(key, 0) <= settings.max_file_bytes + 1, faults.bytes_read
    assert rss_growth_mib < 512, f"peak memory grew {rss_growth_mib:.0f} MiB"


# --- unreadable and vanishing files ------------------------------------------------------------

UNREADABLE_WORDS = ("permission", "denied", "unreadable", "not readable", "cannot read", "can't read")
VANISHED_WORDS = ("not found", "no such file", "disappeared", "vanished", "missing", "deleted",
                  "no longer", "does not exist")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads chmod 000 files; see the simulated test")
def test_chmod_000_file_is_reported(settings, make_corpus):
    make_corpus({"src/locked.txt": hostile.txt_page()})
    path = settings.corpus_dir / "src/locked.txt"
    path.chmod(0)
    try:
        assert_reported(ingest_file(settings.corpus_dir, "src/locked.txt", SRC, settings),
                        UNREADABLE_WORDS)
    finally:
        path.chmod(0o644)


def test_unreadable_file_is_reported(settings, make_corpus, faults):
    make_corpus({"src/locked.txt": hostile.txt_page()})
    faults.watch(settings.corpus_dir / "src/locked.txt", "deny")
    assert_reported(ingest_file(settings.corpus_dir, "src/locked.txt", SRC, settings),
                    UNREADABLE_WORDS)


def test_file_gone_before_reading_is_reported(settings, make_corpus):
    make_corpus({"src/gone.txt": hostile.txt_page()})
    (settings.corpus_dir / "src/gone.txt").unlink()
    assert_reported(ingest_file(settings.corpus_dir, "src/gone.txt", SRC, settings), VANISHED_WORDS)


# "deny" and "vanish" are injected in this process only, so they act in-process (the template
# sample opens the file first). With worker processes, which read the sample too, the file is
# deleted after the sample has read it and before the ingest: its sampled read must not be used.
@pytest.mark.parametrize("mode,words,workers", [("vanish", VANISHED_WORDS, 1), ("vanish", VANISHED_WORDS, 2),
                                                ("deny", UNREADABLE_WORDS, 1)])
def test_corpus_run_survives_files_failing_mid_run(settings, make_corpus, faults, mode, words, workers,
                                                   monkeypatch):
    from searchapp.ingest import pipeline

    files = {f"src/{i:02d}.txt": hostile.txt_page(f"Story{i} {hostile.EN_TITLE}", hostile.varied_paras(i))
             for i in range(6)}
    files["other/a.html"] = hostile.html_page()
    make_corpus(files, {"display_name": "Source"})
    victim = settings.corpus_dir / "src/03.txt"
    if workers == 1:
        faults.watch(victim, mode)
    else:
        real = pipeline.ingest_many

        def vanish_then_ingest(corpus_dir, jobs, *args, **kwargs):
            assert "src/03.txt" in kwargs["reads"]      # the sample did read it
            victim.unlink()
            return real(corpus_dir, jobs, *args, **kwargs)

        monkeypatch.setattr(pipeline, "ingest_many", vanish_then_ingest)
    settings = settings.replace(ingest_workers=workers, parallel_min_files=1)
    results = list(ingest_corpus(settings, progress=False))
    by_path = {o.path: (o, arts) for o, arts in results}
    assert len(by_path) == len(results) == len(files), sorted(o.path for o, _ in results)
    assert_reported(by_path.pop("src/03.txt"), words)
    for path, result in by_path.items():
        assert_indexed(result, ())


# --- JSON lines: good lines survive, bad ones are reported by number ---------------------------

def _jsonl_run(settings, make_corpus, lines, **changes) -> Result:
    return run_file(settings, make_corpus, "feed.jsonl", hostile.jsonl(lines), **changes)


def _markers(articles: list[Article]) -> set[str]:
    return set(re.findall(r"Story\d+", text_of(articles)))


def test_jsonl_bad_json_lines_are_reported_by_number(settings, make_corpus):
    good = hostile.good_record
    lines = [good(1), '{"title": "broken', good(3), "not json at all", good(5)]
    outcome, articles = result = _jsonl_run(settings, make_corpus, lines)
    assert_indexed(result, ("Story1", "Story3", "Story5"))
    assert len(articles) == 3 and _markers(articles) == {"Story1", "Story3", "Story5"}
    assert mentions_line(outcome.reason, 2) and mentions_line(outcome.reason, 4), outcome.reason


def test_jsonl_lines_that_are_not_objects_are_reported(settings, make_corpus):
    lines = [hostile.good_record(1), "[1, 2]", '"just a string"', "42", "null", hostile.good_record(6)]
    outcome, articles = result = _jsonl_run(settings, make_corpus, lines)
    assert_indexed(result, ("Story1", "Story6"))
    assert len(articles) == 2
    for n in (2, 3, 4, 5):
        assert mentions_line(outcome.reason, n), (n, outcome.reason)


def test_jsonl_records_missing_fields_are_indexed_or_reported(settings, make_corpus):
    text = "Story3 " + " ".join(hostile.EN_PARAS)
    lines = [hostile.good_record(1), {"url": "https://example.org/x", "date": "2017-01-01"},
             {"text": text}, {"title": "Story4 headline only"}, hostile.good_record(5)]
    outcome, articles = result = _jsonl_run(settings, make_corpus, lines)
    assert_indexed(result, ("Story1", "Story5"))
    assert mentions_line(outcome.reason, 2), outcome.reason          # nothing there to index
    found = _markers(articles)
    for n in (3, 4):                                                  # each line accounted for
        assert f"Story{n}" in found or mentions_line(outcome.reason, n), (n, outcome.reason)
    assert all(a.title.strip() for a in articles)


def test_jsonl_line_over_limit_is_reported(settings, make_corpus):
    big = {"title": "Story2 big", "text": "Story2 " + "word " * 4000}
    lines = [hostile.good_record(1), big, hostile.good_record(3)]
    outcome, articles = result = _jsonl_run(settings, make_corpus, lines, max_jsonl_line_bytes=2000)
    assert_indexed(result, ("Story1", "Story3"))
    assert _markers(articles) == {"Story1", "Story3"}
    assert mentions_line(outcome.reason, 2), outcome.reason
    assert_reason(outcome.reason, SIZE_WORDS + ("long",))


def test_jsonl_with_no_good_line_is_not_indexed(settings, make_corpus):
    result = _jsonl_run(settings, make_corpus, ["{oops", "[]", '{"url": "https://example.org"}'])
    assert_reported(result, ("line",))


def test_jsonl_with_bom_crlf_and_blank_lines_loses_nothing(settings, make_corpus):
    good = hostile.good_record
    body = hostile.jsonl([good(1), good(2)]).decode() + "\n   \n" + hostile.jsonl([good(3)]).decode()
    data = b"\xef\xbb\xbf" + body.replace("\n", "\r\n").encode("utf-8")
    outcome, articles = result = run_file(settings, make_corpus, "export.jsonl", data)
    assert_indexed(result, ())
    assert _markers(articles) == {"Story1", "Story2", "Story3"}
    assert outcome.reason == "", f"blank lines and a BOM are not bad records: {outcome.reason}"


# --- ids and duplicates ------------------------------------------------------------------------

def test_same_article_under_two_paths_gets_two_outcomes_and_ids(settings, make_corpus):
    page = hostile.html_page()
    make_corpus({"src/a.html": page, "src/mirror/a.html": page, "src/b.html": page})
    results = {rel: ingest_file(settings.corpus_dir, rel, SRC, settings)
               for rel in ("src/a.html", "src/mirror/a.html", "src/b.html")}
    ids = []
    for rel, result in results.items():
        assert_indexed(result, EN_WORDS)
        for item, a in enumerate(result[1]):
            assert a.id == f"src/{hashlib.sha1(rel.encode()).hexdigest()[:12]}-{item}", a.id
            assert a.path == rel
            ids.append(a.id)
    assert len(ids) == len(set(ids)) == 3
    again = ingest_file(settings.corpus_dir, "src/a.html", SRC, settings)
    assert again[0].article_ids == results["src/a.html"][0].article_ids   # stable across runs


# --- the whole run through the CLI -------------------------------------------------------------

@pytest.mark.slow
def test_cli_ingest_reports_every_file_once_and_exits_0(settings, make_corpus, tmp_path):
    expect = hostile.write_mixed_corpus(settings.corpus_dir)
    out, report = tmp_path / "articles.jsonl", tmp_path / "report.jsonl"
    env = {**os.environ, "SEARCHAPP_MAX_FILE_BYTES": str(8 * 1024**2),
           "SEARCHAPP_INDEX_DIR": str(settings.index_dir), "PYTHONPATH": str(REPO)}
    proc = subprocess.run(
        [sys.executable, "-m", "searchapp", "ingest", "--corpus", str(settings.corpus_dir),
         "--jsonl", str(out), "--report", str(report)],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    summary = (proc.stdout + proc.stderr).lower()
    assert "indexed" in summary and re.search(r"\d", summary), summary

    rows = [json.loads(line) for line in report.read_text(encoding="utf-8").splitlines()]
    paths = [r["path"] for r in rows]
    assert sorted(paths) == sorted(expect), "every corpus file exactly once, nothing else"
    by_path = {r["path"]: r for r in rows}
    for rel, want in expect.items():
        row = by_path[rel]
        assert row["outcome"] in ("indexed", "skipped", "failed"), row
        assert isinstance(row["article_ids"], list) and isinstance(row["reason"], str)
        if row["outcome"] != "indexed":
            assert row["reason"].strip() and not row["article_ids"], row
        if want in ("indexed", "not_indexed"):
            assert (row["outcome"] == "indexed") == (want == "indexed"), row
    assert mentions_line(by_path["feeds/feed.jsonl"]["reason"], 2)

    articles = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    for a in articles:
        assert list(a) == list(Article.FIELDS) or set(a) == set(Article.FIELDS), sorted(a)
        for key in ("published", "page_date"):
            assert a[key] is None or isinstance(a[key], str), (key, a[key])
        Article.from_json(a)                                   # ISO strings parse back
        assert by_path[a["path"]]["outcome"] == "indexed"
    ids = [a["id"] for a in articles]
    assert len(ids) == len(set(ids))
    reported = [i for r in rows for i in r["article_ids"]]
    assert sorted(reported) == sorted(ids), "report and article stream name the same articles"
    ru = [a for a in articles if a["path"].startswith(("cp1251/", "koi8r/", "lie-"))]
    assert ru and all("Минск" in " ".join(a["body"]) for a in ru), [a["title"] for a in ru]


def _run_cli(settings, tmp_path, *extra_env: tuple[str, str]) -> tuple[subprocess.CompletedProcess, list, list]:
    out, report = tmp_path / "articles.jsonl", tmp_path / "report.jsonl"
    env = {**os.environ, "SEARCHAPP_INDEX_DIR": str(settings.index_dir), "PYTHONPATH": str(REPO),
           **dict(extra_env)}
    proc = subprocess.run(
        [sys.executable, "-m", "searchapp", "ingest", "--corpus", str(settings.corpus_dir),
         "--jsonl", str(out), "--report", str(report), "--no-progress"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
    read = lambda p: [json.loads(x) for x in p.read_text(encoding="utf-8").splitlines()] if p.exists() else []
    return proc, read(out), read(report)


def test_cli_survives_odd_file_names_and_dangling_links(settings, make_corpus, tmp_path):
    page = hostile.txt_page()
    make_corpus({"src/новости дня.txt": page, "src/it's & <odd>.html": hostile.html_page()})
    src = os.fsencode(settings.corpus_dir / "src")
    with open(src + b"/caf\xe9-latin1-name.txt", "wb") as f:     # not valid UTF-8: a legacy name
        f.write(hostile.txt_page("Cafe owners in Minsk", hostile.varied_paras(9)).encode())
    os.symlink("/nonexistent/gone.txt", settings.corpus_dir / "src/dangling.txt")
    proc, articles, rows = _run_cli(settings, tmp_path)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert len(rows) == 4, [r["path"] for r in rows]
    by_name = {Path(r["path"]).name: r for r in rows}
    assert by_name["новости дня.txt"]["outcome"] == "indexed"
    assert by_name["it's & <odd>.html"]["outcome"] == "indexed"
    dangling = by_name["dangling.txt"]
    assert dangling["outcome"] in ("skipped", "failed")
    assert_reason(dangling["reason"], VANISHED_WORDS + ("link", "symlink"))
    assert [r for r in rows if "caf" in r["path"]], "the legacy-named file gets its report line"
