"""Argument diagrams with Graphviz: the DOT source, and SVG, PNG and PDF drawn from it by the ``dot`` program.

The diagram reads in greyscale: a claim's stance shows in its shape and border style (pro: rounded box,
solid; con: box with cut corners, dashed; neutral: ellipse, dotted) and in its first line ("FOR", "AGAINST",
"CONTEXT"), as well as in colour; supports are solid arrows, attacks dashed lines ending in a bar, undercuts
dotted lines ending in a bar on the junction of the relation they undercut. A legend explains all of it.

Node and edge order is by id, so the same corpus gives byte-identical DOT.
"""

from __future__ import annotations

import math
from collections import defaultdict
import shutil
import subprocess

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
from argmap.sources.model import Corpus

STANCE_WORDS = {"pro": "FOR", "con": "AGAINST", "neutral": "CONTEXT"}
# Okabe–Ito: blue for support, vermillion for attack, reddish purple for undercut.
EDGE_STYLES = {
    "supports": {"color": "#0072B2", "style": "solid", "arrowhead": "normal"},
    "attacks": {"color": "#D55E00", "style": "dashed", "arrowhead": "tee"},
    "undercuts": {"color": "#CC79A7", "style": "dotted", "arrowhead": "tee"},
}
FONT = "Helvetica,Arial,sans-serif"


def dot_label(text: str) -> str:
    r"""``text`` as the inside of a double-quoted DOT string.

    Backslashes are doubled (so Graphviz's own escapes such as ``\N`` or ``\l`` cannot be injected) and
    double quotes escaped; line breaks become Graphviz's centred line break ``\n``.

    >>> dot_label('say "hi" \\N <b>')
    'say \\"hi\\" \\\\N <b>'
    >>> dot_label("two\nlines")
    'two\\nlines'
    """
    text = text.replace("\\", "\\\\").replace('"', '\\"')
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")


def _q(text: str) -> str:
    """A quoted DOT string (ID or attribute value)."""
    return f'"{dot_label(text)}"'


def _attrs(pairs: dict[str, str]) -> str:
    return "[" + ", ".join(f"{k}={_q(v)}" for k, v in pairs.items()) + "]"


def _claim_label(corpus: Corpus, claim, metrics: Metrics | None, width: int) -> str:
    lines = [f"{STANCE_WORDS[claim.stance]} · {claim.id}"]
    lines += wrap(claim.text, width=width)
    lines.append(f"— {corpus.speakers_by_id[claim.speaker].name}")
    extra = analysis_line((metrics or {}).get(claim.id))
    if extra:
        lines.append(f"[{extra}]")
    return "\n".join(lines)


