"""The RDF graph: vocabulary, determinism, round-trips through a second engine, SHACL."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.compare import isomorphic
from rdflib.namespace import PROV, RDF, RDFS

from argmap.graph.build import build_graph
from argmap.graph.rdf import FORMATS, serialize
from argmap.graph.validate import validate_graph
from argmap.graph.vocab import ARG, ARG_IRI, OA, SCHEMA, ontology_path
from argmap.sources import load_corpus

ROOT = Path(__file__).parent.parent


@pytest.fixture(scope="module")
def mini_graph(mini_path):
    return build_graph(load_corpus(mini_path))


def test_every_arg_term_is_described_in_the_ontology():
    onto = Graph().parse(ontology_path(), format="turtle")
    described = {str(s) for s in onto.subjects(RDFS.label, None) if str(s).startswith(ARG_IRI)}
    declared = {str(ARG[name]) for name in ARG.__annotations__}
    assert declared == described
    for term in declared:
        from rdflib import URIRef

        assert onto.value(URIRef(term), RDFS.comment) is not None, term


def test_closed_namespace_rejects_typos():
    with pytest.raises(AttributeError):
        ARG.stanse  # noqa: B018


def test_claim_is_linked_to_quote_speaker_and_source(mini_graph):
    from rdflib import URIRef

    base = "https://w3id.org/argmap/debate/mini/"
    claim = URIRef(base + "claim/save-lives")
    assert (claim, RDF.type, SCHEMA.Claim) in mini_graph
    assert mini_graph.value(claim, ARG.stance) == ARG.Pro
    assert mini_graph.value(claim, PROV.wasAttributedTo) == URIRef(base + "speaker/ann-lee")
    assert mini_graph.value(claim, PROV.wasQuotedFrom) == URIRef(base + "source/gazette-2024")
    ann = mini_graph.value(None, OA.hasBody, claim)
    target = mini_graph.value(ann, OA.hasTarget)
    selectors = set(mini_graph.objects(target, OA.hasSelector))
    exact = [mini_graph.value(s, OA.exact) for s in selectors if (s, RDF.type, OA.TextQuoteSelector) in mini_graph]
    assert exact == [Literal("protected lanes “will save lives on Main Street.”")]
    pos = [s for s in selectors if (s, RDF.type, OA.TextPositionSelector) in mini_graph][0]
    text = (ROOT / "tests/data/mini/texts/gazette-2024.txt").read_text(encoding="utf-8")
    start, end = int(mini_graph.value(pos, OA.start)), int(mini_graph.value(pos, OA.end))
    assert text[start:end] == "protected lanes “will save lives on Main Street.”"


def test_whitespace_tolerant_quote_keeps_source_text(mini_path):
    corpus = load_corpus(mini_path)
    q = corpus.claims_by_id["cost-small"].located
    assert q is not None and q.exact == "the  cost is small next to the savings from fewer crashes"


def test_relations_are_edges_and_aif_nodes(mini_graph):
    from rdflib import URIRef

    base = "https://w3id.org/argmap/debate/mini/"
    a, b = URIRef(base + "claim/sales-held"), URIRef(base + "claim/hurt-sales")
    assert (a, ARG.attacks, b) in mini_graph
    node = URIRef(base + "relation/sales-held--attacks--hurt-sales")
    assert (node, RDF.type, ARG.Attack) in mini_graph
    from argmap.graph.vocab import AIF

    assert mini_graph.value(node, AIF.Conflicting) == a
    assert mini_graph.value(node, AIF.Conflicted) == b
    assert str(mini_graph.value(node, ARG.rationale)) == "Sales held up where lanes were built."


def test_no_blank_nodes(mini_graph):
    from rdflib import BNode

    assert not any(isinstance(t, BNode) for triple in mini_graph for t in triple)


def test_authors_and_publisher_match_speakers_by_name(mini_graph):
    from rdflib import URIRef

    base = "https://w3id.org/argmap/debate/mini/"
    src = URIRef(base + "source/gazette-2024")
    assert mini_graph.value(src, SCHEMA.publisher) == URIRef(base + "speaker/gazette")
    author = mini_graph.value(src, SCHEMA.author)
    assert author == URIRef(base + "person/sam-ortiz")
    assert str(mini_graph.value(author, SCHEMA.name)) == "Sam Ortiz"


def test_excerpt_source_says_so(mini_graph):
    from rdflib import URIRef

    src = URIRef("https://w3id.org/argmap/debate/mini/source/study-2023")
    assert mini_graph.value(src, ARG.excerptOnly).toPython() is True
    assert mini_graph.value(src, ARG.studyDesign) == ARG.BeforeAfter


def _turtle_in_fresh_process(corpus: Path, seed: str) -> bytes:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    return subprocess.run(
        [sys.executable, "-m", "argmap", "build", "--corpus", str(corpus), "--format", "turtle"],
        check=True,
        capture_output=True,
        env=env,
        cwd=ROOT,
    ).stdout


def test_byte_identical_turtle_across_processes(mini_path):
    a = _turtle_in_fresh_process(mini_path, "1")
    b = _turtle_in_fresh_process(mini_path, "2")
    assert a == b
    assert b"schema:Claim" in a


@pytest.mark.parametrize("fmt", [f.name for f in FORMATS])
def test_round_trip_through_pyoxigraph_is_isomorphic(mini_path, mini_graph, fmt):
    import pyoxigraph

    f = next(f for f in FORMATS if f.name == fmt)
    text = serialize(load_corpus(mini_path), fmt)
    store = pyoxigraph.Store()
    store.load(text.encode("utf-8"), format=pyoxigraph.RdfFormat.from_media_type(f.media_type))
    nt = "".join(f"{q.subject} {q.predicate} {q.object} .\n" for q in store)
    back = Graph().parse(data=nt, format="nt")
    assert len(back) == len(mini_graph)
    assert isomorphic(back, mini_graph)


def test_shacl_conforms(mini_graph):
    report = validate_graph(mini_graph)
    assert report.conforms, report.violations


def test_shacl_catches_a_claim_without_stance(mini_path):
    g = build_graph(load_corpus(mini_path))
    from rdflib import URIRef

    claim = URIRef("https://w3id.org/argmap/debate/mini/claim/save-lives")
    g.remove((claim, ARG.stance, None))
    report = validate_graph(g)
    assert not report.conforms
    assert any(v.focus == str(claim) and v.path.endswith("#stance") for v in report.violations)


def test_shacl_catches_statistic_without_figure(mini_path):
    g = build_graph(load_corpus(mini_path))
    from rdflib import URIRef

    claim = URIRef("https://w3id.org/argmap/debate/mini/claim/cost-2m")
    g.remove((claim, ARG.figure, None))
    report = validate_graph(g)
    assert not report.conforms
    assert any(v.focus == str(claim) for v in report.violations)


@pytest.mark.parametrize("fmt", [f.name for f in FORMATS])
def test_every_writer_keeps_every_triple_of_awkward_terms(fmt):
    # literals with quotes, newlines, backslashes, tabs, language tags and datatypes, IRIs whose local part
    # cannot follow a prefix: read back the same by rdflib and by pyoxigraph in every format.
    import pyoxigraph

    from argmap.graph.build import nt_iri, nt_lang, nt_string, nt_typed
    from argmap.graph.rdf import rdf_format, serialize_lines

    base = "http://example.org/c/"
    s, p = nt_iri(base + "claim/x"), nt_iri(ARG_IRI + "attacks")
    # (no IRI ending in "."; argmap's ids never do, and rdflib's Turtle parser rejects the "\\." pyoxigraph
    # writes for one)
    objects = [nt_iri(base + o) for o in ("claim/50%25", "claim/a:b", "quote/q#target", "claim/x/figure/1")]
    objects += [
        nt_iri("http://other.org/x"),
        nt_string('He said "no"\nand left \\ twice\r\tthen'),
        nt_lang("sans", "fr"),
        nt_typed("0.250000", "<http://www.w3.org/2001/XMLSchema#decimal>"),
        nt_typed("x", nt_iri(base + "dt")),
        nt_string("'''"),
    ]
    lines = sorted(f"{s} {p} {o} .\n" for o in objects)
    expected = Graph().parse(data="".join(lines), format="nt")
    f = rdf_format(fmt)
    text = serialize_lines(lines, f, base=base)
    assert text == serialize_lines(lines, f, base=base)  # deterministic
    # pyoxigraph's parser, not its store: the store keeps a decimal's value, not its text ("0.25")
    read = list(pyoxigraph.parse(text.encode(), format=pyoxigraph.RdfFormat.from_media_type(f.media_type)))
    assert len(read) == len(lines)
    nt = "".join(f"{q.subject} {q.predicate} {q.object} .\n" for q in read)
    assert isomorphic(Graph().parse(data=nt, format="nt"), expected)
    if not f.dataset:
        rdflib_name = {"turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld", "xml": "xml"}[fmt]
        assert isomorphic(Graph().parse(data=text, format=rdflib_name), expected)


def test_turtle_of_the_opc_graph_is_the_same_graph():
    g = build_graph(load_corpus())
    assert isomorphic(Graph().parse(data=serialize(load_corpus(), "turtle"), format="turtle"), g)
