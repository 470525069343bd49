"""Benchmark: argmap's grounded labelling against PyArg's, and alone on large synthetic debates.

Run from the repository root:  python benchmarks/bench_grounded.py [--sizes 10000 100000] [--no-pyarg]

PyArg (PyPI: python-argumentation) computes the grounded extension as the least fixed point of the
characteristic function (``py_arg.algorithms.semantics.get_grounded_extension``). Both are timed on the same
frameworks, construction excluded; the extensions are checked to be equal. Timings are the best of a few runs
(``time.perf_counter``). This is a measurement, not a test: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from synthetic import debate_projection, debate_relations, random_attacks  # noqa: E402

from argmap.graph.analysis import dung  # noqa: E402
from argmap.graph.analysis.analyses import grounded  # noqa: E402


def best(fn, *, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return min(times), result


def frameworks(n: int) -> dict[str, list[tuple[int, int]]]:
    debate = [(a, b) for a, t, b in debate_relations(n, seed=n) if t == "attacks"]
    return {"debate": debate, "random": random_attacks(n, density=2.0, seed=n)}


def ours(n: int, attacks: list[tuple[int, int]], *, repeat: int) -> tuple[float, set[int], list[int]]:
    fw = dung.from_attacks(n, attacks)
    t, labels = best(lambda: dung.grounded_labels(fw), repeat=repeat)
    return t, {i for i, lab in enumerate(labels) if lab == dung.IN}, labels


def pyarg(n: int, attacks: list[tuple[int, int]], *, repeat: int) -> tuple[float, set[int]]:
    from py_arg.abstract_argumentation_classes.abstract_argumentation_framework import (
        AbstractArgumentationFramework,
    )
    from py_arg.abstract_argumentation_classes.argument import Argument
    from py_arg.abstract_argumentation_classes.defeat import Defeat
    from py_arg.algorithms.semantics.get_grounded_extension import get_grounded_extension

    args = [Argument(str(i)) for i in range(n)]
    af = AbstractArgumentationFramework("bench", args, [Defeat(args[a], args[b]) for a, b in attacks])
    t, ext = best(lambda: get_grounded_extension(af), repeat=repeat)
    return t, {int(a.name) for a in ext}


def summary(labels: list[int]) -> str:
    n = len(labels)
    return ", ".join(f"{name} {sum(lab == code for lab in labels) / n:.0%}" for code, name in dung.LABEL_NAMES.items())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pyarg-size", type=int, default=1000, help="framework size for the PyArg comparison")
    ap.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000], help="sizes to time argmap alone")
    ap.add_argument("--no-pyarg", action="store_true", help="skip the PyArg comparison")
    opts = ap.parse_args()

    print(f"python {sys.version.split()[0]}", flush=True)
    if not opts.no_pyarg:
        try:
            import py_arg  # noqa: F401
        except ImportError:
            print("PyArg is not installed (pip install python-argumentation): comparison skipped")
            opts.no_pyarg = True
    if not opts.no_pyarg:
        n = opts.pyarg_size
        print(f"\n== grounded labelling, {n} arguments: argmap vs PyArg (best of runs, construction excluded)")
        for name, attacks in frameworks(n).items():
            t_ours, ext_ours, labels = ours(n, attacks, repeat=20)
            t_py, ext_py = pyarg(n, attacks, repeat=3)
            same = "same extension" if ext_ours == ext_py else "DIFFERENT EXTENSIONS"
            print(
                f"{name:7s} {len(attacks):6d} attacks  argmap {t_ours * 1e3:8.3f} ms  PyArg {t_py * 1e3:10.1f} ms  "
                f"ratio {t_py / t_ours:8.0f}x  ({same}; {summary(labels)})"
            )

    print("\n== grounded labelling, argmap alone (framework ready; then from a projection, reasons included)")
    for n in opts.sizes:
        for name, attacks in frameworks(n).items():
            t, _, labels = ours(n, attacks, repeat=5)
            print(f"{name:7s} {n:7d} arguments {len(attacks):7d} attacks  labels {t * 1e3:8.1f} ms  ({summary(labels)})")
        P = debate_projection(n, seed=n)

        def full():
            P._cache.clear()
            return grounded(P)

        t_full, _ = best(full, repeat=3)
        print(
            f"debate  {n:7d} claims: grounded(P) with framework building and reasons {t_full * 1e3:8.1f} ms"
        )


if __name__ == "__main__":
    main()
