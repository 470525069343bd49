"""The interactive argument map: one self-contained HTML file that a debater opens in any browser, offline.

pyvis gives the :class:`~pyvis.network.Network` and its options (physics, edges, interaction); the page is
our own template (``templates/map.html``, ``map.css``, ``map.js``), because pyvis's own loads Bootstrap and
tom-select from the network and can insert node titles as HTML. Here:

- every script and style is inline: vis-network's JavaScript and CSS are read from the files bundled in the
  pyvis package at render time; the page makes no request at all, and its Content-Security-Policy allows
  only the page's own scripts (by hash);
- every piece of corpus text goes into the page once, as JSON inside ``<script type="application/json">``
  (escaped by :func:`script_json`), and ``map.js`` puts it into the page with ``textContent`` only;
- nodes and edges are given to pyvis in bulk (its ``add_node`` checks a list for duplicates: quadratic);
- positions are computed here (:func:`layout`: a radial tree around the motion, linear in the size of the
  debate, refined by a spring layout for small debates), so a large map is drawn at once with physics off.

Examples
--------
>>> from argmap.sources import load_corpus
>>> page = render_map(load_corpus("tests/data/mini"))
>>> page.startswith("<!DOCTYPE html>"), "https://" in page.split("<body")[0]
(True, False)
>>> map_filename(load_corpus("tests/data/mini"))
'mini.html'
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import re
from collections import defaultdict, deque
from importlib import resources
from pathlib import Path
from typing import Any

from argmap.export.brief import safe_url
from argmap.export.common import GROUNDED_WORDS, STANCE_STYLES, Metrics, fmt_number, sorted_claims, sorted_relations
from argmap.sources.model import Corpus

#: Above this many nodes the page starts with physics off (the computed layout is final).
PHYSICS_LIMIT = 60
#: Up to this many claims the radial layout is refined by a spring layout (networkx).
SPRING_LIMIT = 450  # networkx switches to a much slower sparse method at 500 nodes

from argmap.sources.model import STANCE_WORDS, STANCES  # noqa: E402  (the one stance list and vocabulary)

# Okabe–Ito colours (see argmap.export.common.StanceStyle); the same edge styles as the Graphviz diagrams:
# supports solid with an arrowhead, attacks dashed ending in a bar, undercuts dotted ending in a bar.
EDGE_STYLES: dict[str, dict[str, Any]] = {
    "supports": {"color": "#0072B2", "dashes": False, "arrow": "arrow", "width": 2},
    "attacks": {"color": "#D55E00", "dashes": [10, 6], "arrow": "bar", "width": 2},
    "undercuts": {"color": "#CC79A7", "dashes": [2, 5], "arrow": "bar", "width": 2},
    "motion": {"color": "#999999", "dashes": [1, 6], "arrow": "", "width": 1},
    "source": {"color": "#999999", "dashes": False, "arrow": "", "width": 0.5},
    "speaker": {"color": "#56B4E9", "dashes": False, "arrow": "", "width": 0.5},
}
#: The view settings the page uses (see docs/map.md): a fitted view never zooms in beyond ``fit_max_scale``; a
#: filtered set of up to ``compact_limit`` claims (or a whole debate small enough to be read at once) is drawn
#: closer together so that it fits at about ``read_scale`` (labels at their full size; on a phone
#: ``phone_read_scale``, so that a column of boxes fits with labels still drawn); a relation line is at least ``edge_px`` screen pixels wide,
#: its dashes scaled with it, however far the map is zoomed out; a label is drawn only from
#: ``label_min_px`` screen pixels (below that it would be an unreadable smudge). A map with more than
#: ``dash_limit`` attacks draws them solid below the zoom ``dash_min_scale``: drawing thousands of dashed lines
#: takes most of a second. The list of the claims shown (for the keyboard and screen readers) holds at most
#: ``list_max`` of them.
VIEW = {
    "fit_max_scale": 1.5,
    "read_scale": 1.0,
    "phone_read_scale": 0.7,
    "compact_limit": 200,
    "edge_px": 2.0,
    "label_min_px": 8,
    "dash_limit": 1000,
    "dash_min_scale": 0.15,
    "list_max": 300,
}
GROUNDED_COLOURS = {"in": "#009E73", "out": "#BBBBBB", "undecided": "#F0E442"}

_FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"


def _groups() -> dict[str, dict[str, Any]]:
    """vis-network node groups: stance by colour, shape and border (solid, dashed, dotted) for greyscale."""
    groups: dict[str, dict[str, Any]] = {}
    for stance, st in STANCE_STYLES.items():
        groups[stance] = {
            "shape": "ellipse" if st.dot_shape == "ellipse" else "box",
            "color": {
                "background": st.fill,
                "border": st.colour,
                "highlight": {"background": "#FFFFFF", "border": st.colour},
                "hover": {"background": st.fill, "border": st.colour},
            },
            "borderWidth": 2 if stance != "con" else 2.5,
            "borderWidthSelected": 4,
            "shapeProperties": {"borderDashes": {"solid": False, "dashed": [7, 4], "dotted": [2, 3]}[st.border]},
        }
    groups["motion"] = {
        "shape": "box",
        "color": {"background": "#FFFFFF", "border": "#000000", "highlight": {"background": "#FFFFFF", "border": "#000000"}},
        "borderWidth": 4,
        "font": {"size": 22, "face": _FONT, "color": "#000000"},
        "margin": 14,
    }
    groups["source"] = {
        "shape": "box",
        "color": {"background": "#FFFFFF", "border": "#555555", "highlight": {"background": "#FFFFFF", "border": "#000000"}},
        "borderWidth": 1,
        "shapeProperties": {"borderRadius": 0},
        "font": {"size": 11, "face": _FONT, "color": "#333333"},
    }
    groups["speaker"] = {
        "shape": "ellipse",
        "color": {"background": "#E8F4FB", "border": "#56B4E9", "highlight": {"background": "#FFFFFF", "border": "#000000"}},
        "borderWidth": 1,
        "font": {"size": 11, "face": _FONT, "color": "#333333"},
    }
    groups["junction"] = {
        "shape": "dot",
        "size": 4,
        "color": {"background": "#CC79A7", "border": "#CC79A7"},
        "font": {"size": 0},
    }
    return groups


# ---------------------------------------------------------------- escaping and small helpers


def script_json(value: Any) -> str:
    """``value`` as JSON that is safe inside a ``<script>`` element: ``<``, ``>``, ``&`` and the line
    separators U+2028/U+2029 are written as ``\\u`` escapes, so no text can close the element or open a
    comment, and the output is ASCII.

    >>> script_json({"t": "</script><b>&\\u2028"})
    '{"t":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026\\\\u2028"}'
    """
    text = json.dumps(value, ensure_ascii=True, separators=(",", ":"), sort_keys=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def html_text(s: str) -> str:
    """Text for HTML element content or a quoted attribute."""
    import html

    return html.escape(s, quote=True)


def short_label(text: str, *, width: int = 26, lines: int = 3) -> str:
    """A node label: ``text`` wrapped at ``width`` characters, at most ``lines`` lines, cut with an ellipsis.

    >>> short_label("Overdose prevention centers save lives in New York City and elsewhere, every year", width=20)
    'Overdose prevention\\ncenters save lives\\nin New York City…'
    """
    import textwrap

    words = " ".join(text.split())
    wrapped = textwrap.wrap(words, width=width, break_long_words=True) or [""]
    if len(wrapped) > lines:
        wrapped = wrapped[:lines]
        last = wrapped[-1]
        if len(last) >= width and " " in last:
            last = last.rsplit(" ", 1)[0]
        wrapped[-1] = last[: width - 1].rstrip(" ,.;:") + "…"
    return "\n".join(wrapped)


def claim_lines(title: str) -> str:
    """A claim's short title as the lines of its map label (the box's own label and the label drawn over
    the overview share them).

    >>> claim_lines("Supervised sites cut overdose deaths in the neighbourhood")
    'Supervised sites cut\\noverdose deaths in the\\nneighbourhood'
    """
    return short_label(title, width=24, lines=3)


def slug(text: str) -> str:
    """A file-name-safe slug.

    >>> slug("Overdose prevention centers (OPC)!")
    'overdose-prevention-centers-opc'
    """
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "debate"


def map_filename(corpus: Corpus) -> str:
    """The default file name of a debate's map: its id as a slug, ``.html``."""
    return f"{slug(corpus.debate.id)}.html"


