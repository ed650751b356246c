"""Run a bench script with the ingest reading another line model file than the shipped one.

    .venv/bin/python tools/with_linemodel.py /tmp/lm.npz bench/external_dumps.py --fundus /tmp/fundus
    .venv/bin/python tools/with_linemodel.py /tmp/lm.npz bench/dump_titles.py --splits dev-extra

The model is put in place of searchapp.ingest.linemodel.load_model (as tools/eval_linemodel.py
does), so every dump the script ingests is cleaned by it; the script runs as its own __main__
with the arguments that follow it. Nothing is written: searchapp/data/linemodel.npz stays as it is.
Only this process reads the other model: worker processes (ingest_corpus's pool, as in
bench/dumps.py's "one corpus folder per site" rows) start afresh and load the shipped file, so
only figures of pages ingested in process (ingest_text) are the other model's.
"""
from __future__ import annotations

import runpy
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from searchapp.ingest import linemodel as lm  # noqa: E402


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) < 2:
        raise SystemExit(__doc__)
    model_path, script, rest = Path(argv[0]), argv[1], argv[2:]
    model = lm.LineModel(model_path)  # a file that cannot load stops here, loudly
    lm.load_model = lambda: model  # type: ignore[assignment]
    print(f"line model: {model_path} ({model_path.stat().st_size:,} bytes)", flush=True)
    sys.argv = [script, *rest]
    runpy.run_path(script, run_name="__main__")


if __name__ == "__main__":
    main()
