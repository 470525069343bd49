"""The named analyses: what a debater wants to know about the argument graph.

Each is a plain function of a :class:`~argmap.graph.projection.Projection`, options keyword-only, returning one
JSON-ready shape. They are registered by name in :data:`argmap.graph.analysis.ANALYSES`.

In the examples, ``tiny()`` is this small debate (``x -> y`` means x attacks y, ``x => y`` x supports y)::

    p1 (pro, safety)  => p2 (pro, safety)      c1 (con, cost) -> p2       p3 (pro, cost) -> c1
    c2 (con, cost)   <-> p4 (pro, cost)         n1 (neutral, safety): isolated
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from argmap.graph.analysis import dung, gradual
from argmap.perf import paused_gc
from argmap.sources.model import STANCES

if TYPE_CHECKING:
    from argmap.graph.projection import Projection

SIDES = STANCES


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
    from argmap.graph.analysis.betweenness import betweenness

    with paused_gc():
        pr = nx.pagerank(G)
        # networkx's figures on the simple undirected graph, its searches run a level at a time in numpy
        bc = betweenness(list(G), G.edges(), k=_samples(P, max_work), seed=seed)
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
    rows: list[dict[str, Any]] = []
    G = P.claims
    ins_of: dict[str, list[tuple[str, str]]] = {}
    outs_of: dict[str, list[tuple[str, str]]] = {}
    for u, v, t in G.edges(data="type"):  # one pass over the relations, not two searches per claim
        if t != "supports":
            outs_of.setdefault(u, []).append((v, t))
            ins_of.setdefault(v, []).append((u, t))
    for cid in P.claim_ids():
        ins = ins_of.get(cid, [])
        outs = outs_of.get(cid, [])
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
    behind = _sources_behind(P, supporters)
    for cid in P.claim_ids():
        srcs = sorted(behind[cid])
        row: dict[str, Any] = {"id": cid, "stance": _stance(P, cid)}
        if len(srcs) >= 2:
            out["corroborated"].append({**row, "sources": srcs})
        else:
            direct = sorted(set(supporters[cid]))
            out["single_source"].append({**row, "source": srcs[0] if srcs else None, "supporters": direct})
            if not direct:
                out["bare"].append(cid)
    return out


def _sources_behind(P: Projection, supporters: Mapping[str, list[str]]) -> dict[str, frozenset]:
    """Per claim, the sources of the claim and of every claim that supports it through a chain of supports.

    Computed once per strongly connected component of the support graph, upstream first, each component's
    set the union of its members' sources and its supporting components' sets: linear in claims and
    supports where a search from every claim costs claims x ancestors.
    """
    import numpy as np
    from scipy.sparse import csr_array
    from scipy.sparse.csgraph import connected_components

    ids = P.claim_ids()
    nodes = P.claims.nodes
    index = {c: i for i, c in enumerate(ids)}
    tails = [index[u] for v in ids for u in supporters[v]]
    heads = [index[v] for v in ids for _ in supporters[v]]
    n = len(ids)
    A = csr_array((np.ones(len(tails)), (np.array(tails, dtype=np.int64), np.array(heads, dtype=np.int64))), shape=(n, n))
    _, labels = connected_components(A, directed=True, connection="strong")
    label = labels.tolist()
    own: dict[int, set[str]] = {}
    for i, c in enumerate(ids):
        src = nodes[c].get("source")
        members = own.setdefault(label[i], set())
        if src:
            members.add(src)
    feeds: dict[int, set[int]] = {k: set() for k in own}
    waiting = dict.fromkeys(own, 0)
    for t, h in zip(tails, heads, strict=True):
        a, b = label[t], label[h]
        if a != b and a not in feeds[b]:
            feeds[b].add(a)
            waiting[b] += 1
    out_of: dict[int, list[int]] = {k: [] for k in own}
    for b, sources in feeds.items():
        for a in sources:
            out_of[a].append(b)
    done: dict[int, frozenset] = {}
    ready = [k for k, w in waiting.items() if w == 0]
    while ready:
        k = ready.pop()
        ups = [done[a] for a in feeds[k]]
        if len(ups) == 1 and ups[0].issuperset(own[k]):
            done[k] = ups[0]  # shared, not copied: chains of supports reuse one set
        else:
            done[k] = frozenset(own[k]).union(*ups)
        for b in out_of[k]:
            waiting[b] -= 1
            if waiting[b] == 0:
                ready.append(b)
    return {c: done[label[i]] for i, c in enumerate(ids)}


# ---------------------------------------------------------------- evidence levels

PREFERENCES = ("evidence", "none")


def evidence_order(order: Mapping[str, Any] | None = None):
    """The :class:`~argmap.sources.evidence.EvidenceOrder` of the ``evidence`` configuration section."""
    from argmap.sources.evidence import EvidenceOrder

    return EvidenceOrder.from_config(order)


def evidence_levels(P: Projection, order: Mapping[str, Any] | None = None) -> dict[str, int | None]:
    """Each claim's evidence level under ``order`` (the ``evidence`` section of the configuration; None for
    argmap's default order), from its source's kind and design; None when the source's kind is unknown.
    Cached on the projection."""
    import json

    key = ("evidence", json.dumps(order or {}, sort_keys=True, default=str))
    if key in P._cache:
        return P._cache[key]
    ordering = evidence_order(order)
    unknown = sorted(set(ordering.by_claim) - set(P.claims.nodes))
    if unknown:
        from argmap.errors import AnalysisError

        raise AnalysisError(f"evidence: by_claim names unknown claim(s): {', '.join(unknown)}")
    out = {}
    for cid in P.claim_ids():
        info = P.source_info.get(P.claims.nodes[cid].get("source")) or {}
        out[cid] = ordering.level(info.get("kind"), info.get("design"), claim=cid)
    P._cache[key] = out
    return out


def _preference_levels(P: Projection, preferences: str, order: Mapping[str, Any] | None) -> dict[str, int | None] | None:
    if preferences not in PREFERENCES:
        from argmap.errors import AnalysisError

        raise AnalysisError(f"unknown preferences '{preferences}' (expected one of: {', '.join(PREFERENCES)})")
    return None if preferences == "none" else evidence_levels(P, order)


def _evidence_words(P: Projection, cid: str, level: int | None, order: Mapping[str, Any] | None) -> str:
    """A claim's evidence in words for a reason: 'an op-ed (level 1)', 'a study (difference-in-differences,
    level 6)'."""
    from argmap.sources.evidence import KIND_WORDS, RESEARCH_KINDS

    ordering = evidence_order(order)
    info = P.source_info.get(P.claims.nodes[cid].get("source")) or {}
    kind, design = info.get("kind"), info.get("design")
    if cid in ordering.by_claim or kind is None:
        return f"a claim of level {level}"
    word = KIND_WORDS.get(kind, kind)
    article = "an" if word[0] in "aeiou" else "a"
    if kind in RESEARCH_KINDS and design in ordering.by_design:
        return f"{article} {word} ({design}, level {level})"
    return f"{article} {word} (level {level})"