# ---------------------------------------------------------------- layout


def _tree(corpus: Corpus) -> tuple[dict[str, str | None], dict[str | None, list[str]]]:
    """A spanning forest for the radial layout: each claim's parent is a claim it supports, attacks or
    undercuts (the one reached first, breadth-first from the claims that bear on the motion directly);
    ``None`` is the motion. Claims in cycles unreachable that way start new subtrees of the motion."""
    targets: dict[str, list[str]] = defaultdict(list)  # claim -> claims it bears on
    answered_by: dict[str, list[str]] = defaultdict(list)  # claim -> claims bearing on it
    by_id = corpus.relations_by_id
    for r in sorted_relations(corpus):
        to = r.target
        if r.type == "undercuts" and to in by_id:
            to = by_id[to].target  # an undercut bears on the undercut relation's conclusion
        if to in corpus.claims_by_id and to != r.source:
            targets[r.source].append(to)
            answered_by[to].append(r.source)
    ids = [c.id for c in sorted_claims(corpus)]
    parent: dict[str, str | None] = {}
    children: dict[str | None, list[str]] = defaultdict(list)

    def grow(roots: list[str]) -> None:
        queue: deque[str] = deque()
        for cid in roots:
            if cid not in parent:
                parent[cid] = None
                children[None].append(cid)
                queue.append(cid)
        while queue:
            cur = queue.popleft()
            for kid in answered_by.get(cur, ()):
                if kid not in parent:
                    parent[kid] = cur
                    children[cur].append(kid)
                    queue.append(kid)

    grow([cid for cid in ids if not targets.get(cid)])
    for cid in ids:  # cycles cut off from the motion
        if cid not in parent:
            grow([cid])
    # The motion's subtrees side by side: for, against, context, each side's by its dominant topic, so that
    # a side and a topic each take one stretch of the circle and can be named on the map.
    children[None].sort(key=lambda cid: _root_key(corpus, cid, children))
    return parent, children


