"""The Python API (`import argmap`): the same results as the CLI, a shipped example debate, lazy imports."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

import argmap
from argmap.cli import main

ROOT = Path(__file__).parent.parent
DATA = Path(__file__).parent / "data"


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
