"""The vocabularies argmap writes: our own small one (ARG), closed, and the standard ones it reuses.

``ARG`` is a closed namespace: a typo in a term name raises at once. Every term is described, with an
``rdfs:label`` and an ``rdfs:comment``, in ``ontology.ttl`` beside this module.
"""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCTERMS, FOAF, PROV, RDF, RDFS, SKOS, XSD, DefinedNamespace
from rdflib.namespace import Namespace as _NS

ARG_IRI = "https://w3id.org/argmap/ns#"
from argmap.sources.model import DEFAULT_BASE  # noqa: F401  (re-exported)


class ARG(DefinedNamespace):
    """argmap's own terms: what no standard vocabulary names."""

    _NS = _NS(ARG_IRI)
    _fail = True

    # classes
    Debate: object
    Support: object
    Attack: object
    Undercut: object
    Stance: object
    ClaimKind: object
    SourceKind: object
    StudyDesign: object
    GroundedLabel: object
    # stances
    Pro: object
    Con: object
    Neutral: object
    # claim kinds
    Statistic: object
    Factual: object
    Causal: object
    Evaluative: object
    Policy: object
    # source kinds
    News: object
    Blog: object
    PeerReviewedStudy: object
    Preprint: object
    Report: object
    CourtRuling: object
    Legislation: object
    OpEd: object
    Advocacy: object
    Letter: object
    PressRelease: object
    OtherKind: object
    # study designs
    RandomisedTrial: object
    DifferenceInDifferences: object
    SyntheticControl: object
    InterruptedTimeSeries: object
    Cohort: object
    BeforeAfter: object
    CrossSectional: object
    Modelling: object
    Review: object
    JudicialReasoning: object
    Opinion: object
    OtherDesign: object
    # grounded labels
    In: object
    Out: object
    Undecided: object
    # properties
    motion: object
    stance: object
    claimKind: object
    sourceKind: object
    studyDesign: object
    supports: object
    attacks: object
    undercuts: object
    rationale: object
    standalone: object
    figure: object
    qualifier: object
    excerptOnly: object
    sourceFile: object
    readIn: object
    party: object
    district: object
    groundedLabel: object
    groundedReason: object
    strength: object
    strengthConverged: object
    pageRank: object
    betweenness: object
    community: object
    evidenceLevel: object


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

    Service: object
    Dataset: object
    Graph: object
    NamedGraph: object
    endpoint: object
    supportedLanguage: object
    SPARQL11Query: object
    resultFormat: object
    feature: object
    UnionDefaultGraph: object
    defaultDataset: object
    defaultGraph: object
    namedGraph: object
    name: object


class FORMATS(DefinedNamespace):
    """W3C's IRIs for file formats (https://www.w3.org/ns/formats/)."""

    _NS = _NS("http://www.w3.org/ns/formats/")
    _fail = True
    _extras = ["N-Triples", "JSON-LD", "N-Quads"]  # not Python names: FORMATS["N-Triples"]

    SPARQL_Results_JSON: object
    SPARQL_Results_XML: object
    SPARQL_Results_CSV: object
    SPARQL_Results_TSV: object
    Turtle: object
    RDF_XML: object
    TriG: object
