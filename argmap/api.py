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

    from argmap.graph.projection import Projection
    from argmap.graph.sparql import QueryResult
    from argmap.sources.select import Selection

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

    >>> d = load("mini")
    >>> d
    <argmap.Debate 'mini': 6 claims, 5 relations>
    >>> d.select(stance="pro")
    <argmap.Debate 'mini' (a selection): 4 claims, 1 relation>
    """

    corpus: Corpus
    whole: Debate | None = None
    config: dict[str, Any] | None = None
    preferences: str = "evidence"
    #: how this part was chosen (:meth:`select`) and widened (:meth:`widen`), for its default export title
    selection: Selection | None = None
    widened: int = 0
    _cache: dict[str, Any] = field(default_factory=dict, repr=False)

    # ------------------------------------------------------------ the records

    @property
    def id(self) -> str:
        """The debate's id (its folder's ``debate.yaml``).

        >>> load("mini").id
        'mini'
        """
        return self.corpus.debate.id

    @property
    def title(self) -> str:
        """The debate's title.

        >>> load("mini").title
        'Town bike lanes'
        """
        return self.corpus.debate.title

    @property
    def motion(self) -> str:
        """The motion the claims argue for or against.

        >>> load("mini").motion
        'The town should build protected bike lanes on Main Street'
        """
        return self.corpus.debate.motion

    @property
    def claims(self) -> tuple[Claim, ...]:
        """The claims (of the selection, for a selection), in corpus order.

        >>> [c.id for c in load("mini").claims][:2]
        ['save-lives', 'hurt-sales']
        """
        return self.corpus.claims

    @property
    def relations(self) -> tuple[Relation, ...]:
        """The supports, attacks and undercuts between the claims.

        >>> r = load("mini").relations[0]
        >>> r.type in ("supports", "attacks", "undercuts")
        True
        """
        return self.corpus.relations

    @property
    def sources(self) -> tuple[Source, ...]:
        """The source documents the claims quote.

        >>> [s.id for s in load("mini").sources]
        ['gazette-2024', 'study-2023']
        """
        return self.corpus.sources

    @property
    def topics(self) -> tuple[Topic, ...]:
        """The topics claims are filed under.

        >>> [t.id for t in load("mini").topics]
        ['safety', 'business', 'cost']
        """
        return self.corpus.topics

    @property
    def speakers(self) -> tuple[Speaker, ...]:
        """Who made the claims (people, organisations, outlets).

        >>> [s.id for s in load("mini").speakers][:2]
        ['ann-lee', 'town-council']
        """
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
        n, m = len(self.claims), len(self.relations)
        return f"<argmap.Debate {self.id!r}{part}: {n} claim{'s' * (n != 1)}, {m} relation{'s' * (m != 1)}>"

    @property
    def root(self) -> Debate:
        """The whole debate this is (a part of).

        >>> d = load("mini")
        >>> d.select(stance="pro").root is d
        True
        """
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
        search: str | None = None,
    ) -> Debate:
        """The claims that match every filter given (any of several topics), with the relations among them:
        the same rules as ``argmap export``'s and ``argmap claims``' selection options and the map's filters
        (:mod:`argmap.sources.select`). ``speaker`` is a speaker's id, or else text that a speaker's name, id
        or role contains; ``search`` keeps the claims whose text, quote or id holds every word of it.

        >>> d = load("mini")
        >>> [c.id for c in d.select(topic="cost").claims]
        ['cost-2m', 'cost-small']
        >>> [c.id for c in d.select(search="two million").claims]
        ['cost-2m']
        """
        from argmap.sources.select import Selection, select

        topics = (topic,) if isinstance(topic, str) else tuple(topic or ())
        sel = Selection(topics=topics, stance=stance, source=source, speaker=speaker, around=around, depth=depth, search=search)
        return self._part(select(self.corpus, sel), sel if self.whole is None else None, 0)

    def widen(self, depth: int = 1) -> Debate:
        """This selection with every claim within ``depth`` support/attack steps of it added.

        >>> [c.id for c in load("mini").select(topic="cost").widen(1).claims]
        ['cost-2m', 'cost-small']
        """
        from argmap.sources.select import widen

        return self._part(widen(self.root.corpus, self.corpus, depth), self.selection, self.widened + depth)

    def _part(self, corpus: Corpus, selection: Selection | None, widened: int) -> Debate:
        root = self.root
        if corpus is root.corpus:
            return root
        return Debate(corpus, whole=root, config=root.config, preferences=root.preferences, selection=selection, widened=widened)

    def find_relations(
        self,
        *,
        type: str | Iterable[str] | None = None,
        source: str | None = None,
        target: str | None = None,
        topic: str | None = None,
    ) -> list[Relation]:
        """The relations of any of the types given, from claim ``source``, to claim (or, for an undercut,
        relation) ``target``, with an end about ``topic``; all that are given, in the corpus's order: the
        rows of ``argmap relations --type --from --to --topic``.

        >>> [r.id for r in load("mini").find_relations(type="attacks", topic="business")]
        ['sales-held--attacks--hurt-sales', 'hurt-sales--attacks--save-lives']
        """
        from argmap.sources.select import filter_relations

        types = (type,) if isinstance(type, str) else tuple(type or ())
        return filter_relations(self.corpus, types=types, source=source, target=target, topic=topic)

    def records(self, kind: str, items: Iterable[Any] | None = None) -> list[dict[str, Any]]:
        """JSON-ready records of this debate's ``"claims"``, ``"relations"``, ``"sources"``, ``"topics"`` or
        ``"speakers"`` (only ``items``, when given): what ``argmap KIND --json`` prints. Counts of claims are
        of this debate or selection.

        >>> [(t["id"], t["claims"]) for t in load("mini").select(stance="con").records("topics")]
        [('safety', 0), ('business', 1), ('cost', 1)]
        """
        from collections import Counter

        from argmap.sources import records as rec

        corpus = self.corpus
        if kind == "claims":
            return [rec.claim_record(corpus, c, corpus.base) for c in (self.claims if items is None else items)]
        if kind == "relations":
            return [rec.relation_record(corpus, r) for r in (self.relations if items is None else items)]
        if kind == "sources":
            counts = Counter(c.source for c in corpus.claims)
            return [rec.source_record(corpus, s, counts) for s in (self.sources if items is None else items)]
        if kind in ("topics", "speakers"):
            rows = rec.topic_records(corpus) if kind == "topics" else rec.speaker_records(corpus)
            if items is None:
                return rows
            wanted = {x.id for x in items}
            return [r for r in rows if r["id"] in wanted]
        from argmap.errors import SelectionError

        raise SelectionError(f"unknown kind of record '{kind}' (expected one of: {', '.join(RECORD_KINDS)})")

    def validate(self) -> dict[str, Any]:
        """Check the debate graph against the SHACL shapes (the corpus checks ran when it was loaded): the
        report ``argmap validate --json`` prints, ``report["shacl"]["conforms"]`` saying whether it conforms.

        >>> r = load("mini").validate()
        >>> r["claims"], r["shacl"]["conforms"]
        (6, True)
        """
        from argmap.graph.validate import validate_corpus
        from argmap.sources.loader import draft_files

        corpus = self.corpus
        report = validate_corpus(corpus)
        return {
            "corpus": corpus.root,
            "claims": len(corpus.claims),
            "relations": len(corpus.relations),
            "sources": len(corpus.sources),
            "topics": len(corpus.topics),
            "speakers": len(corpus.speakers),
            "triples": report.triples,
            "quotes_verified": len(corpus.claims),
            "drafts": draft_files(corpus.root),
            "shacl": report.to_json(),
        }

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
        strength, centrality, community), computed on the whole debate.

        >>> m = load("mini").metrics["save-lives"]
        >>> m["grounded"], 0.0 <= m["strength"] <= 1.0
        ('in', True)
        """
        root = self.root
        if "metrics" not in root._cache:
            from argmap.graph.analysis import metrics_for_corpus

            root._cache["metrics"] = metrics_for_corpus(root.corpus, config=root.config, preferences=root.preferences)
        keep = {c.id for c in self.claims}
        return {cid: m for cid, m in root._cache["metrics"].items() if cid in keep}

    @cached_property
    def projection(self) -> Projection:
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
        for rdflib users and plugins. Queries are faster on :attr:`store`.

        >>> g = load("mini").graph()
        >>> len(g) == len(load("mini").store)
        True
        """
        from argmap.graph.store import debate_graph

        return debate_graph(self.corpus, with_analysis=analysis)

    @property
    def store(self) -> pyoxigraph.Store:
        """An in-memory Oxigraph store of the debate and its analysis results (built once).

        >>> len(load("mini").store) > 0
        True
        """
        return self._store(analysis=True)

    def _store(self, *, analysis: bool) -> pyoxigraph.Store:
        key = "store" if analysis else "store-plain"
        if key not in self._cache:
            from argmap.graph.store import memory_store

            self._cache[key] = memory_store(self.corpus, with_analysis=analysis)
        return self._cache[key]

    def query(self, text: str, *, max_rows: int | None = None, analysis: bool = True, **params: str) -> QueryResult:
        """Run a read-only SPARQL query on :attr:`store` (argmap's prefixes need no declaration; with
        ``analysis=False`` on a store without the analysis results). With keyword ``params``, ``text`` may be
        the name of a named query (``argmap query --list``); a parameter value that names no topic, speaker
        or source warns (:class:`UserWarning`) with the known ones.

        >>> r = load("mini").query("claims-by-topic", topic="cost")
        >>> [(row["claim"], row["side"]) for row in r.records()]
        [('cost-2m', 'con'), ('cost-small', 'pro')]
        """
        from argmap.graph.sparql import KNOWN_VALUES, bind_params, named_queries, param_warnings, run_query

        store = self._store(analysis=analysis)
        if text in named_queries():
            result = run_query(store, bind_params(named_queries()[text], dict(params)), max_rows=max_rows)
            if params:
                import warnings

                known = {n: [str(r["id"]) for r in run_query(store, q).records()] for n, q in KNOWN_VALUES.items() if n in params}
                for message in param_warnings(dict(params), known):
                    warnings.warn(message, UserWarning, stacklevel=2)
            return result
        if params:
            from argmap.errors import QueryError

            raise QueryError(f"parameters given but '{text[:40]}' is not a named query (see `argmap query --list`)")
        return run_query(store, text, max_rows=max_rows)

    # ------------------------------------------------------------ exports and the map

    def export(
        self, fmt: str, *, analysis: bool | None = None, title: str | None = None, **options: Any
    ) -> str | bytes | dict[str, str]:
        """This debate or selection in an export format (``argmap export --list``): text as ``str``, binary
        formats (png, pdf) as ``bytes``, multi-file formats (csv) as a mapping of file name to text; the same
        as ``argmap export`` with the same selection options.

        ``analysis`` includes the analysis results (default: yes, except on a slide); ``title`` is the
        title of a diagram or brief (default: what the selection shows, e.g. 'Crime: the objections');
        ``options`` are the format's own (``slide``, ``aspect``, ``layout``, ``summary``, ``excel``: see
        :mod:`argmap.export.registry`).

        >>> text = load("mini").select(topic="cost").export("mermaid", analysis=False)
        >>> "cost-2m" in text and "cost-small" in text and "save-lives" not in text
        True
        """
        from argmap.export.registry import get_exporter

        exporter = get_exporter(fmt)
        if analysis is None:
            analysis = not options.get("slide")  # a slide shows no analysis tags unless asked
        sel = self.selection
        if "title" in exporter.options:
            if title is None and (sel is not None or self.widened):
                from argmap.export.slides import selection_title

                title = selection_title(
                    self.root.corpus,
                    topics=sel.topics if sel else (),
                    stance=sel.stance if sel else None,
                    source=sel.source if sel else None,
                    speaker=sel.speaker if sel else None,
                    around=sel.around if sel else None,
                    widen=self.widened,
                )
            if title is not None:
                options["title"] = title
        elif title is not None:
            from argmap.errors import ExportError

            raise ExportError(f"{exporter.name} takes no title")
        if "topics" in exporter.options and sel is not None and sel.topics:
            options["topics"] = sel.topics
        if "analyses" in exporter.options and analysis:
            options["analyses"] = self.analyze("unanswered", "strength", "grounded", "centrality")
        return exporter.render(self.corpus, metrics=self.metrics if analysis else None, **options)

    def map(self, *, title: str | None = None, analysis: bool = True, physics: bool | None = None) -> MapPage:
        """The interactive HTML map of this debate (one self-contained page, no network). In Jupyter it shows
        inline; ``str(page)`` is the HTML, as ``argmap map`` writes it. ``physics`` lets vis-network move the
        nodes (default: only for debates of up to 60 claims).

        >>> page = load("mini").map()
        >>> page.startswith("<!DOCTYPE html>"), "save-lives" in page
        (True, True)
        """
        from argmap.export.htmlmap import render_map

        page = render_map(self.corpus, metrics=self.metrics if analysis else None, title=title, physics=physics)
        return MapPage(page)


#: What :meth:`Debate.records` lists.
RECORD_KINDS = ("claims", "relations", "sources", "topics", "speakers")


class MapPage(str):
    """The HTML of an argument map; Jupyter displays it inline in a sandboxed frame (no network).

    >>> page = load("mini").map()
    >>> page.startswith("<!DOCTYPE html>"), page._repr_html_().startswith("<iframe sandbox=")
    (True, True)
    """

    def _repr_html_(self) -> str:
        """The map in an ``<iframe srcdoc>``: scripts run in it, but it reaches no network and no notebook."""
        import html

        return (
            '<iframe sandbox="allow-scripts" style="width:100%;height:640px;border:1px solid #ccc" '
            f'srcdoc="{html.escape(str(self), quote=True)}"></iframe>'
        )
