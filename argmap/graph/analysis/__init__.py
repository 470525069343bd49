"""Argument analysis on the projected debate graph, registered by name.

Every analysis is a plain function ``fn(P, *, ...)`` of a :class:`~argmap.graph.projection.Projection`
returning one JSON-ready shape; :data:`ANALYSES` maps each name to its function, and :func:`run_analyses` runs
several with options from a configuration mapping (analysis name to keyword options).

:func:`claim_metrics` gathers the per-claim results (grounded label and reason, strength, PageRank,
betweenness, community) that the map and the exports show, and :func:`analysis_triples` writes them as RDF.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from argmap.errors import AnalysisError, UnknownAnalysis
from argmap.graph.analysis.analyses import (
    PREFERENCES,
    balance,
    centrality,
    communities,
    contested,
    corroboration,
    evidence,
    grounded,
    preferred,
    strength,
    unanswered,
    unconnected,
)

if TYPE_CHECKING:
    from argmap.graph.projection import Projection
    from argmap.sources.model import Corpus

ANALYSES: dict[str, Callable[..., Any]] = {
    "centrality": centrality,
    "contested": contested,
    "unanswered": unanswered,
    "balance": balance,
    "corroboration": corroboration,
    "evidence": evidence,
    "grounded": grounded,
    "preferred": preferred,
    "strength": strength,
    "communities": communities,
    "unconnected": unconnected,
}

__all__ = [
    "ANALYSES",
    "PREFERENCES",
    "analysis_triples",
    "check_config",
    "claim_metrics",
    "metrics_for_corpus",
    "run_analyses",
]

#: keyword options an analysis takes from the entry point, not from its own configuration section: the
#: preference mode, and ``order``, the ``evidence`` section of the configuration
SHARED_OPTIONS = ("preferences", "order")


def _options(name: str) -> list[str]:
    """The options analysis ``name`` accepts in its configuration section."""
    return [p for p in list(inspect.signature(ANALYSES[name]).parameters)[1:] if p not in SHARED_OPTIONS]


def _call(name: str, P: Projection, options: Mapping[str, Any], preferences: str) -> Any:
    """Run analysis ``name`` with its options, the preference mode and the evidence order where it takes them."""
    params = inspect.signature(ANALYSES[name]).parameters
    shared: dict[str, Any] = {}
    if "preferences" in params:
        shared["preferences"] = preferences
    if "order" in params:
        shared["order"] = options.get("evidence") or None
    return ANALYSES[name](P, **options.get(name, {}), **shared)


def check_config(config: Mapping[str, Any] | None) -> dict[str, dict[str, Any]]:
    """Check a configuration: analysis names to mappings of keyword options each analysis accepts.

    Examples
    --------
    >>> check_config({"strength": {"base": 0.4}})
    {'strength': {'base': 0.4}}
    >>> check_config({"strength": {"bse": 0.4}})
    Traceback (most recent call last):
    ...
    argmap.errors.AnalysisError: unknown option 'bse' for analysis 'strength' (expected one of: base, by_stance, ...
    """
    if config is None:
        return {}
    if not isinstance(config, Mapping):
        raise AnalysisError("the analysis configuration must map analysis names to options")
    out: dict[str, dict[str, Any]] = {}
    for name, options in config.items():
        if name not in ANALYSES:
            raise AnalysisError(f"unknown analysis '{name}' in the configuration (expected one of: {', '.join(ANALYSES)})")
        if not isinstance(options, Mapping):
            raise AnalysisError(f"the options of analysis '{name}' must be a mapping of option names to values")
        allowed = _options(name)
        for key in options:
            if key not in allowed:
                raise AnalysisError(
                    f"unknown option '{key}' for analysis '{name}' (expected one of: {', '.join(allowed) or 'none'})"
                )
        out[name] = dict(options)
    if "evidence" in out:  # the levels are checked now, not when the first analysis uses them
        from argmap.sources.evidence import EvidenceOrder

        EvidenceOrder.from_config(out["evidence"])
    return out


def run_analyses(
    P: Projection,
    names: list[str] | tuple[str, ...] | None = None,
    *,
    config: Mapping[str, Any] | None = None,
    preferences: str = "evidence",
) -> dict[str, Any]:
    """Run the named analyses (all, in registry order, when ``names`` is None); results keyed by name.

    ``preferences`` is ``"evidence"`` (the default: attacks defeat only claims of no higher evidence level,
    base scores follow the levels) or ``"none"`` (plain Dung, every base score 0.5 unless configured). The
    ``evidence`` section of ``config`` sets the order of levels for every analysis that uses it.

    Examples
    --------
    >>> from argmap.graph.analysis.analyses import tiny
    >>> r = run_analyses(tiny(), ["unanswered", "grounded"])
    >>> list(r), r["unanswered"]["pro"]
    (['unanswered', 'grounded'], ['p1', 'p3'])
    >>> run_analyses(tiny(), ["fame"])
    Traceback (most recent call last):
    ...
    argmap.errors.UnknownAnalysis: unknown analysis 'fame' (expected one of: centrality, contested, ...
    """
    options = check_config(config)
    if preferences not in PREFERENCES:
        raise AnalysisError(f"unknown preferences '{preferences}' (expected one of: {', '.join(PREFERENCES)})")
    chosen = list(ANALYSES) if names is None else list(names)
    for name in chosen:
        if name not in ANALYSES:
            raise UnknownAnalysis(f"unknown analysis '{name}' (expected one of: {', '.join(ANALYSES)})")
    return {name: _call(name, P, options, preferences) for name in chosen}


def claim_metrics(
    P: Projection, *, config: Mapping[str, Any] | None = None, preferences: str = "evidence"
) -> dict[str, dict[str, Any]]:
    """Per claim: evidence level, grounded label and reason, the attacks that did not defeat it, DF-QuAD
    strength (and whether it settled), PageRank, betweenness and community number.

    Options for ``evidence``, ``strength``, ``centrality`` and ``communities`` are taken from ``config`` and
    ``preferences`` is used as in :func:`run_analyses`.

    Returns
    -------
    dict
        ``{id: {"evidence_level": int | None, "evidence": str | None, "grounded", "grounded_reason",
        "not_defeated_by": [{"claim", "relation", "attacker_level", "level", "why"}], "strength",
        "strength_converged": bool, "pagerank", "betweenness", "community"}}``

    Examples
    --------
    >>> from argmap.graph.analysis.analyses import tiny
    >>> m = claim_metrics(tiny())
    >>> m["c1"]["grounded"], m["c1"]["grounded_reason"], m["c1"]["strength"], m["c1"]["community"]
    ('out', 'attacked by accepted claim p3', 0.25, 0)
    """
    from argmap.graph.analysis.analyses import _r, centrality_values, community_sets

    options = check_config(config)
    ev = _call("evidence", P, options, preferences)["claims"]
    ground = _call("grounded", P, options, preferences)
    strong = _call("strength", P, options, preferences)["claims"]
    cent_opts = {k: v for k, v in options.get("centrality", {}).items() if k in ("max_work", "seed")}
    cent = centrality_values(P, **cent_opts)
    comm_opts = {k: v for k, v in options.get("communities", {}).items() if k in ("seed", "resolution", "fast_above")}
    community = {c: n for n, members in enumerate(community_sets(P, **comm_opts)) for c in members}
    return {
        cid: {
            "evidence_level": ev[cid]["level"],
            "evidence": ev[cid]["basis"],
            "grounded": ground[cid]["label"],
            "grounded_reason": ground[cid]["reason"],
            "not_defeated_by": ground[cid]["not_defeated_by"],
            "strength": strong[cid]["strength"],
            "strength_converged": strong[cid]["converged"],
            "pagerank": _r(cent[cid][0]),
            "betweenness": _r(cent[cid][1]),
            "community": community[cid],
        }
        for cid in P.claim_ids()
    }


def analysis_triples(
    P: Projection, base: str, *, config: Mapping[str, Any] | None = None, preferences: str = "evidence"
) -> Iterator[tuple]:
    """The per-claim results of :func:`claim_metrics` as RDF triples about ``<base>claim/<id>``, in id order.

    Terms: ``arg:groundedLabel`` (``arg:In``, ``arg:Out``, ``arg:Undecided``), ``arg:groundedReason``,
    ``arg:strength``, ``arg:pageRank`` and ``arg:betweenness`` (``xsd:decimal`` with six decimals),
    ``arg:strengthConverged`` (``xsd:boolean``) and ``arg:community`` (``xsd:integer``).

    Examples
    --------
    >>> from argmap.graph.analysis.analyses import tiny
    >>> t = list(analysis_triples(tiny(), "https://example.org/d/"))
    >>> t[0][0], t[0][2]
    (rdflib.term.URIRef('https://example.org/d/claim/c1'), rdflib.term.URIRef('https://w3id.org/argmap/ns#Out'))
    >>> t[2][2]
    rdflib.term.Literal('0.250000', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#decimal'))
    """
    from decimal import Decimal

    from rdflib import Literal, Namespace

    from argmap.graph.vocab import ARG, GROUNDED_TERMS

    claim = Namespace(f"{base}claim/")

    def dec(x: float) -> Literal:
        return Literal(Decimal(f"{x:.6f}"))

    for cid, m in claim_metrics(P, config=config, preferences=preferences).items():
        node = claim[cid]
        yield node, ARG.groundedLabel, GROUNDED_TERMS[m["grounded"]]
        yield node, ARG.groundedReason, Literal(m["grounded_reason"])
        yield node, ARG.strength, dec(m["strength"])
        yield node, ARG.strengthConverged, Literal(bool(m["strength_converged"]))
        yield node, ARG.pageRank, dec(m["pagerank"])
        yield node, ARG.betweenness, dec(m["betweenness"])
        yield node, ARG.community, Literal(m["community"])


def metrics_for_corpus(
    corpus: Corpus, *, config: Mapping[str, Any] | None = None, preferences: str = "evidence"
) -> dict[str, dict[str, Any]]:
    """:func:`claim_metrics` of a corpus, on the projection made from the corpus model (no RDF graph on the
    way: the rdflib graph of a 1M-claim debate does not fit in 24 GB).

    Examples
    --------
    >>> from argmap.sources import load_corpus
    >>> metrics_for_corpus(load_corpus("tests/data/mini"))["hurt-sales"]["grounded"]
    'out'
    """
    from argmap.graph.projection import project_corpus

    return claim_metrics(project_corpus(corpus), config=config, preferences=preferences)
