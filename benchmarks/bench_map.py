"""Benchmark: argmap's interactive map against pyvis's default output of the same graph.

Run from the repository root:  python benchmarks/bench_map.py [--sizes 1000 5000] [--timeout 120]

For each synthetic debate (``synthetic.debate_corpus``: claims answering earlier claims, stances and topics at
random) it measures, in the same run:

- argmap: ``render_map`` plus writing the file (the analysis results, per claim and the "at a glance" lists,
  are computed beforehand and not timed);
- pyvis: the same claims and relations through pyvis's ordinary path (``Network`` + ``add_nodes`` with label,
  title and colour + ``add_edges`` + ``write_html``, its default options: physics on, 1,000 stabilisation
  iterations), with ``cdn_resources="in_line"`` so that vis-network is inside the page. pyvis's default,
  ``"local"``, copies a ``lib/`` folder beside the page but its template still loads vis-network from a CDN,
  so offline it never draws (``vis is not defined``); the bench checks that too (``pyvis_local_offline``);
- time to ready in headless Chromium (``/usr/bin/chromium``, offline: every request that is not ``file:`` is
  aborted), from the start of navigation until the map is drawn and its layout settled: for argmap the page's
  ``data-ready`` mark (first drawing with physics off; end of stabilisation with physics on), for pyvis the
  end of stabilisation (its loading bar fades out) or, for pages without one, the first drawing;
- argmap's time to interactive: from the start of navigation until the map is ready and a claim chosen from the
  list of claims shown (as a keyboard user would) has been selected, its panel written and the view drawn again
  (``ours_interactive_s``; the target is 3 s at 5,000 claims);
- the file size (pyvis's page without the ``lib/`` folder it copies beside it).

``--ours-only`` leaves pyvis out (a short run for argmap's own figures).

Each timing is the best of ``--repeat`` runs. Prints a Markdown table and writes JSON to
``benchmarks/results/map.json``. This is a measurement, not a test: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from synthetic import debate_corpus  # noqa: E402
from timing import best  # noqa: E402  (best of n runs)

CHROMIUM = "/usr/bin/chromium"


def write_ours(corpus, metrics, glance, path: Path) -> None:
    from argmap.export.htmlmap import render_map

    path.write_text(render_map(corpus, metrics=metrics, glance=glance), encoding="utf-8")


def time_to_interactive(browser, path: Path, *, timeout_s: float) -> float | None:
    """Seconds from navigation until the map is ready and a claim picked from the claims list is selected, its
    panel written and the map drawn again; None when that did not happen in time."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(("file:", "data:", "about:")) else r.abort())
    try:
        t0 = time.perf_counter()
        page.goto(path.as_uri(), wait_until="commit")
        page.wait_for_function(OURS_READY, timeout=timeout_s * 1000, polling="raf")
        page.wait_for_selector("#claim-items button", state="attached", timeout=timeout_s * 1000)
        page.evaluate("""() => new Promise(done => {
            const b = document.querySelector('#claim-items button');
            argmap.network.once('afterDrawing', () => done());
            b.click();
        })""")
        page.wait_for_function(
            "() => document.activeElement && document.activeElement.id === 'panel-title'", timeout=timeout_s * 1000
        )
        return time.perf_counter() - t0
    except Exception:  # noqa: BLE001 - a timeout is a result here
        return None
    finally:
        context.close()


def write_pyvis(corpus, path: Path, *, resources: str = "in_line") -> None:
    from pyvis.network import Network

    colours = {"pro": "#0072B2", "con": "#D55E00", "neutral": "#999999"}
    claims = sorted(corpus.claims, key=lambda c: c.id)
    net = Network(directed=True, cdn_resources=resources)
    net.add_nodes(
        [c.id for c in claims],
        label=[c.text[:40] for c in claims],
        title=[c.text for c in claims],
        color=[colours[c.stance] for c in claims],
    )
    net.add_edges([(r.source, r.target) for r in corpus.relations if r.target in corpus.claims_by_id])
    cwd = os.getcwd()
    os.chdir(path.parent)  # pyvis copies its lib/ folder into the current folder
    try:
        net.write_html(path.name)
    finally:
        os.chdir(cwd)


