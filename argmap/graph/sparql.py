"""SPARQL over the debate graph: a read-only guard, running a query on an Oxigraph store, the results as
one value, and the results formats (W3C JSON, XML, CSV, TSV; Turtle and N-Triples for graphs).

A query runs on :mod:`pyoxigraph` (never rdflib's engine). Prefixes argmap uses (``arg:``, ``aif:``,
``schema:``, ``oa:``, ``prov:``, ``skos:``, ``dcterms:``, ...) need no declaration. Only queries run:
updates (``INSERT``, ``DELETE``, ``LOAD``, ``CLEAR``, ...) and ``SERVICE`` (a call to another server) are
refused after the query text has been tokenised, so a keyword inside a string, an IRI or a comment does not
count and one in the query does, however it is spelled.

Examples
--------
>>> from argmap.graph.store import load_ntriples
>>> store = load_ntriples(b'<https://e.org/c1> <https://w3id.org/argmap/ns#stance> <https://w3id.org/argmap/ns#Con> .\\n')
>>> result = run_query(store, "SELECT ?c WHERE { ?c arg:stance arg:Con }")
>>> result.kind, result.variables, [str(row[0]) for row in result.rows]
('select', ('c',), ['<https://e.org/c1>'])
>>> print(serialize_result(result, "csv"), end="")
c
https://e.org/c1
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

from argmap.errors import QueryError
from argmap.graph.vocab import PREFIXES

if TYPE_CHECKING:  # pragma: no cover
    import pyoxigraph

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

# ---------------------------------------------------------------- the read-only guard

#: Keywords that only an update has (SPARQL 1.1 Update grammar); none of them is a query keyword.
UPDATE_KEYWORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH", "USING"})
QUERY_FORMS = frozenset({"SELECT", "CONSTRUCT", "DESCRIBE", "ASK"})

# One token of SPARQL's lexical grammar, longest alternatives first. Strings, IRIs, comments, variables,
# prefixed names, blank node labels and language tags are single tokens, so a word inside them is no keyword.
_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][\w\u00b7\u0300-\u036f\u203f-\u2040]+)
  | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<bnode>_:[\w\-.]+)
  | (?P<pname>(?:[A-Za-z\u00c0-\uffff][\w\-.\u00b7]*)?:(?:[\w\-.:%\\\u00b7]|%[0-9A-Fa-f]{2})*)
  | (?P<word>[A-Za-z\u00c0-\uffff][\w\-\u00b7]*)
  | (?P<number>[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?))
  | (?P<other>\^\^|\|\||&&|!=|<=|>=|\S)
    """,
    re.VERBOSE,
)


def keywords(text: str) -> list[tuple[str, int]]:
    """The bare words of a query (keywords and function names), upper-cased, with their offsets.

    >>> keywords('SELECT * WHERE { ?load <http://e/SERVICE> "DELETE" . } # INSERT')
    [('SELECT', 0), ('WHERE', 9)]
    """
    out = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:  # an unterminated string or the like: the parser will say where
            break
        if m.lastgroup == "word":
            out.append((m.group().upper(), pos))
        pos = m.end()
    return out


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def check_read_only(text: str) -> str:
    """The query form (``select``, ``construct``, ``describe`` or ``ask``) of a query that may run; an
    update, ``LOAD`` or ``SERVICE`` raises :class:`QueryError` (kind ``"refused"``).

    >>> check_read_only("PREFIX ex: <http://e/> ASK { ?s ex:insert ?o }")
    'ask'
    >>> check_read_only("INSERT DATA { <http://e/a> <http://e/b> <http://e/c> }")
    Traceback (most recent call last):
    ...
    argmap.errors.QueryError: refused at 1:1: INSERT is an update; this service only answers queries (SELECT, ASK, CONSTRUCT, DESCRIBE)
    >>> check_read_only("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")
    Traceback (most recent call last):
    ...
    argmap.errors.QueryError: refused at 1:18: SERVICE calls another server; this service never calls out
    """
    form = None
    for word, offset in keywords(text):
        if word in UPDATE_KEYWORDS:
            line, col = _line_col(text, offset)
            what = "LOAD reads a document from elsewhere" if word == "LOAD" else f"{word} is an update"
            raise QueryError(
                f"refused at {line}:{col}: {what}; this service only answers queries (SELECT, ASK, CONSTRUCT, DESCRIBE)",
                line=line,
                column=col,
                kind="refused",
            )
        if word == "SERVICE":
            line, col = _line_col(text, offset)
            raise QueryError(
                f"refused at {line}:{col}: SERVICE calls another server; this service never calls out",
                line=line,
                column=col,
                kind="refused",
            )
        if form is None and word in QUERY_FORMS:
            form = word.lower()
    if form is None:
        raise QueryError("not a query: expected SELECT, ASK, CONSTRUCT or DESCRIBE", line=1, column=1, kind="syntax")
    return form


