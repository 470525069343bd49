"""The one registry of export formats.

A format is one module in ``argmap/export/`` and one :class:`Exporter` entry below. The registry holds the
dotted path of each format's render function, so a format's libraries are imported only when it is used
(``argmap --help`` stays instant). The CLI's choices, ``argmap export --list`` and the format list in the
documentation all come from :data:`EXPORTERS`.

Every render function takes the (selected) :class:`~argmap.sources.model.Corpus` first and, keyword-only,
``metrics``: an optional ``{claim_id: {"grounded", "grounded_reason", "strength", "pagerank",
"betweenness", "community"}}`` dict of analysis results to include. It returns one type, fixed per format:
``str`` for text, ``bytes`` for binary formats, and for multi-file formats a ``dict`` of file name to
``str``. Writing is the caller's business.

Examples
--------
>>> get_exporter("ttl").name
'turtle'
>>> [e.name for e in exporters()][:3]
['svg', 'png', 'pdf']
>>> from argmap.sources import load_corpus
>>> text = get_exporter("mermaid").render(load_corpus("tests/data/mini"))
>>> text.splitlines()[8]
'flowchart BT'
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from typing import TYPE_CHECKING, Any

from argmap.errors import ExportError
from argmap.graph.rdf import FORMATS as RDF_FORMATS  # light: names only, the writers load lazily

if TYPE_CHECKING:
    from argmap.sources.model import Corpus

Metrics = dict[str, dict[str, Any]]
#: what a render function returns: text, the bytes of a binary format, or the files of a multi-file one
Rendered = str | bytes | dict[str, str]


@dataclass(frozen=True)
class Exporter:
    """One export format.

    ``target`` is ``"module:function"``; ``binary`` says the function returns ``bytes`` (else ``str``);
    ``multi_file`` says it returns ``{file name: str}`` (and ``extension`` is that of each file).
    """

    name: str
    description: str
    extension: str
    media_type: str
    target: str
    aliases: tuple[str, ...] = ()
    binary: bool = False
    multi_file: bool = False
    options: tuple[str, ...] = ()  # the keyword options its render function takes besides ``metrics``

    @property
    def function(self) -> Callable[..., Any]:
        """The render function, imported on first use."""
        module, _, attr = self.target.partition(":")
        return getattr(import_module(module), attr)

    def render(self, corpus: Corpus, *, metrics: Metrics | None = None, **options: Any) -> Rendered:
        """Render ``corpus`` in this format: ``str``, ``bytes`` or ``dict[str, str]`` as the record says.

        ``options`` are the format's own (see :attr:`options`); another is an :class:`ExportError`."""
        unknown = sorted(set(options) - set(self.options))
        if unknown:
            raise ExportError(f"{self.name} takes no option {', '.join(unknown)} (it takes: {', '.join(self.options) or 'none'})")
        return self.function(corpus, metrics=metrics, **options)

    @property
    def kind(self) -> str:
        """``"binary"``, ``"files"`` or ``"text"``: how the output is written."""
        return "files" if self.multi_file else "binary" if self.binary else "text"


DIAGRAM_OPTIONS = ("title", "slide", "aspect", "layout")
BRIEF_OPTIONS = ("title", "summary", "analyses", "topics")

