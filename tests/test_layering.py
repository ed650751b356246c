"""The layering of issue 9 holds: import-linter's contracts in pyproject.toml, on the real code.

ingest -> indexing -> search -> web -> serve -> cli import downwards only; nothing but
searchapp.backend reaches an engine (and that by name at run time); a backend never imports the
product; Whoosh is imported only under searchapp/backends/whoosh/. A copy of the package with
one forbidden import must break the contracts, so this test can fail.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "pyproject.toml"


def _lint(package_parent: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(package_parent)}
    return subprocess.run(
        [sys.executable, "-c", "import sys; from importlinter.cli import lint_imports; "
         f"sys.exit(lint_imports(config_filename={str(CONFIG)!r}, no_cache=True, no_logo=True))"],
        cwd=package_parent, env=env, capture_output=True, text=True, timeout=300)


def test_contracts_are_kept() -> None:
    run = _lint(ROOT)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "4 kept, 0 broken" in run.stdout


def test_the_seam_contract_covers_every_module() -> None:
    contracts = tomllib.loads(CONFIG.read_text())["tool"]["importlinter"]["contracts"]
    seam = next(c for c in contracts if c["id"] == "seam")
    package = ROOT / "searchapp"
    modules = {f"searchapp.{p.stem}" for p in package.glob("*.py") if p.stem != "__init__"}
    modules |= {f"searchapp.{p.name}" for p in package.iterdir() if (p / "__init__.py").exists()}
    assert modules - {"searchapp.backends"} == set(seam["source_modules"])


def test_a_forbidden_import_breaks_the_build(tmp_path: Path) -> None:
    copy = tmp_path / "searchapp"
    shutil.copytree(ROOT / "searchapp", copy, ignore=shutil.ignore_patterns("__pycache__", "data",
                                                                            "templates", "static"))
    view = copy / "web" / "views.py"
    view.write_text(view.read_text() + "\nfrom whoosh import query  # noqa\n"
                    "from searchapp.backends.whoosh import compile  # noqa\n")
    run = _lint(tmp_path)
    assert run.returncode != 0
    assert "the product reaches a backend only through the seam BROKEN" in run.stdout
    assert "Whoosh is imported only under searchapp/backends/whoosh/ BROKEN" in run.stdout
