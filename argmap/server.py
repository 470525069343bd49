"""`argmap serve`: a read-only SPARQL 1.1 Protocol endpoint over the debate graph, with the standard
library's HTTP server.

- ``/sparql``: GET ``?query=``, POST ``application/x-www-form-urlencoded`` (``query=``) and POST
  ``application/sparql-query``, in UTF-8 (another charset: 415). Results by content negotiation
  (``Accept``, with q-values and wildcards): SPARQL JSON (the default), XML, CSV, TSV for SELECT and ASK;
  Turtle (the default), N-Triples, RDF/XML, JSON-LD, N-Quads or TriG for CONSTRUCT and DESCRIBE. A known
  ``format=``, ``output=`` or ``results=`` value (a name such as ``csv`` or a media type) overrides the
  header; an unknown one is ignored in favour of it. GET ``/sparql`` without a query: the SPARQL 1.1
  Service Description.
- The dataset: the debate is one named graph (its base IRI); the default graph is the union of the
  graphs, unless ``default-graph-uri`` / ``named-graph-uri`` (or the query's ``FROM``) give a dataset.
- Refused with 403 and a JSON body: updates (as a query, through ``update=`` or as
  ``application/sparql-update``), ``LOAD`` and ``SERVICE`` (the server never calls out). A malformed query
  gets 400 with the line and column; an answer nobody can take, 406; another method, 405 with ``Allow``.
- Bounded: each query runs in a worker process; one that runs past the time limit (counted from when the
  request was read, so time waiting for a worker counts) is stopped (its worker process is killed and
  replaced) and answered with 503. A full queue is answered 503 with ``Retry-After`` at once. Rows beyond
  the row cap are cut and the header ``X-Argmap-Truncated: true`` says so.
- Guarded: a request must be read within the read timeout (408, then the connection is closed), open
  connections are capped (503), the ``Host`` header must name this server (421: no DNS rebinding), CORS
  only when asked for (``cors``). A client that hangs up is no error.
- ``/`` the HTML argument map (when argmap's map module is installed; a plain index page otherwise) and
  ``/query`` a small query page that works offline (no script or style from elsewhere).

Every error answer is JSON: ``{"error": kind, "message": text, "line": n, "column": n}``.
"""

from __future__ import annotations

import html
import json
import multiprocessing
import queue
import socket
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from argmap.errors import QueryError

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
DEFAULT_TIMEOUT = 10.0
DEFAULT_MAX_ROWS = 10_000
DEFAULT_READ_TIMEOUT = 10.0  # seconds to read one request, headers and body
DEFAULT_MAX_CONNECTIONS = 64
MAX_BODY = 1_000_000  # bytes of a POSTed query
LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost", "::1"})
ALLOW = "GET, POST, HEAD, OPTIONS"
FORMAT_PARAMS = ("format", "output", "results")  # SPARQLWrapper sends all three; Virtuoso reads format, Fuseki output
DEFAULT_FORMAT = {"select": "json", "ask": "json", "graph": "turtle"}


def negotiate(accept: str | None, kind: str) -> str | None:
    """The results format for a result ``kind`` that best fits an ``Accept`` header (None: nothing fits).

    Each format takes the q of the most specific range that matches one of its media types
    (``text/turtle`` over ``text/*`` over ``*/*``); the highest q wins, then the more specific match, then
    the order in the header, then the default format.

    >>> negotiate("text/csv, application/sparql-results+json;q=0.5", "select")
    'csv'
    >>> negotiate("text/turtle", "select") is None
    True
    >>> negotiate("*/*", "graph"), negotiate(None, "ask"), negotiate("text/*", "select")
    ('turtle', 'json', 'csv')
    >>> negotiate("application/sparql-results+xml, application/rdf+xml", "graph")
    'rdfxml'
    >>> negotiate("*/*;q=0.1, application/ld+json;q=0.9", "graph"), negotiate("text/turtle;q=0.5, */*", "graph")
    ('jsonld', 'nt')
    """
    from argmap.graph.sparql import RESULTS_FORMATS

    if not accept or not accept.strip():
        return DEFAULT_FORMAT[kind]
    ranges = _accept_ranges(accept)
    best: tuple | None = None
    for position, (name, f) in enumerate(RESULTS_FORMATS.items()):
        if kind not in f.kinds:
            continue
        matches = []  # (specificity, q, order)
        for q, order, media in ranges:
            if media in (f.media_type, *f.also):
                matches.append((2, q, order))
            elif media.endswith("/*") and f.media_type.startswith(media[:-1]):
                matches.append((1, q, order))
            elif media == "*/*":
                matches.append((0, q, order))
        if not matches:
            continue
        specificity = max(m[0] for m in matches)
        q, neg_order = max((m[1], -m[2]) for m in matches if m[0] == specificity)
        if q <= 0:
            continue
        key = (q, specificity, neg_order, name == DEFAULT_FORMAT[kind], -position)
        if best is None or key > best[0]:
            best = (key, name)
    return best[1] if best else None