# ---------------------------------------------------------------- prefixes


def declared_prefixes(text: str) -> set[str]:
    """The prefixes a query declares itself.

    >>> sorted(declared_prefixes("PREFIX ex: <http://e/>\\nprefix : <http://f/> SELECT * {}"))
    ['', 'ex']
    """
    return set(re.findall(r"(?i)\bPREFIX\s+([A-Za-z][\w\-.]*)?:", text)) | (
        {""} if re.search(r"(?i)\bPREFIX\s+:", text) else set()
    )


def with_prefixes(text: str, prefixes: dict[str, str] = PREFIXES) -> tuple[str, int]:
    """The query with ``PREFIX`` lines prepended for the known prefixes it uses but does not declare, on
    one first line; and how many lines were added (0 or 1), to map error positions back.

    >>> with_prefixes("SELECT * { ?s arg:stance ?o }")
    ('PREFIX arg: <https://w3id.org/argmap/ns#>\\nSELECT * { ?s arg:stance ?o }', 1)
    >>> with_prefixes("PREFIX arg: <http://other/> SELECT * { ?s arg:stance ?o }")[1]
    0
    """
    declared = declared_prefixes(text)
    used = set()
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            break
        if m.lastgroup == "pname":
            used.add(m.group().split(":", 1)[0])
        pos = m.end()
    missing = sorted(p for p in used - declared if p in prefixes)
    if not missing:
        return text, 0
    head = " ".join(f"PREFIX {p}: <{prefixes[p]}>" for p in missing)
    return f"{head}\n{text}", 1


def unknown_terms(text: str) -> list[str]:
    """Warnings for ``arg:`` terms that argmap's vocabulary does not have (a query using one silently
    matches nothing), each with its line:column and the nearest real terms. A query that declares its own
    ``arg:`` prefix is left alone.

    >>> unknown_terms("SELECT ?c { ?c arg:stanse arg:Con }")
    ['1:16: arg:stanse is not an argmap term (did you mean arg:stance?)']
    >>> unknown_terms("SELECT ?c { ?c a arg:Claim }")
    ['1:18: arg:Claim is not an argmap term (did you mean schema:Claim?)']
    >>> unknown_terms('SELECT ?c { ?c arg:stance arg:Con . FILTER(?c != "arg:nope") }')
    []
    """
    import difflib

    if "arg" in declared_prefixes(text):
        return []
    from argmap.graph.vocab import ARG

    terms = sorted(ARG.__annotations__)
    out = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            break
        if m.lastgroup == "pname" and m.group().startswith("arg:"):
            local = m.group()[4:].rstrip(".")
            if local and local not in ARG.__annotations__:
                line, col = _line_col(text, pos)
                near = [f"arg:{t}" for t in difflib.get_close_matches(local, terms, n=2, cutoff=0.75)]
                if difflib.SequenceMatcher(None, local.lower(), "claim").ratio() >= 0.75:  # claims are schema:Claim
                    near = ["schema:Claim"]
                hint = f" (did you mean {' or '.join(near)}?)" if near else " (the terms are listed in argmap/graph/ontology.ttl)"
                out.append(f"{line}:{col}: arg:{local} is not an argmap term{hint}")
        pos = m.end()
    return out


# ---------------------------------------------------------------- results


@dataclass(frozen=True)
class QueryResult:
    """The answer to a query, whatever engine gave it.

    ``kind`` is ``"select"`` (``variables`` and ``rows``: tuples of pyoxigraph terms, None where unbound),
    ``"ask"`` (``boolean``) or ``"graph"`` (``triples``, for CONSTRUCT and DESCRIBE). ``truncated`` says
    the rows or triples were cut at a row cap.
    """

    kind: str
    variables: tuple[str, ...] = ()
    rows: tuple[tuple[Any, ...], ...] = ()
    boolean: bool | None = None
    triples: tuple[Any, ...] = ()
    truncated: bool = False
    prefixes: dict[str, str] = field(default_factory=dict, compare=False)

    def records(self) -> list[dict[str, str | None]]:
        """The rows as dicts of plain strings (an IRI's text, a literal's value), for tests and scripts."""
        return [{v: plain(t) for v, t in zip(self.variables, row)} for row in self.rows]


