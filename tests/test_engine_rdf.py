"""One RDF pipeline: build and export share names and bytes, every format is deterministic, datasets name
the debate's graph, the projection made from the model equals the one read from RDF."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF

from argmap.cli import main
from argmap.graph.build import build_graph
from argmap.graph.rdf import FORMATS, rdf_format, serialize
from argmap.graph.vocab import OA
from argmap.sources import load_corpus

ROOT = Path(__file__).parent.parent
NAMES = [f.name for f in FORMATS]


def run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("analysis", ["--analysis", "--no-analysis"])
@pytest.mark.parametrize("fmt", NAMES)
def test_build_and_export_write_the_same_bytes(mini_path, fmt, analysis):
    built = run("build", "--corpus", str(mini_path), "--format", fmt, analysis)
    exported = run("export", fmt, "--corpus", str(mini_path), analysis)
    assert built == exported
    assert ("groundedLabel" in built) == (analysis == "--analysis")


@pytest.mark.parametrize("fmt", NAMES)
def test_every_alias_names_the_same_format_in_build_and_export(mini_path, fmt):
    f = rdf_format(fmt)
    for alias in f.aliases:
        assert run("build", "--corpus", str(mini_path), "--format", alias, "--no-analysis") == run(
            "export", alias, "--corpus", str(mini_path), "--no-analysis"
        )


def test_analysis_is_on_by_default_in_build_and_export(mini_path):
    assert run("build", "--corpus", str(mini_path), "--format", "nt") == run(
        "build", "--corpus", str(mini_path), "--format", "nt", "--analysis"
    )
    assert run("export", "nt", "--corpus", str(mini_path)) == run("build", "--corpus", str(mini_path), "--format", "nt")


def _build_in_fresh_process(fmt: str, seed: str, corpus: str | None = None) -> bytes:
    args = [sys.executable, "-m", "argmap", "build", "--format", fmt]
    if corpus:
        args += ["--corpus", corpus]
    env = {**os.environ, "PYTHONHASHSEED": seed}
    return subprocess.run(args, check=True, capture_output=True, env=env, cwd=ROOT).stdout


@pytest.mark.parametrize("fmt", NAMES)
def test_every_format_is_byte_identical_across_runs_and_hash_seeds(fmt):
    # the OPC debate, analysis included: three processes with different hash seeds write the same bytes
    outs = {_build_in_fresh_process(fmt, seed) for seed in ("0", "1", "4242")}
    assert len(outs) == 1
    assert len(next(iter(outs))) > 100_000


def test_every_format_has_a_determinism_test():
    # meta-test: the parametrisations above run over the registry itself
    assert NAMES == ["turtle", "ntriples", "jsonld", "xml", "trig", "nquads"]


@pytest.mark.parametrize("fmt", ["trig", "nquads"])
def test_datasets_hold_the_debate_in_the_named_graph_of_its_base(mini_path, fmt):
    import pyoxigraph as ox

    corpus = load_corpus(mini_path)
    text = serialize(corpus, fmt)
    store = ox.Store()
    store.load(text.encode(), format=rdf_format(fmt).oxigraph())
    graph = ox.NamedNode(corpus.base)
    assert list(store.named_graphs()) == [graph]
    n = len(build_graph(corpus))
    assert len(list(store.quads_for_pattern(None, None, None, graph))) == n
    assert len(list(store.quads_for_pattern(None, None, None, ox.DefaultGraph()))) == 0
    assert len(store) == n
    assert "_:" not in text  # no blank node anywhere, graph names included


def test_rdfxml_reads_back_isomorphic_in_rdflib_and_pyoxigraph():
    import pyoxigraph as ox

    corpus = load_corpus()
    text = serialize(corpus, "xml")
    expected = build_graph(corpus)
    assert isomorphic(Graph().parse(data=text, format="xml"), expected)
    nt = "".join(f"{t.subject} {t.predicate} {t.object} .\n" for t in ox.parse(text.encode(), format=ox.RdfFormat.RDF_XML))
    assert isomorphic(Graph().parse(data=nt, format="nt"), expected)


def test_graph_imports_nothing_from_export():
    bad = []
    for path in sorted((ROOT / "argmap" / "graph").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, (ast.Import, ast.ImportFrom)):
                continue
            names = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            bad += [
                f"{path.relative_to(ROOT)}:{node.lineno}: {n}"
                for n in names
                if n == "argmap.export" or n.startswith("argmap.export.")
            ]
    assert bad == []


@pytest.mark.parametrize("which", ["mini", "opc", "school", "hostile"])
def test_projection_from_the_model_equals_the_projection_from_rdf(which, mini_path):
    from argmap.graph.projection import project, project_corpus

    path = {
        "mini": mini_path,
        "opc": None,
        "school": ROOT / "tests" / "data" / "schoolweek",
        "hostile": ROOT / "tests" / "data" / "hostile",
    }[which]
    corpus = load_corpus(path)
    a, b = project_corpus(corpus), project(build_graph(corpus))
    assert dict(a.claims.nodes(data=True)) == dict(b.claims.nodes(data=True))
    assert list(a.claims.edges(keys=True, data=True)) == list(b.claims.edges(keys=True, data=True))
    assert (a.relations, a.topics, a.source_info, a.speaker_info) == (b.relations, b.topics, b.source_info, b.speaker_info)
    assert a.claims.number_of_nodes() == len(corpus.claims)


def test_excerpt_quotes_have_only_a_quote_selector():
    # an excerpt source's offsets count characters in argmap's excerpt file, not in the document
    # oa:hasSource names: its quotes carry the quote selector alone; full texts carry both
    corpus = load_corpus()
    g = build_graph(corpus)
    excerpt = {s.id for s in corpus.sources if s.excerpt}
    assert 0 < len(excerpt) < len(corpus.sources)
    seen = {True: 0, False: 0}
    for c in corpus.claims:
        target = URIRef(f"{corpus.base}quote/{c.id}#target")
        kinds = {o for sel in g.objects(target, OA.hasSelector) for o in g.objects(sel, RDF.type)}
        is_excerpt = c.source in excerpt
        seen[is_excerpt] += 1
        assert g.value(target, OA.hasSource) == URIRef(f"{corpus.base}source/{c.source}")
        assert OA.TextQuoteSelector in kinds
        assert (OA.TextPositionSelector in kinds) == (not is_excerpt), c.id
    assert seen[True] == 60 and seen[False] == 77


def test_a_full_text_quote_without_its_position_selector_breaks_the_shapes(mini_path):
    from argmap.graph.validate import validate_graph

    g = build_graph(load_corpus(mini_path))
    target = URIRef("https://w3id.org/argmap/debate/mini/quote/save-lives#target")
    position = URIRef("https://w3id.org/argmap/debate/mini/quote/save-lives#position")
    g.remove((target, OA.hasSelector, position))
    report = validate_graph(g)
    assert not report.conforms
    assert any(v.focus == str(target) and "position selector" in v.message for v in report.violations)
