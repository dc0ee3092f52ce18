"""Shared fixtures: the shared/ folder beside the checkout, the seed corpus, a fresh store."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "examples" / "seeds"


def shared_dir() -> Path:
    """../shared beside the checkout (or $AKHBAR_SHARED)."""
    return Path(os.environ.get("AKHBAR_SHARED", ROOT.parent / "shared"))


def need_shared(*parts: str) -> Path:
    """The path under shared/, or skip the test with the reason when it is absent."""
    path = shared_dir().joinpath(*parts)
    if not path.exists():
        pytest.skip(f"external data not present: {path} (CI has it; see shared/data/README.md)")
    return path


def counter_sample(dest: Path, n: int) -> Path:
    """A COUNTER folder under `dest` holding the first `n` XML files (skips when COUNTER is absent)."""
    import shutil

    xml = need_shared("data", "counter", "xml")
    (dest / "xml").mkdir()
    for f in sorted(xml.glob("*.xml"))[:n]:
        shutil.copy(f, dest / "xml" / f.name)
    return dest


@pytest.fixture
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture
def store(tmp_path):
    from akhbar.store import open_store

    s = open_store(str(tmp_path / "test.db"))
    yield s
    s.close()
