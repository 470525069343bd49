"""Communities above ``fast_above`` claims come from igraph's Louvain: a partition, the same every run."""

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
    H = nx.Graph()
    H.add_nodes_from(P.claim_ids())
    for u, v in P.claims.edges():
        if u != v:
            H.add_edge(u, v, weight=H.get_edge_data(u, v, {"weight": 0})["weight"] + 1)
    found = nx.community.louvain_communities(H, weight="weight", seed=0)
    assert community_sets(P) == sorted((sorted(c) for c in found), key=lambda c: (-len(c), c[0]))


def test_above_the_limit_igraph_a_partition_the_same_every_time():
    P = _debate()
    fast = community_sets(P, fast_above=100)
    assert sorted(c for group in fast for c in group) == P.claim_ids()
    assert fast == community_sets(_debate(), fast_above=100) == community_sets(_debate(), fast_above=100)
    assert len(fast) > 1
    quality = nx.community.modularity(nx.Graph(P.claims.to_undirected()), fast)
    assert quality > 0.3
    rows = communities(P, fast_above=100)
    assert [r["claims"] for r in rows] == fast


def test_the_random_module_is_left_alone():
    import random

    import igraph

    random.seed(5)
    expected = random.random()
    random.seed(5)
    community_sets(_debate(), fast_above=100)
    assert random.random() == expected
    assert igraph.Graph.Erdos_Renyi(5, 0.5) is not None  # igraph still draws from the random module
