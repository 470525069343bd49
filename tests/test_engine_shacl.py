"""SHACL in a Rust engine (shacl-rust), with pySHACL as the cross-check: the two agree on the OPC debate and
on every broken fixture; `argmap validate` names the corpus file:line of what a result is about."""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner
from rdflib import Graph
from shacl_fixtures import broken_copies

from argmap.cli import main
from argmap.graph.rdf import debate_lines
from argmap.graph.validate import validate_corpus, validate_graph, validate_ntriples
from argmap.sources import load_corpus

FAULTS = sorted(broken_copies(debate_lines(load_corpus("tests/data/mini"))))


@pytest.fixture(scope="module")
def opc_lines():
    return debate_lines(load_corpus())


def _key(report):
    return report.conforms, {(v.focus, v.path, v.component) for v in report.violations}


def test_the_opc_debate_conforms_in_both_engines(opc_lines):
    text = "".join(opc_lines)
    rust = validate_ntriples(text)
    py = validate_graph(Graph().parse(data=text, format="nt"), engine="pyshacl")
    assert rust.conforms and py.conforms
    assert rust.violations == py.violations == ()


@pytest.mark.parametrize("fault", FAULTS)
def test_both_engines_give_the_same_results_on_a_broken_copy(opc_lines, fault):
    text = broken_copies(opc_lines)[fault]
    rust = validate_ntriples(text)
    py = validate_graph(Graph().parse(data=text, format="nt"), engine="pyshacl")
    assert not rust.conforms
    assert _key(rust) == _key(py)
    # the shape's own message, where it has one, is what both report
    assert {v.message for v in rust.violations if "a claim" in v.message} == {
        v.message for v in py.violations if "a claim" in v.message
    }


def test_every_fault_is_caught(opc_lines):
    assert len(FAULTS) >= 10
    for fault, text in broken_copies(opc_lines).items():
        assert not validate_ntriples(text).conforms, fault


def test_a_result_names_the_corpus_file_and_line_of_its_claim():
    corpus = load_corpus("tests/data/mini")
    lines = debate_lines(corpus)
    broken = broken_copies(lines)["claim-without-stance"].splitlines(keepends=True)
    report = validate_corpus(corpus, lines=broken)
    (v,) = report.violations
    claim = next(c for c in corpus.claims if v.focus.endswith(f"/claim/{c.id}"))
    assert claim.loc is not None
    assert v.where == str(claim.loc) and v.where.endswith(".yaml:" + str(claim.loc.line))
    assert v.path.endswith("#stance") and v.component == "MinCountConstraintComponent"
    assert "pro, con or neutral" in v.message  # what is allowed


def test_validate_names_file_line_and_what_is_allowed(tmp_path, mini_path):
    # a statistic claim without its figure passes the corpus checks; the shapes catch it
    corpus = tmp_path / "m"
    shutil.copytree(mini_path, corpus)
    path = corpus / "claims" / "gazette.yaml"
    text = path.read_text(encoding="utf-8")
    cut = "  figures:\n    - value: 2000000\n      unit: US dollars\n      qualifier: about\n"
    assert cut in text
    path.write_text(text.replace(cut, ""), encoding="utf-8")
    line = text.splitlines().index("- id: cost-2m") + 1
    res = CliRunner().invoke(main, ["validate", "--corpus", str(corpus)])
    assert res.exit_code == 1
    assert f"claims/gazette.yaml:{line}: claim/cost-2m: a statistic claim carries at least one figure" in res.output
    assert "Traceback" not in res.output
    report = json.loads(CliRunner().invoke(main, ["validate", "--corpus", str(corpus), "--json"]).stdout)
    (v,) = report["shacl"]["violations"]
    assert v["where"].endswith(f"claims/gazette.yaml:{line}") and v["component"] == "OrConstraintComponent"


def test_an_unknown_engine_is_refused(mini_path):
    from argmap.errors import ArgmapError

    with pytest.raises(ArgmapError, match="expected one of: shacl-rust, pyshacl"):
        validate_graph(Graph(), engine="topbraid")


def _results(report: dict) -> tuple:
    # the shapes' blank nodes are named afresh on every run: everything else is compared
    def plain(x):
        if isinstance(x, dict):
            return tuple(sorted((k, plain(v)) for k, v in x.items() if k != "sourceShape"))
        if isinstance(x, list):
            return tuple(sorted(map(plain, x), key=repr))
        return x

    return report["conforms"], plain(report["results"])


def test_the_engines_index_gives_what_its_default_store_gives(opc_lines):
    # argmap runs shacl-rust on its interned index (3x faster, a third of the memory): the same results,
    # detail for detail, as the engine's default store on the OPC debate and on every broken copy
    import io

    import shacl_rust

    from argmap.graph.validate import shapes_text

    cases = {**broken_copies(opc_lines), "opc": "".join(opc_lines)}
    for name, text in sorted(cases.items()):
        default = shacl_rust.validate(text, shapes_text(), data_format="nt", shapes_format="turtle")
        indexed = shacl_rust.validate_file(
            io.BytesIO(text.encode()),
            io.BytesIO(shapes_text().encode()),
            data_format="nt",
            shapes_format="turtle",
            experimental_index=True,
        )
        assert _results(indexed) == _results(default), name


def test_the_graph_streamed_to_the_engine_gives_the_report_of_its_text():
    # validate_corpus hands the engine the triples a chunk at a time (never the whole text): the same
    # report as the text in one piece, with the number of triples checked
    corpus = load_corpus()
    lines = debate_lines(corpus)
    streamed = validate_corpus(corpus)
    assert streamed.conforms and streamed.violations == ()
    assert streamed.triples == len(lines) == len(set(lines))
    broken = broken_copies(lines)["claim-without-stance"]
    assert validate_ntriples(iter([broken[:1000].encode(), broken[1000:].encode()])) == validate_ntriples(broken)