def plain(term: Any) -> str | None:
    """A term's plain value: an IRI's text, a literal's lexical form, a blank node's id.

    >>> import pyoxigraph as ox
    >>> plain(ox.NamedNode("http://e/a")), plain(ox.Literal("1.50", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal"))), plain(None)
    ('http://e/a', '1.50', None)
    """
    if term is None:
        return None
    import pyoxigraph as ox

    if isinstance(term, ox.Triple):
        return str(term)
    return term.value


def from_oxigraph(answer: Any, *, max_rows: int | None = None, prefixes: dict[str, str] | None = None) -> QueryResult:
    """A :class:`QueryResult` from what pyoxigraph's ``Store.query`` or ``parse_query_results`` returned."""
    import itertools

    import pyoxigraph as ox

    prefixes = dict(prefixes or PREFIXES)
    if isinstance(answer, ox.QueryBoolean):
        return QueryResult("ask", boolean=bool(answer), prefixes=prefixes)
    if isinstance(answer, ox.QuerySolutions):
        variables = tuple(v.value for v in answer.variables)
        limit = None if max_rows is None else max_rows + 1
        rows = tuple(tuple(sol[v] for v in variables) for sol in itertools.islice(answer, limit))
        truncated = max_rows is not None and len(rows) > max_rows
        return QueryResult("select", variables, rows[:max_rows] if truncated else rows, truncated=truncated, prefixes=prefixes)
    limit = None if max_rows is None else max_rows + 1
    triples = tuple(itertools.islice(answer, limit))
    truncated = max_rows is not None and len(triples) > max_rows
    return QueryResult("graph", triples=triples[:max_rows] if truncated else triples, truncated=truncated, prefixes=prefixes)


_ERROR_AT = re.compile(r"^error at (\d+):(\d+): (.*)$", re.S)


def syntax_error(err: Exception, text: str, *, line_offset: int = 0) -> QueryError:
    """pyoxigraph's syntax error as a :class:`QueryError`: where (line:column), what was expected, and the
    line with a caret under the place."""
    message = str(err)
    m = _ERROR_AT.match(message)
    if not m:
        return QueryError(f"malformed query: {message}", kind="syntax")
    line, col, what = int(m.group(1)) - line_offset, int(m.group(2)), " ".join(m.group(3).split())
    what = _shorten_expected(what)
    lines = text.splitlines() or [""]
    shown = lines[line - 1] if 1 <= line <= len(lines) else ""
    caret = " " * (col - 1) + "^"
    return QueryError(f"malformed query at {line}:{col}: {what}\n  {shown}\n  {caret}", line=line, column=col, kind="syntax")


def _shorten_expected(what: str) -> str:
    """The parser's list of expected tokens without its character classes, at most eight of them.

    >>> _shorten_expected('expected one of ",", ".", "}", [_]')
    'expected one of ",", ".", "}"'
    """
    if not what.startswith("expected one of "):
        return what
    items = re.findall(r'"(?:[^"\\]|\\.)*"|\[[^\]]*\]|[^\s,\[]+', what[len("expected one of ") :])
    words = [i for i in items if not i.startswith("[")]
    if not words:
        return "unexpected input here"
    return "expected one of " + ", ".join(words[:8]) + (", ..." if len(words) > 8 else "")


def run_query(
    store: pyoxigraph.Store,
    text: str,
    *,
    max_rows: int | None = None,
    prefixes: dict[str, str] = PREFIXES,
    default_graphs: Iterable[str] | None = None,
    named_graphs: Iterable[str] | None = None,
) -> QueryResult:
    """Run a read-only SPARQL query on an Oxigraph store.

    Known prefixes need no declaration. A malformed query raises :class:`QueryError` with its line and
    column; an update, ``LOAD`` or ``SERVICE`` is refused before anything runs.

    The dataset: the debate lives in one named graph (its base IRI), and the default graph is the union of
    the store's graphs, unless the query names its own dataset (``FROM``, ``FROM NAMED``) or the caller
    gives one: ``default_graphs`` (the protocol's ``default-graph-uri``) and ``named_graphs``
    (``named-graph-uri``); giving one of them leaves the other empty, as the SPARQL 1.1 Protocol says.
    """
    check_read_only(text)
    options: dict[str, Any] = {}
    if default_graphs is not None or named_graphs is not None:
        import pyoxigraph as ox

        options["default_graph"] = [ox.NamedNode(check_iri(g, what="default-graph-uri")) for g in default_graphs or ()]
        options["named_graphs"] = [ox.NamedNode(check_iri(g, what="named-graph-uri")) for g in named_graphs or ()]
    elif not has_dataset_clause(text):
        options["use_default_graph_as_union"] = True
    try:
        answer = store.query(text, prefixes=dict(prefixes), **options)
        return from_oxigraph(answer, max_rows=max_rows, prefixes={**prefixes, **_own_prefixes(text)})
    except SyntaxError as err:
        raise syntax_error(err, text) from err
    except (OSError, RuntimeError, ValueError) as err:
        raise QueryError(f"the query failed: {err}") from err


