"""What slide-ready output shares: the selection's own title, the slide sizes, and splitting a selection
into parts that each fit on one slide.

Every walk over the argument graph here is iterative (a chain of thousands of claims is deeper than
Python's stack).
"""

from __future__ import annotations

from collections import defaultdict, deque
from dataclasses import replace
from typing import Callable

from argmap.errors import ExportError
from argmap.sources.model import Corpus

# A slide's size in CSS pixels (= points in the SVG): a 16:9 slide shown at 1920x1080, a 4:3 slide at the
# same height.
SLIDE_SIZES: dict[str, tuple[int, int]] = {"16:9": (1920, 1080), "4:3": (1440, 1080)}
# The smallest type on a slide, in pixels of the slide sizes above (about 18 pt on a projected 1080p slide).
MIN_SLIDE_PX = 18

STANCE_PHRASES = {"pro": "the case for", "con": "the objections", "neutral": "the context"}
WIDEN_PHRASES = {"pro": "and what answers it", "con": "and what answers them", "neutral": "and what it bears on"}


class SlideFitError(ExportError):
    """A selection that cannot be drawn legibly on one slide (a command-line choice: exit code 2)."""

    exit_code = 2


def slide_size(aspect: str) -> tuple[int, int]:
    """The slide's width and height in pixels for ``aspect`` (``16:9`` or ``4:3``).

    >>> slide_size("16:9"), slide_size("4:3")
    ((1920, 1080), (1440, 1080))
    """
    try:
        return SLIDE_SIZES[aspect]
    except KeyError:
        raise ExportError(f"unknown slide aspect '{aspect}' (expected one of: {', '.join(SLIDE_SIZES)})") from None


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def selection_title(
    corpus: Corpus,
    *,
    topics: tuple[str, ...] = (),
    stance: str | None = None,
    source: str | None = None,
    speaker: str | None = None,
    around: str | None = None,
    widen: int = 0,
) -> str:
    """A title that says what a selection of ``corpus`` shows, for the top of a slide or a brief.

    With nothing selected it is the debate's own title.

    Examples
    --------
    >>> from argmap.sources import load_corpus
    >>> mini = load_corpus("tests/data/mini")
    >>> selection_title(mini, topics=("safety",), stance="con", widen=1)
    'Safety: the objections and what answers them'
    >>> selection_title(mini)
    'Town bike lanes'
    >>> selection_title(mini, stance="pro")
    'Town bike lanes: the case for'
    """
    subject: list[str] = []
    if topics:
        subject.append(_and([corpus.topics_by_id[t].label for t in topics]))
    if source:
        subject.append(f"from {corpus.sources_by_id[source].title}")
    if speaker:
        subject.append(f"said by {speaker}")
    if around:
        subject.append(f"around “{corpus.claims_by_id[around].short_title}”")
    head = " ".join(subject) if subject else corpus.debate.title
    head = head[:1].upper() + head[1:]
    if stance:
        tail = STANCE_PHRASES[stance]
        if widen:
            tail += " " + WIDEN_PHRASES[stance]
        return f"{head}: {tail}"
    if widen:
        return f"{head}: the claims and what answers them"
    return head


def sub_corpus(corpus: Corpus, ids: set[str]) -> Corpus:
    """The claims ``ids`` of ``corpus`` with the relations among them (undercuts of kept relations too)."""
    claims = tuple(c for c in corpus.claims if c.id in ids)
    rels = [r for r in corpus.relations if r.type != "undercuts" and r.source in ids and r.target in ids]
    kept = {r.id for r in rels}
    rels += [r for r in corpus.relations if r.type == "undercuts" and r.source in ids and r.target in kept]
    order = {r.id: i for i, r in enumerate(corpus.relations)}
    rels.sort(key=lambda r: order[r.id])
    return replace(corpus, claims=claims, relations=tuple(rels))


def _neighbours(corpus: Corpus) -> dict[str, set[str]]:
    ends = {r.id: r.target for r in corpus.relations if r.type != "undercuts"}
    adj: dict[str, set[str]] = defaultdict(set)
    for r in corpus.relations:
        target = ends.get(r.target) if r.type == "undercuts" else r.target
        if target is not None:
            adj[r.source].add(target)
            adj[target].add(r.source)
    return adj


def _pieces(corpus: Corpus, ids: list[str], size: int) -> list[list[str]]:
    """``ids`` cut into connected-as-possible pieces of at most ``size`` claims: connected groups whole
    when they fit, larger groups cut along a breadth-first order from their most connected claim."""
    adj = _neighbours(corpus)
    members = set(ids)
    seen: set[str] = set()
    groups: list[list[str]] = []
    for root in ids:
        if root in seen:
            continue
        # the connected group of root (iterative breadth-first search)
        group, queue = [], deque([root])
        seen.add(root)
        while queue:
            v = queue.popleft()
            group.append(v)
            for w in sorted(adj[v] & members):
                if w not in seen:
                    seen.add(w)
                    queue.append(w)
        groups.append(group)
    pieces: list[list[str]] = []
    for group in groups:
        if len(group) <= size:
            pieces.append(sorted(group))
            continue
        start = min(group, key=lambda v: (-len(adj[v] & members), v))
        order, queue, visited = [], deque([start]), {start}
        gset = set(group)
        while queue:
            v = queue.popleft()
            order.append(v)
            for w in sorted(adj[v] & gset):
                if w not in visited:
                    visited.add(w)
                    queue.append(w)
        pieces += [sorted(order[i : i + size]) for i in range(0, len(order), size)]
    return pieces


def split_for_slides(corpus: Corpus, fits: Callable[[Corpus], bool], *, first_size: int = 14) -> list[Corpus]:
    """``corpus`` cut into parts that each fit on one slide (``fits(part)`` says whether one does).

    Connected groups of claims stay together when they fit; small groups share a slide; a group too large
    for one slide is cut along a breadth-first order. Parts come in the order of their first claim id.
    Raises :class:`SlideFitError` when even a single claim does not fit.
    """
    ids = sorted(c.id for c in corpus.claims)
    todo: list[tuple[list[str], int]] = [(ids, first_size)]
    done: list[list[str]] = []
    while todo:
        chunk, size = todo.pop()
        pieces = _pieces(corpus, chunk, size)
        # pack the pieces, largest first, into slides of at most `size` claims
        pieces.sort(key=lambda p: (-len(p), p[0]))
        packed: list[list[str]] = []
        for p in pieces:
            for slot in packed:
                if len(slot) + len(p) <= size:
                    slot.extend(p)
                    break
            else:
                packed.append(list(p))
        for part in packed:
            if fits(sub_corpus(corpus, set(part))):
                done.append(sorted(part))
            elif len(part) == 1:
                raise SlideFitError(f"claim '{part[0]}' alone does not fit legibly on a slide")
            else:
                todo.append((sorted(part), max(1, min(size, len(part)) // 2)))
    done.sort(key=lambda p: p[0])
    return [sub_corpus(corpus, set(p)) for p in done]
