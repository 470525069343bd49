"""The Python API (`import argmap`): the same results as the CLI, a shipped example debate, lazy imports."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

import argmap
from argmap.cli import main
from argmap.sources.model import STANCE_WORDS

ROOT = Path(__file__).parent.parent
DATA = Path(__file__).parent / "data"
CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts"


def cli_json(*args: str):
    result = CliRunner().invoke(main, [*args, "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_shipped_mini_is_the_test_fixture():
    """The example debate in the package is the tests' mini corpus, file for file."""
    shipped = argmap.shipped_path("mini")
    ours = sorted(p.relative_to(DATA / "mini") for p in (DATA / "mini").rglob("*") if p.is_file())
    theirs = sorted(p.relative_to(shipped) for p in shipped.rglob("*") if p.is_file())
    assert ours == theirs and ours
    for rel in ours:
        assert (DATA / "mini" / rel).read_bytes() == (shipped / rel).read_bytes(), rel


def test_load_by_path_by_name_and_default():
    assert argmap.load(DATA / "mini").id == argmap.load("mini").id == "mini"
    assert argmap.load().id == "opc"


def test_analyze_equals_the_cli():
    d = argmap.load("mini")
    assert json.loads(json.dumps(d.analyze())) == cli_json("analyze", "--corpus", str(DATA / "mini"))


def test_selection_equals_the_export_selection(tmp_path):
    """d.select(...).widen(1) chooses exactly the claims `argmap export --topic --stance --widen` writes."""
    import csv

    part = argmap.load().select(topic="crime", stance="con").widen(1)
    out = tmp_path / "t"
    args = ["export", "csv", "--topic", "crime", "--stance", "con", "--widen", "1", "--no-analysis", "--out", str(out)]
    assert CliRunner().invoke(main, args, catch_exceptions=False).exit_code == 0
    with open(out / "claims.csv", encoding="utf-8-sig", newline="") as fh:
        exported = sorted(row["id"] for row in csv.DictReader(fh))
    assert exported == sorted(c.id for c in part.claims)
    assert any(c.stance != "con" for c in part.claims)  # widening added the answers
    assert all(c.stance == "con" and "crime" in c.topics for c in argmap.load().select(topic="crime", stance="con").claims)


def test_networkx_and_rdflib_views():
    d = argmap.load("mini")
    G = d.networkx()
    assert set(G.nodes) == {c.id for c in d.claims}
    assert G.number_of_edges() == len(d.relations)
    g = d.graph(analysis=False)
    assert len(g) > 0
    rows = d.query("SELECT ?id WHERE { ?c a schema:Claim ; schema:identifier ?id } ORDER BY ?id").records()
    assert [r["id"] for r in rows] == sorted(c.id for c in d.claims)


def test_map_page_shows_inline():
    page = argmap.load("mini").map()
    html = page._repr_html_()
    assert html.startswith("<iframe") and "srcdoc=" in html and "<script" not in html  # escaped inside srcdoc
    assert str(page).lstrip().lower().startswith("<!doctype html")


def test_import_is_light():
    code = "import sys, argmap; print(sorted(m for m in ('rdflib', 'pyoxigraph', 'networkx', 'pyshacl') if m in sys.modules))"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert proc.stdout.strip() == "[]"


def test_readme_python_api_example_runs():
    """README's "Python API" example is a doctest, run here from a folder other than the repository."""
    import doctest
    import os
    import re

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Python API", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```pycon\n(.*?)```", section, flags=re.S)
    assert blocks and ">>> import argmap" in blocks[0]
    parser = doctest.DocTestParser()
    test = parser.get_doctest("\n".join(blocks), {}, "README Python API", "README.md", 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    here = os.getcwd()
    os.chdir(Path(__file__).parent / "data")  # any folder: the example needs no repository files
    try:
        runner.run(test)
    finally:
        os.chdir(here)
    assert runner.failures == 0 and runner.tries >= 10


def test_map_renders_inline_in_a_notebook_with_no_network():
    """`_repr_html_` as Jupyter shows it (an iframe whose srcdoc is the page) draws every claim in headless
    Chromium with every request that is not data: or about: blocked, and no request leaves the page."""
    import importlib.util

    from conftest import need

    need(Path(CHROMIUM).exists(), f"Chromium at {CHROMIUM}")
    need(importlib.util.find_spec("playwright") is not None, "playwright missing: pip install -e '.[test]'")
    from playwright.sync_api import sync_playwright

    d = argmap.load("mini")
    cell = d.map()._repr_html_()
    notebook = f"<!DOCTYPE html><html><body><div class='output_html'>{cell}</div></body></html>"
    requests: list[str] = []
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1100, "height": 760})
            page.on("console", lambda m: errors.append(m.text) if m.type in ("error", "warning") else None)
            page.on("pageerror", lambda e: errors.append(str(e)))

            def route(r):
                if r.request.url.split(":", 1)[0] in ("data", "about"):
                    r.continue_()
                else:
                    requests.append(r.request.url)
                    r.abort()

            page.route("**/*", route)
            page.on("request", lambda r: None if r.url.split(":", 1)[0] in ("data", "about") else requests.append(r.url))
            page.set_content(notebook)
            frame = page.frame_locator("iframe")
            frame.locator("body[data-ready=true]").wait_for(state="attached", timeout=30000)
            inner = next(f for f in page.frames if f is not page.main_frame)
            assert frame.locator("#map canvas").count() >= 1
            assert inner.evaluate("() => argmap.drawnClaims()") == len(d.claims) == 6
            drawn = inner.evaluate("() => argmap.nodes.get({filter: n => n.kind === 'claim'}).map(n => n.id).sort()")
            assert drawn == sorted(f"c:{c.id}" for c in d.claims)
            listed = frame.locator("#claim-items button[data-claim]").evaluate_all("bs => bs.map(b => b.textContent)")
            assert sorted(listed) == sorted(f"{STANCE_WORDS[c.stance]}: {c.text}" for c in d.claims)
            # in the frame's 640 pixels every claim box carries its own label (none drawn blank)
            inner.wait_for_function("() => !argmap.moving()", timeout=10000)
            labelled = "() => argmap.network.body.nodeIndices.filter(i => i.startsWith('c:')).every(i => argmap.network.body.nodes[i].labelModule.visible())"
            assert inner.evaluate(labelled)
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "notebook-map-iframe.png"))
        finally:
            browser.close()
    assert requests == [] and errors == []


def test_one_stance_vocabulary_for_every_exporter():
    """The words for the stances are written once, in sources/model.py; no exporter or page spells its own."""
    import re

    from argmap.export import brief, common, graphviz, htmlmap, mermaid
    from argmap.sources import model

    assert graphviz.STANCE_WORDS is mermaid.STANCE_WORDS is htmlmap.STANCE_WORDS is model.STANCE_WORDS
    assert brief.STANCE_WORDS == {s: w.capitalize() for s, w in model.STANCE_WORDS.items()}
    assert [st.label for st in common.STANCE_STYLES.values()] == ["For (pro)", "Against (con)", "Context (neutral)"]
    words = "|".join(w for w in model.STANCE_WORDS.values())
    capitalised = "|".join(w.capitalize() for w in model.STANCE_WORDS.values())
    spelled = re.compile(rf"""[:(,\[]\s*["']({words}|{capitalised})["']\s*[,)}}\]]""")  # a stance word as a value
    for path in sorted((ROOT / "argmap").rglob("*")):
        if path.suffix in (".py", ".js") and path != ROOT / "argmap" / "sources" / "model.py":
            assert not spelled.search(path.read_text(encoding="utf-8")), path
