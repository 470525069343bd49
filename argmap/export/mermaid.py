"""The argument diagram as a Mermaid flowchart, for Markdown hosts, wikis and slide tools.

Like the Graphviz diagram it reads in greyscale: pro claims are rounded boxes with a solid border, con
claims hexagons with a dashed border, neutral claims boxes with double sides and a dotted border, and each
label starts with FOR, AGAINST or CONTEXT. Supports are solid arrows, attacks thick dashed lines ending in a
cross, undercuts dotted lines ending in a cross on the small circle standing for the relation they undercut. A legend
subgraph explains it.

All corpus text passes through :func:`mermaid_label`. Order is by id, so output is byte-stable.
"""

from __future__ import annotations

import json
import re

from argmap.errors import ExportError
from argmap.export.common import (
    STANCE_STYLES,
    Metrics,
    analysis_line,
    sorted_claims,
    sorted_relations,
    undercut_targets,
    wrap,
)
from argmap.sources.model import STANCE_WORDS, Corpus  # the one stance vocabulary

# pro: rounded box; con: hexagon; neutral: a box with double sides ("subroutine"; a stadium let long text
# spill out of its round ends)
SHAPES = {"pro": ('("', '")'), "con": ('{{"', '"}}'), "neutral": ('[["', '"]]')}
DASHES = {"pro": None, "con": "6 3", "neutral": "2 2"}
LINKS = {"supports": "-->", "attacks": "-.-x", "undercuts": "-.-x"}
LINK_COLOURS = {"supports": "#0072B2", "attacks": "#D55E00", "undercuts": "#CC79A7"}
# thick enough to see on a projector; attacks dashed (long dashes), undercuts dotted, supports solid
LINK_STYLES = {
    "supports": "stroke-width:2.5px",
    "attacks": "stroke-width:3px,stroke-dasharray:9 5",
    "undercuts": "stroke-width:2.5px,stroke-dasharray:2 4",
}
# Mermaid wraps a label wider than wrappingWidth pixels again, raggedly: lines are cut at `width`
# characters, which stay within it
WRAPPING_WIDTH = 320
WARN_AT = 0.9  # warn when the text reaches this share of Mermaid's limit
# Mermaid's defaults for the longest diagram text and the most links it draws (mermaid's config schema).
MAX_TEXT = 50_000
MAX_EDGES = 500

# Mermaid's entity codes (#NN;) for every character that could end a quoted label or become markup.
_ENTITIES = {'"': "#34;", "#": "#35;", "&": "#38;", "<": "#60;", ">": "#62;", "`": "#96;"}


def mermaid_label(text: str) -> str:
    """``text`` for the inside of a double-quoted Mermaid label: quotes, ``#``, ``&``, ``<``, ``>`` and
    backticks become Mermaid entity codes, so no corpus text can close the label or inject markup.

    >>> mermaid_label('<img src=x> "#1" & `md`')
    '#60;img src=x#62; #34;#35;1#34; #38; #96;md#96;'
    """
    text = " ".join(text.split())
    return "".join(_ENTITIES.get(ch, ch) for ch in text)


def node_ids(ids: list[str], prefix: str) -> dict[str, str]:
    """Mermaid node ids for corpus ids: letters, digits and ``_`` only, unique (a clash gets a number).

    >>> node_ids(["a-b", "a_b", "c"], "c_")
    {'a-b': 'c_a_b', 'a_b': 'c_a_b_2', 'c': 'c_c'}
    """
    out: dict[str, str] = {}
    taken: set[str] = set()
    for i in sorted(ids):
        base = prefix + re.sub(r"[^A-Za-z0-9_]", "_", i)
        name, n = base, 2
        while name in taken:
            name, n = f"{base}_{n}", n + 1
        taken.add(name)
        out[i] = name
    return out


def _label(lines: list[str]) -> str:
    return "<br/>".join(mermaid_label(line) for line in lines)


