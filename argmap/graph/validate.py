"""Checking a debate graph against the SHACL shapes that say what a valid debate graph is."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

from rdflib import Graph


@dataclass(frozen=True)
class Violation:
    focus: str
    path: str
    message: str
    severity: str


@dataclass(frozen=True)
class ShaclReport:
    conforms: bool
    violations: tuple[Violation, ...]

    def to_json(self) -> dict:
        return {
            "conforms": self.conforms,
            "violations": [v.__dict__ for v in self.violations],
        }


def shapes_graph() -> Graph:
    """The SHACL shapes shipped with argmap."""
    g = Graph()
    g.parse(str(resources.files("argmap.graph") / "shapes.ttl"), format="turtle")
    return g


def validate_graph(graph: Graph) -> ShaclReport:
    """Validate ``graph`` against argmap's SHACL shapes (pySHACL, no inference)."""
    from pyshacl import validate  # heavy: imported only when validating
    from rdflib.namespace import SH

    conforms, report, _text = validate(graph, shacl_graph=shapes_graph(), inference="none", advanced=True)
    out = []
    for res in report.subjects(SH.resultSeverity, None):
        focus = report.value(res, SH.focusNode)
        path = report.value(res, SH.resultPath)
        msg = report.value(res, SH.resultMessage)
        sev = report.value(res, SH.resultSeverity)
        out.append(
            Violation(
                focus=str(focus),
                path=str(path) if path is not None else "",
                message=str(msg) if msg is not None else "",
                severity=str(sev).rsplit("#", 1)[-1],
            )
        )
    out.sort(key=lambda v: (v.focus, v.path, v.message))
    return ShaclReport(conforms=bool(conforms), violations=tuple(out))
