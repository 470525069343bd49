"""Talking to an existing SPARQL 1.1 server (Oxigraph server, Jena Fuseki, GraphDB, Virtuoso, QLever, ...),
with the standard library only.

:func:`remote_query` sends a query by the SPARQL 1.1 Protocol (POST, url-encoded) and reads the answer as
W3C JSON results (``Accept: application/sparql-results+json``) or, for CONSTRUCT and DESCRIBE, as
N-Triples or Turtle. :func:`push_graph` loads N-Triples into the server by the SPARQL 1.1 Graph Store HTTP
Protocol (``PUT`` replaces a graph, ``POST`` adds to it); :func:`push_by_update` does the same with SPARQL
Update ``INSERT DATA`` in batches into a temporary graph, then ``MOVE`` (or ``ADD``) over the target, for
servers without a graph store: a failed push leaves the target as it was. Every network failure becomes a
:class:`QueryError` that says what happened and, for an HTTP error, what the server said.
"""

from __future__ import annotations

import socket
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from argmap.errors import QueryError
from argmap.graph.sparql import QueryResult, check_iri, check_read_only, from_oxigraph, with_prefixes

USER_AGENT = "argmap (SPARQL client)"
DEFAULT_TIMEOUT = 60.0


@dataclass(frozen=True)
class Auth:
    """Credentials for a server that wants them: a user and password (HTTP Basic or Digest, as the server
    asks) or a bearer token (QLever's access token, for instance)."""

    user: str | None = None
    password: str | None = None
    token: str | None = None

    def headers(self) -> dict[str, str]:
        """The Authorization header sent with every request: only for a token (a user and password are
        sent when the server asks, by Basic or Digest authentication: see :meth:`opener`).

        >>> Auth(token="t0k").headers()
        {'Authorization': 'Bearer t0k'}
        >>> Auth(user="u", password="p").headers()
        {}
        """
        if self.token:
            return {"Authorization": f"Bearer {self.token}"}
        return {}

    def opener(self, url: str) -> urllib.request.OpenerDirector:
        """A URL opener that answers a server's Basic or Digest challenge with the user and password
        (Virtuoso's ``/sparql-graph-crud-auth`` asks for Digest)."""
        handlers: list = []
        if self.user is not None:
            passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            passwords.add_password(None, url, self.user, self.password or "")
            handlers += [urllib.request.HTTPBasicAuthHandler(passwords), urllib.request.HTTPDigestAuthHandler(passwords)]
        return urllib.request.build_opener(*handlers)