def render_dot(corpus: Corpus, *, metrics: Metrics | None = None, width: int = 32, rankdir: str = "BT") -> str:
    """The argument diagram of ``corpus`` as Graphviz DOT text.

    Examples
    --------
    >>> from argmap.sources import load_corpus
    >>> dot = render_dot(load_corpus("tests/data/mini"))
    >>> dot.splitlines()[0]
    'digraph "argmap" {'
    >>> '"claim:save-lives" [' in dot
    True
    """
    out: list[str] = ['digraph "argmap" {']
    title = corpus.debate.title
    out.append(
        "  graph "
        + _attrs(
            {
                "rankdir": rankdir,
                "label": title,
                "labelloc": "t",
                "fontname": FONT,
                "fontsize": "18",
                "nodesep": "0.35",
                "ranksep": "0.6",
                "newrank": "true",
                "tooltip": title,
            }
        )
        + ";"
    )
    out.append("  node " + _attrs({"fontname": FONT, "fontsize": "11", "margin": "0.14,0.07", "penwidth": "1.8"}) + ";")
    out.append("  edge " + _attrs({"fontname": FONT, "fontsize": "9", "penwidth": "1.6"}) + ";")
    out.append("")
    out.append("  // claims")
    for c in sorted_claims(corpus):
        st = STANCE_STYLES[c.stance]
        src = corpus.sources_by_id[c.source]
        attrs = {
            "id": f"claim-{c.id}",
            "label": _claim_label(corpus, c, metrics, width),
            "shape": st.dot_shape,
            "style": st.dot_style,
            "color": st.colour,
            "fillcolor": st.fill,
            "tooltip": f"“{c.quote}” — {src.title}",
        }
        out.append(f"  {_q('claim:' + c.id)} {_attrs(attrs)};")
    out.append("")
    out.append("  // relations")
    junctions = undercut_targets(corpus)
    rel_by_id = corpus.relations_by_id
    stagger = _stagger_leaves(corpus)
    for r in sorted_relations(corpus):
        style = dict(EDGE_STYLES[r.type])
        tip = {"tooltip": f"{r.type}: {r.rationale}", "id": f"relation-{r.id}"}
        src = _q("claim:" + r.source)
        if r.type == "undercuts":
            # the target is a relation: point at its junction node
            if r.target not in rel_by_id:
                continue
            out.append(f"  {src} -> {_q('relation:' + r.target)} {_attrs({**style, **tip})};")
            continue
        dst = _q("claim:" + r.target)
        if r.id in junctions:
            j = _q("relation:" + r.id)
            out.append(f"  {j} {_attrs({'shape': 'point', 'width': '0.09', 'color': style['color'], 'tooltip': r.rationale})};")
            out.append(f"  {src} -> {j} {_attrs({**style, 'arrowhead': 'none', **tip})};")
            out.append(f"  {j} -> {dst} {_attrs({**style, 'id': f'relation-{r.id}-head', 'tooltip': tip['tooltip']})};")
        else:
            extra = {"minlen": str(stagger[r.id])} if r.id in stagger else {}
            out.append(f"  {src} -> {dst} {_attrs({**style, **tip, **extra})};")
    out.extend(_stack_isolated(corpus))
    out.append("")
    out.extend(_legend())
    out.append("}")
    return "\n".join(out) + "\n"


def _stagger_leaves(corpus: Corpus, *, levels: int = 3, at_least: int = 4) -> dict[str, int]:
    """Edge lengths (Graphviz ``minlen``) that spread the leaves of a star over ``levels`` ranks.

    A claim answered by many claims that nothing else touches would otherwise have them all in one
    row; staggering their edges 1, 2, 3, 1, ... ranks long (the idea of Graphviz's ``unflatten -l``)
    makes the map narrower. Returns ``{relation id: minlen}`` for the edges to lengthen.
    """
    degree: dict[str, int] = defaultdict(int)
    for r in corpus.relations:
        degree[r.source] += 1
        degree[r.target] += 1
    leaves: dict[str, list[str]] = defaultdict(list)  # target claim -> relation ids from leaves
    for r in sorted_relations(corpus):
        if r.type != "undercuts" and degree[r.source] == 1:
            leaves[r.target].append(r.id)
    out = {}
    for rids in leaves.values():
        if len(rids) >= at_least:
            for i, rid in enumerate(rids):
                if i % levels:
                    out[rid] = 1 + i % levels
    return out


def _stack_isolated(corpus: Corpus) -> list[str]:
    """Invisible edges that stack the claims no relation touches into columns of about sqrt(n).

    Graphviz puts every unconnected node on the same rank, so a debate with many of them becomes one
    very wide row; columns of ~sqrt(n) keep the picture near a page's proportions. Claims are taken in
    (first topic, id) order, so a column holds claims of the same topic where it can.
    """
    touched = {r.source for r in corpus.relations} | {r.target for r in corpus.relations}
    lonely = sorted((c for c in corpus.claims if c.id not in touched), key=lambda c: (c.topics[:1], c.id))
    if len(lonely) < 4:
        return []
    height = math.ceil(math.sqrt(len(lonely)))
    out = ["", "  // claims without relations, stacked in columns (invisible edges)"]
    for start in range(0, len(lonely), height):
        column = lonely[start : start + height]
        for below, above in zip(column, column[1:]):
            out.append(f"  {_q('claim:' + below.id)} -> {_q('claim:' + above.id)} [style=\"invis\"];")
    return out


