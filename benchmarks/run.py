"""argmap's benchmark suite: each measurement against its baseline, in the same run, on synthetic debates.

Run from the repository root:

    python benchmarks/run.py [--sizes 1k,10k,100k] [--only build,validate,...] [--repeat K] [--quick]

Every case runs in a fresh subprocess, so its peak memory (the child's own maximum resident set, from
``os.wait4``) and its time are its own; ours and the baseline alternate, K times each, and the median is
kept. The machines are shared and noisy: read the ratio, measured side by side, not the absolute figure.
Each run prints a Markdown table and appends it to ``benchmarks/RESULTS.md`` (with the date, the machine,
Python's and the libraries' versions) and writes ``benchmarks/results/run-<stamp>.json``. Scripts
``benchmarks/bench_*.py`` (a ``main()`` that prints a Markdown table and writes
``benchmarks/results/<name>.json``) are run too, with their own defaults, and their tables recorded.

This is a measurement, not a test: nothing here asserts a time. ``--quick`` runs a tiny size once, to check
that the suite works. See benchmarks/README.md for what each benchmark compares and its target.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PY = sys.executable
BENCHMARKS = ("startup", "build", "validate", "analyze", "query", "grounded", "projection", "exports", "layout")
# Above these sizes a case is not run unless --sizes asks for it and --force-large is given: each needs an
# rdflib graph of the whole debate (about 41 triples a claim, about 1.5 kB a triple in memory).
LARGE_CAPS = {
    "validate": 100_000,
    "projection": 10_000,
    "build-turtle": 100_000,
    "exports": 10_000,
    "pyshacl": 10_000,
    "layout": 10_000,
}
TARGETS = {
    "build": "≤ 3x the floor and < 1.5 GB at 100k claims",
    "startup": "< 0.3 s",
    "grounded": "< 0.5 s at 100k; ≥ 100x faster than PyArg",
    "build-format": "≤ 1.5x pyoxigraph loading + serialising the same triples; < 2 GB at 100k",
    "validate": "≤ 1.5x shacl-rust alone on the same graph; ≥ 10x faster than pySHACL at 10k",
    "analyze": "≤ 2x loading the corpus alone, at 10k and 100k",
    "query": "in memory ≤ 2x `query --store` rebuilt from scratch",
}


# ---------------------------------------------------------------- measuring one process


@dataclass
class Run:
    wall: float  # seconds, the whole process
    cpu: float  # user + system seconds of the process (and the children it waited for)
    rss_mb: float  # peak resident set of the process, MB
    code: int | None  # exit code; None when it was stopped at the time limit
    report: dict = field(default_factory=dict)  # the JSON line a worker printed last, if any


def measure(cmd: list[str], *, timeout: float, cwd: Path = ROOT, pythonpath: Path = ROOT) -> Run:
    """Run ``cmd`` once in a fresh process; its wall time, CPU time and peak memory, and its report."""
    env = {**os.environ, "PYTHONPATH": str(pythonpath)}
    with tempfile.TemporaryFile() as out:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.DEVNULL, cwd=cwd, env=env, start_new_session=True)
        stopped = threading.Event()

        def stop() -> None:
            stopped.set()
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

        timer = threading.Timer(timeout, stop)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)  # already reaped: tell Popen so
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    report = {}
    for line in reversed(text.splitlines()):
        if line.startswith("{"):
            try:
                report = json.loads(line)
            except ValueError:
                pass
            break
    return Run(
        wall=wall,
        cpu=usage.ru_utime + usage.ru_stime,
        rss_mb=usage.ru_maxrss / 1024,
        code=None if stopped.is_set() else proc.returncode,
        report=report,
    )


# ---------------------------------------------------------------- the cases


@dataclass
class Case:
    bench: str
    size: int
    ours: str  # what is measured, in words
    base: str  # the baseline, in words
    ours_cmd: list[str]
    base_cmd: list[str]
    timeout: float = 600.0
    repeat: int | None = None  # None: the run's --repeat
    use_report: bool = False  # the figure is the worker's own "seconds" (set-up excluded), not the process
    target: str = ""
    results: dict = field(default_factory=dict)


def worker(*args: str) -> list[str]:
    return [PY, str(Path(__file__).resolve()), "--worker", *args]


def argmap(*args: str) -> list[str]:
    return [PY, "-m", "argmap", *args]


def size_name(n: int) -> str:
    return f"{n // 1000}k" if n % 1000 == 0 and n >= 1000 else str(n)


def parse_sizes(text: str) -> list[int]:
    """``"1k,10k,100k"`` -> ``[1000, 10000, 100000]``."""
    out = []
    for part in text.split(","):
        part = part.strip().lower()
        mult = 1_000_000 if part.endswith("m") else 1000 if part.endswith("k") else 1
        out.append(int(float(part.rstrip("km")) * mult))
    return out


class Workspace:
    """Synthetic corpora and files derived from them, made once per size in a temporary folder."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="argmap-bench-"))

    def corpus(self, n: int) -> Path:
        path = self.root / f"synth-{n}"
        if not path.exists():
            # in a process of its own: Linux keeps a process's peak memory across exec, so every case started
            # from a runner grown by a large corpus would report at least the runner's size
            subprocess.run(
                argmap("synth", "--claims", str(n), "--seed", "0", "--out", str(path)),
                check=True,
                cwd=ROOT,
                env={**os.environ, "PYTHONPATH": str(ROOT)},
                stderr=subprocess.DEVNULL,
            )
        return path

    def ntriples(self, n: int) -> Path:
        path = self.root / f"synth-{n}.nt"
        if not path.exists():
            subprocess.run(
                argmap("build", "--corpus", str(self.corpus(n)), "--format", "nt", "--out", str(path)),
                check=True,
                cwd=ROOT,
                env={**os.environ, "PYTHONPATH": str(ROOT)},
                stderr=subprocess.DEVNULL,
            )
        return path

    def attacks(self, n: int, kind: str) -> Path:
        """The attacks of the synthetic debate (``kind="debate"``) or of a random framework with 2n attacks."""
        path = self.root / f"attacks-{kind}-{n}.json"
        if not path.exists():
            source = str(self.corpus(n)) if kind == "debate" else str(n)
            subprocess.run(
                worker("attacks", kind, source, str(path)), check=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}
            )
        return path

    def out(self, name: str) -> Path:
        (self.root / "out").mkdir(exist_ok=True)
        return self.root / "out" / name

    def clean(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


def cases(bench: str, n: int, ws: Workspace, *, quick: bool) -> list[Case]:
    """The cases of one benchmark at one size (none when the size is over the benchmark's cap)."""
    if bench == "startup":
        return [
            Case(
                "startup",
                0,
                "`argmap --help`",
                "`python -c pass`",
                argmap("--help"),
                [PY, "-c", "pass"],
                repeat=None if quick else 10,
                target=TARGETS["startup"],
            )
        ]
    if bench == "build":
        corpus = str(ws.corpus(n))
        nt = str(ws.ntriples(n))
        out = []
        out.append(
            Case(
                "build",
                n,
                "`argmap build --format nt`",
                "pyoxigraph parses the same N-Triples",
                argmap("build", "--corpus", corpus, "--format", "nt", "--out", str(ws.out("g.nt"))),
                worker("ntparse", nt),
                target=TARGETS["build"],
            )
        )
        if n <= LARGE_CAPS["build-turtle"]:
            for fmt in ("turtle", "jsonld", "xml", "trig", "nquads"):
                out.append(
                    Case(
                        "build",
                        n,
                        f"`argmap build --format {fmt} --no-analysis`",
                        f"pyoxigraph bulk-loads the same N-Triples and dumps {fmt}",
                        argmap("build", "--corpus", corpus, "--format", fmt, "--no-analysis", "--out", str(ws.out(f"g.{fmt}"))),
                        worker("oxdump", nt, fmt),
                        target=TARGETS["build-format"],
                    )
                )
        return out
    if bench == "analyze":
        corpus = str(ws.corpus(n))
        return [
            Case(
                "analyze",
                n,
                "`argmap analyze --json` (all analyses)",
                "`argmap sources --json` (loading alone)",
                argmap("analyze", "--json", "--corpus", corpus),
                argmap("sources", "--json", "--corpus", corpus),
                timeout=900,
                repeat=1 if n >= 100_000 else None,
                target=TARGETS["analyze"],
            )
        ]
    if bench == "query":
        corpus = str(ws.corpus(n))
        store = ws.out(f"store-{n}")
        return [
            Case(
                "query",
                n,
                "`argmap query --named statistics` (in memory)",
                "`argmap query --store` rebuilt from scratch",
                argmap("query", "--named", "statistics", "--corpus", corpus),
                worker("query-fresh-store", corpus, str(store)),
                timeout=900,
                target=TARGETS["query"],
            )
        ]
    if n > LARGE_CAPS.get(bench, 10**9):
        return []
    if bench == "validate":
        corpus = str(ws.corpus(n))
        out = [
            Case(
                "validate",
                n,
                "`argmap validate` (corpus checks + SHACL in shacl-rust)",
                "shacl-rust alone on the same graph (read from N-Triples)",
                argmap("validate", "--corpus", corpus),
                worker("shacl-rust", str(ws.ntriples(n))),
                timeout=1800,
                target=TARGETS["validate"],
            ),
            Case(
                "validate",
                n,
                "`argmap validate` (corpus checks + SHACL in shacl-rust)",
                "shacl-rust alone, as argmap runs it (streamed from the N-Triples file into its interned index)",
                argmap("validate", "--corpus", corpus),
                worker("shacl-rust-index", str(ws.ntriples(n))),
                timeout=1800,
            ),
        ]
        if n <= LARGE_CAPS["pyshacl"]:
            out.append(
                Case(
                    "validate",
                    n,
                    "`argmap validate` (corpus checks + SHACL in shacl-rust)",
                    "pySHACL alone on the same graph (read from N-Triples)",
                    argmap("validate", "--corpus", corpus),
                    worker("pyshacl", str(ws.ntriples(n))),
                    timeout=1800,
                    repeat=1,
                )
            )
        return out
    if bench == "grounded":
        out = []
        for kind, what in (("debate", "the debate's attacks"), ("random", "a random framework, 2n attacks")):
            att = str(ws.attacks(n, kind))
            out.append(
                Case(
                    "grounded",
                    n,
                    f"argmap grounded labels ({what})",
                    "PyArg `get_grounded_extension`",
                    worker("grounded-argmap", att),
                    worker("grounded-pyarg", att),
                    timeout=120,
                    use_report=True,
                    target=TARGETS["grounded"],
                )
            )
        return out
    if bench == "projection":
        corpus = str(ws.corpus(n))
        return [
            Case(
                "projection",
                n,
                "`project(graph)` (claims, typed edges, bipartite graphs)",
                "a networkx DiGraph of the support/attack edges, from the same rdflib graph",
                worker("project", corpus),
                worker("nxgraph", corpus),
                timeout=1200,
                use_report=True,
            )
        ]
    if bench == "exports":
        from argmap.export.registry import exporters

        corpus = str(ws.corpus(n))
        out = []
        for e in exporters():
            target = ws.out(f"x-{e.name}" + ("" if e.multi_file else f".{e.extension}"))
            slow = e.name in ("svg", "png", "pdf", "dot")
            out.append(
                Case(
                    "exports",
                    n,
                    f"`argmap export {e.name}`",
                    "`argmap sources --json` (loading alone)",
                    argmap("export", e.name, "--corpus", corpus, "--out", str(target)),
                    argmap("sources", "--json", "--corpus", corpus),
                    timeout=180 if slow else 900,
                    repeat=1 if n >= 10_000 else None,
                )
            )
        return out
    if bench == "layout":
        # the diagram drawn with the engine --layout auto picks (dot up to AUTO_DOT_MAX claims, sfdp above),
        # against writing its DOT source alone: the difference is Graphviz's layout and drawing
        from argmap.export.graphviz import AUTO_DOT_MAX

        corpus = str(ws.corpus(n))
        engine = "dot" if n <= AUTO_DOT_MAX else "sfdp"
        return [
            Case(
                "layout",
                n,
                f"`argmap export svg --layout auto` ({engine})",
                "`argmap export dot` (the source, no layout)",
                argmap("export", "svg", "--layout", "auto", "--corpus", corpus, "--out", str(ws.out("layout.svg"))),
                argmap("export", "dot", "--corpus", corpus, "--out", str(ws.out("layout.dot"))),
                timeout=600,
                repeat=1 if n >= 10_000 else None,
                target="finishes at 10k claims",
            )
        ]
    raise SystemExit(f"unknown benchmark '{bench}' (expected one of: {', '.join(BENCHMARKS)})")


def run_case(case: Case, *, repeat: int) -> None:
    """Ours and the baseline, alternating (which goes first swaps each round); medians kept."""
    k = case.repeat or repeat
    ours: list[Run] = []
    base: list[Run] = []
    for i in range(k):
        pair = [(case.ours_cmd, ours), (case.base_cmd, base)]
        for cmd, into in pair if i % 2 == 0 else reversed(pair):
            if into and into[-1].code is None:
                continue  # it hit the time limit once: not again
            into.append(measure(cmd, timeout=case.timeout))
    case.results = {"ours": summarise(ours, case.use_report), "base": summarise(base, case.use_report), "repeat": k}


def summarise(runs: list[Run], use_report: bool) -> dict:
    done = [r for r in runs if r.code == 0]
    out: dict = {
        "runs": len(runs),
        "failed": sum(1 for r in runs if r.code not in (0, None)),
        "timed_out": any(r.code is None for r in runs),
    }
    if not done:
        return out
    secs = [r.report["seconds"] if use_report and "seconds" in r.report else r.wall for r in done]
    out.update(
        seconds=statistics.median(secs),
        wall=statistics.median(r.wall for r in done),
        cpu=statistics.median(r.cpu for r in done),
        rss_mb=max(r.rss_mb for r in done),
        report=done[-1].report,
    )
    return out


# ---------------------------------------------------------------- workers: one measurement in a fresh process


def _attacks_of(kind: str, source: str, path: str) -> None:
    """Attacks as pairs of indexes, for the grounded workers: a corpus's (undercuts left out), or random."""
    if kind == "debate":
        from argmap.sources import load_corpus

        corpus = load_corpus(source)
        index = {c.id: i for i, c in enumerate(corpus.claims)}
        n, pairs = len(index), [(index[r.source], index[r.target]) for r in corpus.relations if r.type == "attacks"]
    else:
        sys.path.insert(0, str(HERE))
        from synthetic import random_attacks

        n = int(source)
        pairs = random_attacks(n, density=2.0, seed=n)
    Path(path).write_text(json.dumps({"n": n, "attacks": pairs}), encoding="utf-8")


def run_worker(name: str, args: list[str]) -> None:
    report: dict = {}
    if name == "attacks":
        _attacks_of(*args)
        return
    if name == "ntparse":
        import pyoxigraph

        t0 = time.perf_counter()
        n = sum(1 for _ in pyoxigraph.parse(path=args[0], format=pyoxigraph.RdfFormat.N_TRIPLES))
        report = {"seconds": time.perf_counter() - t0, "triples": n}
    elif name == "oxdump":
        import pyoxigraph as ox

        fmt = {
            "turtle": ox.RdfFormat.TURTLE,
            "jsonld": ox.RdfFormat.JSON_LD,
            "xml": ox.RdfFormat.RDF_XML,
            "trig": ox.RdfFormat.TRIG,
            "nquads": ox.RdfFormat.N_QUADS,
        }[args[1]]
        t0 = time.perf_counter()
        store = ox.Store()
        graph = ox.NamedNode("https://example.org/g")
        store.bulk_load(path=args[0], format=ox.RdfFormat.N_TRIPLES, to_graph=graph)
        data = store.dump(format=fmt, from_graph=None if args[1] in ("trig", "nquads") else graph)
        report = {"seconds": time.perf_counter() - t0, "bytes": len(data)}
    elif name == "shacl-rust":
        import shacl_rust

        from argmap.graph.validate import shapes_text

        t0 = time.perf_counter()
        out = shacl_rust.validate(
            Path(args[0]).read_text(encoding="utf-8"), shapes_text(), data_format="nt", shapes_format="turtle"
        )
        report = {"seconds": time.perf_counter() - t0, "conforms": bool(out["conforms"])}
    elif name == "shacl-rust-index":
        from argmap.graph.validate import engine_report

        t0 = time.perf_counter()
        with open(args[0], "rb") as data:
            out = engine_report(data)
        report = {"seconds": time.perf_counter() - t0, "conforms": bool(out["conforms"])}
    elif name == "query-fresh-store":
        import shutil as _shutil

        _shutil.rmtree(args[1], ignore_errors=True)
        code = subprocess.run(
            [PY, "-m", "argmap", "query", "--named", "statistics", "--corpus", args[0], "--store", args[1]], capture_output=True
        ).returncode
        report = {"code": code}
    elif name == "pyshacl":
        from pyshacl import validate
        from rdflib import Graph

        from argmap.graph.validate import shapes_graph

        t0 = time.perf_counter()
        g = Graph().parse(args[0], format="nt")
        conforms, _, _ = validate(g, shacl_graph=shapes_graph(), inference="none", advanced=True)
        report = {"seconds": time.perf_counter() - t0, "conforms": bool(conforms), "triples": len(g)}
    elif name in ("grounded-argmap", "grounded-pyarg"):
        data = json.loads(Path(args[0]).read_text(encoding="utf-8"))
        n, attacks = data["n"], [tuple(p) for p in data["attacks"]]
        if name == "grounded-argmap":
            from argmap.graph.analysis import dung

            fw = dung.from_attacks(n, attacks)
            t0 = time.perf_counter()
            labels = dung.grounded_labels(fw)
            seconds = time.perf_counter() - t0
            inside = sorted(i for i, lab in enumerate(labels) if lab == dung.IN)
        else:
            from py_arg.abstract_argumentation_classes.abstract_argumentation_framework import AbstractArgumentationFramework
            from py_arg.abstract_argumentation_classes.argument import Argument
            from py_arg.abstract_argumentation_classes.defeat import Defeat
            from py_arg.algorithms.semantics.get_grounded_extension import get_grounded_extension

            arguments = [Argument(str(i)) for i in range(n)]
            af = AbstractArgumentationFramework("bench", arguments, [Defeat(arguments[a], arguments[b]) for a, b in attacks])
            t0 = time.perf_counter()
            ext = get_grounded_extension(af)
            seconds = time.perf_counter() - t0
            inside = sorted(int(a.name) for a in ext)
        report = {"seconds": seconds, "in": len(inside), "extension": hash(tuple(inside)), "attacks": len(attacks)}
    elif name in ("project", "nxgraph"):
        from argmap.graph.build import build_graph
        from argmap.sources import load_corpus

        graph = build_graph(load_corpus(args[0]))
        if name == "project":
            from argmap.graph.projection import project

            t0 = time.perf_counter()
            P = project(graph)
            report = {
                "seconds": time.perf_counter() - t0,
                "nodes": P.claims.number_of_nodes(),
                "edges": P.claims.number_of_edges(),
            }
        else:
            import networkx as nx

            from argmap.graph.vocab import ARG

            t0 = time.perf_counter()
            G = nx.DiGraph()
            for p in (ARG.supports, ARG.attacks):
                G.add_edges_from((s, o, {"type": str(p)}) for s, o in graph.subject_objects(p))
            report = {"seconds": time.perf_counter() - t0, "nodes": G.number_of_nodes(), "edges": G.number_of_edges()}
    else:
        raise SystemExit(f"unknown worker '{name}'")
    print(json.dumps(report))


# ---------------------------------------------------------------- the record: table, RESULTS.md, JSON


def machine() -> dict:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = {}
    for dist in ("argmap", "rdflib", "pyoxigraph", "pyshacl", "networkx", "PyYAML", "python-argumentation"):
        try:
            from importlib.metadata import version

            versions[dist] = version(dist)
        except Exception:
            versions[dist] = "not installed"
    try:
        load = os.getloadavg()[0]
    except OSError:
        load = None
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(mem, 1),
        "python": platform.python_version(),
        "os": platform.platform(),
        "load_at_start": load,
        "versions": versions,
    }