def has_dataset_clause(text: str) -> bool:
    """Whether a query names its own dataset (``FROM`` or ``FROM NAMED``; the word has no other use).

    >>> has_dataset_clause("SELECT * FROM <http://e/g> { ?s ?p ?o }"), has_dataset_clause('SELECT * { ?s <http://e/from> "FROM" }')
    (True, False)
    """
    return any(word == "FROM" for word, _offset in keywords(text))


def _own_prefixes(text: str) -> dict[str, str]:
    return {p: iri for p, iri in re.findall(r"(?i)\bPREFIX\s+([A-Za-z][\w\-.]*):\s*<([^>]*)>", text)}


# ---------------------------------------------------------------- term syntax


def nt_string(value: str) -> str:
    r"""A string in N-Triples/SPARQL quoted syntax.

    >>> print(nt_string('say "hi"\n'))
    "say \"hi\"\n"
    """
    out = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    return f'"{out}"'


def term_json(term: Any) -> dict[str, Any]:
    """A term as a SPARQL 1.1 Query Results JSON binding."""
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    return {
        "type": "triple",
        "value": {"subject": term_json(term.subject), "predicate": term_json(term.predicate), "object": term_json(term.object)},
    }


def short(term: Any, prefixes: dict[str, str]) -> str:
    """A term as a person reads it: an IRI as ``prefix:local`` when a prefix fits, a literal's value."""
    import pyoxigraph as ox

    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        best = ""
        for p, ns in prefixes.items():
            if term.value.startswith(ns) and len(ns) > len(best) and re.fullmatch(r"[\w\-.]*", term.value[len(ns) :]):
                best, name = ns, p
        return f"{name}:{term.value[len(best) :]}" if best else f"<{term.value}>"
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        return term.value
    return str(term)


# ---------------------------------------------------------------- results formats


def _json(result: QueryResult) -> str:
    if result.kind == "ask":
        return json.dumps({"head": {}, "boolean": result.boolean}, ensure_ascii=False) + "\n"
    bindings = [{v: term_json(t) for v, t in zip(result.variables, row) if t is not None} for row in result.rows]
    return (
        json.dumps({"head": {"vars": list(result.variables)}, "results": {"bindings": bindings}}, ensure_ascii=False, indent=1)
        + "\n"
    )


def _xml(result: QueryResult) -> str:
    import pyoxigraph as ox

    out = ['<?xml version="1.0"?>', '<sparql xmlns="http://www.w3.org/2005/sparql-results#">', "  <head>"]
    out += [f"    <variable name={quoteattr(v)}/>" for v in result.variables]
    out.append("  </head>")
    if result.kind == "ask":
        out.append(f"  <boolean>{'true' if result.boolean else 'false'}</boolean>")
    else:
        out.append("  <results>")

        def term_xml(t: Any) -> str:
            if isinstance(t, ox.NamedNode):
                return f"<uri>{xml_escape(t.value)}</uri>"
            if isinstance(t, ox.BlankNode):
                return f"<bnode>{xml_escape(t.value)}</bnode>"
            if isinstance(t, ox.Literal):
                if t.language:
                    return f"<literal xml:lang={quoteattr(t.language)}>{xml_escape(t.value)}</literal>"
                if t.datatype.value != XSD_STRING:
                    return f"<literal datatype={quoteattr(t.datatype.value)}>{xml_escape(t.value)}</literal>"
                return f"<literal>{xml_escape(t.value)}</literal>"
            return (
                f"<triple><subject>{term_xml(t.subject)}</subject><predicate>{term_xml(t.predicate)}</predicate>"
                f"<object>{term_xml(t.object)}</object></triple>"
            )

        for row in result.rows:
            out.append("    <result>")
            for v, t in zip(result.variables, row):
                if t is not None:
                    out.append(f"      <binding name={quoteattr(v)}>{term_xml(t)}</binding>")
            out.append("    </result>")
        out.append("  </results>")
    out.append("</sparql>")
    return "\n".join(out) + "\n"


