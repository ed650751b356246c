"""bench/fundus_pages.py and tools/train_linemodel.py --add: fundus's half A becomes train pages, half B never."""
from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import fundus_pages  # noqa: E402
from bench.external_dumps import site_half  # noqa: E402
from tools import train_linemodel as tl  # noqa: E402

BODY = ("The council voted on Tuesday to rebuild the old bridge over the river before winter comes. "
        "Engineers said the work would take four months and close the road to lorries.")


def _publisher(root: Path, name: str, body: str, *, html_body: str | None = None) -> None:
    """Write a fundus-like test page: <name>.json (one parser version), its page and meta.info."""
    folder = root / "tests/resources/parser/test_data/xx"
    folder.mkdir(parents=True, exist_ok=True)
    title = f"Bridge to be rebuilt says {name}"
    html = (f"<html><head><title>{title}</title></head><body><nav>Home</nav><nav>Sport</nav>"
            f"<h1>{title}</h1>{html_body if html_body is not None else f'<p>{body}</p>'}"
            "<footer>Contact us</footer></body></html>")
    page = folder / f"{name}_2025_01_02.html.gz"
    page.write_bytes(gzip.compress(html.encode()))
    (folder / f"{name}.json").write_text(json.dumps(
        {"V1": {"title": title, "authors": [], "publishing_date": None,
                "body": {"summary": [], "sections": [{"headline": [], "paragraphs": [body]}]}}}))
    meta = folder / "meta.info"
    known = json.loads(meta.read_text()) if meta.exists() else {}
    known[page.name] = {"url": f"https://www.{name.lower()}.example/news/bridge"}
    meta.write_text(json.dumps(known))


def test_only_half_a_publishers_become_train_pages(tmp_path, monkeypatch):
    monkeypatch.setattr(fundus_pages, "dumpset_sites", lambda: set())
    assert site_half("PubC") == "A" and site_half("PubA") == "B"
    _publisher(tmp_path, "PubC", BODY)
    _publisher(tmp_path, "PubA", BODY)
    # a page that builds its article with JavaScript: the dump holds none of the body
    _publisher(tmp_path, "Alpha", BODY, html_body="")
    pages, dropped = fundus_pages.half_a_pages(tmp_path)
    assert [p["site"] for p in pages] == ["PubC"]
    page = pages[0]
    assert page["corpus"] == "fundus" and page["gold"] and page["ref"] == BODY
    assert page["url"] == "https://www.pubc.example/news/bridge"
    # the body's line is content; the menu, the headline (not in the parser's body) and the footer are not
    assert [l for l, k in zip(page["lines"], page["labels"]) if k] == [BODY]
    assert "Home" in page["lines"] and len(page["labels"]) == len(page["lines"])
    assert dropped == []  # Alpha is half B: never looked at
    out = tmp_path / "fundus-a.jsonl"
    fundus_pages.main([str(tmp_path), "--out", str(out)])
    assert [json.loads(l)["site"] for l in out.read_text().splitlines()] == ["PubC"]


def test_a_half_a_page_of_a_dev_site_or_without_its_body_is_left_out(tmp_path, monkeypatch):
    monkeypatch.setattr(fundus_pages, "dumpset_sites", lambda: {"pubc.example"})
    monkeypatch.setattr(fundus_pages, "split_of", lambda site: "dev")
    _publisher(tmp_path, "PubC", BODY)
    pages, dropped = fundus_pages.half_a_pages(tmp_path)
    assert pages == [] and "pubc.example is a dumpset dev site" in dropped[0]
    monkeypatch.setattr(fundus_pages, "dumpset_sites", lambda: set())
    _publisher(tmp_path, "PubC", BODY, html_body="<div id='app'></div>")
    pages, dropped = fundus_pages.half_a_pages(tmp_path)
    assert pages == [] and "does not hold the body" in dropped[0]


def test_add_refuses_fundus_half_b_and_the_judged_splits(monkeypatch):
    half_b = {"id": "fundus/xx/PubA_2025_01_02.html.gz#V1", "corpus": "fundus", "site": "PubA"}
    half_a = {"id": "fundus/xx/PubC_2025_01_02.html.gz#V1", "corpus": "fundus", "site": "PubC"}
    monkeypatch.setattr(tl, "load", lambda name: [half_a])
    assert tl.added_pages("fundus-a") == [half_a]
    monkeypatch.setattr(tl, "load", lambda name: [half_a, half_b])
    with pytest.raises(SystemExit, match="half B"):
        tl.added_pages("fundus-a")
    read = []
    monkeypatch.setattr(tl, "load", lambda name: read.append(name) or [])
    for split in ("dev", "dev-extra", "test"):
        with pytest.raises(SystemExit, match="judged on"):
            tl.added_pages(split)
    assert read == []
