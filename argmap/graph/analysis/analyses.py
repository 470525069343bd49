"""The named analyses: what a debater wants to know about the argument graph.

Each is a plain function of a :class:`~argmap.graph.projection.Projection`, options keyword-only, returning one
JSON-ready shape. They are registered by name in :data:`argmap.graph.analysis.ANALYSES`.

In the examples, ``tiny()`` is this small debate (``x -> y`` means x attacks y, ``x => y`` x supports y)::

    p1 (pro, safety)  => p2 (pro, safety)      c1 (con, cost) -> p2       p3 (pro, cost) -> c1
    c2 (con, cost)   <-> p4 (pro, cost)         n1 (neutral, safety): isolated
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any, Mapping

from argmap.graph.analysis import dung, gradual
from argmap.perf import paused_gc

if TYPE_CHECKING:
    from argmap.graph.projection import Projection

SIDES = ("pro", "con", "neutral")


def tiny() -> Projection:
    """The small debate the examples use (see the module docstring)."""
    from argmap.graph.projection import make_projection

    claims = {
        "p1": {"stance": "pro", "topics": ["safety"], "source": "s1"},
        "p2": {"stance": "pro", "topics": ["safety"], "source": "s2"},
        "p3": {"stance": "pro", "topics": ["cost"], "source": "s2"},
        "c1": {"stance": "con", "topics": ["cost"], "source": "s3"},
        "c2": {"stance": "con", "topics": ["cost"], "source": "s3"},
        "p4": {"stance": "pro", "topics": ["cost"], "source": "s2"},
        "n1": {"stance": "neutral", "topics": ["safety"], "source": "s1"},
    }
    relations = [
        ("p1", "supports", "p2"),
        ("c1", "attacks", "p2"),
        ("p3", "attacks", "c1"),
        ("c2", "attacks", "p4"),
        ("p4", "attacks", "c2"),
    ]
    return make_projection(claims, relations, topics={"safety": "Safety", "cost": "Cost"})


def _r(x: float) -> float:
    """Six decimals, so that results are stable and diff cleanly."""
    return round(float(x), 6) + 0.0


def _stance(P: Projection, cid: str) -> str:
    return P.claims.nodes[cid].get("stance") or "neutral"


# ---------------------------------------------------------------- centrality


def _samples(P: Projection, max_work: int) -> int | None:
    """How many source claims betweenness is estimated from: None (all, exact) when the work allows."""
    n = P.claims.number_of_nodes()
    size = n + P.claims.number_of_edges()
    return None if n * size <= max_work else min(n, max(16, max_work // size))


def centrality_values(P: Projection, *, max_work: int = 1_000_000, seed: int = 0) -> dict[str, tuple[float, float]]:
    """Each claim's (PageRank, betweenness), unrounded; cached on the projection."""
    import networkx as nx

    key = ("centrality", max_work, seed)
    if key in P._cache:
        return P._cache[key]
    G = P.claims
    if G.number_of_nodes() == 0:
        return {}
    with paused_gc():
        pr = nx.pagerank(G)
        H = nx.Graph()
        H.add_nodes_from(G)
        H.add_edges_from((u, v) for u, v in G.edges() if u != v)
        bc = nx.betweenness_centrality(H, k=_samples(P, max_work), seed=seed, normalized=True)
    out = {cid: (pr[cid], bc[cid]) for cid in P.claim_ids()}
    P._cache[key] = out
    return out


def centrality(P: Projection, *, k: int = 5, max_work: int = 1_000_000, seed: int = 0) -> dict[str, Any]:
    """PageRank and betweenness of every claim, and the ``k`` most central claims of each side.

    PageRank runs on the directed argument graph (edges from a reason to the claim it bears on, supports,
    attacks and undercuts alike), so it ranks the claims the debate converges on. Betweenness runs on the
    undirected graph, so it finds the claims that bridge parts of the debate. Exact betweenness costs about
    claims x (claims + relations) steps; above ``max_work`` it is estimated from ``max_work // (claims +
    relations)`` source claims (at least 16) drawn with ``seed``, and ``betweenness_sampled`` says so. Claims
    are ranked by PageRank, then betweenness, then id.

    Returns
    -------
    dict
        ``{"claims": {id: {"pagerank", "betweenness"}}, "top": {"pro": [ids], "con": [ids], "neutral": [ids]},
        "betweenness_sampled": bool}``

    Examples
    --------
    >>> r = centrality(tiny(), k=2)
    >>> r["top"]
    {'pro': ['p4', 'p2'], 'con': ['c2', 'c1'], 'neutral': ['n1']}
    >>> r["claims"]["c1"]
    {'pagerank': 0.085627, 'betweenness': 0.133333}
    """
    values = centrality_values(P, max_work=max_work, seed=seed)
    ranked = sorted(values, key=lambda c: (-values[c][0], -values[c][1], c))
    top: dict[str, list[str]] = {side: [] for side in SIDES}
    for cid in ranked:
        side = top[_stance(P, cid)]
        if len(side) < k:
            side.append(cid)
    return {
        "claims": {c: {"pagerank": _r(values[c][0]), "betweenness": _r(values[c][1])} for c in sorted(values)},
        "top": top,
        "betweenness_sampled": _samples(P, max_work) is not None,
    }