EXPORTERS: tuple[Exporter, ...] = (
    Exporter(
        "svg",
        "Argument diagram as SVG, drawn by Graphviz (stance by shape, border and colour; a legend)",
        "svg",
        "image/svg+xml",
        "argmap.export.graphviz:render_svg",
        options=DIAGRAM_OPTIONS,
    ),
    Exporter(
        "png",
        "Argument diagram as a PNG picture, drawn by Graphviz",
        "png",
        "image/png",
        "argmap.export.graphviz:render_png",
        binary=True,
        options=DIAGRAM_OPTIONS,
    ),
    Exporter(
        "pdf",
        "Argument diagram as PDF, drawn by Graphviz, for print",
        "pdf",
        "application/pdf",
        "argmap.export.graphviz:render_pdf",
        binary=True,
        options=DIAGRAM_OPTIONS,
    ),
    Exporter(
        "dot",
        "Graphviz DOT source of the argument diagram",
        "dot",
        "text/vnd.graphviz",
        "argmap.export.graphviz:render_dot",
        aliases=("graphviz", "gv"),
        options=DIAGRAM_OPTIONS,
    ),
    Exporter(
        "mermaid",
        "Mermaid flowchart text for Markdown hosts and slide tools",
        "mmd",
        "text/vnd.mermaid",
        "argmap.export.mermaid:render_mermaid",
        aliases=("mmd",),
        options=("title", "slide"),
    ),
    Exporter(
        "argdown",
        "Argdown (argdown.org): statements, pro and con relations, topics as tags",
        "argdown",
        "text/x-argdown",
        "argmap.export.argdown:render_argdown",
        aliases=("ad",),
    ),
    Exporter(
        "aif",
        "AIF JSON as AIFdb and OVA read it (I, RA, CA, L and YA nodes; edges)",
        "json",
        "application/json",
        "argmap.export.aif:render_aif",
        aliases=("aif-json",),
    ),
    Exporter(
        "graphml",
        "GraphML for yEd and Gephi, with stance, topic, source and analysis attributes",
        "graphml",
        "application/graphml+xml",
        "argmap.export.networks:render_graphml",
    ),
    Exporter(
        "gexf",
        "GEXF for Gephi, with stance, topic, source and analysis attributes and colours",
        "gexf",
        "application/gexf+xml",
        "argmap.export.networks:render_gexf",
    ),
    *(
        Exporter(f.name, f.description, f.extension, f.media_type, f"argmap.export.rdf:render_{f.name}", aliases=f.aliases)
        for f in RDF_FORMATS
    ),
    Exporter(
        "csv",
        "Two tables: claims.csv and relations.csv (a folder, or two files beside --out)",
        "csv",
        "text/csv",
        "argmap.export.tables:render_csv",
        multi_file=True,
        options=("excel",),
    ),
    Exporter(
        "apx",
        "The attack framework as ICCMA apx facts (arg/att), for argumentation solvers",
        "apx",
        "text/plain",
        "argmap.export.frameworks:render_apx",
    ),
    Exporter(
        "tgf",
        "The attack framework in trivial graph format (ICCMA tgf)",
        "tgf",
        "text/plain",
        "argmap.export.frameworks:render_tgf",
    ),
    Exporter(
        "iccma",
        "The attack framework in the ICCMA 2023 format (p af N), a comment naming each number",
        "af",
        "text/plain",
        "argmap.export.frameworks:render_iccma",
        aliases=("i23",),
    ),
    Exporter(
        "brief",
        "Printable debate brief: one HTML file with a print stylesheet",
        "html",
        "text/html",
        "argmap.export.brief:render_brief_html",
        aliases=("html",),
        options=BRIEF_OPTIONS,
    ),
    Exporter(
        "brief-md",
        "The debate brief as Markdown",
        "md",
        "text/markdown",
        "argmap.export.brief:render_brief_markdown",
        aliases=("markdown", "md"),
        options=BRIEF_OPTIONS,
    ),
)


def exporters() -> tuple[Exporter, ...]:
    """Every registered format, in the order they are listed."""
    return EXPORTERS


def format_names(*, aliases: bool = False) -> list[str]:
    """The format names, optionally followed by their aliases.

    >>> format_names()[-2:]
    ['brief', 'brief-md']
    """
    names = [e.name for e in EXPORTERS]
    if aliases:
        names += [a for e in EXPORTERS for a in e.aliases]
    return names


def get_exporter(name: str) -> Exporter:
    """The exporter registered under ``name`` or one of its aliases (case-insensitive).

    >>> get_exporter("nt").name
    'ntriples'
    >>> get_exporter("docx")
    Traceback (most recent call last):
    ...
    argmap.errors.ExportError: unknown export format 'docx' (expected one of: svg, png, pdf, dot, mermaid, argdown, aif, graphml, gexf, turtle, ntriples, jsonld, xml, trig, nquads, csv, apx, tgf, iccma, brief, brief-md)
    """
    key = name.strip().lower()
    for e in EXPORTERS:
        if key == e.name or key in e.aliases:
            return e
    raise ExportError(f"unknown export format '{name}' (expected one of: {', '.join(format_names())})")


def formats_markdown() -> str:
    """The list of formats as a Markdown table, as README.md and docs/export.md show it (a test keeps the two
    equal; regenerate with ``python -c "from argmap.export.registry import formats_markdown as f; print(f())"``).

    >>> formats_markdown().splitlines()[2]
    '| `svg` | text | `.svg` | Argument diagram as SVG, drawn by Graphviz (stance by shape, border and colour; a legend) |'
    """
    rows = ["| format | output | file | what it is |", "| --- | --- | --- | --- |"]
    for e in EXPORTERS:
        aliases = f" (also {', '.join(f'`{a}`' for a in e.aliases)})" if e.aliases else ""
        kind = {"text": "text", "binary": "binary", "files": "two files"}[e.kind]
        rows.append(f"| `{e.name}` | {kind} | `.{e.extension}` | {e.description}{aliases} |")
    return "\n".join(rows) + "\n"
