"""argmap's betweenness gives networkx's figures: the same sources sampled, the same values to rounding."""

from __future__ import annotations

import networkx as nx
import pytest

from argmap.graph.analysis.betweenness import BLOCK_CELLS, betweenness


def _networkx(nodes, edges, k, seed):
    H: nx.Graph[str] = nx.Graph()
    H.add_nodes_from(nodes)
    H.add_edges_from((u, v) for u, v in edges if u != v)
    return nx.betweenness_centrality(H, k=k, seed=seed, normalized=True)


def _graph(n, p, seed):
    G = nx.gnp_random_graph(n, p, seed=seed, directed=True)
    nodes = [f"c{i:03d}" for i in G]
    edges = [(nodes[u], nodes[v]) for u, v in G.edges()] + [(nodes[0], nodes[0])]
    return nodes, edges


@pytest.mark.parametrize(
    "n,p,k", [(1, 0, None), (2, 1, None), (3, 0.5, None), (60, 0.05, None), (60, 0.05, 7), (200, 0.01, 30), (80, 0.3, 1)]
)
@pytest.mark.parametrize("seed", [0, 3])
def test_the_same_as_networkx(n, p, k, seed):
    nodes, edges = _graph(n, p, seed)
    ours, theirs = betweenness(nodes, edges, k=k, seed=seed), _networkx(nodes, edges, k, seed)
    assert list(ours) == list(theirs)
    for v in nodes:
        assert ours[v] == pytest.approx(theirs[v], rel=1e-12, abs=1e-15, nan_ok=True)
        assert round(ours[v], 6) == round(theirs[v], 6) or (ours[v] != ours[v] and theirs[v] != theirs[v])


def test_sources_in_several_blocks(monkeypatch):
    import argmap.graph.analysis.betweenness as mod

    nodes, edges = _graph(150, 0.03, 1)
    whole = betweenness(nodes, edges)
    monkeypatch.setattr(mod, "BLOCK_CELLS", 150 * 7)  # 7 sources a block
    assert mod.BLOCK_CELLS < BLOCK_CELLS
    assert betweenness(nodes, edges) == pytest.approx(whole, rel=1e-12, abs=1e-15)
    assert betweenness(nodes, edges) == pytest.approx(_networkx(nodes, edges, None, 0), rel=1e-12, abs=1e-15)


def test_a_disconnected_graph_and_an_isolated_node():
    nodes = ["a", "b", "c", "d", "e", "lone"]
    edges = [("a", "b"), ("b", "c"), ("d", "e"), ("e", "d")]
    assert betweenness(nodes, edges) == pytest.approx(_networkx(nodes, edges, None, 0))
    assert betweenness(nodes, edges)["b"] > 0 and betweenness(nodes, edges)["lone"] == 0.0