# ---------------------------------------------------------------- contested and unanswered


def contested(P: Projection, *, k: int | None = 10) -> list[dict[str, Any]]:
    """The claims with the most attacks in and out, most first (``k`` of them; None for all).

    Undercuts count apart: ``undercuts_in`` are undercuts of the claim's own inferences, ``undercuts_out`` those
    it makes. Claims in no attack or undercut are left out.

    Examples
    --------
    >>> [(r["id"], r["attacks_in"], r["attacks_out"]) for r in contested(tiny(), k=3)]
    [('c1', 1, 1), ('c2', 1, 1), ('p4', 1, 1)]
    """
    rows = []
    G = P.claims
    for cid in P.claim_ids():
        ins = [(u, d["type"]) for u, _, d in G.in_edges(cid, data=True) if d["type"] != "supports"]
        outs = [(v, d["type"]) for _, v, d in G.out_edges(cid, data=True) if d["type"] != "supports"]
        if not ins and not outs:
            continue
        rows.append(
            {
                "id": cid,
                "stance": _stance(P, cid),
                "attacks_in": sum(t == "attacks" for _, t in ins),
                "attacks_out": sum(t == "attacks" for _, t in outs),
                "undercuts_in": sum(t == "undercuts" for _, t in ins),
                "undercuts_out": sum(t == "undercuts" for _, t in outs),
                "total": len(ins) + len(outs),
                "attackers": sorted({u for u, _ in ins}),
                "attacked": sorted({v for v, _ in outs}),
            }
        )
    rows.sort(key=lambda r: (-r["total"], -r["attacks_in"], r["id"]))
    return rows if k is None else rows[:k]


def unanswered(P: Projection) -> dict[str, Any]:
    """Per side, the claims nothing attacks or undercuts: for con, the objections nobody answers.

    Also per topic (every topic of the debate, each with both sides).

    Returns
    -------
    dict
        ``{"pro": [ids], "con": [ids], "by_topic": {topic: {"pro": [ids], "con": [ids]}}}``

    Examples
    --------
    >>> r = unanswered(tiny())
    >>> r["pro"], r["con"]
    (['p1', 'p3'], [])
    >>> r["by_topic"]["cost"]
    {'pro': ['p3'], 'con': []}
    """
    G = P.claims
    out: dict[str, Any] = {"pro": [], "con": [], "by_topic": {t: {"pro": [], "con": []} for t in P.topics}}
    for cid in P.claim_ids():
        side = _stance(P, cid)
        if side == "neutral":
            continue
        if any(d["type"] != "supports" for _, _, d in G.in_edges(cid, data=True)):
            continue
        out[side].append(cid)
        for t in G.nodes[cid]["topics"]:
            out["by_topic"].setdefault(t, {"pro": [], "con": []})[side].append(cid)
    return out


# ---------------------------------------------------------------- balance and corroboration


def balance(P: Projection) -> dict[str, Any]:
    """Per topic, how many pro, con and neutral claims there are, and from how many sources on each side.

    A source counts for a side in a topic when at least one of its claims there takes that side.

    Returns
    -------
    dict
        ``{"topics": {topic: {"label", "claims": {side: n}, "sources": {side: n}}}, "overall": {"claims",
        "sources"}}``

    Examples
    --------
    >>> r = balance(tiny())
    >>> r["topics"]["cost"]
    {'label': 'Cost', 'claims': {'pro': 2, 'con': 2, 'neutral': 0}, 'sources': {'pro': 1, 'con': 1, 'neutral': 0}}
    >>> r["overall"]["claims"]
    {'pro': 4, 'con': 2, 'neutral': 1}
    """

    def empty() -> dict[str, Any]:
        return {"claims": Counter(), "sources": {side: set() for side in SIDES}}

    per: dict[str, dict[str, Any]] = {t: empty() for t in P.topics}
    overall = empty()
    for cid, a in sorted(P.claims.nodes(data=True)):
        side = a.get("stance") or "neutral"
        for bucket in [overall, *(per.setdefault(t, empty()) for t in a["topics"])]:
            bucket["claims"][side] += 1
            if a.get("source"):
                bucket["sources"][side].add(a["source"])

    def counts(b: dict[str, Any]) -> dict[str, Any]:
        return {
            "claims": {side: b["claims"][side] for side in SIDES},
            "sources": {side: len(b["sources"][side]) for side in SIDES},
        }

    return {
        "topics": {t: {"label": P.topics.get(t, t), **counts(per[t])} for t in sorted(per)},
        "overall": counts(overall),
    }


