"""From a checked corpus to the debate's RDF triples.

The graph reuses standard vocabularies (schema.org, PROV-O, W3C Web Annotation, SKOS, Dublin Core, the AIF
ontology) and coins only what none names (see ``ontology.ttl``). It is deterministic: every node is an IRI
derived from a stable id (no blank nodes), so the same corpus gives byte-identical serialisations.

The corpus model is the one source of truth. :func:`ntriple_rows` writes its triples straight as N-Triples
text, which :mod:`argmap.graph.rdf` sorts, serialises and bulk-loads into an Oxigraph store: no rdflib object
is made on that path (an rdflib term costs microseconds, an rdflib graph about a kilobyte a triple).
:func:`build_graph` gives the same triples as an rdflib ``Graph``, on request, for interop.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from decimal import Decimal
from typing import TYPE_CHECKING

from argmap.errors import ExportError
from argmap.graph import vocab as V
from argmap.sources.evidence import source_level
from argmap.sources.model import Corpus

if TYPE_CHECKING:  # pragma: no cover
    from rdflib import Graph


def slug(text: str) -> str:
    """A lower-case id made from a name.

    >>> slug("Dr. Dave A. Chokshi")
    'dr-dave-a-chokshi'
    """
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


# ---------------------------------------------------------------- N-Triples terms, escaped in one place each

# What N-Triples forbids inside <...>: an IRI with any of these is refused, not written.
_BAD_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def nt_iri(text: str) -> str:
    """An IRI as an N-Triples term.

    >>> nt_iri("https://example.org/a")
    '<https://example.org/a>'
    >>> nt_iri("https://example.org/a b")
    Traceback (most recent call last):
    ...
    argmap.errors.ExportError: cannot write IRI 'https://example.org/a b': it holds a character IRIs do not allow (space, <, >, ", {, }, |, ^, `, \\)
    """
    if _BAD_IRI.search(text):
        raise ExportError(
            f"cannot write IRI '{text}': it holds a character IRIs do not allow (space, <, >, \", {{, }}, |, ^, `, \\)"
        )
    return f"<{text}>"


def nt_string(text: str) -> str:
    """A string literal as an N-Triples term, escaped as rdflib's N-Triples writer escapes it.

    >>> print(nt_string('say "hi"' + chr(10)))
    "say \\"hi\\"\\n"
    """
    return '"' + text.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"').replace("\r", "\\r") + '"'


def nt_lang(text: str, lang: str) -> str:
    return f"{nt_string(text)}@{lang}"


def nt_typed(lexical: str, datatype: str) -> str:
    """A typed literal; ``datatype`` is already an N-Triples IRI term."""
    return f"{nt_string(lexical)}^^{datatype}"


def _t(term: object) -> str:
    return f"<{term}>"


XSD_STRING_TYPES = {4: "gYear", 7: "gYearMonth", 10: "date"}
_XSD = "http://www.w3.org/2001/XMLSchema#"
T_INTEGER, T_DECIMAL, T_BOOLEAN, T_ANYURI = (f"<{_XSD}{n}>" for n in ("integer", "decimal", "boolean", "anyURI"))


def nt_integer(value: int) -> str:
    return f'"{int(value)}"^^{T_INTEGER}'


def nt_decimal(value: float | int | Decimal) -> str:
    """An ``xsd:decimal`` literal, never in exponent notation (``1e16`` is ``10000000000000000``)."""
    if not isinstance(value, Decimal):
        value = Decimal(repr(value))
    return f'"{format(value, "f")}"^^{T_DECIMAL}'


def _date(value: str) -> str:
    return nt_typed(value, f"<{_XSD}{XSD_STRING_TYPES[len(value)]}>")


def _number(value: float | int) -> str:
    if isinstance(value, bool) or not isinstance(value, int):
        return nt_decimal(value)
    return nt_integer(value)


class NtIris:
    """The IRIs of one debate's nodes, all under one base, as N-Triples terms (``<...>``)."""

    def __init__(self, corpus: Corpus | str):
        base = corpus if isinstance(corpus, str) else corpus.base
        nt_iri(base)  # checked once: every node's IRI is the base and ids that the loader checked
        self.base = base
        self.debate = f"<{base}>"
        self.topics = f"<{base}topics>"

    def claim(self, cid: str) -> str:
        return f"<{self.base}claim/{cid}>"

    def source(self, sid: str) -> str:
        return f"<{self.base}source/{sid}>"

    def speaker(self, sid: str) -> str:
        return f"<{self.base}speaker/{sid}>"

    def topic(self, tid: str) -> str:
        return f"<{self.base}topic/{tid}>"

    def relation(self, rid: str) -> str:
        return f"<{self.base}relation/{rid}>"

    def quote(self, cid: str, part: str = "") -> str:
        return f"<{self.base}quote/{cid}{part}>"

    def figure(self, cid: str, n: int) -> str:
        return f"<{self.base}claim/{cid}/figure/{n}>"

    def agent(self, kind: str, name: str) -> str:
        return f"<{self.base}{kind}/{slug(name)}>"


def ntriple_rows(corpus: Corpus) -> Iterator[tuple[str, str, str]]:
    """Every triple of the debate graph as N-Triples terms ``(subject, predicate, object)``, in a fixed order
    (repeats possible; :func:`argmap.graph.rdf.ntriple_lines` sorts them and drops repeats).

    >>> from argmap.sources import load_corpus
    >>> next(ntriple_rows(load_corpus("tests/data/mini")))[1:]
    ('<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>', '<https://w3id.org/argmap/ns#Debate>')
    """
    iri = NtIris(corpus)
    T = _terms()
    a = T["a"]
    d = corpus.debate
    yield iri.debate, a, T["Debate"]
    yield iri.debate, T["name"], nt_string(d.title)
    yield iri.debate, T["identifier"], nt_string(d.id)
    yield iri.debate, T["motion"], nt_string(d.motion)
    if d.description:
        yield iri.debate, T["description"], nt_string(d.description)

    # topics: a SKOS concept scheme
    yield iri.topics, a, T["ConceptScheme"]
    yield iri.topics, T["title"], nt_string(f"Topics of the debate: {d.title}")
    yield iri.debate, T["subject"], iri.topics
    for t in corpus.topics:
        node = iri.topic(t.id)
        yield node, a, T["Concept"]
        yield node, T["inScheme"], iri.topics
        yield node, T["prefLabel"], nt_lang(t.label, "en")
        yield node, T["definition"], nt_lang(t.definition, "en")
        yield node, T["notation"], nt_string(t.id)
        yield node, T["identifier"], nt_string(t.id)  # schema:identifier: the one id property of every node
        for alt in t.alt_labels:
            yield node, T["altLabel"], nt_lang(alt, "en")
        if t.broader:
            yield node, T["broader"], iri.topic(t.broader)
        else:
            yield iri.topics, T["hasTopConcept"], node
            yield node, T["topConceptOf"], iri.topics

    # speakers
    by_name: dict[str, str] = {}
    for s in corpus.speakers:
        node = iri.speaker(s.id)
        by_name.setdefault(s.name, node)
        yield node, a, T["speaker:" + s.type]
        yield node, T["name"], nt_string(s.name)
        yield node, T["identifier"], nt_string(s.id)
        if s.role:
            yield node, T["jobTitle"], nt_string(s.role)
        if s.party:
            yield node, T["party"], nt_string(s.party)
        if s.district:
            yield node, T["district"], nt_string(s.district)
        if s.affiliation:
            yield node, T["affiliation"], iri.speaker(s.affiliation)
        if s.description:
            yield node, T["description"], nt_string(s.description)

    # sources
    extra_agents: dict[str, tuple[str, str]] = {}
    speaker_nodes = set(by_name.values())  # a set: testing a list for each author was sources x speakers
    for src in corpus.sources:
        node = iri.source(src.id)
        yield node, a, T["source:" + src.kind]
        yield node, a, T["CreativeWork"]
        yield node, T["title"], nt_string(src.title)
        yield node, T["identifier"], nt_string(src.id)
        yield node, T["sourceKind"], T["kind:" + src.kind]
        yield node, T["excerptOnly"], T["true" if src.excerpt else "false"]
        yield node, T["sourceFile"], nt_string(src.file)
        for name in src.authors:
            agent = by_name.get(name) or iri.agent("person", name)
            if agent not in speaker_nodes:
                extra_agents[agent] = (T["Person"], name)
            yield node, T["author"], agent
        if src.publisher:
            agent = by_name.get(src.publisher) or iri.agent("org", src.publisher)
            if agent not in speaker_nodes:
                extra_agents[agent] = (T["Organization"], src.publisher)
            yield node, T["publisher"], agent
        if src.date:
            yield node, T["datePublished"], _date(src.date)
        if src.url:
            yield node, T["url"], nt_typed(src.url, T_ANYURI)
        if src.citation:
            yield node, T["bibliographicCitation"], nt_string(src.citation)
        if src.doi:
            yield node, T["sameAs"], nt_typed(f"https://doi.org/{src.doi}", T_ANYURI)
            yield node, T["dc-identifier"], nt_string(f"doi:{src.doi}")
        if src.design:
            yield node, T["studyDesign"], T["design:" + src.design]
        if src.place:
            yield node, T["spatial"], nt_string(src.place)
        if src.period:
            yield node, T["temporal"], nt_string(src.period)
        if src.read_in:
            yield node, T["readIn"], nt_typed(src.read_in, T_ANYURI)
        if src.note:
            yield node, T["description"], nt_string(src.note)
    for agent in sorted(extra_agents):
        cls, name = extra_agents[agent]
        yield agent, a, cls
        yield agent, T["name"], nt_string(name)

    # claims, each with the annotation anchoring it in its source
    excerpt = {src.id for src in corpus.sources if src.excerpt}
    text, ident, part_of = T["text"], T["identifier"], T["isPartOf"]
    claim_cls, inode, claim_text = T["Claim"], T["I-node"], T["claimText"]
    stance, claim_kind, subject = T["stance"], T["claimKind"], T["subject"]
    attributed, quoted_from = T["wasAttributedTo"], T["wasQuotedFrom"]
    figure, quantity, value, unit = T["figure"], T["QuantitativeValue"], T["value"], T["unitText"]
    qualifier, temporal, spatial = T["qualifier"], T["temporal"], T["spatial"]
    annotation, motivated, linking, body, target_p = T["Annotation"], T["motivatedBy"], T["linking"], T["hasBody"], T["hasTarget"]
    specific, has_source, selector = T["SpecificResource"], T["hasSource"], T["hasSelector"]
    tqs_cls, exact, prefix, suffix = T["TextQuoteSelector"], T["exact"], T["prefix"], T["suffix"]
    tps_cls, start, end = T["TextPositionSelector"], T["start"], T["end"]
    debate = iri.debate
    evidence_level = T["evidenceLevel"]
    levels = {s.id: source_level(s.kind, s.design) for s in corpus.sources}
    for c in corpus.claims:
        node = iri.claim(c.id)
        source = iri.source(c.source)
        claim_txt = nt_string(c.text)
        yield node, a, claim_cls
        yield node, a, inode
        yield node, ident, nt_string(c.id)
        yield node, text, claim_txt
        yield node, claim_text, claim_txt
        if c.title:
            yield node, T["name"], nt_string(c.title)
        if c.standalone:
            yield node, T["standalone"], nt_string(c.standalone)
        yield node, part_of, debate
        yield node, stance, T["stance:" + c.stance]
        yield node, claim_kind, T["claimkind:" + c.kind]
        for tid in c.topics:
            yield node, subject, iri.topic(tid)
        yield node, attributed, iri.speaker(c.speaker)
        yield node, quoted_from, source
        if (level := levels.get(c.source)) is not None:
            yield node, evidence_level, nt_integer(level)
        for n, f in enumerate(c.figures, start=1):
            fig = iri.figure(c.id, n)
            yield node, figure, fig
            yield fig, a, quantity
            yield fig, value, _number(f.value)
            yield fig, unit, nt_string(f.unit)
            if f.qualifier:
                yield fig, qualifier, nt_string(f.qualifier)
            if f.period:
                yield fig, temporal, nt_string(f.period)
            if f.place:
                yield fig, spatial, nt_string(f.place)
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
        yield tqs, a, tqs_cls
        yield tqs, exact, nt_string(q.exact)
        yield tqs, prefix, nt_string(q.prefix)
        yield tqs, suffix, nt_string(q.suffix)
        if c.source not in excerpt:
            # An excerpt's offsets count characters in argmap's excerpt file, not in the document
            # oa:hasSource names: only the quote selector, which anchors in either, is given for it.
            yield target, selector, tps
            yield tps, a, tps_cls
            yield tps, start, nt_integer(q.start)
            yield tps, end, nt_integer(q.end)

    # relations: a direct edge for easy queries, and an AIF S-node carrying the rationale
    rationale, ra_node, ca_node = T["rationale"], T["RA-node"], T["CA-node"]
    premise, conclusion, conflicting, conflicted = T["Premise"], T["Conclusion"], T["Conflicting"], T["Conflicted"]
    for r in corpus.relations:
        node = iri.relation(r.id)
        from_node = iri.claim(r.source)
        dst = iri.relation(r.target) if r.type == "undercuts" else iri.claim(r.target)
        yield from_node, T["prop:" + r.type], dst
        yield node, a, T["class:" + r.type]
        yield node, ident, nt_string(r.id)
        yield node, rationale, nt_string(r.rationale)
        if r.type == "supports":
            yield node, a, ra_node
            yield node, premise, from_node
            yield node, conclusion, dst
        else:
            yield node, a, ca_node
            yield node, conflicting, from_node
            yield node, conflicted, dst


class Iris:
    """The IRIs of one debate's nodes as rdflib terms (for code that works on an rdflib graph).

    >>> Iris("https://e.org/d/").claim("c1")
    rdflib.term.URIRef('https://e.org/d/claim/c1')
    """

    def __init__(self, corpus: Corpus | str):
        self._nt = NtIris(corpus)
        self.base = self._nt.base

    def __getattr__(self, name: str):
        from rdflib import URIRef

        made = getattr(self._nt, name)
        if isinstance(made, str):
            return URIRef(made[1:-1])
        return lambda *args: URIRef(made(*args)[1:-1])


_TERMS: dict[str, str] = {}


def _terms() -> dict[str, str]:
    """Every vocabulary term :func:`ntriple_rows` writes, as an N-Triples IRI term, made once."""
    if _TERMS:
        return _TERMS
    from rdflib.namespace import DCTERMS, PROV, RDF, SKOS

    from argmap.graph.vocab import AIF, ARG, OA, SCHEMA

    out = {"a": _t(RDF.type), "true": f'"true"^^{T_BOOLEAN}', "false": f'"false"^^{T_BOOLEAN}'}
    for ns, names in (
        (
            ARG,
            "Debate motion party district sourceKind excerptOnly sourceFile studyDesign readIn stance claimKind figure qualifier rationale standalone evidenceLevel",
        ),
        (
            SCHEMA,
            "name description identifier jobTitle affiliation CreativeWork Person Organization author publisher datePublished url sameAs text isPartOf Claim QuantitativeValue value unitText",
        ),
        (SKOS, "ConceptScheme Concept inScheme prefLabel definition notation altLabel broader hasTopConcept topConceptOf"),
        (DCTERMS, "title subject bibliographicCitation spatial temporal"),
        (PROV, "wasAttributedTo wasQuotedFrom"),
        (
            OA,
            "Annotation motivatedBy linking hasBody hasTarget SpecificResource hasSource hasSelector TextQuoteSelector exact prefix suffix TextPositionSelector start end",
        ),
        (AIF, "I-node claimText RA-node CA-node Premise Conclusion Conflicting Conflicted"),
    ):
        for name in names.split():
            out.setdefault(name, _t(ns[name]))
    out["dc-identifier"] = _t(DCTERMS.identifier)
    for prefix, table in (
        ("speaker:", V.SPEAKER_CLASSES),
        ("source:", V.SOURCE_CLASSES),
        ("kind:", V.SOURCE_KIND_TERMS),
        ("design:", V.DESIGN_TERMS),
        ("stance:", V.STANCE_TERMS),
        ("claimkind:", V.KIND_TERMS),
        ("prop:", V.RELATION_PROPS),
        ("class:", V.RELATION_CLASSES),
    ):
        for key, term in table.items():
            out[prefix + key] = _t(term)
    _TERMS.update(out)
    return _TERMS


def ntriple_lines(corpus: Corpus) -> Iterator[str]:
    """The debate's triples as N-Triples lines (``"<s> <p> o .\\n"``), unsorted, repeats possible."""
    for s, p, o in ntriple_rows(corpus):
        yield f"{s} {p} {o} .\n"


def bind_prefixes(graph: Graph, base: str) -> Graph:
    """Bind argmap's prefixes, and those of the debate's own node IRIs, on ``graph``."""
    for prefix, ns in prefixes(base).items():
        graph.bind(prefix, ns, override=True, replace=True)
    return graph


def prefixes(base: str) -> dict[str, str]:
    """Prefix -> namespace for every serialisation of the debate at ``base``: argmap's vocabularies, then
    ``c:``, ``src:``, ``topic:`` and ``spk:`` for its claims, sources, topics and speakers."""
    return {
        **V.PREFIXES,
        "c": f"{base}claim/",
        "src": f"{base}source/",
        "topic": f"{base}topic/",
        "spk": f"{base}speaker/",
    }


def new_graph() -> Graph:
    """An empty rdflib graph with argmap's prefixes bound."""
    from rdflib import Graph

    g = Graph(bind_namespaces="none")
    for prefix, ns in V.PREFIXES.items():
        g.bind(prefix, ns)
    return g


def build_graph(corpus: Corpus) -> Graph:
    """The debate as an rdflib graph: for interop (notebooks, rdflib plugins, SPARQLStore), not a step of
    argmap's own commands, which go from the model to text or to an Oxigraph store directly.

    Examples
    --------
    >>> from argmap.sources import load_corpus
    >>> g = build_graph(load_corpus())
    >>> from argmap.graph.vocab import ARG
    >>> from rdflib.namespace import RDF
    >>> len(list(g.subjects(RDF.type, ARG.Debate)))
    1
    """
    from argmap.graph.rdf import graph_of_lines

    return graph_of_lines(ntriple_lines(corpus), base=corpus.base)
