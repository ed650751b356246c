"""Where the tests' copy of the seed articles lives (never the user's corpus/)."""
from __future__ import annotations

from pathlib import Path

SEEDS = Path(__file__).resolve().parent / "fixtures" / "seeds"
