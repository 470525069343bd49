"""Serialising the debate graph in the RDF formats rdflib writes."""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import chain

from rdflib import Graph

from argmap.errors import ExportError
from argmap.perf import paused_gc

# name -> (rdflib format, file extension, media type)
RDF_FORMATS: dict[str, tuple[str, str, str]] = {
    "turtle": ("turtle", "ttl", "text/turtle"),
    "nt": ("nt", "nt", "application/n-triples"),
    "jsonld": ("json-ld", "jsonld", "application/ld+json"),
    "xml": ("xml", "rdf", "application/rdf+xml"),
    "trig": ("trig", "trig", "application/trig"),
}
ALIASES = {"ttl": "turtle", "ntriples": "nt", "n-triples": "nt", "json-ld": "jsonld", "rdfxml": "xml", "rdf": "xml"}


def rdf_format(name: str) -> str:
    """The canonical name of an RDF format, accepting aliases.

    >>> rdf_format("ttl")
    'turtle'
    """
    name = ALIASES.get(name, name)
    if name not in RDF_FORMATS:
        raise ExportError(f"unknown RDF format '{name}' (expected one of: {', '.join(RDF_FORMATS)})")
    return name


def _stable_jsonld(text: str) -> str:
    """JSON-LD with its node objects sorted by ``@id`` and multiple values sorted, so it does not depend
    on the order rdflib's store yields triples in (which varies with the interpreter's hash seed).

    rdflib writes no ``@list`` containers for this graph (it has no RDF lists), so no order is meaningful.
    """
    import json

    def key(value) -> str:
        return json.dumps(value, sort_keys=True, ensure_ascii=False)

    def tidy(value):
        if isinstance(value, dict):
            return {k: tidy(v) for k, v in value.items()}
        if isinstance(value, list):
            return sorted((tidy(v) for v in value), key=key)
        return value

    doc = json.loads(text)
    if isinstance(doc, dict) and "@graph" in doc:
        doc = {**doc, "@graph": sorted((tidy(n) for n in doc["@graph"]), key=lambda n: (str(n.get("@id", "")), key(n)))}
    else:
        doc = tidy(doc)
    return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def ntriple_lines(triples: Iterable[tuple]) -> list[str]:
    """The N-Triples lines of ``triples`` (each ending in a newline), each once, sorted.

    Each line is written as rdflib's own N-Triples serialiser writes it, so the lines are those of a graph
    of the triples; no graph is needed, which is what makes ``argmap build --format nt`` of a large corpus fast
    and small (a graph store costs about a kilobyte a triple). A list sorted, then its repeats dropped,
    takes less memory than a set. Lines sort as they would without their newline: no line is the start of
    another, since each ends with its object and " .".
    """
    from rdflib import Literal, URIRef
    from rdflib.plugins.serializers.nt import _quoteLiteral

    # As rdflib's ``_nt_row``: ``n3()`` for IRIs (which also refuses an invalid one), ``_quoteLiteral`` for
    # literals. An IRI recurs (every predicate and class, each subject a dozen times), so its text is kept:
    # a third of the time. The cache is emptied now and then to bound its memory.
    cache: dict = {}

    def node(t) -> str:
        if type(t) is not URIRef:
            return t.n3()
        text = cache.get(t)
        if text is None:
            if len(cache) > 100_000:
                cache.clear()
            text = cache[t] = t.n3()
        return text

    with paused_gc():
        rows = [f"{node(s)} {node(p)} {_quoteLiteral(o) if isinstance(o, Literal) else node(o)} .\n" for s, p, o in triples]
        rows.sort()
        return [row for i, row in enumerate(rows) if not i or row != rows[i - 1]]


def ntriples(triples: Iterable[tuple]) -> str:
    """N-Triples of ``triples``, each once, one a line, lines sorted: the same text for the same set.

    >>> from rdflib import Literal, URIRef
    >>> s, p = URIRef("https://example.org/s"), URIRef("https://example.org/p")
    >>> print(ntriples([(s, p, Literal("b")), (s, p, Literal("a\\n")), (s, p, Literal("b"))]), end="")
    <https://example.org/s> <https://example.org/p> "a\\n" .
    <https://example.org/s> <https://example.org/p> "b" .
    """
    return "".join(ntriple_lines(triples))


def corpus_ntriple_lines(corpus, metrics: dict | None = None) -> list[str]:
    """The debate graph of ``corpus`` (with the analysis results when ``metrics`` is given) as sorted
    N-Triples lines, which joined are ``serialize_graph(export_graph(corpus, metrics), "nt")``, made
    without a graph."""
    from argmap.graph.build import iter_triples

    return ntriple_lines(chain(iter_triples(corpus), analysis_triples(corpus, metrics) if metrics else ()))


def corpus_ntriples(corpus, metrics: dict | None = None) -> str:
    """``corpus_ntriple_lines`` as one text."""
    return "".join(corpus_ntriple_lines(corpus, metrics))


def serialize_graph(graph: Graph, fmt: str = "turtle") -> str:
    """The graph as text in format ``fmt`` (turtle, nt, jsonld, xml, trig).

    N-Triples lines are sorted so the output is byte-identical for the same graph.
    """
    fmt = rdf_format(fmt)
    if fmt == "nt":
        return ntriples(graph)
    if fmt == "jsonld":
        context = {prefix: str(ns) for prefix, ns in graph.namespaces() if prefix}
        text = graph.serialize(format="json-ld", context=dict(sorted(context.items())), indent=2, sort_keys=True)
        return _stable_jsonld(text)
    if fmt == "turtle":
        return turtle(graph)
    return graph.serialize(format=RDF_FORMATS[fmt][0])