SIDE_ORDER = {"pro": 0, "con": 1, "neutral": 2}


def _subtree(children: dict[str | None, list[str]], root: str) -> list[str]:
    out, stack = [], [root]
    while stack:
        node = stack.pop()
        out.append(node)
        stack.extend(reversed(children.get(node, ())))
    return out


def _dominant_topic(corpus: Corpus, ids: list[str]) -> str:
    """The most frequent first topic of ``ids`` (ties by topic id; ``""`` when none has a topic)."""
    counts: dict[str, int] = defaultdict(int)
    for cid in ids:
        topics = corpus.claims_by_id[cid].topics
        if topics:
            counts[topics[0]] += 1
    return min(counts, key=lambda t: (-counts[t], t)) if counts else ""


def _subtree_topic(corpus: Corpus, children: dict[str | None, list[str]], root: str) -> str:
    """What a subtree of the motion argues about: the dominant topic of its claims on its root's side."""
    side = corpus.claims_by_id[root].stance
    return _dominant_topic(corpus, [c for c in _subtree(children, root) if corpus.claims_by_id[c].stance == side])


def _root_key(corpus: Corpus, cid: str, children: dict[str | None, list[str]]) -> tuple[int, str, str]:
    return (SIDE_ORDER[corpus.claims_by_id[cid].stance], _subtree_topic(corpus, children, cid), cid)


def layout(corpus: Corpus, *, spring: bool | None = None) -> dict[str, tuple[float, float]]:
    """Positions of the claims (by id) and of the motion (key ``""``) at the origin.

    A radial tree: the claims that bear on the motion directly on the first ring, what answers them further
    out, each subtree in an angle in proportion to its size, each ring wide enough for its claims. Linear in
    the number of claims and relations. With ``spring`` (default: up to :data:`SPRING_LIMIT` claims) it is
    then refined by networkx's spring layout, the motion held at the centre.

    >>> from argmap.sources import load_corpus
    >>> pos = layout(load_corpus("tests/data/mini"), spring=False)
    >>> pos[""], len(pos)  # the motion and six claims
    ((0.0, 0.0), 7)
    """
    parent, children = _tree(corpus)
    size: dict[str | None, int] = {}
    order: list[str | None] = [None]
    for node in order:  # breadth-first order; sizes summed in reverse
        order.extend(children.get(node, ()))
    for node in reversed(order):
        size[node] = 1 + sum(size[k] for k in children.get(node, ()))
    depth: dict[str | None, int] = {None: 0}
    claims_in_order = [node for node in order if node is not None]  # order[1:]: the motion (None) comes first
    for node in claims_in_order:
        depth[node] = depth[parent[node]] + 1
    per_ring: dict[int, int] = defaultdict(int)
    for node in claims_in_order:
        per_ring[depth[node]] += 1
    radius = {0: 0.0}
    spacing = 190.0  # along a ring, between claim centres
    for d in range(1, max(per_ring, default=0) + 1):
        radius[d] = max(radius[d - 1] + 260.0, per_ring[d] * spacing / (2 * math.pi))
    # The for side centred on the left (angle pi), against after it, over the top to the right.
    pro_size = sum(size[k] for k in children.get(None, ()) if corpus.claims_by_id[k].stance == "pro")
    start_angle = math.pi - math.pi * pro_size / max(size[None] - 1, 1)
    angle: dict[str | None, tuple[float, float]] = {None: (start_angle, start_angle + 2 * math.pi)}
    pos: dict[str, tuple[float, float]] = {"": (0.0, 0.0)}
    for node in order:
        lo, hi = angle[node]
        kids = children.get(node, ())
        total = sum(size[k] for k in kids)
        start = lo
        for k in kids:
            span = (hi - lo) * size[k] / total
            angle[k] = (start, start + span)
            mid = start + span / 2
            r = radius[depth[k]]
            pos[k] = (r * math.cos(mid), r * math.sin(mid))
            start += span
    use_spring = len(corpus.claims) <= SPRING_LIMIT if spring is None else spring
    isolated = _isolated(corpus)
    lonely = [
        c.id for c in sorted(corpus.claims, key=lambda c: (c.topics[:1], c.id)) if c.id in isolated and c.stance == "neutral"
    ]
    for cid in lonely:
        del pos[cid]
    if use_spring and len(pos) > 2:
        pos = _spring(corpus, pos)
    pos.update(_rows(lonely, pos))
    return {k: (round(x, 1), round(y, 1)) for k, (x, y) in pos.items()}


