"""Plain JSON-ready records of a corpus's claims, relations and sources, for listings and exports."""

from __future__ import annotations

from collections import Counter

from argmap.sources.evidence import source_level
from argmap.sources.model import Claim, Corpus


def claim_record(corpus: Corpus, claim: Claim, base: str) -> dict:
    """One claim as a JSON-ready dict (``base`` is the debate's IRI base)."""
    speaker = corpus.speakers_by_id[claim.speaker]
    source = corpus.sources_by_id[claim.source]
    q = claim.located
    return {
        "id": claim.id,
        "iri": f"{base}claim/{claim.id}",
        "text": claim.text,
        "title": claim.short_title,
        "stance": claim.stance,
        "kind": claim.kind,
        "topics": list(claim.topics),
        "speaker": speaker.name,
        "speaker_id": speaker.id,
        "speaker_role": speaker.role,
        "source": source.id,
        "source_title": source.title,
        "evidence_level": source_level(source.kind, source.design),
        "quote": q.exact if q else claim.quote,
        "quote_start": q.start if q else None,
        "quote_end": q.end if q else None,
        "figures": [
            {
                k: v
                for k, v in (
                    ("value", f.value),
                    ("unit", f.unit),
                    ("qualifier", f.qualifier),
                    ("period", f.period),
                    ("place", f.place),
                )
                if v is not None
            }
            for f in claim.figures
        ],
    }


def relation_record(corpus: Corpus, relation) -> dict:
    return {
        "id": relation.id,
        "from": relation.source,
        "to": relation.target,
        "type": relation.type,
        "rationale": relation.rationale,
    }


def source_record(corpus: Corpus, source, counts: Counter) -> dict:
    return {
        "id": source.id,
        "title": source.title,
        "kind": source.kind,
        "date": source.date,
        "authors": list(source.authors),
        "publisher": source.publisher,
        "url": source.url,
        "excerpt": source.excerpt,
        "design": source.design,
        "evidence_level": source_level(source.kind, source.design),
        "claims": counts.get(source.id, 0),
    }


def topic_records(corpus: Corpus) -> list[dict]:
    """Every topic as a JSON-ready dict: id, label, alt_labels, definition, broader, and its claims (in all
    and by stance).

    >>> from argmap.sources import load_corpus
    >>> [(t["id"], t["claims"]) for t in topic_records(load_corpus("tests/data/mini"))]
    [('safety', 3), ('business', 2), ('cost', 2)]
    """
    from argmap.sources.model import STANCES

    counts: dict[str, Counter] = {t.id: Counter() for t in corpus.topics}
    for c in corpus.claims:
        for t in c.topics:
            counts[t][c.stance] += 1
    return [
        {
            "id": t.id,
            "label": t.label,
            "alt_labels": list(t.alt_labels),
            "definition": t.definition,
            "broader": t.broader,
            "claims": sum(counts[t.id].values()),
            "claims_by_stance": {s: counts[t.id].get(s, 0) for s in STANCES},
        }
        for t in corpus.topics
    ]


def speaker_records(corpus: Corpus) -> list[dict]:
    """Every speaker as a JSON-ready dict: id, name, type, role, party, affiliation and number of claims.

    >>> from argmap.sources import load_corpus
    >>> [(s["id"], s["claims"]) for s in speaker_records(load_corpus("tests/data/mini"))][:2]
    [('ann-lee', 2), ('town-council', 1)]
    """
    counts = Counter(c.speaker for c in corpus.claims)
    return [
        {
            "id": s.id,
            "name": s.name,
            "type": s.type,
            "role": s.role,
            "party": s.party,
            "affiliation": s.affiliation,
            "claims": counts.get(s.id, 0),
        }
        for s in corpus.speakers
    ]