def _request(
    url: str,
    *,
    method: str,
    data: bytes | None,
    headers: dict[str, str],
    timeout: float,
    auth: Auth | None = None,
) -> tuple[int, str, bytes]:
    """One HTTP request; returns (status, content type, body). Failures become QueryError (kind "endpoint")."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise QueryError(f"{url} is not an http(s) address of a SPARQL server", kind="endpoint")
    headers = {"User-Agent": USER_AGENT, **headers, **(auth.headers() if auth else {})}
    req = urllib.request.Request(url, data=data, method=method, headers=headers)
    opener = auth.opener(url) if auth else urllib.request.build_opener()
    if auth is not None and auth.user is not None and data:
        _answer_challenge_first(req, auth.user, auth.password or "", timeout=timeout)
    try:
        with opener.open(req, timeout=timeout) as resp:
            return resp.status, resp.headers.get("Content-Type", ""), resp.read()
    except urllib.error.HTTPError as err:
        body = err.read().decode("utf-8", "replace").strip()
        said = " ".join(body.split())[:600] or "(no message)"
        raise QueryError(f"{url} answered HTTP {err.code} {err.reason}: {said}", kind="endpoint") from err
    except urllib.error.URLError as err:
        reason = err.reason
        if isinstance(reason, ConnectionRefusedError):
            what = "connection refused (is the server running, and on this port?)"
        elif isinstance(reason, (socket.timeout, TimeoutError)):
            what = f"no answer within {timeout:g} s"
        elif isinstance(reason, socket.gaierror):
            what = f"unknown host {parts.hostname}"
        else:
            what = str(reason)
        raise QueryError(f"cannot reach {url}: {what}", kind="endpoint") from err
    except TimeoutError as err:
        raise QueryError(f"cannot reach {url}: no answer within {timeout:g} s", kind="endpoint") from err
    except OSError as err:  # a connection reset mid-answer, for instance
        raise QueryError(f"cannot reach {url}: {err}", kind="endpoint") from err


def _answer_challenge_first(req: urllib.request.Request, user: str, password: str, *, timeout: float) -> None:
    """Get the server's Basic or Digest challenge with a small GET first and put the answer on ``req``.

    A server that wants a login may answer 401 and close the connection before it has read a large body
    (Virtuoso does), which the client sees as a broken pipe; so the body goes only with the credentials.
    """
    probe = urllib.request.Request(req.full_url, method="GET", headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.build_opener().open(probe, timeout=timeout):
            return  # no login asked for
    except urllib.error.HTTPError as err:
        challenge = err.headers.get("WWW-Authenticate", "") if err.code == 401 else ""
        err.close()
    except OSError:
        return  # the real request will say what is wrong
    scheme, _, rest = challenge.partition(" ")
    if scheme.lower() == "basic":
        import base64

        token = base64.b64encode(f"{user}:{password}".encode()).decode()
        req.add_unredirected_header("Authorization", f"Basic {token}")
    elif scheme.lower() == "digest":
        passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        passwords.add_password(None, req.full_url, user, password)
        fields = urllib.request.parse_keqv_list(urllib.request.parse_http_list(rest))
        value = urllib.request.HTTPDigestAuthHandler(passwords).get_authorization(req, fields)
        if value:
            req.add_unredirected_header("Authorization", f"Digest {value}")


def _media(content_type: str) -> str:
    return content_type.split(";")[0].strip().lower()


RESULTS_PARSERS = {
    "application/sparql-results+json": "JSON",
    "application/json": "JSON",
    "application/sparql-results+xml": "XML",
    "application/xml": "XML",
    "text/xml": "XML",
    "text/csv": "CSV",
    "text/tab-separated-values": "TSV",
}
GRAPH_PARSERS = {
    "application/n-triples": "N_TRIPLES",
    "text/plain": "N_TRIPLES",
    "text/turtle": "TURTLE",
    "application/x-turtle": "TURTLE",
    "application/rdf+xml": "RDF_XML",
    "application/n-quads": "N_QUADS",
    "application/ld+json": "JSON_LD",
}


def remote_query(
    endpoint: str,
    text: str,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    max_rows: int | None = None,
    auth: Auth | None = None,
    default_graph: str | None = None,
) -> QueryResult:
    """Run a read-only query on a SPARQL 1.1 endpoint; argmap's prefixes are declared for it as needed.
    ``default_graph``: the graph the query sees as its default graph (the protocol's ``default-graph-uri``),
    e.g. the named graph the debate was pushed into; without it, the server's default graph."""
    import pyoxigraph as ox

    form = check_read_only(text)
    full, _added = with_prefixes(text)
    accept = (
        "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"
        if form in ("construct", "describe")
        else "application/sparql-results+json, application/sparql-results+xml;q=0.8"
    )
    headers = {
        "Accept": accept,
        "Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
    }
    fields = {"query": full}
    if default_graph is not None:
        fields["default-graph-uri"] = check_iri(default_graph, what="--graph")
    body = urllib.parse.urlencode(fields).encode("utf-8")
    _status, ctype, data = _request(endpoint, method="POST", data=body, headers=headers, timeout=timeout, auth=auth)
    media = _media(ctype)
    try:
        if form in ("construct", "describe"):
            fmt = GRAPH_PARSERS.get(media)
            if fmt is None:
                raise QueryError(f"{endpoint} answered a graph as '{media}', which argmap cannot read", kind="endpoint")
            items = ox.parse(data, format=getattr(ox.RdfFormat, fmt))
            triples = [q.triple if isinstance(q, ox.Quad) else q for q in items]
            return from_oxigraph(iter(triples), max_rows=max_rows)
        fmt = RESULTS_PARSERS.get(media)
        if fmt is None:
            raise QueryError(
                f"{endpoint} answered '{media or 'no content type'}', not SPARQL results (is this the query endpoint?)",
                kind="endpoint",
            )
        parsed = ox.parse_query_results(data, format=getattr(ox.QueryResultsFormat, fmt))
        return from_oxigraph(parsed, max_rows=max_rows)
    except SyntaxError as err:
        raise QueryError(f"{endpoint} answered results argmap cannot read: {err}", kind="endpoint") from err


def graph_store_url(store_url: str, graph: str | None) -> str:
    """The Graph Store Protocol address of a graph: ``?graph=IRI``, or ``?default`` for the default graph.

    >>> graph_store_url("http://127.0.0.1:7878/store", None)
    'http://127.0.0.1:7878/store?default'
    >>> graph_store_url("http://h/ds/data?x=1", "https://e.org/g")
    'http://h/ds/data?x=1&graph=https%3A%2F%2Fe.org%2Fg'
    """
    sep = "&" if urllib.parse.urlsplit(store_url).query else "?"
    if graph is None:
        return f"{store_url}{sep}default"
    return f"{store_url}{sep}" + urllib.parse.urlencode({"graph": graph})


#: Triples per ``INSERT DATA`` request: Virtuoso 7 refuses a request of 5,000 N-Triples lines (SP030,
#: SP031); 1,000 works there and on Oxigraph, Fuseki and GraphDB.
DEFAULT_BATCH = 1000
VIRTUOSO_DEFAULT_GRAPH = "not configured to have default graph"


def push_graph(
    store_url: str,
    data: bytes,
    *,
    graph: str | None = None,
    replace: bool = True,
    timeout: float = 300.0,
    auth: Auth | None = None,
) -> int:
    """Send N-Triples ``data`` to a Graph Store Protocol endpoint in one request: ``PUT`` (replace the
    graph, which the server does at once or not at all) or ``POST`` (add to it). Returns the HTTP status."""
    if graph is not None:
        check_iri(graph, what="--graph")
    url = graph_store_url(store_url, graph)
    headers = {"Content-Type": "application/n-triples"}
    try:
        status, _ctype, _body = _request(
            url, method="PUT" if replace else "POST", data=data, headers=headers, timeout=timeout, auth=auth
        )
    except QueryError as err:
        if graph is None and VIRTUOSO_DEFAULT_GRAPH in str(err):
            raise QueryError(
                f"{err} (Virtuoso's graph store has no default graph: push into a named graph with --graph IRI, "
                "e.g. the debate's base IRI)",
                kind="endpoint",
            ) from err
        raise
    return status


def _graph_ref(graph: str | None) -> str:
    """A graph in SPARQL Update's ``GraphOrDefault`` syntax (the IRI checked first).

    >>> _graph_ref(None), _graph_ref("https://e.org/g")
    ('DEFAULT', 'GRAPH <https://e.org/g>')
    """
    return "DEFAULT" if graph is None else f"GRAPH <{check_iri(graph, what='--graph')}>"


def push_by_update(
    update_url: str,
    data: bytes,
    *,
    graph: str | None = None,
    replace: bool = True,
    batch: int = DEFAULT_BATCH,
    timeout: float = 300.0,
    auth: Auth | None = None,
) -> int:
    """Send N-Triples ``data`` by SPARQL Update without risking the graph that is there: ``INSERT DATA``
    requests of at most ``batch`` triples into a new temporary graph, then one request that moves it over
    the target (``MOVE``, when ``replace``) or adds it to the target (``ADD``, then the temporary graph is
    dropped). If any request fails, the temporary graph is dropped and the target is as it was. Returns the
    number of requests sent."""
    import uuid

    target = _graph_ref(graph)
    temporary = f"urn:argmap:push:{uuid.uuid4().hex}"
    lines = [line for line in data.decode("utf-8").split("\n") if line.strip()]
    headers = {"Content-Type": "application/sparql-update; charset=utf-8"}

    def send(text: str) -> None:
        _request(update_url, method="POST", data=text.encode("utf-8"), headers=headers, timeout=timeout, auth=auth)

    sent = 0
    try:
        for start in range(0, len(lines), batch):
            chunk = "\n".join(lines[start : start + batch])
            send(f"INSERT DATA {{ GRAPH <{temporary}> {{\n{chunk}\n}} }}")
            sent += 1
        if replace:
            send(f"MOVE SILENT GRAPH <{temporary}> TO {target}")
            sent += 1
        else:
            send(f"ADD SILENT GRAPH <{temporary}> TO {target}")
            sent += 1
    except QueryError as err:
        try:
            send(f"DROP SILENT GRAPH <{temporary}>")
        except QueryError:
            pass
        where = "the default graph" if graph is None else f"graph <{graph}>"
        raise QueryError(
            f"{err}; nothing was changed in {where} (the triples sent so far went to a temporary graph, now dropped)",
            kind="endpoint",
        ) from err
    if not replace:
        send(f"DROP SILENT GRAPH <{temporary}>")
        sent += 1
    return sent