def render_mermaid(
    corpus: Corpus,
    *,
    metrics: Metrics | None = None,
    width: int = 30,
    max_chars: int | None = MAX_TEXT,
    title: str | None = None,
    slide: bool = False,
) -> str:
    """The argument diagram of ``corpus`` as Mermaid flowchart text.

    Mermaid refuses to draw a diagram longer than its ``maxTextSize`` (50,000 characters unless the
    host changes it, and a diagram cannot change it itself), so a longer one raises
    :class:`ExportError` saying to select part of the debate; ``max_chars=None`` turns the check off
    (:func:`size_warning` says when a text comes near the limit). ``title`` heads the diagram (default:
    the debate's title); ``slide`` labels each claim with its stance and short title only.

    Examples
    --------
    >>> from argmap.sources import load_corpus
    >>> text = render_mermaid(load_corpus("tests/data/mini"))
    >>> print(text.splitlines()[0:2])
    ['---', 'title: "Town bike lanes"']
    >>> [line for line in text.splitlines() if "c_crashes_fell -->" in line]
    ['  c_crashes_fell --> c_save_lives']
    """
    claims = sorted_claims(corpus)
    ids = node_ids([c.id for c in claims], "c_")
    junction_ids = node_ids(sorted(undercut_targets(corpus)), "r_")
    heading = " ".join((title or corpus.debate.title).split())
    out = [
        "---",
        f"title: {json.dumps(heading, ensure_ascii=False)}",
        "config:",
        "  flowchart:",
        f"    wrappingWidth: {WRAPPING_WIDTH}",
        "    nodeSpacing: 45",
        "    rankSpacing: 60",
        "---",
        "flowchart BT",
    ]
    for stance, st in STANCE_STYLES.items():
        dash = f",stroke-dasharray:{DASHES[stance]}" if DASHES[stance] else ""
        out.append(f"  classDef {stance} fill:{st.fill},stroke:{st.colour},stroke-width:2px{dash},color:#000000")
    out.append("  classDef junction fill:#777777,stroke:#777777")
    out.append("  classDef point fill:#FFFFFF,stroke:#FFFFFF")
    out.append("")
    for c in claims:
        if slide:
            lines = [STANCE_WORDS[c.stance], *wrap(c.short_title, width=22)]
        else:
            lines = [
                f"{STANCE_WORDS[c.stance]} · {c.id}",
                *wrap(c.text, width=width),
                f"— {corpus.speakers_by_id[c.speaker].name}",
            ]
        extra = analysis_line((metrics or {}).get(c.id))
        if extra:
            lines.append(f"[{extra}]")
        open_, close = SHAPES[c.stance]
        out.append(f"  {ids[c.id]}{open_}{_label(lines)}{close}:::{c.stance}")
    out.append("")
    links: list[tuple[str, str]] = []  # (line, relation type) in order, for linkStyle indexes
    for r in sorted_relations(corpus):
        src = ids.get(r.source)
        if r.type == "undercuts":
            if src and r.target in junction_ids:
                links.append((f"  {src} {LINKS['undercuts']} {junction_ids[r.target]}", "undercuts"))
            continue
        dst = ids.get(r.target)
        if not (src and dst):
            continue
        if r.id in junction_ids:
            j = junction_ids[r.id]
            out.append(f'  {j}((" ")):::junction')
            links.append((f"  {src} --- {j}", r.type))
            links.append((f"  {j} {LINKS[r.type]} {dst}", r.type))
        else:
            links.append((f"  {src} {LINKS[r.type]} {dst}", r.type))
    out.extend(line for line, _ in links)
    out.append("")
    out.extend(_legend())
    legend_links = [("supports", 0), ("attacks", 1), ("undercuts", 2)]
    out.append("")
    by_type: dict[str, list[int]] = {t: [] for t in LINK_COLOURS}
    for i, (_, rtype) in enumerate(links):
        by_type[rtype].append(i)
    for rtype, k in legend_links:
        by_type[rtype].append(len(links) + k)
    for rtype, indexes in by_type.items():
        out.append(f"  linkStyle {','.join(map(str, indexes))} stroke:{LINK_COLOURS[rtype]},{LINK_STYLES[rtype]}")
    text = "\n".join(out) + "\n"
    if max_chars is not None and len(text) > max_chars:
        raise ExportError(
            f"the Mermaid flowchart of {len(claims)} claims is {len(text):,} characters, over the "
            f"{max_chars:,} that Mermaid draws by default (its maxTextSize); export part of the debate "
            "(--topic, --stance, --around), use --slide (short titles), or use the svg or dot format"
        )
    if max_chars is not None and len(links) + len(legend_links) > MAX_EDGES:
        raise ExportError(f"the Mermaid flowchart has {len(links)} links, over Mermaid's default maxEdges of {MAX_EDGES}")
    return text


def size_warning(text: str, *, limit: int = MAX_TEXT) -> str | None:
    """A warning when a flowchart's text is near Mermaid's default size limit (90 % of it or more), else None.

    >>> size_warning("x" * 46_000)
    "the flowchart is 46,000 characters, near Mermaid's default limit of 50,000 (maxTextSize): a host with a lower limit will not draw it; select part of the debate or use --slide"
    >>> size_warning("flowchart BT") is None
    True
    """
    if len(text) < WARN_AT * limit:
        return None
    return (
        f"the flowchart is {len(text):,} characters, near Mermaid's default limit of {limit:,} (maxTextSize): "
        "a host with a lower limit will not draw it; select part of the debate or use --slide"
    )


def _legend() -> list[str]:
    out = ['  subgraph legend["Legend"]', "    direction LR"]
    for stance, st in STANCE_STYLES.items():
        open_, close = SHAPES[stance]
        label = _label([STANCE_WORDS[stance], st.label, f"{st.border} border"])
        out.append(f"    legend_{stance}{open_}{label}{close}:::{stance}")
    for rtype in ("supports", "attacks", "undercuts"):
        out.append(f'    legend_{rtype}_a[" "]:::point {LINKS[rtype]}|{rtype}| legend_{rtype}_b[" "]:::point')
    out.append("  end")
    return out