def corroboration(P: Projection) -> dict[str, Any]:
    """Which claims more than one source backs, and which rest on their own source alone.

    The sources behind a claim are its own source and the sources of every claim that supports it, directly or
    through a chain of supports. ``corroborated`` lists the claims with two or more; ``single_source`` those
    with one; ``bare`` the single-source claims that nothing supports at all, which rest on one source's word
    and on no cited evidence. Undercuts of supports are not subtracted.

    Returns
    -------
    dict
        ``{"corroborated": [{"id", "stance", "sources"}], "single_source": [{"id", "stance", "source",
        "supporters"}], "bare": [ids]}``

    Examples
    --------
    >>> r = corroboration(tiny())
    >>> r["corroborated"]
    [{'id': 'p2', 'stance': 'pro', 'sources': ['s1', 's2']}]
    >>> r["bare"]
    ['c1', 'c2', 'n1', 'p1', 'p3', 'p4']
    """
    G = P.claims
    supporters: dict[str, list[str]] = {cid: [] for cid in G}
    for u, v, d in G.edges(data=True):
        if d["type"] == "supports":
            supporters[v].append(u)
    out: dict[str, Any] = {"corroborated": [], "single_source": [], "bare": []}
    for cid in P.claim_ids():
        seen = {cid}
        stack = [cid]
        while stack:
            for s in supporters[stack.pop()]:
                if s not in seen:
                    seen.add(s)
                    stack.append(s)
        srcs = sorted({G.nodes[c]["source"] for c in seen if G.nodes[c].get("source")})
        row: dict[str, Any] = {"id": cid, "stance": _stance(P, cid)}
        if len(srcs) >= 2:
            out["corroborated"].append({**row, "sources": srcs})
        else:
            direct = sorted(set(supporters[cid]))
            out["single_source"].append({**row, "source": srcs[0] if srcs else None, "supporters": direct})
            if not direct:
                out["bare"].append(cid)
    return out


# ---------------------------------------------------------------- Dung semantics


def grounded_labelling(P: Projection) -> tuple[dung.Framework, list[int]]:
    """The attack framework and its grounded labels (cached on the projection)."""
    if "grounded" not in P._cache:
        fw = dung.framework(P)
        P._cache["grounded"] = (fw, dung.grounded_labels(fw))
    return P._cache["grounded"]


def grounded(P: Projection) -> dict[str, dict[str, str]]:
    """Every claim labelled by the grounded semantics (Dung 1995), with a one-line reason.

    ``in``: all its attackers are out (or it has none); ``out``: an accepted claim attacks it; ``undecided``:
    neither, as in an attack cycle that no accepted claim breaks. The grounded extension, the claims labelled
    in, is the most sceptical acceptable position: what no party to the debate can reasonably reject. Undercuts
    enter as described in :mod:`argmap.graph.analysis.dung`. Labelling is linear in claims and attacks.

    Returns
    -------
    dict
        ``{claim_id: {"label": "in" | "out" | "undecided", "reason": str}}``

    Examples
    --------
    >>> r = grounded(tiny())
    >>> r["p2"]
    {'label': 'in', 'reason': 'its only attacker, c1, is out'}
    >>> r["c1"]
    {'label': 'out', 'reason': 'attacked by accepted claim p3'}
    >>> r["c2"]["label"], r["c2"]["reason"]
    ('undecided', 'in an attack cycle with no accepted attacker (with p4)')
    """
    fw, labels = grounded_labelling(P)
    with paused_gc():
        reasons = dung.grounded_reasons(fw, labels)
        names = dung.LABEL_NAMES
        return {fw.names[i]: {"label": names[labels[i]], "reason": reasons[i]} for i in range(fw.n_claims)}


