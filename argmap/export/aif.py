"""The debate in AIF JSON, the interchange shape of AIFdb and OVA (the Argument Interchange Format,
Chesñevar et al. 2006; its JSON serialisation as AIFdb publishes it).

- every claim is an I-node (its text);
- every support is an RA-node ("Default Inference") with edges premise → RA → conclusion;
- every attack is a CA-node ("Default Conflict") with edges attacker → CA → attacked; an undercut is a
  CA-node whose edge leads to the RA- or CA-node of the relation it undercuts;
- every claim's exact quote is an L-node (a locution: "Speaker: quote"), tied to its I-node by a YA-node
  ("Asserting"), with the speaker as a participant and the locution in ``locutions``.

Node ids are numbers written as strings, given in a fixed order (claims by id, then relations by id),
so the output is byte-stable. Analysis results have no place in AIF and are left out.
"""

from __future__ import annotations

import json

from argmap.export.common import Metrics, sorted_claims, sorted_relations
from argmap.sources.model import Corpus

SCHEME_TEXT = {"supports": "Default Inference", "attacks": "Default Conflict", "undercuts": "Default Conflict"}
SCHEME_TYPE = {"supports": "RA", "attacks": "CA", "undercuts": "CA"}


def aif_document(corpus: Corpus) -> dict:
    """The AIF JSON document of ``corpus`` as a dict.

    Examples
    --------
    >>> from argmap.sources import load_corpus
    >>> doc = aif_document(load_corpus("tests/data/mini"))
    >>> from collections import Counter
    >>> sorted(Counter(n["type"] for n in doc["nodes"]).items())
    [('CA', 4), ('I', 6), ('L', 6), ('RA', 1), ('YA', 6)]
    """
    nodes: list[dict] = []
    edges: list[dict] = []
    locutions: list[dict] = []
    counter = iter(range(1, 10**9))

    def node(text: str, ntype: str) -> str:
        nid = str(next(counter))
        nodes.append({"nodeID": nid, "text": text, "type": ntype, "timestamp": ""})
        return nid

    def edge(a: str, b: str) -> None:
        edges.append({"edgeID": str(len(edges) + 1), "fromID": a, "toID": b, "formEdgeID": None})

    claims = sorted_claims(corpus)
    i_node = {c.id: node(c.text, "I") for c in claims}
    relations = sorted_relations(corpus)
    s_node = {r.id: node(SCHEME_TEXT[r.type], SCHEME_TYPE[r.type]) for r in relations}
    for r in relations:
        if r.source not in i_node:
            continue
        target = s_node.get(r.target) if r.type == "undercuts" else i_node.get(r.target)
        if target is None:
            continue
        edge(i_node[r.source], s_node[r.id])
        edge(s_node[r.id], target)

    speakers = sorted({c.speaker for c in claims})
    person_id = {sid: str(n) for n, sid in enumerate(speakers, start=1)}
    participants = []
    for sid in speakers:
        sp = corpus.speakers_by_id[sid]
        first, _, last = sp.name.partition(" ") if sp.type == "person" else (sp.name, "", "")
        participants.append({"participantID": person_id[sid], "firstname": first, "surname": last})
    for c in claims:
        sp = corpus.speakers_by_id[c.speaker]
        quote = c.located.exact if c.located else c.quote
        l_node = node(f"{sp.name}: {quote}", "L")
        ya = node("Asserting", "YA")
        edge(l_node, ya)
        edge(ya, i_node[c.id])
        locutions.append({"nodeID": l_node, "personID": person_id[c.speaker], "timestamp": "", "source": c.source})
    return {"nodes": nodes, "edges": edges, "locutions": locutions, "participants": participants}


def render_aif(corpus: Corpus, *, metrics: Metrics | None = None) -> str:
    """The debate as AIF JSON text (``metrics`` is accepted for the common signature and not used)."""
    return json.dumps(aif_document(corpus), indent=2, ensure_ascii=False) + "\n"
