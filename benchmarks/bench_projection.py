"""Benchmark: projecting a large synthetic debate graph from RDF, and the analyses on it.

Run from the repository root:  python benchmarks/bench_projection.py [--claims 100000] [--all]

Builds a synthetic corpus (``synthetic.debate_corpus``), its RDF graph with ``build_graph``, then times
``project`` and (with ``--all``) every registered analysis. Both wall-clock and CPU time are printed: on a
shared machine the CPU time of this process is the steadier figure. A measurement, not a test.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from synthetic import debate_corpus  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--claims", type=int, default=100_000)
    ap.add_argument("--all", action="store_true", help="also time every analysis on the projection")
    opts = ap.parse_args()

    from argmap.graph.analysis import ANALYSES, claim_metrics
    from argmap.graph.build import build_graph
    from argmap.graph.projection import project

    t0 = time.perf_counter()
    corpus = debate_corpus(opts.claims)
    graph = build_graph(corpus)
    t1 = time.perf_counter()
    print(
        f"{opts.claims} claims, {len(corpus.relations)} relations: {len(graph)} triples built in {t1 - t0:.1f} s",
        flush=True,
    )
    wall, cpu = [], []
    for _ in range(3):
        t, c = time.perf_counter(), time.process_time()
        P = project(graph)
        wall.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    print(
        f"project(graph): best {min(wall):.2f} s wall, {min(cpu):.2f} s CPU, of {len(wall)} runs "
        f"({P.claims.number_of_nodes()} nodes, {P.claims.number_of_edges()} edges)",
        flush=True,
    )
    if opts.all:
        print("  analysis        wall s   CPU s", flush=True)
        for name, fn in [*ANALYSES.items(), ("claim_metrics", claim_metrics)]:
            P._cache.clear()
            t, c = time.perf_counter(), time.process_time()
            fn(P)
            print(f"  {name:14s} {time.perf_counter() - t:7.2f} {time.process_time() - c:7.2f}", flush=True)


if __name__ == "__main__":
    main()