def _accept_ranges(accept: str) -> list[tuple[float, int, str]]:
    """(q, order, media range) of each part of an ``Accept`` header.

    >>> _accept_ranges("text/turtle;q=0.5, */*")
    [(0.5, 0, 'text/turtle'), (1.0, 1, '*/*')]
    """
    out = []
    for order, part in enumerate(accept.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        q = 1.0
        for f in fields[1:]:
            if f.lower().startswith("q="):
                try:
                    q = max(0.0, min(1.0, float(f[2:])))
                except ValueError:
                    q = 0.0
        out.append((q, order, media))
    return out


# ---------------------------------------------------------------- the workers that run queries


def _worker_main(conn, source: tuple[str, Any]) -> None:
    """A worker process: load the store once, then answer (query, format, dataset, max_rows) messages."""
    from argmap.graph.sparql import run_query, serialize_result
    from argmap.graph.store import load_ntriples, open_read_only

    kind, value = source
    if kind == "nt":
        data, graph = value if isinstance(value, tuple) else (value, None)
        store = load_ntriples(data, graph=graph)
    else:
        store = open_read_only(value)
    try:
        conn.send(("ready", len(store), sorted(g.value for g in store.named_graphs() if hasattr(g, "value"))))
    except OSError:  # the server stopped while this worker was starting
        return
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        text, fmt, dataset, max_rows = message
        try:
            defaults, named = dataset if dataset is not None else (None, None)
            result = run_query(store, text, max_rows=max_rows, default_graphs=defaults, named_graphs=named)
            body = serialize_result(result, fmt).encode("utf-8")
            conn.send(("ok", body, result.truncated))
        except QueryError as err:
            status = {"syntax": 400, "refused": 403}.get(err.kind, 400)
            conn.send(("error", status, err.kind, str(err), err.line, err.column))
        except Exception as err:  # noqa: BLE001  (a worker reports, never dies silently)
            conn.send(("error", 500, "error", f"the query failed: {err}", None, None))


class Worker:
    """One worker process and the parent's end of its pipe."""

    def __init__(self, ctx, source: tuple[str, Any]):
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker_main, args=(child, source), daemon=True)
        self.process.start()
        child.close()
        self.graphs: list[str] = []

    def wait_ready(self, timeout: float) -> None:
        if not self.conn.poll(timeout):
            self.kill()
            raise RuntimeError("a query worker did not start")
        status, _n, self.graphs = self.conn.recv()
        assert status == "ready"

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()


@dataclass
class Answer:
    status: int
    media_type: str
    body: bytes
    truncated: bool = False
    headers: dict[str, str] = field(default_factory=dict)


def error_body(kind: str, message: str, line: int | None = None, column: int | None = None) -> bytes:
    """The one JSON error shape of the server.

    >>> error_body("syntax", "malformed query", 1, 8)
    b'{"error": "syntax", "message": "malformed query", "line": 1, "column": 8}'
    """
    out: dict[str, Any] = {"error": kind, "message": message}
    if line is not None:
        out["line"] = line
        out["column"] = column
    return json.dumps(out, ensure_ascii=False).encode("utf-8")


def error_answer(
    status: int,
    kind: str,
    message: str,
    line: int | None = None,
    column: int | None = None,
    *,
    headers: dict[str, str] | None = None,
) -> Answer:
    return Answer(status, "application/json", error_body(kind, message, line, column), headers=dict(headers or {}))


