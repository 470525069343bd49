"""The dependencies whose internals argmap relies on are pinned below their next major version, and the
internals are there in the installed versions (a new release that moves them fails here, not in a user's map)."""

from __future__ import annotations

import tomllib
from importlib.metadata import version
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).parent.parent


def declared(name: str) -> Requirement:
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    return next(Requirement(d) for d in deps if Requirement(d).name == name)


def test_pinned_dependencies_have_an_upper_bound_and_are_met():
    # rdflib: the Memory store's index; pyvis: its file layout; pyoxigraph: the bytes of its serialisers;
    # scikit-network: the clusters its Louvain finds above 2,000 claims; shacl-rust: the engine's results
    for name in ("rdflib", "pyvis", "pyoxigraph", "scikit-network", "shacl-rust"):
        req = declared(name)
        assert any(s.operator in ("<", "==") for s in req.specifier), f"{name} needs an upper bound"
        assert req.specifier.contains(version(name), prereleases=True), (name, version(name), str(req.specifier))


def test_rdflib_memory_store_index_is_what_projection_reads():
    from rdflib import Graph, URIRef

    from argmap.graph.projection import _memory_index

    g = Graph()
    s, p, o = URIRef("http://e/s"), URIRef("http://e/p"), URIRef("http://e/o")
    g.add((s, p, o))
    pos = _memory_index(g)
    assert pos is not None, "rdflib's Memory store no longer keeps _Memory__pos: projection falls back to the slow path"
    assert s in pos[p][o]


def test_pyvis_ships_vis_network_where_the_map_takes_it():
    from argmap.export.htmlmap import _vis_files

    js, css = _vis_files()
    assert "vis-network" in js[:2000] or "vis" in js[:200]
    assert len(js) > 100_000 and ".vis-network" in css
