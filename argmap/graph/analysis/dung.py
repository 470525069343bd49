"""Dung's abstract argumentation on the attack graph: the grounded labelling and the preferred extensions.

An argumentation framework is a set of arguments and an attack relation (Dung 1995, "On the acceptability of
arguments and its fundamental role in nonmonotonic reasoning, logic programming and n-person games",
Artificial Intelligence 77(2)). Here every claim is an argument and every ``attacks`` relation an attack;
supports play no part in Dung's semantics (they do in :mod:`argmap.graph.analysis.gradual`).

Undercuts
---------
An undercut ``u`` of an attack ``r`` (``a`` attacks ``b``) denies that ``a`` counts against ``b`` without
denying ``a``. Following ASPIC+ (Modgil & Prakken 2013, "A general account of argumentation with preferences",
Artificial Intelligence 195), the attack is then carried by its own argument, the *inference* ``a => not b``,
named after the relation ``r``:

- the inference attacks ``b`` (``a`` no longer attacks ``b`` directly);
- the undercutter ``u`` attacks the inference;
- whatever attacks ``a`` also attacks the inference, since ``a`` is its premise (a sub-argument).

So the inference is accepted exactly when ``a`` is accepted and no undercutter is, and ``b`` is defeated through
``r`` only then. The inference is an argument of the framework, but results are reported for claims only.
An undercut of a *support* has no effect here, as supports have none.

Preferences
-----------
By default the analyses use *defeats*, not attacks (preference-based argumentation, Amgoud & Cayrol 2002;
ASPIC+, Modgil & Prakken 2013): an ``attacks`` relation defeats its target only when the attacker's evidence
level (:mod:`argmap.sources.evidence`) is not lower than the target's; an undercut always defeats the
inference it targets. :func:`framework` with ``levels`` builds that defeat framework and keeps the attacks
that failed in :attr:`Framework.blocked`; without ``levels`` it is Dung's plain attack framework.

Both algorithms work on integer-indexed adjacency lists built once per projection (:func:`framework`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from argmap.errors import AnalysisError
from argmap.perf import paused_gc

if TYPE_CHECKING:
    from argmap.graph.projection import Projection

UNDEC, IN, OUT = 0, 1, 2
LABEL_NAMES = {UNDEC: "undecided", IN: "in", OUT: "out"}


@dataclass(frozen=True)
class Framework:
    """An argumentation framework over integers ``0..n-1``.

    Arguments ``0..n_claims-1`` are the claims, in id order; any further ones are inferences of undercut
    attacks (see the module docstring). ``attackers[i]`` and ``targets[i]`` are sorted lists without repeats.
    """

    names: list[str]
    n_claims: int
    attackers: list[list[int]]
    targets: list[list[int]]
    # for an inference argument: (relation id, index of its premise claim)
    inference: dict[int, tuple[str, int]]
    # per claim: the attacks on it that do not defeat it, as (relation id, attacker claim), in relation order
    blocked: dict[int, list[tuple[str, int]]] = field(default_factory=dict)

    def describe(self, i: int) -> str:
        """How a reason names argument ``i``: a claim id, or a claim and the relation it argues through."""
        if i < self.n_claims:
            return self.names[i]
        rid, premise = self.inference[i]
        return f"{self.names[premise]} (through relation {rid})"


def from_attacks(n: int, attacks: Iterable[tuple[int, int]], *, names: list[str] | None = None) -> Framework:
    """A framework of ``n`` plain arguments and the given ``(attacker, target)`` pairs.

    Examples
    --------
    >>> fw = from_attacks(3, [(0, 1), (1, 2)])
    >>> fw.attackers, fw.targets
    ([[], [0], [1]], [[1], [2], []])
    """
    att: list[set[int]] = [set() for _ in range(n)]
    for a, b in attacks:
        att[b].add(a)
    return _finish(names or [str(i) for i in range(n)], n, att, {})


def _finish(
    names: list[str],
    n_claims: int,
    att: list[set[int]],
    inference: dict[int, tuple[str, int]],
    blocked: dict[int, list[tuple[str, int]]] | None = None,
) -> Framework:
    attackers = [sorted(s) if len(s) > 1 else list(s) for s in att]
    targets: list[list[int]] = [[] for _ in att]
    for b, srcs in enumerate(attackers):
        for a in srcs:
            targets[a].append(b)
    return Framework(names, n_claims, attackers, targets, inference, blocked or {})


def defeats(attacker: int | None, target: int | None) -> bool:
    """Whether an attack from a claim of evidence level ``attacker`` on one of level ``target`` defeats it.

    As for rebuttals and underminers in ASPIC+ (Modgil & Prakken 2013) and in preference-based frameworks
    (Amgoud & Cayrol 2002, "A reasoning model based on the production of acceptable arguments", Annals of
    Mathematics and Artificial Intelligence 34): an attack succeeds unless the attacker is strictly weaker. A
    claim of unknown level (None) neither blocks nor is blocked, as in plain Dung.

    >>> defeats(1, 6), defeats(6, 6), defeats(6, 1), defeats(None, 6)
    (False, True, True, True)
    """
    return attacker is None or target is None or attacker >= target


def framework(P: Projection, *, levels: Mapping[str, int | None] | None = None) -> Framework:
    """The defeat framework of a projection, undercuts included (cached on the projection).

    With ``levels`` (claim id to evidence level) an ``attacks`` relation from ``a`` to ``b`` is a defeat only
    when :func:`defeats` says so; the others are kept in :attr:`Framework.blocked`. An undercut always defeats
    the inference it targets (in ASPIC+ undercutters succeed whatever the preferences). Without ``levels``
    every attack is a defeat: Dung's plain attack framework.

    Examples
    --------
    >>> from argmap.graph.projection import make_projection
    >>> P = make_projection("abu", [("a", "attacks", "b", "r"), ("u", "undercuts", "r")])
    >>> fw = framework(P)
    >>> fw.names, fw.attackers
    (['a', 'b', 'u', 'r'], [[], [3], [], [2]])
    >>> fw = framework(P, levels={"a": 1, "b": 6, "u": 1})
    >>> fw.names, fw.attackers, fw.blocked
    (['a', 'b', 'u'], [[], [], []], {1: [('r', 0)]})
    """
    ids = P.claim_ids()
    key = ("framework", None if levels is None else tuple(levels.get(c) for c in ids))
    cached = P._cache.get(key)
    if cached is not None:
        return cached
    with paused_gc():
        fw = _framework(P, levels)
    P._cache[key] = fw
    return fw


def _framework(P: Projection, levels: Mapping[str, int | None] | None) -> Framework:
    names = P.claim_ids()
    index = {cid: i for i, cid in enumerate(names)}
    blocked: dict[int, list[tuple[str, int]]] = {}
    undercutters: dict[str, list[int]] = {}
    for r in P.relations.values():
        if r.type == "undercuts" and r.source in index:
            undercutters.setdefault(r.target, []).append(index[r.source])
    att: list[set[int]] = [set() for _ in names]
    inference: dict[int, tuple[str, int]] = {}
    pending: list[tuple[int, int, list[int]]] = []
    for r in P.relations.values():
        if r.type != "attacks" or r.source not in index or r.target not in index:
            continue
        a, b = index[r.source], index[r.target]
        if levels is not None and not defeats(levels.get(r.source), levels.get(r.target)):
            blocked.setdefault(b, []).append((r.id, a))
            continue
        cutters = undercutters.get(r.id)
        if not cutters:
            att[b].add(a)
            continue
        k = len(names)
        names.append(r.id)
        att.append(set())
        inference[k] = (r.id, a)
        att[b].add(k)
        pending.append((k, a, cutters))
    for k, a, cutters in pending:  # a's attackers are all known now
        att[k].update(att[a])
        att[k].update(cutters)
    return _finish(names, len(index), att, inference, blocked)


def grounded_labels(fw: Framework) -> list[int]:
    """The grounded labelling: ``IN`` (1), ``OUT`` (2) or ``UNDEC`` (0) for every argument, in O(N + E).

    An argument is in when all its attackers are out, out when an attacker is in; what is neither at the least
    fixed point is undecided (Caminada 2006, "On the issue of reinstatement in argumentation", JELIA; the
    propagation is that of Modgil & Caminada 2009, "Proof theories and algorithms for abstract argumentation
    frameworks", in Argumentation in Artificial Intelligence). Each argument keeps a count of its attackers that
    are not yet out; it enters the queue when the count reaches zero, so every attack is looked at a bounded
    number of times.

    Examples
    --------
    >>> grounded_labels(from_attacks(5, [(0, 1), (1, 2), (3, 4), (4, 3)]))
    [1, 2, 1, 0, 0]
    """
    attackers, targets = fw.attackers, fw.targets
    count = [len(a) for a in attackers]
    label = [UNDEC] * len(count)
    queue = [i for i, c in enumerate(count) if c == 0]
    for i in queue:
        label[i] = IN
    for x in queue:  # the list grows while it is read: a FIFO queue without pops
        for y in targets[x]:
            if label[y] == OUT:
                continue
            label[y] = OUT
            for z in targets[y]:
                count[z] -= 1
                if count[z] == 0 and label[z] == UNDEC:
                    label[z] = IN
                    queue.append(z)
    return label


def _names(fw: Framework, items: list[int], *, limit: int = 3) -> str:
    shown = ", ".join(fw.describe(i) for i in items[:limit])
    more = len(items) - limit
    return f"{shown} and {more} more" if more > 0 else shown


def _cyclic(fw: Framework, nodes: list[int]) -> dict[int, list[int]]:
    """For every node of ``nodes`` on an attack cycle inside ``nodes``: the other members of its strongly
    connected component (Tarjan's algorithm, iterative)."""
    inside = set(nodes)
    index: dict[int, int] = {}
    low: dict[int, int] = {}
    on_stack: set[int] = set()
    stack: list[int] = []
    out: dict[int, list[int]] = {}
    counter = 0
    targets = fw.targets
    for root in nodes:
        if root in index:
            continue
        work = [(root, 0)]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            v, i = work[-1]
            succ = targets[v]
            while i < len(succ) and succ[i] not in inside:
                i += 1
            if i < len(succ):
                w = succ[i]
                work[-1] = (v, i + 1)
                if w not in index:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on_stack.add(w)
                    work.append((w, 0))
                elif w in on_stack:
                    low[v] = min(low[v], index[w])
                continue
            work.pop()
            if work:
                u = work[-1][0]
                low[u] = min(low[u], low[v])
            if low[v] == index[v]:
                comp = []
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    comp.append(w)
                    if w == v:
                        break
                if len(comp) > 1 or v in targets[v]:
                    comp.sort()
                    for w in comp:
                        out[w] = [c for c in comp if c != w]
    return out


def grounded_reasons(fw: Framework, labels: list[int]) -> list[str]:
    """One line per claim (``0..n_claims-1``) saying why it has its grounded label."""
    attackers = fw.attackers
    undecided = [i for i, lab in enumerate(labels) if lab == UNDEC]
    cycles = _cyclic(fw, undecided) if undecided else {}
    reasons = []
    for i in range(fw.n_claims):
        lab, att = labels[i], attackers[i]
        if lab == IN:
            if not att:
                reasons.append("unattacked")
            elif len(att) == 1:
                reasons.append(f"its only attacker, {fw.describe(att[0])}, is out")
            else:
                reasons.append(f"all {len(att)} attackers are out ({_names(fw, att)})")
        elif lab == OUT:
            winner = next(a for a in att if labels[a] == IN)
            reasons.append(f"attacked by accepted claim {fw.describe(winner)}")
        elif i in cycles:
            others = [c for c in cycles[i] if c < fw.n_claims] or cycles[i]
            if not others:
                reasons.append("attacks itself, and no accepted claim defeats it")
            else:
                reasons.append(f"in an attack cycle with no accepted attacker (with {_names(fw, others)})")
        else:
            undec = [a for a in att if labels[a] == UNDEC]
            reasons.append(f"attacked by undecided claim {_names(fw, undec)}, and by no accepted claim")
    return reasons


# ---------------------------------------------------------------- preferred extensions


class _TooLarge(Exception):
    def __init__(self, message: str, *, too_many: bool = False):
        self.message = message
        self.too_many = too_many  # more extensions than allowed: no other route can list them either
        super().__init__(message)


def _sccs(nodes: frozenset[int], targets: list[list[int]]) -> list[frozenset[int]]:
    """The strongly connected components of the attack graph restricted to ``nodes``, upstream first."""
    import networkx as nx

    D: nx.DiGraph[int] = nx.DiGraph()
    D.add_nodes_from(sorted(nodes))
    D.add_edges_from((a, b) for a in sorted(nodes) for b in targets[a] if b in nodes)
    C = nx.condensation(D)
    order = nx.lexicographical_topological_sort(C, key=lambda c: min(C.nodes[c]["members"]))
    return [frozenset(C.nodes[c]["members"]) for c in order]


class _Search:
    """Preferred extensions by SCC-recursiveness (Baroni, Giacomin & Guida 2005, "SCC-recursiveness: a general
    schema for argumentation semantics", Artificial Intelligence 168(1-2)), with limits."""

    def __init__(self, fw: Framework, *, max_component: int, max_extensions: int, max_steps: int):
        self.fw = fw
        self.max_component = max_component
        self.max_extensions = max_extensions
        self.max_steps = max_steps

    def gf(self, nodes: frozenset[int], allowed: frozenset[int]) -> list[frozenset[int]]:
        """The extensions of the framework restricted to ``nodes`` whose members are all in ``allowed``."""
        if len(nodes) <= 1:
            return self.base(nodes, allowed)
        sccs = _sccs(nodes, self.fw.targets)
        if len(sccs) == 1:
            return self.base(nodes, allowed)
        attackers = self.fw.attackers
        partials: list[frozenset[int]] = [frozenset()]
        for S in sccs:
            grown: list[frozenset[int]] = []
            upstream = {a: [b for b in attackers[a] if b in nodes and b not in S] for a in S}
            for E in partials:
                # D: attacked from upstream by E; P: attacked from upstream only by arguments neither in E nor
                # attacked by E, so they cannot be defended, yet they still count against their own SCC
                D = frozenset(a for a in S if any(b in E for b in upstream[a]))
                P = frozenset(
                    a
                    for a in S - D
                    if any(b not in E and not any(c in E for c in attackers[b] if c in nodes) for b in upstream[a])
                )
                for e in self.gf(S - D, (S - D - P) & allowed):
                    grown.append(E | e)
                    if len(grown) > self.max_extensions:
                        raise _TooLarge(
                            f"more than {self.max_extensions} preferred extensions; only the grounded one is "
                            "reported (raise 'max_extensions' to see them)",
                            too_many=True,
                        )
            partials = grown
        return partials

    def base(self, nodes: frozenset[int], allowed: frozenset[int]) -> list[frozenset[int]]:
        """The maximal admissible subsets of ``allowed`` in the framework restricted to ``nodes`` (one SCC).

        A depth-first search over admissible sets. A set that does not yet defend itself against some
        attacker ``b`` can only grow by one of ``b``'s attackers (the branch with fewest choices first, each
        branch excluding the choices before it, so no set is reached twice); a set that defends itself is
        admissible and grows by any argument compatible with it. So an odd cycle fails as soon as the forced
        defenders meet. Sets from which no admissible superset was found are kept, then the maximal ones.
        """
        fw = self.fw
        if len(nodes) > self.max_component:
            claims = sorted(fw.names[i] for i in nodes if i < fw.n_claims)
            raise _TooLarge(
                f"an undecided attack cycle of {len(nodes)} arguments ({_names_plain(claims)}) is larger than "
                f"the search limit of {self.max_component} ('max_component'); only the grounded extension is "
                "reported"
            )
        att = {a: [b for b in fw.attackers[a] if b in nodes] for a in nodes}
        tgt = {a: {b for b in fw.targets[a] if b in nodes} for a in nodes}
        cands = sorted(a for a in allowed if a not in tgt[a])
        found: list[frozenset[int]] = []
        steps = 0

        def compatible(x: int, E: frozenset[int]) -> bool:
            return not (tgt[x] & E) and not any(x in tgt[e] for e in E)

        def grow(E: frozenset[int], excluded: frozenset[int]) -> bool:
            """Search the admissible supersets of E avoiding ``excluded``; True when one was found."""
            nonlocal steps
            steps += 1
            if steps > self.max_steps:
                raise _TooLarge(
                    f"the search of an undecided attack cycle of {len(nodes)} arguments took more than "
                    f"{self.max_steps} steps ('max_steps'); only the grounded extension is reported"
                )
            hit = set().union(*(tgt[e] for e in E)) if E else set()
            best: list[int] | None = None
            for a in sorted(E):
                for b in att[a]:
                    if b in hit:
                        continue
                    options = [c for c in att[b] if c in allowed and c not in excluded and compatible(c, E)]
                    options = [c for c in options if c not in tgt[c]]
                    if best is None or len(options) < len(best):
                        best = options
                    if not options:
                        return False
            if best is not None:  # E does not defend itself yet: one of best must join
                ok = False
                for i, c in enumerate(best):
                    ok = grow(E | {c}, excluded | frozenset(best[:i])) or ok
                return ok
            free = [x for x in cands if x not in E and x not in excluded and compatible(x, E)]
            grew = False
            for i, x in enumerate(free):
                grew = grow(E | {x}, excluded | frozenset(free[:i])) or grew
            if not grew:
                found.append(E)
            return True

        grow(frozenset(), frozenset())
        return [s for s in set(found) if not any(s < t for t in found)]


def _names_plain(items: list[str], *, limit: int = 4) -> str:
    more = len(items) - limit
    shown = ", ".join(items[:limit])
    return f"{shown} and {more} more" if more > 0 else shown


@dataclass(frozen=True)
class PreferredResult:
    extensions: list[frozenset[int]]
    complete: bool
    message: str | None
    cyclic: list[list[int]]
    # how the extensions were found: "grounded" (nothing undecided), "search" or "sat"
    method: str = "search"


def preferred_extensions(
    fw: Framework,
    labels: list[int] | None = None,
    *,
    max_component: int = 100,
    max_extensions: int = 256,
    max_steps: int = 200_000,
    sat: bool = True,
    sat_above: int = 20,
    max_conflicts: int = 1_000_000,
) -> PreferredResult:
    """Every preferred extension (maximal admissible set) of ``fw``, searched only where it can differ.

    Every preferred extension contains the grounded extension ``G`` and nothing ``G`` attacks, so the
    preferred extensions are ``G`` joined with those of the undecided part (the reduct of the framework by
    ``G``). That part is cut into strongly connected components, handled upstream first, each given what the
    choices upstream leave it (:class:`_Search`); only cyclic components are searched.

    When an undecided cycle has more than ``sat_above`` arguments (where the search's cost grows fastest), or a
    component has more than ``max_component`` arguments or its search takes more than ``max_steps`` steps,
    the undecided part goes to a SAT solver (:func:`argmap.graph.analysis.sat.preferred`,
    when ``sat`` and python-sat is installed), whose every call may take ``max_conflicts`` conflicts. When
    that is cut too, or there are more than ``max_extensions`` extensions, ``complete`` is False, the
    ``message`` says why, and the only extension given is the grounded one. Preferred extensions are the
    grounded extension joined with those of the undecided part (Baumann, Brewka & Ulbricht 2020, "Revisiting
    the foundations of abstract argumentation: semantics based on weak admissibility and weak defense", AAAI:
    the reduct by an admissible subset), so the SAT route too solves only the undecided part.

    Examples
    --------
    >>> r = preferred_extensions(from_attacks(3, [(0, 1), (1, 0), (1, 2)]))
    >>> sorted(sorted(e) for e in r.extensions)
    [[0, 2], [1]]
    """
    if labels is None:
        labels = grounded_labels(fw)
    grounded = frozenset(i for i, lab in enumerate(labels) if lab == IN)
    undecided = frozenset(i for i, lab in enumerate(labels) if lab == UNDEC)
    if max_component < 1 or max_extensions < 1 or max_steps < 1:
        raise AnalysisError("preferred: max_component, max_extensions and max_steps must be at least 1")
    cyclic: list[list[int]] = []
    if undecided:
        seen: set[int] = set()
        for v, others in sorted(_cyclic(fw, sorted(undecided)).items()):
            if v not in seen:
                comp = sorted([v, *others])
                seen.update(comp)
                cyclic.append(comp)
    if not undecided:
        return PreferredResult([grounded], True, None, cyclic, "grounded")
    from argmap.graph.analysis import sat as satmod

    use_sat = sat and satmod.available()

    def by_sat(why: str | None) -> PreferredResult:
        try:
            parts = satmod.preferred(undecided, fw.attackers, max_extensions=max_extensions, max_conflicts=max_conflicts)
        except satmod.SatCut as cut:
            message = cut.message if why is None else f"{why}; the SAT route stopped too: {cut.message}"
            return PreferredResult([grounded], False, message, cyclic)
        return PreferredResult([grounded | p for p in parts], True, None, cyclic, "sat")

    if use_sat and max((len(c) for c in cyclic), default=0) > sat_above:
        return by_sat(None)
    search = _Search(fw, max_component=max_component, max_extensions=max_extensions, max_steps=max_steps)
    try:
        parts = search.gf(undecided, undecided)
    except _TooLarge as stop:
        if stop.too_many or not sat:
            return PreferredResult([grounded], False, stop.message, cyclic)
        if not use_sat:
            return PreferredResult([grounded], False, f"{stop.message} (python-sat is not installed)", cyclic)
        return by_sat(stop.message)
    return PreferredResult([grounded | p for p in parts], True, None, cyclic, "search")
