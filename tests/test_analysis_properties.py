"""Properties of the Dung semantics and of DF-QuAD on random graphs (hypothesis), checked against brute force."""

from __future__ import annotations

from itertools import combinations

from hypothesis import given, settings
from hypothesis import strategies as st

from argmap.graph.analysis import dung
from argmap.graph.analysis.analyses import grounded, preferred, strength
from argmap.graph.analysis.gradual import aggregate, combine
from argmap.graph.projection import make_projection


@st.composite
def frameworks(draw, max_n: int = 8):
    n = draw(st.integers(min_value=0, max_value=max_n))
    pairs = [(a, b) for a in range(n) for b in range(n)]
    attacks = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=3 * n)) if pairs else []
    return n, attacks


def attacked_by(S: set[int], attacks) -> set[int]:
    return {b for a, b in attacks if a in S}


def conflict_free(S: set[int], attacks) -> bool:
    return not any(a in S and b in S for a, b in attacks)


def defends(S: set[int], x: int, attacks) -> bool:
    hit = attacked_by(S, attacks)
    return all(a in hit for a, b in attacks if b == x)


def admissible(S: set[int], attacks) -> bool:
    return conflict_free(S, attacks) and all(defends(S, x, attacks) for x in S)


def brute_grounded(n: int, attacks) -> set[int]:
    """The least fixed point of the characteristic function F(S) = {x : S defends x} (Dung 1995)."""
    S: set[int] = set()
    while True:
        nxt = {x for x in range(n) if defends(S, x, attacks)}
        if nxt == S:
            return S
        S = nxt


def brute_preferred(n: int, attacks) -> set[frozenset[int]]:
    adm = [frozenset(c) for k in range(n + 1) for c in combinations(range(n), k) if admissible(set(c), attacks)]
    return {s for s in adm if not any(s < t for t in adm)}


def as_projection(n: int, attacks):
    names = [f"a{i}" for i in range(n)]
    return make_projection(names, [(names[a], "attacks", names[b]) for a, b in attacks])


@settings(max_examples=300, deadline=None)
@given(frameworks())
def test_grounded_labelling_is_the_least_fixed_point_and_legal(fw_spec):
    n, attacks = fw_spec
    fw = dung.from_attacks(n, attacks)
    labels = dung.grounded_labels(fw)
    ext = {i for i in range(n) if labels[i] == dung.IN}
    assert ext == brute_grounded(n, attacks)
    assert conflict_free(ext, attacks) and admissible(ext, attacks)
    assert {i for i in range(n) if labels[i] == dung.OUT} == attacked_by(ext, attacks)
    for x in range(n):  # a complete labelling: in iff all attackers out, out iff some attacker in
        att = [labels[a] for a, b in attacks if b == x]
        assert (labels[x] == dung.IN) == all(lab == dung.OUT for lab in att)
        assert (labels[x] == dung.OUT) == any(lab == dung.IN for lab in att)


@settings(max_examples=300, deadline=None)
@given(frameworks())
def test_preferred_extensions_are_admissible_maximal_and_contain_grounded(fw_spec):
    n, attacks = fw_spec
    P = as_projection(n, attacks)
    result = preferred(P)
    assert result["complete"]
    exts = [{int(c[1:]) for c in e} for e in result["extensions"]]
    ground = {int(c[1:]) for c, v in grounded(P).items() if v["label"] == "in"}
    everything = set(range(n))
    for E in exts:
        assert admissible(E, attacks)
        assert ground <= E
        # maximal: no argument can join it with the set staying admissible, nor any larger admissible superset
        for k in range(1, len(everything - E) + 1):
            for extra in combinations(sorted(everything - E), k):
                assert not admissible(E | set(extra), attacks)
    assert {frozenset(E) for E in exts} == brute_preferred(n, attacks)


@settings(max_examples=60, deadline=None)
@given(frameworks(max_n=12))
def test_preferred_matches_brute_force_on_larger_frameworks(fw_spec):
    n, attacks = fw_spec
    result = preferred(as_projection(n, attacks))
    assert {frozenset(int(c[1:]) for c in e) for e in result["extensions"]} == brute_preferred(n, attacks)


@st.composite
def bipolar(draw, *, acyclic: bool):
    n = draw(st.integers(min_value=1, max_value=7))
    pairs = [(a, b) for a in range(n) for b in range(n) if (a < b if acyclic else a != b)]
    edges = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=2 * n)) if pairs else []
    kinds = draw(st.lists(st.sampled_from(["attacks", "supports"]), min_size=len(edges), max_size=len(edges)))
    base = draw(st.lists(st.floats(min_value=0, max_value=1), min_size=n, max_size=n))
    return n, [(a, t, b) for (a, b), t in zip(edges, kinds)], base


@settings(max_examples=200, deadline=None)
@given(bipolar(acyclic=True))
def test_dfquad_strengths_solve_the_equations_on_acyclic_graphs(spec):
    n, rels, base = spec
    names = [f"a{i}" for i in range(n)]
    P = make_projection(names, [(names[a], t, names[b]) for a, t, b in rels])
    r = strength(P, by_claim=dict(zip(names, base)))
    assert r["converged"] and r["cyclic_components"] == 0
    sigma = {c: v["strength"] for c, v in r["claims"].items()}
    for i, c in enumerate(names):
        att = [sigma[names[a]] for a, t, b in rels if b == i and t == "attacks"]
        sup = [sigma[names[a]] for a, t, b in rels if b == i and t == "supports"]
        assert 0 <= sigma[c] <= 1
        assert abs(sigma[c] - combine(base[i], aggregate(att), aggregate(sup))) < 1e-5


@settings(max_examples=200, deadline=None)
@given(bipolar(acyclic=False))
def test_dfquad_on_cyclic_graphs_stays_in_range_and_says_whether_it_settled(spec):
    n, rels, base = spec
    names = [f"a{i}" for i in range(n)]
    P = make_projection(names, [(names[a], t, names[b]) for a, t, b in rels])
    r = strength(P, by_claim=dict(zip(names, base)))
    sigma = {c: v["strength"] for c, v in r["claims"].items()}
    assert all(0 <= v <= 1 for v in sigma.values())
    if r["converged"]:
        for i, c in enumerate(names):
            att = [sigma[names[a]] for a, t, b in rels if b == i and t == "attacks"]
            sup = [sigma[names[a]] for a, t, b in rels if b == i and t == "supports"]
            assert abs(sigma[c] - combine(base[i], aggregate(att), aggregate(sup))) < 1e-4
