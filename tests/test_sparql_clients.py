"""`argmap serve` as SPARQL clients no one here wrote meet it: SPARQLWrapper 2.x and rdflib's SPARQLStore, on
their defaults and with each return format they offer, by GET and by POST, against a real `argmap serve`
subprocess on 127.0.0.1 (the mini corpus). Each case checks the content of the answer, not only its status."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
MINI = ROOT / "tests" / "data" / "mini"
CON_IDS = ["cost-2m", "hurt-sales"]
SELECT = "PREFIX arg: <https://w3id.org/argmap/ns#> PREFIX schema: <https://schema.org/>\nSELECT ?id WHERE { ?c arg:stance arg:Con ; schema:identifier ?id } ORDER BY ?id"
ASK = "PREFIX arg: <https://w3id.org/argmap/ns#>\nASK { ?c arg:stance arg:Con }"
CONSTRUCT = "PREFIX arg: <https://w3id.org/argmap/ns#>\nCONSTRUCT { ?c arg:stance arg:Con } WHERE { ?c arg:stance arg:Con }"
DEBATE = "https://w3id.org/argmap/debate/mini/"
DESCRIBE = f"DESCRIBE <{DEBATE}claim/cost-2m>"


@pytest.fixture(scope="module")
def endpoint():
    """The /sparql address of a running `argmap serve --corpus tests/data/mini` on a free loopback port."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "argmap", "serve", "--port", "0", "--corpus", str(MINI), "--workers", "1", "--no-analysis"],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    assert proc.stderr is not None  # stderr=PIPE
    try:
        line = proc.stderr.readline()
        m = re.search(r"serving (http://127\.0\.0\.1:\d+)/", line)
        assert m, line
        yield f"{m.group(1)}/sparql"
    finally:
        proc.terminate()
        proc.wait(20)


def graph_of(value, content_type: str):
    """An rdflib graph from what SPARQLWrapper's convert() gave: a graph already, or Turtle/N3 bytes."""
    from rdflib import Graph

    if isinstance(value, Graph):
        return value
    g = Graph()
    g.parse(data=value, format="turtle" if "turtle" in content_type or "n3" in content_type else "nt")
    return g


def stance_subjects(g) -> set[str]:
    from rdflib import URIRef

    con = URIRef("https://w3id.org/argmap/ns#Con")
    return {str(s) for s, _p, o in g if o == con}


# ---------------------------------------------------------------- SPARQLWrapper

WRAPPER_FORMATS = {
    "select": [None, "json", "xml", "csv", "tsv"],
    "ask": [None, "json", "xml", "csv", "tsv"],
    "construct": [None, "xml", "rdf+xml", "turtle", "n3", "json-ld"],
    "describe": [None, "xml", "rdf+xml", "turtle", "n3", "json-ld"],
}
WRAPPER_CASES = [
    (form, fmt, method) for form, formats in WRAPPER_FORMATS.items() for fmt in formats for method in ("GET", "POST")
] + [(form, None, "POSTDIRECTLY") for form in WRAPPER_FORMATS]


@pytest.mark.parametrize("form,fmt,method", WRAPPER_CASES, ids=lambda v: str(v))
def test_sparqlwrapper(endpoint, form, fmt, method):
    SPARQLWrapper = pytest.importorskip("SPARQLWrapper")

    client = SPARQLWrapper.SPARQLWrapper(endpoint)
    client.setQuery({"select": SELECT, "ask": ASK, "construct": CONSTRUCT, "describe": DESCRIBE}[form])
    if method == "POSTDIRECTLY":
        client.setMethod(SPARQLWrapper.POST)
        client.setRequestMethod(SPARQLWrapper.POSTDIRECTLY)
    else:
        client.setMethod(getattr(SPARQLWrapper, method))
    if fmt is not None:
        client.setReturnFormat(fmt)
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)  # SPARQLWrapper warns so when the answer is not in the format it asked for
        warnings.simplefilter("ignore", DeprecationWarning)  # its own use of rdflib's ConjunctiveGraph
        response = client.query()
        ctype = response.info()["content-type"]
        value = response.convert()
    if form == "select":
        if fmt in ("csv", "tsv"):
            lines = value.decode("utf-8").splitlines()
            assert lines[1:] == (CON_IDS if fmt == "csv" else [f'"{i}"' for i in CON_IDS])
        elif fmt == "json":
            assert [b["id"]["value"] for b in value["results"]["bindings"]] == CON_IDS
        else:  # XML: a DOM
            assert [n.firstChild.data for n in value.getElementsByTagName("literal")] == CON_IDS
    elif form == "ask":
        if fmt in ("csv", "tsv"):
            assert value.decode("utf-8").splitlines()[-1] == "true"
        elif fmt == "json":
            assert value["boolean"] is True
        else:
            assert value.getElementsByTagName("boolean")[0].firstChild.data == "true"
    elif form == "construct":
        assert stance_subjects(graph_of(value, ctype)) == {f"{DEBATE}claim/{i}" for i in CON_IDS}
    else:
        g = graph_of(value, ctype)
        assert len(g) > 3 and {str(s) for s in g.subjects()} >= {f"{DEBATE}claim/cost-2m"}


# ---------------------------------------------------------------- rdflib's SPARQLStore


@pytest.mark.parametrize("what", ["select", "ask", "construct", "describe", "triples"])
@pytest.mark.parametrize("method", ["GET", "POST", "POST_FORM"])
def test_rdflib_sparqlstore(endpoint, method, what):
    from rdflib import Graph, URIRef
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    g = Graph(store=SPARQLStore(endpoint, method=method))
    con = URIRef("https://w3id.org/argmap/ns#Con")
    if what == "select":
        # rdflib types the rows of every query form alike; a SELECT's are ResultRows
        assert [str(row.id) for row in g.query(SELECT)] == CON_IDS  # type: ignore[union-attr]
    elif what == "ask":
        assert g.query(ASK).askAnswer is True
    elif what == "construct":
        assert stance_subjects(g.query(CONSTRUCT).graph) == {f"{DEBATE}claim/{i}" for i in CON_IDS}
    elif what == "describe":
        described = g.query(DESCRIBE).graph
        assert described is not None
        assert len(described) > 3 and URIRef(f"{DEBATE}claim/cost-2m") in set(described.subjects())
    else:
        found = {str(s) for s, _p, _o in g.triples((None, URIRef("https://w3id.org/argmap/ns#stance"), con))}
        assert found == {f"{DEBATE}claim/{i}" for i in CON_IDS}
