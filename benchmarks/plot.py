"""Plot time against size from the recorded runs: ``benchmarks/results/scaling.png``.

Run from the repository root:  python benchmarks/plot.py   (``benchmarks/run.py`` runs it after each run)

Left: build, validate and grounded labelling against the number of claims, ours and the baseline, from the
newest ``results/run-*.json`` that measured each case. Right: the named SPARQL queries against the number of
triples, Oxigraph and rdflib, from ``results/sparql.json`` (written by ``bench_sparql.py``) when present.
Needs matplotlib (the ``bench`` extra).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
SERIES = {
    ("build", "`argmap build --format nt`"): "build (N-Triples)",
    ("validate", "`argmap validate` (corpus checks + SHACL)"): "validate",
    ("grounded", "argmap grounded labels (the debate's attacks)"): "grounded",
}


def points() -> dict[str, dict[int, float]]:
    """Series name -> {claims: seconds}, newest run first wins."""
    out: dict[str, dict[int, float]] = {}
    for path in sorted(RESULTS.glob("run-*.json"), reverse=True):
        data = json.loads(path.read_text(encoding="utf-8"))
        for case in data.get("cases", []):
            name = SERIES.get((case["bench"], case["ours"]))
            if name is None:
                continue
            res = case.get("results", {})
            for side, label in (("ours", name), ("base", f"{name}: baseline ({case['base']})")):
                if "seconds" in res.get(side, {}):
                    out.setdefault(label, {}).setdefault(case["size"], res[side]["seconds"])
    return out


def queries() -> dict[str, dict[int, float]]:
    path = RESULTS / "sparql.json"
    if not path.exists():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    out: dict[str, dict[int, float]] = {"Oxigraph": {}, "rdflib": {}}
    by_data: dict[str, list[dict]] = {}
    for q in data.get("queries", []):
        by_data.setdefault(q["data"], []).append(q)
    for qs in by_data.values():
        triples = qs[0]["triples"]
        out["Oxigraph"][triples] = sum(q["oxigraph_ms"] for q in qs) / 1000
        out["rdflib"][triples] = sum(q["rdflib_ms"] for q in qs) / 1000
    return out


def main() -> int:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is not installed (pip install '.[bench]'): no plot", file=sys.stderr)
        return 1
    left, right = points(), queries()
    fig, axes = plt.subplots(1, 2, figsize=(12, 5))
    for label, pts in sorted(left.items()):
        xs = sorted(pts)
        axes[0].plot(xs, [pts[x] for x in xs], marker="o", linestyle="--" if "baseline" in label else "-", label=label)
    axes[0].set(xscale="log", yscale="log", xlabel="claims", ylabel="seconds (median)", title="Build, validate, grounded")
    axes[0].legend(fontsize=7)
    if right:
        for label, pts in right.items():
            xs = sorted(pts)
            axes[1].plot(xs, [pts[x] for x in xs], marker="o", label=f"all named queries, {label}")
        axes[1].set(xscale="log", yscale="log", xlabel="triples", ylabel="seconds", title="SPARQL queries (bench_sparql.py)")
        axes[1].legend(fontsize=7)
    else:
        axes[1].axis("off")
        axes[1].text(
            0.5, 0.5, "query times come from bench_sparql.py\n(results/sparql.json not present)", ha="center", va="center"
        )
    fig.tight_layout()
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / "scaling.png"
    fig.savefig(out, dpi=110)
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
