"""The argument graph for network tools: GraphML (yEd, Gephi, Cytoscape) and GEXF (Gephi).

One node per claim, with its text as ``label`` and attributes ``stance``, ``kind``, ``topics`` (ids joined
by ``;``), ``speaker``, ``source``, ``source_title``, ``quote``, and the analysis results when given
(``grounded``, ``grounded_reason``, ``strength``, ``pagerank``, ``betweenness``, ``community``). One edge
per relation, keyed by the relation id, with ``relation`` (supports, attacks, undercuts; also the edge's ``label``) and ``rationale``. An undercut (a claim against an
inference, not a claim) is drawn as an edge to the conclusion of the relation it undercuts, with that
relation's id in ``undercuts``. GEXF nodes also carry a colour by stance (Okabe–Ito) for Gephi.
"""

from __future__ import annotations

from typing import Any

from argmap.export.common import STANCE_STYLES, Metrics, metric_value, sorted_claims, sorted_relations
from argmap.sources.model import Corpus


def to_networkx(corpus: Corpus, *, metrics: Metrics | None = None):
    """The argument graph as a ``networkx.MultiDiGraph`` with flat (GraphML-safe) attributes.

    Examples
    --------
    >>> from argmap.sources import load_corpus
    >>> G = to_networkx(load_corpus("tests/data/mini"))
    >>> G.number_of_nodes(), G.number_of_edges()
    (6, 5)
    >>> G.nodes["cost-small"]["topics"]
    'cost;safety'
    """
    import networkx as nx

    G: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    G.graph["name"] = corpus.debate.title
    for c in sorted_claims(corpus):
        sp = corpus.speakers_by_id[c.speaker]
        src = corpus.sources_by_id[c.source]
        attrs: dict[str, Any] = {
            "label": c.text,
            "stance": c.stance,
            "kind": c.kind,
            "topics": ";".join(c.topics),
            "speaker": sp.name,
            "speaker_id": sp.id,
            "source": src.id,
            "source_title": src.title,
            "quote": c.located.exact if c.located else c.quote,
        }
        for key, value in sorted(((metrics or {}).get(c.id) or {}).items()):
            if value is not None and not isinstance(value, (list, dict)):  # GraphML and GEXF hold scalars only
                attrs[key] = metric_value(value)
        G.add_node(c.id, **attrs)
    rels = corpus.relations_by_id
    for r in sorted_relations(corpus):
        # not "type": GEXF reserves it for the edge's direction
        attrs = {"id": r.id, "label": r.type, "relation": r.type, "rationale": r.rationale}
        target = r.target
        if r.type == "undercuts":
            if r.target not in rels:
                continue
            target = rels[r.target].target
            attrs["undercuts"] = r.target
        if r.source in G and target in G:
            G.add_edge(r.source, target, key=r.id, **attrs)
    return G


def render_graphml(corpus: Corpus, *, metrics: Metrics | None = None) -> str:
    """The argument graph as GraphML text."""
    import networkx as nx

    G = to_networkx(corpus, metrics=metrics)
    # key ids d0..dn, one per (domain, name), each with its attr.name: named ids would give the node and the
    # edge `label` keys the same id, which GraphML forbids (and igraph rejects)
    # the edge's GraphML id is its key, the relation id: not repeated as an `id` data column
    for _, _, data in G.edges(data=True):
        data.pop("id", None)
    return "\n".join(nx.generate_graphml(G, prettyprint=True)) + "\n"


def _drop_edge_attribute(root, title: str) -> None:
    """Remove the edge attribute ``title`` (its declaration and every value) from a GEXF element tree."""
    for attributes in root.iter("attributes"):
        if attributes.get("class") != "edge":
            continue
        for decl in list(attributes):
            if decl.get("title") == title:
                attributes.remove(decl)
                for values in root.iter("attvalues"):
                    for value in list(values):
                        if value.get("for") == decl.get("id"):
                            values.remove(value)


def _rgb(hex_colour: str) -> dict[str, int]:
    h = hex_colour.lstrip("#")
    return {"r": int(h[0:2], 16), "g": int(h[2:4], 16), "b": int(h[4:6], 16), "a": 1}


def render_gexf(corpus: Corpus, *, metrics: Metrics | None = None) -> str:
    """The argument graph as GEXF 1.2 text, with node colours by stance.

    The writer's date stamp is left out so the same corpus gives the same file.
    """
    from networkx.readwrite.gexf import GEXFWriter

    G = to_networkx(corpus, metrics=metrics)
    for _, data in G.nodes(data=True):
        data["viz"] = {"color": _rgb(STANCE_STYLES[data["stance"]].colour)}
    writer = GEXFWriter(version="1.2draft", prettyprint=True)
    meta = writer.xml.find("meta")
    if meta is not None:
        meta.attrib.pop("lastmodifieddate", None)
        creator = meta.find("creator")
        if creator is not None:
            creator.text = "argmap"
    writer.add_graph(G)
    # networkx writes a multigraph's edge keys as a `networkx_key` edge column, which Gephi users would see;
    # the key is the relation id, already the edge's own id
    _drop_edge_attribute(writer.xml, "networkx_key")
    text = str(writer)
    return text if text.endswith("\n") else text + "\n"