def time_to_ready(browser, path: Path, *, ready_js: str, timeout_s: float) -> float | None:
    """Seconds from navigation to ``ready_js`` being true, offline; None when it did not happen in time."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(("file:", "data:", "about:")) else r.abort())
    try:
        t0 = time.perf_counter()
        page.goto(path.as_uri(), wait_until="commit")
        page.wait_for_function(ready_js, timeout=timeout_s * 1000, polling="raf")
        return time.perf_counter() - t0
    except Exception:  # noqa: BLE001 - a timeout is a result here
        return None
    finally:
        context.close()


OURS_READY = "() => document.body && document.body.getAttribute('data-ready') === 'true'"
PYVIS_READY = """() => {
  const bar = document.getElementById('loadingBar');
  if (bar) { return bar.style.opacity === '0'; }
  return typeof network !== 'undefined' && !!document.querySelector('#mynetwork canvas');
}"""


def run(n: int, *, repeat: int, timeout_s: float, browser, folder: Path, pyvis: bool = True) -> dict:
    from argmap.export.htmlmap import glance_data
    from argmap.graph.analysis import metrics_for_corpus

    corpus = debate_corpus(n, seed=n)
    t_metrics, metrics = best(lambda: metrics_for_corpus(corpus), repeat=1)
    t_glance, glance = best(lambda: glance_data(corpus), repeat=1)
    ours = folder / f"ours-{n}.html"
    theirs_dir = folder / f"pyvis-{n}"
    theirs_dir.mkdir(exist_ok=True)
    theirs = theirs_dir / "pyvis.html"
    t_ours, _ = best(lambda: write_ours(corpus, metrics, glance, ours), repeat=repeat)
    row = {
        "claims": n,
        "relations": len(corpus.relations),
        "analysis_s": round(t_metrics, 3),
        "glance_s": round(t_glance, 3),
        "ours_write_s": round(t_ours, 3),
        "ours_bytes": ours.stat().st_size,
    }
    if browser is not None:
        r_int = [time_to_interactive(browser, ours, timeout_s=timeout_s) for _ in range(repeat)]
        row["ours_interactive_s"] = round(min(t for t in r_int if t is not None), 3) if any(r_int) else None
    if not pyvis:
        if browser is not None:
            r_ours = [time_to_ready(browser, ours, ready_js=OURS_READY, timeout_s=timeout_s) for _ in range(repeat)]
            row["ours_ready_s"] = round(min(t for t in r_ours if t is not None), 3) if any(r_ours) else None
        return row
    t_pyvis, _ = best(lambda: write_pyvis(corpus, theirs), repeat=repeat)
    row["pyvis_write_s"] = round(t_pyvis, 3)
    row["pyvis_bytes"] = theirs.stat().st_size
    if browser is not None:
        local = theirs_dir / "pyvis-local.html"
        write_pyvis(corpus, local, resources="local")
        row["pyvis_local_offline"] = (
            "ready"
            if time_to_ready(browser, local, ready_js=PYVIS_READY, timeout_s=5)
            else "never ready (vis-network from a CDN)"
        )
        r_ours = [time_to_ready(browser, ours, ready_js=OURS_READY, timeout_s=timeout_s) for _ in range(repeat)]
        r_pyvis = []
        for _ in range(repeat):
            r_pyvis.append(time_to_ready(browser, theirs, ready_js=PYVIS_READY, timeout_s=timeout_s))
            if r_pyvis[-1] is None:  # timed out: once is enough
                break
        row["ours_ready_s"] = round(min((t for t in r_ours if t is not None), default=float("nan")), 3) if any(r_ours) else None
        row["pyvis_ready_s"] = (
            round(min((t for t in r_pyvis if t is not None), default=float("nan")), 3) if any(r_pyvis) else None
        )
    for key in ("write", "ready"):
        a, b = row.get(f"ours_{key}_s"), row.get(f"pyvis_{key}_s")
        row[f"{key}_ratio"] = round(b / a, 2) if a and b else None  # pyvis time / ours: above 1 means we are faster
    if row.get("ours_ready_s") and "pyvis_ready_s" in row and row["pyvis_ready_s"] is None:
        row["ready_ratio_at_least"] = round(timeout_s / row["ours_ready_s"], 1)  # pyvis did not finish in time
    return row


def ratio(r: dict) -> str:
    if r.get("ready_ratio"):
        return f"{r['ready_ratio']}x"
    if r.get("ready_ratio_at_least"):
        return f"> {r['ready_ratio_at_least']:g}x"
    return "n/a"


def table(rows: list[dict], timeout_s: float) -> str:
    def s(v, unit="s"):
        if v is None:
            return f"> {timeout_s:g} s (not ready)" if unit == "ready" else "n/a"
        return f"{v:.2f} s"

    def ready(r, who):
        key = f"{who}_ready_s"
        return "not measured" if key not in r else s(r[key], "ready")

    if rows and "pyvis_write_s" not in rows[0]:
        lines = [
            "| claims | relations | argmap write | argmap ready | argmap interactive | argmap file |",
            "| ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for r in rows:
            lines.append(
                f"| {r['claims']:,} | {r['relations']:,} | {s(r['ours_write_s'])} | {ready(r, 'ours')} | "
                f"{s(r.get('ours_interactive_s'), 'ready')} | {r['ours_bytes'] / 1e6:.2f} MB |"
            )
        return "\n".join(lines)
    lines = [
        "| claims | relations | argmap write | pyvis write | pyvis/argmap | argmap ready | argmap interactive | pyvis ready | pyvis/argmap | argmap file | pyvis file |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        lines.append(
            f"| {r['claims']:,} | {r['relations']:,} | {s(r['ours_write_s'])} | {s(r['pyvis_write_s'])} | "
            f"{r['write_ratio'] or 'n/a'}x | {ready(r, 'ours')} | {s(r.get('ours_interactive_s'), 'ready')} | {ready(r, 'pyvis')} | "
            f"{ratio(r)} | {r['ours_bytes'] / 1e6:.2f} MB | {r['pyvis_bytes'] / 1e6:.2f} MB |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000], help="numbers of claims (default: 1000 5000)")
    ap.add_argument("--repeat", type=int, default=3, help="runs per timing; the best is kept (default: 3)")
    ap.add_argument("--timeout", type=float, default=120.0, help="seconds to wait for a page to be ready (default: 120)")
    ap.add_argument("--no-browser", action="store_true", help="skip the time-to-ready measurements")
    ap.add_argument("--ours-only", action="store_true", help="leave pyvis out")
    ap.add_argument("--json", default=str(HERE / "results" / "map.json"), help="where to write the JSON results")
    ap.add_argument("--md", default=str(HERE / "results" / "map.md"), help="where to write the Markdown table")
    args = ap.parse_args(argv)

    rows = []
    with tempfile.TemporaryDirectory(prefix="argmap-bench-map.") as tmp:
        folder = Path(tmp)
        if args.no_browser or not Path(CHROMIUM).exists():
            for n in args.sizes:
                rows.append(
                    run(n, repeat=args.repeat, timeout_s=args.timeout, browser=None, folder=folder, pyvis=not args.ours_only)
                )
        else:
            from playwright.sync_api import sync_playwright

            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, headless=True)
                try:
                    for n in args.sizes:
                        rows.append(
                            run(
                                n,
                                repeat=args.repeat,
                                timeout_s=args.timeout,
                                browser=browser,
                                folder=folder,
                                pyvis=not args.ours_only,
                            )
                        )
                        print(f"{n} claims done", file=sys.stderr)
                finally:
                    browser.close()
    out = {
        "benchmark": "map",
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()},
        "repeat": args.repeat,
        "timeout_s": args.timeout,
        "rows": rows,
    }
    path = Path(args.json)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    text = table(rows, args.timeout)
    print(text)
    print(f"\n(ratios: pyvis time / argmap time; JSON in {path})")
    md = Path(args.md)
    md.write_text(
        "# argmap map against pyvis\n\n"
        "Written by `python benchmarks/bench_map.py"
        + (f" --sizes {' '.join(map(str, args.sizes))}" if args.sizes != [1000, 5000] else "")
        + "` (see its docstring for what is measured). Ratios are pyvis's time over argmap's: above 1, argmap is "
        "faster. Write: building and writing the HTML file. Ready: from navigation until the map is drawn and "
        "its layout settled, in headless Chromium, offline; pyvis's page settles by running 1,000 physics "
        f"iterations, and a `>` means it had not finished when the {args.timeout:g} s limit was reached.\n\n"
        f"Machine: {out['machine']['cpus']} CPUs, Python {out['machine']['python']}, best of {args.repeat} runs "
        "(the CPUs were shared with other work, so times vary from run to run).\n\n" + text + "\n",
        encoding="utf-8",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
