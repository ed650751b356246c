"""Where the ingest reads a source's template sample, and that how it is scheduled changes nothing.

The template sample (an even sample of a source's files, read to find its repeated menu lines)
runs on the ingest's worker processes, not serially in the parent, and a sampled file is not
read a second time by its ingest. Real files, the real pipeline and real worker processes.
"""
from __future__ import annotations

from pathlib import Path

import pytest

import hostile
from hostile import FileFaults
from searchapp.ingest.pipeline import ingest_corpus

MENU = ("Home", "World news", "Subscribe to our newsletter", "Follow us on Telegram", "Contact the editors")


def _page(n: int) -> str:
    """A dump of story `n` between the site's menu and footer lines."""
    return "\n\n".join([f"Story{n} {hostile.EN_TITLE}", *MENU[:3], *hostile.varied_paras(n), *MENU[3:]]) + "\n"


@pytest.fixture
def corpus(settings, make_corpus) -> Path:
    files = {f"site/{n:02d}.txt": _page(n) for n in range(10)}
    files.update({f"other/{n:02d}.html": hostile.html_page(f"Story{20 + n} {hostile.EN_TITLE}",
                                                             hostile.varied_paras(20 + n)) for n in range(4)})
    return make_corpus(files)


def _watch(faults: FileFaults, corpus: Path) -> dict[str, str]:
    return {faults.watch(path): path.relative_to(corpus).as_posix()
            for path in sorted(corpus.rglob("*")) if path.suffix in (".txt", ".html")}


def _run(settings, workers: int) -> list[tuple[str, str, list[str], list[str]]]:
    run = settings.replace(ingest_workers=workers, parallel_min_files=1)
    return [(o.path, o.outcome, o.warnings, [repr(a) for a in arts]) for o, arts in ingest_corpus(run, progress=False)]


def test_template_sample_and_ingest_run_on_the_workers(settings, corpus, monkeypatch) -> None:
    """With worker processes the parent opens no corpus file: the sample is read on the workers."""
    faults = FileFaults().install(monkeypatch)
    watched = _watch(faults, corpus)
    pooled = _run(settings, 2)
    assert {watched[k]: n for k, n in faults.opens.items()} == {}
    assert len(pooled) == 14 and all(outcome == "indexed" for _, outcome, _, _ in pooled)
    monkeypatch.undo()
    # The same articles, warnings and outcomes as a run in one process.
    assert pooled == _run(settings, 1)


@pytest.mark.parametrize("keep,reads", [(2000, 1), (0, 2)])
def test_serial_ingest_reads_each_file_once(settings, corpus, monkeypatch, keep, reads) -> None:
    """A sampled file's read is reused by its ingest (up to template_reuse_files), and template lines are cut."""
    faults = FileFaults().install(monkeypatch)
    watched = _watch(faults, corpus)
    run = settings.replace(ingest_workers=1, template_reuse_files=keep)
    articles = [a for _, arts in ingest_corpus(run, progress=False) for a in arts]
    assert {watched[k]: n for k, n in faults.opens.items()} == {rel: reads for rel in watched.values()}
    site = [a for a in articles if a.source == "site"]
    assert len(site) == 10
    for article in site:
        assert not set(MENU) & set(article.body), article.body   # the site's menu is template text
        assert any("report" in block for block in article.body)


def test_changed_sampled_file_is_read_again(settings, corpus, monkeypatch) -> None:
    """A file that changes between the template sample and its ingest is ingested as it is now."""
    from searchapp.ingest import pipeline

    real = pipeline.ingest_many
    victim = corpus / "site/04.txt"

    def rewrite_then_ingest(corpus_dir, jobs, *args, **kwargs):
        assert "site/04.txt" in kwargs["reads"]
        victim.write_text(_page(4).replace("Story4", "Rewritten4"), encoding="utf-8")
        return real(corpus_dir, jobs, *args, **kwargs)

    monkeypatch.setattr(pipeline, "ingest_many", rewrite_then_ingest)
    for workers in (1, 2):
        victim.write_text(_page(4), encoding="utf-8")
        run = settings.replace(ingest_workers=workers, parallel_min_files=1)
        (article,) = [a for o, arts in ingest_corpus(run, progress=False) if o.path == "site/04.txt" for a in arts]
        assert "Rewritten4" in article.title and "Story4" not in repr(article), (workers, article.title)


def _square(x: int) -> int:
    return x * x


def test_closed_pool_leaves_no_executor_thread_behind(settings) -> None:
    """Closing the pool waits for the executor's manager thread to end.

    Left running, it races the interpreter's exit hook (concurrent.futures' _python_exit writes to
    the wakeup pipe the thread is closing), and a reindex that ends right after its ingest printed
    "OSError: [Errno 9] Bad file descriptor" with a traceback (seen in CI's kill -9 test).
    """
    import threading

    from searchapp.ingest.pipeline import WorkerPool

    def managers() -> list[threading.Thread]:
        return [t for t in threading.enumerate() if type(t).__name__ == "_ExecutorManagerThread" and t.is_alive()]

    assert managers() == []
    with WorkerPool(settings.replace(ingest_workers=2, parallel_min_files=1)) as pool:
        assert list(pool.map(_square, [(n,) for n in range(20)])) == [n * n for n in range(20)]
        assert len(managers()) == 1  # the pool really ran on worker processes
    assert managers() == []