def evidence(
    P: Projection,
    *,
    by_kind: Mapping[str, int] | None = None,
    by_design: Mapping[str, int] | None = None,
    by_claim: Mapping[str, int] | None = None,
) -> dict[str, Any]:
    """Every claim's evidence level (higher = stronger), from its source's study design or kind.

    The order is argmap's default (:mod:`argmap.sources.evidence`, with its reasons) with the ``by_kind``,
    ``by_design`` and ``by_claim`` levels given here in their place. In the configuration file these options
    form the ``evidence`` section, and ``grounded``, ``preferred`` and ``strength`` use the same levels.

    Returns
    -------
    dict
        ``{"order": [{"level", "designs", "kinds"}], "claims": {id: {"level": int | None, "basis": str | None}}}``

    Examples
    --------
    >>> from argmap.graph.projection import make_projection
    >>> P = make_projection({"a": {"source": "s1"}, "b": {"source": "s2"}},
    ...                     sources={"s1": {"kind": "study", "design": "cohort"}, "s2": {"kind": "blog"}})
    >>> evidence(P)["claims"]
    {'a': {'level': 5, 'basis': 'study (cohort)'}, 'b': {'level': 1, 'basis': 'blog post'}}
    >>> evidence(P, by_kind={"blog": 2})["claims"]["b"]["level"]
    2
    """
    order = {k: v for k, v in (("by_kind", by_kind), ("by_design", by_design), ("by_claim", by_claim)) if v}
    ordering = evidence_order(order)
    levels = evidence_levels(P, order)
    claims = {}
    for cid in P.claim_ids():
        info = P.source_info.get(P.claims.nodes[cid].get("source")) or {}
        claims[cid] = {"level": levels[cid], "basis": ordering.basis(info.get("kind"), info.get("design"), claim=cid)}
    return {"order": ordering.table(), "claims": claims}