class QueryPool:
    """Worker processes that run queries with a time limit and a row cap.

    A query goes to an idle worker; if none is idle it waits, and the wait counts toward ``timeout``
    (counted from the ``start`` the caller gives: when the request was read). When ``queue_size`` queries
    already wait, a new one is refused at once (503 with ``Retry-After``). A query that has not answered
    within the time left is stopped: its worker process is killed (the only way to stop a query running
    inside Oxigraph) and a new one started in its place. Workers are started with the ``spawn`` method and
    load the store themselves: an in-memory store from N-Triples bytes (into the debate's named graph),
    a persistent one opened read-only.
    """

    def __init__(
        self,
        source: tuple[str, Any],
        *,
        workers: int = 2,
        timeout: float = DEFAULT_TIMEOUT,
        max_rows: int = DEFAULT_MAX_ROWS,
        queue_size: int | None = None,
    ):
        self.source = source
        self.timeout = timeout
        self.max_rows = max_rows
        self.ctx = multiprocessing.get_context("spawn")
        self.idle: queue.Queue[Worker] = queue.Queue()
        self.size = max(1, workers)
        self.queue_size = queue_size if queue_size is not None else 8 * self.size
        self.waiting = 0
        self._lock = threading.Lock()
        self.closed = False
        started = [Worker(self.ctx, source) for _ in range(self.size)]
        for w in started:
            w.wait_ready(120)
            self.idle.put(w)
        self.graphs: list[str] = started[0].graphs  # the store's named graphs, for the service description

    def _replace(self) -> None:
        def start() -> None:
            if self.closed:
                return
            w = Worker(self.ctx, self.source)
            try:
                w.wait_ready(120)
            except RuntimeError:
                return
            self.idle.put(w)

        threading.Thread(target=start, daemon=True).start()

    def _retry_after(self) -> dict[str, str]:
        return {"Retry-After": str(max(1, round(self.timeout)))}

    def run(
        self, text: str, *, fmt: str, dataset: tuple[list[str], list[str]] | None = None, start: float | None = None
    ) -> Answer:
        """Run one query; ``fmt`` is the results format already chosen, ``dataset`` the protocol's
        (default graphs, named graphs) or None."""
        from argmap.graph.sparql import check_read_only

        start = time.monotonic() if start is None else start
        try:
            check_read_only(text)  # refuse before a worker is even asked
        except QueryError as err:
            status = 403 if err.kind == "refused" else 400
            return error_answer(status, err.kind, str(err), err.line, err.column)
        with self._lock:
            if self.waiting >= self.queue_size:
                return error_answer(
                    503,
                    "busy",
                    f"{self.waiting} queries are waiting for a worker already; try again later",
                    headers=self._retry_after(),
                )
            self.waiting += 1
        try:
            got = self.idle.get(timeout=max(0.0, start + self.timeout - time.monotonic()))
        except queue.Empty:
            return error_answer(
                503,
                "timeout",
                f"no query worker was free within the time limit of {self.timeout:g} s; try again later",
                headers=self._retry_after(),
            )
        finally:
            with self._lock:
                self.waiting -= 1
        worker: Worker | None  # None once killed: then it does not go back to the idle queue
        worker = got
        try:
            worker.conn.send((text, fmt, dataset, self.max_rows))
            if not worker.conn.poll(max(0.0, start + self.timeout - time.monotonic())):
                worker.kill()
                self._replace()
                worker = None
                return error_answer(
                    503,
                    "timeout",
                    f"the query ran past the time limit of {self.timeout:g} s and was stopped",
                    headers=self._retry_after(),
                )
            reply = worker.conn.recv()
        except (EOFError, OSError, BrokenPipeError):
            if worker is not None:
                worker.kill()
            self._replace()
            worker = None
            return error_answer(500, "error", "the query worker stopped unexpectedly; it has been restarted")
        finally:
            if worker is not None:
                self.idle.put(worker)
        from argmap.graph.sparql import RESULTS_FORMATS

        if reply[0] == "ok":
            _, body, truncated = reply
            return Answer(200, RESULTS_FORMATS[fmt].media_type, body, truncated)
        _, status, kind, message, line, column = reply
        return error_answer(status, kind, message, line, column)

    def close(self) -> None:
        self.closed = True
        while True:
            try:
                w = self.idle.get_nowait()
            except queue.Empty:
                break
            try:
                w.conn.send(None)
            except OSError:
                pass
            w.kill()


# ---------------------------------------------------------------- pages