def _csv(result: QueryResult) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    if result.kind == "ask":
        writer.writerow(["boolean"])
        writer.writerow(["true" if result.boolean else "false"])
        return buf.getvalue()
    import pyoxigraph as ox

    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow(["" if t is None else f"_:{t.value}" if isinstance(t, ox.BlankNode) else plain(t) for t in row])
    return buf.getvalue()


def _tsv_term(t: Any) -> str:
    import pyoxigraph as ox

    if t is None:
        return ""
    if isinstance(t, ox.Literal) and not t.language:
        dt = t.datatype.value
        if dt == XSD_STRING:
            return nt_string(t.value)
        if dt == "http://www.w3.org/2001/XMLSchema#integer" and re.fullmatch(r"[+-]?\d+", t.value):
            return t.value
        return f"{nt_string(t.value)}^^<{dt}>"
    if isinstance(t, ox.Literal):
        return f"{nt_string(t.value)}@{t.language}"
    return str(t)


def _tsv(result: QueryResult) -> str:
    if result.kind == "ask":
        return "?boolean\n" + ("true" if result.boolean else "false") + "\n"
    lines = ["\t".join(f"?{v}" for v in result.variables)]
    lines += ["\t".join(_tsv_term(t) for t in row) for row in result.rows]
    return "\n".join(lines) + "\n"


_RDF_FORMATS = {
    "turtle": "TURTLE",
    "nt": "N_TRIPLES",
    "rdfxml": "RDF_XML",
    "jsonld": "JSON_LD",
    "nquads": "N_QUADS",
    "trig": "TRIG",
}


def _rdf(fmt: str) -> Callable[[QueryResult], str]:
    def render(result: QueryResult) -> str:
        import pyoxigraph as ox

        triples = sorted(result.triples, key=str)  # deterministic: the same graph gives the same bytes
        rdf_format = getattr(ox.RdfFormat, _RDF_FORMATS[fmt])
        if rdf_format.supports_datasets:  # N-Quads, TriG: the triples in the default graph
            triples = [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples]
        if fmt in ("turtle", "trig", "rdfxml"):
            used = {p: ns for p, ns in result.prefixes.items() if any(_uses(t, ns) for t in triples)}
            data = ox.serialize(triples, format=rdf_format, prefixes=used)
        else:
            data = ox.serialize(triples, format=rdf_format)
        assert data is not None  # no output given: serialize returns the bytes
        text = data.decode("utf-8")
        return text if not text or text.endswith("\n") else text + "\n"

    return render


def _uses(triple: Any, ns: str) -> bool:
    return any(
        getattr(t, "value", "").startswith(ns)
        for t in (triple.subject, triple.predicate, triple.object)
        if not hasattr(t, "language")
    )


@dataclass(frozen=True)
class ResultsFormat:
    """A way to write query results: its name, media type, the kinds of result it can write, and other
    media types that name it in an ``Accept`` header."""

    name: str
    media_type: str
    kinds: tuple[str, ...]
    render: Callable[[QueryResult], str]
    description: str
    also: tuple[str, ...] = ()