def preferred(
    P: Projection, *, max_component: int = 100, max_extensions: int = 256, max_steps: int = 200_000
) -> dict[str, Any]:
    """The preferred extensions (Dung 1995): the maximal sets of claims that hold together against all attacks.

    Each is a position a party can coherently defend. Only the attack cycles the grounded semantics leaves
    undecided are searched, strongly connected component by component (see
    :func:`argmap.graph.analysis.dung.preferred_extensions`). ``skeptical`` lists the claims in every preferred
    extension, ``credulous`` those in at least one; ``cycles`` the undecided attack cycles.

    When the search would be too large (a cycle of more than ``max_component`` arguments, more than
    ``max_steps`` search steps in one, or more than ``max_extensions`` extensions), ``complete`` is false, ``message`` says which limit was hit, and ``extensions``, ``count``, ``skeptical`` and ``credulous``
    are empty or null; the other analyses are unaffected.

    Returns
    -------
    dict
        ``{"complete": bool, "message": str | None, "count": int | None, "extensions": [[ids]],
        "skeptical": [ids] | None, "credulous": [ids] | None, "grounded": [ids], "cycles": [[ids]]}``

    Examples
    --------
    >>> r = preferred(tiny())
    >>> r["count"], r["extensions"]
    (2, [['c2', 'n1', 'p1', 'p2', 'p3'], ['n1', 'p1', 'p2', 'p3', 'p4']])
    >>> r["skeptical"], r["cycles"]
    (['n1', 'p1', 'p2', 'p3'], [['c2', 'p4']])
    >>> preferred(tiny(), max_component=1)["message"]
    "an undecided attack cycle of 2 arguments (c2, p4) is larger than the search limit of 1 ..."
    """
    fw, labels = grounded_labelling(P)
    result = dung.preferred_extensions(
        fw, labels, max_component=max_component, max_extensions=max_extensions, max_steps=max_steps
    )
    n = fw.n_claims

    def claims(members) -> list[str]:
        return sorted(fw.names[i] for i in members if i < n)

    cycles = sorted(c for c in (claims(c) for c in result.cyclic) if c)
    ground = claims(i for i in range(n) if labels[i] == dung.IN)
    if not result.complete:
        return {
            "complete": False,
            "message": result.message,
            "count": None,
            "extensions": [],
            "skeptical": None,
            "credulous": None,
            "grounded": ground,
            "cycles": cycles,
        }
    exts = sorted({tuple(claims(e)) for e in result.extensions})
    skeptical = set(exts[0]).intersection(*exts[1:]) if exts else set()
    credulous = set().union(*exts) if exts else set()
    return {
        "complete": True,
        "message": None,
        "count": len(exts),
        "extensions": [list(e) for e in exts],
        "skeptical": sorted(skeptical),
        "credulous": sorted(credulous),
        "grounded": ground,
        "cycles": cycles,
    }


# ---------------------------------------------------------------- gradual strength


def strength(
    P: Projection,
    *,
    base: float = 0.5,
    by_stance: Mapping[str, float] | None = None,
    by_kind: Mapping[str, float] | None = None,
    by_claim: Mapping[str, float] | None = None,
    max_rounds: int = 200,
    tolerance: float = 1e-9,
) -> dict[str, Any]:
    """A gradual strength in [0, 1] for every claim, under the DF-QuAD semantics (Rago et al. 2016).

    Supports raise a claim's strength and attacks lower it, each in proportion to the strength of the claim
    that makes them; the formulas, and how undercuts and cycles are treated, are in
    :mod:`argmap.graph.analysis.gradual`. Base scores: ``by_claim[id]``, else ``by_kind[kind]``, else
    ``by_stance[stance]``, else ``base``. In a cyclic graph the strengths are iterated to a fixpoint for at most
    ``max_rounds`` rounds; ``converged`` says whether they settled within ``tolerance``.

    Returns
    -------
    dict
        ``{"semantics": str, "converged": bool, "rounds": int, "cyclic_components": int,
        "claims": {id: {"base": float, "strength": float}}}``

    Examples
    --------
    >>> r = strength(tiny())
    >>> r["claims"]["p2"], r["claims"]["c1"]
    ({'base': 0.5, 'strength': 0.625}, {'base': 0.5, 'strength': 0.25})
    >>> r["converged"], r["cyclic_components"]
    (True, 1)
    """
    tau = gradual.base_scores(P, base=base, by_stance=by_stance, by_kind=by_kind, by_claim=by_claim)
    with paused_gc():
        sigma, note = gradual.dfquad(P, tau, max_rounds=max_rounds, tolerance=tolerance)
    return {
        "semantics": "DF-QuAD (Rago, Toni, Aurisicchio & Baroni, KR 2016)",
        **note,
        "claims": {c: {"base": _r(tau[c]), "strength": _r(sigma[c])} for c in sorted(tau)},
    }


