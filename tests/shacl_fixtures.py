"""Broken copies of a debate graph, one per kind of fault the SHACL shapes catch: the fixtures both SHACL
engines must agree on (tests/test_engine_shacl.py, benchmarks/shacl_engines.py)."""

from __future__ import annotations

import re

ARG = "https://w3id.org/argmap/ns#"
SCHEMA = "https://schema.org/"
OA = "http://www.w3.org/ns/oa#"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
XSD = "http://www.w3.org/2001/XMLSchema#"


def _subjects(lines: list[str], predicate: str, obj: str | None = None) -> list[str]:
    out = []
    for line in lines:
        s, p, rest = line.split(" ", 2)
        if p == predicate and (obj is None or rest.startswith(obj + " ")):
            out.append(s)
    return out


def _drop(lines: list[str], subject: str, predicate: str) -> list[str]:
    return [line for line in lines if not line.startswith(f"{subject} {predicate} ")]


def broken_copies(lines: list[str]) -> dict[str, str]:
    """Fault name -> N-Triples text of ``lines`` (a valid debate graph, sorted) with that fault."""
    claims = _subjects(lines, RDF_TYPE, f"<{SCHEMA}Claim>")
    statistic = _subjects(lines, f"<{ARG}claimKind>", f"<{ARG}Statistic>")[0]
    positions = _subjects(lines, RDF_TYPE, f"<{OA}TextPositionSelector>")
    targets = [
        t
        for t in _subjects(lines, f"<{OA}hasSelector>")
        if any(f"{t} <{OA}hasSelector> {p[: -len('#position>')]}#position> .\n" in lines for p in positions)
    ]
    figures = _subjects(lines, RDF_TYPE, f"<{SCHEMA}QuantitativeValue>")
    c0, c1, c2 = claims[0], claims[1], claims[2]
    out: dict[str, list[str]] = {}
    out["claim-without-stance"] = _drop(lines, c0, f"<{ARG}stance>")
    out["claim-with-two-stances"] = lines + [
        f"{c1} <{ARG}stance> <{ARG}Neutral> .\n",
        f"{c1} <{ARG}stance> <{ARG}Pro> .\n",
        f"{c1} <{ARG}stance> <{ARG}Con> .\n",
    ]
    out["unknown-stance"] = [re.sub(rf"^({re.escape(c2)} <{ARG}stance> )<[^>]+>", rf"\1<{ARG}Against>", line) for line in lines]
    out["statistic-without-figure"] = _drop(lines, statistic, f"<{ARG}figure>")
    out["empty-claim-text"] = [
        f'{c0} <{SCHEMA}text> "" .\n' if line.startswith(f"{c0} <{SCHEMA}text> ") else line for line in lines
    ]
    out["topic-not-a-concept"] = lines + [f"{c1} <http://purl.org/dc/terms/subject> <https://example.org/not-a-topic> .\n"]
    out["speaker-of-no-kind"] = lines + [f"{c2} <http://www.w3.org/ns/prov#wasAttributedTo> <https://example.org/nobody> .\n"]
    anchored = f"<{OA}hasBody> {c0} .\n"
    out["claim-without-annotation"] = [line for line in lines if not line.endswith(anchored)]
    pos = positions[0]
    out["position-start-after-end"] = [
        f'{pos} <{OA}start> "999999"^^<{XSD}integer> .\n' if line.startswith(f"{pos} <{OA}start> ") else line for line in lines
    ]
    target = targets[0]
    out["full-text-quote-without-position"] = [
        line for line in lines if not (line.startswith(f"{target} <{OA}hasSelector> ") and "#position>" in line)
    ]
    out["figure-value-not-a-number"] = [
        f'{figures[0]} <{SCHEMA}value> "many" .\n' if line.startswith(f"{figures[0]} <{SCHEMA}value> ") else line
        for line in lines
    ]
    return {name: "".join(sorted(set(ls))) for name, ls in out.items()}
