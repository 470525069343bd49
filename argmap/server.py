"""`argmap serve`: a read-only SPARQL 1.1 Protocol endpoint over the debate graph, with the standard
library's HTTP server.

- ``/sparql``: GET ``?query=``, POST ``application/x-www-form-urlencoded`` (``query=``) and POST
  ``application/sparql-query``. Results by content negotiation (``Accept``): SPARQL JSON (the default),
  XML, CSV, TSV; Turtle (the default) or N-Triples for CONSTRUCT and DESCRIBE. ``?format=csv`` (or json, xml,
  tsv, turtle, nt) overrides the ``Accept`` header, for browsers.
- Refused with 403 and a JSON body: updates (as a query, through ``update=`` or as
  ``application/sparql-update``), ``LOAD`` and ``SERVICE`` (the server never calls out). A malformed query
  gets 400 with the line and column; an answer nobody can take, 406.
- Bounded: each query runs in a worker process; one that runs past the time limit is stopped (its worker
  process is killed and replaced) and answered with 503. Rows beyond the row cap are cut and the header
  ``X-Argmap-Truncated: true`` says so.
- ``/`` the HTML argument map (when argmap's map module is installed; a plain index page otherwise) and
  ``/query`` a small query page that works offline (no script or style from elsewhere).

Every error answer is JSON: ``{"error": kind, "message": text, "line": n, "column": n}``.
"""

from __future__ import annotations

import html
import json
import multiprocessing
import queue
import threading
import urllib.parse
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from argmap.errors import QueryError

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
DEFAULT_TIMEOUT = 10.0
DEFAULT_MAX_ROWS = 10_000
MAX_BODY = 1_000_000  # bytes of a POSTed query

# media types a client may ask for -> results format name
ACCEPTED_MEDIA = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/csv": "csv",  # before text/xml, so text/* means CSV
    "text/tab-separated-values": "tsv",
    "text/xml": "xml",
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/n-triples": "nt",
    "text/plain": "nt",
}
DEFAULT_FORMAT = {"select": "json", "ask": "json", "graph": "turtle"}


