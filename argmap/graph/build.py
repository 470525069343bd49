"""From a checked corpus to an RDF graph.

The graph reuses standard vocabularies (schema.org, PROV-O, W3C Web Annotation, SKOS, Dublin Core, the AIF
ontology) and coins only what none names (see ``ontology.ttl``). It is deterministic: every node is an IRI
derived from a stable id (no blank nodes), so the same corpus gives byte-identical serialisations.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from decimal import Decimal

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, SKOS, XSD

from argmap.graph.vocab import (
    AIF,
    ARG,
    DESIGN_TERMS,
    KIND_TERMS,
    OA,
    PREFIXES,
    RELATION_CLASSES,
    RELATION_PROPS,
    SCHEMA,
    SOURCE_CLASSES,
    SOURCE_KIND_TERMS,
    SPEAKER_CLASSES,
    STANCE_TERMS,
)
from argmap.perf import paused_gc
from argmap.sources.evidence import source_level
from argmap.sources.model import Corpus

Triple = tuple[URIRef, URIRef, URIRef | Literal]


def slug(text: str) -> str:
    """A lower-case id made from a name.

    >>> slug("Dr. Dave A. Chokshi")
    'dr-dave-a-chokshi'
    """
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


class Iris:
    """The IRIs of one debate's nodes, all under one base."""

    def __init__(self, corpus: Corpus):
        base = corpus.base
        self.base = base
        self.debate = URIRef(base)
        self.topics = URIRef(f"{base}topics")

    def claim(self, cid: str) -> URIRef:
        return URIRef(f"{self.base}claim/{cid}")

    def source(self, sid: str) -> URIRef:
        return URIRef(f"{self.base}source/{sid}")

    def speaker(self, sid: str) -> URIRef:
        return URIRef(f"{self.base}speaker/{sid}")

    def topic(self, tid: str) -> URIRef:
        return URIRef(f"{self.base}topic/{tid}")

    def relation(self, rid: str) -> URIRef:
        return URIRef(f"{self.base}relation/{rid}")

    def quote(self, cid: str, part: str = "") -> URIRef:
        return URIRef(f"{self.base}quote/{cid}{part}")

    def figure(self, cid: str, n: int) -> URIRef:
        return URIRef(f"{self.base}claim/{cid}/figure/{n}")

    def agent(self, kind: str, name: str) -> URIRef:
        return URIRef(f"{self.base}{kind}/{slug(name)}")


def _date(value: str) -> Literal:
    dtype = {4: XSD.gYear, 7: XSD.gYearMonth, 10: XSD.date}[len(value)]
    return Literal(value, datatype=dtype)


def _number(value: float | int) -> Literal:
    if isinstance(value, int):
        return Literal(value)
    return Literal(Decimal(repr(value)))