TABLES = ("select", "ask")
RESULTS_FORMATS: dict[str, ResultsFormat] = {
    f.name: f
    for f in (
        ResultsFormat(
            "json", "application/sparql-results+json", TABLES, _json, "W3C SPARQL 1.1 Query Results JSON", ("application/json",)
        ),
        ResultsFormat(
            "xml", "application/sparql-results+xml", TABLES, _xml, "W3C SPARQL Query Results XML", ("application/xml", "text/xml")
        ),
        ResultsFormat("csv", "text/csv", TABLES, _csv, "W3C SPARQL 1.1 Query Results CSV (plain values)"),
        ResultsFormat(
            "tsv", "text/tab-separated-values", TABLES, _tsv, "W3C SPARQL 1.1 Query Results TSV (terms in N-Triples syntax)"
        ),
        ResultsFormat(
            "turtle",
            "text/turtle",
            ("graph",),
            _rdf("turtle"),
            "Turtle, for CONSTRUCT and DESCRIBE",
            ("application/x-turtle", "application/turtle", "text/n3", "text/rdf+n3", "application/n3"),
        ),
        ResultsFormat(
            "nt", "application/n-triples", ("graph",), _rdf("nt"), "N-Triples, for CONSTRUCT and DESCRIBE", ("text/plain",)
        ),
        ResultsFormat(
            "rdfxml",
            "application/rdf+xml",
            ("graph",),
            _rdf("rdfxml"),
            "RDF/XML, for CONSTRUCT and DESCRIBE",
            ("application/xml", "text/xml"),
        ),
        ResultsFormat(
            "jsonld",
            "application/ld+json",
            ("graph",),
            _rdf("jsonld"),
            "JSON-LD (expanded), for CONSTRUCT and DESCRIBE",
            ("application/x-json+ld", "application/json"),
        ),
        ResultsFormat(
            "nquads",
            "application/n-quads",
            ("graph",),
            _rdf("nquads"),
            "N-Quads (the default graph), for CONSTRUCT and DESCRIBE",
            ("text/x-nquads",),
        ),
        ResultsFormat(
            "trig",
            "application/trig",
            ("graph",),
            _rdf("trig"),
            "TriG (the default graph), for CONSTRUCT and DESCRIBE",
            ("application/x-trig",),
        ),
    )
}
FORMAT_ALIASES = {
    "ttl": "turtle",
    "n3": "turtle",
    "ntriples": "nt",
    "n-triples": "nt",
    "srj": "json",
    "srx": "xml",
    "rdf": "rdfxml",
    "rdf+xml": "rdfxml",
    "rdf/xml": "rdfxml",
    "json-ld": "jsonld",
    "n-quads": "nquads",
    "nq": "nquads",
}
#: What a name means for a graph result where it means something else for a table (SPARQLWrapper sends
#: ``format=xml`` with ``Accept: application/rdf+xml`` for a CONSTRUCT, as Virtuoso understands it).
GRAPH_ALIASES = {"xml": "rdfxml", "json": "jsonld"}


def kind_of(form: str) -> str:
    """The kind of result a query form gives: ``select``, ``ask`` or ``graph`` (CONSTRUCT, DESCRIBE).

    >>> kind_of("describe"), kind_of("ask")
    ('graph', 'ask')
    """
    return "graph" if form in ("construct", "describe") else form


def results_format(name: str, *, kind: str | None = None) -> ResultsFormat:
    """A results format by name, alias or media type; with ``kind``, the one that writes that kind of
    result (``xml`` is RDF/XML for a graph).

    >>> results_format("srj").media_type
    'application/sparql-results+json'
    >>> results_format("xml", kind="graph").name, results_format("application/n-triples").name
    ('rdfxml', 'nt')
    """
    key = name.strip().lower()
    if kind == "graph":
        key = GRAPH_ALIASES.get(key, key)
    key = FORMAT_ALIASES.get(key, key)
    if key not in RESULTS_FORMATS and "/" in key:
        found = media_formats(key, kind)
        key = found[0] if found else key
    if key not in RESULTS_FORMATS:
        raise QueryError(f"unknown results format '{name}' (expected one of: {', '.join(RESULTS_FORMATS)})")
    return RESULTS_FORMATS[key]


def media_formats(media: str, kind: str | None = None) -> list[str]:
    """The results formats a media type names (for a kind of result), best first.

    >>> media_formats("application/xml", "graph"), media_formats("application/xml", "select")
    (['rdfxml'], ['xml'])
    """
    media = media.lower()
    out = [f.name for f in RESULTS_FORMATS.values() if f.media_type == media]
    out += [f.name for f in RESULTS_FORMATS.values() if media in f.also and f.name not in out]
    return [n for n in out if kind is None or kind in RESULTS_FORMATS[n].kinds]


def serialize_result(result: QueryResult, fmt: str) -> str:
    """The result in a results format; a graph result only in an RDF syntax, a table only in the others."""
    f = results_format(fmt, kind=result.kind)
    if result.kind not in f.kinds:
        allowed = [n for n, g in RESULTS_FORMATS.items() if result.kind in g.kinds]
        what = (
            "a CONSTRUCT or DESCRIBE result is a graph"
            if result.kind == "graph"
            else f"a{'n' if result.kind == 'ask' else ''} {result.kind.upper()} result is not a graph"
        )
        raise QueryError(f"{what}; it cannot be written as {f.name} (expected one of: {', '.join(allowed)})")
    return f.render(result)


