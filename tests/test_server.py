"""`argmap serve` over real HTTP: the SPARQL 1.1 Protocol (GET, both POSTs), content negotiation, refusals,
errors, the time limit, the row cap, concurrency, the pages; and the command itself as a subprocess."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyoxigraph as ox
import pytest

from argmap.server import make_server

ROOT = Path(__file__).parent.parent
CON_CLAIMS = "SELECT ?id WHERE { ?c arg:stance arg:Con ; schema:identifier ?id } ORDER BY ?id"
# a cross product of the whole graph with itself, twice: far past any time limit
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def start(source, **options):
    server = make_server(source, port=0, **options)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    return server, thread, f"http://{host}:{port}"


def stop(server, thread):
    server.shutdown()
    server.server_close()
    server.pool.close()
    thread.join(10)


@pytest.fixture(scope="module")
def opc():
    from argmap.sources import load_corpus

    return load_corpus()


@pytest.fixture(scope="module")
def nt(opc):
    """The in-memory source of a server: the debate's N-Triples and its named graph."""
    from argmap.graph.store import debate_graph, ntriples

    return ntriples(debate_graph(opc)), opc.base


@pytest.fixture(scope="module")
def base(nt):
    server, thread, url = start(("nt", nt), timeout=20, max_rows=500, workers=2)
    yield url
    stop(server, thread)


def request(url, *, data=None, headers=None, method=None):
    """(status, headers, body) of one request; HTTP errors are answers too."""
    req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            return resp.status, resp.headers, resp.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read()


def get(base, query, accept=None, **extra):
    params = urllib.parse.urlencode({"query": query, **extra})
    return request(f"{base}/sparql?{params}", headers={"Accept": accept} if accept else {})


def post_form(base, fields, accept=None):
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if accept:
        headers["Accept"] = accept
    return request(f"{base}/sparql", data=urllib.parse.urlencode(fields).encode(), headers=headers)


def post_direct(base, query, accept=None, ctype="application/sparql-query"):
    headers = {"Content-Type": ctype}
    if accept:
        headers["Accept"] = accept
    return request(f"{base}/sparql", data=query.encode("utf-8"), headers=headers)


def ids_from_json(body: bytes) -> list[str]:
    data = json.loads(body)
    return [b["id"]["value"] for b in data["results"]["bindings"]]


def test_get_post_form_and_post_direct_agree(base, opc):
    expected = sorted(c.id for c in opc.claims if c.stance == "con")
    for status, headers, body in (get(base, CON_CLAIMS), post_form(base, {"query": CON_CLAIMS}), post_direct(base, CON_CLAIMS)):
        assert status == 200
        assert headers["Content-Type"] == "application/sparql-results+json; charset=utf-8"
        assert ids_from_json(body) == expected


@pytest.mark.parametrize(
    "accept,media,fmt",
    [
        ("application/sparql-results+json", "application/sparql-results+json", "JSON"),
        ("application/sparql-results+xml", "application/sparql-results+xml", "XML"),
        ("text/csv", "text/csv", "CSV"),
        ("text/tab-separated-values", "text/tab-separated-values", "TSV"),
        ("text/html;q=0.9, text/csv;q=0.5, application/sparql-results+xml;q=0.8", "application/sparql-results+xml", "XML"),
        ("*/*", "application/sparql-results+json", "JSON"),
    ],
)
def test_content_negotiation_for_select(base, opc, accept, media, fmt):
    status, headers, body = get(base, CON_CLAIMS, accept)
    assert status == 200 and headers["Content-Type"].split(";")[0] == media
    expected = sorted(c.id for c in opc.claims if c.stance == "con")
    if fmt == "CSV":  # lossy, so no parser reads it back to terms: plain values, one a line
        assert body.decode("utf-8").split("\r\n") == ["id", *expected, ""]
        return
    parsed = ox.parse_query_results(body, format=getattr(ox.QueryResultsFormat, fmt))
    assert isinstance(parsed, ox.QuerySolutions)
    assert [s["id"].value for s in parsed] == expected