# ---------------------------------------------------------------- Dung semantics


def grounded_labelling(P: Projection, *, levels: Mapping[str, int | None] | None = None) -> tuple[dung.Framework, list[int]]:
    """The defeat framework (plain attacks when ``levels`` is None) and its grounded labels (cached)."""
    fw = dung.framework(P, levels=levels)
    key = ("grounded", id(fw))
    if key not in P._cache:
        P._cache[key] = (fw, dung.grounded_labels(fw))
    return P._cache[key]


def _not_defeated_by(
    P: Projection, fw: dung.Framework, levels: Mapping[str, int | None], order: Mapping[str, Any] | None
) -> dict[str, list[dict[str, Any]]]:
    """Per claim, the attacks on it that are not defeats, each with the levels and a reason in words."""
    out: dict[str, list[dict[str, Any]]] = {}
    for b, items in fw.blocked.items():
        target = fw.names[b]
        rows = []
        for rid, a in items:
            attacker = fw.names[a]
            why = (
                f"a weaker source does not defeat a stronger one: {attacker} is "
                f"{_evidence_words(P, attacker, levels[attacker], order)}, {target} is "
                f"{_evidence_words(P, target, levels[target], order)}"
            )
            rows.append(
                {
                    "claim": attacker,
                    "relation": rid,
                    "attacker_level": levels[attacker],
                    "level": levels[target],
                    "why": why,
                }
            )
        out[target] = rows
    return out


def _blocked_sentence(P: Projection, target: str, rows: list[dict[str, Any]], levels, order) -> str:
    """'attacked by X, an op-ed (level 1); a weaker source does not defeat a study (cohort, level 5)'."""

    def who(r: dict[str, Any]) -> str:
        return f"{r['claim']}, {_evidence_words(P, r['claim'], r['attacker_level'], order)}"

    if len(rows) == 1:
        head = f"attacked by {who(rows[0])}"
    else:
        more = f"; and {len(rows) - 3} more" if len(rows) > 3 else ""
        head = f"attacked by {len(rows)} weaker claims ({'; '.join(who(r) for r in rows[:3])}{more})"
    return f"{head}; a weaker source does not defeat {_evidence_words(P, target, levels[target], order)}"


def grounded(
    P: Projection, *, preferences: str = "evidence", order: Mapping[str, Any] | None = None
) -> dict[str, dict[str, Any]]:
    """Every claim labelled by the grounded semantics (Dung 1995) on defeats, with a one-line reason.

    ``in``: all its defeaters are out (or it has none); ``out``: an accepted claim defeats it; ``undecided``:
    neither, as in a defeat cycle that no accepted claim breaks. The grounded extension, the claims labelled
    in, is the most sceptical acceptable position: what no party to the debate can reasonably reject.

    With ``preferences="evidence"`` (the default) an attack defeats its target only when the attacker's
    evidence level (:func:`evidence`, under ``order``) is not lower than the target's; an undercut always
    defeats (ASPIC+, Modgil & Prakken 2013). ``not_defeated_by`` lists the attacks that failed, and the reason
    says so. With ``preferences="none"`` every attack defeats: plain Dung. Undercuts enter as described in
    :mod:`argmap.graph.analysis.dung`. Labelling is linear in claims and attacks.

    Returns
    -------
    dict
        ``{claim_id: {"label": "in" | "out" | "undecided", "reason": str, "evidence_level": int | None,
        "not_defeated_by": [{"claim", "relation", "attacker_level", "level", "why"}]}}``

    Examples
    --------
    >>> r = grounded(tiny())
    >>> r["p2"]["label"], r["p2"]["reason"]
    ('in', 'its only attacker, c1, is out')
    >>> r["c1"]["label"], r["c1"]["reason"]
    ('out', 'attacked by accepted claim p3')
    >>> r["c2"]["label"], r["c2"]["reason"]
    ('undecided', 'in an attack cycle with no accepted attacker (with p4)')

    An op-ed attacking a study does not defeat it:

    >>> from argmap.graph.projection import make_projection
    >>> P = make_projection({"study": {"source": "s"}, "oped": {"source": "o"}}, [("oped", "attacks", "study")],
    ...                     sources={"s": {"kind": "study", "design": "cohort"}, "o": {"kind": "op-ed"}})
    >>> grounded(P)["study"]["label"], grounded(P, preferences="none")["study"]["label"]
    ('in', 'out')
    >>> grounded(P)["study"]["reason"]
    'attacked by oped, an op-ed (level 1); a weaker source does not defeat a study (cohort, level 5)'
    """
    levels = _preference_levels(P, preferences, order)
    fw, labels = grounded_labelling(P, levels=levels)
    shown_levels = levels if levels is not None else evidence_levels(P, order)
    with paused_gc():
        reasons = dung.grounded_reasons(fw, labels)
        blocked = _not_defeated_by(P, fw, levels, order) if levels is not None else {}
        names = dung.LABEL_NAMES
        out = {}
        for i in range(fw.n_claims):
            cid = fw.names[i]
            reason = reasons[i]
            rows = blocked.get(cid, [])
            if rows:
                sentence = _blocked_sentence(P, cid, rows, levels, order)
                reason = sentence if not fw.attackers[i] else f"{reason}; {sentence}"
            out[cid] = {
                "label": names[labels[i]],
                "reason": reason,
                "evidence_level": shown_levels[cid],
                "not_defeated_by": rows,
            }
        return out


