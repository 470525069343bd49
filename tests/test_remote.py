"""An existing SPARQL server: a real `oxigraph serve` (the `oxigraph` package's command), started on
127.0.0.1 at a free port and stopped after. `argmap push` loads the OPC graph into it by the Graph Store
Protocol (or by SPARQL Update), and every named query gives the same rows there as on the embedded store."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import free_port, need, wait_until_answers

from argmap.cli import main
from argmap.errors import QueryError
from argmap.graph.remote import remote_query
from argmap.graph.sparql import named_queries, run_query

ROOT = Path(__file__).parent.parent


def oxigraph_command() -> str | None:
    found = shutil.which("oxigraph")
    if found:
        return found
    beside = Path(sys.executable).with_name("oxigraph")
    return str(beside) if beside.exists() else None


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory):
    """The base address of a running `oxigraph serve` with an empty store in a temporary folder."""
    command = oxigraph_command()
    need(command is not None, "the oxigraph command (pip install oxigraph)")
    assert command is not None
    port = free_port()
    folder = tmp_path_factory.mktemp("oxigraph")
    proc = subprocess.Popen(
        [command, "serve", "--location", str(folder), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        log = proc.stderr
        assert log is not None
        wait_until_answers(
            f"{base}/query?query=ASK%7B%7D", proc, what="oxigraph serve", within=30, log=lambda: log.read().decode()
        )
        yield base
    finally:
        proc.terminate()
        proc.wait(20)


def run(*args: str, code: int = 0):
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == code, (result.exit_code, result.output)
    return result


@pytest.fixture(scope="module")
def pushed(oxigraph):
    """The OPC graph (with the analysis results) pushed into the server's default graph."""
    result = run("push", "--endpoint", f"{oxigraph}/store")
    assert "pushed" in result.stderr and "HTTP 20" in result.stderr
    return oxigraph


@pytest.fixture(scope="module")
def local():
    from argmap.graph.store import memory_store
    from argmap.sources import load_corpus

    return memory_store(load_corpus())


def comparable(result) -> list[tuple]:
    """Rows as tuples of N-Triples terms; a GROUP_CONCAT's order is the engine's, so its words are sorted."""
    out = []
    for record in result.records():
        out.append(tuple(" ".join(sorted(v.split())) if k == "sourceIds" and v else v for k, v in record.items()))
    return out