def test_ask_and_construct(base, opc):
    status, headers, body = post_direct(base, "ASK { ?c arg:stance arg:Con }", "application/sparql-results+xml")
    assert status == 200 and b"<boolean>true</boolean>" in body
    construct = "CONSTRUCT { ?c arg:stance arg:Con } WHERE { ?c arg:stance arg:Con }"
    n = sum(c.stance == "con" for c in opc.claims)
    for accept, media, fmt in (
        ("text/turtle", "text/turtle", ox.RdfFormat.TURTLE),
        ("application/n-triples", "application/n-triples", ox.RdfFormat.N_TRIPLES),
        (None, "text/turtle", ox.RdfFormat.TURTLE),
    ):
        status, headers, body = post_form(base, {"query": construct}, accept)
        assert status == 200 and headers["Content-Type"].split(";")[0] == media
        assert len(list(ox.parse(body, format=fmt))) == n


def test_format_parameter_overrides_accept(base):
    status, headers, body = get(base, CON_CLAIMS, "application/sparql-results+json", format="csv")
    assert status == 200 and headers["Content-Type"].startswith("text/csv") and body.startswith(b"id\r\n")


def test_not_acceptable(base):
    status, headers, body = get(base, CON_CLAIMS, "image/png")
    assert status == 406 and json.loads(body)["error"] == "not-acceptable"
    status, _h, body = post_form(base, {"query": "CONSTRUCT WHERE { ?s arg:stance ?o }"}, "text/csv")
    assert status == 406 and "text/turtle" in json.loads(body)["message"]


@pytest.mark.parametrize(
    "how,query,what",
    [
        ("get", "INSERT DATA { <http://e/a> <http://e/b> <http://e/c> }", "INSERT is an update"),
        ("form", "DELETE WHERE { ?s ?p ?o }", "DELETE is an update"),
        ("direct", "LOAD <http://127.0.0.1:9/x>", "LOAD reads a document from elsewhere"),
        ("get", "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", "SERVICE calls another server"),
    ],
)
def test_updates_load_and_service_are_refused(base, how, query, what):
    if how == "get":
        status, headers, body = get(base, query)
    elif how == "form":
        status, headers, body = post_form(base, {"query": query})
    else:
        status, headers, body = post_direct(base, query)
    assert status == 403 and headers["Content-Type"].startswith("application/json")
    error = json.loads(body)
    assert error["error"] == "refused" and what in error["message"]