# ---------------------------------------------------------------- communities


def community_sets(P: Projection, *, seed: int = 0, resolution: float = 1.0) -> list[list[str]]:
    """The claim clusters, largest first (ties by smallest id); cached on the projection."""
    import networkx as nx

    key = ("communities", seed, resolution)
    if key in P._cache:
        return P._cache[key]
    H = nx.Graph()
    H.add_nodes_from(P.claim_ids())
    for u, v in P.claims.edges():
        if u != v:
            w = H.get_edge_data(u, v, {"weight": 0})["weight"]
            H.add_edge(u, v, weight=w + 1)
    found = nx.community.louvain_communities(H, weight="weight", resolution=resolution, seed=seed) if H else []
    out = sorted((sorted(c) for c in found), key=lambda c: (-len(c), c[0]))
    P._cache[key] = out
    return out


def communities(
    P: Projection, *, seed: int = 0, resolution: float = 1.0, top_topics: int = 2
) -> list[dict[str, Any]]:
    """Clusters of claims that argue with each other, each labelled by its dominant topics.

    Louvain community detection (Blondel et al. 2008, "Fast unfolding of communities in large networks", J.
    Stat. Mech.) on the undirected argument graph, an edge weighted by the number of relations between its
    claims, with a fixed ``seed`` so the result is the same every run. A cluster's topics are its
    ``top_topics`` most frequent ones (ties by id). Clusters are numbered largest first; an isolated claim
    is a cluster of its own.

    Returns
    -------
    list
        ``[{"id": int, "size": int, "label": str, "topics": [ids], "stances": {side: n}, "claims": [ids]}]``

    Examples
    --------
    >>> [(c["id"], c["label"], c["claims"]) for c in communities(tiny())]
    [(0, 'Cost, Safety', ['c1', 'p1', 'p2', 'p3']), (1, 'Cost', ['c2', 'p4']), (2, 'Safety', ['n1'])]
    """
    out = []
    for n, members in enumerate(community_sets(P, seed=seed, resolution=resolution)):
        topics = Counter(t for c in members for t in P.claims.nodes[c]["topics"])
        best = [t for t, _ in sorted(topics.items(), key=lambda kv: (-kv[1], kv[0]))[:top_topics]]
        stances = Counter(_stance(P, c) for c in members)
        out.append(
            {
                "id": n,
                "size": len(members),
                "label": ", ".join(P.topics.get(t, t) for t in best) or "(no topic)",
                "topics": best,
                "stances": {side: stances[side] for side in SIDES},
                "claims": members,
            }
        )
    return out


# ---------------------------------------------------------------- unconnected claims


def unconnected(P: Projection) -> dict[str, Any]:
    """The claims that no relation touches, each with the reason the corpus gives for leaving it so.

    A claim is unconnected when it neither gives nor receives a support, attack or undercut. The corpus marks
    a claim it leaves unrelated on purpose with ``standalone: REASON`` (the projection's ``standalone``
    attribute); ``unexplained`` lists the unconnected claims without a reason, which an editor still has to
    link or explain, and ``stale`` the claims marked standalone that a relation does touch.

    Returns
    -------
    dict
        ``{"claims": [{"id", "stance", "source", "reason"}], "unexplained": [ids], "stale": [ids]}``, in id
        order; ``reason`` is None when the corpus gives none.

    Examples
    --------
    >>> r = unconnected(tiny())
    >>> r["claims"], r["unexplained"], r["stale"]
    ([{'id': 'n1', 'stance': 'neutral', 'source': 's1', 'reason': None}], ['n1'], [])
    """
    nodes = P.claims.nodes
    touched: set[str] = set()
    for rel in P.relations.values():
        touched.add(rel.source)
        if rel.target in nodes:  # an undercut's target is a relation, whose own ends it adds
            touched.add(rel.target)
    out: dict[str, Any] = {"claims": [], "unexplained": [], "stale": []}
    for cid in P.claim_ids():
        reason = nodes[cid].get("standalone")
        if cid in touched:
            if reason:
                out["stale"].append(cid)
            continue
        row = {"id": cid, "stance": _stance(P, cid), "source": nodes[cid].get("source"), "reason": reason}
        out["claims"].append(row)
        if not reason:
            out["unexplained"].append(cid)
    return out
