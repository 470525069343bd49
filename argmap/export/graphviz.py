"""Argument diagrams with Graphviz: the DOT source, and SVG, PNG and PDF drawn from it by the ``dot`` program.

The diagram reads in greyscale: a claim's stance shows in its shape and border style (pro: rounded box,
solid; con: box with cut corners, dashed; neutral: ellipse, dotted) and in its first line ("FOR", "AGAINST",
"CONTEXT"), as well as in colour; supports are solid arrows, attacks dashed lines ending in a bar, undercuts
dotted lines ending in a bar on the junction of the relation they undercut. A legend explains all of it.

Node and edge order is by id, so the same corpus gives byte-identical DOT.
"""

from __future__ import annotations

import math
import shutil
import subprocess
from collections import defaultdict

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
    out.extend(_arrange(corpus, stagger))
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


# The size of one claim box in the layout estimate below, in inches, with the space around it.
_BOX_W, _BOX_H, _ASPECT = 2.7, 1.7, 1.6


def _layout_blocks(corpus: Corpus, stagger: dict[str, int]) -> list[tuple[int, int, list[str]]]:
    """The map's parts as ``(width, height, claim ids)`` in box units: each connected group of claims
    (height from its longest support/attack chain, width from its fullest rank), and the claims with no
    relation stacked into columns as tall as the tallest group (at least 2)."""
    ids = sorted(c.id for c in corpus.claims)
    rel = corpus.relations_by_id
    edges: list[tuple[str, str, int]] = []
    for r in sorted_relations(corpus):
        if r.type == "undercuts":
            if r.target in rel:
                edges.append((r.source, rel[r.target].target, 1))
        else:
            edges.append((r.source, r.target, stagger.get(r.id, 1)))
    parent = {i: i for i in ids}

    def find(i: str) -> str:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, b, _ in edges:
        if a in parent and b in parent:
            parent[find(a)] = find(b)
    groups: dict[str, list[str]] = defaultdict(list)
    for i in ids:
        groups[find(i)].append(i)
    out_edges: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for a, b, n in edges:
        out_edges[a].append((b, n))

    blocks: list[tuple[int, int, list[str]]] = []
    lonely: list[str] = []
    for members in groups.values():
        if len(members) == 1:
            lonely.append(members[0])
            continue
        # longest-path ranks over the edges that a depth-first search does not find closing a cycle
        order: list[str] = []
        state: dict[str, int] = {}
        back: set[tuple[str, str]] = set()

        # iterative depth-first search (a chain of thousands of claims is deeper than Python's stack)
        for root in sorted(members):
            if root in state:
                continue
            state[root] = 1
            stack = [(root, iter(sorted(out_edges[root])))]
            while stack:
                v, todo = stack[-1]
                for w, _ in todo:
                    if state.get(w) == 1:
                        back.add((v, w))
                    elif w not in state:
                        state[w] = 1
                        stack.append((w, iter(sorted(out_edges[w]))))
                        break
                else:
                    stack.pop()
                    state[v] = 2
                    order.append(v)
        rank = {v: 0 for v in members}
        for v in reversed(order):
            for w, n in out_edges[v]:
                if (v, w) not in back:
                    rank[w] = max(rank[w], rank[v] + n)
        per_rank = defaultdict(int)
        for v in members:
            per_rank[rank[v]] += 1
        blocks.append((max(per_rank.values()), max(rank.values()) + 1, sorted(members)))
    tallest = max((h for _, h, _ in blocks), default=0)
    column = max(2, tallest) if blocks else max(2, math.ceil(math.sqrt(len(lonely))))
    topic_of = {c.id: c.topics[:1] for c in corpus.claims}
    lonely.sort(key=lambda i: (topic_of[i], i))
    for start in range(0, len(lonely), column):
        part = lonely[start : start + column]
        blocks.append((1, len(part), part))
    return blocks


def _shelves(blocks: list[tuple[int, int, list[str]]]) -> list[list[tuple[int, int, list[str]]]]:
    """Blocks packed into rows ("shelves", tallest first) for the row width that brings the whole map
    closest to a landscape page's proportions."""
    if not blocks:
        return []
    ordered = sorted(blocks, key=lambda b: (-b[1], -b[0], b[2][0]))
    best: tuple[float, list] | None = None
    for width in range(max(b[0] for b in blocks), sum(b[0] for b in blocks) + 1):
        shelves: list[list] = [[]]
        used = 0
        for b in ordered:
            if shelves[-1] and used + b[0] > width:
                shelves.append([])
                used = 0
            shelves[-1].append(b)
            used += b[0]
        w = max(sum(b[0] for b in shelf) for shelf in shelves) * _BOX_W
        h = sum(max(b[1] for b in shelf) for shelf in shelves) * _BOX_H
        score = abs(math.log((w / h) / _ASPECT))
        if best is None or score < best[0] - 1e-9:
            best = (score, shelves)
    assert best is not None
    return best[1]


def _arrange(corpus: Corpus, stagger: dict[str, int]) -> list[str]:
    """Invisible edges that give a large map page-like proportions.

    Graphviz puts every unconnected claim on one rank and every connected group side by side, so a
    whole debate becomes a very wide strip. Claims with no relation are stacked in columns; then the
    groups and columns are packed into rows, each row held above the one before by an invisible anchor
    node. Small maps (one row) are left as Graphviz draws them.
    """
    blocks = _layout_blocks(corpus, stagger)
    touched = {r.source for r in corpus.relations} | {r.target for r in corpus.relations}
    out: list[str] = []
    for _, _, members in blocks:
        if len(members) > 1 and not touched & set(members):  # a column of claims without relations
            if not out:
                out += ["", "  // claims without relations, stacked in columns (invisible edges)"]
            for below, above in zip(members, members[1:]):
                out.append(f"  {_q('claim:' + below)} -> {_q('claim:' + above)} [style=\"invis\"];")
    shelves = _shelves(blocks)
    if len(shelves) > 1:
        out += ["", "  // rows of the layout, one above the other (invisible anchors and edges)"]
        for k in range(len(shelves) - 1):
            anchor = _q(f"layout:row-{k + 1}")
            out.append(f"  {anchor} [shape=\"point\", style=\"invis\", width=\"0\", label=\"\"];")
            for _, _, members in shelves[k]:
                for m in members:
                    out.append(f"  {_q('claim:' + m)} -> {anchor} [style=\"invis\", weight=\"0\"];")
            for _, _, members in shelves[k + 1]:
                for m in members:
                    out.append(f"  {anchor} -> {_q('claim:' + m)} [style=\"invis\", weight=\"0\"];")
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
