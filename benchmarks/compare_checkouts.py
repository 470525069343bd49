"""Run the same argmap command against two git revisions, side by side: did a change make it faster?

Run from the repository root:

    python benchmarks/compare_checkouts.py REV_A REV_B [--claims 10k] [--repeat 3] -- validate --corpus {corpus}

Each revision is exported (``git archive``) to a temporary folder and the command runs there as
``python -m argmap ARGS`` with that folder first on ``PYTHONPATH``; ``{corpus}`` is replaced by a synthetic
debate of ``--claims`` claims written by the current checkout's ``argmap synth`` (the older revision need not
have it), ``{out}`` by a scratch folder. The two alternate, ``--repeat`` times each; the table gives the medians
of wall time, CPU time and peak memory, and B's time as a ratio of A's. A measurement, not a test.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from run import measure, parse_sizes  # noqa: E402


def export(rev: str, into: Path) -> str:
    """Write revision ``rev`` of the repository into ``into``; its short hash."""
    into.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", rev], cwd=ROOT, check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return subprocess.run(
        ["git", "rev-parse", "--short", rev], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0], usage="%(prog)s REV_A REV_B [options] -- ARGMAP ARGS...")
    ap.add_argument("rev_a")
    ap.add_argument("rev_b")
    ap.add_argument("--claims", default="10k", help="claims in the synthetic debate (default: 10k)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--timeout", type=float, default=1800)
    argv = sys.argv[1:] if argv is None else argv
    cut = argv.index("--") if "--" in argv else len(argv)
    opts = ap.parse_args(argv[:cut])
    args = argv[cut + 1 :] or ["validate", "--corpus", "{corpus}"]
    n = parse_sizes(opts.claims)[0]
    work = Path(tempfile.mkdtemp(prefix="argmap-compare-"))
    try:
        corpus, out = work / "corpus", work / "out"
        out.mkdir()
        subprocess.run([sys.executable, "-m", "argmap", "synth", "--claims", str(n), "--out", str(corpus)], cwd=ROOT, check=True)
        line = [a.replace("{corpus}", str(corpus)).replace("{out}", str(out)) for a in args]
        sides = {}
        for label, rev in (("A", opts.rev_a), ("B", opts.rev_b)):
            folder = work / label
            sides[label] = (export(rev, folder), folder, [])
        for i in range(opts.repeat):
            for label in ("A", "B") if i % 2 == 0 else ("B", "A"):
                _, folder, runs = sides[label]
                runs.append(measure([sys.executable, "-m", "argmap", *line], timeout=opts.timeout, cwd=folder, pythonpath=folder))
        if any(r.code != 0 for _, _, runs in sides.values() for r in runs):
            print("warning: some runs did not exit 0 (see the exit codes); their times are not comparable", file=sys.stderr)
        print(f"`argmap {' '.join(args)}` on a synthetic debate of {n} claims, {opts.repeat} runs each, medians:\n")
        print("| revision | wall s | CPU s | peak MB | exit codes | B ÷ A |")
        print("| --- | ---: | ---: | ---: | --- | ---: |")
        walls = {}
        for label, (rev, _, runs) in sides.items():
            walls[label] = statistics.median(r.wall for r in runs)
            ratio = f"{walls['B'] / walls['A']:.2f}x" if label == "B" else ""
            codes = ",".join(str(r.code) for r in runs)
            print(
                f"| {label}: {rev} | {walls[label]:.2f} | {statistics.median(r.cpu for r in runs):.2f} | "
                f"{max(r.rss_mb for r in runs):.0f} | {codes} | {ratio} |"
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