def git_revision() -> str:
    try:
        rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"], capture_output=True, text=True, cwd=ROOT
        ).stdout.strip()
        return rev + ("+changes" if dirty else "")
    except OSError:
        return "unknown"


def _fmt_s(s: dict) -> str:
    if "seconds" not in s:
        return "did not finish" if s.get("timed_out") else "failed"
    v = s["seconds"]
    return f"{v * 1000:.3g} ms" if v < 1 else f"{v:.3g} s"


def _fmt_mb(s: dict) -> str:
    return f"{s['rss_mb']:.0f}" if "rss_mb" in s else "–"


def table(done: list[Case]) -> str:
    lines = [
        "| benchmark | claims | ours | baseline | ours: time | baseline: time | ours ÷ baseline | ours: peak MB | baseline: peak MB | runs | target |",
        "| --- | ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for c in done:
        o, b = c.results["ours"], c.results["base"]
        ratio = "–"
        if "seconds" in o and "seconds" in b and b["seconds"] > 0 and o["seconds"] > 0:
            r = o["seconds"] / b["seconds"]
            ratio = f"{r:.3g}x" + (f" (baseline {1 / r:,.0f}x slower)" if r < 0.1 else "")
        if c.bench == "grounded" and "report" in o and "report" in b:
            ratio += (
                " (same extension)" if o["report"].get("extension") == b["report"].get("extension") else " (DIFFERENT extensions)"
            )
        size = size_name(c.size) if c.size else "–"
        lines.append(
            f"| {c.bench} | {size} | {c.ours} | {c.base} | {_fmt_s(o)} | {_fmt_s(b)} | {ratio} | "
            f"{_fmt_mb(o)} | {_fmt_mb(b)} | {c.results['repeat']} | {c.target} |"
        )
    return "\n".join(lines)


def record(done: list[Case], scripts: dict[str, str], info: dict, opts, *, write: bool) -> str:
    stamp = info["date"]
    m = info["machine"]
    libs = ", ".join(f"{k} {v}" for k, v in m["versions"].items())
    head = (
        f"## Run of {stamp} UTC\n\n"
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB, load {m['load_at_start']:.2f} at start (shared); "
        f"Python {m['python']}; {libs}. Checkout {info['revision']}. "
        f"Command: `python benchmarks/run.py {' '.join(info['argv'])}`. Times are medians of the runs (ours and the "
        f"baseline alternating); peak MB is the largest resident set of one process.\n"
    )
    text = head + "\n" + table(done) + "\n"
    for name, out in scripts.items():
        text += f"\n### {name}\n\n{out.strip()}\n"
    if write:
        results = HERE / "results"
        results.mkdir(exist_ok=True)
        slug = stamp.replace(":", "").replace("-", "").replace(" ", "-")
        payload = {
            **info,
            "cases": [{k: v for k, v in c.__dict__.items() if k not in ("ours_cmd", "base_cmd")} for c in done],
            "scripts": scripts,
        }
        (results / f"run-{slug}.json").write_text(json.dumps(payload, indent=2, default=str) + "\n", encoding="utf-8")
        res = HERE / "RESULTS.md"
        if not res.exists():
            res.write_text(
                "# Benchmark results\n\nEach run appends a section (`python benchmarks/run.py`); see README.md.\n",
                encoding="utf-8",
            )
        with res.open("a", encoding="utf-8") as fh:
            fh.write("\n" + text)
    return text


def scripts_present(only: set[str] | None) -> list[Path]:
    """``bench_*.py`` scripts beside this one (each standalone, with ``main()``), chosen by --only."""
    found = sorted(HERE.glob("bench_*.py"))
    return [p for p in found if only is None or p.stem.removeprefix("bench_") in only]


def run_script(path: Path, *, timeout: float) -> str:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    try:
        proc = subprocess.run([PY, str(path)], capture_output=True, text=True, cwd=ROOT, env=env, timeout=timeout)
    except subprocess.TimeoutExpired:
        return f"(did not finish in {timeout:.0f} s)"
    lines = [line for line in proc.stdout.splitlines() if line.startswith("|")]
    if proc.returncode != 0:
        return "\n".join(lines) + f"\n\n(exit {proc.returncode}: {proc.stderr.strip().splitlines()[-1:] or ''})"
    return "\n".join(lines) or proc.stdout.strip()


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--worker"]:
        run_worker(argv[1], argv[2:])
        return 0
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0], epilog="See benchmarks/README.md.")
    ap.add_argument("--sizes", default="1k,10k", help="claims per synthetic debate, e.g. 1k,10k,100k (default: 1k,10k)")
    ap.add_argument(
        "--only", default=None, help=f"comma-separated benchmarks: {', '.join(BENCHMARKS)}, or a bench_NAME.py script's NAME"
    )
    ap.add_argument("--repeat", type=int, default=3, help="runs of each side per case; the median is kept (default: 3)")
    ap.add_argument(
        "--quick", action="store_true", help="one run of each case at 200 claims, no scripts: checks that the suite works"
    )
    ap.add_argument("--no-record", action="store_true", help="print the table only; do not append to RESULTS.md or write JSON")
    ap.add_argument("--script-timeout", type=float, default=3600, help="seconds each bench_*.py script may take")
    opts = ap.parse_args(argv)

    sizes = [200] if opts.quick else parse_sizes(opts.sizes)
    repeat = 1 if opts.quick else opts.repeat
    only = set(opts.only.split(",")) if opts.only else None
    benches = [b for b in BENCHMARKS if only is None or b in only]
    info = {
        "date": _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M"),
        "machine": machine(),
        "revision": git_revision(),
        "argv": argv,
        "sizes": sizes,
        "repeat": repeat,
    }
    ws = Workspace()
    done: list[Case] = []
    try:
        for bench in benches:
            for n in [0] if bench == "startup" else sizes:
                for case in cases(bench, n, ws, quick=opts.quick):
                    print(
                        f"... {case.bench} {size_name(case.size) if case.size else ''} {case.ours}", file=sys.stderr, flush=True
                    )
                    run_case(case, repeat=repeat)
                    done.append(case)
    finally:
        ws.clean()
    scripts = {}
    if not opts.quick:
        for path in scripts_present(only):
            print(f"... {path.name}", file=sys.stderr, flush=True)
            scripts[path.name] = run_script(path, timeout=opts.script_timeout)
    write = not (opts.no_record or opts.quick)
    text = record(done, scripts, info, opts, write=write)
    print(text)
    if write:
        sys.path.insert(0, str(HERE))
        import plot

        plot.main()
    return 0


if __name__ == "__main__":
    sys.exit(main())
