"""Checking a debate graph against the SHACL shapes that say what a valid debate graph is.

The shapes (``shapes.ttl``) run in shacl-rust, a SHACL engine written in Rust, on the N-Triples text the
corpus model gives: no rdflib graph is made. It gives the same verdict and the same results (focus node,
path, constraint component) as pySHACL on the OPC debate and on every broken fixture in
``tests/shacl_fixtures.py`` (tests/test_engine_shacl.py checks the two engines agree), 13 to 19 times faster;
``docs/validation.md`` says how the engines compared and why this one. pySHACL stays available
(``engine="pyshacl"``) as the cross-check.

Every result is tied back to the corpus: :func:`locate` maps its focus node (a claim, its quote or figure,
a source, speaker, topic or relation) to the ``file:line`` where that record is written.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from importlib import resources
from typing import TYPE_CHECKING, Any

from argmap.errors import ArgmapError

if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Iterable, Iterator, Sequence

    from rdflib import Graph

    from argmap.sources.model import Claim, Corpus, Relation, Source, Speaker, Topic

ENGINES = ("shacl-rust", "pyshacl")


@dataclass(frozen=True)
class Violation:
    """One SHACL result: the node it is about, the path (an IRI, or a SPARQL property path such as
    ``^<...hasBody>``), the message, the severity (``Violation``), the constraint component
    (``MinCountConstraintComponent``) and where in the corpus the node's record is (``file:line``, or "")."""

    focus: str
    path: str
    message: str
    severity: str
    component: str = ""
    where: str = ""


@dataclass(frozen=True)
class ShaclReport:
    conforms: bool
    violations: tuple[Violation, ...]
    triples: int = 0  # how many triples were checked, when the report says (not in its JSON)

    def to_json(self) -> dict:
        return {
            "conforms": self.conforms,
            "violations": [v.__dict__ for v in self.violations],
        }


def shapes_text() -> str:
    """The SHACL shapes shipped with argmap, as Turtle."""
    return (resources.files("argmap.graph") / "shapes.ttl").read_text(encoding="utf-8")


def shapes_graph() -> Graph:
    """The SHACL shapes shipped with argmap, as an rdflib graph."""
    from rdflib import Graph

    return Graph().parse(data=shapes_text(), format="turtle")


def _sorted(out: list[Violation]) -> tuple[Violation, ...]:
    return tuple(sorted(out, key=lambda v: (v.focus, v.path, v.component, v.message)))


def engine_report(stream: Any) -> dict:
    """shacl-rust's report on N-Triples read from ``stream`` (a binary file object), against argmap's
    shapes, in the engine's interned index: the one call ``validate_ntriples`` and the benchmarks make."""
    import io

    import shacl_rust  # a compiled engine: imported only when validating

    return shacl_rust.validate_file(
        stream, io.BytesIO(shapes_text().encode("utf-8")), data_format="nt", shapes_format="turtle", experimental_index=True
    )


def validate_ntriples(data: str | bytes | Iterable[bytes]) -> ShaclReport:
    """Validate a graph given as N-Triples (text, bytes, or UTF-8 pieces read one after another, so the
    whole text need never be held) against argmap's shapes, in shacl-rust.

    The engine reads the data into its interned index (``experimental_index``): 3 times faster and a third
    of the memory of its default store at 10k claims, with the same results on the OPC debate and on every
    broken fixture (tests/test_engine_shacl.py).

    Examples
    --------
    >>> validate_ntriples('<https://e.org/d/> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/argmap/ns#Debate> .\\n').violations[0].path
    'https://schema.org/name'
    """
    import io

    if isinstance(data, str):
        data = data.encode("utf-8")
    stream = io.BytesIO(data) if isinstance(data, bytes) else _Stream(data)
    try:
        report = engine_report(stream)
    except ValueError as err:  # text argmap wrote: only a bug gets here
        raise ArgmapError(f"the graph could not be validated: {err}") from err
    out = []
    for r in report["results"]:
        messages = r.get("messages") or []
        path = r.get("resultPath") or ""
        out.append(
            Violation(
                focus=_plain(r["focusNode"]),
                path=_plain(path) if path.startswith("<") and path.endswith(">") else path,
                # the shape's own sh:message, when it has one, says what is allowed; else the engine's
                message=messages[-1] if messages else "",
                severity=_plain(r.get("severity", "")).rsplit("#", 1)[-1],
                component=_plain(r.get("sourceConstraintComponent", "")).rsplit("#", 1)[-1],
            )
        )
    return ShaclReport(conforms=bool(report["conforms"]), violations=_sorted(out))


class _Stream:
    """A binary file-like object reading byte ``pieces`` one after another (what the engine reads from)."""

    def __init__(self, pieces: Iterable[bytes]):
        self._pieces = iter(pieces)
        self._piece = b""
        self._pos = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        if size is None or size < 0:
            rest = b"".join([self._piece[self._pos :], *self._pieces])
            self._piece, self._pos = b"", 0
            return rest
        while self._pos >= len(self._piece):
            piece = next(self._pieces, None)
            if piece is None:
                return b""
            self._piece, self._pos = piece, 0
        out = self._piece[self._pos : self._pos + size]
        self._pos += len(out)
        return out


