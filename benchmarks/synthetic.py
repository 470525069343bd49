"""Synthetic debates and argumentation frameworks for the benchmarks (not part of the package).

Two shapes:

- ``debate_relations``: a debate that grows by replies. Each new claim answers one or two earlier claims,
  attacking (60%) or supporting them; 5% of the attacks are answered back (two-cycles) and 1% of the claims
  attack a later claim (longer cycles). Most claims get a definite grounded label, a few stay undecided.
- ``random_attacks``: an Erdos-Renyi-like framework, ``density * n`` attacks drawn uniformly between distinct
  arguments; far more of it is undecided.
"""

from __future__ import annotations

import random


def debate_relations(n: int, *, seed: int = 0) -> list[tuple[int, str, int]]:
    """``(from, type, to)`` triples over claims ``0..n-1``."""
    rng = random.Random(seed)
    out: list[tuple[int, str, int]] = []
    seen: set[tuple[int, int]] = set()

    def add(a: int, t: str, b: int) -> None:
        if a != b and (a, b) not in seen:
            seen.add((a, b))
            out.append((a, t, b))

    for i in range(1, n):
        for _ in range(1 if rng.random() < 0.6 else 2):
            j = rng.randrange(i)
            if rng.random() < 0.6:
                add(i, "attacks", j)
                if rng.random() < 0.05:
                    add(j, "attacks", i)
            else:
                add(i, "supports", j)
        if rng.random() < 0.01 and i + 1 < n:
            add(i, "attacks", rng.randrange(i + 1, n))
    return out


def random_attacks(n: int, *, density: float = 2.0, seed: int = 0) -> list[tuple[int, int]]:
    """``(attacker, target)`` pairs over ``0..n-1``, about ``density * n`` of them, no self-attacks."""
    rng = random.Random(seed)
    pairs: set[tuple[int, int]] = set()
    want = int(density * n)
    while len(pairs) < want:
        a, b = rng.randrange(n), rng.randrange(n)
        if a != b:
            pairs.add((a, b))
    return sorted(pairs)


def debate_projection(n: int, *, seed: int = 0):
    """A :class:`~argmap.graph.projection.Projection` of ``debate_relations(n)`` with stances and topics."""
    from argmap.graph.projection import make_projection

    rng = random.Random(seed + 1)
    sides = ("pro", "con", "neutral")
    claims = {
        f"c{i}": {
            "stance": sides[rng.randrange(3)],
            "topics": [f"t{rng.randrange(12)}"],
            "source": f"s{rng.randrange(max(1, n // 20))}",
        }
        for i in range(n)
    }
    rels = [(f"c{a}", t, f"c{b}") for a, t, b in debate_relations(n, seed=seed)]
    return make_projection(claims, rels)


def debate_corpus(n: int, *, seed: int = 0):
    """A checked-looking :class:`~argmap.sources.model.Corpus` of ``n`` claims (for projection benchmarks).

    Made of model objects directly (no files, no quote search); every claim quotes the start of its source.
    """
    from argmap.sources.model import Claim, Corpus, Debate, Quote, Relation, Source, Speaker, Topic

    rng = random.Random(seed + 2)
    n_sources = max(1, n // 20)
    topics = tuple(Topic(f"t{i}", f"Topic {i}", f"Synthetic topic {i}.") for i in range(12))
    speakers = tuple(Speaker(f"sp{i}", f"Speaker {i}", "person") for i in range(50))
    sources = tuple(Source(f"s{i}", f"Source {i}", "news", f"texts/s{i}.txt", text="Synthetic text.") for i in range(n_sources))
    sides = ("pro", "con", "neutral")
    claims = tuple(
        Claim(
            id=f"c{i}",
            text=f"Synthetic claim number {i}.",
            quote="Synthetic text.",
            source=f"s{rng.randrange(n_sources)}",
            stance=sides[rng.randrange(3)],
            topics=(f"t{rng.randrange(12)}",),
            speaker=f"sp{rng.randrange(50)}",
            kind="factual",
            located=Quote("Synthetic text.", 0, 15, "", ""),
        )
        for i in range(n)
    )
    relations = tuple(
        Relation(f"r{k}", f"c{a}", f"c{b}", t, "Synthetic.") for k, (a, t, b) in enumerate(debate_relations(n, seed=seed))
    )
    return Corpus(
        root="<synthetic>",
        debate=Debate("synthetic", "Synthetic debate", "A synthetic motion"),
        topics=topics,
        speakers=speakers,
        sources=sources,
        claims=claims,
        relations=relations,
    )
