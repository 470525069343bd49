"""The benchmark runner works end to end at a tiny size (a smoke test: it times nothing and asserts no time)."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import need

ROOT = Path(__file__).parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import run  # noqa: E402  (benchmarks/run.py)


def test_sizes_parse():
    assert run.parse_sizes("1k,10k,100k") == [1000, 10000, 100000]
    assert run.parse_sizes("250, 1.5k,1m") == [250, 1500, 1_000_000]
    assert [run.size_name(n) for n in (1000, 100000, 250)] == ["1k", "100k", "250"]


def test_measure_reports_the_exit_code_and_the_workers_report():
    done = run.measure([sys.executable, "-c", "print('noise'); print('{\"seconds\": 2.5, \"n\": 3}')"], timeout=60)
    assert done.code == 0 and done.report == {"seconds": 2.5, "n": 3} and done.rss_mb > 0
    failed = run.measure([sys.executable, "-c", "raise SystemExit(3)"], timeout=60)
    assert failed.code == 3 and failed.report == {}
    stopped = run.measure([sys.executable, "-c", "import time; time.sleep(30)"], timeout=0.5)
    assert stopped.code is None


@pytest.mark.parametrize("only", ["startup,grounded", "build"])
def test_quick_run_prints_a_table_and_records_nothing(tmp_path, only):
    if "grounded" in only:  # the baseline of the grounded benchmark; scripts/test installs it (bench extra)
        need(importlib.util.find_spec("py_arg") is not None, "PyArg missing: pip install -e '.[test,bench]'")
    before = sorted((ROOT / "benchmarks").rglob("*"))
    proc = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--quick", "--only", only],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    rows = [line for line in proc.stdout.splitlines() if line.startswith("| ")]
    assert rows[0].startswith("| benchmark | claims | ours | baseline |")
    benches = {row.split("|")[1].strip() for row in rows[1:]} - {"---"}
    assert benches == set(only.split(","))
    assert "failed" not in proc.stdout and "did not finish" not in proc.stdout
    if "grounded" in only:
        assert proc.stdout.count("(same extension)") == 2
    assert sorted((ROOT / "benchmarks").rglob("*")) == before  # --quick writes no record