def _plain(term: str) -> str:
    return term[1:-1] if term.startswith("<") and term.endswith(">") else term


def validate_graph(graph: Graph, *, engine: str = "shacl-rust") -> ShaclReport:
    """Validate an rdflib ``graph`` against argmap's shapes, in shacl-rust (default) or pySHACL."""
    if engine == "shacl-rust":
        from argmap.graph.rdf import ntriples

        return validate_ntriples(ntriples(graph))
    if engine != "pyshacl":
        raise ArgmapError(f"unknown SHACL engine '{engine}' (expected one of: {', '.join(ENGINES)})")
    from pyshacl import validate  # heavy: imported only when validating
    from rdflib.namespace import SH

    conforms, report, _text = validate(graph, shacl_graph=shapes_graph(), inference="none", advanced=True)
    out = []
    for res in report.subjects(SH.resultSeverity, None):
        path = report.value(res, SH.resultPath)
        msg = report.value(res, SH.resultMessage)
        out.append(
            Violation(
                focus=str(report.value(res, SH.focusNode)),
                path=_path_text(report, path),
                message=str(msg) if msg is not None else "",
                severity=str(report.value(res, SH.resultSeverity)).rsplit("#", 1)[-1],
                component=str(report.value(res, SH.sourceConstraintComponent)).rsplit("#", 1)[-1],
            )
        )
    return ShaclReport(conforms=bool(conforms), violations=_sorted(out))


def _path_text(g, path) -> str:
    """A SHACL path of an rdflib report graph as shacl-rust writes it: an IRI plain, an inverse path as
    ``^<iri>``, a sequence as ``a/b``."""
    from rdflib import BNode
    from rdflib.collection import Collection
    from rdflib.namespace import SH

    if path is None:
        return ""
    if not isinstance(path, BNode):
        return str(path)

    def inner(p) -> str:
        return f"<{p}>" if not isinstance(p, BNode) else _path_text(g, p)

    inverse = g.value(path, SH.inversePath)
    if inverse is not None:
        return f"^{inner(inverse)}"
    return "/".join(inner(p) for p in Collection(g, path))


def locate(corpus: Corpus, iri: str) -> str:
    """The ``file:line`` of the corpus record a graph node stands for ("" for a node of no record).

    >>> from argmap.sources import load_corpus
    >>> c = load_corpus("tests/data/mini")
    >>> locate(c, c.base + "quote/save-lives#position")
    '...claims/gazette.yaml:1'
    """
    return _locator(corpus)(iri)


def _locator(corpus: Corpus):
    """A function from a node IRI to its record's ``file:line``, with the records indexed once."""
    base = corpus.base
    tables: dict[str, Sequence[Claim | Source | Speaker | Topic | Relation]] = {
        "claim": corpus.claims,
        "quote": corpus.claims,
        "source": corpus.sources,
        "speaker": corpus.speakers,
        "topic": corpus.topics,
        "relation": corpus.relations,
    }
    index = {(kind, r.id): str(r.loc or "") for kind, records in tables.items() for r in records}

    def where(iri: str) -> str:
        if iri == base or iri == f"{base}topics":
            return str(corpus.debate.loc or "")
        if not iri.startswith(base):
            return ""
        kind, _, rest = iri[len(base) :].partition("/")
        return index.get((kind, rest.split("/", 1)[0].split("#", 1)[0]), "")

    return where


def validate_corpus(corpus: Corpus, *, lines: list[str] | None = None) -> ShaclReport:
    """Validate the debate graph of ``corpus`` (its N-Triples ``lines`` when already made), every result
    carrying the ``file:line`` of the record it is about; the report counts the triples checked.

    Without ``lines``, the engine reads the triples as they are written out, a few thousand at a time, and
    each chunk is let go once written: the graph is never held as text, nor twice while the engine runs."""
    if lines is not None:
        count = len(lines)
        report = validate_ntriples(lines_chunks(lines))
    else:
        from argmap.graph.rdf import debate_rows

        rows = debate_rows(corpus)
        count = len(rows)
        report = validate_ntriples(_spent(rows))
    where = _locator(corpus)
    return ShaclReport(report.conforms, tuple(replace(v, where=where(v.focus)) for v in report.violations), count)


def lines_chunks(lines: list[str]) -> Iterator[bytes]:
    """N-Triples ``lines`` as UTF-8, a few thousand at a time."""
    for k in range(0, len(lines), 4096):
        yield "".join(lines[k : k + 4096]).encode("utf-8")


def _spent(rows: list[tuple[str, str, str]]) -> Iterator[bytes]:
    """``rows`` as N-Triples chunks, emptying the list as they go: the rows written are freed while the
    engine still reads."""
    from argmap.graph.rdf import row_chunks

    return row_chunks(rows, consume=True)
