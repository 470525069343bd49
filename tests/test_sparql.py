"""SPARQL core: the read-only guard, errors with line and column, results and their formats, parameters,
and the Oxigraph store (in memory and persistent)."""

from __future__ import annotations

import json
import shutil

import pyoxigraph as ox
import pytest

from argmap.errors import QueryError
from argmap.graph.sparql import (
    RESULTS_FORMATS,
    Param,
    bind_params,
    check_read_only,
    named_query,
    param_term,
    run_query,
    serialize_result,
    with_prefixes,
)
from argmap.graph.store import (
    debate_graph,
    load_ntriples,
    memory_store,
    ntriples,
    persistent_store,
    store_info,
)


@pytest.fixture(scope="module")
def mini_corpus(mini_path):
    from argmap.sources import load_corpus

    return load_corpus(mini_path)


@pytest.fixture(scope="module")
def store(mini_corpus):
    return memory_store(mini_corpus)


# ---------------------------------------------------------------- the guard


@pytest.mark.parametrize(
    "text,where",
    [
        ("INSERT DATA { <http://e/a> <http://e/b> <http://e/c> }", "1:1"),
        ("DELETE WHERE { ?s ?p ?o }", "1:1"),
        ("LOAD <http://127.0.0.1:9/x>", "1:1"),
        ("PREFIX ex: <http://e/>\n  insert data { ex:a ex:b ex:c }", "2:3"),
        ("CLEAR ALL", "1:1"),
        ("SELECT * WHERE { ?s ?p ?o } ; DROP ALL", "1:31"),
        ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", "1:18"),
        ("SELECT * WHERE {\n  service silent <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", "2:3"),
        ("WITH <http://e/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "1:1"),
    ],
)
def test_updates_load_and_service_are_refused(text, where):
    with pytest.raises(QueryError) as err:
        check_read_only(text)
    assert err.value.kind == "refused"
    assert f"{err.value.line}:{err.value.column}" == where
    assert "refused" in str(err.value)


def test_a_refused_query_never_reaches_the_store(store):
    with pytest.raises(QueryError, match="never calls out"):
        run_query(store, "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")
    before = len(store)
    with pytest.raises(QueryError, match="INSERT is an update"):
        run_query(store, "INSERT DATA { <http://e/a> <http://e/b> <http://e/c> }")
    assert len(store) == before


@pytest.mark.parametrize(
    "text",
    [
        'SELECT ?insert WHERE { ?insert <http://e/SERVICE> "DELETE DATA LOAD" }',
        "PREFIX load: <http://e/> ASK { ?s load:service ?o }  # INSERT DATA, SERVICE",
        "SELECT * WHERE { ?s ?p '''a\nLOAD <x>''' }",
        "DESCRIBE <http://e/delete>",
    ],
)
def test_keywords_in_strings_iris_names_and_comments_are_no_keywords(text):
    assert check_read_only(text) in ("select", "ask", "describe")


def test_not_a_query():
    with pytest.raises(QueryError, match="not a query"):
        check_read_only("hello")


# ---------------------------------------------------------------- syntax errors


def test_a_malformed_query_says_where(store):
    text = "SELECT ?x WHERE {\n  ?x ?y ?z .\n  FILTER(?x = }"
    with pytest.raises(QueryError) as err:
        run_query(store, text)
    e = err.value
    assert (e.kind, e.line, e.column) == ("syntax", 3, 16)
    assert str(e).startswith("malformed query at 3:16: ")
    assert "  FILTER(?x = }\n" + " " * 17 + "^" in str(e)


def test_a_syntax_error_lists_few_expected_tokens(store):
    with pytest.raises(QueryError) as err:
        run_query(store, "SELECT ?c WHERE { ?c arg:stance arg:Con ")
    first = str(err.value).splitlines()[0]
    assert first == 'malformed query at 1:41: expected one of ",", ".", ";", "{", "{|", "}", "~"'


def test_an_unknown_prefix_is_a_syntax_error(store):
    with pytest.raises(QueryError, match="malformed query at 1:"):
        run_query(store, "SELECT * WHERE { ?s nope:p ?o }")


# ---------------------------------------------------------------- prefixes


def test_known_prefixes_need_no_declaration(store, mini_corpus):
    result = run_query(store, "SELECT ?id WHERE { ?c arg:stance arg:Con ; schema:identifier ?id } ORDER BY ?id")
    assert [r["id"] for r in result.records()] == sorted(c.id for c in mini_corpus.claims if c.stance == "con")


def test_a_declared_prefix_wins(store):
    result = run_query(store, "PREFIX arg: <http://other.example/> SELECT ?c WHERE { ?c arg:stance ?s }")
    assert result.rows == ()


def test_with_prefixes_adds_only_what_is_used_and_missing():
    text, added = with_prefixes("PREFIX schema: <https://schema.org/>\nSELECT * { ?c arg:stance ?s ; schema:text ?t . }")
    assert added == 1
    assert text.splitlines()[0] == "PREFIX arg: <https://w3id.org/argmap/ns#>"
    assert with_prefixes("SELECT * { ?s <http://e/p> 'arg:x' }") == ("SELECT * { ?s <http://e/p> 'arg:x' }", 0)


# ---------------------------------------------------------------- results and formats


def test_select_ask_construct(store, mini_corpus):
    sel = run_query(store, "SELECT ?c ?t WHERE { ?c schema:text ?t }")
    assert sel.kind == "select" and sel.variables == ("c", "t")
    assert len(sel.rows) == len(mini_corpus.claims)
    ask = run_query(store, "ASK { ?c arg:stance arg:Pro }")
    assert (ask.kind, ask.boolean) == ("ask", True)
    graph = run_query(store, "CONSTRUCT { ?c arg:stance ?s } WHERE { ?c arg:stance ?s }")
    assert graph.kind == "graph" and len(graph.triples) == len(mini_corpus.claims)


def test_max_rows_cuts_and_says_so(store):
    result = run_query(store, "SELECT ?c WHERE { ?c a schema:Claim }", max_rows=2)
    assert len(result.rows) == 2 and result.truncated
    assert not run_query(store, "SELECT ?c WHERE { ?c a schema:Claim }", max_rows=100).truncated


MIXED = """SELECT ?iri ?plain ?lang ?num ?date ?none WHERE {
  VALUES (?iri ?plain ?lang ?num ?date ?none) {
    (<http://e/a> "tab\\tquote\\"comma,new\\nline" "Hallo"@de 42 "2021-11-30"^^xsd:date UNDEF)
    (<http://e/b> "é ünïcode" "x"@en-GB 1.50 "2021"^^xsd:gYear UNDEF)
  }
}"""


@pytest.mark.parametrize("fmt", ["json", "xml", "tsv"])
def test_results_read_back_identically_by_a_second_reader(store, fmt):
    """What we write, pyoxigraph's own results parser reads back to the same terms."""
    result = run_query(store, MIXED)
    text = serialize_result(result, fmt)
    parsed = ox.parse_query_results(text.encode("utf-8"), format=getattr(ox.QueryResultsFormat, fmt.upper()))
    assert isinstance(parsed, ox.QuerySolutions)
    assert [v.value for v in parsed.variables] == list(result.variables)
    back = [tuple(sol[v] for v in result.variables) for sol in parsed]
    assert back == list(result.rows)


def test_csv_holds_plain_values_quoted_as_rfc4180(store):
    text = serialize_result(run_query(store, MIXED), "csv")
    lines = text.split("\r\n")
    assert lines[0] == "iri,plain,lang,num,date,none"
    assert lines[1] == 'http://e/a,"tab\tquote""comma,new\nline",Hallo,42,2021-11-30,'
    assert lines[2] == "http://e/b,é ünïcode,x,1.5,2021,"  # Oxigraph writes a decimal canonically
    assert lines[3] == ""


def test_json_is_the_w3c_shape(store):
    data = json.loads(serialize_result(run_query(store, MIXED), "json"))
    first = data["results"]["bindings"][0]
    assert data["head"]["vars"] == ["iri", "plain", "lang", "num", "date", "none"]
    assert first["iri"] == {"type": "uri", "value": "http://e/a"}
    assert first["lang"] == {"type": "literal", "value": "Hallo", "xml:lang": "de"}
    assert first["num"] == {"type": "literal", "value": "42", "datatype": "http://www.w3.org/2001/XMLSchema#integer"}
    assert "datatype" not in first["plain"] and "none" not in first
    ask = json.loads(serialize_result(run_query(store, "ASK { ?s ?p ?o }"), "json"))
    assert ask == {"head": {}, "boolean": True}


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_ask_in_every_table_format(store, fmt):
    text = serialize_result(run_query(store, "ASK { ?c arg:stance arg:Neutral }"), fmt)
    assert ("false" in text) and ("true" not in text)


GRAPH_FORMATS = sorted(n for n, f in RESULTS_FORMATS.items() if "graph" in f.kinds)


@pytest.mark.parametrize("fmt", GRAPH_FORMATS)
def test_a_graph_result_reads_back_as_the_same_triples(store, fmt):
    """Every graph format, read back by a second engine (pyoxigraph's parsers) by its media type."""
    result = run_query(
        store,
        'CONSTRUCT { ?c arg:stance ?s ; schema:text ?t ; schema:inLanguage "de"@de } WHERE { ?c arg:stance ?s ; schema:text ?t }',
    )
    text = serialize_result(result, fmt)
    media = RESULTS_FORMATS[fmt].media_type
    back = {
        q.triple if isinstance(q, ox.Quad) else q
        for q in ox.parse(text.encode("utf-8"), format=ox.RdfFormat.from_media_type(media))
    }
    assert back == set(result.triples) and len(back) > 10
    assert text == serialize_result(result, fmt)  # deterministic


def test_every_graph_format_is_tested():
    assert GRAPH_FORMATS == ["jsonld", "nquads", "nt", "rdfxml", "trig", "turtle"]


def test_formats_match_result_kinds(store):
    graph = run_query(store, "DESCRIBE <https://w3id.org/argmap/debate/mini/claim/hurt-sales>")
    assert graph.kind == "graph" and graph.triples
    with pytest.raises(QueryError, match="is a graph; it cannot be written as csv"):
        serialize_result(graph, "csv")
    with pytest.raises(QueryError, match="unknown results format 'yaml'"):
        serialize_result(graph, "yaml")
    assert set(RESULTS_FORMATS) == {"json", "xml", "csv", "tsv", "turtle", "nt", "rdfxml", "jsonld", "nquads", "trig"}
    assert serialize_result(graph, "xml").startswith("<?xml")  # xml for a graph is RDF/XML
    assert "rdf:Description" in serialize_result(graph, "xml")


# ---------------------------------------------------------------- parameters


def test_a_literal_parameter_cannot_break_out_of_its_string(store):
    q = named_query("claims-by-topic")
    text = bind_params(q, {"topic": 'crime" } ?x ?y ?z . FILTER(true) VALUES ?zz { "'})
    result = run_query(store, text)  # parses, and matches no topic of that name
    assert result.rows == ()


def test_parameters_are_checked():
    q = named_query("claims-by-topic")
    with pytest.raises(QueryError, match="has no parameter 'colour' \\(expected one of: topic, stance\\)"):
        bind_params(q, {"colour": "red"})
    with pytest.raises(QueryError, match="expected one of: pro, con, neutral"):
        bind_params(q, {"stance": "against"})
    with pytest.raises(QueryError, match="not an IRI"):
        param_term(Param("x", "iri", ""), "http://e/a> } ?s ?p ?o {")
    assert param_term(Param("x", "iri", ""), "<http://e/a>") == "<http://e/a>"


# ---------------------------------------------------------------- the store


def test_the_store_holds_the_graph_with_the_analysis(mini_corpus):
    from argmap.graph.build import build_graph
    from argmap.graph.vocab import ARG

    plain = memory_store(mini_corpus, with_analysis=False)
    full = debate_graph(mini_corpus)
    assert len(plain) == len(build_graph(mini_corpus))
    assert len(load_ntriples(ntriples(full))) == len(full)
    assert len(set(full.subjects(ARG.groundedLabel, None))) == len(mini_corpus.claims)
    assert ntriples(full) == ntriples(debate_graph(mini_corpus))  # deterministic bytes


@pytest.mark.parametrize("with_analysis", [False, True])
def test_a_store_streamed_in_pieces_holds_exactly_the_sorted_ntriples(mini_corpus, tmp_path, with_analysis):
    # memory_store and a persistent store's rebuild bulk-load unsorted pieces one after another; the triples
    # must be those of the one sorted text `argmap build --format nt` writes, small pieces or one
    from argmap.graph.store import debate_ntriples, debate_pieces

    text = debate_ntriples(mini_corpus, with_analysis=with_analysis)
    reference = load_ntriples(text, graph=mini_corpus.base)
    expected = sorted(str(q) for q in reference)
    streamed = load_ntriples(debate_pieces(mini_corpus, with_analysis=with_analysis, lines=7), graph=mini_corpus.base)
    assert sorted(str(q) for q in streamed) == expected
    on_disk = load_ntriples(debate_pieces(mini_corpus, with_analysis=with_analysis), path=tmp_path / "s", graph=mini_corpus.base)
    assert sorted(str(q) for q in on_disk) == expected
    assert sorted(str(q) for q in memory_store(mini_corpus, with_analysis=with_analysis)) == expected
    assert len(expected) == text.count(b"\n")


def test_a_persistent_store_is_built_once_and_rebuilt_when_the_corpus_changes(tmp_path, mini):
    folder = tmp_path / "store"
    store, info, built = persistent_store(folder, mini)
    assert built and info.triples == len(store) and store_info(folder) == info
    n = len(store)
    del store
    store, info2, built = persistent_store(folder, mini)
    assert not built and info2 == info and len(store) == n
    del store
    store, _info, built = persistent_store(folder)  # no corpus given: opened as it is
    assert not built and len(store) == n
    del store
    claims = mini / "claims" / "gazette.yaml"
    text = claims.read_text(encoding="utf-8")
    assert "prevent deaths on Main Street" in text
    claims.write_text(text.replace("prevent deaths on Main Street", "prevent deaths on Main Street and Elm", 1), encoding="utf-8")
    store, info3, built = persistent_store(folder, mini)
    assert built and info3.fingerprint != info.fingerprint


def test_a_persistent_store_refuses_a_foreign_folder(tmp_path, mini):
    (tmp_path / "photos").mkdir()
    (tmp_path / "photos" / "cat.jpg").write_bytes(b"\xff\xd8")
    with pytest.raises(QueryError, match="holds something other than an argmap store"):
        persistent_store(tmp_path / "photos", mini)
    assert (tmp_path / "photos" / "cat.jpg").exists()
    shutil.rmtree(tmp_path / "photos")
