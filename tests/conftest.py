"""Shared fixtures: tiny corpora copied to a temporary folder, and the rule for missing system parts."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import urllib.request
from collections.abc import Callable
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


def free_port() -> int:
    """A free TCP port on 127.0.0.1, for a server a test starts."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_answers(
    url: str,
    proc: subprocess.Popen,
    *,
    what: str,
    within: float,
    log: Callable[[], str] = lambda: "",
    every: float = 0.2,
    request_timeout: float = 2,
) -> None:
    """Wait until a GET of ``url`` answers, served by the process ``proc`` a fixture started; raise
    ``RuntimeError("<what> did not start: <log()>")`` if the process ends first or ``within`` seconds pass."""
    deadline = time.monotonic() + within
    while True:
        try:
            with urllib.request.urlopen(url, timeout=request_timeout):
                return
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{what} did not start: {log()}") from None
            time.sleep(every)


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A writable copy of the mini corpus."""
    dst = tmp_path / "mini"
    shutil.copytree(DATA / "mini", dst)
    return dst


@pytest.fixture(scope="session")
def mini_path() -> Path:
    return DATA / "mini"