def negotiate(accept: str | None, kind: str) -> str | None:
    """The results format for a result ``kind`` that best fits an ``Accept`` header (None: nothing fits).

    >>> negotiate("text/csv, application/sparql-results+json;q=0.5", "select")
    'csv'
    >>> negotiate("text/turtle", "select") is None
    True
    >>> negotiate("*/*", "graph"), negotiate(None, "ask"), negotiate("text/*", "select")
    ('turtle', 'json', 'csv')
    """
    from argmap.graph.sparql import RESULTS_FORMATS

    if not accept or not accept.strip():
        return DEFAULT_FORMAT[kind]
    ranked: list[tuple[float, int, str]] = []
    for order, part in enumerate(accept.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        q = 1.0
        for f in fields[1:]:
            if f.lower().startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        if q <= 0:
            continue
        if media == "*/*":
            candidates = [DEFAULT_FORMAT[kind]]
        elif media.endswith("/*"):
            family = media[:-1]
            candidates = [n for m, n in ACCEPTED_MEDIA.items() if m.startswith(family)]
        else:
            candidates = [ACCEPTED_MEDIA[media]] if media in ACCEPTED_MEDIA else []
        for name in candidates:
            if kind in RESULTS_FORMATS[name].kinds:
                ranked.append((-q, order, name))
                break
    return min(ranked)[2] if ranked else None


# ---------------------------------------------------------------- the workers that run queries


def _worker_main(conn, source: tuple[str, Any]) -> None:
    """A worker process: load the store once, then answer (query, accept, format, max_rows) messages."""
    from argmap.graph.sparql import RESULTS_FORMATS, run_query, serialize_result
    from argmap.graph.store import load_ntriples, open_read_only

    kind, value = source
    store = load_ntriples(value) if kind == "nt" else open_read_only(value)
    conn.send(("ready", len(store)))
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        text, accept, fmt, max_rows = message
        try:
            result = run_query(store, text, max_rows=max_rows)
            name = fmt or negotiate(accept, result.kind)
            if name is None:
                allowed = [f.media_type for f in RESULTS_FORMATS.values() if result.kind in f.kinds]
                conn.send(("error", 406, "not-acceptable", f"no results format fits Accept: {accept} (this result can be: {', '.join(allowed)})", None, None))
                continue
            body = serialize_result(result, name).encode("utf-8")
            conn.send(("ok", RESULTS_FORMATS[name].media_type, body, result.truncated))
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

    def wait_ready(self, timeout: float) -> None:
        if not self.conn.poll(timeout):
            self.kill()
            raise RuntimeError("a query worker did not start")
        status, _n = self.conn.recv()
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


def error_answer(status: int, kind: str, message: str, line: int | None = None, column: int | None = None) -> Answer:
    return Answer(status, "application/json", error_body(kind, message, line, column))


class QueryPool:
    """Worker processes that run queries with a time limit and a row cap.

    A query goes to an idle worker; if it has not answered within ``timeout`` seconds the worker process
    is killed (the only way to stop a query running inside Oxigraph) and a new one started in its place.
    Workers are started with the ``spawn`` method and load the store themselves: an in-memory store from
    N-Triples bytes, a persistent one opened read-only.
    """

    def __init__(self, source: tuple[str, Any], *, workers: int = 2, timeout: float = DEFAULT_TIMEOUT, max_rows: int = DEFAULT_MAX_ROWS):
        self.source = source
        self.timeout = timeout
        self.max_rows = max_rows
        self.ctx = multiprocessing.get_context("spawn")
        self.idle: queue.Queue[Worker] = queue.Queue()
        self.size = max(1, workers)
        self.closed = False
        started = [Worker(self.ctx, source) for _ in range(self.size)]
        for w in started:
            w.wait_ready(120)
            self.idle.put(w)

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

    def run(self, text: str, *, accept: str | None, fmt: str | None) -> Answer:
        from argmap.graph.sparql import check_read_only

        try:
            check_read_only(text)  # refuse before a worker is even asked
        except QueryError as err:
            status = 403 if err.kind == "refused" else 400
            return error_answer(status, err.kind, str(err), err.line, err.column)
        try:
            worker = self.idle.get(timeout=self.timeout + 30)
        except queue.Empty:
            return error_answer(503, "busy", "every query worker is busy; try again")
        try:
            worker.conn.send((text, accept, fmt, self.max_rows))
            if not worker.conn.poll(self.timeout):
                worker.kill()
                self._replace()
                worker = None
                return error_answer(
                    503, "timeout", f"the query ran past the time limit of {self.timeout:g} s and was stopped"
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
        if reply[0] == "ok":
            _, media, body, truncated = reply
            return Answer(200, media, body, truncated)
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


# ---------------------------------------------------------------- HTTP


class Handler(BaseHTTPRequestHandler):
    """The request handler; ``server.pool`` runs queries, ``server.site`` serves pages."""

    server_version = "argmap"
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002  (the base class's name)
        if getattr(self.server, "verbose", False):
            super().log_message(format, *args)

    def _send(self, answer: Answer, *, head_only: bool = False) -> None:
        self.send_response(answer.status)
        ctype = answer.media_type + ("; charset=utf-8" if not answer.media_type.endswith("charset=utf-8") else "")
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(answer.body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        if answer.truncated:
            self.send_header("X-Argmap-Truncated", "true")
        self.end_headers()
        if not head_only:
            self.wfile.write(answer.body)

    def _page(self, text: str) -> None:
        self._send(Answer(200, "text/html", text.encode("utf-8")))

    def do_GET(self) -> None:  # noqa: N802  (http.server's naming)
        parts = urllib.parse.urlsplit(self.path)
        if parts.path == "/sparql":
            params = urllib.parse.parse_qs(parts.query, keep_blank_values=True)
            self._sparql(params)
        elif parts.path in ("/", "/index.html"):
            try:
                self._page(self.server.site.home())
            except Exception as err:  # noqa: BLE001  (a broken corpus must not stop the endpoint)
                self._send(error_answer(500, "error", f"the map could not be made: {err}"))
        elif parts.path in ("/query", "/query/"):
            self._page(query_page())
        else:
            self._send(error_answer(404, "not-found", f"no page {parts.path} (try /, /query or /sparql)"))

    def do_POST(self) -> None:  # noqa: N802
        parts = urllib.parse.urlsplit(self.path)
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0 or length > MAX_BODY:
            what = "a bad Content-Length" if length < 0 else f"a query may be at most {MAX_BODY} bytes"
            self.close_connection = True  # the body is not read, so the connection cannot be reused
            self._send(error_answer(400 if length < 0 else 413, "too-large" if length > 0 else "bad-request", what))
            return
        raw = self.rfile.read(length) if length else b""
        if parts.path != "/sparql":
            self._send(error_answer(404, "not-found", f"no endpoint {parts.path} (POST to /sparql)"))
            return
        media = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        params = urllib.parse.parse_qs(parts.query, keep_blank_values=True)
        if media == "application/x-www-form-urlencoded":
            for k, v in urllib.parse.parse_qs(raw.decode("utf-8", "replace"), keep_blank_values=True).items():
                params.setdefault(k, []).extend(v)
        elif media == "application/sparql-query":
            params["query"] = [raw.decode("utf-8", "replace")]
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
        self._sparql(params)

    def _sparql(self, params: dict[str, list[str]]) -> None:
        if "update" in params:
            self._send(error_answer(403, "refused", "updates are refused: this endpoint is read-only"))
            return
        queries = params.get("query", [])
        if len(queries) != 1 or not queries[0].strip():
            what = "no query given" if not queries or not queries[0].strip() else "more than one query given"
            self._send(error_answer(400, "no-query", f"{what}: send one query as query=... (GET or POST) or as application/sparql-query"))
            return
        fmt = (params.get("format") or [None])[0]
        if fmt is not None:
            from argmap.graph.sparql import results_format

            try:
                fmt = results_format(fmt).name
            except QueryError as err:
                self._send(error_answer(400, "bad-format", str(err)))
                return
        answer = self.server.pool.run(queries[0], accept=self.headers.get("Accept"), fmt=fmt)
        self._send(answer)


class SparqlServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], pool: QueryPool, site: Site, *, verbose: bool = False):
        self.pool = pool
        self.site = site
        self.verbose = verbose
        super().__init__(address, Handler)


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
) -> SparqlServer:
    """A server (not yet serving) for the store ``source``: ``("nt", bytes)`` for an in-memory store loaded
    from N-Triples, ``("dir", path)`` for a persistent store. ``port`` 0 picks a free port
    (``server.server_address``)."""
    pool = QueryPool(source, workers=workers, timeout=timeout, max_rows=max_rows)
    try:
        return SparqlServer((host, port), pool, Site(corpus_dir, with_analysis=with_analysis), verbose=verbose)
    except BaseException:
        pool.close()
        raise
