"""Benchmark: argmap's named SPARQL queries on Oxigraph (pyoxigraph) against rdflib's own engine, on the
same data, in one run; and the `argmap serve` endpoint under 8 concurrent clients.

Run from the repository root:  python benchmarks/bench_sparql.py [--sizes 100000 1000000] [--no-endpoint]

Data: the OPC debate (with the analysis results), and synthetic debates of about the given numbers of triples
in argmap's vocabulary: :func:`synthetic.debate_corpus` claims and relations, with study designs, places
and periods on the sources, figures on every fifth claim, and analysis terms (grounded label, strength) drawn
from a seeded generator. Both engines load the same N-Triples bytes. Each query is timed on each engine
(best of a few runs for Oxigraph, fewer for rdflib on large graphs; results fully read), and the two must give
the same number of rows. The ratio is rdflib's time over Oxigraph's; the issue's target is at least 15x on
the large graph. rdflib runs in a forked process stopped after ``--budget`` seconds a run; a query it did not
finish is shown as ``>budget`` and its ratio is a lower bound.

Prints a Markdown table and writes ``benchmarks/results/sparql.json``. This is a measurement, not a test.
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import json
import platform
import random
import statistics
import sys
import threading
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from synthetic import debate_corpus  # noqa: E402
from timing import best as timed  # noqa: E402  (best of runs: (seconds, result))

from argmap.graph.sparql import PREFIXES, named_queries  # noqa: E402

TRIPLES_PER_CLAIM = 40  # about, for the synthetic debate below
DESIGNS = ("difference-in-differences", "cohort", "before-after", "opinion", "review", "interrupted-time-series")
KINDS = ("study", "news", "report", "op-ed")


def synthetic_ntriples(n_triples: int, *, seed: int = 0) -> bytes:
    """A synthetic debate of about ``n_triples`` triples as sorted N-Triples."""
    from decimal import Decimal

    from rdflib import Literal

    from argmap.graph.build import iter_triples
    from argmap.graph.vocab import ARG, GROUNDED_TERMS
    from argmap.sources.model import Figure

    n = max(50, n_triples // TRIPLES_PER_CLAIM)
    corpus = debate_corpus(n, seed=seed)
    rng = random.Random(seed + 7)
    sources = tuple(
        dataclasses.replace(
            s,
            kind=KINDS[i % len(KINDS)],
            design=DESIGNS[i % len(DESIGNS)],
            place=f"City {i % 40}",
            period=f"{2000 + i % 20}/{2002 + i % 20}",
        )
        for i, s in enumerate(corpus.sources)
    )
    claims = tuple(
        dataclasses.replace(c, kind="statistic", figures=(Figure(rng.randrange(1, 500), "deaths", "about", "2019/2021"),))
        if i % 5 == 0
        else c
        for i, c in enumerate(corpus.claims)
    )
    corpus = dataclasses.replace(corpus, sources=sources, claims=claims)
    lines = [f"{s.n3()} {p.n3()} {o.n3()} ." for s, p, o in iter_triples(corpus)]
    base = corpus.base
    labels = list(GROUNDED_TERMS.values())
    for c in corpus.claims:
        node = f"<{base}claim/{c.id}>"
        lines.append(f"{node} {ARG.groundedLabel.n3()} {labels[rng.randrange(3)].n3()} .")
        lines.append(f"{node} {ARG.strength.n3()} {Literal(Decimal(f'{rng.random():.6f}')).n3()} .")
    lines.sort()
    return ("\n".join(lines) + "\n").encode("utf-8")


def opc_ntriples() -> bytes:
    from argmap.graph.store import debate_graph, ntriples
    from argmap.sources import load_corpus

    return ntriples(debate_graph(load_corpus()))


def load_both(data: bytes) -> dict:
    import rdflib

    from argmap.graph.store import load_ntriples

    t_ox, store = timed(lambda: load_ntriples(data), repeat=1)

    def rdf():
        g = rdflib.Graph()
        g.parse(data=data, format="nt")
        return g

    t_rdf, graph = timed(rdf, repeat=1)
    return {"store": store, "graph": graph, "load_oxigraph_s": t_ox, "load_rdflib_s": t_rdf, "triples": len(store)}


def run_oxigraph(store, text: str) -> int:
    from argmap.graph.sparql import run_query

    return len(run_query(store, text).rows)


def run_rdflib(graph, text: str) -> int:
    result = graph.query(text, initNs=PREFIXES)
    return sum(1 for _ in result)


def _rdflib_child(conn, graph, text: str, repeat: int) -> None:
    t, n = timed(lambda: run_rdflib(graph, text), repeat=repeat)
    conn.send((t, n))


def time_rdflib(graph, text: str, *, repeat: int, budget: float) -> tuple[float | None, int | None]:
    """rdflib's best time and row count, in a forked process (which shares the loaded graph) that is
    stopped after ``budget`` seconds: (None, None) when it did not finish."""
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    parent, child = ctx.Pipe()
    proc = ctx.Process(target=_rdflib_child, args=(child, graph, text, repeat))
    proc.start()
    try:
        if parent.poll(budget * repeat):
            return parent.recv()
        return None, None
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join()


def bench_queries(name: str, loaded: dict, *, repeat_ox: int, repeat_rdf: int, budget: float) -> list[dict]:
    rows = []
    for qname, q in named_queries().items():
        t_ox, n_ox = timed(lambda: run_oxigraph(loaded["store"], q.text), repeat=repeat_ox)
        t_rdf, n_rdf = time_rdflib(loaded["graph"], q.text, repeat=repeat_rdf, budget=budget)
        finished = t_rdf is not None
        # rdflib stopped at the budget: its time is at least the budget, so the ratio is a lower bound
        t_rdf_shown = t_rdf if finished else budget
        row = {
            "data": name,
            "triples": loaded["triples"],
            "query": qname,
            "rows": n_ox,
            "rows_rdflib": n_rdf,
            "oxigraph_ms": round(t_ox * 1e3, 3),
            "rdflib_ms": round(t_rdf_shown * 1e3, 3),
            "rdflib_finished": finished,
            "ratio": round(t_rdf_shown / t_ox, 1) if t_ox > 0 else None,
        }
        rows.append(row)
        if not finished:
            note = f"  rdflib stopped after {budget:g} s: ratio is a lower bound"
        elif n_ox != n_rdf:
            note = f"  ROW COUNTS DIFFER ({n_ox} vs {n_rdf})"
        else:
            note = ""
        bound = "" if finished else ">"
        print(
            f"  {qname:24s} {n_ox:7d} rows  oxigraph {t_ox * 1e3:10.2f} ms  rdflib {bound}{t_rdf_shown * 1e3:12.1f} ms  "
            f"{bound}{row['ratio']}x{note}",
            flush=True,
        )
    return rows


def bench_endpoint(data: bytes, *, clients: int = 8, per_client: int = 100) -> dict:
    """Throughput and latency of `argmap serve` (in-process, on a free port) under concurrent clients."""
    from argmap.server import make_server

    server = make_server(("nt", data), port=0, workers=2, timeout=30)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    queries = [q.text for q in named_queries().values()]
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()

    def client(k: int) -> None:
        nonlocal errors
        for i in range(per_client):
            text = queries[(k + i) % len(queries)]
            url = f"http://{host}:{port}/sparql?" + urllib.parse.urlencode({"query": text})
            t0 = time.perf_counter()
            try:
                with urllib.request.urlopen(url, timeout=60) as resp:
                    resp.read()
                    ok = resp.status == 200
            except OSError:
                ok = False
            dt = time.perf_counter() - t0
            with lock:
                latencies.append(dt)
                errors += 0 if ok else 1

    t0 = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(client, range(clients)))
    wall = time.perf_counter() - t0
    server.shutdown()
    server.server_close()
    server.pool.close()
    latencies.sort()
    return {
        "clients": clients,
        "requests": len(latencies),
        "errors": errors,
        "throughput_per_s": round(len(latencies) / wall, 1),
        "p50_ms": round(statistics.median(latencies) * 1e3, 2),
        "p99_ms": round(latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))] * 1e3, 2),
        "workers": 2,
    }


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="*", default=[1_000_000], help="Synthetic debates of about this many triples.")
    ap.add_argument("--no-endpoint", action="store_true", help="Skip the endpoint throughput measurement.")
    ap.add_argument("--budget", type=float, default=60.0, help="Seconds rdflib may spend on one query run before it is stopped.")
    ap.add_argument("--out", default=str(HERE / "results" / "sparql.json"))
    opts = ap.parse_args(argv)

    results: dict = {
        "benchmark": "sparql",
        "python": platform.python_version(),
        "machine": platform.machine(),
        "loads": [],
        "queries": [],
    }
    datasets = [("opc", opc_ntriples)] + [(f"synthetic-{n}", lambda n=n: synthetic_ntriples(n)) for n in opts.sizes]
    for name, make in datasets:
        t0 = time.perf_counter()
        data = make()
        made = time.perf_counter() - t0
        loaded = load_both(data)
        load = {
            "data": name,
            "triples": loaded["triples"],
            "generate_s": round(made, 2),
            "load_oxigraph_s": round(loaded["load_oxigraph_s"], 3),
            "load_rdflib_s": round(loaded["load_rdflib_s"], 3),
            "load_ratio": round(loaded["load_rdflib_s"] / loaded["load_oxigraph_s"], 1),
        }
        results["loads"].append(load)
        print(
            f"\n== {name}: {loaded['triples']} triples; load oxigraph {load['load_oxigraph_s']} s, "
            f"rdflib {load['load_rdflib_s']} s ({load['load_ratio']}x)",
            flush=True,
        )
        big = loaded["triples"] > 200_000
        results["queries"] += bench_queries(
            name, loaded, repeat_ox=3 if big else 10, repeat_rdf=1 if big else 3, budget=opts.budget
        )
        if name == "opc" and not opts.no_endpoint:
            results["endpoint"] = {"data": "opc", **bench_endpoint(data)}
        del loaded
        gc.collect()

    for name in {q["data"] for q in results["queries"]}:
        qs = [q for q in results["queries"] if q["data"] == name]
        ox = sum(q["oxigraph_ms"] for q in qs)
        rd = sum(q["rdflib_ms"] for q in qs)
        results.setdefault("totals", {})[name] = {
            "oxigraph_ms": round(ox, 1),
            "rdflib_ms": round(rd, 1),
            "ratio": round(rd / ox, 1),
            "geomean_ratio": round(statistics.geometric_mean([q["ratio"] for q in qs if q["ratio"]]), 1),
            "min_ratio": min(q["ratio"] for q in qs if q["ratio"]),
        }

    print("\n| data | triples | query | rows | Oxigraph ms | rdflib ms | ratio |")
    print("| --- | ---: | --- | ---: | ---: | ---: | ---: |")
    for q in results["queries"]:
        bound = "" if q["rdflib_finished"] else ">"
        print(
            f"| {q['data']} | {q['triples']} | {q['query']} | {q['rows']} | {q['oxigraph_ms']:.2f} | "
            f"{bound}{q['rdflib_ms']:.1f} | {bound}{q['ratio']}x |"
        )
    print(
        "\n| data | all named queries, Oxigraph ms | rdflib ms (at least) | ratio (total) | geometric mean ratio | lowest ratio |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for name, t in sorted(results["totals"].items()):
        print(f"| {name} | {t['oxigraph_ms']} | {t['rdflib_ms']} | {t['ratio']}x | {t['geomean_ratio']}x | {t['min_ratio']}x |")
    if "endpoint" in results:
        e = results["endpoint"]
        print(
            f"\nendpoint (opc, {e['clients']} clients, {e['workers']} workers): {e['requests']} requests, {e['errors']} errors, "
            f"{e['throughput_per_s']} req/s, p50 {e['p50_ms']} ms, p99 {e['p99_ms']} ms"
        )
    out = Path(opts.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {out}")


if __name__ == "__main__":
    main()
