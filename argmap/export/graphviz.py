"""Argument diagrams with Graphviz: the DOT source, and SVG, PNG and PDF drawn from it by the ``dot`` program.

The diagram reads in greyscale: a claim's stance shows in its shape and border style (pro: rounded box,
solid; con: box with cut corners, dashed; neutral: ellipse, dotted) and in its first line (its word in
sources.model.STANCE_WORDS: FOR, AGAINST, CONTEXT), as well as in colour; supports are solid arrows, attacks dashed lines ending in a bar, undercuts
dotted lines ending in a bar on the junction of the relation they undercut. A legend explains all of it.

Node and edge order is by id, so the same corpus gives byte-identical DOT.
"""

from __future__ import annotations

import math
import re
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
from argmap.export.slides import MIN_SLIDE_PX, SlideFitError, slide_size, split_for_slides
from argmap.sources.model import STANCE_WORDS, Corpus  # the one stance vocabulary

# Okabe–Ito: blue for support, vermillion for attack, reddish purple for undercut.
EDGE_STYLES = {
    "supports": {"color": "#0072B2", "style": "solid", "arrowhead": "normal"},
    "attacks": {"color": "#D55E00", "style": "dashed", "arrowhead": "tee"},
    "undercuts": {"color": "#CC79A7", "style": "dotted", "arrowhead": "tee"},
}
FONT = "Helvetica,Arial,sans-serif"
# The legend in words, for the force-directed layouts (which draw no clusters).
LEGEND_TEXT = (
    "FOR: rounded box, solid border · AGAINST: cut corners, dashed border · CONTEXT: ellipse, dotted border · "
    "supports: solid arrow · attacks: dashed line ending in a bar · undercuts: dotted line ending in a bar"
)


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


def _slide_label(claim, metrics: Metrics | None) -> str:
    """A claim's box on a slide: the stance word, then its short title; no id, no speaker."""
    lines = [STANCE_WORDS[claim.stance], *wrap(claim.short_title, width=SLIDE_WRAP)]
    extra = analysis_line((metrics or {}).get(claim.id))
    if extra:
        lines.append(extra)
    return "\n".join(lines)


LAYOUTS = ("dot", "sfdp", "neato", "auto")
# Above this many claims `auto` lays the diagram out with sfdp: dot's layered layout grows much faster than
# linearly (benchmarks/RESULTS.md: about 17 s at 1,000 claims and over 150 s at 10,000, where sfdp takes
# seconds).
AUTO_DOT_MAX = 400
# Slide mode: type sizes in pixels of a 1920x1080 (or 1440x1080) slide before the final zoom; claim labels
# wrapped to this many characters; the blank margin round the drawing; the largest zoom for small drawings.
SLIDE_FONTS = {"claim": 22, "title": 34, "legend": 20}
SLIDE_WRAP = 18
SLIDE_PAD = 24
SLIDE_MAX_ZOOM = 1.5
# A selection with more claims than this cannot fit legibly on one slide; no layout is tried.
SLIDE_MAX_CLAIMS = 40


def choose_layout(corpus: Corpus, layout: str = "auto") -> str:
    """The Graphviz layout engine for ``corpus``: ``layout`` itself, or for ``auto`` dot (layered, the
    clearest) up to :data:`AUTO_DOT_MAX` claims and sfdp (force-directed, fast on large graphs) above.

    >>> from argmap.sources import load_corpus
    >>> choose_layout(load_corpus("tests/data/mini")), choose_layout(load_corpus("tests/data/mini"), "neato")
    ('dot', 'neato')
    """
    if layout not in LAYOUTS:
        raise ExportError(f"unknown layout '{layout}' (expected one of: {', '.join(LAYOUTS)})")
    if layout != "auto":
        return layout
    return "dot" if len(corpus.claims) <= AUTO_DOT_MAX else "sfdp"


