"""A corrupted or missing index at startup (issue 5).

For each kind of damage: `searchapp check` exits non-zero and says what is wrong (0 on a sound
index); /healthz answers 503 and pages say the index is unavailable (never a 500); a plain
`searchapp reindex` repairs it, after which check exits 0 and the app serves again.
"""
from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Callable

import pytest

from reliability_support import observe, reuters_corpus
from searchapp.cli import main as cli
from searchapp.config import Settings
from searchapp.backends.whoosh import generations as gens
from searchapp.indexing.reindex import reindex
from searchapp.web.app import close_app, create_app


def _halve(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _each(pattern: str, fn: Callable[[Path], None]) -> Callable[[Path], None]:
    def apply(live: Path) -> None:
        found = list(live.glob(pattern))
        assert found, pattern
        for p in found:
            fn(p)
    return apply


def _write(name: str, text: str) -> Callable[[Path], None]:
    return lambda live: (live.parent / name).write_text(text)


# name -> (damage done to the live generation folder, words `check` must say)
DAMAGE: dict[str, tuple[Callable[[Path], None], str]] = {
    "no CURRENT": (lambda live: (live.parent / gens.POINTER).unlink(), "no index"),
    "CURRENT names a path": (_write(gens.POINTER, "../../etc\n"), "no index"),
    "CURRENT names a missing generation": (_write(gens.POINTER, "gen-0042\n"), "no index"),
    "generation deleted": (shutil.rmtree, "no index"),
    "index folder emptied": (lambda live: [shutil.rmtree(live.parent), live.parent.mkdir()],
                             "no index"),
    "TOC deleted": (_each("*.toc", Path.unlink), "does not open"),
    "TOC garbage": (_each("*.toc", lambda p: p.write_bytes(b"garbage" * 10)), "does not open"),
    "TOC truncated": (_each("*.toc", _halve), "does not open"),
    "segment truncated": (_each("*.seg", _halve), "does not open"),
    "segment zeroed": (_each("*.seg", lambda p: p.write_bytes(bytes(p.stat().st_size))),
                       "does not open"),
    "segment deleted": (_each("*.seg", Path.unlink), "does not open"),
    "manifest garbage": (lambda live: (live / "manifest.json").write_text("{not json"),
                         "the manifest lists 0"),
    "manifest deleted": (lambda live: (live / "manifest.json").unlink(), "the manifest lists 0"),
    "version deleted": (lambda live: (live / "version.json").unlink(), "schema version"),
}
# Damage after which the index itself still answers searches (only our bookkeeping is gone).
STILL_SERVES = {"manifest garbage", "manifest deleted", "version deleted"}


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("startup")
    corpus = reuters_corpus(root, 30, 10)
    reindex(Settings(corpus_dir=corpus.corpus_dir, index_dir=root / "index"), full=True,
            progress=False)
    return root


def _settled_health(client):
    """Return /healthz once it answers from a finished probe (the first may say "busy")."""
    for _ in range(100):
        r = client.get("/healthz")
        if not r.get_json().get("busy"):
            return r
        time.sleep(0.1)
    return r


def _check(settings: Settings, capsys) -> tuple[int, str]:
    code = cli(["check", "--corpus", str(settings.corpus_dir), "--index", str(settings.index_dir)])
    return code, capsys.readouterr().out


def test_check_exits_0_on_a_sound_index(template: Path, capsys) -> None:
    settings = Settings(corpus_dir=template / "corpus", index_dir=template / "index")
    code, out = _check(settings, capsys)
    assert code == 0, out
    assert out.startswith("index matches the corpus")


@pytest.mark.parametrize("name", list(DAMAGE))
def test_damaged_index_is_reported_served_as_503_and_repaired(template: Path, tmp_path: Path,
                                                               capsys, name: str) -> None:
    shutil.copytree(template / "corpus", tmp_path / "corpus")
    shutil.copytree(template / "index", tmp_path / "index")
    settings = Settings(corpus_dir=tmp_path / "corpus", index_dir=tmp_path / "index")
    good = observe(settings.index_dir)
    damage, words = DAMAGE[name]
    damage(gens.current(settings.index_dir))

    code, out = _check(settings, capsys)
    assert code != 0, (name, out)
    assert words in out, (name, out)

    app = create_app(settings)
    client = app.test_client()
    try:
        health = _settled_health(client)
        pages = {url: client.get(url) for url in ("/search?q=said", "/api/search?q=said", "/")}
        if name in STILL_SERVES:
            assert health.status_code == 200, name
            assert all(r.status_code == 200 for r in pages.values()), name
        else:
            assert health.status_code == 503, (name, health.get_json())
            for url, r in pages.items():
                assert r.status_code == 503, (name, url, r.status_code, r.data[:300])
                assert b"index" in r.data.lower() and b"Traceback" not in r.data, (name, url)
        assert _settled_health(client).status_code == health.status_code  # stable, not flapping

        # One plain reindex repairs it, and the running app serves again without a restart.
        assert cli(["reindex", "--corpus", str(settings.corpus_dir), "--index",
                    str(settings.index_dir), "--no-progress"]) == 0, capsys.readouterr().err
        capsys.readouterr()
        assert observe(settings.index_dir) == good, name
        code, out = _check(settings, capsys)
        assert code == 0, (name, out)
        # The first probe after the repair may still be opening the index (busy: it answers from
        # the last, failed, check), so wait for one that finished, as a load balancer would.
        assert _settled_health(client).status_code == 200, name
        assert client.get("/api/search?q=said").get_json()["total"] > 0, name
    finally:
        close_app(app)
