"""Serialising the debate graph in the RDF formats rdflib writes."""

from __future__ import annotations

from rdflib import Graph

from argmap.errors import ExportError

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


def serialize_graph(graph: Graph, fmt: str = "turtle") -> str:
    """The graph as text in format ``fmt`` (turtle, nt, jsonld, xml, trig).

    N-Triples lines are sorted so the output is byte-identical for the same graph.
    """
    fmt = rdf_format(fmt)
    if fmt == "nt":
        text = graph.serialize(format="nt")
        lines = sorted(line for line in text.splitlines() if line.strip())
        return "\n".join(lines) + ("\n" if lines else "")
    if fmt == "jsonld":
        context = {prefix: str(ns) for prefix, ns in graph.namespaces() if prefix}
        return graph.serialize(format="json-ld", context=dict(sorted(context.items())), indent=2, sort_keys=True)
    return graph.serialize(format=RDF_FORMATS[fmt][0])
