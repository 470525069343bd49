"""The debate graph in an Oxigraph store, where SPARQL queries run.

The corpus model's triples are made as N-Triples lines (:mod:`argmap.graph.build`, no rdflib graph on the
way) and bulk-loaded as they are made, a piece at a time; queries run on pyoxigraph. A store lives in memory by
default; a persistent one lives in a folder and remembers which corpus (and which content of it) it was
built from, so it is rebuilt only when the corpus changes.

A persistent store folder holds ``argmap-store.json`` (what it was built from, and the name of its data
folder) and one Oxigraph data folder ``oxigraph-<random>``. It is a cache: a store that is damaged (its data
folder or a file of it missing, zeroed or garbage, fewer triples than recorded) is rebuilt from its corpus, or,
when the corpus is not known, refused with one line. One process builds at a time (a lock file; the others
wait, then read what it built); every other process opens the store read-only. A rebuild writes a new data
folder and then switches the record to it, so a reader gets the old store or the new one, never a mix.

Never hand an rdflib query to an Oxigraph-backed rdflib graph: rdflib silently falls back to its own, slow
engine. Query the :class:`pyoxigraph.Store` directly (:func:`argmap.graph.sparql.run_query`).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from argmap.errors import QueryError

if TYPE_CHECKING:  # pragma: no cover
    import pyoxigraph
    from rdflib import Graph

    from argmap.sources.model import Corpus

#: Inside a persistent store folder: Oxigraph's own files, and what the store was built from.
DATA_DIR = "oxigraph"  # the data folder of a format-1 store; newer ones name theirs in META_FILE
META_FILE = "argmap-store.json"
LOCK_FILE = ".argmap-store.lock"
FORMAT_VERSION = 3  # 3: the debate in its named graph; 2: data folders switched by the record; 1: the first


def debate_graph(corpus: Corpus, *, with_analysis: bool = True) -> Graph:
    """The debate's rdflib graph, with each claim's analysis results (``arg:groundedLabel``,
    ``arg:strength``, ...) when ``with_analysis`` is true: for interop, on request
    (:func:`argmap.graph.rdf.debate_graph`); the store itself is loaded without one.

    Examples
    --------
    >>> from argmap.sources import load_corpus
    >>> g = debate_graph(load_corpus("tests/data/mini"))
    >>> from argmap.graph.vocab import ARG
    >>> len(set(g.subjects(ARG.groundedLabel, None))) == len(load_corpus("tests/data/mini").claims)
    True
    """
    from argmap.graph.rdf import debate_graph as rdflib_graph

    return rdflib_graph(corpus, with_analysis=with_analysis)


def ntriples(graph: Graph) -> bytes:
    """The rdflib graph as N-Triples bytes, one triple a line, sorted (deterministic)."""
    from argmap.graph.rdf import ntriples as nt_text

    return nt_text(graph).encode("utf-8")


def debate_ntriples(corpus: Corpus, *, with_analysis: bool = True) -> bytes:
    """The debate's sorted N-Triples bytes straight from the corpus model (no rdflib graph): what a store
    bulk-loads, ``argmap push`` sends and ``argmap build --format nt`` writes."""
    from argmap.graph.rdf import debate_ntriples as nt_bytes

    return nt_bytes(corpus, with_analysis=with_analysis)


def load_ntriples(
    data: bytes | Iterable[bytes], *, path: str | os.PathLike[str] | None = None, graph: str | None = None
) -> pyoxigraph.Store:
    """A store holding the N-Triples ``data`` (bytes, or pieces of bytes each ending at a line's end, each
    bulk-loaded in turn): in memory, or in folder ``path`` (made if missing); in the named graph ``graph``
    (the debate's base IRI: the dataset rule of docs/sparql.md), or the default graph.

    Oxigraph's bulk loader holds a whole batch (up to a million triples a thread) in memory before it writes;
    pieces of :data:`PIECE_LINES` lines keep that to a few hundred MB (a store built from 100,000 claims:
    767 MB, not 2.7 GB), for about 30% more CPU than one load of the sorted text (benchmarks/RESULTS.md).

    Examples
    --------
    >>> store = load_ntriples(b'<http://e/a> <http://e/p> "x" .\\n', graph="https://e.org/debate/")
    >>> len(store), [g.value for g in store.named_graphs()]
    (1, ['https://e.org/debate/'])
    >>> len(load_ntriples(iter([b'<http://e/a> <http://e/p> "x" .\\n', b'<http://e/a> <http://e/p> "y" .\\n'])))
    2
    """
    import pyoxigraph as ox

    from argmap.perf import paused_gc

    store = ox.Store(str(path)) if path is not None else ox.Store()
    try:
        target = ox.NamedNode(graph) if graph is not None else None
        with paused_gc():  # the pieces are made as they are loaded: millions of tuples that all die young
            for piece in [data] if isinstance(data, bytes) else data:
                store.bulk_load(piece, format=ox.RdfFormat.N_TRIPLES, to_graph=target)
    except SyntaxError as err:  # a graph argmap wrote: only a bug gets here
        raise QueryError(f"the graph could not be loaded into the store: {err}") from err
    if path is not None:
        store.flush()
    return store


#: lines of N-Triples a store is bulk-loaded with at a time (:func:`load_ntriples`)
PIECE_LINES = 200_000


def debate_pieces(corpus: Corpus, *, with_analysis: bool = True, lines: int = PIECE_LINES) -> Iterator[bytes]:
    """The debate's N-Triples (:func:`debate_ntriples`'s triples) as UTF-8 bytes of ``lines`` lines each, in
    the order they are made, repeats kept: what a store bulk-loads. A store holds a set of triples, so neither
    order nor repeats change it, and the whole text (with the list of its sorted lines, 1.3 GB at 100,000
    claims) is never in memory at once.

    >>> from argmap.sources import load_corpus
    >>> mini = load_corpus("tests/data/mini")
    >>> streamed = b"".join(debate_pieces(mini, with_analysis=False, lines=10))
    >>> sorted(set(streamed.splitlines())) == debate_ntriples(mini, with_analysis=False).splitlines()
    True
    """
    from itertools import chain

    from argmap.graph.build import ntriple_rows
    from argmap.graph.rdf import metric_rows, with_analysis_metrics

    metrics = with_analysis_metrics(corpus, with_analysis)
    rows: Iterator[tuple[str, str, str]] = ntriple_rows(corpus)
    if metrics:
        known = {c.id for c in corpus.claims}
        rows = chain(rows, metric_rows(corpus.base, {k: v for k, v in metrics.items() if k in known}))
    return _pieces(rows, lines)  # the analyses above run now, before a store folder is made


def _pieces(rows: Iterator[tuple[str, str, str]], lines: int) -> Iterator[bytes]:
    from itertools import islice

    while part := list(islice(rows, lines)):
        yield "".join([f"{s} {p} {o} .\n" for s, p, o in part]).encode("utf-8")


def corpus_fingerprint(root: str | os.PathLike[str], *, with_analysis: bool) -> str:
    """A hash of every file of a corpus folder (names and contents) and of the options that shape the
    graph: equal fingerprints mean the same graph."""
    from argmap import __version__

    h = hashlib.sha256(f"argmap {__version__} store {FORMAT_VERSION} analysis={with_analysis}\n".encode())
    base = Path(root)
    real = base.resolve()
    for path in sorted(p for p in base.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        h.update(path.relative_to(base).as_posix().encode() + b"\0")
        if path.resolve().is_relative_to(real):  # a link out of the folder is refused by the loader, not read
            h.update(path.read_bytes())
        h.update(b"\0")
    return h.hexdigest()


@dataclass(frozen=True)
class StoreInfo:
    """What a persistent store was built from."""

    corpus: str
    fingerprint: str
    triples: int
    with_analysis: bool
    data: str = DATA_DIR  # the name of the data folder inside the store folder

    def to_json(self) -> dict:
        return {
            "format": FORMAT_VERSION,
            "corpus": self.corpus,
            "fingerprint": self.fingerprint,
            "triples": self.triples,
            "with_analysis": self.with_analysis,
            "data": self.data,
        }


def store_info(folder: str | os.PathLike[str]) -> StoreInfo | None:
    """What the persistent store in ``folder`` was built from, or None when there is none."""
    meta = Path(folder) / META_FILE
    if not meta.is_file():
        return None
    try:
        data = json.loads(meta.read_text(encoding="utf-8"))
        name = str(data.get("data", DATA_DIR))
        if not _DATA_RE.match(name):
            return None
        return StoreInfo(data["corpus"], data["fingerprint"], int(data["triples"]), bool(data["with_analysis"]), name)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def memory_store(corpus: Corpus, *, with_analysis: bool = True) -> pyoxigraph.Store:
    """The debate graph of ``corpus`` in an in-memory Oxigraph store.

    Examples
    --------
    >>> from argmap.sources import load_corpus
    >>> store = memory_store(load_corpus("tests/data/mini"), with_analysis=False)
    >>> from argmap.graph.build import build_graph
    >>> len(store) == len(build_graph(load_corpus("tests/data/mini")))
    True
    """
    from argmap.perf import freeze_loaded

    store = load_ntriples(debate_pieces(corpus, with_analysis=with_analysis), graph=corpus.base)
    freeze_loaded()
    return store


def persistent_store(
    folder: str | os.PathLike[str],
    corpus_dir: str | os.PathLike[str] | None = None,
    *,
    with_analysis: bool = True,
    notify: Callable[[str], None] | None = None,
) -> tuple[pyoxigraph.Store, StoreInfo, bool]:
    """Open the persistent store in ``folder``, building it from the corpus first when it is missing, was
    built from another corpus, other contents or other options, or is damaged. Returns the store, what it
    was built from and whether it was (re)built now. ``notify`` is told, in a sentence, why a store that
    existed is rebuilt (damage).

    With ``corpus_dir`` None: an existing store is opened as it is (or, when damaged, rebuilt from the corpus
    it was built from); a missing one is built from the OPC debate shipped with argmap.
    """
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise QueryError(f"--store {folder} is a file; give a folder")
    # Without the lock first: a store that is there and sound is only read.
    info = store_info(folder)
    fingerprint = _wanted_fingerprint(corpus_dir, with_analysis)
    if info is not None and (corpus_dir is None or info.fingerprint == fingerprint):
        store, _problem = _open_checked(folder, info)
        if store is not None:
            return store, info, False
    _refuse_foreign(folder)
    folder.mkdir(parents=True, exist_ok=True)
    with _build_lock(folder):
        info = store_info(folder)  # again: another process may have built it while this one waited
        problem = None
        if info is not None and (corpus_dir is None or info.fingerprint == fingerprint):
            store, problem = _open_checked(folder, info)
            if store is not None:
                return store, info, False
        if problem is None and (folder / META_FILE).exists() and info is None:
            problem = f"its record {META_FILE} cannot be read"
        if corpus_dir is None and problem is not None:
            corpus_dir = _corpus_to_rebuild(folder, info, problem)
            with_analysis = info.with_analysis if info is not None else with_analysis
            fingerprint = _wanted_fingerprint(corpus_dir, with_analysis)
        if problem is not None and notify is not None:
            notify(f"the store in {folder} is damaged ({problem}); rebuilding it")
        store, info = _rebuild(folder, corpus_dir, fingerprint, with_analysis=with_analysis)
        return store, info, True


def _wanted_fingerprint(corpus_dir: str | os.PathLike[str] | None, with_analysis: bool) -> str:
    from argmap.sources.loader import default_corpus_path

    root = Path(corpus_dir) if corpus_dir is not None else default_corpus_path()
    return corpus_fingerprint(root, with_analysis=with_analysis) if root.is_dir() else ""


def _corpus_to_rebuild(folder: Path, info: StoreInfo | None, problem: str) -> str:
    """The corpus a damaged store opened without --corpus is rebuilt from: the one it was built from."""
    if info is None or not Path(info.corpus).is_dir():
        gone = "its corpus is not known" if info is None else f"its corpus {info.corpus} is gone"
        raise QueryError(
            f"the store in {folder} is damaged ({problem}) and {gone}; give --corpus DIR to rebuild it, or delete the folder"
        )
    return info.corpus


_DATA_RE = re.compile(r"^oxigraph(-[a-z0-9]{12})?$")


def _ours(name: str) -> bool:
    """Whether a name in a store folder is one argmap puts there."""
    from argmap.files import TEMP_RE

    return name in (META_FILE, LOCK_FILE) or bool(_DATA_RE.match(name) or TEMP_RE.match(name))


def _refuse_foreign(folder: Path) -> None:
    if folder.is_dir() and not (folder / META_FILE).exists() and not all(_ours(p.name) for p in folder.iterdir()):
        raise QueryError(
            f"--store {folder} is a folder that holds something other than an argmap store; give a new or empty folder"
        )


@contextmanager
def _build_lock(folder: Path) -> Iterator[None]:
    """Hold the store folder's build lock: one process builds, the others wait for it."""
    import fcntl

    try:
        fd = os.open(folder / LOCK_FILE, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
    except OSError as err:
        raise QueryError(f"cannot lock the store in {folder}: {err.strerror or err}") from err
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _open_checked(folder: Path, info: StoreInfo) -> tuple[pyoxigraph.Store | None, str | None]:
    """The store, opened read-only, when it is sound; else None and what is wrong with it."""
    import pyoxigraph as ox

    data_dir = folder / info.data
    if not data_dir.is_dir():
        return None, f"its data folder {info.data} is missing"
    if not (data_dir / "CURRENT").is_file():
        return None, f"{info.data}/CURRENT is missing"
    try:
        # Opening reads the manifest and every table's footer: a missing, zeroed or garbage file shows here.
        store = ox.Store.read_only(str(data_dir))
        empty = next(iter(store.quads_for_pattern(None, None, None, None)), None) is None
    except (OSError, RuntimeError, ValueError, SyntaxError) as err:
        return None, str(err).splitlines()[0].strip() if str(err).strip() else type(err).__name__
    if empty and info.triples:
        # (a full count would also catch a store cut short, but costs 0.2 s at 10,000 claims on every query;
        # the record is written only after a load is complete)
        return None, f"it holds no triples, not the {info.triples} it was built with"
    return store, None


def _rebuild(
    folder: Path, corpus_dir: str | os.PathLike[str] | None, fingerprint: str, *, with_analysis: bool
) -> tuple[pyoxigraph.Store, StoreInfo]:
    """Build the store into a new data folder, then switch the record to it and remove the old data
    folders. Called with the build lock held."""
    import secrets

    from argmap.files import clean_stale, write_file
    from argmap.sources import load_corpus

    corpus = load_corpus(corpus_dir)
    data = debate_pieces(corpus, with_analysis=with_analysis)
    clean_stale(folder)
    data_name = f"oxigraph-{secrets.token_hex(6)}"
    try:
        store = load_ntriples(data, path=folder / data_name, graph=corpus.base)
        info = StoreInfo(str(corpus.root), fingerprint, len(store), with_analysis, data_name)
        write_file(folder / META_FILE, json.dumps(info.to_json(), indent=2) + "\n")
    except OSError as err:
        raise QueryError(f"cannot build the store in {folder}: {err.strerror or err}") from err
    _remove_old_data(folder, keep=data_name)
    return store, info


def _remove_old_data(folder: Path, *, keep: str) -> None:
    """Remove the data folders the record no longer names (an old store, a build cut short)."""
    import shutil

    for p in folder.iterdir():
        if p.name != keep and _DATA_RE.match(p.name) and p.is_dir():
            shutil.rmtree(p, ignore_errors=True)


def open_read_only(folder: str | os.PathLike[str]) -> pyoxigraph.Store:
    """The persistent store in ``folder``, opened read-only (for server workers)."""
    import pyoxigraph as ox

    folder = Path(folder)
    for attempt in range(3):  # a rebuild may switch the record between reading it and opening its data
        info = store_info(folder)
        name = info.data if info is not None else DATA_DIR
        try:
            return ox.Store.read_only(str(folder / name))
        except (OSError, RuntimeError) as err:
            again = store_info(folder)
            if attempt < 2 and again is not None and again.data != name:
                continue
            raise QueryError(f"cannot open the store in {folder}: {str(err).splitlines()[0] if str(err) else err}") from err
    raise AssertionError("unreachable")  # pragma: no cover
