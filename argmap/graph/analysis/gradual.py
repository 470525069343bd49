"""Gradual strength of claims on the bipolar graph (supports and attacks): the DF-QuAD semantics.

DF-QuAD is defined by Rago, Toni, Aurisicchio & Baroni (2016), "Discontinuity-Free Decision Support with
Quantitative Argumentation Debates", Proceedings of KR 2016, pp. 63-72. Every claim ``a`` has a base score
``tau(a)`` in [0, 1]; its strength ``sigma(a)`` combines the base score with the strengths of its attackers and
supporters:

- aggregation, applied separately to the attackers' and to the supporters' strengths::

      F()            = 0
      F(v1, ..., vn) = 1 - (1 - v1)(1 - v2)...(1 - vn)     (the probabilistic sum, folded left)

- combination of the base score ``v0`` with the aggregated attack ``va`` and support ``vs``::

      C(v0, va, vs) = v0 - v0 * (va - vs)          if va >= vs
      C(v0, va, vs) = v0 + (1 - v0) * (vs - va)    if va <  vs

- ``sigma(a) = C(tau(a), F(sigma of a's attackers), F(sigma of a's supporters))``.

So equal attack and support cancel out, an unopposed attack pulls the strength towards 0 and an unopposed
support towards 1, in proportion to their strength.

Evidence-bounded support (argmap's default for claims with an evidence level; ``support="dfquad"`` turns it
off): DF-QuAD lets support close the whole gap to 1, ``(1 - v0)``, whatever the base score. Then a blog claim
(base 0.2) that one review (0.9) supports ends at 0.92, above the review itself, and a claim that many weak
claims support saturates (six supporters of 0.2 give 0.79; two claims that support each other and nothing
attacks converge to exactly 1). So a claim would rank by how many claims back it, not by how well it is
evidenced. argmap lets support close at most the fraction ``v0`` of the gap::

      C(v0, va, vs) = v0 + v0 * (1 - v0) * (vs - va)    if va <  vs    (attacks unchanged)

so the most support can give is ``1 - (1 - v0)^2``: the claim confirmed once more by an independent source of
its own standing, never turned into a stronger source's finding. With the default base scores a fully
supported claim can pass an unsupported claim one or two evidence levels above it (a cohort study, 0.6,
reaches 0.84, past a randomised trial's 0.8), not climb from the bottom to the top (a blog, 0.2, reaches
0.36). Attacks keep DF-QuAD's rule, so support still shields a weak claim from attack, and a weaker attacker
still lowers a stronger claim's strength (it just does not defeat it, see ``grounded``). The bounded rise is
continuous and increasing in ``vs`` as DF-QuAD's is, and it makes every cycle of supports alone a contraction
(each round moves a claim by at most a quarter of its supporters' change), so such cycles always settle.

Undercuts (our extension, not in the paper): a relation ``r`` from ``a`` to ``b`` that claims ``u1 ... uk``
undercut contributes, instead of ``sigma(a)``, the strength of its inference taken as an argument with base
score ``sigma(a)`` attacked by the undercutters and supported by nothing, which by ``C`` is
``sigma(a) * (1 - u1)...(1 - uk)``. This holds for undercuts of supports and of attacks alike.

Cycles: Rago et al. define DF-QuAD on acyclic graphs, where one pass in topological order gives the strengths.
Where supports and attacks form cycles, each strongly connected component is solved, upstream first, by
iterating the equations from the base scores (all values of the component updated together) until no strength
moves by more than ``tolerance`` or ``max_rounds`` rounds have passed. Such iterations need not converge
(Potyka 2018, "Continuous Dynamical Systems for Weighted Bipolar Argumentation", KR 2018); the result says
whether they did.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import TYPE_CHECKING, Any

from argmap.errors import AnalysisError

if TYPE_CHECKING:
    from argmap.graph.projection import Projection


def aggregate(values: list[float]) -> float:
    """DF-QuAD's aggregation ``F``: the probabilistic sum of the strengths, 0 for none.

    >>> aggregate([]), aggregate([0.5, 0.5])
    (0.0, 0.75)
    """
    total = 0.0
    for v in values:  # f(x, y) = x + y - x*y, folded left as in the paper
        total = total + v - total * v
    return total


def combine(v0: float, va: float, vs: float, *, bounded: bool = False) -> float:
    """DF-QuAD's combination ``C`` of a base score with aggregated attack and support; ``bounded``: support
    closes at most the fraction ``v0`` of the gap to 1 (evidence-bounded support, see the module docstring).

    >>> combine(0.5, 0.75, 0.0), combine(0.5, 0.0, 0.5), combine(0.5, 0.3, 0.3)
    (0.125, 0.75, 0.5)
    >>> [round(combine(0.2, 0.0, vs, bounded=b), 6) for b in (False, True) for vs in (0.9, 1.0)]
    [0.92, 1.0, 0.344, 0.36]
    """
    if va >= vs:
        return v0 - v0 * (va - vs)
    return v0 + (v0 * (1.0 - v0) if bounded else 1.0 - v0) * (vs - va)


def _check_score(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0.0 <= float(value) <= 1.0:
        raise AnalysisError(f"strength: {where} must be a number from 0 to 1, not {value!r}")
    return float(value)


#: the base score of the lowest and of the highest evidence level; levels between are spaced evenly
LEVEL_SCORE_RANGE = (0.2, 0.9)
#: the base score of a claim with no base score from the options and no evidence level
NEUTRAL_BASE = 0.5


def level_scores(levels: list[int], *, by_level: Mapping[int, float] | None = None) -> dict[int, float]:
    """The base score of each evidence level: the lowest of ``levels`` 0.2, the highest 0.9, evenly between
    (argmap's default order, levels 1 to 8, gives 0.2, 0.3, ... 0.9), unless ``by_level`` sets it.

    >>> level_scores([1, 2, 3, 4, 5, 6, 7, 8])[6]
    0.7
    >>> level_scores([1, 8], by_level={8: 0.95})
    {1: 0.2, 8: 0.95}
    """
    lo, hi = LEVEL_SCORE_RANGE
    top, bottom = max(levels, default=0), min(levels, default=0)
    span = top - bottom
    out = {lv: round(lo + (hi - lo) * ((lv - bottom) / span if span else 1.0), 6) for lv in levels}
    for lv, v in (by_level or {}).items():
        if isinstance(lv, bool) or not isinstance(lv, int):
            raise AnalysisError(f"strength: by_level keys must be integer levels, not {lv!r}")
        out[lv] = _check_score(v, f"by_level[{lv}]")
    return out


def base_scores(
    P: Projection,
    *,
    base: float | None = None,
    by_stance: Mapping[str, float] | None = None,
    by_kind: Mapping[str, float] | None = None,
    by_claim: Mapping[str, float] | None = None,
    levels: Mapping[str, int | None] | None = None,
    scores: Mapping[int, float] | None = None,
) -> dict[str, float]:
    """Each claim's base score: its own from ``by_claim``, else its kind's, else its stance's, else ``base``
    when given, else the score of its evidence level (``levels``: claim to level, ``scores``: level to score,
    see :func:`level_scores`), else 0.5.

    Examples
    --------
    >>> from argmap.graph.projection import make_projection
    >>> P = make_projection({"a": {"stance": "pro", "kind": "statistic"}, "b": {"stance": "pro"}, "c": {}})
    >>> base_scores(P, by_stance={"pro": 0.6}, by_kind={"statistic": 0.8})
    {'a': 0.8, 'b': 0.6, 'c': 0.5}
    >>> base_scores(P, levels={"a": 6, "b": 1, "c": None}, scores={1: 0.2, 6: 0.7})
    {'a': 0.7, 'b': 0.2, 'c': 0.5}
    """
    default = None if base is None else _check_score(base, "base")
    stance = {k: _check_score(v, f"by_stance[{k!r}]") for k, v in (by_stance or {}).items()}
    kind = {k: _check_score(v, f"by_kind[{k!r}]") for k, v in (by_kind or {}).items()}
    claim = {k: _check_score(v, f"by_claim[{k!r}]") for k, v in (by_claim or {}).items()}
    unknown = sorted(set(claim) - set(P.claims.nodes))
    if unknown:
        raise AnalysisError(f"strength: by_claim names unknown claim(s): {', '.join(unknown)}")
    out = {}
    for cid in P.claim_ids():
        a = P.claims.nodes[cid]
        if cid in claim:
            out[cid] = claim[cid]
        elif a.get("kind") in kind:
            out[cid] = kind[a["kind"]]
        elif a.get("stance") in stance:
            out[cid] = stance[a["stance"]]
        elif default is not None:
            out[cid] = default
        elif levels is not None and scores is not None and (level := levels.get(cid)) is not None and level in scores:
            out[cid] = scores[level]
        else:
            out[cid] = NEUTRAL_BASE
    return out


def dfquad(
    P: Projection,
    tau: Mapping[str, float],
    *,
    max_rounds: int = 200,
    tolerance: float = 1e-9,
    bounded: Collection[str] = (),
) -> tuple[dict[str, float], dict[str, Any]]:
    """DF-QuAD strengths for the base scores ``tau``, and a note on how they were reached; the claims in
    ``bounded`` take evidence-bounded support (see the module docstring).

    The note has ``cyclic_components`` (how many strongly connected components had to be iterated),
    ``rounds`` (the most rounds any of them took), ``converged`` (all of them settled) and ``unsettled``
    (the sorted ids of the claims in components that did not settle).
    """
    import numpy as np
    from scipy.sparse import csr_array
    from scipy.sparse.csgraph import connected_components

    if max_rounds < 1 or not tolerance > 0:
        raise AnalysisError("strength: max_rounds must be at least 1 and tolerance above 0")
    # each claim's incoming contributions: (sign, premise, undercutters)
    cutters: dict[str, list[str]] = {}
    for r in P.relations.values():
        if r.type == "undercuts" and r.source in tau:
            cutters.setdefault(r.target, []).append(r.source)
    ids = list(tau)
    index = {cid: i for i, cid in enumerate(ids)}
    into: dict[str, list[tuple[bool, str, list[str]]]] = {cid: [] for cid in tau}
    tails: list[int] = []  # the dependency graph: premise and undercutters -> the claim they bear on
    heads: list[int] = []
    for r in P.relations.values():
        if r.type == "undercuts" or r.source not in tau or r.target not in tau:
            continue
        cut = cutters.get(r.id, [])
        into[r.target].append((r.type == "supports", r.source, cut))
        h = index[r.target]
        for u in (r.source, *cut):
            tails.append(index[u])
            heads.append(h)

    sigma: dict[str, float] = dict(tau)
    bounded = frozenset(bounded)

    def value(cid: str) -> float:
        # combine(tau, aggregate(attacks), aggregate(supports)), inlined: the same sums in the same order
        att = sup = 0.0
        for is_support, premise, cut in into[cid]:
            v = sigma[premise]
            for u in cut:
                v *= 1.0 - sigma[u]
            if is_support:
                sup = sup + v - sup * v
            else:
                att = att + v - att * v
        return combine(tau[cid], att, sup, bounded=cid in bounded)

    # strongly connected components, upstream first; any such order gives the same strengths, since a
    # component reads only its own members and components already solved
    n = len(ids)
    A = csr_array((np.ones(len(tails)), (np.array(tails, dtype=np.int64), np.array(heads, dtype=np.int64))), shape=(n, n))
    n_comp, labels = connected_components(A, directed=True, connection="strong")
    label = labels.tolist()
    members_of: list[list[str]] = [[] for _ in range(n_comp)]
    for i, cid in enumerate(ids):
        members_of[label[i]].append(cid)
    looped = {t for t, h in zip(tails, heads, strict=True) if t == h}
    downstream: list[list[int]] = [[] for _ in range(n_comp)]
    waiting = [0] * n_comp
    for t, h in zip(tails, heads, strict=True):
        a, b = label[t], label[h]
        if a != b:
            downstream[a].append(b)
            waiting[b] += 1
    ready = [c for c in range(n_comp) if waiting[c] == 0]
    n_cyclic, worst, converged = 0, 0, True
    unsettled: list[str] = []
    while ready:
        c = ready.pop()
        for b in downstream[c]:
            waiting[b] -= 1
            if waiting[b] == 0:
                ready.append(b)
        members = members_of[c]
        if len(members) == 1 and index[members[0]] not in looped:
            sigma[members[0]] = value(members[0])
            continue
        n_cyclic += 1
        for rounds in range(1, max_rounds + 1):
            new = {cid: value(cid) for cid in members}
            delta = max(abs(new[cid] - sigma[cid]) for cid in members)
            sigma.update(new)
            if delta <= tolerance:
                break
        else:
            converged = False
            unsettled.extend(members)
        worst = max(worst, rounds)
    note = {"cyclic_components": n_cyclic, "rounds": worst, "converged": converged, "unsettled": sorted(unsettled)}
    return sigma, note
