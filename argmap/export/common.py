"""What the exporters share: a fixed order, the stance styles, label wrapping and the analysis line.

Escaping is not here: each output syntax has its own helper in its own module (``dot_label``,
``mermaid_label``, ``argdown_text``, ``html.escape``, ``md_text``), applied once, to every piece of corpus
text that goes into markup.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import Any

from argmap.sources.model import STANCE_WORDS, Claim, Corpus, Relation

Metrics = dict[str, dict[str, Any]]


@dataclass(frozen=True)
class StanceStyle:
    """How a stance is drawn. Colours are from the Okabe–Ito palette, which stays distinguishable for the
    common colour-vision deficiencies (Okabe & Ito 2008, "Color Universal Design"); shape and border style
    carry the same information for greyscale print."""

    label: str
    colour: str  # border and text accents
    fill: str  # a light tint of the colour
    dot_shape: str
    dot_style: str
    border: str  # a word for the legend: solid, dashed, dotted


def _label(stance: str) -> str:
    """A stance's legend label from the one stance vocabulary: 'For (pro)'."""
    return f"{STANCE_WORDS[stance].capitalize()} ({stance})"


STANCE_STYLES: dict[str, StanceStyle] = {
    # Okabe–Ito blue #0072B2 and vermillion #D55E00; neutral in black on light grey.
    "pro": StanceStyle(_label("pro"), "#0072B2", "#D6EAF5", "box", "rounded,filled,solid", "solid"),
    "con": StanceStyle(_label("con"), "#D55E00", "#F8E0CF", "box", "filled,dashed,diagonals", "dashed"),
    "neutral": StanceStyle(_label("neutral"), "#000000", "#EEEEEE", "ellipse", "filled,dotted", "dotted"),
}

RELATION_WORDS = {"supports": "supports", "attacks": "attacks", "undercuts": "undercuts"}
GROUNDED_WORDS = {"in": "standing", "out": "defeated", "undecided": "undecided"}


def sorted_claims(corpus: Corpus) -> list[Claim]:
    """The claims sorted by id, the order of every diagram and table."""
    return sorted(corpus.claims, key=lambda c: c.id)


def sorted_relations(corpus: Corpus) -> list[Relation]:
    """The relations sorted by id."""
    return sorted(corpus.relations, key=lambda r: r.id)


def undercut_targets(corpus: Corpus) -> set[str]:
    """Ids of the relations that some relation of ``corpus`` undercuts (drawn through a junction node)."""
    return {r.target for r in corpus.relations if r.type == "undercuts"}


def wrap(text: str, *, width: int = 30) -> list[str]:
    """``text`` cut into lines of at most ``width`` characters (longer words stay whole).

    >>> wrap("Protected lanes would prevent deaths on Main Street.", width=20)
    ['Protected lanes', 'would prevent deaths', 'on Main Street.']
    """
    lines = textwrap.wrap(" ".join(text.split()), width=width, break_long_words=False, break_on_hyphens=False)
    return lines or [""]


def fmt_number(value: float | int) -> str:
    """A figure as people write it: thousands separated, no needless decimals.

    >>> fmt_number(2000000), fmt_number(0.25), fmt_number(40.0)
    ('2,000,000', '0.25', '40')
    """
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:,.6f}".rstrip("0").rstrip(".")


def analysis_line(m: dict[str, Any] | None) -> str | None:
    """One short line summing up a claim's analysis, or None without metrics.

    >>> analysis_line({"grounded": "out", "strength": 0.25, "pagerank": 0.1})
    'defeated · strength 0.25'
    >>> analysis_line({"grounded": "undecided", "strength": 0.5, "strength_converged": False})
    'undecided · strength 0.50 (did not settle)'
    >>> analysis_line(None) is None
    True
    """
    if not m:
        return None
    parts = []
    if m.get("grounded") is not None:
        parts.append(GROUNDED_WORDS.get(m["grounded"], str(m["grounded"])))
    if m.get("strength") is not None:
        unsettled = " (did not settle)" if m.get("strength_converged") is False else ""
        parts.append(f"strength {float(m['strength']):.2f}{unsettled}")
    return " · ".join(parts) or None


def metric_columns(metrics: Metrics | None) -> list[str]:
    """The analysis attributes present in ``metrics``, in a fixed order.

    >>> metric_columns({"a": {"strength": 0.5, "grounded": "in"}})
    ['grounded', 'strength']
    """
    order = ["grounded", "grounded_reason", "strength", "strength_converged", "pagerank", "betweenness", "community"]
    if not metrics:
        return []
    present = {k for m in metrics.values() for k in m}
    return [k for k in order if k in present]


def metric_value(value: Any) -> Any:
    """A metric as written to files: floats rounded to 6 places so output is byte-stable."""
    if isinstance(value, float):
        return round(value, 6)
    return value
