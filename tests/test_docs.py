"""The README stays true: every command and every setting is documented, the two set-up commands exist."""
from __future__ import annotations

import re
from pathlib import Path

from searchapp.cli import build_parser
from searchapp.config import describe

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_command_is_in_the_readme():
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    for name in sub.choices:
        assert f"searchapp {name}" in README, name


def test_every_setting_is_in_the_readme():
    for name, _default, help_text in describe():
        assert f"`{name}`" in README, name
        assert help_text, f"setting {name} has no help"


def test_set_up_commands_exist_and_ci_calls_the_test_command():
    assert "bash scripts/run" in README and "bash scripts/test" in README
    assert (ROOT / "scripts" / "run").exists() and (ROOT / "scripts" / "test").exists()
    ci = (ROOT / ".ci" / "run").read_text()
    assert re.search(r"^bash scripts/test\b", ci, re.M)


def test_benchmarks_named_in_the_readme_exist():
    for script in re.findall(r"bench/(\w+\.py)", README):
        assert (ROOT / "bench" / script).exists(), script