def preferred(
    P: Projection,
    *,
    max_component: int = 100,
    max_extensions: int = 256,
    max_steps: int = 200_000,
    sat: bool = True,
    sat_above: int = 20,
    max_conflicts: int = 1_000_000,
    preferences: str = "evidence",
    order: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The preferred extensions (Dung 1995): the maximal sets of claims that hold together against all defeats.

    Each is a position a party can coherently defend. Defeats are as in :func:`grounded` (``preferences``,
    ``order``). Only the defeat cycles the grounded semantics leaves undecided are searched, strongly connected
    component by component (see :func:`argmap.graph.analysis.dung.preferred_extensions`). ``skeptical`` lists
    the claims in every preferred extension, ``credulous`` those in at least one; ``cycles`` the undecided
    defeat cycles.

    An undecided cycle of more than ``sat_above`` arguments goes straight to a SAT solver (``sat``;
    python-sat), and so does the rest when the search would be too large (a cycle of more than
    ``max_component`` arguments, or more than ``max_steps`` search steps in one); each SAT call is
    allowed ``max_conflicts`` conflicts, and ``method`` says ``"sat"``. When that is cut too, or there are more
    than ``max_extensions`` extensions, ``complete`` is false, ``message`` says which limit was hit, and
    ``extensions``, ``count``, ``skeptical`` and ``credulous`` are empty or null; the other analyses are
    unaffected.

    Returns
    -------
    dict
        ``{"complete": bool, "message": str | None, "method": "grounded" | "search" | "sat" | None,
        "count": int | None, "extensions": [[ids]], "skeptical": [ids] | None, "credulous": [ids] | None,
        "grounded": [ids], "cycles": [[ids]]}``

    Examples
    --------
    >>> r = preferred(tiny())
    >>> r["count"], r["extensions"]
    (2, [['c2', 'n1', 'p1', 'p2', 'p3'], ['n1', 'p1', 'p2', 'p3', 'p4']])
    >>> r["skeptical"], r["cycles"]
    (['n1', 'p1', 'p2', 'p3'], [['c2', 'p4']])
    >>> preferred(tiny(), max_component=1, sat=False)["message"]
    "an undecided attack cycle of 2 arguments (c2, p4) is larger than the search limit of 1 ..."
    >>> r = preferred(tiny(), max_component=1)
    >>> r["method"], r["count"]
    ('sat', 2)
    """
    levels = _preference_levels(P, preferences, order)
    fw, labels = grounded_labelling(P, levels=levels)
    result = dung.preferred_extensions(
        fw,
        labels,
        max_component=max_component,
        max_extensions=max_extensions,
        max_steps=max_steps,
        sat=sat,
        sat_above=sat_above,
        max_conflicts=max_conflicts,
    )
    return preferred_record(fw, labels, result)


def preferred_record(fw: dung.Framework, labels: list[int], result: dung.PreferredResult) -> dict[str, Any]:
    """The JSON-ready shape of :func:`preferred` for a framework's result (claims only)."""
    n = fw.n_claims

    def claims(members) -> list[str]:
        return sorted(fw.names[i] for i in members if i < n)

    cycles = sorted(c for c in (claims(c) for c in result.cyclic) if c)
    ground = claims(i for i in range(n) if labels[i] == dung.IN)
    if not result.complete:
        return {
            "complete": False,
            "message": result.message,
            "method": None,
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
        "method": result.method,
        "count": len(exts),
        "extensions": [list(e) for e in exts],
        "skeptical": sorted(skeptical),
        "credulous": sorted(credulous),
        "grounded": ground,
        "cycles": cycles,
    }


# ---------------------------------------------------------------- gradual strength


#: how support lifts a claim: bounded by the claim's own evidence (argmap's default), or DF-QuAD's own rule
SUPPORT_RULES = ("bounded", "dfquad")


def strength(
    P: Projection,
    *,
    base: float | None = None,
    by_stance: Mapping[str, float] | None = None,
    by_kind: Mapping[str, float] | None = None,
    by_claim: Mapping[str, float] | None = None,
    by_level: Mapping[int, float] | None = None,
    max_rounds: int = 200,
    tolerance: float = 1e-9,
    support: str = "bounded",
    preferences: str = "evidence",
    order: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """A gradual strength in [0, 1] for every claim, under the DF-QuAD semantics (Rago et al. 2016).

    Supports raise a claim's strength and attacks lower it, each in proportion to the strength of the claim
    that makes them; the formulas, and how undercuts and cycles are treated, are in
    :mod:`argmap.graph.analysis.gradual`. Base scores: ``by_claim[id]``, else ``by_kind[kind]``, else
    ``by_stance[stance]``, else ``base`` when given; else, with ``preferences="evidence"`` (the default), the
    score of the claim's evidence level (:func:`evidence` under ``order``; the lowest level of the order 0.2,
    the highest 0.9, evenly between, or ``by_level[level]``); else 0.5. So by default the best-evidenced
    claims start strongest; ``preferences="none"`` starts every claim at 0.5.

    With ``support="bounded"`` (the default) and evidence preferences, support lifts a claim that has an
    evidence level by at most the fraction ``base`` of its gap to 1 (evidence-bounded support, see
    :mod:`argmap.graph.analysis.gradual`): a blog claim that many claims support stays below the studies, where
    DF-QuAD's own rule (``support="dfquad"``, and always with ``preferences="none"`` or for a claim with no
    level) lets it saturate towards 1. In a cyclic graph the strengths are iterated to a fixpoint for at most
    ``max_rounds`` rounds; ``converged`` says whether all settled within ``tolerance``, and each claim's own
    ``converged`` whether its cycle did.

    Returns
    -------
    dict
        ``{"semantics": str, "support": "bounded" | "dfquad", "converged": bool, "rounds": int,
        "cyclic_components": int, "unsettled": [ids], "claims": {id: {"base": float, "strength": float,
        "converged": bool}}}``

    Examples
    --------
    >>> r = strength(tiny())
    >>> r["claims"]["p2"], r["claims"]["c1"]
    ({'base': 0.5, 'strength': 0.625, 'converged': True}, {'base': 0.5, 'strength': 0.25, 'converged': True})
    >>> r["converged"], r["cyclic_components"]
    (True, 1)
    """
    if support not in SUPPORT_RULES:
        from argmap.errors import AnalysisError

        raise AnalysisError(f"strength: unknown support '{support}' (expected one of: {', '.join(SUPPORT_RULES)})")
    levels = _preference_levels(P, preferences, order)
    scores = None
    if levels is not None:
        scores = gradual.level_scores(evidence_order(order).levels(), by_level=by_level)
    tau = gradual.base_scores(P, base=base, by_stance=by_stance, by_kind=by_kind, by_claim=by_claim, levels=levels, scores=scores)
    bounded = [c for c, lv in (levels or {}).items() if lv is not None] if support == "bounded" else []
    with paused_gc():
        sigma, note = gradual.dfquad(P, tau, max_rounds=max_rounds, tolerance=tolerance, bounded=bounded)
    unsettled = set(note["unsettled"])
    return {
        "semantics": "DF-QuAD (Rago, Toni, Aurisicchio & Baroni, KR 2016)",
        "support": "bounded" if bounded else "dfquad",
        **note,
        "claims": {c: {"base": _r(tau[c]), "strength": _r(sigma[c]), "converged": c not in unsettled} for c in sorted(tau)},
    }


# ---------------------------------------------------------------- communities


#: above this many claims, communities are found by scikit-network's Louvain (Cython), not networkx's (Python)
FAST_ABOVE = 2000


def community_sets(P: Projection, *, seed: int = 0, resolution: float = 1.0, fast_above: int = FAST_ABOVE) -> list[list[str]]:
    """The claim clusters, largest first (ties by smallest id); cached on the projection."""
    key = ("communities", seed, resolution, P.claims.number_of_nodes() > fast_above)
    if key in P._cache:
        return P._cache[key]
    ids = P.claim_ids()
    weights: dict[tuple[str, str], int] = {}
    for u, v in P.claims.edges():
        if u != v:
            pair = (u, v) if (u, v) in weights or (v, u) not in weights else (v, u)
            weights[pair] = weights.get(pair, 0) + 1
    with paused_gc():
        if len(ids) > fast_above:
            found = _louvain_fast(ids, weights, resolution=resolution, seed=seed)
        else:
            found = _louvain_networkx(ids, weights, resolution=resolution, seed=seed)
    out = sorted((sorted(c) for c in found), key=lambda c: (-len(c), c[0]))
    P._cache[key] = out
    return out


def _louvain_networkx(ids: list[str], weights: dict[tuple[str, str], int], *, resolution: float, seed: int) -> list:
    import networkx as nx

    H: nx.Graph[str] = nx.Graph()
    H.add_nodes_from(ids)
    H.add_weighted_edges_from((u, v, w) for (u, v), w in weights.items())
    return nx.community.louvain_communities(H, weight="weight", resolution=resolution, seed=seed) if H else []


def _louvain_fast(ids: list[str], weights: dict[tuple[str, str], int], *, resolution: float, seed: int) -> list:
    import numpy as np
    from scipy.sparse import csr_matrix
    from sknetwork.clustering import Louvain

    index = {c: i for i, c in enumerate(ids)}
    rows = np.array([index[u] for u, _ in weights], dtype=np.int64)
    cols = np.array([index[v] for _, v in weights], dtype=np.int64)
    data = np.array(list(weights.values()), dtype=float)
    n = len(ids)
    A = csr_matrix((np.concatenate([data, data]), (np.concatenate([rows, cols]), np.concatenate([cols, rows]))), shape=(n, n))
    # nodes visited in index order (no shuffle), so every run gives the same clusters
    found = Louvain(resolution=resolution, modularity="newman", random_state=seed).fit_predict(A)
    groups: dict[int, list[str]] = {}
    for cid, m in zip(ids, found.tolist(), strict=True):
        groups.setdefault(m, []).append(cid)
    return list(groups.values())


def communities(
    P: Projection, *, seed: int = 0, resolution: float = 1.0, top_topics: int = 2, fast_above: int = FAST_ABOVE
) -> list[dict[str, Any]]:
    """Clusters of claims that argue with each other, each labelled by its dominant topics.

    Louvain community detection (Blondel et al. 2008, "Fast unfolding of communities in large networks", J.
    Stat. Mech.) on the undirected argument graph, an edge weighted by the number of relations between its
    claims, with a fixed ``seed`` so the result is the same every run. A cluster's topics are its
    ``top_topics`` most frequent ones (ties by id). Clusters are numbered largest first; an isolated claim
    is a cluster of its own.

    Up to ``fast_above`` claims the clusters are networkx's ``louvain_communities``; above, scikit-network's
    ``Louvain`` (the same method in Cython: 0.5 s against 97 s at 100,000 claims), which visits the claims in
    another order and so finds other clusters of about the same modularity. Each is the same on every run.

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
    for n, members in enumerate(community_sets(P, seed=seed, resolution=resolution, fast_above=fast_above)):
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