def result_table(result: QueryResult, *, title: str | None = None):
    """The result as a rich Table (IRIs shortened with the query's prefixes), for the terminal."""
    from rich.table import Table

    if result.kind == "ask":
        table = Table(title=title)
        table.add_column("ask")
        table.add_row("true" if result.boolean else "false")
        return table
    n = len(result.rows)
    caption = f"{n} row{'s' if n != 1 else ''}" + (" (cut at the row cap)" if result.truncated else "")
    table = Table(title=title, caption=caption, show_lines=False, min_width=len(caption) + 4)
    for v in result.variables:
        table.add_column(v, overflow="fold")
    for row in result.rows:
        table.add_row(*(short(t, result.prefixes) for t in row))
    return table


# ---------------------------------------------------------------- named queries


@dataclass(frozen=True)
class Param:
    """A parameter of a named query: ``VALUES ?name { UNDEF }`` in the query, bound by ``--param``."""

    name: str
    kind: str  # literal | iri | stance
    description: str


@dataclass(frozen=True)
class NamedQuery:
    name: str
    description: str
    text: str
    params: tuple[Param, ...] = ()


PARAM_KINDS = ("literal", "iri", "stance")
_PARAM_LINE = re.compile(r"^#\s*param\s+([A-Za-z_]\w*)\s*\((literal|iri|stance)\)\s*:\s*(.*)$")


def parse_named(name: str, text: str) -> NamedQuery:
    """A named query from its ``.rq`` text: the first line ``# description``, then ``# param NAME (KIND):
    what it is`` lines for its parameters.

    >>> q = parse_named("x", "# Claims of a side\\n# param stance (stance): pro, con or neutral\\nSELECT ?c { VALUES ?stance { UNDEF } ?c arg:stance ?stance }")
    >>> q.description, [p.name for p in q.params]
    ('Claims of a side', ['stance'])
    """
    lines = text.splitlines()
    if not lines or not lines[0].startswith("#"):
        raise QueryError(f"named query {name}: the first line must be '# description'")
    params = []
    for line in lines[1:]:
        m = _PARAM_LINE.match(line)
        if m:
            params.append(Param(m.group(1), m.group(2), m.group(3).strip()))
        elif not line.startswith("#"):
            break
    return NamedQuery(name, lines[0].lstrip("#").strip(), text, tuple(params))


def named_queries() -> dict[str, NamedQuery]:
    """The named queries shipped in ``argmap/graph/queries/*.rq``, by name (the file's stem), sorted."""
    from importlib import resources

    folder = resources.files("argmap.graph") / "queries"
    found = sorted((p.name[:-3], p) for p in folder.iterdir() if p.name.endswith(".rq"))
    return {name: parse_named(name, p.read_text(encoding="utf-8")) for name, p in found}


def named_query(name: str) -> NamedQuery:
    queries = named_queries()
    if name not in queries:
        raise QueryError(f"unknown named query '{name}' (expected one of: {', '.join(queries)})")
    return queries[name]


_IRI_FORBIDDEN = re.compile(r'[<>"{}|^`\\\x00-\x20]')
_IRI_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")


def check_iri(value: str, *, what: str = "IRI") -> str:
    """``value`` when it is an absolute IRI that can be written as ``<value>`` in SPARQL and N-Triples;
    otherwise :class:`QueryError` saying what is allowed.

    >>> check_iri("https://w3id.org/argmap/debate/opc/")
    'https://w3id.org/argmap/debate/opc/'
    >>> check_iri("http://e/g> } ; DROP ALL ; INSERT DATA { <a:b", what="--graph")
    Traceback (most recent call last):
    ...
    argmap.errors.QueryError: --graph 'http://e/g> } ; DROP ALL ; INSERT DATA { <a:b' is not an absolute IRI (a scheme such as https:, and no spaces or any of <>"{}|^`\\)
    """
    if not _IRI_SCHEME.match(value) or _IRI_FORBIDDEN.search(value):
        raise QueryError(
            f'{what} {value!r} is not an absolute IRI (a scheme such as https:, and no spaces or any of <>"{{}}|^`\\)'
        )
    return value


STANCE_VALUES = {"pro": "Pro", "con": "Con", "neutral": "Neutral"}


