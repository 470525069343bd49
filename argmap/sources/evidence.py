"""Evidence levels: how strongly a claim's source can bear a finding, as one integer (higher = stronger).

A claim's level comes from its source: the source's study design when the source is research (a study, a
preprint or a report) and its design is ranked, otherwise the source's kind. argmap's default order, strongest
first, with the reasons for it (docs/analysis.md says the same):

====  ===============================================  =========================================================
level what                                             why
====  ===============================================  =========================================================
8     review                                           weighs many studies at once, so one study's flaw or
                                                       chance result counts for less
7     randomised trial                                 chance alone decides who is exposed, so the groups
                                                       differ only by the intervention
6     difference-in-differences, synthetic control,    quasi-experiments: a comparison group or a pre-trend
      interrupted time series                          stands in for the counterfactual
5     cohort, before-after                             follows people or places over time, but without a
                                                       comparison that rules out other changes
4     cross-sectional, modelling; a study or preprint  one snapshot, or estimates that rest on assumptions;
      whose design is not recorded                     research, but of unknown or weak design
3     report (official), court ruling, legislation     accountable institutions, but their findings are not
                                                       designed tests of the question
2     news                                             reporting, edited and attributable, seldom first-hand
                                                       evidence
1     op-ed, blog, advocacy, press release, letter,    argument and assertion, written to persuade
      other
====  ===============================================  =========================================================

News or other non-research sources that report a study's design (a news story about a difference-in-differences
study) keep their kind's level: they are secondhand. The order is configurable (:class:`EvidenceOrder`); in the
analysis configuration file it is the ``evidence`` section, e.g. ``evidence: {by_kind: {news: 3},
by_design: {modelling: 3}, by_claim: {some-claim: 6}}``.

This module is pure: it reads source kinds and designs and returns integers and words.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from argmap.errors import AnalysisError
from argmap.sources.model import DESIGNS, SOURCE_KINDS

#: source kinds whose study design, when ranked, decides their level
RESEARCH_KINDS = ("study", "preprint", "report")

DEFAULT_BY_DESIGN: dict[str, int] = {
    "review": 8,
    "randomised-trial": 7,
    "difference-in-differences": 6,
    "synthetic-control": 6,
    "interrupted-time-series": 6,
    "cohort": 5,
    "before-after": 5,
    "cross-sectional": 4,
    "modelling": 4,
}

DEFAULT_BY_KIND: dict[str, int] = {
    "study": 4,
    "preprint": 4,
    "report": 3,
    "court-ruling": 3,
    "legislation": 3,
    "news": 2,
    "op-ed": 1,
    "blog": 1,
    "advocacy": 1,
    "press-release": 1,
    "letter": 1,
    "other": 1,
}

#: how a reason names a level of the default order
LEVEL_WORDS: dict[int, str] = {
    8: "review",
    7: "randomised trial",
    6: "quasi-experimental study",
    5: "cohort or before-after study",
    4: "study of weak or unrecorded design",
    3: "official report, court ruling or legislation",
    2: "news report",
    1: "opinion or advocacy",
}

KIND_WORDS: dict[str, str] = {
    "study": "study",
    "preprint": "preprint",
    "report": "report",
    "court-ruling": "court ruling",
    "legislation": "law",
    "news": "news report",
    "op-ed": "op-ed",
    "blog": "blog post",
    "advocacy": "advocacy piece",
    "press-release": "press release",
    "letter": "letter",
    "other": "source of another kind",
}


@dataclass(frozen=True)
class EvidenceOrder:
    """An order of evidence: levels per design (for research kinds), per source kind, and per claim.

    Examples
    --------
    >>> order = EvidenceOrder()
    >>> order.level("study", "difference-in-differences"), order.level("op-ed", "opinion"), order.level("news", "cohort")
    (6, 1, 2)
    >>> order.basis("study", "difference-in-differences")
    'study (difference-in-differences)'
    >>> EvidenceOrder.from_config({"by_kind": {"news": 3}}).level("news", None)
    3
    """

    by_kind: Mapping[str, int] = field(default_factory=lambda: dict(DEFAULT_BY_KIND))
    by_design: Mapping[str, int] = field(default_factory=lambda: dict(DEFAULT_BY_DESIGN))
    by_claim: Mapping[str, int] = field(default_factory=dict)

    @classmethod
    def from_config(cls, config: Mapping[str, Any] | None = None) -> EvidenceOrder:
        """The default order with the ``by_kind``, ``by_design`` and ``by_claim`` entries of ``config``
        replacing its own; a wrong name or a level that is not an integer is an :class:`AnalysisError`."""
        config = dict(config or {})
        unknown = sorted(set(config) - {"by_kind", "by_design", "by_claim"})
        if unknown:
            raise AnalysisError(
                f"unknown option '{unknown[0]}' for analysis 'evidence' (expected one of: by_kind, by_design, by_claim)"
            )
        kinds = {**DEFAULT_BY_KIND, **_levels(config.get("by_kind"), "by_kind", SOURCE_KINDS)}
        designs = {**DEFAULT_BY_DESIGN, **_levels(config.get("by_design"), "by_design", DESIGNS)}
        claims = _levels(config.get("by_claim"), "by_claim", None)
        return cls(kinds, designs, claims)

    def level(self, kind: str | None, design: str | None, *, claim: str | None = None) -> int | None:
        """The level of a claim whose source has ``kind`` and ``design``; None when the kind is unknown."""
        if claim is not None and claim in self.by_claim:
            return self.by_claim[claim]
        if kind in RESEARCH_KINDS and design is not None and design in self.by_design:
            return self.by_design[design]
        if kind is None:
            return None
        return self.by_kind.get(kind)

    def basis(self, kind: str | None, design: str | None, *, claim: str | None = None) -> str | None:
        """What the level rests on, in words: ``'study (difference-in-differences)'``, ``'op-ed'``."""
        if claim is not None and claim in self.by_claim:
            return "set for this claim in the configuration"
        if kind is None:
            return None
        word = KIND_WORDS.get(kind, kind)
        if kind in RESEARCH_KINDS and design is not None and design in self.by_design:
            return f"{word} ({design})"
        return word

    def levels(self) -> list[int]:
        """Every level the order gives, highest first."""
        return sorted({*self.by_kind.values(), *self.by_design.values(), *self.by_claim.values()}, reverse=True)

    def table(self) -> list[dict[str, Any]]:
        """The order as rows ``{"level", "designs", "kinds"}``, highest first (for listings and docs)."""
        rows = []
        for lv in self.levels():
            rows.append(
                {
                    "level": lv,
                    "designs": sorted(d for d, v in self.by_design.items() if v == lv),
                    "kinds": sorted(k for k, v in self.by_kind.items() if v == lv),
                }
            )
        return rows


def _levels(value: Any, name: str, allowed: tuple[str, ...] | None) -> dict[str, int]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise AnalysisError(f"evidence: {name} must map names to integer levels")
    out = {}
    for key, lv in value.items():
        if allowed is not None and key not in allowed:
            raise AnalysisError(f"evidence: {name} names unknown '{key}' (expected one of: {', '.join(allowed)})")
        if isinstance(lv, bool) or not isinstance(lv, int):
            raise AnalysisError(f"evidence: {name}[{key!r}] must be an integer level, not {lv!r}")
        out[str(key)] = lv
    return out


DEFAULT_ORDER = EvidenceOrder()


def source_level(kind: str | None, design: str | None) -> int | None:
    """The level of a source of ``kind`` and ``design`` in argmap's default order.

    >>> source_level("study", "review"), source_level("report", None), source_level("blog", "opinion")
    (8, 3, 1)
    """
    return DEFAULT_ORDER.level(kind, design)