def test_update_parameter_and_update_media_type_are_refused(base):
    status, _h, body = post_form(base, {"update": "INSERT DATA { <http://e/a> <http://e/b> <http://e/c> }"})
    assert status == 403 and json.loads(body)["error"] == "refused"
    status, _h, body = post_direct(base, "DELETE WHERE { ?s ?p ?o }", ctype="application/sparql-update")
    assert status == 403 and json.loads(body)["error"] == "refused"
    # and nothing was deleted
    status, _h, body = get(base, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert int(json.loads(body)["results"]["bindings"][0]["n"]["value"]) > 1000


def test_a_malformed_query_gets_400_and_the_server_keeps_serving(base, opc):
    status, headers, body = get(base, "SELECT ?x WHERE {\n  ?x ?y ?z .\n  FILTER(?x = }")
    assert status == 400 and headers["Content-Type"].startswith("application/json")
    error = json.loads(body)
    assert (error["error"], error["line"], error["column"]) == ("syntax", 3, 16)
    assert error["message"].startswith("malformed query at 3:16")
    status, _h, body = get(base, CON_CLAIMS)
    assert status == 200 and len(ids_from_json(body)) == sum(c.stance == "con" for c in opc.claims)


def test_bad_requests(base):
    assert request(f"{base}/sparql?query=")[0] == 400  # (no query parameter at all: the service description)
    status, _h, body = request(f"{base}/sparql", data=b"x", headers={"Content-Type": "text/plain"})
    assert status == 415 and "application/sparql-query" in json.loads(body)["message"]
    status, _h, body = request(f"{base}/nowhere")
    assert status == 404 and json.loads(body)["error"] == "not-found"


def test_row_cap(base):
    status, headers, body = get(base, "SELECT ?s ?p ?o WHERE { ?s ?p ?o }")
    assert status == 200 and headers["X-Argmap-Truncated"] == "true"
    assert len(json.loads(body)["results"]["bindings"]) == 500
    status, headers, _body = get(base, CON_CLAIMS)
    assert headers.get("X-Argmap-Truncated") is None


def test_concurrent_clients(base, opc):
    """8 clients x 100 queries: no errors, and the server still answers after."""
    expected = sorted(c.id for c in opc.claims if c.stance == "con")

    def client(n: int) -> int:
        errors = 0
        for i in range(100):
            status, _h, body = get(base, CON_CLAIMS) if (i + n) % 2 else post_direct(base, CON_CLAIMS)
            if status != 200 or ids_from_json(body) != expected:
                errors += 1
        return errors

    with ThreadPoolExecutor(8) as pool:
        assert sum(pool.map(client, range(8))) == 0
    assert get(base, "ASK { ?s ?p ?o }")[0] == 200


def test_a_runaway_query_is_stopped_and_the_server_recovers(nt):
    server, thread, url = start(("nt", nt), timeout=1.5, workers=1)
    try:
        status, _h, body = get(url, RUNAWAY)
        error = json.loads(body)
        assert status == 503 and error["error"] == "timeout" and "1.5 s" in error["message"]
        # the killed worker is replaced; the next query is answered
        status, _h, body = get(url, "ASK { ?s ?p ?o }")
        assert status == 200 and json.loads(body)["boolean"] is True
    finally:
        stop(server, thread)


def test_pages(base):
    status, headers, body = request(f"{base}/query")
    page = body.decode("utf-8")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert "fetch('sparql'" in page and "evidence-per-side" in page
    assert not re.search(r"""(src|href)=["']?https?://""", page)  # works offline: nothing from elsewhere
    status, headers, body = request(f"{base}/")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert b"Overdose prevention centers" in body


def test_the_home_page_is_the_argument_map(base, opc):
    from argmap.export.htmlmap import render_map
    from argmap.graph.analysis import metrics_for_corpus

    status, _h, body = request(f"{base}/")
    assert status == 200
    assert body.decode("utf-8") == render_map(opc, metrics=metrics_for_corpus(opc))


def test_the_query_page_runs_a_query_in_a_real_browser(base):
    from conftest import need

    need(os.path.exists("/usr/bin/chromium"), "Chromium at /usr/bin/chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium")
        try:
            page = browser.new_page()
            page.goto(f"{base}/query")
            page.select_option("#named", "unanswered-objections")
            page.click("button[type=submit]")
            page.wait_for_selector("#out table")
            headers = page.eval_on_selector_all("#out th", "els => els.map(e => e.textContent)")
            cells = page.eval_on_selector_all("#out td:first-child", "els => els.map(e => e.textContent)")
        finally:
            browser.close()
    assert headers == ["claim", "text", "speaker", "source"]
    assert "muse-critics-wrong-message" in cells and "muse-critics-crime-rates" not in cells


def test_argmap_serve_as_a_subprocess(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "argmap",
            "serve",
            "--port",
            "0",
            "--corpus",
            str(ROOT / "tests" / "data" / "mini"),
            "--workers",
            "1",
        ],
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
        status, _h, body = post_direct(
            m.group(1), "SELECT ?id WHERE { ?c arg:stance arg:Con ; schema:identifier ?id } ORDER BY ?id"
        )
        assert status == 200 and ids_from_json(body) == ["cost-2m", "hurt-sales"]
        assert get(m.group(1), "SELECT * WHERE { ?s ?p ")[0] == 400
        assert get(m.group(1), "ASK { ?s ?p ?o }")[0] == 200
    finally:
        proc.terminate()
        proc.wait(20)


def test_one_connection_serves_several_requests_even_after_errors(base):
    """HTTP/1.1 keep-alive: a refused POST must not leave its body to be read as the next request."""
    import http.client

    host, port = urllib.parse.urlsplit(base).netloc.split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        conn.request("POST", "/nowhere", body=b"query=ASK%7B%7D", headers={"Content-Type": "application/x-www-form-urlencoded"})
        first = conn.getresponse()
        assert first.status == 404 and json.loads(first.read())["error"] == "not-found"
        conn.request("POST", "/sparql", body=b"DELETE WHERE { ?s ?p ?o }", headers={"Content-Type": "application/sparql-update"})
        second = conn.getresponse()
        assert second.status == 403 and json.loads(second.read())["error"] == "refused"
        conn.request("GET", "/sparql?" + urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"}))
        third = conn.getresponse()
        assert third.status == 200 and json.loads(third.read())["boolean"] is True
    finally:
        conn.close()


def test_a_query_too_large_is_refused(base):
    """Refused on its Content-Length, before the body is read (so only the headers are sent here)."""
    import socket

    host, port = urllib.parse.urlsplit(base).netloc.split(":")
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        sock.sendall(
            b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
            b"Content-Length: 2000000\r\n\r\n"
        )
        answer = b""
        while b"\r\n\r\n" not in answer or not answer.rstrip().endswith(b"}"):
            chunk = sock.recv(4096)
            if not chunk:
                break
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 413 ")
    assert json.loads(body)["error"] == "too-large"
    assert get(base, "ASK { ?s ?p ?o }")[0] == 200


def test_serving_a_persistent_store(tmp_path, mini):
    """Workers open a persistent store read-only, several at once."""
    from argmap.graph.store import persistent_store

    store, info, _built = persistent_store(tmp_path / "store", mini)
    del store  # the workers open it themselves
    server, thread, url = start(("dir", str(tmp_path / "store")), workers=2)
    try:
        for _ in range(4):
            status, _h, body = get(url, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
            assert status == 200 and int(json.loads(body)["results"]["bindings"][0]["n"]["value"]) == info.triples
    finally:
        stop(server, thread)


def test_serve_on_a_port_in_use_is_a_clear_error(mini_path):
    import socket

    from click.testing import CliRunner

    from argmap.cli import main

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = CliRunner().invoke(main, ["serve", "--corpus", str(mini_path), "--port", str(port), "--workers", "1"])
    assert result.exit_code == 2
    assert f"cannot listen on 127.0.0.1:{port}: Address already in use" in result.stderr


# ---------------------------------------------------------------- the protocol's corners (issue 18)

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def count_of(body: bytes) -> int:
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


def test_the_debate_is_a_named_graph_and_the_default_graph_their_union(base, opc, nt):
    total = nt[0].count(b"\n")
    status, _h, body = get(base, COUNT)
    assert status == 200 and count_of(body) == total
    status, _h, body = get(base, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert [b["g"]["value"] for b in json.loads(body)["results"]["bindings"]] == [opc.base]


def test_the_protocol_dataset_is_honoured(base, opc, nt):
    """default-graph-uri / named-graph-uri (repeatable) make the dataset; never ignored."""
    total = nt[0].count(b"\n")
    assert count_of(get(base, COUNT, **{"default-graph-uri": "http://example.org/none"})[2]) == 0
    assert count_of(get(base, COUNT, **{"default-graph-uri": opc.base})[2]) == total
    in_graphs = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    # only named-graph-uri: the default graph is empty, the named graph is there for GRAPH
    assert count_of(get(base, COUNT, **{"named-graph-uri": opc.base})[2]) == 0
    assert count_of(get(base, in_graphs, **{"named-graph-uri": opc.base})[2]) == total
    assert count_of(get(base, in_graphs, **{"default-graph-uri": opc.base})[2]) == 0
    # by POST too, and the protocol's dataset wins over the query's FROM
    fields = {
        "query": f"SELECT (COUNT(*) AS ?n) FROM <{opc.base}> WHERE {{ ?s ?p ?o }}",
        "default-graph-uri": "http://example.org/none",
    }
    assert count_of(post_form(base, fields)[2]) == 0
    assert count_of(post_form(base, {"query": fields["query"]})[2]) == total  # FROM alone
    assert count_of(get(base, "SELECT (COUNT(*) AS ?n) FROM <http://example.org/none> WHERE { ?s ?p ?o }")[2]) == 0
    status, _h, body = get(base, COUNT, **{"default-graph-uri": "not an iri"})
    assert status == 400 and json.loads(body)["error"] == "bad-dataset" and "not an absolute IRI" in json.loads(body)["message"]


@pytest.mark.parametrize(
    "accept,media,fmt",
    [
        ("application/rdf+xml", "application/rdf+xml", ox.RdfFormat.RDF_XML),
        ("application/ld+json", "application/ld+json", ox.RdfFormat.JSON_LD),
        ("application/n-quads", "application/n-quads", ox.RdfFormat.N_QUADS),
        ("application/trig", "application/trig", ox.RdfFormat.TRIG),
        ("text/turtle;q=0.2, application/n-triples;q=0.8", "application/n-triples", ox.RdfFormat.N_TRIPLES),
        ("application/sparql-results+xml, application/rdf+xml", "application/rdf+xml", ox.RdfFormat.RDF_XML),
        ("text/turtle;q=0.5, */*;q=0.9", "application/n-triples", ox.RdfFormat.N_TRIPLES),
        ("*/*", "text/turtle", ox.RdfFormat.TURTLE),
    ],
)
def test_graph_results_by_accept(base, opc, accept, media, fmt):
    construct = "CONSTRUCT { ?c arg:stance arg:Con } WHERE { ?c arg:stance arg:Con }"
    status, headers, body = get(base, construct, accept)
    assert status == 200 and headers["Content-Type"].split(";")[0] == media
    subjects = {q.subject.value for q in ox.parse(body, format=fmt)}
    assert subjects == {f"{opc.base}claim/{c.id}" for c in opc.claims if c.stance == "con"}


def test_format_parameters_known_and_unknown(base):
    # a known value (a name or a media type) wins over Accept; an unknown one is ignored for Accept
    status, headers, _b = get(base, CON_CLAIMS, "application/sparql-results+json", output="text/csv")
    assert status == 200 and headers["Content-Type"].startswith("text/csv")
    status, headers, body = get(base, CON_CLAIMS, "application/sparql-results+xml", format="n3")
    assert status == 200 and headers["Content-Type"].startswith("application/sparql-results+xml") and b"<sparql" in body
    construct = "CONSTRUCT WHERE { ?c arg:stance arg:Con }"
    status, headers, body = get(base, construct, "text/turtle", format="xml")  # xml for a graph: RDF/XML
    assert status == 200 and headers["Content-Type"].startswith("application/rdf+xml")
    status, headers, _b = get(base, construct, "application/n-triples", results="yaml")
    assert status == 200 and headers["Content-Type"].startswith("application/n-triples")


def test_the_service_description(base, opc):
    status, headers, body = request(f"{base}/sparql", headers={"Accept": "text/turtle"})
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    g = {(t.subject, t.predicate, t.object) for t in (q.triple for q in ox.parse(body, format=ox.RdfFormat.TURTLE))}
    sd = "http://www.w3.org/ns/sparql-service-description#"
    me = ox.NamedNode(f"{base}/sparql")
    assert (me, ox.NamedNode(sd + "endpoint"), me) in g
    assert (me, ox.NamedNode(sd + "supportedLanguage"), ox.NamedNode(sd + "SPARQL11Query")) in g
    formats = {o.value for s, p, o in g if p.value == sd + "resultFormat"}
    assert {"http://www.w3.org/ns/formats/SPARQL_Results_JSON", "http://www.w3.org/ns/formats/JSON-LD"} <= formats
    assert {o.value for s, p, o in g if p.value == sd + "name"} == {opc.base}
    status, headers, body = request(f"{base}/sparql", headers={"Accept": "application/rdf+xml"})
    assert status == 200 and headers["Content-Type"].startswith("application/rdf+xml") and b"SPARQL11Query" in body


def test_other_methods_head_and_options(base):
    for method in ("PUT", "DELETE", "PATCH", "BREW"):
        status, headers, body = request(f"{base}/sparql", data=b"x", method=method, headers={"Content-Type": "text/turtle"})
        assert status == 405 and headers["Allow"] == "GET, POST, HEAD, OPTIONS", method
        assert json.loads(body)["error"] == "method-not-allowed"
    status, get_headers, body = get(base, CON_CLAIMS)
    query = urllib.parse.urlencode({"query": CON_CLAIMS})
    status, headers, head_body = request(f"{base}/sparql?{query}", method="HEAD")
    assert status == 200 and head_body == b"" and headers["Content-Length"] == str(len(body))
    assert headers["Content-Type"] == get_headers["Content-Type"]
    status, headers, body = request(f"{base}/sparql", method="OPTIONS")
    assert status == 204 and headers["Allow"] == "GET, POST, HEAD, OPTIONS" and body == b""
    assert "Access-Control-Allow-Origin" not in headers  # no CORS unless asked for


def test_a_charset_other_than_utf8_is_refused(base):
    query = 'ASK { ?c schema:text "café" }'
    status, _h, body = post_direct(base, query, ctype="application/sparql-query; charset=ISO-8859-1")
    assert status == 415 and "charset=iso-8859-1" in json.loads(body)["message"]
    status, _h, body = request(
        f"{base}/sparql", data=query.encode("latin-1"), headers={"Content-Type": "application/sparql-query"}
    )
    assert status == 400 and "not UTF-8" in json.loads(body)["message"]
    status, _h, body = post_direct(base, query, ctype="application/sparql-query; charset=UTF-8")
    assert status == 200 and json.loads(body)["boolean"] is False


def test_cors_is_opt_in_with_preflight(nt):
    server, thread, url = start(("nt", nt), workers=1, cors="https://yasgui.example")
    try:
        origin = {"Origin": "https://yasgui.example"}
        status, headers, _b = request(
            f"{url}/sparql",
            method="OPTIONS",
            headers={**origin, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"},
        )
        assert status == 204 and headers["Access-Control-Allow-Origin"] == "https://yasgui.example"
        assert "POST" in headers["Access-Control-Allow-Methods"] and "Content-Type" in headers["Access-Control-Allow-Headers"]
        status, headers, body = post_direct(url, "ASK { ?s ?p ?o }")
        assert status == 200 and "Access-Control-Allow-Origin" not in headers  # no Origin sent
        status, headers, body = request(f"{url}/sparql?" + urllib.parse.urlencode({"query": "ASK {}"}), headers=origin)
        assert headers["Access-Control-Allow-Origin"] == "https://yasgui.example" and headers["Vary"] == "Origin"
        status, headers, body = request(
            f"{url}/sparql?" + urllib.parse.urlencode({"query": "ASK {}"}), headers={"Origin": "https://evil.example"}
        )
        assert status == 200 and "Access-Control-Allow-Origin" not in headers
    finally:
        stop(server, thread)


def raw_exchange(base: str, data: bytes, *, pause: float = 0.0, chunks: int = 1) -> bytes:
    """Send ``data`` over a fresh socket (in ``chunks`` pieces, ``pause`` s apart) and read until the server closes."""
    import socket
    import time

    host, port = urllib.parse.urlsplit(base).netloc.split(":")
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        size = max(1, len(data) // chunks)
        for i in range(0, len(data), size):
            try:
                sock.sendall(data[i : i + size])
            except OSError:
                break
            time.sleep(pause)
        answer = b""
        while True:
            try:
                chunk = sock.recv(4096)
            except OSError:
                break
            if not chunk:
                break
            answer += chunk
    return answer


def test_a_foreign_host_header_is_refused(base):
    answer = raw_exchange(
        base, b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: attacker.example:8000\r\nConnection: close\r\n\r\n"
    )
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 421 ") and json.loads(body)["error"] == "misdirected"
    for host in (b"127.0.0.1:8000", b"localhost", b"[::1]:8000"):
        answer = raw_exchange(base, b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: " + host + b"\r\nConnection: close\r\n\r\n")
        assert answer.startswith(b"HTTP/1.1 200 "), host


@pytest.fixture
def guarded(nt):
    """A server with a short read timeout, a small connection cap and a small queue."""
    server, thread, url = start(("nt", nt), workers=1, timeout=2, read_timeout=1.0, max_connections=4, queue_size=2)
    yield server, url
    stop(server, thread)


def test_a_slow_client_gets_408_and_is_disconnected(guarded):
    server, url = guarded
    # announces 1 MB, sends 7 bytes, then nothing
    answer = raw_exchange(
        url,
        b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\nContent-Length: 1000000\r\n\r\nASK {}",
    )
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 408 ") and json.loads(body)["error"] == "timeout"
    # a trickle (one piece every 0.3 s) is cut too: the timeout is for the whole request, not each read
    request_text = b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: " + b"a" * 40 + b"\r\n\r\n"
    answer = raw_exchange(url, request_text, pause=0.3, chunks=20)
    assert answer.startswith(b"HTTP/1.1 408 ")
    # and the server goes on serving
    assert get(url, "ASK { ?s ?p ?o }")[0] == 200


def test_open_connections_are_capped(guarded):
    import socket

    server, url = guarded
    host, port = urllib.parse.urlsplit(url).netloc.split(":")
    idle = [socket.create_connection((host, int(port)), timeout=30) for _ in range(4)]
    try:
        answer = raw_exchange(url, b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        assert answer.startswith(b"HTTP/1.1 503 ") and b"Retry-After: 1" in answer
    finally:
        for s in idle:
            s.close()
    # the idle ones are cut at the read timeout, so the cap frees itself; then requests are served again
    for _ in range(100):
        status = get(url, "ASK { ?s ?p ?o }")[0]
        if status == 200:
            break
    assert status == 200


def test_runaway_queries_do_not_hold_up_others_past_the_time_limit(guarded):
    """1 worker, --timeout 2, queue of 2: six runaway queries at once; every answer is a 200 or a 503 with
    Retry-After, the queue overflow is refused at once, and an ASK after them is answered."""
    server, url = guarded
    with ThreadPoolExecutor(7) as pool:
        runaways = [pool.submit(get, url, RUNAWAY) for _ in range(6)]
        answers = [f.result() for f in runaways]
    kinds = sorted(json.loads(body)["error"] for status, _h, body in answers)
    assert all(status == 503 and "Retry-After" in headers for status, headers, _b in answers)
    assert "busy" in kinds and "timeout" in kinds  # some refused at once (queue full), the rest stopped
    for _ in range(50):  # the killed worker's replacement may still be starting
        status, _h, body = get(url, "ASK { ?s ?p ?o }")
        if status == 200:
            break
    assert status == 200 and json.loads(body)["boolean"] is True


def test_a_client_that_hangs_up_leaves_no_traceback(tmp_path):
    """`argmap serve` as a subprocess: clients that disconnect mid-answer or mid-request; its log stays quiet."""
    import socket
    import time

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "argmap",
            "serve",
            "--port",
            "0",
            "--corpus",
            str(ROOT / "tests" / "data" / "mini"),
            "--workers",
            "1",
            "--read-timeout",
            "1",
        ],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    assert proc.stderr is not None  # stderr=PIPE
    try:
        line = proc.stderr.readline()
        m = re.search(r"serving http://127\.0\.0\.1:(\d+)/", line)
        assert m, line
        port = int(m.group(1))
        big = urllib.parse.urlencode({"query": "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }"})
        for _ in range(5):
            with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")  # reset on close
                sock.sendall(f"GET /sparql?{big} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
                sock.recv(10)
            with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
                sock.sendall(b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\nASK")
        time.sleep(2)  # give the server time to notice (and, before the fix, to print tracebacks)
        assert get(f"http://127.0.0.1:{port}", "ASK { ?s ?p ?o }")[0] == 200
    finally:
        proc.terminate()
        _out, err = proc.communicate(timeout=20)
    assert "Traceback" not in err and "BrokenPipe" not in err and "ConnectionReset" not in err, err