def param_term(param: Param, value: str, prefixes: dict[str, str] = PREFIXES) -> str:
    """A parameter value in SPARQL syntax, escaped for its kind.

    >>> param_term(Param("topic", "literal", ""), 'crime" } ?x ?y ?z {')
    '"crime\\\\" } ?x ?y ?z {"'
    >>> param_term(Param("stance", "stance", ""), "con")
    '<https://w3id.org/argmap/ns#Con>'
    >>> param_term(Param("node", "iri", ""), "arg:Pro")
    '<https://w3id.org/argmap/ns#Pro>'
    """
    if param.kind == "literal":
        return nt_string(value)
    if param.kind == "stance":
        key = value.strip().lower()
        if key not in STANCE_VALUES:
            raise QueryError(f"--param {param.name}={value}: expected one of: {', '.join(STANCE_VALUES)}")
        return f"<{PREFIXES['arg']}{STANCE_VALUES[key]}>"
    iri = value.strip()
    if iri.startswith("<") and iri.endswith(">"):
        iri = iri[1:-1]
    elif ":" in iri and iri.split(":", 1)[0] in prefixes:
        p, local = iri.split(":", 1)
        iri = prefixes[p] + local
    if not _IRI_SCHEME.match(iri) or _IRI_FORBIDDEN.search(iri):
        raise QueryError(
            f"--param {param.name}={value}: not an IRI (give an absolute IRI, <IRI>, or prefix:name with one of: "
            f"{', '.join(prefixes)})"
        )
    return f"<{iri}>"


def bind_params(query: NamedQuery, params: dict[str, str]) -> str:
    """The query's text with each given parameter's ``VALUES ?name { UNDEF }`` replaced by its value
    (an absent parameter stays UNDEF: no restriction).

    >>> q = parse_named("x", "# d\\n# param topic (literal): a topic id\\nSELECT ?c { VALUES ?topic { UNDEF } ?c ?p ?topic }")
    >>> bind_params(q, {"topic": "crime"}).splitlines()[-1]
    'SELECT ?c { VALUES ?topic { "crime" } ?c ?p ?topic }'
    """
    known = {p.name: p for p in query.params}
    text = query.text
    for name, value in params.items():
        if name not in known:
            allowed = ", ".join(known) if known else "none: this query takes no parameters"
            raise QueryError(f"named query {query.name} has no parameter '{name}' (expected one of: {allowed})")
        pattern = re.compile(r"VALUES\s+\?" + re.escape(name) + r"\s*\{\s*UNDEF\s*\}")
        term = param_term(known[name], value)
        text, n = pattern.subn(lambda _m: f"VALUES ?{name} {{ {term} }}", text)
        if n == 0:
            raise QueryError(f"named query {query.name}: no 'VALUES ?{name} {{ UNDEF }}' to bind")
    return text


#: For the parameters that name a node of the debate by id: a query listing the ids the graph holds.
KNOWN_VALUES = {
    "topic": "SELECT DISTINCT ?id WHERE { ?n a skos:Concept ; schema:identifier ?id }",
    "speaker": "SELECT DISTINCT ?id WHERE { ?c prov:wasAttributedTo ?n . ?n schema:identifier ?id }",
    "source": "SELECT DISTINCT ?id WHERE { ?c prov:wasQuotedFrom ?n . ?n schema:identifier ?id }",
}


def param_warnings(params: Mapping[str, str], known: Mapping[str, Iterable[str]]) -> list[str]:
    """Warnings for parameter values that name no topic, speaker or source the graph holds (such a query
    silently returns nothing), with the nearest known ids.

    >>> param_warnings({"topic": "crimes"}, {"topic": ["crime", "legal-status"]})
    ["--param topic=crimes: no topic 'crimes' in the graph, so nothing matches (did you mean crime?)"]
    >>> param_warnings({"topic": "crime"}, {"topic": ["crime"]})
    []
    """
    import difflib

    out = []
    for name, value in params.items():
        if name not in known:
            continue
        ids = sorted(set(known[name]))
        if value in ids:
            continue
        near = difflib.get_close_matches(value, ids, n=3, cutoff=0.6)
        hint = f"did you mean {' or '.join(near)}?" if near else f"known: {', '.join(ids[:12])}{', ...' if len(ids) > 12 else ''}"
        out.append(f"--param {name}={value}: no {name} '{value}' in the graph, so nothing matches ({hint})")
    return out


def parse_param_options(values: Iterable[str]) -> dict[str, str]:
    """``name=value`` strings as a dict.

    >>> parse_param_options(["topic=crime", "stance=con"])
    {'topic': 'crime', 'stance': 'con'}
    """
    out = {}
    for item in values:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise QueryError(f"--param {item}: expected name=value")
        out[name.strip()] = value
    return out
