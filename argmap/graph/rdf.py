"""The debate in every RDF format argmap writes: the one pipeline behind ``argmap build``, ``argmap export``
and the Oxigraph store.

The corpus model gives rows of N-Triples terms (:func:`argmap.graph.build.ntriple_rows`, plus the analysis
results when asked); they are sorted as their lines would be and their repeats dropped (:func:`debate_rows`),
which makes every format deterministic byte for byte (across runs and hash seeds): N-Triples is those lines,
N-Quads the same lines in the debate's named graph, both written a few thousand lines at a time as they are
made; Turtle, TriG, RDF/XML and JSON-LD are pyoxigraph's streaming serialisers fed the sorted triples a chunk
at a time, so they come out in that order too. No rdflib graph is made on the way, and no format's whole text
is held twice.

TriG and N-Quads put the debate in one named graph whose IRI is the debate's base (``corpus.base``, e.g.
``https://w3id.org/argmap/debate/opc/``), the graph the Oxigraph store holds it in.

Examples
--------
>>> from argmap.sources import load_corpus
>>> text = serialize(load_corpus("tests/data/mini"), "nq")
>>> text.splitlines()[0].endswith("<https://w3id.org/argmap/debate/mini/> .")
True
>>> rdf_format("ttl").name, rdf_format("n-quads").name
('turtle', 'nquads')
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from argmap.errors import ExportError
from argmap.perf import paused_gc

if TYPE_CHECKING:  # pragma: no cover
    from rdflib import Graph

    from argmap.sources.model import Corpus

Metrics = Mapping[str, Mapping[str, Any]]


@dataclass(frozen=True)
class RdfFormat:
    """One RDF serialisation: its name, other names, file extension, media type and pyoxigraph format."""

    name: str
    description: str
    extension: str
    media_type: str
    aliases: tuple[str, ...] = ()
    dataset: bool = False  # a quad format: the debate is written in its named graph

    def oxigraph(self) -> Any:
        import pyoxigraph as ox

        return {
            "turtle": ox.RdfFormat.TURTLE,
            "ntriples": ox.RdfFormat.N_TRIPLES,
            "jsonld": ox.RdfFormat.JSON_LD,
            "xml": ox.RdfFormat.RDF_XML,
            "trig": ox.RdfFormat.TRIG,
            "nquads": ox.RdfFormat.N_QUADS,
        }[self.name]


FORMATS: tuple[RdfFormat, ...] = (
    RdfFormat("turtle", "RDF graph as Turtle (prefixed names, grouped by subject)", "ttl", "text/turtle", ("ttl",)),
    RdfFormat(
        "ntriples", "RDF graph as N-Triples, one triple a line, lines sorted", "nt", "application/n-triples", ("nt", "n-triples")
    ),
    RdfFormat(
        "jsonld",
        "RDF graph as JSON-LD (expanded, one node object per subject, subjects sorted)",
        "jsonld",
        "application/ld+json",
        ("json-ld",),
    ),
    RdfFormat("xml", "RDF graph as RDF/XML", "rdf", "application/rdf+xml", ("rdfxml", "rdf-xml", "rdf")),
    RdfFormat("trig", "RDF dataset as TriG: the debate in the named graph of its base IRI", "trig", "application/trig", (), True),
    RdfFormat(
        "nquads",
        "RDF dataset as N-Quads: the debate in the named graph of its base IRI, lines sorted",
        "nq",
        "application/n-quads",
        ("nq", "n-quads"),
        True,
    ),
)
_BY_NAME = {name: f for f in FORMATS for name in (f.name, *f.aliases)}


def format_names(*, aliases: bool = True) -> list[str]:
    """Every format name (and alias), in registry order.

    >>> format_names(aliases=False)
    ['turtle', 'ntriples', 'jsonld', 'xml', 'trig', 'nquads']
    """
    return [n for f in FORMATS for n in ((f.name, *f.aliases) if aliases else (f.name,))]


def rdf_format(name: str) -> RdfFormat:
    """The format called ``name`` (or one of its aliases, any case).

    >>> rdf_format("NT").name
    'ntriples'
    >>> rdf_format("n3")
    Traceback (most recent call last):
    ...
    argmap.errors.ExportError: unknown RDF format 'n3' (expected one of: turtle, ttl, ntriples, nt, n-triples, jsonld, json-ld, xml, rdfxml, rdf-xml, rdf, trig, nquads, nq, n-quads)
    """
    found = _BY_NAME.get(name.lower())
    if found is None:
        raise ExportError(f"unknown RDF format '{name}' (expected one of: {', '.join(format_names())})")
    return found


# ---------------------------------------------------------------- the triples


def metric_rows(base: str, metrics: Metrics) -> Iterator[tuple[str, str, str]]:
    """Each claim's analysis results as N-Triples terms, with argmap's terms: ``arg:groundedLabel``
    (``arg:In``, ``arg:Out``, ``arg:Undecided``), ``arg:groundedReason``, ``arg:strength``, ``arg:pageRank``
    and ``arg:betweenness`` (``xsd:decimal``, six decimals, so the text is stable), ``arg:strengthConverged``
    (``xsd:boolean``: false when the claim's strength did not settle) and ``arg:community`` (``xsd:integer``).
    A result missing from a claim's mapping is left out.

    >>> rows = list(metric_rows("https://e.org/d/", {"c1": {"grounded": "in", "strength": 0.25}}))
    >>> [o for _, _, o in rows]
    ['<https://w3id.org/argmap/ns#In>', '"0.250000"^^<http://www.w3.org/2001/XMLSchema#decimal>']
    """
    from argmap.graph.build import NtIris, nt_integer, nt_string
    from argmap.graph.vocab import ARG, GROUNDED_TERMS

    iri = NtIris(base)
    labels = {k: f"<{v}>" for k, v in GROUNDED_TERMS.items()}
    label_p, reason_p, community_p = f"<{ARG.groundedLabel}>", f"<{ARG.groundedReason}>", f"<{ARG.community}>"
    decimals = (("strength", f"<{ARG.strength}>"), ("pagerank", f"<{ARG.pageRank}>"), ("betweenness", f"<{ARG.betweenness}>"))
    dec_type = "<http://www.w3.org/2001/XMLSchema#decimal>"
    converged_p = f"<{ARG.strengthConverged}>"
    for cid in sorted(metrics):
        m = metrics[cid] or {}
        node = iri.claim(cid)
        if m.get("grounded") in labels:
            yield node, label_p, labels[m["grounded"]]
        if m.get("grounded_reason"):
            yield node, reason_p, nt_string(str(m["grounded_reason"]))
        for key, prop in decimals:
            if m.get(key) is not None:
                yield node, prop, f'"{float(m[key]):.6f}"^^{dec_type}'
        if m.get("strength_converged") is not None:
            flag = "true" if m["strength_converged"] else "false"
            yield node, converged_p, f'"{flag}"^^<http://www.w3.org/2001/XMLSchema#boolean>'
        if m.get("community") is not None:
            yield node, community_p, nt_integer(int(m["community"]))


def debate_metrics(corpus: Corpus, *, config: Mapping[str, Any] | None = None) -> dict[str, dict[str, Any]]:
    """Each claim's analysis results (:func:`argmap.graph.analysis.claim_metrics`) on the projection made
    from the corpus model."""
    from argmap.graph.analysis import claim_metrics
    from argmap.graph.projection import project_corpus

    return claim_metrics(project_corpus(corpus), config=config)


def debate_rows(corpus: Corpus, *, metrics: Metrics | None = None) -> list[tuple[str, str, str]]:
    """The debate's triples as N-Triples terms ``(subject, predicate, object)``, with the analysis results
    in ``metrics`` (claims of ``corpus`` only), each once, in the order of their N-Triples lines.

    Rows sort as their lines do: a subject or predicate is an IRI ending in ">" (which no IRI holds), and an
    object is the start of another only as a literal before its "@lang" or "^^<type>", where its line has
    the space before " ." (a lower character): comparing the terms one by one is comparing the lines. A row
    shares its subject and predicate strings with the other rows of its node, so the rows take about two
    thirds of the memory of the lines (and the lines are made, a few thousand at a time, only to be written).

    >>> from argmap.sources import load_corpus
    >>> rows = debate_rows(load_corpus("tests/data/mini"))
    >>> lines = [f"{s} {p} {o} .\\n" for s, p, o in rows]
    >>> lines == sorted(set(lines))
    True
    """
    from argmap.graph.build import ntriple_rows

    with paused_gc():
        rows = list(ntriple_rows(corpus))
        if metrics:
            known = {c.id for c in corpus.claims}
            rows += metric_rows(corpus.base, {k: v for k, v in metrics.items() if k in known})
        rows.sort()
        return [row for i, row in enumerate(rows) if not i or row != rows[i - 1]]


def debate_lines(corpus: Corpus, *, metrics: Metrics | None = None) -> list[str]:
    """The debate's N-Triples lines (:func:`debate_rows`), with the analysis results in ``metrics``, each
    once, sorted: the one text every format is made from."""
    with paused_gc():
        return [f"{s} {p} {o} .\n" for s, p, o in debate_rows(corpus, metrics=metrics)]


CHUNK = 4096  # lines joined and encoded at a time


def row_chunks(rows: list[tuple[str, str, str]], *, graph: str | None = None, consume: bool = False) -> Iterator[bytes]:
    """``rows`` as N-Triples lines (N-Quads in ``graph``, an N-Triples IRI term, when given), as UTF-8,
    a few thousand lines at a time: the whole text is never held. With ``consume``, the list is emptied as
    the chunks are made, so the rows written are freed while a reader (a writer, an engine) still works."""
    end = f" {graph} .\n" if graph else " .\n"
    if not consume:
        for k in range(0, len(rows), CHUNK):
            yield (end.join([" ".join(row) for row in rows[k : k + CHUNK]]) + end).encode("utf-8")
        return
    rows.reverse()  # taken from the end, a chunk at a time: removing from the front moves the whole list
    while rows:
        part = rows[-CHUNK:]
        del rows[-CHUNK:]
        part.reverse()
        yield (end.join([" ".join(row) for row in part]) + end).encode("utf-8")


def with_analysis_metrics(corpus: Corpus, with_analysis: bool) -> dict | None:
    """:func:`debate_metrics` when ``with_analysis``, else None."""
    return debate_metrics(corpus) if with_analysis else None


# ---------------------------------------------------------------- the writers


def lines_bytes(lines: list[str]) -> bytes:
    """``lines`` joined and encoded a few thousand at a time (never one whole ``str`` besides the bytes)."""
    return b"".join("".join(lines[k : k + CHUNK]).encode("utf-8") for k in range(0, len(lines), CHUNK))


def rows_pieces(rows: list[tuple[str, str, str]], fmt: str | RdfFormat, *, base: str) -> Iterator[bytes]:
    """Sorted rows (:func:`debate_rows`) of a debate at ``base`` in format ``fmt``, as UTF-8 pieces to be
    written one after another: N-Triples and N-Quads line by line as they are made, the other formats as
    pyoxigraph writes them from the triples it reads a chunk at a time. Whatever can fail (the writer) runs
    before the first piece is given, so a caller that stops at an error has written nothing."""
    return _rows_pieces(rows, fmt, base=base, consume=False)


def _rows_pieces(rows: list[tuple[str, str, str]], fmt: str | RdfFormat, *, base: str, consume: bool) -> Iterator[bytes]:
    f = fmt if isinstance(fmt, RdfFormat) else rdf_format(fmt)
    graph = f"<{base}>" if f.dataset else None
    if f.name in ("ntriples", "nquads"):
        return row_chunks(rows, graph=graph, consume=consume)
    return _written(row_chunks(rows, graph=graph, consume=consume), f, base=base)


def _written(chunks: Iterable[bytes], f: RdfFormat, *, base: str) -> Iterator[bytes]:
    """N-Triples (N-Quads for a dataset format) ``chunks`` of sorted lines in format ``f``, as pieces: the
    writer has run when this returns."""
    from itertools import chain

    import pyoxigraph as ox

    from argmap.graph.build import prefixes

    syntax = ox.RdfFormat.N_QUADS if f.dataset else ox.RdfFormat.N_TRIPLES
    # Each chunk is whole lines, so it parses alone; lenient: the terms are argmap's own, checked when they
    # were made (the base once, ids by the loader), and checking every IRI again was a third of the time.
    quads = chain.from_iterable(ox.parse(chunk, format=syntax, lenient=True) for chunk in chunks)
    try:
        out = ox.serialize(quads, format=f.oxigraph(), prefixes=prefixes(base) if f.name != "jsonld" else None)
    except (SyntaxError, ValueError) as err:  # an IRI the writer let through: only a bug gets here
        raise ExportError(f"the graph could not be written as {f.name}: {err}") from err
    assert out is not None  # no output given: serialize returns the bytes
    if f.name == "xml" and b"\r" in out:
        # pyoxigraph writes a literal's carriage return raw, and every XML parser reads a raw one as a line
        # feed: written as a character reference it survives (only literals can hold one)
        out = out.replace(b"\r", b"&#13;")
    head, pos = (_sorted_prefixes(out), _prefix_end(out)) if f.name in ("turtle", "trig") else (b"", 0)
    return _pieces_of(out, head, pos)


def _pieces_of(out: bytes, head: bytes, pos: int) -> Iterator[bytes]:
    """``head``, then ``out`` from ``pos`` a megabyte at a time (never a second copy of it), ending in a
    line break."""
    if head:
        yield head
    view = memoryview(out)
    step = 1 << 20
    for k in range(pos, len(out), step):
        yield bytes(view[k : k + step])
    if not out.endswith(b"\n"):
        yield b"\n"


def serialize_data(data: bytes, fmt: str | RdfFormat, *, base: str) -> bytes:
    """Sorted N-Triples ``data`` of a debate at ``base`` in format ``fmt``, as UTF-8 bytes."""
    f = fmt if isinstance(fmt, RdfFormat) else rdf_format(fmt)
    if f.name == "ntriples":
        return data
    if f.dataset:
        # each line ends in " .\n" and holds no other newline (N-Triples escapes them in literals)
        data = data.replace(b" .\n", f" <{base}> .\n".encode())
        if f.name == "nquads":
            return data
    return b"".join(_written([data], f, base=base))


def serialize_lines(lines: Iterable[str] | list[str], fmt: str | RdfFormat, *, base: str) -> str:
    """Sorted N-Triples ``lines`` of a debate at ``base`` as text in format ``fmt``.

    JSON-LD is pyoxigraph's: expanded, one node object per subject in subject order, on one line.

    >>> line = '<https://e.org/d/claim/a> <https://schema.org/text> "A" .\\n'
    >>> print(serialize_lines([line], "turtle", base="https://e.org/d/"), end="")  # doctest: +ELLIPSIS
    @prefix ...
    c:a schema:text "A" .
    """
    return serialize_data(lines_bytes(lines if isinstance(lines, list) else list(lines)), fmt, base=base).decode("utf-8")


def _prefix_end(text: bytes) -> int:
    """Where the ``@prefix`` lines at the top of Turtle or TriG end."""
    pos = 0
    while text.startswith(b"@prefix ", pos):
        pos = text.index(b"\n", pos) + 1
    return pos


def _sorted_prefixes(text: bytes) -> bytes:
    """The ``@prefix`` lines at the top of Turtle or TriG (as pyoxigraph writes them) in name order, not in
    the order of a hash table, and the blank line after them: what goes before the rest of ``text``."""
    head = text[: _prefix_end(text)].splitlines(keepends=True)
    return b"".join(sorted(head)) + b"\n"


def serialize(corpus: Corpus, fmt: str | RdfFormat, *, metrics: Metrics | None = None) -> str:
    """The debate graph of ``corpus`` (with the analysis results in ``metrics``) in format ``fmt``:
    what ``argmap build --format FMT`` and ``argmap export FMT`` write."""
    return serialized(corpus, fmt, metrics=metrics).decode("utf-8")


def serialized(corpus: Corpus, fmt: str | RdfFormat, *, metrics: Metrics | None = None) -> bytes:
    """:func:`serialize` as UTF-8 bytes."""
    return b"".join(serialized_pieces(corpus, fmt, metrics=metrics))


def serialized_pieces(corpus: Corpus, fmt: str | RdfFormat, *, metrics: Metrics | None = None) -> Iterator[bytes]:
    """:func:`serialize` as UTF-8 pieces to write one after another (:func:`rows_pieces`): what ``argmap
    build`` writes, without holding the whole text of N-Triples or N-Quads, or any format twice."""
    # the rows are this function's own: freed as they are written, while pyoxigraph's text grows
    return _rows_pieces(debate_rows(corpus, metrics=metrics), fmt, base=corpus.base, consume=True)


def debate_bytes(corpus: Corpus, *, metrics: Metrics | None = None) -> bytes:
    """:func:`debate_lines` as UTF-8 bytes; the list of lines is let go before this returns."""
    return lines_bytes(debate_lines(corpus, metrics=metrics))


def debate_ntriples(corpus: Corpus, *, with_analysis: bool = False) -> bytes:
    """The debate's sorted N-Triples as bytes, for a bulk load into an Oxigraph store.

    >>> from argmap.sources import load_corpus
    >>> debate_ntriples(load_corpus("tests/data/mini")).count(b"\\n") > 100
    True
    """
    return debate_bytes(corpus, metrics=with_analysis_metrics(corpus, with_analysis))


# ---------------------------------------------------------------- rdflib, on request


def graph_of_lines(lines: Iterable[str], *, base: str) -> Graph:
    """An rdflib graph of N-Triples ``lines``, with argmap's prefixes (and the debate's) bound."""
    from rdflib import Graph

    from argmap.graph.build import bind_prefixes

    g = Graph(bind_namespaces="none")
    bind_prefixes(g, base)
    data = "".join(lines)
    with paused_gc():
        g.parse(data=data, format="nt")
    return g


def debate_graph(corpus: Corpus, *, with_analysis: bool = False) -> Graph:
    """The debate as an rdflib ``Graph`` (with each claim's analysis results when ``with_analysis``): for
    notebooks, rdflib plugins and SPARQLStore. argmap's own commands do not make one.

    Examples
    --------
    >>> from argmap.sources import load_corpus
    >>> g = debate_graph(load_corpus("tests/data/mini"), with_analysis=True)
    >>> from argmap.graph.vocab import ARG
    >>> len(set(g.subjects(ARG.groundedLabel, None))) == len(load_corpus("tests/data/mini").claims)
    True
    """
    return graph_of_lines(debate_lines(corpus, metrics=with_analysis_metrics(corpus, with_analysis)), base=corpus.base)


def ntriples(triples: Iterable[tuple]) -> str:
    """N-Triples of rdflib ``triples``, each once, one a line, lines sorted: the same text for the same set.

    >>> from rdflib import Literal, URIRef
    >>> s, p = URIRef("https://example.org/s"), URIRef("https://example.org/p")
    >>> print(ntriples([(s, p, Literal("b")), (s, p, Literal("a\\n")), (s, p, Literal("b"))]), end="")
    <https://example.org/s> <https://example.org/p> "a\\n" .
    <https://example.org/s> <https://example.org/p> "b" .
    """
    from rdflib import Literal
    from rdflib.plugins.serializers.nt import _quoteLiteral

    with paused_gc():
        rows = sorted({f"{s.n3()} {p.n3()} {_quoteLiteral(o) if isinstance(o, Literal) else o.n3()} .\n" for s, p, o in triples})
    return "".join(rows)
