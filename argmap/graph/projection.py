"""From the debate to the networkx graphs that the analyses read.

The projection is built once: from the corpus model (:func:`project_corpus`, what argmap's commands use), or
from an RDF graph (:func:`project`), so that a graph loaded from a file, or one another tool wrote, can be
analysed the same way; both give the same :class:`Projection` for the same debate (a test). Analyses read only
the :class:`Projection`; none of them touches rdflib.

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

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from argmap.perf import paused_gc
from argmap.sources.model import RELATION_TYPES, Relation  # the one Relation (the corpus model's)

if TYPE_CHECKING:  # heavy imports stay lazy: ``argmap --help`` must stay instant
    from rdflib import Graph

    from argmap.sources.model import Corpus


@dataclass(frozen=True)
class Projection:
    """The debate as networkx graphs.

    Attributes
    ----------
    claims
        ``networkx.MultiDiGraph`` whose nodes are claim ids, with attributes ``stance`` (``pro``, ``con`` or
        ``neutral``), ``topics`` (list of topic ids), ``source`` and ``speaker`` (ids, or None), ``kind``,
        ``text`` and ``standalone`` (the corpus's reason for leaving the claim unrelated, or None). Edges go
        from the claim that gives a reason to the claim it bears on, keyed by relation id, with attributes
        ``type`` (``supports``, ``attacks`` or ``undercuts``) and ``rationale``; an undercut edge also has
        ``relation``, the id of the relation it undercuts, and goes to that relation's source.
    relations
        Every relation by id, undercuts included (in id order).
    topics
        Topic id to label, for every topic of the debate (in id order).
    source_info, speaker_info
        Source id to its attributes (``title``, ``kind``, ``design``, ``date`` when known); speaker id to
        its attributes (``name``), for the sources and speakers of the claims.
    sources
        ``networkx.Graph``, the claim–source bipartite graph (made on first use). Nodes are ``("claim", id)``
        (attribute ``bipartite=0``) and ``("source", id)`` (``bipartite=1``, with the source's attributes).
    speakers
        ``networkx.Graph``, the claim–speaker bipartite graph (made on first use), nodes ``("claim", id)`` and
        ``("speaker", id)`` (``bipartite=1``, with the speaker's attributes).
    """

    claims: Any
    relations: dict[str, Relation]
    topics: dict[str, str]
    source_info: dict[str, dict[str, Any]] = field(default_factory=dict)
    speaker_info: dict[str, dict[str, Any]] = field(default_factory=dict)
    _cache: dict = field(default_factory=dict, repr=False, compare=False)

    def claim_ids(self) -> list[str]:
        """Every claim id, sorted."""
        if "ids" not in self._cache:
            self._cache["ids"] = sorted(self.claims.nodes)
        return list(self._cache["ids"])

    @property
    def sources(self) -> Any:
        if "sources" not in self._cache:
            self._cache["sources"] = self._bipartite("source", self.source_info)
        return self._cache["sources"]

    @property
    def speakers(self) -> Any:
        if "speakers" not in self._cache:
            self._cache["speakers"] = self._bipartite("speaker", self.speaker_info)
        return self._cache["speakers"]

    def _bipartite(self, kind: str, info: Mapping[str, Mapping[str, Any]]) -> Any:
        import networkx as nx

        B: nx.Graph[tuple[str, str]] = nx.Graph()
        B.add_nodes_from((("claim", cid) for cid in self.claims), bipartite=0)
        B.add_nodes_from(((kind, k), {**info[k], "bipartite": 1}) for k in sorted(info))
        B.add_edges_from((("claim", cid), (kind, other)) for cid, other in self.claims.nodes(data=kind) if other is not None)
        return B


class _Reader:
    """Reads a graph one predicate at a time.

    For rdflib's in-memory store holding this graph alone, it reads the store's predicate-object-subject index
    directly: going through ``Graph.triples`` costs some 15 microseconds a triple in context bookkeeping, most
    of a large projection's time. Any other store is read through the public API.
    """

    def __init__(self, graph: Graph):
        self.graph = graph
        self.pos = _memory_index(graph)

    def pairs(self, p) -> Iterator[tuple]:
        """``(subject, object)`` of every triple with predicate ``p``."""
        if self.pos is None:
            for s, _, o in self.graph.triples((None, p, None)):
                yield s, o
            return
        for o, subjects in self.pos.get(p, {}).items():
            for s in subjects:
                yield s, o

    def groups(self, p) -> Iterator[tuple]:
        """``(object, subjects)`` for every object of predicate ``p``."""
        if self.pos is not None:
            yield from self.pos.get(p, {}).items()
            return
        by: dict = {}
        for s, _, o in self.graph.triples((None, p, None)):
            by.setdefault(o, []).append(s)
        yield from by.items()

    def subjects(self, p, o) -> Iterator:
        if self.pos is None:
            yield from self.graph.subjects(p, o)
            return
        yield from self.pos.get(p, {}).get(o, {})


def _memory_index(graph: Graph) -> dict | None:
    from rdflib.plugins.stores.memory import Memory

    store = graph.store
    if type(store) is not Memory:
        return None
    pos = getattr(store, "_Memory__pos", None)  # the index rdflib keeps as {predicate: {object: {subject: 1}}}
    if not isinstance(pos, dict) or len(store) != len(graph):  # the store holds other graphs too
        return None
    return pos


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

    r = _Reader(graph)
    each, groups = r.pairs, r.groups

    ids = {iri: _local(iri) for iri in r.subjects(RDF.type, SCHEMA.Claim)}
    attrs: dict[str, dict[str, Any]] = {
        cid: {"stance": None, "topics": [], "source": None, "speaker": None, "kind": None, "text": "", "standalone": None}
        for cid in ids.values()
    }

    def set_claim(p, key, convert):
        for o, subjects in groups(p):
            value = convert(o)  # once per object: most predicates here have few distinct objects
            for s in subjects:
                cid = ids.get(s)
                if cid is not None:
                    attrs[cid][key] = value

    stances, kinds = _inverse(STANCE_TERMS), _inverse(KIND_TERMS)
    set_claim(ARG.stance, "stance", stances.get)
    set_claim(ARG.claimKind, "kind", kinds.get)
    set_claim(SCHEMA.text, "text", str)
    set_claim(ARG.standalone, "standalone", str)
    set_claim(PROV.wasQuotedFrom, "source", _local)
    set_claim(PROV.wasAttributedTo, "speaker", _local)
    for o, subjects in groups(DCTERMS.subject):
        topic = _local(o)
        for s in subjects:
            cid = ids.get(s)
            if cid is not None:
                attrs[cid]["topics"].append(topic)
    for a in attrs.values():
        if len(a["topics"]) > 1:
            a["topics"].sort()

    topics: dict[str, str] = {}
    concepts = set(r.subjects(RDF.type, SKOS.Concept))
    for s, o in each(SKOS.prefLabel):
        if s in concepts:
            topics[_local(s)] = str(o)
    for a in attrs.values():
        for t in a["topics"]:
            topics.setdefault(t, t)

    # relations: the AIF nodes carry id, type and rationale; a direct edge with no node still counts
    rel_type: dict[object, str] = {}
    for rtype, cls in RELATION_CLASSES.items():
        for node in r.subjects(RDF.type, cls):
            rel_type[node] = rtype
    ends: dict[object, list] = {node: [None, None, ""] for node in rel_type}
    for p, slot in ((AIF.Premise, 0), (AIF.Conflicting, 0), (AIF.Conclusion, 1), (AIF.Conflicted, 1)):
        for o, subjects in groups(p):
            for node in subjects:
                if node in ends:
                    ends[node][slot] = o
    for node, o in each(ARG.rationale):
        if node in ends:
            ends[node][2] = str(o)
    relations: dict[str, Relation] = {}
    seen: set[tuple] = set()
    for node, rtype in rel_type.items():
        src, dst, why = ends[node]
        if src is None or dst is None:
            continue
        rel = Relation(_local(node), ids.get(src) or _local(src), ids.get(dst) or _local(dst), rtype, why)
        relations[rel.id] = rel
        seen.add((src, rtype, dst))
    for rtype, prop in RELATION_PROPS.items():
        for src, dst in each(prop):
            if (src, rtype, dst) not in seen:
                from_id, to_id = _local(src), _local(dst)
                rid = f"{from_id}--{rtype}--{to_id}"
                relations[rid] = Relation(rid, from_id, to_id, rtype, "")

    # sources and speakers of the claims
    source_attrs: dict[str, dict[str, Any]] = {a["source"]: {} for a in attrs.values() if a["source"]}
    speaker_attrs: dict[str, dict[str, Any]] = {a["speaker"]: {} for a in attrs.values() if a["speaker"]}
    src_iris = {o: _local(o) for o, _ in groups(PROV.wasQuotedFrom)}
    spk_iris = {o: _local(o) for o, _ in groups(PROV.wasAttributedTo)}
    source_kinds, designs = _inverse(SOURCE_KIND_TERMS), _inverse(DESIGN_TERMS)
    for p, key, convert in (
        (DCTERMS.title, "title", str),
        (ARG.sourceKind, "kind", source_kinds.get),
        (ARG.studyDesign, "design", designs.get),
        (SCHEMA.datePublished, "date", str),
    ):
        for s, o in each(p):
            sid = src_iris.get(s)
            if sid is not None:
                source_attrs[sid][key] = convert(o)
    for s, o in each(SCHEMA.name):
        sid = spk_iris.get(s)
        if sid is not None:
            speaker_attrs[sid]["name"] = str(o)

    return _assemble(attrs, relations.values(), topics, source_attrs, speaker_attrs)


def project_corpus(corpus: Corpus) -> Projection:
    """Project a corpus model straight onto the networkx graphs the analyses read: the same
    :class:`Projection` as ``project(build_graph(corpus))``, made without RDF (the model is the source of
    truth; :func:`project` is for a graph read from a file or written by another tool).

    Examples
    --------
    >>> from argmap.sources import load_corpus
    >>> P = project_corpus(load_corpus("tests/data/mini"))
    >>> P.claims.nodes["hurt-sales"]["stance"], P.claims.nodes["hurt-sales"]["topics"]
    ('con', ['business'])
    """
    with paused_gc():
        attrs: dict[str, dict[str, Any]] = {
            c.id: {
                "stance": c.stance,
                "topics": sorted(c.topics),
                "source": c.source,
                "speaker": c.speaker,
                "kind": c.kind,
                "text": c.text,
                "standalone": c.standalone,
            }
            for c in corpus.claims
        }
        topics = {t.id: t.label for t in corpus.topics}
        for a in attrs.values():
            for t in a["topics"]:
                topics.setdefault(t, t)
        relations = [Relation(r.id, r.source, r.target, r.type, r.rationale) for r in corpus.relations]
        used_sources = {c.source for c in corpus.claims}
        used_speakers = {c.speaker for c in corpus.claims}
        source_attrs: dict[str, dict[str, Any]] = {}
        for src in corpus.sources:
            if src.id in used_sources:
                info: dict[str, Any] = {"title": src.title, "kind": src.kind}
                if src.design:
                    info["design"] = src.design
                if src.date:
                    info["date"] = src.date
                source_attrs[src.id] = info
        speaker_attrs = {s.id: {"name": s.name} for s in corpus.speakers if s.id in used_speakers}
        return _assemble(attrs, relations, topics, source_attrs, speaker_attrs)


def _assemble(
    attrs: Mapping[str, dict[str, Any]],
    relations: Iterable[Relation],
    topics: Mapping[str, str],
    source_attrs: Mapping[str, Mapping[str, Any]],
    speaker_attrs: Mapping[str, Mapping[str, Any]],
) -> Projection:
    """Build the networkx graphs in a fixed order (sorted ids), so every analysis is deterministic."""
    import networkx as nx

    G: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    G.add_nodes_from((cid, attrs[cid]) for cid in sorted(attrs))
    rels = {r.id: r for r in sorted(relations, key=lambda r: r.id)}
    edges = []
    for r in rels.values():
        if r.type == "undercuts":
            target = rels.get(r.target)
            if target is not None and r.source in attrs and target.source in attrs:
                edges.append((r.source, target.source, r.id, {"type": r.type, "rationale": r.rationale, "relation": r.target}))
        elif r.source in attrs and r.target in attrs:
            edges.append((r.source, r.target, r.id, {"type": r.type, "rationale": r.rationale}))
    G.add_edges_from(edges)  # type: ignore[arg-type]  # types-networkx: a MultiGraph also takes (u, v, key, data)
    return Projection(
        claims=G,
        relations=rels,
        topics={t: topics[t] for t in sorted(topics)},
        source_info={k: dict(source_attrs[k]) for k in sorted(source_attrs)},
        speaker_info={k: dict(speaker_attrs[k]) for k in sorted(speaker_attrs)},
    )


def make_projection(
    claims: Iterable[str] | Mapping[str, Mapping[str, Any]],
    relations: Iterable[tuple[str, str, str] | tuple[str, str, str, str]] = (),
    *,
    topics: Mapping[str, str] | None = None,
    sources: Mapping[str, Mapping[str, Any]] | None = None,
) -> Projection:
    """A projection written by hand: for examples, tests and synthetic debates.

    Parameters
    ----------
    claims
        Claim ids, or a mapping from claim id to attributes (``stance``, ``topics``, ``source``, ``speaker``,
        ``kind``, ``text``, ``standalone``); missing attributes default to a neutral claim with no topic or source.
    relations
        ``(from, type, to)`` or ``(from, type, to, id)`` tuples; the default id is ``from--type--to``. For an
        undercut, ``to`` is a relation id.
    topics
        Topic id to label; by default, every topic the claims name, labelled by its id.
    sources
        Source id to attributes (``kind``, ``design``, ``title``, ``date``), for the sources the claims name;
        a source not given has none (so its claims have no evidence level).

    Examples
    --------
    >>> P = make_projection(["a", "b"], [("a", "attacks", "b")])
    >>> list(P.claims.edges(keys=True, data="type"))
    [('a', 'b', 'a--attacks--b', 'attacks')]
    """
    defaults: dict[str, Any] = {
        "stance": "neutral",
        "topics": [],
        "source": None,
        "speaker": None,
        "kind": None,
        "text": "",
        "standalone": None,
    }
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
    given = sources or {}
    source_attrs = {a["source"]: dict(given.get(a["source"], {})) for a in attrs.values() if a["source"]}
    speakers: dict[str, dict[str, Any]] = {a["speaker"]: {} for a in attrs.values() if a["speaker"]}
    return _assemble(attrs, rels, all_topics, source_attrs, speakers)