def test_the_push_holds_the_whole_graph(pushed, local):
    remote = remote_query(f"{pushed}/query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert int(str(remote.records()[0]["n"])) == len(local)


@pytest.mark.parametrize("name", sorted(named_queries()))
def test_named_queries_give_the_same_rows_on_the_server(pushed, local, name):
    text = named_queries()[name].text
    remote = remote_query(f"{pushed}/query", text)
    mine = run_query(local, text)
    assert remote.variables == mine.variables
    assert comparable(remote) == comparable(mine)
    assert mine.rows  # every named query has rows on OPC


def test_query_endpoint_from_the_command_line(pushed):
    out = run(
        "query",
        "--endpoint",
        f"{pushed}/query",
        "--named",
        "claims-by-topic",
        "-p",
        "topic=crime",
        "-p",
        "stance=con",
        "--format",
        "csv",
    ).stdout
    lines = out.splitlines()
    assert lines[0] == "topic,side,claim,text,speaker,source,quote"
    assert any(line.startswith("crime,con,muse-critics-crime-rates,") for line in lines)


def test_construct_through_the_endpoint(pushed):
    result = remote_query(f"{pushed}/query", "CONSTRUCT { ?c arg:stance arg:Con } WHERE { ?c arg:stance arg:Con }")
    assert result.kind == "graph" and len(result.triples) > 20


def test_push_into_a_named_graph_and_append(oxigraph, local):
    graph = "https://example.org/graphs/opc"
    run("push", "--endpoint", f"{oxigraph}/store", "--graph", graph, "--no-analysis")
    count = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    n = int(str(remote_query(f"{oxigraph}/query", count).records()[0]["n"]))
    assert 0 < n < len(local)  # without the analysis triples
    run("push", "--endpoint", f"{oxigraph}/store", "--graph", graph, "--append")
    assert int(str(remote_query(f"{oxigraph}/query", count).records()[0]["n"])) == len(local)


def test_push_by_sparql_update(oxigraph, local):
    graph = "https://example.org/graphs/by-update"
    result = run("push", "--endpoint", f"{oxigraph}/update", "--update", "--graph", graph, "--batch", "2000")
    assert "update requests" in result.stderr
    count = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    assert int(str(remote_query(f"{oxigraph}/query", count).records()[0]["n"])) == len(local)


def test_the_servers_own_error_message_is_shown(oxigraph):
    with pytest.raises(QueryError) as err:
        remote_query(f"{oxigraph}/query", "SELECT * WHERE { ?s ?p ")
    assert f"{oxigraph}/query answered HTTP 400" in str(err.value)
    assert err.value.kind == "endpoint"


def test_refused_queries_are_not_sent(oxigraph):
    with pytest.raises(QueryError, match="INSERT is an update"):
        remote_query(f"{oxigraph}/query", "INSERT DATA { <http://e/a> <http://e/b> <http://e/c> }")


def test_connection_refused_is_a_clear_error():
    port = free_port()  # nothing listens there
    result = run("query", "--endpoint", f"http://127.0.0.1:{port}/query", "ASK { ?s ?p ?o }", code=1)
    assert f"cannot reach http://127.0.0.1:{port}/query: connection refused" in result.stderr
    assert "Traceback" not in result.output


def test_an_address_that_is_not_an_endpoint(oxigraph):
    with pytest.raises(QueryError, match="answered HTTP 404 Not Found: POST / is not supported"):
        remote_query(f"{oxigraph}/", "ASK { ?s ?p ?o }")


def test_push_to_a_wrong_address_says_what_the_server_said(oxigraph):
    result = run("push", "--endpoint", f"{oxigraph}/nowhere", code=1)
    assert "answered HTTP 404" in result.stderr


def test_push_answers_a_basic_authentication_challenge(tmp_path):
    """A server that wants a user and password (as Virtuoso's and GraphDB's may): the first request is
    challenged with 401, the second carries the credentials."""
    import base64
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    seen: list[tuple[str, str | None, int]] = []

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_PUT(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            auth = self.headers.get("Authorization")
            seen.append((self.path, auth, len(body)))
            if auth != "Basic " + base64.b64encode(b"dba:secret").decode():
                self.send_response(401)
                self.send_header("WWW-Authenticate", 'Basic realm="SPARQL"')
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(201)
            self.send_header("Content-Length", "0")
            self.end_headers()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/sparql-graph-crud-auth"
        result = run("push", "--endpoint", url, "--user", "dba:secret", "--corpus", str(ROOT / "tests" / "data" / "mini"))
        assert "(HTTP 201)" in result.stderr
        assert [s[1] is None for s in seen] == [True, False]
        assert seen[1][0] == "/sparql-graph-crud-auth?default" and seen[1][2] > 1000
        result = run("push", "--endpoint", url, "--user", "dba:wrong", "--corpus", str(ROOT / "tests" / "data" / "mini"), code=1)
        assert "answered HTTP 401" in result.stderr
    finally:
        server.shutdown()
        server.server_close()


def test_query_endpoint_sends_the_token_a_server_wants():
    """`argmap query --endpoint URL --token T` (QLever's access token, or a proxy's) reaches a server that
    refuses requests without it; --user/--token without --endpoint is a usage error."""
    import json as jsonlib
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    seen: list[str | None] = []
    answer = {"head": {"vars": ["n"]}, "results": {"bindings": [{"n": {"type": "literal", "value": "42"}}]}}

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def reply(self):
            auth = self.headers.get("Authorization")
            seen.append(auth)
            body, status, ctype = b'{"error": "no token"}', 401, "application/json"
            if auth == "Bearer s3cret":
                body, status, ctype = jsonlib.dumps(answer).encode(), 200, "application/sparql-results+json"
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            self.reply()

        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.reply()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/sparql"
        q = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
        result = run("query", q, "--endpoint", url, "--token", "s3cret", "--format", "csv")
        assert result.stdout_bytes == b"n\r\n42\r\n"
        assert seen[-1] == "Bearer s3cret"
        result = run("query", q, "--endpoint", url, "--format", "csv", code=1)
        assert "401" in result.stderr and seen[-1] is None
        result = run("query", q, "--token", "s3cret", code=2)
        assert "--endpoint" in result.output
    finally:
        server.shutdown()
        server.server_close()


def failing_proxy(target: str, *, fail_on: int):
    """A proxy in front of a real server that forwards every request but answers the ``fail_on``-th
    (1-based) with HTTP 500 without forwarding it: a failure injected mid-push."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    seen: list[bytes] = []

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            seen.append(body)
            if len(seen) == fail_on:
                self.send_response(500)
                self.send_header("Content-Length", "8")
                self.end_headers()
                self.wfile.write(b"injected")
                return
            req = urllib.request.Request(target, data=body, method="POST", headers={"Content-Type": self.headers["Content-Type"]})
            try:
                with urllib.request.urlopen(req, timeout=60) as resp:
                    status, answer = resp.status, resp.read()
            except urllib.error.HTTPError as err:
                status, answer = err.code, err.read()
            self.send_response(status)
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

    import urllib.error

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/update", seen


def graph_count(base: str, graph: str) -> int:
    return int(
        str(
            remote_query(f"{base}/query", f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}").records()[0]["n"]
        )
    )


def test_a_failed_push_by_update_leaves_the_old_graph_as_it_was(oxigraph, local):
    """Regression (issue 18): `push --update` dropped the graph before any insert had succeeded, so a failed
    push left it empty. Now the batches go to a temporary graph that is MOVEd over the target at the end."""
    graph = "https://example.org/graphs/kept"
    run("push", "--endpoint", f"{oxigraph}/update", "--update", "--graph", graph)
    assert graph_count(oxigraph, graph) == len(local)
    graphs_before = remote_query(f"{oxigraph}/query", "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }").records()
    for fail_on in (1, 3, 9):  # the first batch, a middle one, the MOVE (7,267 triples: 8 batches of 1,000, then MOVE)
        proxy, url, seen = failing_proxy(f"{oxigraph}/update", fail_on=fail_on)
        try:
            result = run(
                "push",
                "--endpoint",
                url,
                "--update",
                "--graph",
                graph,
                "--corpus",
                str(ROOT / "tests" / "data" / "mini"),
                "--batch",
                "20",
                code=1,
            )
        finally:
            proxy.shutdown()
            proxy.server_close()
        assert "answered HTTP 500" in result.stderr and f"nothing was changed in graph <{graph}>" in result.stderr
        assert graph_count(oxigraph, graph) == len(local)  # the OPC graph, whole
        assert seen[-1].startswith(b"DROP SILENT GRAPH <urn:argmap:push:")  # the temporary graph, dropped
    graphs_after = remote_query(f"{oxigraph}/query", "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }").records()
    assert graphs_after == graphs_before  # no temporary graph left behind


def test_push_by_update_replaces_and_appends_in_one_last_request(oxigraph):
    graph = "https://example.org/graphs/small"
    mini = str(ROOT / "tests" / "data" / "mini")
    result = run("push", "--endpoint", f"{oxigraph}/update", "--update", "--graph", graph, "--corpus", mini, "--no-analysis")
    n = graph_count(oxigraph, graph)
    assert n > 50 and "(2 update requests)" in result.stderr  # one INSERT DATA, one MOVE
    run("push", "--endpoint", f"{oxigraph}/update", "--update", "--graph", graph, "--corpus", mini, "--no-analysis")
    assert graph_count(oxigraph, graph) == n  # replaced, not doubled
    run("push", "--endpoint", f"{oxigraph}/update", "--update", "--graph", graph, "--corpus", mini, "--append", "--batch", "7")
    assert graph_count(oxigraph, graph) > n  # the analysis triples added


@pytest.mark.parametrize("iri", ["http://e/g> } ; DROP ALL ; INSERT DATA { <a:b", "no-scheme", "http://e/a b"])
def test_a_graph_iri_that_could_break_the_update_is_refused(iri):
    result = run("push", "--endpoint", "http://127.0.0.1:9/update", "--update", "--graph", iri, code=2)
    assert "is not an absolute IRI" in result.output
