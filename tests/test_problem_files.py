"""Files that are not articles are grouped by type, problems by reason; `ignore` globs in source.toml.

A source folder as researchers get them: articles beside hundreds of annotation files (the
shape of factRuEval-2016: .tokens, .spans, .objects... per text) and a few broken pages.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from searchapp.config import PROJECT_ROOT, Settings
from searchapp.indexing.reindex import reindex
from searchapp.ingest.discover import ignored, list_files
from searchapp.web.app import close_app, create_app

ANNOTATIONS = (".tokens", ".spans", ".objects")
N_TEXTS = 30


def _article(n: int) -> str:
    return (f"Встреча номер {n}\n\nМинистры стран ОДКБ встретились в Минске в {n}-й раз и "
            f"обсудили сотрудничество в области безопасности.\n")


@pytest.fixture
def corpus(make_corpus) -> Path:
    files: dict[str, str | bytes] = {}
    for n in range(N_TEXTS):
        files[f"fre/devset/book_{n}.txt"] = _article(n)
        for ext in ANNOTATIONS:
            files[f"fre/devset/book_{n}{ext}"] = f"{n} 0 5 # token\n"
    files["fre/LICENSE"] = "MIT\n"
    files["fre/broken/empty-1.txt"] = b""
    files["fre/broken/empty-2.txt"] = b""
    files["fre/broken/empty-3.txt"] = b""
    files["fre/broken/nul.html"] = b"\x00\x01\x02\x03" * 100
    return make_corpus(files, {"display_name": "factRuEval", "language": "ru"})


def test_reindex_summary_counts_apart_and_groups(settings: Settings, corpus: Path) -> None:
    summary = reindex(settings, progress=False)
    lines = summary.lines()
    n_not = N_TEXTS * len(ANNOTATIONS) + 1
    assert (f"{summary.added} new and 0 changed files ({N_TEXTS} indexed, {n_not} not articles, "
            f"3 skipped, 1 failed)") in lines[0]
    assert summary.indexed == N_TEXTS and summary.articles_total == N_TEXTS
    assert lines[1:] == [
        f"  {n_not} files of unsupported types (not articles, not read): .objects 30, .spans 30, "
        f".tokens 30, (no extension) 1",
        "  1 file failed: " + next(r for p, r in summary.failed if p == "fre/broken/nul.html")
        + " (.html 1): fre/broken/nul.html",
        "  3 files skipped: empty file (.txt 3): fre/broken/empty-1.txt, fre/broken/empty-2.txt, "
        "fre/broken/empty-3.txt",
    ]


def test_cli_ingest_prints_groups_and_reports_every_file(settings: Settings, corpus: Path,
                                                         tmp_path: Path) -> None:
    report = tmp_path / "report.jsonl"
    proc = subprocess.run(
        [sys.executable, "-m", "searchapp", "ingest", "--corpus", str(corpus), "--report",
         str(report), "--no-progress"], capture_output=True, text=True, timeout=300,
        env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    err = proc.stderr.splitlines()
    assert len(err) == 3, err  # one line per group, not one per file
    assert err[0].startswith(f"{N_TEXTS * 3 + 1} files of unsupported types")
    assert f"ingested {N_TEXTS * 4 + 5} files: {N_TEXTS} indexed, {N_TEXTS * 3 + 1} not articles, " \
           f"3 skipped, 1 failed, 0 with warnings; {N_TEXTS} articles" in proc.stdout
    rows = [json.loads(line) for line in report.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == N_TEXTS * 4 + 5  # nothing lost: every file keeps its own report line
    tokens = [r for r in rows if r["path"].endswith(".tokens")]
    assert tokens and all(r["outcome"] == "skipped" and "unsupported" in r["reason"] for r in tokens)


def test_sources_page_groups_and_does_not_call_annotations_problems(settings: Settings,
                                                                    corpus: Path) -> None:
    reindex(settings, progress=False)
    app = create_app(settings)
    try:
        client = app.test_client()
        html = client.get("/sources").data.decode()
        data = client.get("/api/sources").get_json()
    finally:
        close_app(app)
    assert sorted(p["path"] for p in data["problems"]) == [
        "fre/broken/empty-1.txt", "fre/broken/empty-2.txt", "fre/broken/empty-3.txt",
        "fre/broken/nul.html"]
    assert data["files"] == {"indexed": N_TEXTS, "not article": N_TEXTS * 3 + 1, "skipped": 3,
                             "failed": 1}
    groups = data["groups"]["fre"]
    assert [(g["outcome"], g["count"]) for g in groups] == [
        ("not article", N_TEXTS * 3 + 1), ("failed", 1), ("skipped", 3)]
    assert groups[0]["types"] == {".tokens": 30, ".spans": 30, ".objects": 30, "(no extension)": 1}
    assert '<td class="num">4</td>' in html  # the problem-files column counts problems only
    assert "fre: 4 problem files, 91 not articles" in html
    assert ".tokens 30" in html and "book_0.tokens" not in html  # grouped, not listed
    assert html.count("fre/broken/empty-") == 3


def test_sources_page_lists_the_first_paths_of_a_big_group(settings: Settings, make_corpus) -> None:
    make_corpus({f"src/empty-{n:03}.txt": b"" for n in range(40)} | {"src/ok.txt": _article(1)})
    reindex(settings, progress=False)
    app = create_app(settings)
    try:
        html = app.test_client().get("/sources").data.decode()
    finally:
        close_app(app)
    assert html.count("src/empty-") == 10 and "and 30 more" in html
    assert "40 files: <span class=\"reason\">empty file</span>" in html


def test_ignore_globs_in_source_toml(settings: Settings, corpus: Path) -> None:
    first = reindex(settings, progress=False)
    toml = corpus / "fre" / "source.toml"
    toml.write_text(toml.read_text() + 'ignore = ["*.tokens", "devset/*.spans", "broken", "LICENSE"]\n')
    files = list_files(corpus, "fre")
    assert not any(f.endswith((".tokens", ".spans")) or "/broken/" in f or f.endswith("LICENSE")
                   for f in files)
    assert sum(f.endswith(".objects") for f in files) == N_TEXTS
    second = reindex(settings, progress=False)
    assert second.deleted == N_TEXTS * 2 + 5  # tokens, spans, broken/*, LICENSE leave the report
    assert second.articles_total == first.articles_total == N_TEXTS
    line = second.lines()[0]
    assert f"({N_TEXTS} indexed, {N_TEXTS} not articles, 0 skipped, 0 failed)" in line


@pytest.mark.parametrize("path, patterns, expected", [
    ("a/b.tokens", ["*.tokens"], True),
    ("b.tokens", ["*.tokens"], True),
    ("a/b.txt", ["*.tokens"], False),
    ("annotations/x/y.txt", ["annotations"], True),
    ("x/annotations/y.txt", ["annotations"], True),
    ("devset/b.spans", ["devset/*.spans"], True),
    ("other/devset/b.spans", ["devset/*.spans"], False),
    ("devset/sub/b.txt", ["devset/sub"], True),
    ("devset/subway.txt", ["devset/sub"], False),
    ("README.md", ["readme.md"], False),  # case matters, as on the file system
])
def test_ignore_pattern_matching(path: str, patterns: list[str], expected: bool) -> None:
    assert ignored(path, patterns) is expected
