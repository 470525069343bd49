"""The faster routes of the analyses give the results of the plain ones (communities: see fast_above)."""

from __future__ import annotations

import networkx as nx

from argmap.graph.analysis.analyses import communities, community_sets
from argmap.graph.projection import make_projection


def _debate(n=300, seed=2):
    G = nx.gnm_random_graph(n, 2 * n, seed=seed, directed=True)
    claims = {f"c{i:03d}": {"stance": "pro" if i % 2 else "con", "topics": [f"t{i % 3}"]} for i in G}
    kinds = ("supports", "attacks")
    return make_projection(claims, [(f"c{u:03d}", kinds[(u + v) % 2], f"c{v:03d}") for u, v in G.edges()])


def test_below_the_limit_networkx_louvain_as_before():
    P = _debate()
    H: nx.Graph[str] = nx.Graph()
    H.add_nodes_from(P.claim_ids())
    for u, v in P.claims.edges():
        if u != v:
            H.add_edge(u, v, weight=H.get_edge_data(u, v, {"weight": 0})["weight"] + 1)
    found = nx.community.louvain_communities(H, weight="weight", seed=0)
    assert community_sets(P) == sorted((sorted(c) for c in found), key=lambda c: (-len(c), c[0]))


def test_above_the_limit_a_fast_louvain_a_partition_the_same_every_time():
    P = _debate()
    fast = community_sets(P, fast_above=100)
    assert sorted(c for group in fast for c in group) == P.claim_ids()
    assert fast == community_sets(_debate(), fast_above=100) == community_sets(_debate(), fast_above=100)
    assert len(fast) > 1
    quality = nx.community.modularity(nx.Graph(P.claims.to_undirected()), [set(c) for c in fast])
    assert quality > 0.3
    rows = communities(P, fast_above=100)
    assert [r["claims"] for r in rows] == fast


def test_the_random_module_is_left_alone():
    import random

    random.seed(5)
    expected = random.random()
    random.seed(5)
    community_sets(_debate(), fast_above=100)
    assert random.random() == expected


def _naive_sources(P, cid):
    """The search from one claim that corroboration ran before (claims x ancestors)."""
    G = P.claims
    supporters: dict[str, list[str]] = {c: [] for c in G}
    for u, v, d in G.edges(data=True):
        if d["type"] == "supports":
            supporters[v].append(u)
    seen, stack = {cid}, [cid]
    while stack:
        for s in supporters[stack.pop()]:
            if s not in seen:
                seen.add(s)
                stack.append(s)
    return sorted({G.nodes[c]["source"] for c in seen if G.nodes[c].get("source")})


def test_corroboration_sources_as_a_search_from_every_claim_finds_them():
    import random

    from argmap.graph.analysis.analyses import corroboration

    rng = random.Random(4)
    claims = {f"c{i:02d}": {"source": f"s{rng.randrange(12)}" if i % 7 else None} for i in range(60)}
    ids = sorted(claims)
    rels = [(rng.choice(ids), rng.choice(("supports", "supports", "attacks")), rng.choice(ids)) for _ in range(90)]
    rels += [("c01", "supports", "c02"), ("c02", "supports", "c03"), ("c03", "supports", "c01"), ("c04", "supports", "c04")]
    P = make_projection(claims, [(*r, f"r{i}") for i, r in enumerate(rels)])
    r = corroboration(P)
    found = {row["id"]: row["sources"] for row in r["corroborated"]}
    found.update({row["id"]: [row["source"]] if row["source"] else [] for row in r["single_source"]})
    assert found == {cid: _naive_sources(P, cid) for cid in ids}
    assert any(len(v) >= 2 for v in found.values()) and any(len(v) < 2 for v in found.values())


def test_metrics_of_a_corpus_from_its_model_are_those_read_back_from_rdf(mini_path):
    # metrics_for_corpus (what build, export, map and the server use) projects the corpus model; before, it
    # built the rdflib graph and read the projection back from it (a MemoryError at 19 GB at 1M claims)
    from pathlib import Path

    from argmap.graph.analysis import claim_metrics, metrics_for_corpus
    from argmap.graph.build import build_graph
    from argmap.graph.projection import project
    from argmap.sources import load_corpus

    for path in (mini_path, None, Path(__file__).parent / "data" / "hostile"):
        corpus = load_corpus(path)
        for preferences in ("evidence", "none"):
            expected = claim_metrics(project(build_graph(corpus)), preferences=preferences)
            assert metrics_for_corpus(corpus, preferences=preferences) == expected