# A local name written after a prefix: a conservative subset of Turtle's PN_LOCAL (no escapes, no ':' or
# '%', not ending in '.'); any other IRI is written whole.
_PN_LOCAL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_\-])?\Z")


def turtle(graph: Graph) -> str:
    r"""The graph as Turtle, in linear time: subjects sorted, ``a`` first, then predicates and objects
    sorted; prefixes from the graph's bindings, declared only where used. Byte-identical for the same graph.

    rdflib's Turtle serialiser is slow on argmap's graphs (every quote's ``...#target`` IRI is a namespace
    of its own to it, and its prefix lookup scans all of them: 143 s at 10k claims); this one writes the
    same triples. A graph with blank nodes goes to rdflib's serialiser, which nests them.

    >>> from argmap.sources import load_corpus
    >>> from argmap.graph.build import build_graph
    >>> text = turtle(build_graph(load_corpus("tests/data/mini")))
    >>> print(text[text.index("c:save-lives a"):].split("\n\n")[0])  # doctest: +ELLIPSIS
    c:save-lives a aif:I-node,
            schema:Claim ;
        ...
    """
    from rdflib import BNode, Literal, URIRef
    from rdflib.namespace import RDF

    if any(isinstance(t, BNode) for triple in graph for t in triple):
        return graph.serialize(format="turtle")
    namespaces = sorted(((str(ns), p) for p, ns in graph.namespaces() if p), key=lambda x: -len(x[0]))
    used: dict[str, str] = {}
    names: dict[URIRef, str] = {}

    def iri(term: URIRef) -> str:
        name = names.get(term)
        if name is None:
            text = str(term)
            name = term.n3()
            for ns, prefix in namespaces:  # longest namespace first
                if text.startswith(ns) and _PN_LOCAL.match(text, len(ns)):
                    name = f"{prefix}:{text[len(ns):]}"
                    used[prefix] = ns
                    break
            names[term] = name
        return name

    def node(term) -> str:
        if isinstance(term, Literal):
            return term._literal_n3(use_plain=True, qname_callback=iri)
        return iri(term)

    def order(term) -> tuple:
        return (isinstance(term, Literal), str(term), str(getattr(term, "datatype", "") or ""), getattr(term, "language", "") or "")

    by_subject: dict = {}
    with paused_gc():
        for s, p, o in graph:
            by_subject.setdefault(s, {}).setdefault(p, []).append(o)
        blocks = []
        for s in sorted(by_subject, key=str):
            preds = by_subject[s]
            lines = []
            for p in sorted(preds, key=lambda p: (p != RDF.type, str(p))):
                objects = ",\n        ".join(node(o) for o in sorted(preds[p], key=order))
                lines.append(f"{'a' if p == RDF.type else iri(p)} {objects}")
            blocks.append(f"{iri(s)} " + " ;\n    ".join(lines) + " .\n")
    head = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in sorted(used.items()))
    return head + "\n" + "\n".join(blocks)


# ---------------------------------------------------------------- the export formats jsonld, turtle, ntriples


def analysis_triples(corpus, metrics: dict) -> list[tuple]:
    """Triples stating each claim's analysis results with argmap's terms (arg:groundedLabel,
    arg:groundedReason, arg:strength, arg:pageRank, arg:betweenness, arg:community), in a fixed order.

    Decimals are rounded to 6 places so the serialisations are byte-stable.

    >>> from argmap.sources import load_corpus
    >>> c = load_corpus("tests/data/mini")
    >>> [str(o) for _, _, o in analysis_triples(c, {"save-lives": {"grounded": "in", "strength": 0.25}})]
    ['https://w3id.org/argmap/ns#In', '0.250000']
    """
    from decimal import Decimal

    from rdflib import Literal
    from rdflib.namespace import XSD

    from argmap.graph.build import Iris
    from argmap.graph.vocab import ARG, GROUNDED_TERMS

    iri = Iris(corpus)
    decimals = {"strength": ARG.strength, "pagerank": ARG.pageRank, "betweenness": ARG.betweenness}
    out = []
    for cid in sorted(metrics):
        if cid not in corpus.claims_by_id:
            continue
        m = metrics[cid] or {}
        node = iri.claim(cid)
        if m.get("grounded") in GROUNDED_TERMS:
            out.append((node, ARG.groundedLabel, GROUNDED_TERMS[m["grounded"]]))
        if m.get("grounded_reason"):
            out.append((node, ARG.groundedReason, Literal(str(m["grounded_reason"]))))
        for key, prop in decimals.items():
            if m.get(key) is not None:
                # six decimals, written as argmap.graph.analysis writes them
                out.append((node, prop, Literal(Decimal(f"{float(m[key]):.6f}"), datatype=XSD.decimal)))
        if m.get("community") is not None:
            out.append((node, ARG.community, Literal(int(m["community"]), datatype=XSD.integer)))
    return out


def export_graph(corpus, metrics: dict | None = None) -> Graph:
    """The debate graph of ``corpus``, with the analysis results when ``metrics`` is given."""
    from argmap.graph.build import build_graph

    graph = build_graph(corpus)
    if metrics:
        for triple in analysis_triples(corpus, metrics):
            graph.add(triple)
    return graph


def render_turtle(corpus, *, metrics: dict | None = None) -> str:
    """The debate graph as Turtle."""
    return serialize_graph(export_graph(corpus, metrics), "turtle")


def render_ntriples(corpus, *, metrics: dict | None = None) -> str:
    """The debate graph as N-Triples, lines sorted."""
    return corpus_ntriples(corpus, metrics)


def render_jsonld(corpus, *, metrics: dict | None = None) -> str:
    """The debate graph as JSON-LD."""
    return serialize_graph(export_graph(corpus, metrics), "jsonld")
