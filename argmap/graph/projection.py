"""From the RDF debate graph to the networkx graphs that the analyses read.

The projection is built once, from the RDF graph (not from the corpus), so that a graph loaded from a file, or
one another tool wrote, can be analysed the same way. Analyses read only the :class:`Projection`; none of them
touches rdflib.

Ids are the last segment of a node's IRI (``<base>claim/save-lives`` is claim ``save-lives``), as the corpus
format promises.

Undercuts
---------
An undercut ``u`` of relation ``r`` (``a`` supports or attacks ``b``) attacks the *inference* from ``a`` to
``b``, not the claim ``a`` nor the claim ``b``. In :attr:`Projection.claims` it is drawn as an edge from ``u``
to ``a``, the claim whose inference it denies, with ``type="undercuts"`` and ``relation=r``; ``a`` itself stays
as acceptable as it was. How the Dung and gradual semantics treat it is documented in
:mod:`argmap.graph.analysis.dung` and :mod:`argmap.graph.analysis.gradual`.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Mapping

if TYPE_CHECKING:  # heavy imports stay lazy: ``argmap --help`` must stay instant
    import networkx as nx
    from rdflib import Graph

RELATION_TYPES = ("supports", "attacks", "undercuts")


@dataclass(frozen=True)
class Relation:
    """A relation between claims; for an undercut, ``target`` is the id of the relation it undercuts."""

    id: str
    source: str
    target: str
    type: str
    rationale: str = ""


@dataclass(frozen=True)
class Projection:
    """The debate as networkx graphs.

    Attributes
    ----------
    claims
        ``networkx.MultiDiGraph`` whose nodes are claim ids, with attributes ``stance`` (``pro``, ``con`` or
        ``neutral``), ``topics`` (list of topic ids), ``source`` and ``speaker`` (ids, or None), ``kind`` and
        ``text``. Edges go from the claim that gives a reason to the claim it bears on, keyed by relation id,
        with attributes ``type`` (``supports``, ``attacks`` or ``undercuts``) and ``rationale``; an undercut
        edge also has ``relation``, the id of the relation it undercuts, and goes to that relation's source.
    sources
        ``networkx.Graph``, the claim–source bipartite graph. Nodes are ``("claim", id)`` (attribute
        ``bipartite=0``) and ``("source", id)`` (``bipartite=1``, with ``title``, ``kind``, ``design``,
        ``date`` when known).
    speakers
        ``networkx.Graph``, the claim–speaker bipartite graph, nodes ``("claim", id)`` and ``("speaker", id)``
        (``bipartite=1``, with ``name`` when known).
    relations
        Every relation by id, undercuts included (in id order).
    topics
        Topic id to label, for every topic of the debate (in id order).
    """

    claims: Any
    sources: Any
    speakers: Any
    relations: dict[str, Relation]
    topics: dict[str, str]
    _cache: dict = field(default_factory=dict, repr=False, compare=False)

    def claim_ids(self) -> list[str]:
        """Every claim id, sorted."""
        return sorted(self.claims.nodes)


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause Python's cyclic garbage collector around allocation-heavy loops over a large graph.

    Each burst of allocations would otherwise start collections that rescan the whole heap (a large graph's
    millions of objects), which can triple the time of a pass; nothing made in these loops is cyclic garbage.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _local(iri: object) -> str:
    return str(iri).rsplit("/", 1)[-1]


def _inverse(terms: Mapping[str, object]) -> dict[object, str]:
    out: dict[object, str] = {}
    for name, term in terms.items():
        out.setdefault(term, name)
    return out


def project(graph: Graph) -> Projection:
    """Project an RDF debate graph onto networkx graphs of claims, sources and speakers.

    Reads one predicate at a time (``graph.triples((None, p, None))``), so a graph of 100,000 claims
    (about two million triples) projects in seconds.

    Parameters
    ----------
    graph : rdflib.Graph
        A debate graph as :func:`argmap.graph.build.build_graph` makes it.

    Returns
    -------
    Projection

    Examples
    --------
    >>> from argmap.sources import load_corpus
    >>> from argmap.graph.build import build_graph
    >>> P = project(build_graph(load_corpus("tests/data/mini")))
    >>> P.claims.nodes["hurt-sales"]["stance"], P.claims.nodes["hurt-sales"]["topics"]
    ('con', ['business'])
    >>> sorted((u, v, d["type"]) for u, v, d in P.claims.edges(data=True))[:2]
    [('cost-2m', 'cost-small', 'attacks'), ('cost-small', 'cost-2m', 'attacks')]
    """
    with paused_gc():
        return _project(graph)


def _project(graph: Graph) -> Projection:
    from rdflib.namespace import DCTERMS, PROV, RDF, SKOS

    from argmap.graph.vocab import (
        AIF,
        ARG,
        DESIGN_TERMS,
        KIND_TERMS,
        RELATION_CLASSES,
        RELATION_PROPS,
        SCHEMA,
        SOURCE_KIND_TERMS,
        STANCE_TERMS,
    )

    def each(p):
        return graph.triples((None, p, None))

    claim_iris = set(graph.subjects(RDF.type, SCHEMA.Claim))
    ids = {iri: _local(iri) for iri in claim_iris}
    attrs: dict[str, dict[str, Any]] = {
        cid: {"stance": None, "topics": [], "source": None, "speaker": None, "kind": None, "text": ""}
        for cid in ids.values()
    }

    def set_claim(p, key, convert):
        for s, _, o in each(p):
            cid = ids.get(s)
            if cid is not None:
                attrs[cid][key] = convert(o)

    stances, kinds = _inverse(STANCE_TERMS), _inverse(KIND_TERMS)
    set_claim(ARG.stance, "stance", stances.get)
    set_claim(ARG.claimKind, "kind", kinds.get)
    set_claim(SCHEMA.text, "text", str)
    set_claim(PROV.wasQuotedFrom, "source", _local)
    set_claim(PROV.wasAttributedTo, "speaker", _local)
    for s, _, o in each(DCTERMS.subject):
        cid = ids.get(s)
        if cid is not None:
            attrs[cid]["topics"].append(_local(o))
    for a in attrs.values():
        a["topics"].sort()

    topics: dict[str, str] = {}
    concepts = set(graph.subjects(RDF.type, SKOS.Concept))
    for s, _, o in each(SKOS.prefLabel):
        if s in concepts:
            topics[_local(s)] = str(o)
    for a in attrs.values():
        for t in a["topics"]:
            topics.setdefault(t, t)

    # relations: the AIF nodes carry id, type and rationale; a direct edge with no node still counts
    rel_type: dict[object, str] = {}
    for rtype, cls in RELATION_CLASSES.items():
        for s in graph.subjects(RDF.type, cls):
            rel_type[s] = rtype
    ends: dict[object, list] = {s: [None, None, ""] for s in rel_type}
    for p, slot in ((AIF.Premise, 0), (AIF.Conflicting, 0), (AIF.Conclusion, 1), (AIF.Conflicted, 1)):
        for s, _, o in each(p):
            if s in ends:
                ends[s][slot] = o
    for s, _, o in each(ARG.rationale):
        if s in ends:
            ends[s][2] = str(o)
    relations: dict[str, Relation] = {}
    seen: set[tuple[str, str, str]] = set()
    for node, rtype in rel_type.items():
        src, dst, why = ends[node]
        if src is None or dst is None:
            continue
        rel = Relation(_local(node), _local(src), _local(dst), rtype, why)
        relations[rel.id] = rel
        seen.add((rel.source, rtype, rel.target))
    for rtype, prop in RELATION_PROPS.items():
        for s, _, o in each(prop):
            key = (_local(s), rtype, _local(o))
            if key not in seen:
                rid = f"{key[0]}--{rtype}--{key[2]}"
                relations[rid] = Relation(rid, key[0], key[2], rtype, "")
                seen.add(key)

    # sources and speakers of the claims
    source_attrs: dict[str, dict[str, Any]] = {a["source"]: {} for a in attrs.values() if a["source"]}
    speaker_attrs: dict[str, dict[str, Any]] = {a["speaker"]: {} for a in attrs.values() if a["speaker"]}
    src_iris = {s: _local(s) for s in set(graph.objects(None, PROV.wasQuotedFrom))}
    spk_iris = {s: _local(s) for s in set(graph.objects(None, PROV.wasAttributedTo))}
    source_kinds, designs = _inverse(SOURCE_KIND_TERMS), _inverse(DESIGN_TERMS)
    for p, key, convert in (
        (DCTERMS.title, "title", str),
        (ARG.sourceKind, "kind", source_kinds.get),
        (ARG.studyDesign, "design", designs.get),
        (SCHEMA.datePublished, "date", str),
    ):
        for s, _, o in each(p):
            sid = src_iris.get(s)
            if sid is not None:
                source_attrs[sid][key] = convert(o)
    for s, _, o in each(SCHEMA.name):
        sid = spk_iris.get(s)
        if sid is not None:
            speaker_attrs[sid]["name"] = str(o)

    return _assemble(attrs, relations.values(), topics, source_attrs, speaker_attrs)


def _assemble(
    attrs: Mapping[str, Mapping[str, Any]],
    relations: Iterable[Relation],
    topics: Mapping[str, str],
    source_attrs: Mapping[str, Mapping[str, Any]],
    speaker_attrs: Mapping[str, Mapping[str, Any]],
) -> Projection:
    """Build the networkx graphs in a fixed order (sorted ids), so every analysis is deterministic."""
    import networkx as nx

    G = nx.MultiDiGraph()
    G.add_nodes_from((cid, dict(attrs[cid])) for cid in sorted(attrs))
    rels = {r.id: r for r in sorted(relations, key=lambda r: r.id)}
    for r in rels.values():
        if r.type == "undercuts":
            target = rels.get(r.target)
            if target is None or r.source not in G or target.source not in G:
                continue
            G.add_edge(r.source, target.source, key=r.id, type=r.type, rationale=r.rationale, relation=r.target)
        elif r.source in G and r.target in G:
            G.add_edge(r.source, r.target, key=r.id, type=r.type, rationale=r.rationale)

    S = nx.Graph()
    K = nx.Graph()
    S.add_nodes_from((("claim", cid) for cid in G), bipartite=0)
    K.add_nodes_from((("claim", cid) for cid in G), bipartite=0)
    S.add_nodes_from((("source", sid), {**source_attrs[sid], "bipartite": 1}) for sid in sorted(source_attrs))
    K.add_nodes_from((("speaker", sid), {**speaker_attrs[sid], "bipartite": 1}) for sid in sorted(speaker_attrs))
    for cid, a in G.nodes(data=True):
        if a.get("source"):
            S.add_edge(("claim", cid), ("source", a["source"]))
        if a.get("speaker"):
            K.add_edge(("claim", cid), ("speaker", a["speaker"]))
    return Projection(
        claims=G,
        sources=S,
        speakers=K,
        relations=rels,
        topics={t: topics[t] for t in sorted(topics)},
    )


def make_projection(
    claims: Iterable[str] | Mapping[str, Mapping[str, Any]],
    relations: Iterable[tuple[str, str, str] | tuple[str, str, str, str]] = (),
    *,
    topics: Mapping[str, str] | None = None,
) -> Projection:
    """A projection written by hand: for examples, tests and synthetic debates.

    Parameters
    ----------
    claims
        Claim ids, or a mapping from claim id to attributes (``stance``, ``topics``, ``source``, ``speaker``,
        ``kind``, ``text``); missing attributes default to a neutral claim with no topic or source.
    relations
        ``(from, type, to)`` or ``(from, type, to, id)`` tuples; the default id is ``from--type--to``. For an
        undercut, ``to`` is a relation id.
    topics
        Topic id to label; by default, every topic the claims name, labelled by its id.

    Examples
    --------
    >>> P = make_projection(["a", "b"], [("a", "attacks", "b")])
    >>> list(P.claims.edges(keys=True, data="type"))
    [('a', 'b', 'a--attacks--b', 'attacks')]
    """
    defaults = {"stance": "neutral", "topics": [], "source": None, "speaker": None, "kind": None, "text": ""}
    if isinstance(claims, Mapping):
        attrs = {cid: {**defaults, **dict(a)} for cid, a in claims.items()}
    else:
        attrs = {cid: dict(defaults) for cid in claims}
    for cid, a in attrs.items():
        a["topics"] = sorted(a["topics"])
        a["text"] = a["text"] or cid
    rels = []
    for rel in relations:
        src, rtype, dst = rel[0], rel[1], rel[2]
        if rtype not in RELATION_TYPES:
            from argmap.errors import AnalysisError

            raise AnalysisError(f"unknown relation type '{rtype}' (expected one of: {', '.join(RELATION_TYPES)})")
        rid = rel[3] if len(rel) > 3 else f"{src}--{rtype}--{dst}"
        rels.append(Relation(rid, src, dst, rtype))
    all_topics = dict(topics or {})
    for a in attrs.values():
        for t in a["topics"]:
            all_topics.setdefault(t, t)
    sources = {a["source"]: {} for a in attrs.values() if a["source"]}
    speakers = {a["speaker"]: {} for a in attrs.values() if a["speaker"]}
    return _assemble(attrs, rels, all_topics, sources, speakers)
