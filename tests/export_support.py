"""Helpers for the export tests: finding the outside tools, golden files, fixture corpora and metrics.

A test that needs a tool that is not installed FAILS when the environment has CI=true (CI must have
everything) and is SKIPPED with the reason otherwise.
"""

from __future__ import annotations

import difflib
import json
import os
import shutil
from pathlib import Path

import pytest
from conftest import need

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
MINI = DATA / "mini"
HOSTILE = DATA / "hostile"
GOLDEN = ROOT / "tests" / "golden"
JS_BIN = ROOT / "tests" / "js" / "node_modules" / ".bin"
HOSTILE_MARKUP = ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>")


def require(ok: bool, what: str) -> None:
    """Fail (under CI) or skip (elsewhere) unless ``ok``: the project's one rule, ``conftest.need``."""
    need(ok, f"missing: {what}")


def js_tool(name: str) -> str:
    """The path of an npm tool installed in tests/js (PUPPETEER_SKIP_DOWNLOAD=1 npm ci --prefix tests/js)."""
    path = JS_BIN / name
    require(
        path.exists() and shutil.which("node") is not None, f"{name} (run: PUPPETEER_SKIP_DOWNLOAD=1 npm ci --prefix tests/js)"
    )
    return str(path)


def chromium() -> str:
    """Debian's chromium binary."""
    path = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
    require(path is not None, "chromium (Debian: apt-get install chromium)")
    return str(path)


def graphviz_dot() -> str:
    path = shutil.which("dot")
    require(path is not None, "Graphviz's dot (Debian: apt-get install graphviz)")
    return str(path)


def puppeteer_config(tmp_path: Path) -> str:
    """A puppeteer config file pointing mermaid-cli at Debian's chromium (no browser download)."""
    cfg = tmp_path / "puppeteer.json"
    cfg.write_text(json.dumps({"executablePath": chromium(), "args": ["--no-sandbox", "--disable-gpu"]}))
    return str(cfg)


def check_golden(name: str, text: str) -> None:
    """Compare ``text`` with tests/golden/``name``.

    To accept a changed output on purpose, look at the diff, then run the test once with
    ARGMAP_UPDATE_GOLDEN=1, which rewrites the golden file, and review ``git diff tests/golden``.
    """
    path = GOLDEN / name
    if os.environ.get("ARGMAP_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
        return
    if not path.exists():
        pytest.fail(f"no golden file {path}: check the output by hand, then run with ARGMAP_UPDATE_GOLDEN=1")
    expected = path.read_bytes().decode("utf-8")
    if text != expected:
        diff = "".join(difflib.unified_diff(expected.splitlines(True), text.splitlines(True), f"golden/{name}", "output", n=2))
        pytest.fail(f"output differs from tests/golden/{name} (ARGMAP_UPDATE_GOLDEN=1 to accept on purpose):\n{diff}")


def fake_metrics(corpus) -> dict:
    """Analysis-shaped results for every claim, fixed and made up, to test that exporters carry them."""
    labels = ("in", "out", "undecided")
    out = {}
    for n, c in enumerate(sorted(corpus.claims, key=lambda c: c.id)):
        out[c.id] = {
            "grounded": labels[n % 3],
            "grounded_reason": f"reason {n} <script>alert(1)</script>",
            "strength": round(0.1 + n / 10, 2),
            "pagerank": round(1 / (n + 2), 6),
            "betweenness": float(n) / 100,
            "community": n % 2,
        }
    return out
