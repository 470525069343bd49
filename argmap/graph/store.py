"""The debate graph in an Oxigraph store, where SPARQL queries run.

The corpus model's triples are written once as sorted N-Triples bytes (:mod:`argmap.graph.rdf`, no rdflib
graph on the way) and bulk-loaded; queries run on pyoxigraph. A store lives in memory by
default; a persistent one lives in a folder and remembers which corpus (and which content of it) it was
built from, so it is rebuilt only when the corpus changes.

Never hand an rdflib query to an Oxigraph-backed rdflib graph: rdflib silently falls back to its own, slow
engine. Query the :class:`pyoxigraph.Store` directly (:func:`argmap.graph.sparql.run_query`).
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from argmap.errors import QueryError

if TYPE_CHECKING:  # pragma: no cover
    import pyoxigraph
    from rdflib import Graph

    from argmap.sources.model import Corpus

#: Inside a persistent store folder: Oxigraph's own files, and what the store was built from.
DATA_DIR = "oxigraph"
META_FILE = "argmap-store.json"
FORMAT_VERSION = 1


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


def load_ntriples(data: bytes, *, path: str | os.PathLike[str] | None = None) -> pyoxigraph.Store:
    """A store holding the N-Triples ``data``: in memory, or in folder ``path`` (made if missing).

    Examples
    --------
    >>> store = load_ntriples(b'<http://e/a> <http://e/p> "x" .\\n')
    >>> len(store)
    1
    """
    import pyoxigraph as ox

    store = ox.Store(str(path)) if path is not None else ox.Store()
    try:
        store.bulk_load(data, format=ox.RdfFormat.N_TRIPLES)
    except SyntaxError as err:  # a graph rdflib wrote: only a bug gets here
        raise QueryError(f"the graph could not be loaded into the store: {err}") from err
    if path is not None:
        store.flush()
    return store


def corpus_fingerprint(root: str | os.PathLike[str], *, with_analysis: bool) -> str:
    """A hash of every file of a corpus folder (names and contents) and of the options that shape the
    graph: equal fingerprints mean the same graph."""
    from argmap import __version__

    h = hashlib.sha256(f"argmap {__version__} store {FORMAT_VERSION} analysis={with_analysis}\n".encode())
    base = Path(root)
    for path in sorted(p for p in base.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        h.update(path.relative_to(base).as_posix().encode() + b"\0")
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

    def to_json(self) -> dict:
        return {
            "format": FORMAT_VERSION,
            "corpus": self.corpus,
            "fingerprint": self.fingerprint,
            "triples": self.triples,
            "with_analysis": self.with_analysis,
        }


def store_info(folder: str | os.PathLike[str]) -> StoreInfo | None:
    """What the persistent store in ``folder`` was built from, or None when there is none."""
    meta = Path(folder) / META_FILE
    if not meta.is_file():
        return None
    try:
        data = json.loads(meta.read_text(encoding="utf-8"))
        return StoreInfo(data["corpus"], data["fingerprint"], int(data["triples"]), bool(data["with_analysis"]))
    except (ValueError, KeyError, TypeError):
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

    store = load_ntriples(debate_ntriples(corpus, with_analysis=with_analysis))
    freeze_loaded()
    return store


def persistent_store(
    folder: str | os.PathLike[str], corpus_dir: str | os.PathLike[str] | None = None, *, with_analysis: bool = True
) -> tuple[pyoxigraph.Store, StoreInfo, bool]:
    """Open the persistent store in ``folder``, building it from the corpus first when it is missing or
    was built from another corpus, other contents or other options. Returns the store, what it was built
    from and whether it was (re)built now.

    With ``corpus_dir`` None: an existing store is opened as it is; a missing one is built from the OPC
    debate shipped with argmap.
    """
    from argmap.sources import load_corpus
    from argmap.sources.loader import default_corpus_path

    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise QueryError(f"--store {folder} is a file; give a folder")
    info = store_info(folder)
    if info is not None and corpus_dir is None:
        return _open(folder), info, False
    root = Path(corpus_dir) if corpus_dir is not None else default_corpus_path()
    fingerprint = corpus_fingerprint(root, with_analysis=with_analysis) if root.is_dir() else ""
    if info is not None and info.fingerprint == fingerprint:
        return _open(folder), info, False
    if info is None and folder.is_dir() and any(folder.iterdir()):
        raise QueryError(f"--store {folder} is a folder that holds something other than an argmap store; give a new or empty folder")
    corpus = load_corpus(corpus_dir)
    data = debate_ntriples(corpus, with_analysis=with_analysis)
    folder.mkdir(parents=True, exist_ok=True)
    meta = folder / META_FILE
    if meta.exists():
        meta.unlink()  # a store half-rebuilt has no record, so it is rebuilt next time
    data_dir = folder / DATA_DIR
    if data_dir.exists():
        import shutil

        shutil.rmtree(data_dir)
    store = load_ntriples(data, path=data_dir)
    info = StoreInfo(str(corpus.root), fingerprint, len(store), with_analysis)
    tmp = folder / f".{META_FILE}.tmp"
    tmp.write_text(json.dumps(info.to_json(), indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, meta)
    return store, info, True


def _open(folder: Path) -> pyoxigraph.Store:
    import pyoxigraph as ox

    try:
        return ox.Store(str(folder / DATA_DIR))
    except OSError as err:
        raise QueryError(f"cannot open the store in {folder}: {err}") from err


def open_read_only(folder: str | os.PathLike[str]) -> pyoxigraph.Store:
    """The persistent store in ``folder``, opened read-only (for server workers)."""
    import pyoxigraph as ox

    try:
        return ox.Store.read_only(str(Path(folder) / DATA_DIR))
    except OSError as err:
        raise QueryError(f"cannot open the store in {folder}: {err}") from err
