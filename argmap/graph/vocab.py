"""The vocabularies argmap writes: our own small one (ARG), closed, and the standard ones it reuses.

``ARG`` is a closed namespace: a typo in a term name raises at once. Every term is described, with an
``rdfs:label`` and an ``rdfs:comment``, in ``ontology.ttl`` beside this module.
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, PROV, RDF, RDFS, SKOS, XSD, DefinedNamespace
from rdflib.namespace import Namespace as _NS

ARG_IRI = "https://w3id.org/argmap/ns#"
from argmap.sources.model import DEFAULT_BASE  # noqa: F401  (re-exported)


class ARG(DefinedNamespace):
    """argmap's own terms: what no standard vocabulary names."""

    _NS = _NS(ARG_IRI)
    _fail = True

    # classes
    Debate: URIRef
    Support: URIRef
    Attack: URIRef
    Undercut: URIRef
    Stance: URIRef
    ClaimKind: URIRef
    SourceKind: URIRef
    StudyDesign: URIRef
    GroundedLabel: URIRef
    # stances
    Pro: URIRef
    Con: URIRef
    Neutral: URIRef
    # claim kinds
    Statistic: URIRef
    Factual: URIRef
    Causal: URIRef
    Evaluative: URIRef
    Policy: URIRef
    # source kinds
    News: URIRef
    Blog: URIRef
    PeerReviewedStudy: URIRef
    Preprint: URIRef
    Report: URIRef
    CourtRuling: URIRef
    Legislation: URIRef
    OpEd: URIRef
    Advocacy: URIRef
    Letter: URIRef
    PressRelease: URIRef
    OtherKind: URIRef
    # study designs
    RandomisedTrial: URIRef
    DifferenceInDifferences: URIRef
    SyntheticControl: URIRef
    InterruptedTimeSeries: URIRef
    Cohort: URIRef
    BeforeAfter: URIRef
    CrossSectional: URIRef
    Modelling: URIRef
    Review: URIRef
    JudicialReasoning: URIRef
    Opinion: URIRef
    OtherDesign: URIRef
    # grounded labels
    In: URIRef
    Out: URIRef
    Undecided: URIRef
    # properties
    motion: URIRef
    stance: URIRef
    claimKind: URIRef
    sourceKind: URIRef
    studyDesign: URIRef
    supports: URIRef
    attacks: URIRef
    undercuts: URIRef
    rationale: URIRef
    standalone: URIRef
    figure: URIRef
    qualifier: URIRef
    excerptOnly: URIRef
    sourceFile: URIRef
    readIn: URIRef
    party: URIRef
    district: URIRef
    groundedLabel: URIRef
    groundedReason: URIRef
    strength: URIRef
    strengthConverged: URIRef
    pageRank: URIRef
    betweenness: URIRef
    community: URIRef
    evidenceLevel: URIRef


AIF = Namespace("http://www.arg.dundee.ac.uk/aif#")
SCHEMA = Namespace("https://schema.org/")
OA = Namespace("http://www.w3.org/ns/oa#")

PREFIXES = {
    "arg": ARG_IRI,
    "aif": str(AIF),
    "schema": str(SCHEMA),
    "oa": str(OA),
    "prov": str(PROV),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "foaf": str(FOAF),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
}

STANCE_TERMS = {"pro": ARG.Pro, "con": ARG.Con, "neutral": ARG.Neutral}
KIND_TERMS = {
    "statistic": ARG.Statistic,
    "factual": ARG.Factual,
    "causal": ARG.Causal,
    "evaluative": ARG.Evaluative,
    "policy": ARG.Policy,
}
SOURCE_KIND_TERMS = {
    "news": ARG.News,
    "blog": ARG.Blog,
    "study": ARG.PeerReviewedStudy,
    "preprint": ARG.Preprint,
    "report": ARG.Report,
    "court-ruling": ARG.CourtRuling,
    "legislation": ARG.Legislation,
    "op-ed": ARG.OpEd,
    "advocacy": ARG.Advocacy,
    "letter": ARG.Letter,
    "press-release": ARG.PressRelease,
    "other": ARG.OtherKind,
}
# the schema.org CreativeWork subclass each source kind is
SOURCE_CLASSES = {
    "news": SCHEMA.NewsArticle,
    "blog": SCHEMA.BlogPosting,
    "study": SCHEMA.ScholarlyArticle,
    "preprint": SCHEMA.ScholarlyArticle,
    "report": SCHEMA.Report,
    "court-ruling": SCHEMA.CreativeWork,
    "legislation": SCHEMA.Legislation,
    "op-ed": SCHEMA.OpinionNewsArticle,
    "advocacy": SCHEMA.Article,
    "letter": SCHEMA.Message,
    "press-release": SCHEMA.Article,
    "other": SCHEMA.CreativeWork,
}
DESIGN_TERMS = {
    "randomised-trial": ARG.RandomisedTrial,
    "difference-in-differences": ARG.DifferenceInDifferences,
    "synthetic-control": ARG.SyntheticControl,
    "interrupted-time-series": ARG.InterruptedTimeSeries,
    "cohort": ARG.Cohort,
    "before-after": ARG.BeforeAfter,
    "cross-sectional": ARG.CrossSectional,
    "modelling": ARG.Modelling,
    "review": ARG.Review,
    "court-ruling": ARG.JudicialReasoning,
    "opinion": ARG.Opinion,
    "other": ARG.OtherDesign,
}
RELATION_CLASSES = {"supports": ARG.Support, "attacks": ARG.Attack, "undercuts": ARG.Undercut}
RELATION_PROPS = {"supports": ARG.supports, "attacks": ARG.attacks, "undercuts": ARG.undercuts}
SPEAKER_CLASSES = {"person": SCHEMA.Person, "organization": SCHEMA.Organization, "group": FOAF.Group}
GROUNDED_TERMS = {"in": ARG.In, "out": ARG.Out, "undecided": ARG.Undecided}


def ontology_path() -> str:
    """Path of the ontology file describing every ARG term."""
    from importlib import resources

    return str(resources.files("argmap.graph") / "ontology.ttl")


class SD(DefinedNamespace):
    """W3C SPARQL 1.1 Service Description (https://www.w3.org/TR/sparql11-service-description/), the
    terms ``argmap serve`` describes itself with."""

    _NS = _NS("http://www.w3.org/ns/sparql-service-description#")
    _fail = True

    Service: URIRef
    Dataset: URIRef
    Graph: URIRef
    NamedGraph: URIRef
    endpoint: URIRef
    supportedLanguage: URIRef
    SPARQL11Query: URIRef
    resultFormat: URIRef
    feature: URIRef
    UnionDefaultGraph: URIRef
    defaultDataset: URIRef
    defaultGraph: URIRef
    namedGraph: URIRef
    name: URIRef


class FORMATS(DefinedNamespace):
    """W3C's IRIs for file formats (https://www.w3.org/ns/formats/)."""

    _NS = _NS("http://www.w3.org/ns/formats/")
    _fail = True
    _extras = ["N-Triples", "JSON-LD", "N-Quads"]  # not Python names: FORMATS["N-Triples"]

    SPARQL_Results_JSON: URIRef
    SPARQL_Results_XML: URIRef
    SPARQL_Results_CSV: URIRef
    SPARQL_Results_TSV: URIRef
    Turtle: URIRef
    RDF_XML: URIRef
    TriG: URIRef