def render_dot(
    corpus: Corpus,
    *,
    metrics: Metrics | None = None,
    width: int = 32,
    rankdir: str = "BT",
    title: str | None = None,
    slide: bool = False,
    aspect: str = "16:9",
    layout: str = "auto",
    stagger: int = 4,
) -> str:
    """The argument diagram of ``corpus`` as Graphviz DOT text.

    ``title`` heads the diagram (default: the debate's title). ``slide`` draws it for a slide of
    ``aspect`` (16:9 or 4:3): short claim titles in large type, no ids, a compact legend. ``layout`` names
    the Graphviz engine (dot, sfdp, neato, or auto: see :func:`choose_layout`), written into the DOT as its
    ``layout`` attribute. A claim answered by ``stagger`` or more claims that nothing else touches has them
    spread over three ranks (dot only).

    Examples
    --------
    >>> from argmap.sources import load_corpus
    >>> dot = render_dot(load_corpus("tests/data/mini"))
    >>> dot.splitlines()[0]
    'digraph "argmap" {'
    >>> '"claim:save-lives" [' in dot
    True
    """
    engine = choose_layout(corpus, layout)
    slide_size(aspect)
    layered = engine == "dot"
    out: list[str] = ['digraph "argmap" {']
    title = title or corpus.debate.title
    graph = {"label": title, "labelloc": "t", "fontname": FONT, "fontsize": "18"}
    if slide:
        graph["fontsize"] = str(SLIDE_FONTS["title"])
    if layered:
        graph = {"rankdir": rankdir, **graph, "nodesep": "0.35", "ranksep": "0.6", "newrank": "true", "tooltip": title}
        if slide:
            graph.update({"nodesep": "0.3", "ranksep": "0.45"})
    else:
        graph["tooltip"] = title
        # force-directed: no ranks, no clusters (the legend is written in the title), nodes drawn over edges
        graph = {"layout": engine, **graph, "overlap": "scale" if engine == "sfdp" else "false"}
        graph.update({"outputorder": "edgesfirst", "splines": "false"})
        graph["label"] = f"{title}\n{LEGEND_TEXT}"
    out.append("  graph " + _attrs(graph) + ";")
    if slide:
        out.append(
            "  node "
            + _attrs({"fontname": FONT, "fontsize": str(SLIDE_FONTS["claim"]), "margin": "0.12,0.06", "penwidth": "2.5"})
            + ";"
        )
        out.append(
            "  edge "
            + _attrs({"fontname": FONT, "fontsize": str(SLIDE_FONTS["legend"]), "penwidth": "3", "arrowsize": "1.4"})
            + ";"
        )
    else:
        out.append("  node " + _attrs({"fontname": FONT, "fontsize": "11", "margin": "0.14,0.07", "penwidth": "1.8"}) + ";")
        out.append("  edge " + _attrs({"fontname": FONT, "fontsize": "9", "penwidth": "1.6"}) + ";")
    out.append("")
    out.append("  // claims")
    for c in sorted_claims(corpus):
        st = STANCE_STYLES[c.stance]
        src = corpus.sources_by_id[c.source]
        attrs = {
            "id": f"claim-{c.id}",
            "label": _slide_label(c, metrics) if slide else _claim_label(corpus, c, metrics, width),
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
    minlen = _stagger_leaves(corpus, at_least=stagger) if layered else {}
    for r in sorted_relations(corpus):
        style = dict(EDGE_STYLES[r.type])
        tip = {"tooltip": f"{r.type}: {r.rationale}", "id": f"relation-{r.id}"}
        tail = _q("claim:" + r.source)
        if r.type == "undercuts":
            # the target is a relation: point at its junction node
            if r.target not in rel_by_id:
                continue
            out.append(f"  {tail} -> {_q('relation:' + r.target)} {_attrs({**style, **tip})};")
            continue
        dst = _q("claim:" + r.target)
        if r.id in junctions:
            j = _q("relation:" + r.id)
            point = {"shape": "point", "width": "0.16" if slide else "0.09", "color": style["color"], "tooltip": r.rationale}
            out.append(f"  {j} {_attrs(point)};")
            out.append(f"  {tail} -> {j} {_attrs({**style, 'arrowhead': 'none', **tip})};")
            out.append(f"  {j} -> {dst} {_attrs({**style, 'id': f'relation-{r.id}-head', 'tooltip': tip['tooltip']})};")
        else:
            extra = {"minlen": str(minlen[r.id])} if r.id in minlen else {}
            out.append(f"  {tail} -> {dst} {_attrs({**style, **tip, **extra})};")
    if layered:
        out.extend(_arrange(corpus, minlen, aspect=_ratio(aspect) if slide else _ASPECT))
        out.append("")
        out.extend(_slide_legend(corpus) if slide else _legend())
    out.append("}")
    return "\n".join(out) + "\n"


def _ratio(aspect: str) -> float:
    w, h = slide_size(aspect)
    return w / h


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
        per_rank: defaultdict[int, int] = defaultdict(int)
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


def _shelves(blocks: list[tuple[int, int, list[str]]], *, aspect: float = _ASPECT) -> list[list[tuple[int, int, list[str]]]]:
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
        score = abs(math.log((w / h) / aspect))
        if best is None or score < best[0] - 1e-9:
            best = (score, shelves)
    assert best is not None
    return best[1]


def _arrange(corpus: Corpus, stagger: dict[str, int], *, aspect: float = _ASPECT) -> list[str]:
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
                out.append(f'  {_q("claim:" + below)} -> {_q("claim:" + above)} [style="invis"];')
    shelves = _shelves(blocks, aspect=aspect)
    if len(shelves) > 1:
        out += ["", "  // rows of the layout, one above the other (invisible anchors and edges)"]
        for k in range(len(shelves) - 1):
            anchor = _q(f"layout:row-{k + 1}")
            out.append(f'  {anchor} [shape="point", style="invis", width="0", label=""];')
            for _, _, members in shelves[k]:
                for m in members:
                    out.append(f'  {_q("claim:" + m)} -> {anchor} [style="invis", weight="0"];')
            for _, _, members in shelves[k + 1]:
                for m in members:
                    out.append(f'  {anchor} -> {_q("claim:" + m)} [style="invis", weight="0"];')
    return out


def _legend() -> list[str]:
    out = ["  // legend", '  subgraph "cluster_legend" {']
    out.append(
        "    graph "
        + _attrs({"label": "Legend", "labelloc": "t", "fontsize": "12", "style": "rounded", "color": "#777777"})
        + ";"
    )
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
    out.append(f'    {_q("legend:supports:from")} -> {_q("legend:pro")} [style="invis"];')
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
    if fmt == "pdf":  # cairo stamps the time of drawing; the same corpus must give the same bytes
        return re.sub(rb"/CreationDate \(D:\d{14}Z\)", b"/CreationDate (D:19700101000000Z)", proc.stdout)
    return proc.stdout


def _slide_legend(corpus: Corpus) -> list[str]:
    """A one-row legend for a slide: only the stances and relation types the slide shows, in slide type."""
    fs = str(SLIDE_FONTS["legend"])
    out = ["  // legend (one row)", '  subgraph "cluster_legend" {']
    out.append("    graph " + _attrs({"label": "", "style": "rounded", "color": "#999999", "margin": "6"}) + ";")
    row: list[str] = []
    stances = [s for s in STANCE_STYLES if any(c.stance == s for c in corpus.claims)]
    for stance in stances:
        st = STANCE_STYLES[stance]
        attrs = {
            "label": STANCE_WORDS[stance],
            "shape": st.dot_shape,
            "style": st.dot_style,
            "color": st.colour,
            "fillcolor": st.fill,
            "fontsize": fs,
            "margin": "0.08,0.03",
            "height": "0.4",
        }
        row.append(_q("legend:" + stance))
        out.append(f"    {row[-1]} {_attrs(attrs)};")
    types = [t for t in EDGE_STYLES if any(r.type == t for r in corpus.relations)]
    for rtype in types:
        style = EDGE_STYLES[rtype]
        a, b = _q(f"legend:{rtype}:from"), _q(f"legend:{rtype}:to")
        for end in (a, b):
            out.append(f"    {end} {_attrs({'label': '', 'shape': 'point', 'width': '0.08', 'color': '#777777'})};")
        out.append(f"    {a} -> {b} {_attrs({**style, 'label': rtype, 'minlen': '2'})};")
        row += [a, b]
    if row:
        out.append(f"    {{ rank=same; {'; '.join(row)}; }}")
        # invisible flat edges hold the order: stances first, then the line styles, left to right
        for a, b in zip(row, row[1:]):
            if not (a.endswith(':from"') and b.endswith(':to"')):
                out.append(f'    {a} -> {b} [style="invis"];')
    out.append("  }")
    return out


def _drawing_size(dot: str) -> tuple[float, float]:
    """The laid-out drawing's width and height in points (Graphviz's plain output)."""
    first = run_dot(dot, "plain").decode("utf-8").split("\n", 1)[0].split()
    return float(first[2]) * 72, float(first[3]) * 72


def _min_font(slide_fonts: dict[str, int]) -> int:
    return min(slide_fonts.values())


def slide_drawing(
    corpus: Corpus, *, metrics: Metrics | None = None, title: str | None = None, aspect: str = "16:9", layout: str = "auto"
) -> tuple[str, float]:
    """The slide's DOT text, set to fill a slide of ``aspect`` exactly, and its zoom.

    The diagram is laid out in slide type (pixels of a 1920x1080 slide) bottom to top (with stars of
    answers staggered over three ranks, or not) and left to right, and the way that needs the least shrinking is kept; Graphviz's ``viewport`` then centres it on the
    slide, scaled by the zoom (at most :data:`SLIDE_MAX_ZOOM`). Text stays at least :data:`MIN_SLIDE_PX`
    pixels when ``zoom * smallest type >= MIN_SLIDE_PX`` (see :func:`slide_fits`).
    """
    W, H = slide_size(aspect)
    engine = "dot" if layout == "auto" else choose_layout(corpus, layout)
    best: tuple[float, str, float, float] | None = None
    tries = [("BT", 4), ("BT", 2), ("LR", 4)] if engine == "dot" else [("BT", 4)]
    for rankdir, stagger in tries:
        dot = render_dot(
            corpus, metrics=metrics, rankdir=rankdir, title=title, slide=True, aspect=aspect, layout=engine, stagger=stagger
        )
        w, h = _drawing_size(dot)
        zoom = min((W - 2 * SLIDE_PAD) / w, (H - 2 * SLIDE_PAD) / h, SLIDE_MAX_ZOOM)
        if best is None or zoom > best[0] + 1e-9:
            best = (zoom, dot, w, h)
    assert best is not None
    zoom, dot, w, h = best
    viewport = {"viewport": f"{W},{H},{zoom:.4f},{w / 2:.2f},{h / 2:.2f}", "bgcolor": "white", "pad": "0", "margin": "0"}
    head, rest = dot.split("\n", 1)
    return f"{head}\n  graph {_attrs(viewport)};\n{rest}", zoom


def min_zoom() -> float:
    """The least zoom at which every text of a slide is still :data:`MIN_SLIDE_PX` pixels."""
    return MIN_SLIDE_PX / _min_font(SLIDE_FONTS)


def _too_big(corpus: Corpus, aspect: str, zoom: float | None) -> SlideFitError:
    W, H = slide_size(aspect)
    why = (
        f"its smallest text would be {zoom * _min_font(SLIDE_FONTS):.0f} px on a {W}x{H} slide (at least {MIN_SLIDE_PX} wanted)"
        if zoom
        else f"more than {SLIDE_MAX_CLAIMS} claims cannot be read on one slide"
    )
    return SlideFitError(
        f"the selection ({len(corpus.claims)} claims, {len(corpus.relations)} relations) does not fit legibly on "
        f"one {aspect} slide: {why}. Select fewer "
        "claims (one --topic with --stance con or pro, a smaller --widen, or --around CLAIM --depth 1), or write one slide per part "
        "with `argmap export pdf --slide --out slides.pdf`"
    )


def _slide(corpus: Corpus, fmt: str, *, metrics, title, aspect, layout) -> bytes:
    if len(corpus.claims) > SLIDE_MAX_CLAIMS:
        raise _too_big(corpus, aspect, None)
    dot, zoom = slide_drawing(corpus, metrics=metrics, title=title, aspect=aspect, layout=layout)
    if zoom < min_zoom() - 1e-9:
        raise _too_big(corpus, aspect, zoom)
    return run_dot(dot, fmt, extra=("-Gdpi=72",) if fmt == "png" else ())


def slide_parts(
    corpus: Corpus, *, metrics: Metrics | None = None, title: str | None = None, aspect: str = "16:9", layout: str = "auto"
) -> list[Corpus]:
    """``corpus`` as one part when it fits legibly on one slide, else cut into parts that each do."""
    title = title or corpus.debate.title

    def fits(part: Corpus) -> bool:
        if len(part.claims) > SLIDE_MAX_CLAIMS:
            return False
        _, zoom = slide_drawing(part, metrics=metrics, title=f"{title} (0/0)", aspect=aspect, layout=layout)
        return zoom >= min_zoom() - 1e-9

    if fits(corpus):
        return [corpus]
    return split_for_slides(corpus, fits)


def render_svg(
    corpus: Corpus,
    *,
    metrics: Metrics | None = None,
    title: str | None = None,
    slide: bool = False,
    aspect: str = "16:9",
    layout: str = "auto",
) -> str:
    """The argument diagram as SVG text (drawn by Graphviz); with ``slide``, exactly one slide of ``aspect``
    (:class:`~argmap.export.slides.SlideFitError` when the selection cannot fit legibly)."""
    if slide:
        return _slide(corpus, "svg", metrics=metrics, title=title, aspect=aspect, layout=layout).decode("utf-8")
    return run_dot(render_dot(corpus, metrics=metrics, title=title, layout=layout), "svg").decode("utf-8")


def render_png(
    corpus: Corpus,
    *,
    metrics: Metrics | None = None,
    title: str | None = None,
    slide: bool = False,
    aspect: str = "16:9",
    layout: str = "auto",
) -> bytes:
    """The argument diagram as a PNG picture at 144 dpi (drawn by Graphviz); with ``slide``, one slide of
    exactly 1920x1080 (16:9) or 1440x1080 (4:3) pixels."""
    if slide:
        return _slide(corpus, "png", metrics=metrics, title=title, aspect=aspect, layout=layout)
    return run_dot(render_dot(corpus, metrics=metrics, title=title, layout=layout), "png", extra=("-Gdpi=144",))


def render_pdf(
    corpus: Corpus,
    *,
    metrics: Metrics | None = None,
    title: str | None = None,
    slide: bool = False,
    aspect: str = "16:9",
    layout: str = "auto",
) -> bytes:
    """The argument diagram as PDF (drawn by Graphviz). With ``slide``, one page per slide: the whole
    selection when it fits legibly on one, else one page per part (each titled "title (k/n)")."""
    if not slide:
        return run_dot(render_dot(corpus, metrics=metrics, title=title, layout=layout), "pdf")
    title = title or corpus.debate.title
    parts = slide_parts(corpus, metrics=metrics, title=title, aspect=aspect, layout=layout)
    if len(parts) == 1:
        return _slide(corpus, "pdf", metrics=metrics, title=title, aspect=aspect, layout=layout)
    pages = [
        run_dot(slide_drawing(p, metrics=metrics, title=f"{title} ({k}/{len(parts)})", aspect=aspect, layout=layout)[0], "pdf")
        for k, p in enumerate(parts, 1)
    ]
    return merge_pdfs(pages)


def merge_pdfs(pages: list[bytes]) -> bytes:
    """PDF documents joined into one, in order (pypdf); the metadata is fixed so output is byte-stable."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    for data in pages:
        writer.append(io.BytesIO(data))
    writer.add_metadata({"/Producer": "argmap", "/Creator": "argmap (Graphviz)"})
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()
