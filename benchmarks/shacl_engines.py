"""Which SHACL engine validates argmap's graphs: pySHACL against three Rust engines, on the OPC debate, on
broken copies of it, and for time on synthetic debates.

Run from the repository root (each engine that is not installed is skipped):

    python benchmarks/shacl_engines.py [--sizes 1k,10k] [--engines pyshacl,shacl-rust,pyrudof,pyshacl-turbo]

For each graph it prints, per engine, the verdict, the number of results and whether the results (focus node,
path, constraint component) are the same set as pySHACL's, then the CPU seconds of validation alone (the graph
read from N-Triples text, the shapes from argmap/graph/shapes.ttl). The choice and why are in
docs/validation.md. A measurement, not a test: tests/test_engine_shacl.py checks the chosen engine against
pySHACL on every broken fixture.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SH = "http://www.w3.org/ns/shacl#"


def _from_report_graph(report) -> tuple[bool, set]:
    from rdflib.namespace import RDF
    from rdflib.namespace import SH as RSH

    from argmap.graph.validate import _path_text

    results = set()
    for res in report.subjects(RDF.type, RSH.ValidationResult):
        results.add(
            (
                str(report.value(res, RSH.focusNode)),
                _path_text(report, report.value(res, RSH.resultPath)),
                str(report.value(res, RSH.sourceConstraintComponent)).rsplit("#", 1)[-1],
            )
        )
    conforms = report.value(None, RSH.conforms)
    return bool(conforms.toPython()) if conforms is not None else not results, results


def _keys(report) -> tuple[bool, set]:
    return report.conforms, {(v.focus, v.path, v.component) for v in report.violations}


def run_pyshacl(nt: str, shapes: str) -> tuple[bool, set]:
    from rdflib import Graph

    from argmap.graph.validate import validate_graph

    return _keys(validate_graph(Graph().parse(data=nt, format="nt"), engine="pyshacl"))


def run_shacl_rust(nt: str, shapes: str) -> tuple[bool, set]:
    from argmap.graph.validate import validate_ntriples

    return _keys(validate_ntriples(nt))


def run_pyrudof(nt: str, shapes: str) -> tuple[bool, set]:
    import pyrudof
    from rdflib import Graph

    r = pyrudof.Rudof(pyrudof.RudofConfig())
    r.read_data(nt, format=pyrudof.RDFFormat.NTriples)
    r.read_shacl(shapes)
    r.validate_shacl()
    text = r.serialize_shacl_validation_results(format=pyrudof.ResultShaclValidationFormat.NTriples)
    return _from_report_graph(Graph().parse(data=text, format="nt"))


def run_pyshacl_turbo(nt: str, shapes: str) -> tuple[bool, set]:
    import pyshacl_turbo
    from rdflib import Graph

    _conforms, report, _ = pyshacl_turbo.validate(
        nt, shacl_graph=shapes, data_graph_format="nt", shacl_graph_format="turtle", inference="none", advanced=True
    )
    if not isinstance(report, Graph):
        report = Graph().parse(data=report, format="turtle")
    return _from_report_graph(report)


ENGINES = {"pyshacl": run_pyshacl, "shacl-rust": run_shacl_rust, "pyrudof": run_pyrudof, "pyshacl-turbo": run_pyshacl_turbo}


def opc_lines() -> list[str]:
    from argmap.graph.rdf import debate_lines
    from argmap.sources import load_corpus

    return debate_lines(load_corpus(), metrics=None)


def broken(lines: list[str]) -> dict[str, str]:
    """Broken copies of the OPC graph, one per kind of fault, as N-Triples text."""
    from tests.shacl_fixtures import broken_copies

    return broken_copies(lines)


def worker(engine: str, path: str) -> None:
    nt = Path(path).read_text(encoding="utf-8")
    shapes = (ROOT / "argmap" / "graph" / "shapes.ttl").read_text(encoding="utf-8")
    t0 = time.process_time()
    conforms, results = ENGINES[engine](nt, shapes)
    print(json.dumps({"cpu": time.process_time() - t0, "conforms": conforms, "results": len(results)}))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1k,10k")
    ap.add_argument("--engines", default=",".join(ENGINES))
    ap.add_argument("--worker", nargs=2)
    opts = ap.parse_args(argv)
    if opts.worker:
        worker(*opts.worker)
        return 0
    engines = [e for e in opts.engines.split(",") if e]
    shapes = (ROOT / "argmap" / "graph" / "shapes.ttl").read_text(encoding="utf-8")
    lines = opc_lines()
    cases = {"opc": "".join(lines), **broken(lines)}
    print("| graph | " + " | ".join(engines) + " |")
    print("| --- |" + " --- |" * len(engines))
    for name, nt in cases.items():
        ref = None
        cells = []
        for e in engines:
            try:
                conforms, results = ENGINES[e](nt, shapes)
            except Exception as err:  # an engine that cannot read the shapes: say so
                cells.append(f"error: {type(err).__name__}: {str(err)[:60]}")
                continue
            if ref is None:
                ref = (conforms, results)
            same = "same" if (conforms, results) == ref else f"DIFFERS (+{len(results - ref[1])}/-{len(ref[1] - results)})"
            cells.append(f"{'conforms' if conforms else 'fails'}, {len(results)} results, {same}")
        print(f"| {name} | " + " | ".join(cells) + " |", flush=True)
    # time at sizes: each engine in a fresh process, on the same N-Triples file
    import tempfile

    from benchmarks.run import parse_sizes

    for n in parse_sizes(opts.sizes):
        with tempfile.TemporaryDirectory() as tmp:
            corpus = Path(tmp) / "c"
            subprocess.run(
                [sys.executable, "-m", "argmap", "synth", "--claims", str(n), "--seed", "0", "--out", str(corpus)],
                check=True,
                cwd=ROOT,
                capture_output=True,
            )
            nt = Path(tmp) / "g.nt"
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "argmap",
                    "build",
                    "--corpus",
                    str(corpus),
                    "--format",
                    "nt",
                    "--no-analysis",
                    "--out",
                    str(nt),
                ],
                check=True,
                cwd=ROOT,
                capture_output=True,
            )
            row = []
            for e in engines:
                proc = subprocess.run(
                    ["/usr/bin/time", "-f", "%M", sys.executable, __file__, "--worker", e, str(nt)],
                    cwd=ROOT,
                    capture_output=True,
                    text=True,
                    timeout=1800,
                )
                try:
                    rep = json.loads(proc.stdout.strip().splitlines()[-1])
                    peak = int(proc.stderr.strip().splitlines()[-1]) // 1024
                    row.append(f"{rep['cpu']:.2f} s, {peak} MB, {'conforms' if rep['conforms'] else 'fails'}")
                except (IndexError, ValueError):
                    row.append("failed")
            print(f"| time at {n} claims | " + " | ".join(row) + " |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