QUERY_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>argmap SPARQL</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:15px/1.4 system-ui,sans-serif;margin:1.5em;max-width:80em;color:#222}
textarea{width:100%;height:14em;font:13px/1.35 ui-monospace,monospace}
table{border-collapse:collapse;margin-top:1em;font-size:13px}
th,td{border:1px solid #bbb;padding:.25em .5em;text-align:left;vertical-align:top}
th{background:#eee}#status{margin-left:1em}.error{color:#a00;white-space:pre-wrap;font-family:monospace}
</style></head><body>
<h1>SPARQL on the debate graph</h1>
<p>Read-only: SELECT, ASK, CONSTRUCT and DESCRIBE. Known prefixes (arg:, schema:, dcterms:, skos:, prov:, oa:, aif:, ...)
need no declaration. Endpoint for other tools: <code>/sparql</code>.</p>
<form id="f"><label for="named">Named query: </label><select id="named"><option value="">(your own)</option>__OPTIONS__</select>
<textarea id="q" name="query" spellcheck="false">SELECT ?claim ?text WHERE {
  ?c arg:stance arg:Con ; schema:identifier ?claim ; schema:text ?text .
}
ORDER BY ?claim
LIMIT 20</textarea>
<button type="submit">Run</button><span id="status"></span></form>
<div id="out"></div>
<script>
var NAMED = __NAMED__;
var f = document.getElementById('f'), q = document.getElementById('q'), out = document.getElementById('out'),
    st = document.getElementById('status'), sel = document.getElementById('named');
sel.onchange = function () { if (sel.value) q.value = NAMED[sel.value]; };
function cell(b) { if (!b) return ''; return b.type === 'uri' ? '<' + b.value + '>' : b.value; }
f.onsubmit = function (e) {
  e.preventDefault(); st.textContent = 'running...'; out.textContent = '';
  var t0 = Date.now();
  fetch('sparql', {method: 'POST', headers: {'Content-Type': 'application/sparql-query',
        'Accept': 'application/sparql-results+json, text/turtle;q=0.9'}, body: q.value})
  .then(function (r) { return r.text().then(function (body) { return {r: r, body: body}; }); })
  .then(function (x) {
    var ct = x.r.headers.get('Content-Type') || '';
    st.textContent = x.r.status + ' in ' + (Date.now() - t0) + ' ms';
    if (!x.r.ok) { var p = document.createElement('p'); p.className = 'error';
      try { p.textContent = JSON.parse(x.body).message; } catch (err) { p.textContent = x.body; }
      out.appendChild(p); return; }
    if (ct.indexOf('json') < 0) { var pre = document.createElement('pre'); pre.textContent = x.body; out.appendChild(pre); return; }
    var data = JSON.parse(x.body);
    if ('boolean' in data) { out.textContent = 'ASK: ' + data.boolean; return; }
    var table = document.createElement('table'), tr = document.createElement('tr');
    data.head.vars.forEach(function (v) { var th = document.createElement('th'); th.textContent = v; tr.appendChild(th); });
    table.appendChild(tr);
    data.results.bindings.forEach(function (row) { var tr = document.createElement('tr');
      data.head.vars.forEach(function (v) { var td = document.createElement('td'); td.textContent = cell(row[v]); tr.appendChild(td); });
      table.appendChild(tr); });
    if (x.r.headers.get('X-Argmap-Truncated')) st.textContent += ' (cut at the row cap)';
    st.textContent += ', ' + data.results.bindings.length + ' rows';
    out.appendChild(table);
  }).catch(function (err) { st.textContent = 'failed: ' + err; });
};
</script></body></html>
"""


def query_page() -> str:
    """The offline query page, with the named queries to pick from (escaped for HTML and for JS)."""
    from argmap.export.htmlmap import script_json
    from argmap.graph.sparql import named_queries

    queries = named_queries()
    options = "".join(
        f'<option value="{html.escape(name)}">{html.escape(name)}: {html.escape(q.description)}</option>'
        for name, q in queries.items()
    )
    named = script_json({name: q.text for name, q in queries.items()})  # no text can close the <script>
    return QUERY_PAGE.replace("__OPTIONS__", options).replace("__NAMED__", named)


class Site:
    """What the server serves besides /sparql: the map (rendered once, lazily) and the query page."""

    def __init__(self, corpus_dir: str | None, *, with_analysis: bool = True):
        self.corpus_dir = corpus_dir
        self.with_analysis = with_analysis
        self._map: str | None = None
        self._lock = threading.Lock()

    def home(self) -> str:
        with self._lock:
            if self._map is None:
                from argmap.export.htmlmap import render_map
                from argmap.sources import load_corpus

                corpus = load_corpus(self.corpus_dir)
                metrics = None
                if self.with_analysis:
                    from argmap.graph.analysis import metrics_for_corpus

                    metrics = metrics_for_corpus(corpus)
                self._map = render_map(corpus, metrics=metrics)
            return self._map


# ---------------------------------------------------------------- the service description


#: The W3C format IRI (https://www.w3.org/ns/formats/) of each results format.
FORMAT_IRIS = {
    "json": "SPARQL_Results_JSON",
    "xml": "SPARQL_Results_XML",
    "csv": "SPARQL_Results_CSV",
    "tsv": "SPARQL_Results_TSV",
    "turtle": "Turtle",
    "nt": "N-Triples",
    "rdfxml": "RDF_XML",
    "jsonld": "JSON-LD",
    "nquads": "N-Quads",
    "trig": "TriG",
}


def service_description(endpoint: str, graphs: list[str]):
    """The SPARQL 1.1 Service Description of the endpoint at ``endpoint``, as a graph result: the
    language (SPARQL 1.1 Query only), every results format, the union default graph and the named graphs.

    >>> sd = service_description("http://127.0.0.1:8000/sparql", ["https://w3id.org/argmap/debate/opc/"])
    >>> sd.kind, len(sd.triples)
    ('graph', 21)
    """
    import pyoxigraph as ox

    from argmap.graph.sparql import RESULTS_FORMATS, QueryResult
    from argmap.graph.vocab import FORMATS, RDF, SD

    def iri(term: Any) -> Any:
        return ox.NamedNode(str(term))

    service, dataset, default = ox.NamedNode(endpoint), ox.BlankNode("dataset"), ox.BlankNode("default")
    out: list[tuple[ox.NamedNode | ox.BlankNode, ox.NamedNode, ox.NamedNode | ox.BlankNode]] = [
        (service, iri(RDF.type), iri(SD.Service)),
        (service, iri(SD.endpoint), service),
        (service, iri(SD.supportedLanguage), iri(SD.SPARQL11Query)),
        (service, iri(SD.feature), iri(SD.UnionDefaultGraph)),
        (service, iri(SD.defaultDataset), dataset),
        (dataset, iri(RDF.type), iri(SD.Dataset)),
        (dataset, iri(SD.defaultGraph), default),
        (default, iri(RDF.type), iri(SD.Graph)),
    ]
    out += [(service, iri(SD.resultFormat), iri(FORMATS[FORMAT_IRIS[name]])) for name in RESULTS_FORMATS]
    for n, graph in enumerate(graphs):
        node = ox.BlankNode(f"graph{n}")
        out += [
            (dataset, iri(SD.namedGraph), node),
            (node, iri(RDF.type), iri(SD.NamedGraph)),
            (node, iri(SD.name), ox.NamedNode(graph)),
        ]
    prefixes = {"sd": str(SD._NS), "formats": str(FORMATS._NS)}
    return QueryResult("graph", triples=tuple(ox.Triple(*t) for t in out), prefixes=prefixes)


# ---------------------------------------------------------------- HTTP


class RequestTimeout(Exception):
    """The client did not send its request within the read timeout."""


class Handler(BaseHTTPRequestHandler):
    """The request handler; ``server.pool`` runs queries, ``server.site`` serves pages."""

    server_version = "argmap"
    protocol_version = "HTTP/1.1"
    server: SparqlServer  # what socketserver passes in (typeshed says BaseServer)

    # ------------------------------------------------ connection life

    def setup(self) -> None:
        # each read from the socket; the whole request: the watchdog. (typeshed calls `timeout` a ClassVar, but
        # StreamRequestHandler.setup reads it from the instance.)
        self.timeout = self.server.read_timeout  # type: ignore[misc]
        self.expired = False
        super().setup()

    def handle_one_request(self) -> None:
        self.server.watch(self)  # the request (or the next one on a kept-alive connection) must come in time
        try:
            super().handle_one_request()
        except (ConnectionError, TimeoutError, RequestTimeout):
            self.close_connection = True
        finally:
            self.server.unwatch(self)

    def finish(self) -> None:
        try:
            super().finish()
        except OSError:  # the client went away while the answer was flushed
            pass

    def parse_request(self) -> bool:
        if self.expired:  # the watchdog cut a request line that was coming too slowly
            self.command, self.request_version = "", "HTTP/1.1"
            self.requestline = self.raw_requestline.decode("latin-1", "replace").rstrip("\r\n")
            self._timed_out()
            return False
        ok = super().parse_request()
        if not ok:
            return False
        if self.expired:
            self._timed_out()
            return False
        host = self.headers.get("Host")
        if host is not None and not self.server.host_allowed(host):
            self.close_connection = True
            self._send(
                error_answer(
                    421,
                    "misdirected",
                    f"this server does not answer for Host '{host}' (it answers for: {', '.join(self.server.host_names())}; "
                    "argmap serve --allow-host NAME adds a name)",
                )
            )
            return False
        return True

    def _timed_out(self) -> None:
        self.close_connection = True
        try:
            self._send(error_answer(408, "timeout", f"the request was not received within {self.server.read_timeout:g} s"))
        except OSError:
            pass

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002  (the base class's name)
        if getattr(self.server, "verbose", False):
            super().log_message(format, *args)

    # ------------------------------------------------ answers

    def _cors_headers(self, *, preflight: bool = False) -> dict[str, str]:
        allowed = self.server.cors
        headers = getattr(self, "headers", None)  # none yet when the request line itself was cut
        origin = headers.get("Origin") if headers is not None else None
        if allowed is None or origin is None or (allowed != "*" and origin != allowed):
            return {}
        out = {"Access-Control-Allow-Origin": allowed, "Access-Control-Expose-Headers": "X-Argmap-Truncated, Retry-After"}
        if allowed != "*":
            out["Vary"] = "Origin"
        if preflight:
            out.update(
                {
                    "Access-Control-Allow-Methods": "GET, POST",
                    "Access-Control-Allow-Headers": "Accept, Content-Type",
                    "Access-Control-Max-Age": "600",
                }
            )
        return out

    def _send(self, answer: Answer, *, head_only: bool = False) -> None:
        try:
            self.send_response(answer.status)
            if answer.body or answer.status != 204:
                ctype = answer.media_type + ("; charset=utf-8" if "charset=" not in answer.media_type else "")
                self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(answer.body)) if answer.status != 204 else "0")
            self.send_header("Cache-Control", "no-store")
            self.send_header("X-Content-Type-Options", "nosniff")
            if answer.truncated:
                self.send_header("X-Argmap-Truncated", "true")
            for name, value in {**answer.headers, **self._cors_headers()}.items():
                self.send_header(name, value)
            if self.close_connection:
                self.send_header("Connection", "close")
            self.end_headers()
            if not head_only and answer.status != 204:
                self.wfile.write(answer.body)
        except (ConnectionError, TimeoutError):  # the client hung up: nobody to tell
            self.close_connection = True

    def _page(self, text: str, *, head_only: bool = False) -> None:
        self._send(Answer(200, "text/html", text.encode("utf-8")), head_only=head_only)

    # ------------------------------------------------ methods

    def __getattr__(self, name: str) -> Any:
        if name.startswith("do_"):  # any other method (PUT, DELETE, PATCH, ...): 405, not 501
            return self._not_allowed
        raise AttributeError(name)

    def _not_allowed(self) -> None:
        self.server.unwatch(self)
        self.close_connection = True  # a body, if any, is not read
        self._send(
            error_answer(
                405,
                "method-not-allowed",
                f"{self.command} is not allowed here (allowed: {ALLOW}); this endpoint is read-only",
                headers={"Allow": ALLOW},
            )
        )

    def do_OPTIONS(self) -> None:  # noqa: N802  (http.server's naming)
        self.server.unwatch(self)
        answer = Answer(204, "text/plain", b"", headers={"Allow": ALLOW, **self._cors_headers(preflight=True)})
        self._send(answer)

    def do_HEAD(self) -> None:  # noqa: N802
        self._get(head_only=True)

    def do_GET(self) -> None:  # noqa: N802
        self._get(head_only=False)

    def _get(self, *, head_only: bool) -> None:
        self.server.unwatch(self)
        start = time.monotonic()
        parts = urllib.parse.urlsplit(self.path)
        if parts.path == "/sparql":
            try:
                params = urllib.parse.parse_qs(parts.query, keep_blank_values=True, errors="strict")
            except UnicodeDecodeError:
                self._send(
                    error_answer(400, "bad-request", "the query string is not UTF-8 (percent-encode UTF-8 bytes)"),
                    head_only=head_only,
                )
                return
            if "query" not in params and "update" not in params:
                self._send(self._service_description(params), head_only=head_only)
                return
            self._send(self._sparql(params, start=start), head_only=head_only)
        elif parts.path in ("/", "/index.html"):
            try:
                self._page(self.server.site.home(), head_only=head_only)
            except Exception as err:  # noqa: BLE001  (a broken corpus must not stop the endpoint)
                self._send(error_answer(500, "error", f"the map could not be made: {err}"), head_only=head_only)
        elif parts.path in ("/query", "/query/"):
            self._page(query_page(), head_only=head_only)
        else:
            self._send(error_answer(404, "not-found", f"no page {parts.path} (try /, /query or /sparql)"), head_only=head_only)

    def do_POST(self) -> None:  # noqa: N802
        parts = urllib.parse.urlsplit(self.path)
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0 or length > MAX_BODY:
            self.server.unwatch(self)
            what = "a bad Content-Length" if length < 0 else f"a query may be at most {MAX_BODY} bytes"
            self.close_connection = True  # the body is not read, so the connection cannot be reused
            self._send(error_answer(400 if length < 0 else 413, "too-large" if length > 0 else "bad-request", what))
            return
        raw = self._read_body(length)
        self.server.unwatch(self)
        start = time.monotonic()
        if raw is None:
            self._timed_out()
            return
        if parts.path != "/sparql":
            self._send(error_answer(404, "not-found", f"no endpoint {parts.path} (POST to /sparql)"))
            return
        ctype = self.headers.get("Content-Type") or ""
        media, _, rest = ctype.partition(";")
        media = media.strip().lower()
        charset = ""
        for p in rest.split(";"):
            key, _, value = p.partition("=")
            if key.strip().lower() == "charset":
                charset = value.strip().strip('"').lower()
        if charset and charset not in ("utf-8", "utf8", "us-ascii"):
            self._send(
                error_answer(
                    415,
                    "unsupported-media-type",
                    f"the body is declared charset={charset}; send the query in UTF-8 (charset=utf-8)",
                )
            )
            return
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as err:
            self._send(error_answer(400, "bad-request", f"the body is not UTF-8 (byte {err.start}); send the query in UTF-8"))
            return
        params = urllib.parse.parse_qs(parts.query, keep_blank_values=True)
        if media == "application/x-www-form-urlencoded":
            for k, v in urllib.parse.parse_qs(text, keep_blank_values=True).items():
                params.setdefault(k, []).extend(v)
        elif media == "application/sparql-query":
            params["query"] = [text]
        elif media == "application/sparql-update":
            self._send(error_answer(403, "refused", "updates are refused: this endpoint is read-only"))
            return
        else:
            self._send(
                error_answer(
                    415,
                    "unsupported-media-type",
                    f"POST a query as application/x-www-form-urlencoded (query=...) or application/sparql-query, not '{media or 'nothing'}'",
                )
            )
            return
        self._send(self._sparql(params, start=start))

    def _read_body(self, length: int) -> bytes | None:
        """The body, or None when it did not come within the read timeout."""
        chunks, got = [], 0
        try:
            while got < length:
                chunk = (
                    self.rfile.read1(min(65536, length - got)) if hasattr(self.rfile, "read1") else self.rfile.read(length - got)
                )
                if not chunk:
                    break
                chunks.append(chunk)
                got += len(chunk)
        except TimeoutError:
            return None
        if got < length:  # the client stopped sending (or the watchdog stopped reading)
            return None
        return b"".join(chunks)

    # ------------------------------------------------ SPARQL

    def _service_description(self, params: dict[str, list[str]]) -> Answer:
        from argmap.graph.sparql import serialize_result

        fmt = self._format(params, "graph")
        if isinstance(fmt, Answer):
            return fmt
        host = self.headers.get("Host") or "{}:{}".format(*self.server.server_address[:2])
        sd = service_description(f"http://{host}/sparql", self.server.pool.graphs)
        from argmap.graph.sparql import RESULTS_FORMATS

        return Answer(200, RESULTS_FORMATS[fmt].media_type, serialize_result(sd, fmt).encode("utf-8"))

    def _format(self, params: dict[str, list[str]], kind: str) -> str | Answer:
        """The results format: the first known ``format=``/``output=``/``results=`` value that can write
        this kind of result, else the best fit for ``Accept``; or a 406 answer."""
        from argmap.graph.sparql import RESULTS_FORMATS, results_format

        for key in FORMAT_PARAMS:
            for value in params.get(key, []):
                try:
                    f = results_format(value, kind=kind)
                except QueryError:
                    continue  # unknown: Accept decides
                if kind in f.kinds:
                    return f.name
        accept = self.headers.get("Accept")
        name = negotiate(accept, kind)
        if name is None:
            allowed = [f.media_type for f in RESULTS_FORMATS.values() if kind in f.kinds]
            return error_answer(
                406, "not-acceptable", f"no results format fits Accept: {accept} (this result can be: {', '.join(allowed)})"
            )
        return name

    def _sparql(self, params: dict[str, list[str]], *, start: float) -> Answer:
        from argmap.graph.sparql import check_iri, check_read_only, kind_of

        if "update" in params:
            return error_answer(403, "refused", "updates are refused: this endpoint is read-only")
        queries = params.get("query", [])
        if len(queries) != 1 or not queries[0].strip():
            what = "no query given" if not queries or not queries[0].strip() else "more than one query given"
            return error_answer(
                400, "no-query", f"{what}: send one query as query=... (GET or POST) or as application/sparql-query"
            )
        text = queries[0]
        try:
            form = check_read_only(text)
        except QueryError as err:
            return error_answer(403 if err.kind == "refused" else 400, err.kind, str(err), err.line, err.column)
        dataset = None
        defaults, named = params.get("default-graph-uri", []), params.get("named-graph-uri", [])
        if defaults or named:
            try:
                dataset = (
                    [check_iri(g, what="default-graph-uri") for g in defaults],
                    [check_iri(g, what="named-graph-uri") for g in named],
                )
            except QueryError as err:
                return error_answer(400, "bad-dataset", str(err))
        fmt = self._format(params, kind_of(form))
        if isinstance(fmt, Answer):
            return fmt
        return self.server.pool.run(text, fmt=fmt, dataset=dataset, start=start)


class SparqlServer(ThreadingHTTPServer):
    """The HTTP server: a thread per connection, at most ``max_connections`` of them; a watchdog that
    stops reading a request that is not in within ``read_timeout`` seconds; the names it answers for."""

    daemon_threads = True
    request_queue_size = 64
    server_address: tuple[str, int]  # an AF_INET server's (typeshed: any socket address)

    def __init__(
        self,
        address: tuple[str, int],
        pool: QueryPool,
        site: Site,
        *,
        verbose: bool = False,
        read_timeout: float = DEFAULT_READ_TIMEOUT,
        max_connections: int = DEFAULT_MAX_CONNECTIONS,
        cors: str | None = None,
        allow_hosts: tuple[str, ...] = (),
    ):
        self.pool = pool
        self.site = site
        self.verbose = verbose
        self.read_timeout = read_timeout
        self.max_connections = max_connections
        self.cors = cors
        self.open_connections = 0
        self._lock = threading.Lock()
        self._watched: dict[Handler, float] = {}
        self._stopping = threading.Event()
        super().__init__(address, Handler)
        names = set(LOOPBACK_NAMES) | {h.strip("[]").lower() for h in allow_hosts}
        if address[0] not in ("", "0.0.0.0", "::"):
            names.add(address[0].strip("[]").lower())
        self._names = names
        threading.Thread(target=self._watchdog, daemon=True).start()

    # the names this server answers for (a Host header naming anything else is a DNS-rebinding page or a mistake)

    def host_names(self) -> list[str]:
        return sorted(self._names)

    def host_allowed(self, host: str) -> bool:
        """Whether a ``Host`` header names this server (with or without its port).

        The port is not checked: a client behind a port forward may name another.
        """
        host = host.strip().lower()
        if host.startswith("["):
            name = host[1 : host.find("]")] if "]" in host else host
        else:
            name = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
        return name in self._names

    # the read timeout

    def watch(self, handler: Handler) -> None:
        with self._lock:
            self._watched[handler] = time.monotonic() + self.read_timeout

    def unwatch(self, handler: Handler) -> None:
        with self._lock:
            self._watched.pop(handler, None)

    def _watchdog(self) -> None:
        step = min(0.25, self.read_timeout / 4)
        while not self._stopping.wait(step):
            now = time.monotonic()
            with self._lock:
                late = [h for h, deadline in self._watched.items() if deadline <= now]
                for h in late:
                    del self._watched[h]
            for h in late:
                h.expired = True
                try:
                    h.connection.shutdown(socket.SHUT_RD)  # a blocked read returns at once; writing still works
                except OSError:
                    pass

    # the connection cap

    def process_request(self, request, client_address) -> None:
        with self._lock:
            full = self.open_connections >= self.max_connections
            if not full:
                self.open_connections += 1
        if full:
            body = error_body("busy", f"the server has {self.max_connections} open connections already; try again later")
            try:
                request.settimeout(1)
                request.sendall(
                    b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json; charset=utf-8\r\n"
                    + f"Content-Length: {len(body)}\r\nRetry-After: 1\r\nConnection: close\r\n\r\n".encode()
                    + body
                )
            except OSError:
                pass
            self.shutdown_request(request, counted=False)
            return
        super().process_request(request, client_address)

    def shutdown_request(self, request, *, counted: bool = True) -> None:
        if counted:
            with self._lock:
                self.open_connections -= 1
        super().shutdown_request(request)

    def handle_error(self, request, client_address) -> None:
        import sys

        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return  # a client that hung up, or never finished: not the server's error
        super().handle_error(request, client_address)

    def server_close(self) -> None:
        self._stopping.set()
        super().server_close()


def make_server(
    source: tuple[str, Any],
    *,
    corpus_dir: str | None = None,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    timeout: float = DEFAULT_TIMEOUT,
    max_rows: int = DEFAULT_MAX_ROWS,
    workers: int = 2,
    with_analysis: bool = True,
    verbose: bool = False,
    read_timeout: float = DEFAULT_READ_TIMEOUT,
    max_connections: int = DEFAULT_MAX_CONNECTIONS,
    queue_size: int | None = None,
    cors: str | None = None,
    allow_hosts: tuple[str, ...] = (),
) -> SparqlServer:
    """A server (not yet serving) for the store ``source``: ``("nt", (bytes, graph IRI))`` for an in-memory
    store loaded from N-Triples into the debate's named graph, ``("dir", path)`` for a persistent store.
    ``port`` 0 picks a free port (``server.server_address``)."""
    pool = QueryPool(source, workers=workers, timeout=timeout, max_rows=max_rows, queue_size=queue_size)
    try:
        return SparqlServer(
            (host, port),
            pool,
            Site(corpus_dir, with_analysis=with_analysis),
            verbose=verbose,
            read_timeout=read_timeout,
            max_connections=max_connections,
            cors=cors,
            allow_hosts=allow_hosts,
        )
    except BaseException:
        pool.close()
        raise
