"""argmap's Python API: load a debate, then select, analyse, query, map and export it.

Every ``argmap`` command is a call into this module plus parsing, printing and files, so a notebook gets the
same results under the same names as the command line.

Examples
--------
>>> import argmap
>>> d = argmap.load("mini")                       # a tiny debate shipped with argmap
>>> len(d.claims), len(d.relations)
(6, 5)
>>> objections = d.select(stance="con").widen(1)  # the objections and what answers them
>>> sorted(c.id for c in objections.claims)
['cost-2m', 'cost-small', 'hurt-sales', 'sales-held', 'save-lives']
>>> d.query("SELECT (COUNT(?c) AS ?n) WHERE { ?c a schema:Claim }").records()
[{'n': '6'}]
>>> d.analyze("unanswered")["unanswered"]["pro"]     # the same results as `argmap analyze --json`
['crashes-fell', 'sales-held']
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from argmap.sources.model import Claim, Corpus, Relation, Source, Speaker, Topic

if TYPE_CHECKING:  # pragma: no cover
    import networkx
    import pyoxigraph
    import rdflib

    from argmap.graph.sparql import QueryResult

#: The debates that ship inside the package, by name.
SHIPPED = ("opc", "mini")


def shipped_path(name: str) -> Path:
    """The folder of a debate shipped with argmap (``opc``, the pilot debate; ``mini``, a tiny example).

    >>> shipped_path("mini").name
    'mini'
    """
    from argmap.errors import SelectionError

    if name not in SHIPPED:
        raise SelectionError(f"no shipped debate '{name}' (shipped: {', '.join(SHIPPED)})")
    return Path(__file__).parent / "corpora" / name


def load(
    path: str | os.PathLike[str] | None = None,
    *,
    config: Mapping[str, Any] | None = None,
    preferences: str = "evidence",
) -> Debate:
    """Load and check a debate: a corpus folder, the name of a shipped debate, or (None) the OPC debate.

    ``config`` holds analysis options as ``argmap analyze --config`` reads them; ``preferences`` is
    ``"evidence"`` (an attack defeats only a claim of no higher evidence level; the default) or ``"none"``
    (plain Dung). A mistake in the corpus raises :class:`argmap.errors.CorpusErrors`, each error naming
    ``file:line``.

    Examples
    --------
    >>> load("mini").title
    'Town bike lanes'
    >>> load().id
    'opc'
    """
    from argmap.sources import load_corpus

    if path is not None and not os.path.isdir(path) and str(path) in SHIPPED:
        path = shipped_path(str(path))
    if preferences not in PREFERENCES:
        from argmap.errors import AnalysisError

        raise AnalysisError(f"unknown preferences '{preferences}' (expected one of: {', '.join(PREFERENCES)})")
    return Debate(load_corpus(path), config=dict(config) if config else None, preferences=preferences)


#: How attacks become defeats: by evidence level (the default), or every attack (plain Dung).
PREFERENCES = ("evidence", "none")


@dataclass(frozen=True, eq=False)
class Debate:
    """A debate, or a selection of one (``whole`` is then the debate it was chosen from).

    The corpus records (``claims``, ``relations``, ``sources``, ``topics``, ``speakers``) are immutable typed
    records from :mod:`argmap.sources.model`. Analyses always run on the whole debate (a claim's verdict does
    not depend on what is selected); a selection reports them for its own claims.
    """

    corpus: Corpus
    whole: Debate | None = None
    config: dict[str, Any] | None = None
    preferences: str = "evidence"
    _cache: dict[str, Any] = field(default_factory=dict, repr=False)

    # ------------------------------------------------------------ the records

    @property
    def id(self) -> str:
        return self.corpus.debate.id

    @property
    def title(self) -> str:
        return self.corpus.debate.title

    @property
    def motion(self) -> str:
        return self.corpus.debate.motion

    @property
    def claims(self) -> tuple[Claim, ...]:
        return self.corpus.claims

    @property
    def relations(self) -> tuple[Relation, ...]:
        return self.corpus.relations

    @property
    def sources(self) -> tuple[Source, ...]:
        return self.corpus.sources

    @property
    def topics(self) -> tuple[Topic, ...]:
        return self.corpus.topics

    @property
    def speakers(self) -> tuple[Speaker, ...]:
        return self.corpus.speakers

    def claim(self, claim_id: str) -> Claim:
        """One claim by id.

        >>> load("mini").claim("save-lives").stance
        'pro'
        """
        from argmap.errors import SelectionError

        try:
            return self.corpus.claims_by_id[claim_id]
        except KeyError:
            raise SelectionError(f"unknown claim '{claim_id}' (see `argmap claims` for the ids)") from None

    def __repr__(self) -> str:
        part = " (a selection)" if self.whole is not None else ""
        return f"<argmap.Debate {self.id!r}{part}: {len(self.claims)} claims, {len(self.relations)} relations>"

    @property
    def root(self) -> Debate:
        """The whole debate this is (a part of)."""
        return self.whole if self.whole is not None else self

    # ------------------------------------------------------------ selections

    def select(
        self,
        *,
        topic: str | Iterable[str] | None = None,
        stance: str | None = None,
        source: str | None = None,
        speaker: str | None = None,
        around: str | None = None,
        depth: int = 1,
    ) -> Debate:
        """The claims that match every filter given (any of several topics), with the relations among them:
        the same rules as ``argmap export``'s selection options and the map's filters.

        >>> d = load("mini")
        >>> [c.id for c in d.select(topic="cost").claims]
        ['cost-2m', 'cost-small']
        """
        from argmap.sources.select import Selection, select

        topics = (topic,) if isinstance(topic, str) else tuple(topic or ())
        sel = Selection(topics=topics, stance=stance, source=source, speaker=speaker, around=around, depth=depth)
        return self._part(select(self.root.corpus, sel) if self.whole is None else select(self.corpus, sel))

    def widen(self, depth: int = 1) -> Debate:
        """This selection with every claim within ``depth`` support/attack steps of it added."""
        from argmap.sources.select import widen

        return self._part(widen(self.root.corpus, self.corpus, depth))

    def _part(self, corpus: Corpus) -> Debate:
        if corpus is self.root.corpus:
            return self.root
        return Debate(corpus, whole=self.root, config=self.root.config, preferences=self.root.preferences)

    # ------------------------------------------------------------ analyses

    def analyze(self, *names: str, config: Mapping[str, Any] | None = None, preferences: str | None = None) -> dict[str, Any]:
        """Run analyses on the whole debate (all of them when no name is given): the same results as
        ``argmap analyze --json``, keyed by analysis name.

        >>> r = load("mini").analyze("unanswered", "grounded")
        >>> list(r), r["unanswered"]["pro"]
        (['unanswered', 'grounded'], ['crashes-fell', 'sales-held'])
        """
        from argmap.graph.analysis import run_analyses

        root = self.root
        chosen = list(dict.fromkeys(names)) or None
        prefs = preferences or root.preferences
        return run_analyses(root.projection, chosen, config=config or root.config, preferences=prefs)

    @property
    def metrics(self) -> dict[str, dict[str, Any]]:
        """Per claim of this debate or selection: its analysis results (grounded label and reason,
        strength, centrality, community), computed on the whole debate."""
        root = self.root
        if "metrics" not in root._cache:
            from argmap.graph.analysis import metrics_for_corpus

            root._cache["metrics"] = metrics_for_corpus(root.corpus, config=root.config, preferences=root.preferences)
        keep = {c.id for c in self.claims}
        return {cid: m for cid, m in root._cache["metrics"].items() if cid in keep}

    @cached_property
    def projection(self):
        """The :class:`argmap.graph.projection.Projection` of this debate (networkx graphs and lookups)."""
        from argmap.graph.projection import project_corpus

        return project_corpus(self.corpus)

    def networkx(self) -> networkx.MultiDiGraph:
        """The support/attack graph as a networkx ``MultiDiGraph``: claim ids as nodes (with stance, topics,
        source, speaker, kind and text), one edge per relation keyed by its id (``type``, ``rationale``).

        >>> G = load("mini").networkx()
        >>> G.number_of_nodes(), G.nodes["save-lives"]["stance"]
        (6, 'pro')
        """
        return self.projection.claims

    # ------------------------------------------------------------ RDF and SPARQL

    def graph(self, *, analysis: bool = True) -> rdflib.Graph:
        """The debate as an rdflib ``Graph`` (with the per-claim analysis results unless ``analysis=False``),
        for rdflib users and plugins. Queries are faster on :attr:`store`."""
        from argmap.graph.store import debate_graph

        return debate_graph(self.corpus, with_analysis=analysis)

    @property
    def store(self) -> pyoxigraph.Store:
        """An in-memory Oxigraph store of the debate and its analysis results (built once)."""
        if "store" not in self._cache:
            from argmap.graph.store import memory_store

            self._cache["store"] = memory_store(self.corpus, with_analysis=True)
        return self._cache["store"]

    def query(self, text: str, *, max_rows: int | None = None, **params: str) -> QueryResult:
        """Run a read-only SPARQL query on :attr:`store` (argmap's prefixes need no declaration). With
        keyword ``params``, ``text`` may be the name of a named query (``argmap query --list``).

        >>> r = load("mini").query("claims-by-topic", topic="cost")
        >>> [(row["claim"], row["side"]) for row in r.records()]
        [('cost-2m', 'con'), ('cost-small', 'pro')]
        """
        from argmap.graph.sparql import bind_params, named_queries, run_query

        if text in named_queries():
            text = bind_params(named_queries()[text], dict(params))
        elif params:
            from argmap.errors import QueryError

            raise QueryError(f"parameters given but '{text[:40]}' is not a named query (see `argmap query --list`)")
        return run_query(self.store, text, max_rows=max_rows)

    # ------------------------------------------------------------ exports and the map

    def export(self, fmt: str, *, analysis: bool = True) -> str | bytes | dict[str, str]:
        """This debate or selection in an export format (``argmap export --list``): text as ``str``, binary
        formats (png, pdf) as ``bytes``, multi-file formats (csv) as a mapping of file name to text.

        >>> text = load("mini").select(topic="cost").export("mermaid", analysis=False)
        >>> "cost-2m" in text and "cost-small" in text and "save-lives" not in text
        True
        """
        from argmap.export.registry import get_exporter

        return get_exporter(fmt).render(self.corpus, metrics=self.metrics if analysis else None)

    def map(self, *, title: str | None = None, analysis: bool = True) -> MapPage:
        """The interactive HTML map of this debate (one self-contained page, no network). In Jupyter it shows
        inline; ``str(page)`` is the HTML, as ``argmap map`` writes it."""
        from argmap.export.htmlmap import render_map

        return MapPage(render_map(self.corpus, metrics=self.metrics if analysis else None, title=title))


class MapPage(str):
    """The HTML of an argument map; Jupyter displays it inline in a sandboxed frame (no network)."""

    def _repr_html_(self) -> str:
        import html

        return (
            '<iframe sandbox="allow-scripts" style="width:100%;height:640px;border:1px solid #ccc" '
            f'srcdoc="{html.escape(str(self), quote=True)}"></iframe>'
        )