def _isolated(corpus: Corpus) -> set[str]:
    """Claims that no relation touches."""
    touched = {r.source for r in corpus.relations} | {r.target for r in corpus.relations}
    return {c.id for c in corpus.claims if c.id not in touched}


def _rows(ids: list[str], pos: dict[str, tuple[float, float]]) -> dict[str, tuple[float, float]]:
    """Claims that no relation touches, in rows under the rest of the map (a node's width apart)."""
    if not ids:
        return {}
    xs = [x for x, _ in pos.values()]
    ys = [y for _, y in pos.values()]
    left, right, bottom = min(xs), max(xs), max(ys)
    per_row = max(4, int((right - left) // 300) + 1)
    return {cid: (left + 300.0 * (i % per_row), bottom + 220.0 + 120.0 * (i // per_row)) for i, cid in enumerate(ids)}


def _spring(corpus: Corpus, pos: dict[str, tuple[float, float]]) -> dict[str, tuple[float, float]]:
    """Refine ``pos`` with a seeded spring layout (deterministic), the motion fixed at the centre."""
    import networkx as nx

    G: nx.Graph[str] = nx.Graph()
    G.add_nodes_from([""] + [c.id for c in sorted_claims(corpus) if c.id in pos])
    parent, _ = _tree(corpus)
    for cid, p in sorted(parent.items()):
        if cid in pos:
            G.add_edge(cid, p if p is not None else "")
    by_id = corpus.relations_by_id
    for r in sorted_relations(corpus):
        to = by_id[r.target].target if r.type == "undercuts" and r.target in by_id else r.target
        if to in corpus.claims_by_id:
            G.add_edge(r.source, to)
    scale = max((math.hypot(x, y) for x, y in pos.values()), default=1.0) or 1.0
    start = {k: (x / scale, y / scale) for k, (x, y) in pos.items()}
    k = 1.6 / math.sqrt(max(G.number_of_nodes(), 1))
    out = nx.spring_layout(G, pos=start, fixed=[""], k=k, iterations=60, seed=7)
    # Scale so that a claim's nearest neighbour is typically a node's width away: compact but legible.
    import numpy as np
    from scipy.spatial import cKDTree

    keys = sorted(out)
    pts = np.array([out[n] for n in keys])
    dist, _ = cKDTree(pts).query(pts, k=2)
    near = sorted(float(d) for d in np.asarray(dist)[:, 1])  # an array for array input (the stubs say float too)
    typical = near[len(near) // 2] or 1.0
    f = 200.0 / typical
    return {n: (float(out[n][0]) * f, float(out[n][1]) * f) for n in keys}


def _ring(items: list[tuple[str, float]], radius: float) -> dict[str, tuple[float, float]]:
    """Place ``(id, wanted angle)`` items on a circle of ``radius``, in angle order, at least a node's
    width apart (spread evenly when they do not fit)."""
    if not items:
        return {}
    items = sorted(items, key=lambda t: (t[1], t[0]))
    gap = 170.0 / radius
    if gap * len(items) > 2 * math.pi:
        gap = 2 * math.pi / len(items)
    placed: list[float] = []
    for _, a in items:
        placed.append(max(a, placed[-1] + gap) if placed else a)
    overflow = placed[-1] - (placed[0] + 2 * math.pi - gap)
    if overflow > 0:  # wrapped past the first: shift everything back evenly
        placed = [a - overflow * i / max(len(placed) - 1, 1) for i, a in enumerate(placed)]
    return {i: (radius * math.cos(a), radius * math.sin(a)) for (i, _), a in zip(items, placed)}


SIDE_NAMES = {
    "pro": f"{STANCE_WORDS['pro']} the motion",
    "con": f"{STANCE_WORDS['con']} the motion",
    "neutral": STANCE_WORDS["neutral"],
}


def map_regions(corpus: Corpus, pos: dict[str, tuple[float, float]]) -> list[dict[str, Any]]:
    """The named regions of the full map, for labels drawn over it: each side's stretch of the circle, each
    run of subtrees of one side with one dominant topic, and the rows of loose context claims (claims that no
    relation touches and that take no side). Each is ``{"kind", "label", "stance", "x", "y", "n"}``, at the
    centroid of its claims (the loose rows: above them); largest first within a kind.

    >>> from argmap.sources import load_corpus
    >>> mini = load_corpus("tests/data/mini")
    >>> [(r["kind"], r["label"], r["n"]) for r in map_regions(mini, layout(mini))]
    [('side', 'FOR the motion', 4), ('side', 'AGAINST the motion', 2), ('topic', 'Safety', 4), ('topic', 'Cost', 2)]
    """
    _, children = _tree(corpus)
    topic_label = {t.id: t.label for t in corpus.topics}
    by_side: dict[str, list[str]] = defaultdict(list)
    runs: list[tuple[str, str, list[str]]] = []
    for root in children.get(None, ()):
        members = [c for c in _subtree(children, root) if c in pos]
        if not members:
            continue
        side = corpus.claims_by_id[root].stance
        topic = _subtree_topic(corpus, children, root)
        by_side[side].extend(members)
        if runs and runs[-1][0] == side and runs[-1][1] == topic:
            runs[-1][2].extend(members)
        else:
            runs.append((side, topic, list(members)))

    def centre(ids: list[str]) -> tuple[float, float]:
        return (round(sum(pos[i][0] for i in ids) / len(ids), 1), round(sum(pos[i][1] for i in ids) / len(ids), 1))

    out: list[dict[str, Any]] = []
    for side in ("pro", "con"):
        if by_side.get(side):
            x, y = centre(by_side[side])
            out.append({"kind": "side", "label": SIDE_NAMES[side], "stance": side, "x": x, "y": y, "n": len(by_side[side])})
    topics = []
    for side, topic, ids in runs:
        if topic and len(ids) >= 2 and side != "neutral":
            x, y = centre(ids)
            topics.append(
                {"kind": "topic", "label": topic_label.get(topic, topic), "stance": side, "x": x, "y": y, "n": len(ids)}
            )
    out.extend(sorted(topics, key=lambda r: -r["n"]))
    loose = [c for c in _isolated(corpus) if corpus.claims_by_id[c].stance == "neutral" and c in pos]
    if loose:
        xs = [pos[c][0] for c in loose]
        top = min(pos[c][1] for c in loose)
        out.append(
            {
                "kind": "loose",
                "label": f"CONTEXT: {len(loose)} background claims that no relation touches",
                "stance": "neutral",
                "x": round((min(xs) + max(xs)) / 2, 1),
                "y": round(top - 90.0, 1),
                "n": len(loose),
            }
        )
    return out


def glance_data(corpus: Corpus, *, k: int = 5, preferences: str = "evidence") -> dict[str, Any]:
    """The "at a glance" lists of the map's side panel, per side: the ``k`` strongest claims (DF-QuAD
    strength, then id), the claims nothing attacks (for con: the objections nobody answered), strongest
    first, and the ``k`` most contested claims (most attacks and undercuts in and out). They come from the
    same analyses as ``argmap analyze`` (:func:`argmap.graph.analysis.run_analyses`), with ``preferences``
    (``"none"``: the strengths of plain DF-QuAD, for the map's "weigh evidence" toggle).

    >>> from argmap.sources import load_corpus
    >>> g = glance_data(load_corpus("tests/data/mini"))
    >>> g["con"]["unanswered"], [r["id"] for r in g["con"]["contested"]]
    ([], ['cost-2m', 'hurt-sales'])
    """
    from argmap.graph.analysis import run_analyses
    from argmap.graph.build import build_graph
    from argmap.graph.projection import project

    P = project(build_graph(corpus))
    r = run_analyses(P, ["strength", "unanswered", "contested"], config={"contested": {"k": None}}, preferences=preferences)
    strong = {cid: v["strength"] for cid, v in r["strength"]["claims"].items()}
    out: dict[str, Any] = {}
    for side in ("pro", "con"):
        ids = sorted((c.id for c in corpus.claims if c.stance == side), key=lambda cid: (-strong.get(cid, 0.0), cid))
        out[side] = {
            "strongest": ids[:k],
            "unanswered": sorted(r["unanswered"][side], key=lambda cid: (-strong.get(cid, 0.0), cid)),
            "contested": [
                {key: row[key] for key in ("id", "attacks_in", "attacks_out", "undercuts_in", "undercuts_out", "total")}
                for row in r["contested"]
                if row["stance"] == side
            ][:k],
        }
    out["strength"] = {cid: strong[cid] for cid in sorted(strong)}
    return out


def claim_rank(corpus: Corpus, metrics: Metrics | None) -> list[str]:
    """Claim ids, most important first: the order in which the map labels claims at the overview. By
    PageRank (the claims the debate converges on), then strength, with the analysis; else by the number of
    relations a claim takes part in; then by id."""
    if metrics:
        return sorted(
            (c.id for c in corpus.claims),
            key=lambda cid: (-(metrics.get(cid, {}).get("pagerank") or 0.0), -(metrics.get(cid, {}).get("strength") or 0.0), cid),
        )
    degree: dict[str, int] = defaultdict(int)
    for r in corpus.relations:
        degree[r.source] += 1
        degree[r.target] += 1
    return sorted((c.id for c in corpus.claims), key=lambda cid: (-degree[cid], cid))


# ---------------------------------------------------------------- the page's data


def map_data(corpus: Corpus, *, metrics: Metrics | None = None, plain: Metrics | None = None) -> dict[str, Any]:
    """Everything the side panel, filters and search show, as one JSON-ready dict (text stays raw here;
    the page escapes it by writing it with ``textContent``)."""
    claims = []
    for c in sorted_claims(corpus):
        q = c.located
        m = (metrics or {}).get(c.id)
        row: dict[str, Any] = {
            "id": c.id,
            "text": c.text,
            "title": c.short_title,
            "lines": claim_lines(c.short_title),
            "quote": q.exact if q else c.quote,
            "stance": c.stance,
            "kind": c.kind,
            "topics": list(c.topics),
            "speaker": c.speaker,
            "source": c.source,
        }
        if c.figures:
            row["figures"] = [
                " ".join(
                    p
                    for p in (
                        f.qualifier or "",
                        fmt_number(f.value),
                        f.unit,
                        f"({f.period})" if f.period else "",
                        f"in {f.place}" if f.place else "",
                    )
                    if p
                )
                for f in c.figures
            ]
        if c.note:
            row["note"] = c.note
        if m:
            row["m"] = {
                "grounded": m.get("grounded"),
                "reason": m.get("grounded_reason"),
                "strength": m.get("strength"),
                "settled": m.get("strength_converged"),
                "pagerank": m.get("pagerank"),
                "betweenness": m.get("betweenness"),
                "community": m.get("community"),
                "evidence_level": m.get("evidence_level"),
                "evidence": m.get("evidence"),
                "not_defeated_by": [{"claim": x["claim"], "why": x["why"]} for x in m.get("not_defeated_by") or ()],
            }
            p0 = (plain or {}).get(c.id)
            if p0:  # the same claim under plain Dung (every attack defeats), for the map's preferences toggle
                row["m0"] = {
                    "grounded": p0.get("grounded"),
                    "reason": p0.get("grounded_reason"),
                    "strength": p0.get("strength"),
                    "settled": p0.get("strength_converged"),
                }
        claims.append(row)
    sources = []
    for s in sorted(corpus.sources, key=lambda s: s.id):
        row = {"id": s.id, "title": s.title, "kind": s.kind, "excerpt": bool(s.excerpt)}
        for key in ("publisher", "date", "citation", "doi", "design", "place", "period", "read_in", "note"):
            value = getattr(s, key)
            if value:
                row[key] = str(value)
        if s.authors:
            row["authors"] = list(s.authors)
        url = safe_url(s.url)
        if url:
            row["url"] = url
        sources.append(row)
    speakers = []
    for p in sorted(corpus.speakers, key=lambda p: p.id):
        row = {"id": p.id, "name": p.name, "type": p.type}
        for key in ("role", "party", "affiliation"):
            value = getattr(p, key)
            if value:
                row[key] = value
        speakers.append(row)
    return {
        "id": corpus.debate.id,
        "title": corpus.debate.title,
        "motion": corpus.debate.motion,
        "description": corpus.debate.description or "",
        "claims": claims,
        "relations": [
            {"id": r.id, "from": r.source, "to": r.target, "type": r.type, "rationale": r.rationale}
            for r in sorted_relations(corpus)
        ],
        "sources": sources,
        "speakers": speakers,
        "topics": [{"id": t.id, "label": t.label, "definition": t.definition} for t in sorted(corpus.topics, key=lambda t: t.id)],
        "grounded_words": GROUNDED_WORDS,
        "grounded_colours": GROUNDED_COLOURS,
        "stances": list(STANCES),
        "stance_words": STANCE_WORDS,
        "has_metrics": bool(metrics),
    }


def _network(corpus: Corpus, *, physics: bool):
    """The pyvis Network: nodes and edges in bulk, options from pyvis's own objects plus our groups."""
    from pyvis.network import Network

    pos = layout(corpus)
    net = Network(directed=True, height="100%", width="100%", cdn_resources="in_line")
    net.toggle_physics(physics)
    if physics:
        net.barnes_hut(gravity=-6000, central_gravity=0.15, spring_length=160, spring_strength=0.02, damping=0.5, overlap=0.4)
        net.toggle_stabilization(True)
    options = json.loads(net.options.to_json())
    options["edges"].update(_edge_style(EDGE_STYLES["attacks"]))
    options["edges"]["color"]["inherit"] = False
    options["edges"]["dashes"] = False
    options["edges"]["smooth"] = {"enabled": False} if not physics else {"enabled": True, "type": "continuous", "roundness": 0.3}
    if physics:
        options["physics"]["stabilization"].update({"iterations": 200, "updateInterval": 25, "fit": True})
    options["nodes"] = {
        "physics": physics,
        "font": {"size": 14, "face": _FONT, "color": "#111111"},
        "margin": 8,
        "scaling": {
            "label": {"enabled": False, "min": 11, "max": 26, "drawThreshold": VIEW["label_min_px"] + 1, "maxVisible": 26},
            "min": 5,
            "max": 40,
        },
    }
    options["groups"] = _groups()
    options["interaction"].update(
        {
            "hover": False,
            "tooltipDelay": 250,
            "keyboard": {"enabled": False},
            "navigationButtons": False,
            "multiselect": False,
            "hideEdgesOnDrag": len(corpus.claims) > PHYSICS_LIMIT,
        }
    )
    options["layout"] = {"improvedLayout": False, "randomSeed": 1}

    nodes: list[dict[str, Any]] = [
        {
            "id": "m",
            "label": short_label(corpus.debate.motion, width=28, lines=4),
            "group": "motion",
            "x": 0,
            "y": 0,
            "kind": "motion",
            "fixed": True,
        }
    ]
    for c in sorted_claims(corpus):
        x, y = pos[c.id]
        nodes.append(
            {
                "id": f"c:{c.id}",
                "label": f"{STANCE_WORDS[c.stance]}\n{claim_lines(c.short_title)}",
                "group": c.stance,
                "x": x,
                "y": y,
                "kind": "claim",
            }
        )
    edges: list[dict[str, Any]] = []
    by_id = corpus.relations_by_id
    undercut = {r.target for r in corpus.relations if r.type == "undercuts"}
    rel_list = sorted_relations(corpus)
    for r in rel_list:
        frm = f"c:{r.source}"
        if r.type == "undercuts":
            to = f"j:{r.target}"
        else:
            to = f"c:{r.target}"
        st = EDGE_STYLES[r.type]
        if r.id in undercut:  # drawn through a junction that the undercut points at
            sx, sy = pos[r.source]
            tx, ty = pos[r.target]
            nodes.append(
                {
                    "id": f"j:{r.id}",
                    "group": "junction",
                    "x": round((sx + tx) / 2, 1),
                    "y": round((sy + ty) / 2, 1),
                    "kind": "junction",
                    "label": " ",
                }
            )
            edges.append({"id": f"r:{r.id}:a", "from": frm, "to": f"j:{r.id}", "rel": r.id, **_relation_style(st, arrow=False)})
            edges.append({"id": f"r:{r.id}", "from": f"j:{r.id}", "to": to, "rel": r.id, **_relation_style(st)})
        elif r.type == "undercuts" and r.target not in by_id:
            continue
        else:
            edges.append({"id": f"r:{r.id}", "from": frm, "to": to, "rel": r.id, **_relation_style(st)})
    direct = _bears_on_motion(corpus)
    for c in sorted_claims(corpus):
        if c.id in direct:
            edges.append(
                {"id": f"m:{c.id}", "from": f"c:{c.id}", "to": "m", "kind": "motion", **_edge_style(EDGE_STYLES["motion"])}
            )

    # Sources and speakers: hidden until asked for, on rings outside the claims, near their claims.
    outer = max((math.hypot(x, y) for x, y in pos.values()), default=0.0)
    claims_of_source: dict[str, list[str]] = defaultdict(list)
    claims_of_speaker: dict[str, list[str]] = defaultdict(list)
    for c in sorted_claims(corpus):
        claims_of_source[c.source].append(c.id)
        claims_of_speaker[c.speaker].append(c.id)

    def mean_angle(ids: list[str]) -> float:
        sx = sum(pos[i][0] for i in ids)
        sy = sum(pos[i][1] for i in ids)
        return math.atan2(sy, sx) if (sx or sy) else 0.0

    src_pos = _ring([(s, mean_angle(ids)) for s, ids in sorted(claims_of_source.items())], outer + 320)
    spk_pos = _ring([(p, mean_angle(ids)) for p, ids in sorted(claims_of_speaker.items())], outer + 620)
    for s in sorted(corpus.sources, key=lambda s: s.id):
        if s.id not in src_pos:
            continue
        x, y = src_pos[s.id]
        nodes.append(
            {
                "id": f"s:{s.id}",
                "label": short_label(s.title, width=24, lines=2),
                "group": "source",
                "x": round(x, 1),
                "y": round(y, 1),
                "kind": "source",
                "hidden": True,
            }
        )
    for p in sorted(corpus.speakers, key=lambda p: p.id):
        if p.id not in spk_pos:
            continue
        x, y = spk_pos[p.id]
        nodes.append(
            {
                "id": f"p:{p.id}",
                "label": short_label(p.name, width=22, lines=2),
                "group": "speaker",
                "x": round(x, 1),
                "y": round(y, 1),
                "kind": "speaker",
                "hidden": True,
            }
        )
    for c in sorted_claims(corpus):
        edges.append(
            {
                "id": f"s:{c.id}",
                "from": f"c:{c.id}",
                "to": f"s:{c.source}",
                "kind": "source",
                "hidden": True,
                **_edge_style(EDGE_STYLES["source"]),
            }
        )
        edges.append(
            {
                "id": f"p:{c.id}",
                "from": f"c:{c.id}",
                "to": f"p:{c.speaker}",
                "kind": "speaker",
                "hidden": True,
                **_edge_style(EDGE_STYLES["speaker"]),
            }
        )
    # In bulk: pyvis's add_node looks each id up in a list, which is quadratic in the number of nodes.
    net.nodes = nodes
    net.node_ids = [n["id"] for n in nodes]
    net.node_map = {n["id"]: n for n in nodes}
    net.edges = edges
    net.options = options
    return net, pos


def _bears_on_motion(corpus: Corpus) -> set[str]:
    """Claims that support, attack or undercut no other claim: they bear on the motion itself."""
    out = {r.source for r in corpus.relations}
    return {c.id for c in corpus.claims if c.id not in out and c.stance != "neutral"}


def _relation_style(st: dict[str, Any], *, arrow: bool = True) -> dict[str, Any]:
    """A relation edge's own options: attacks, the most common, take colour and arrowhead from the global edge
    options and have only their dashes of their own (vis-network does not pass a global dash pattern on to
    the edges); the others override colour, dashes and arrowhead. None has a width of its own: the page
    scales every relation's width with the zoom through the global options alone."""
    if st is EDGE_STYLES["attacks"]:
        return {"dashes": st["dashes"]} if arrow else {"dashes": st["dashes"], "arrows": {"to": {"enabled": False}}}
    e = _edge_style(st, arrow=arrow)
    del e["width"]
    return e


def _edge_style(st: dict[str, Any], *, arrow: bool = True) -> dict[str, Any]:
    e: dict[str, Any] = {
        "color": {"color": st["color"], "highlight": st["color"], "opacity": 1.0},
        "width": st["width"],
        "dashes": st["dashes"],
    }
    if arrow and st["arrow"]:
        e["arrows"] = {"to": {"enabled": True, "type": st["arrow"], "scaleFactor": 0.8 if st["arrow"] == "bar" else 0.7}}
    else:
        e["arrows"] = {"to": {"enabled": False}}
    return e


# ---------------------------------------------------------------- the page


def _template(name: str) -> str:
    return resources.files("argmap.export").joinpath("templates", name).read_text(encoding="utf-8")


def _vis_files() -> tuple[str, str]:
    """vis-network's JavaScript and CSS as bundled in the installed pyvis package."""
    import pyvis

    lib = Path(pyvis.__file__).parent / "templates" / "lib"
    if not lib.is_dir():
        lib = Path(pyvis.__file__).parent / "lib"
    folders = sorted(p for p in lib.glob("vis-*") if (p / "vis-network.min.js").is_file())
    if not folders:
        from argmap.errors import ExportError

        raise ExportError(f"vis-network's files are missing from the pyvis package ({lib})")
    newest = max(folders, key=lambda p: tuple(int(x) for x in re.findall(r"\d+", p.name)))
    return (newest / "vis-network.min.js").read_text(encoding="utf-8"), (newest / "vis-network.css").read_text(encoding="utf-8")


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def render_map(
    corpus: Corpus,
    *,
    metrics: Metrics | None = None,
    title: str | None = None,
    physics: bool | None = None,
    glance: dict[str, Any] | None = None,
    plain: Metrics | None = None,
) -> str:
    """The interactive map of ``corpus`` as one self-contained HTML page.

    ``metrics`` are the per-claim analysis results (:func:`argmap.graph.analysis.metrics_for_corpus`) the
    side panel shows and the map can be coloured and sized by; ``title`` is the page title (default: the
    debate's); ``physics`` switches vis-network's physics on (default: only up to :data:`PHYSICS_LIMIT`
    nodes); ``glance`` the "at a glance" lists (:func:`glance_data`, computed here when ``metrics`` are given
    and ``glance`` is not); ``plain`` the verdicts under plain Dung semantics (``preferences="none"``), for the
    page's "weigh evidence" toggle (computed here when ``metrics`` are given and ``plain`` is not). The same
    arguments give the same bytes.
    """
    n_nodes = len(corpus.claims) + 1
    use_physics = n_nodes <= PHYSICS_LIMIT if physics is None else physics
    net, pos = _network(corpus, physics=use_physics)
    nodes, edges, _heading, _height, _width, options = net.get_network_data()
    if plain is None and metrics:
        from argmap.graph.analysis import metrics_for_corpus

        plain = metrics_for_corpus(corpus, preferences="none")
    data = map_data(corpus, metrics=metrics, plain=plain)
    if glance is None and metrics:
        glance = glance_data(corpus)
    data["glance"] = glance
    if glance is not None:  # the lists under plain Dung, for the "weigh evidence" toggle
        data["glance0"] = glance_data(corpus, preferences="none")
    data["regions"] = map_regions(corpus, pos)
    data["rank"] = claim_rank(corpus, metrics)
    data["physics"] = use_physics
    data["edge_width"] = EDGE_STYLES["attacks"]["width"]
    data["view"] = VIEW
    vis_js, vis_css = _vis_files()
    scripts = {
        "vis": vis_js,
        "app": _template("map.js"),
    }
    styles = vis_css + "\n" + _template("map.css")
    csp = (
        "default-src 'none'; "
        f"script-src {_sha256(scripts['vis'])} {_sha256(scripts['app'])}; "
        "style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
    )
    page_title = title or f"{corpus.debate.title}: argument map"
    values = {
        "CSP": html_text(csp),
        "TITLE": html_text(page_title),
        "HEADING": html_text(page_title),
        "STYLE": styles,
        "DATA": script_json(data),
        "NODES": script_json(nodes),
        "EDGES": script_json(edges),
        "OPTIONS": script_json(json.loads(options) if isinstance(options, str) else options),
        "VIS_JS": scripts["vis"],
        "APP_JS": scripts["app"],
    }
    page = _template("map.html")
    # One pass, so a value can never be taken for a placeholder.
    return re.sub(r"@@([A-Z_]+)@@", lambda m: values[m.group(1)], page)
