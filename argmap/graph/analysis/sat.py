"""Extensions by SAT (python-sat): preferred past the search's limits, and complete and stable enumeration.

Arguments ``0..n-1`` are SAT variables ``1..n`` ("in the extension"). The encodings are the standard ones
(Besnard & Doutre 2004, "Checking the acceptability of a set of arguments", NMR; Cerutti, Dunne, Giacomin &
Vallati 2013, "Computing preferred extensions in abstract argumentation: a SAT-based approach", TAFA):

- conflict-free: ``not (a and b)`` for every attack ``(a, b)``;
- admissible: conflict-free, and ``a -> (c1 or ... or ck)`` for every attacker ``b`` of ``a``, the ``ci`` being
  ``b``'s attackers (someone in the set attacks ``b``);
- complete: admissible, and ``a`` is in when every attacker of ``a`` is attacked by the set (auxiliary
  variables ``n+1..2n``: "attacked by the set");
- stable: ``a`` is in exactly when none of its attackers is.

Preferred extensions are found as in PrefSAT (Cerutti et al. 2013): find an admissible set not contained in
any extension found so far, grow it while a strictly larger admissible superset exists, record it, repeat.
Every solver call has a budget of conflicts, so a hard instance stops with a message instead of running on:
the answer is then incomplete and says so. Results are deterministic (Glucose 4, no randomisation).

Only :func:`preferred`, :func:`complete` and :func:`stable` import pysat, when called.
"""

from __future__ import annotations

from collections.abc import Iterable


class SatCut(Exception):
    """The SAT route stopped: a budget or a limit was hit (``message`` says which)."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


def available() -> bool:
    """Whether python-sat can be imported."""
    try:
        import pysat.solvers  # noqa: F401
    except ImportError:
        return False
    return True


def _solver():
    from pysat.solvers import Solver

    return Solver(name="g4")


def _admissible(nodes: list[int], attackers: list[list[int]], var: dict[int, int]) -> list[list[int]]:
    clauses: list[list[int]] = []
    inside = var.keys()
    for a in nodes:
        va = var[a]
        for b in attackers[a]:
            if b not in inside:
                continue
            clauses.append([-va, -var[b]])
            defenders = [var[c] for c in attackers[b] if c in inside]
            clauses.append([-va, *defenders])
    return clauses


def _solve(s, assumptions: list[int], budget: int, what: str) -> bool:
    s.conf_budget(budget)
    ok = s.solve_limited(assumptions=assumptions)
    if ok is None:
        raise SatCut(f"the SAT solver gave up on {what} after {budget} conflicts ('max_conflicts')")
    return ok


def _members(model: Iterable[int], back: dict[int, int]) -> frozenset[int]:
    return frozenset(back[v] for v in model if v > 0 and v in back)


def preferred(
    nodes: Iterable[int], attackers: list[list[int]], *, max_extensions: int, max_conflicts: int = 1_000_000
) -> list[frozenset[int]]:
    """The preferred extensions of the framework restricted to ``nodes`` (``attackers[a]``: a's attackers).

    Raises :class:`SatCut` past ``max_extensions`` extensions or ``max_conflicts`` conflicts in one call.

    Examples
    --------
    >>> att = [[1], [0], [1]]          # 0 <-> 1, 1 -> 2
    >>> sorted(sorted(e) for e in preferred(range(3), att, max_extensions=10))
    [[0, 2], [1]]
    """
    order = sorted(nodes)
    var = {a: i + 1 for i, a in enumerate(order)}
    back = {v: a for a, v in var.items()}
    found: list[frozenset[int]] = []
    base = _admissible(order, attackers, var)
    outer = _solver()
    fresh = len(var)  # selector variables above the arguments' own
    try:
        for clause in base:
            outer.add_clause(clause)
        while _solve(outer, [], max_conflicts, "a preferred extension"):
            E = _members(outer.get_model(), back)
            inner = _solver()
            try:
                for clause in base:
                    inner.add_clause(clause)
                while True:  # grow E while a strictly larger admissible superset exists
                    others = [var[a] for a in order if a not in E]
                    if not others:
                        break
                    fresh += 1  # "one more argument than E", switched on by its own selector
                    inner.add_clause([-fresh, *others])
                    if not _solve(inner, [fresh, *(var[a] for a in sorted(E))], max_conflicts, "a preferred extension"):
                        break
                    E = _members(inner.get_model(), back)
            finally:
                inner.delete()
            found.append(E)
            if len(found) > max_extensions:
                raise SatCut(
                    f"more than {max_extensions} preferred extensions; only the grounded one is reported "
                    "(raise 'max_extensions' to see them)"
                )
            rest = [var[a] for a in order if a not in E]
            if not rest:
                break
            outer.add_clause(rest)  # the next one is not inside this one
    finally:
        outer.delete()
    return found


def _enumerate(
    order: list[int], clauses: list[list[int]], n_vars: int, *, max_extensions: int, max_conflicts: int, name: str
) -> list[frozenset[int]]:
    back = {i + 1: a for i, a in enumerate(order)}
    s = _solver()
    out: list[frozenset[int]] = []
    try:
        for c in clauses:
            s.add_clause(c)
        while _solve(s, [], max_conflicts, f"a {name} extension"):
            model = s.get_model()
            E = _members(model, back)
            out.append(E)
            if len(out) > max_extensions:
                raise SatCut(f"more than {max_extensions} {name} extensions (raise 'max_extensions' to see them)")
            s.add_clause([-(i + 1) if a in E else i + 1 for i, a in enumerate(order)])  # not this set again
            if not order:
                break
    finally:
        s.delete()
    return out


def complete(n: int, attackers: list[list[int]], *, max_extensions: int, max_conflicts: int = 1_000_000) -> list[frozenset[int]]:
    """Every complete extension of the framework of ``n`` arguments.

    >>> sorted(sorted(e) for e in complete(3, [[1], [0], [1]], max_extensions=10))
    [[], [0, 2], [1]]
    """
    order = list(range(n))
    var = {a: a + 1 for a in order}
    clauses = _admissible(order, attackers, var)
    # d_b (variable n+1+b): b is attacked by the set; a is in when all its attackers are attacked
    for b in order:
        d = n + 1 + b
        clauses.append([-d, *(var[c] for c in attackers[b])])
        for c in attackers[b]:
            clauses.append([d, -var[c]])
    for a in order:
        clauses.append([var[a], *(-(n + 1 + b) for b in attackers[a])])
    return _enumerate(order, clauses, 2 * n, max_extensions=max_extensions, max_conflicts=max_conflicts, name="complete")


def stable(n: int, attackers: list[list[int]], *, max_extensions: int, max_conflicts: int = 1_000_000) -> list[frozenset[int]]:
    """Every stable extension of the framework of ``n`` arguments.

    >>> sorted(sorted(e) for e in stable(3, [[1], [0], [1]], max_extensions=10))
    [[0, 2], [1]]
    >>> stable(3, [[2], [0], [1]], max_extensions=10)
    []
    """
    order = list(range(n))
    clauses: list[list[int]] = []
    for a in order:
        va = a + 1
        for b in attackers[a]:
            clauses.append([-va, -(b + 1)])
        clauses.append([va, *(b + 1 for b in attackers[a])])
    return _enumerate(order, clauses, n, max_extensions=max_extensions, max_conflicts=max_conflicts, name="stable")