def _legend() -> list[str]:
    out = ["  // legend", '  subgraph "cluster_legend" {']
    out.append("    graph " + _attrs({"label": "Legend", "labelloc": "t", "fontsize": "12", "style": "rounded", "color": "#777777"}) + ";")
    for stance, st in STANCE_STYLES.items():
        label = f"{STANCE_WORDS[stance]}\n{st.label}\n{st.border} border"
        attrs = {"label": label, "shape": st.dot_shape, "style": st.dot_style, "color": st.colour, "fillcolor": st.fill}
        out.append(f"    {_q('legend:' + stance)} {_attrs(attrs)};")
    for rtype, style in EDGE_STYLES.items():
        a, b = _q(f"legend:{rtype}:from"), _q(f"legend:{rtype}:to")
        out.append(f"    {a} {_attrs({'label': '', 'shape': 'point', 'width': '0.06', 'color': '#777777'})};")
        out.append(f"    {b} {_attrs({'label': '', 'shape': 'point', 'width': '0.06', 'color': '#777777'})};")
        label = f"{rtype} ({style['style']} line)"
        out.append(f"    {a} -> {b} {_attrs({**style, 'label': label, 'minlen': '3'})};")
    points = "; ".join(_q(f"legend:{t}:{end}") for t in EDGE_STYLES for end in ("from", "to"))
    out.append(f"    {{ rank=same; {points}; }}")
    out.append(f"    {{ rank=same; {'; '.join(_q('legend:' + s) for s in STANCE_STYLES)}; }}")
    # stack the two rows: the stance shapes above the line styles
    out.append(f"    {_q('legend:supports:from')} -> {_q('legend:pro')} [style=\"invis\"];")
    out.append("  }")
    return out


def run_dot(dot: str, fmt: str, *, extra: tuple[str, ...] = ()) -> bytes:
    """Render DOT text with the Graphviz ``dot`` program into ``fmt`` (svg, png, pdf).

    Raises :class:`ExportError` naming ``dot`` when Graphviz is not installed or fails.
    """
    exe = shutil.which("dot")
    if exe is None:
        raise ExportError(
            "Graphviz's `dot` program was not found on PATH; install Graphviz (Debian: apt-get install graphviz), "
            "or export the diagram source with `argmap export dot`"
        )
    try:
        proc = subprocess.run([exe, f"-T{fmt}", *extra], input=dot.encode("utf-8"), capture_output=True, check=False)
    except OSError as err:
        raise ExportError(f"could not run Graphviz's `dot` ({exe}): {err}") from err
    if proc.returncode != 0:
        msg = proc.stderr.decode("utf-8", "replace").strip()
        raise ExportError(f"Graphviz's `dot -T{fmt}` failed (exit {proc.returncode}): {msg}")
    return proc.stdout


def render_svg(corpus: Corpus, *, metrics: Metrics | None = None) -> str:
    """The argument diagram as SVG text (drawn by Graphviz)."""
    return run_dot(render_dot(corpus, metrics=metrics), "svg").decode("utf-8")


def render_png(corpus: Corpus, *, metrics: Metrics | None = None) -> bytes:
    """The argument diagram as a PNG picture at 144 dpi (drawn by Graphviz)."""
    return run_dot(render_dot(corpus, metrics=metrics), "png", extra=("-Gdpi=144",))


def render_pdf(corpus: Corpus, *, metrics: Metrics | None = None) -> bytes:
    """The argument diagram as PDF (drawn by Graphviz)."""
    return run_dot(render_dot(corpus, metrics=metrics), "pdf")
