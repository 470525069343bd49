"""The debate model: plain, immutable records that the loader returns and everything else reads.

Every record keeps where it was written (``loc``: file and line), so later checks can point at it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

DEFAULT_BASE = "https://w3id.org/argmap/debate/"
STANCES = ("pro", "con", "neutral")
#: How every exporter names a stance in words (diagrams, Mermaid, the map): the side toward the motion.
STANCE_WORDS = {"pro": "FOR", "con": "AGAINST", "neutral": "CONTEXT"}
CLAIM_KINDS = ("statistic", "factual", "causal", "evaluative", "policy")
RELATION_TYPES = ("supports", "attacks", "undercuts")
SPEAKER_TYPES = ("person", "organization", "group")
SOURCE_KINDS = (
    "news",
    "blog",
    "study",
    "preprint",
    "report",
    "court-ruling",
    "legislation",
    "op-ed",
    "advocacy",
    "letter",
    "press-release",
    "other",
)
DESIGNS = (
    "randomised-trial",
    "difference-in-differences",
    "synthetic-control",
    "interrupted-time-series",
    "cohort",
    "before-after",
    "cross-sectional",
    "modelling",
    "review",
    "court-ruling",
    "opinion",
    "other",
)


@dataclass(frozen=True, slots=True)
class Loc:
    """Where a record was written: a path relative to the corpus folder, and a 1-based line."""

    path: str
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True, slots=True)
class Debate:
    id: str
    title: str
    motion: str
    description: str | None = None
    base: str | None = None
    loc: Loc | None = None


@dataclass(frozen=True, slots=True)
class Topic:
    id: str
    label: str
    definition: str
    alt_labels: tuple[str, ...] = ()
    broader: str | None = None
    loc: Loc | None = None


@dataclass(frozen=True, slots=True)
class Speaker:
    id: str
    name: str
    type: str
    role: str | None = None
    party: str | None = None
    district: str | None = None
    affiliation: str | None = None
    description: str | None = None
    loc: Loc | None = None


@dataclass(frozen=True, slots=True)
class Source:
    id: str
    title: str
    kind: str
    file: str
    text: str = field(repr=False, compare=False, default="")
    authors: tuple[str, ...] = ()
    publisher: str | None = None
    date: str | None = None
    url: str | None = None
    excerpt: bool = False
    citation: str | None = None
    doi: str | None = None
    design: str | None = None
    place: str | None = None
    period: str | None = None
    read_in: str | None = None
    note: str | None = None
    loc: Loc | None = None


@dataclass(frozen=True, slots=True)
class Figure:
    value: float | int
    unit: str
    qualifier: str | None = None
    period: str | None = None
    place: str | None = None


@dataclass(frozen=True, slots=True)
class Quote:
    """A located passage: ``exact`` as written in the source, at ``[start, end)`` code points."""

    exact: str
    start: int
    end: int
    prefix: str
    suffix: str


@dataclass(frozen=True, slots=True)
class Claim:
    id: str
    text: str
    quote: str
    source: str
    stance: str
    topics: tuple[str, ...]
    speaker: str
    kind: str
    figures: tuple[Figure, ...] = ()
    located: Quote | None = None
    note: str | None = None
    title: str | None = None
    standalone: str | None = None  # why the claim is, on purpose, related to no other claim
    loc: Loc | None = None

    @property
    def short_title(self) -> str:
        """The claim's own ``title`` when the corpus gives one, else its text shortened at a word boundary.

        >>> Claim("c1", "Overdose prevention centres save lives by reversing overdoses on site.", "q", "s",
        ...       "pro", (), "sp", "causal").short_title
        'Overdose prevention centres save lives by…'
        >>> Claim("c1", "t", "q", "s", "pro", (), "sp", "causal", title="OPCs save lives").short_title
        'OPCs save lives'
        """
        return self.title or shorten(self.text, TITLE_MAX)


TITLE_MAX = 50  # characters of a claim's short title: about two lines of a diagram box or a map label


def shorten(text: str, limit: int) -> str:
    """``text`` cut at the last word boundary within ``limit`` characters, with an ellipsis when cut.

    >>> shorten("a few unofficial facilities have operated", 20)
    'a few unofficial…'
    >>> shorten("short", 20)
    'short'
    """
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,;:.-–—") + "…"


@dataclass(frozen=True, slots=True)
class Relation:
    id: str
    source: str  # "from": a claim id
    target: str  # "to": a claim id, or a relation id for undercuts
    type: str
    rationale: str = ""
    loc: Loc | None = None


@dataclass(frozen=True)
class Corpus:
    """A whole debate, checked: every reference resolves and every quote is located."""

    root: str
    debate: Debate
    topics: tuple[Topic, ...]
    speakers: tuple[Speaker, ...]
    sources: tuple[Source, ...]
    claims: tuple[Claim, ...]
    relations: tuple[Relation, ...]

    @property
    def base(self) -> str:
        """The IRI base of this debate's nodes."""
        return self.debate.base or f"{DEFAULT_BASE}{self.debate.id}/"

    @cached_property
    def claims_by_id(self) -> dict[str, Claim]:
        return {c.id: c for c in self.claims}

    @cached_property
    def sources_by_id(self) -> dict[str, Source]:
        return {s.id: s for s in self.sources}

    @cached_property
    def speakers_by_id(self) -> dict[str, Speaker]:
        return {s.id: s for s in self.speakers}

    @cached_property
    def topics_by_id(self) -> dict[str, Topic]:
        return {t.id: t for t in self.topics}

    @cached_property
    def relations_by_id(self) -> dict[str, Relation]:
        return {r.id: r for r in self.relations}
