"""Betweenness centrality of the undirected argument graph, by Brandes's algorithm run on many sources at once.

The same figures as ``networkx.betweenness_centrality(H, k=k, seed=seed, normalized=True)`` on the simple
undirected graph ``H`` of the claims (self-loops dropped, parallel relations merged): the same sources
sampled with the same seed, the same path counts, the same rescaling, so the six-decimal values argmap
reports are the same. Instead of one breadth-first search per source in Python, the searches of a block of
sources advance together, a level at a time, as products of the sparse adjacency matrix with a dense
matrix of path counts (one column a source); the dependencies are accumulated back the same way. Only the
order in which floating-point sums are added differs, by a unit in the last place at most.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Sequence
from typing import Any

#: cells of the dense (nodes x sources) matrices one block may hold: about 16 MB each
BLOCK_CELLS = 2_000_000


def betweenness(nodes: Sequence[Any], edges: Iterable[tuple[Any, Any]], *, k: int | None = None, seed: int = 0) -> dict:
    """Normalised betweenness of every node of the undirected simple graph on ``nodes`` and ``edges``.

    ``k`` sources are sampled as networkx samples them (``random.Random(seed).sample(nodes, k)``), or every
    node is a source when ``k`` is None or the number of nodes.

    Examples
    --------
    >>> b = betweenness(["a", "b", "c", "d"], [("a", "b"), ("b", "c"), ("c", "d"), ("b", "b")])
    >>> {v: round(x, 6) for v, x in b.items()}
    {'a': 0.0, 'b': 0.666667, 'c': 0.666667, 'd': 0.0}
    """
    import numpy as np
    from scipy import sparse

    nodes = list(nodes)
    n = len(nodes)
    index = {v: i for i, v in enumerate(nodes)}
    pairs = [(index[u], index[v]) for u, v in edges if u != v]
    rows = np.fromiter((p for pair in pairs for p in pair), dtype=np.int64, count=2 * len(pairs))
    src, dst = rows[0::2], rows[1::2]
    A = sparse.csr_array((np.ones(2 * len(pairs)), (np.concatenate([src, dst]), np.concatenate([dst, src]))), shape=(n, n))
    A.sum_duplicates()
    A.data[:] = 1.0
    if k == n:
        k = None
    sources = list(range(n)) if k is None else [index[v] for v in random.Random(seed).sample(nodes, k)]
    total = np.zeros(n)
    width = max(1, BLOCK_CELLS // max(n, 1))
    for start in range(0, len(sources), width):
        block = sources[start : start + width]
        delta = _dependencies(A, block)
        for j in range(len(block)):  # sources in order, as networkx adds them
            total += delta[:, j]
    return _rescale(nodes, total, n=n, sampled=None if k is None else {nodes[s] for s in sources})


def _dependencies(A: Any, block: list[int]) -> Any:
    """Each node's dependency on each source of ``block`` (nodes x sources; zero at the source itself)."""
    import numpy as np

    n, width = A.shape[0], len(block)
    cols = np.arange(width)
    dist = np.full((n, width), -1, dtype=np.int32)
    sigma = np.zeros((n, width))
    dist[block, cols] = 0
    sigma[block, cols] = 1.0
    frontier = sigma.copy()
    depth = 0
    while True:
        reach = A @ frontier  # paths into every node from the frontier's nodes
        new = (dist < 0) & (reach > 0)
        if not new.any():
            break
        depth += 1
        dist[new] = depth
        sigma[new] = reach[new]
        frontier = np.where(new, reach, 0.0)
    delta = np.zeros((n, width))
    for d in range(depth, 0, -1):
        at = dist == d
        coeff = np.zeros((n, width))
        coeff[at] = (1.0 + delta[at]) / sigma[at]
        back = A @ coeff
        before = dist == d - 1
        delta[before] += sigma[before] * back[before]
    delta[block, cols] = 0.0
    return delta


def _rescale(nodes: list, total: Any, *, n: int, sampled: set | None) -> dict:
    """networkx's normalisation (endpoints excluded, undirected): over the pairs of other nodes, and with
    sampling, over the sampled sources (a sampled source cannot be its own source)."""
    values = [float(x) for x in total]
    N = n - 1
    if N < 2:
        return dict(zip(nodes, values, strict=True))
    if sampled is None:
        scale = 1 / (N * (N - 1))
        return {v: x * scale for v, x in zip(nodes, values, strict=True)}
    k = len(sampled)
    scale_source = 1 / ((k - 1) * (N - 1)) if k > 1 else math.nan
    scale_other = 1 / (k * (N - 1))
    return {v: x * (scale_source if v in sampled else scale_other) for v, x in zip(nodes, values, strict=True)}
