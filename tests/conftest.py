"""Shared fixtures: tiny corpora copied to a temporary folder, and the rule for missing system parts."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).parent.parent


def need(condition: bool, reason: str) -> None:
    """A test that needs a missing system part fails under CI (CI=true) and skips elsewhere."""
    if condition:
        return
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"required system part missing under CI: {reason}")
    pytest.skip(reason)


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A writable copy of the mini corpus."""
    dst = tmp_path / "mini"
    shutil.copytree(DATA / "mini", dst)
    return dst


@pytest.fixture(scope="session")
def mini_path() -> Path:
    return DATA / "mini"
