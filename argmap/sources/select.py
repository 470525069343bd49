"""Choosing part of a debate: by topic, stance, source, speaker, or the neighbourhood of one claim.

A selection gives back a smaller :class:`Corpus` (the chosen claims, the relations among them and
what they refer to), so every exporter and listing works the same on a part as on the whole.

These are also the rules of the map's filters (``visibleClaims`` in ``export/templates/map.js``): the same
topic, stance, source, speaker and search rules, and the map's focus on a claim is ``around`` (a claim's
neighbours across an undercut are both ends of the link it undercuts). tests/test_map_filter_rules.py runs
the map's filter in Chromium against :func:`select` on many selections of the OPC debate.
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


def speakers_named(corpus: Corpus, text: str) -> set[str]:
    """The ids of the speakers ``text`` names: the speaker whose id it is, or else every speaker whose name,
    id or role contains it (in any case). The map's speaker filter uses the same rule.

    >>> from argmap.sources import load_corpus
    >>> mini = load_corpus("tests/data/mini")
    >>> sorted(speakers_named(mini, "LEE")), sorted(speakers_named(mini, "town-council"))
    (['ann-lee'], ['town-council'])
    """
    if text in corpus.speakers_by_id:
        return {text}
    needle = text.lower()
    return {
        p.id for p in corpus.speakers if needle in p.name.lower() or needle in p.id.lower() or needle in (p.role or "").lower()
    }


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
        # an undercut of the link a -> b is next to both a and b
        ends = (rel_ends[r.target][1], rel_ends[r.target][0]) if r.type == "undercuts" and r.target in rel_ends else (r.target,)
        for end in ends:
            adj[r.source].add(end)
            adj[end].add(r.source)
    seen = {claim_id}
    frontier = {claim_id}
    for _ in range(depth):
        frontier = {n for c in frontier for n in adj[c]} - seen
        seen |= frontier
    return seen


def select(corpus: Corpus, sel: Selection) -> Corpus:
    """The part of ``corpus`` that ``sel`` chooses.

    Claims match when they carry any of the topics, the stance, the source and the speaker asked for
    (all that are given; the speaker as :func:`speakers_named` reads it) and hold every word of ``search`` in
    their text, quote or id; ``around`` keeps only the matching claims within ``depth`` steps of one claim,
    and that claim itself. The relations kept are those whose ends are both kept.
    """
    check_selection(corpus, sel)
    if sel.empty:
        return corpus
    keep = None
    if sel.around is not None:
        keep = neighbourhood(corpus, sel.around, sel.depth)
    named = speakers_named(corpus, sel.speaker) if sel.speaker else None
    words = search_words(sel.search)
    claims = []
    for c in corpus.claims:
        if c.id == sel.around:  # the claim in focus stays, whatever the filters say (as on the map)
            claims.append(c)
            continue
        if keep is not None and c.id not in keep:
            continue
        if sel.topics and not set(sel.topics) & set(c.topics):
            continue
        if sel.stance and c.stance != sel.stance:
            continue
        if sel.source and c.source != sel.source:
            continue
        if named is not None and c.speaker not in named:
            continue
        if words and not matches_search(c, words):
            continue
        claims.append(c)
    return part_of(corpus, claims)


def part_of(corpus: Corpus, claims: list) -> Corpus:
    """``corpus`` cut down to ``claims`` (in the corpus's order) and the relations among them: those whose
    ends are both kept, an undercut when its source and the link it undercuts are kept."""
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
    return part_of(corpus, [c for c in corpus.claims if c.id in keep])


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