def iter_triples(corpus: Corpus) -> Iterator[Triple]:
    """Every triple of the debate graph, in a fixed order."""
    iri = Iris(corpus)
    d = corpus.debate
    yield iri.debate, RDF.type, ARG.Debate
    yield iri.debate, SCHEMA.name, Literal(d.title)
    yield iri.debate, ARG.motion, Literal(d.motion)
    if d.description:
        yield iri.debate, SCHEMA.description, Literal(d.description)

    # topics: a SKOS concept scheme
    yield iri.topics, RDF.type, SKOS.ConceptScheme
    yield iri.topics, DCTERMS.title, Literal(f"Topics of the debate: {d.title}")
    yield iri.debate, DCTERMS.subject, iri.topics
    for t in corpus.topics:
        node = iri.topic(t.id)
        yield node, RDF.type, SKOS.Concept
        yield node, SKOS.inScheme, iri.topics
        yield node, SKOS.prefLabel, Literal(t.label, lang="en")
        yield node, SKOS.definition, Literal(t.definition, lang="en")
        yield node, SKOS.notation, Literal(t.id)
        for alt in t.alt_labels:
            yield node, SKOS.altLabel, Literal(alt, lang="en")
        if t.broader:
            yield node, SKOS.broader, iri.topic(t.broader)
        else:
            yield iri.topics, SKOS.hasTopConcept, node
            yield node, SKOS.topConceptOf, iri.topics

    # speakers
    by_name: dict[str, URIRef] = {}
    for s in corpus.speakers:
        node = iri.speaker(s.id)
        by_name.setdefault(s.name, node)
        yield node, RDF.type, SPEAKER_CLASSES[s.type]
        yield node, SCHEMA.name, Literal(s.name)
        yield node, SCHEMA.identifier, Literal(s.id)
        if s.role:
            yield node, SCHEMA.jobTitle, Literal(s.role)
        if s.party:
            yield node, ARG.party, Literal(s.party)
        if s.district:
            yield node, ARG.district, Literal(s.district)
        if s.affiliation:
            yield node, SCHEMA.affiliation, iri.speaker(s.affiliation)
        if s.description:
            yield node, SCHEMA.description, Literal(s.description)

    # sources
    extra_agents: dict[URIRef, tuple[URIRef, str]] = {}
    speaker_nodes = set(by_name.values())  # a set: testing a list for each author was sources x speakers
    for src in corpus.sources:
        node = iri.source(src.id)
        yield node, RDF.type, SOURCE_CLASSES[src.kind]
        yield node, RDF.type, SCHEMA.CreativeWork
        yield node, DCTERMS.title, Literal(src.title)
        yield node, DCTERMS.identifier, Literal(src.id)
        yield node, ARG.sourceKind, SOURCE_KIND_TERMS[src.kind]
        yield node, ARG.excerptOnly, Literal(src.excerpt)
        yield node, ARG.sourceFile, Literal(src.file)
        for name in src.authors:
            agent = by_name.get(name) or iri.agent("person", name)
            if agent not in speaker_nodes:
                extra_agents[agent] = (SCHEMA.Person, name)
            yield node, SCHEMA.author, agent
        if src.publisher:
            agent = by_name.get(src.publisher) or iri.agent("org", src.publisher)
            if agent not in speaker_nodes:
                extra_agents[agent] = (SCHEMA.Organization, src.publisher)
            yield node, SCHEMA.publisher, agent
        if src.date:
            yield node, SCHEMA.datePublished, _date(src.date)
        if src.url:
            yield node, SCHEMA.url, Literal(src.url, datatype=XSD.anyURI)
        if src.citation:
            yield node, DCTERMS.bibliographicCitation, Literal(src.citation)
        if src.doi:
            yield node, SCHEMA.sameAs, Literal(f"https://doi.org/{src.doi}", datatype=XSD.anyURI)
            yield node, DCTERMS.identifier, Literal(f"doi:{src.doi}")
        if src.design:
            yield node, ARG.studyDesign, DESIGN_TERMS[src.design]
        if src.place:
            yield node, DCTERMS.spatial, Literal(src.place)
        if src.period:
            yield node, DCTERMS.temporal, Literal(src.period)
        if src.read_in:
            yield node, ARG.readIn, Literal(src.read_in, datatype=XSD.anyURI)
        if src.note:
            yield node, SCHEMA.description, Literal(src.note)
    for agent in sorted(extra_agents):
        cls, name = extra_agents[agent]
        yield agent, RDF.type, cls
        yield agent, SCHEMA.name, Literal(name)

    # claims, each with the annotation anchoring it in its source. The terms are looked up once, not per
    # claim: a namespace makes a new term object at every attribute access, which cost a tenth of the time
    # of building a large graph, and a graph holding one shared object per term is smaller.
    a, text, ident, part_of = RDF.type, SCHEMA.text, SCHEMA.identifier, SCHEMA.isPartOf
    claim_cls, inode, claim_text = SCHEMA.Claim, AIF["I-node"], AIF.claimText
    stance, claim_kind, subject = ARG.stance, ARG.claimKind, DCTERMS.subject
    attributed, quoted_from = PROV.wasAttributedTo, PROV.wasQuotedFrom
    figure, quantity, value, unit = ARG.figure, SCHEMA.QuantitativeValue, SCHEMA.value, SCHEMA.unitText
    qualifier, temporal, spatial = ARG.qualifier, DCTERMS.temporal, DCTERMS.spatial
    annotation, motivated, linking, body, target_p = OA.Annotation, OA.motivatedBy, OA.linking, OA.hasBody, OA.hasTarget
    specific, has_source, selector = OA.SpecificResource, OA.hasSource, OA.hasSelector
    tqs_cls, exact, prefix, suffix = OA.TextQuoteSelector, OA.exact, OA.prefix, OA.suffix
    tps_cls, start, end = OA.TextPositionSelector, OA.start, OA.end
    evidence_level = ARG.evidenceLevel
    levels = {s.id: source_level(s.kind, s.design) for s in corpus.sources}
    for c in corpus.claims:
        node = iri.claim(c.id)
        source = iri.source(c.source)
        yield node, a, claim_cls
        yield node, a, inode
        yield node, ident, Literal(c.id)
        yield node, text, Literal(c.text)
        yield node, claim_text, Literal(c.text)
        if c.title:
            yield node, SCHEMA.name, Literal(c.title)
        if c.standalone:
            yield node, ARG.standalone, Literal(c.standalone)
        yield node, part_of, iri.debate
        yield node, stance, STANCE_TERMS[c.stance]
        yield node, claim_kind, KIND_TERMS[c.kind]
        for t in c.topics:
            yield node, subject, iri.topic(t)
        yield node, attributed, iri.speaker(c.speaker)
        yield node, quoted_from, source
        if levels.get(c.source) is not None:
            yield node, evidence_level, Literal(levels[c.source])
        for n, f in enumerate(c.figures, start=1):
            fig = iri.figure(c.id, n)
            yield node, figure, fig
            yield fig, a, quantity
            yield fig, value, _number(f.value)
            yield fig, unit, Literal(f.unit)
            if f.qualifier:
                yield fig, qualifier, Literal(f.qualifier)
            if f.period:
                yield fig, temporal, Literal(f.period)
            if f.place:
                yield fig, spatial, Literal(f.place)
        q = c.located
        assert q is not None
        ann, target = iri.quote(c.id), iri.quote(c.id, "#target")
        tqs, tps = iri.quote(c.id, "#quote"), iri.quote(c.id, "#position")
        yield ann, a, annotation
        yield ann, motivated, linking
        yield ann, body, node
        yield ann, target_p, target
        yield target, a, specific
        yield target, has_source, source
        yield target, selector, tqs
        yield target, selector, tps
        yield tqs, a, tqs_cls
        yield tqs, exact, Literal(q.exact)
        yield tqs, prefix, Literal(q.prefix)
        yield tqs, suffix, Literal(q.suffix)
        yield tps, a, tps_cls
        yield tps, start, Literal(q.start)
        yield tps, end, Literal(q.end)

    # relations: a direct edge for easy queries, and an AIF S-node carrying the rationale
    rationale, ra_node, ca_node = ARG.rationale, AIF["RA-node"], AIF["CA-node"]
    premise, conclusion, conflicting, conflicted = AIF.Premise, AIF.Conclusion, AIF.Conflicting, AIF.Conflicted
    for r in corpus.relations:
        node = iri.relation(r.id)
        src = iri.claim(r.source)
        dst = iri.relation(r.target) if r.type == "undercuts" else iri.claim(r.target)
        yield src, RELATION_PROPS[r.type], dst
        yield node, a, RELATION_CLASSES[r.type]
        yield node, ident, Literal(r.id)
        yield node, rationale, Literal(r.rationale)
        if r.type == "supports":
            yield node, a, ra_node
            yield node, premise, src
            yield node, conclusion, dst
        else:
            yield node, a, ca_node
            yield node, conflicting, src
            yield node, conflicted, dst


def new_graph() -> Graph:
    """An empty graph with argmap's prefixes bound."""
    g = Graph(bind_namespaces="none")
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    return g


def build_graph(corpus: Corpus) -> Graph:
    """The debate as an RDF graph.

    Examples
    --------
    >>> from argmap.sources import load_corpus
    >>> g = build_graph(load_corpus())
    >>> from argmap.graph.vocab import ARG
    >>> from rdflib.namespace import RDF
    >>> len(list(g.subjects(RDF.type, ARG.Debate)))
    1
    """
    g = new_graph()
    iri = Iris(corpus)
    g.bind("c", f"{iri.base}claim/")
    g.bind("src", f"{iri.base}source/")
    g.bind("topic", f"{iri.base}topic/")
    g.bind("spk", f"{iri.base}speaker/")
    with paused_gc():
        g.addN((s, p, o, g) for s, p, o in iter_triples(corpus))
    return g
