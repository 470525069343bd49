"""Benchmark: argmap's preferred extensions (search, then SAT past the search's limits) against pygarg's
(SAT, the baseline), on the same random frameworks, side by side, answers compared.

Run from the repository root:  python benchmarks/bench_preferred.py [--count 60] [--min 100] [--max 300]

Data: ``--count`` random frameworks (seeded), each of n arguments drawn from [min, max] and about ``density``
x n attacks drawn uniformly (self-attacks allowed), so each has several attack cycles and a large undecided
part. For each, argmap's :func:`argmap.graph.analysis.dung.preferred_extensions` (default limits) and
pygarg's ``preferred_extension_enumeration`` are timed once each, alternating which goes first; the two sets
of extensions must be equal. A framework argmap leaves incomplete counts as not answered.

Prints a Markdown table and writes ``benchmarks/results/preferred.json``. This is a measurement, not a test.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from argmap.graph.analysis import dung  # noqa: E402


def random_framework(n: int, m: int, rng: random.Random) -> list[tuple[int, int]]:
    pairs = set()
    while len(pairs) < m:
        pairs.add((rng.randrange(n), rng.randrange(n)))
    return sorted(pairs)


def ours(n: int, attacks: list[tuple[int, int]]) -> tuple[float, dung.PreferredResult]:
    t = time.perf_counter()
    fw = dung.from_attacks(n, attacks)
    r = dung.preferred_extensions(fw)
    return time.perf_counter() - t, r


def pygarg_preferred(n: int, attacks: list[tuple[int, int]]) -> tuple[float, set[frozenset[int]]]:
    from pygarg.dung import solver

    args = [str(i) for i in range(n)]
    atts = [[str(a), str(b)] for a, b in attacks]
    t = time.perf_counter()
    exts = solver.extension_enumeration(args, atts, "PR")
    return time.perf_counter() - t, {frozenset(int(x) for x in e) for e in exts}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=60)
    ap.add_argument("--min", type=int, default=100)
    ap.add_argument("--max", type=int, default=300)
    ap.add_argument("--density", type=float, default=3.0, help="attacks per argument")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--sizes", default=None, help="ignored (the runner passes none); use --min/--max")
    a = ap.parse_args(argv)
    rng = random.Random(a.seed)
    rows = []
    for k in range(a.count):
        n = rng.randint(a.min, a.max)
        attacks = random_framework(n, int(a.density * n), rng)
        if k % 2:
            tp, theirs = pygarg_preferred(n, attacks)
            to, r = ours(n, attacks)
        else:
            to, r = ours(n, attacks)
            tp, theirs = pygarg_preferred(n, attacks)
        mine = set(r.extensions) if r.complete else None
        undecided = sum(1 for x in dung.grounded_labels(dung.from_attacks(n, attacks)) if x == dung.UNDEC)
        rows.append(
            {
                "n": n,
                "attacks": len(attacks),
                "undecided": undecided,
                "extensions": len(theirs),
                "answered": r.complete,
                "method": r.method if r.complete else None,
                "equal": mine == theirs,
                "ours_s": round(to, 4),
                "pygarg_s": round(tp, 4),
                "message": r.message,
            }
        )
        print(
            f"{k + 1:>3} n={n} undecided={undecided} ext={len(theirs)} {rows[-1]['method']} "
            f"equal={rows[-1]['equal']} ours={to:.3f}s pygarg={tp:.3f}s",
            file=sys.stderr,
        )
    answered = sum(r["answered"] for r in rows)
    equal = sum(r["equal"] for r in rows)
    ours_t = [r["ours_s"] for r in rows]
    theirs_t = [r["pygarg_s"] for r in rows]
    by_method = {m: sum(1 for r in rows if r["method"] == m) for m in ("grounded", "search", "sat")}
    print(
        "| frameworks | arguments | attacks/argument | answered | equal to pygarg | by search / SAT / grounded only "
        "| ours: median (max) | pygarg: median (max) | ours ÷ pygarg, total |"
    )
    print("| ---: | --- | ---: | ---: | ---: | --- | ---: | ---: | ---: |")
    print(
        f"| {len(rows)} | {a.min}-{a.max} | {a.density} | {answered} | {equal} | "
        f"{by_method['search']} / {by_method['sat']} / {by_method['grounded']} | "
        f"{statistics.median(ours_t):.3f} s ({max(ours_t):.2f} s) | "
        f"{statistics.median(theirs_t):.3f} s ({max(theirs_t):.2f} s) | {sum(ours_t) / sum(theirs_t):.2f}x |"
    )
    out = HERE / "results" / "preferred.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(
        json.dumps({"python": platform.python_version(), "args": vars(a), "rows": rows}, indent=1) + "\n",
        encoding="utf-8",
    )
    return 0 if answered == equal == len(rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
