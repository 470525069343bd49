"""Choosing part of a debate: by topic, stance, source, speaker, or the neighbourhood of one claim.

A selection gives back a smaller :class:`Corpus` (the chosen claims, the relations among them and
what they refer to), so every exporter and listing works the same on a part as on the whole.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace

from argmap.errors import SelectionError
from argmap.sources.model import STANCES, Corpus


@dataclass(frozen=True)
class Selection:
    topics: tuple[str, ...] = ()
    stance: str | None = None
    source: str | None = None
    speaker: str | None = None
    around: str | None = None
    depth: int = 1
    search: str | None = None

    @property
    def empty(self) -> bool:
        return not (self.topics or self.stance or self.source or self.speaker or self.around or self.search)


def search_words(text: str | None) -> list[str]:
    """The words of a search, lower-cased: a claim matches when its text, quote or id holds every one (the
    map's search box uses the same rule).

    >>> search_words("  Crime  RATES ")
    ['crime', 'rates']
    """
    return (text or "").lower().split()


def matches_search(claim, words: list[str]) -> bool:
    """Whether ``claim`` holds every word of ``words`` in its text, quote or id."""
    hay = f"{claim.text}\n{claim.quote}\n{claim.id}".lower()
    return all(w in hay for w in words)


def check_selection(corpus: Corpus, sel: Selection) -> None:
    """Raise :class:`SelectionError` when the selection names something the corpus lacks."""
    for t in sel.topics:
        if t not in corpus.topics_by_id:
            raise SelectionError(f"unknown topic '{t}' (known topics: {', '.join(sorted(corpus.topics_by_id))})")
    if sel.stance is not None and sel.stance not in STANCES:
        raise SelectionError(f"unknown stance '{sel.stance}' (expected one of: {', '.join(STANCES)})")
    if sel.source is not None and sel.source not in corpus.sources_by_id:
        raise SelectionError(f"unknown source '{sel.source}' (known sources: {', '.join(sorted(corpus.sources_by_id))})")
    if sel.around is not None and sel.around not in corpus.claims_by_id:
        raise SelectionError(f"unknown claim '{sel.around}' for --around (see `argmap claims` for the ids)")
    if sel.depth < 0:
        raise SelectionError(f"depth must be 0 or more, not {sel.depth}")


def neighbourhood(corpus: Corpus, claim_id: str, depth: int) -> set[str]:
    """Claims within ``depth`` support/attack steps of ``claim_id``, in either direction."""
    adj: dict[str, set[str]] = defaultdict(set)
    rel_ends = {r.id: (r.source, r.target) for r in corpus.relations}
    for r in corpus.relations:
        target = rel_ends[r.target][1] if r.type == "undercuts" and r.target in rel_ends else r.target
        adj[r.source].add(target)
        adj[target].add(r.source)
    seen = {claim_id}
    frontier = {claim_id}
    for _ in range(depth):
        frontier = {n for c in frontier for n in adj[c]} - seen
        seen |= frontier
    return seen


def select(corpus: Corpus, sel: Selection) -> Corpus:
    """The part of ``corpus`` that ``sel`` chooses.

    Claims match when they carry any of the topics, the stance, the source and the speaker asked for
    (all that are given) and hold every word of ``search`` in their text, quote or id; ``around`` keeps only
    the claims within ``depth`` steps of one claim. The relations kept are those whose ends are both kept.
    """
    check_selection(corpus, sel)
    if sel.empty:
        return corpus
    keep = None
    if sel.around is not None:
        keep = neighbourhood(corpus, sel.around, sel.depth)
    needle = sel.speaker.casefold() if sel.speaker else None
    words = search_words(sel.search)
    claims = []
    for c in corpus.claims:
        if keep is not None and c.id not in keep:
            continue
        if sel.topics and not set(sel.topics) & set(c.topics):
            continue
        if sel.stance and c.stance != sel.stance:
            continue
        if sel.source and c.source != sel.source:
            continue
        if needle is not None:
            sp = corpus.speakers_by_id[c.speaker]
            if needle not in sp.name.casefold() and needle not in sp.id and needle not in (sp.role or "").casefold():
                continue
        if words and not matches_search(c, words):
            continue
        claims.append(c)
    ids = {c.id for c in claims}
    relations = [r for r in corpus.relations if r.source in ids and r.type != "undercuts" and r.target in ids]
    kept_rel = {r.id for r in relations}
    relations += [r for r in corpus.relations if r.type == "undercuts" and r.source in ids and r.target in kept_rel]
    order = {r.id: i for i, r in enumerate(corpus.relations)}
    relations.sort(key=lambda r: order[r.id])
    return replace(corpus, claims=tuple(claims), relations=tuple(relations))


def widen(corpus: Corpus, part: Corpus, depth: int) -> Corpus:
    """``part`` (a selection of ``corpus``) with every claim within ``depth`` support/attack steps of its
    claims added: "the crime objections and what answers them". Relations are kept as :func:`select`
    keeps them, in the corpus's order.

    Examples
    --------
    >>> from argmap.sources import load_corpus
    >>> mini = load_corpus("tests/data/mini")
    >>> objections = select(mini, Selection(stance="con"))
    >>> sorted(c.id for c in widen(mini, objections, 1).claims)
    ['cost-2m', 'cost-small', 'hurt-sales', 'sales-held', 'save-lives']
    """
    if depth < 0:
        raise SelectionError(f"depth must be 0 or more, not {depth}")
    if depth == 0 or part is corpus:
        return part
    keep: set[str] = set()
    for c in part.claims:
        keep |= neighbourhood(corpus, c.id, depth)
    claims = [c for c in corpus.claims if c.id in keep]
    relations = [r for r in corpus.relations if r.source in keep and r.type != "undercuts" and r.target in keep]
    kept_rel = {r.id for r in relations}
    relations += [r for r in corpus.relations if r.type == "undercuts" and r.source in keep and r.target in kept_rel]
    order = {r.id: i for i, r in enumerate(corpus.relations)}
    relations.sort(key=lambda r: order[r.id])
    return replace(corpus, claims=tuple(claims), relations=tuple(relations))


def filter_relations(
    corpus: Corpus,
    *,
    types: tuple[str, ...] = (),
    source: str | None = None,
    target: str | None = None,
    topic: str | None = None,
) -> list:
    """The relations of ``corpus`` of any of ``types``, from claim ``source``, to claim (or, for an undercut,
    relation) ``target``, with an end about ``topic``; all that are given, in the corpus's order.

    >>> from argmap.sources import load_corpus
    >>> mini = load_corpus("tests/data/mini")
    >>> [r.id for r in filter_relations(mini, types=("attacks",), topic="business")]
    ['sales-held--attacks--hurt-sales', 'hurt-sales--attacks--save-lives']
    """
    from argmap.sources.model import RELATION_TYPES

    for t in types:
        if t not in RELATION_TYPES:
            raise SelectionError(f"unknown relation type '{t}' (expected one of: {', '.join(RELATION_TYPES)})")
    for label, cid in (("--from", source), ("--to", target)):
        if cid is not None and cid not in corpus.claims_by_id and cid not in corpus.relations_by_id:
            raise SelectionError(f"unknown claim '{cid}' for {label} (see `argmap claims` for the ids)")
    if topic is not None and topic not in corpus.topics_by_id:
        raise SelectionError(f"unknown topic '{topic}' (known topics: {', '.join(sorted(corpus.topics_by_id))})")

    def about(claim_id: str) -> bool:
        c = corpus.claims_by_id.get(claim_id)
        return c is not None and topic in c.topics

    out = []
    for r in corpus.relations:
        if types and r.type not in types:
            continue
        if source is not None and r.source != source:
            continue
        if target is not None and r.target != target:
            continue
        if topic is not None and not (about(r.source) or about(r.target)):
            continue
        out.append(r)
    return out
