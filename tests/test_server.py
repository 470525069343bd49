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
    assert "muse-critics-prevention-first" in cells and "muse-critics-crime-rates" not in cells


def test_argmap_serve_as_a_subprocess(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "argmap", "serve", "--port", "0", "--corpus", str(ROOT / "tests" / "data" / "mini"), "--workers", "1"],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    try:
        line = proc.stderr.readline()
        m = re.search(r"serving (http://127\.0\.0\.1:\d+)/", line)
        assert m, line
        status, _h, body = post_direct(m.group(1), "SELECT ?id WHERE { ?c arg:stance arg:Con ; schema:identifier ?id } ORDER BY ?id")
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
