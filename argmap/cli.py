"""The `argmap` command. Only this module talks to the terminal and writes output files.

Exit codes: 0 ok; 1 the data or query is wrong (or the graph does not conform); 2 the command line is wrong.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import click

from argmap.errors import ArgmapError, CorpusErrors, SelectionError, UnknownAnalysis
from argmap.files import new_file_mode  # noqa: F401  (the mode of new files; tests use it from here)
from argmap.sources.model import STANCES

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


# ---------------------------------------------------------------- edges: errors, output, console


def fail_cleanly(fn: Callable) -> Callable:
    """Turn argmap's own errors into a message on stderr and an exit code; never a traceback."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except (SelectionError, UnknownAnalysis) as err:  # a name on the command line that names nothing
            raise click.UsageError(str(err)) from err
        except CorpusErrors as err:
            for e in err.errors:
                click.echo(f"error: {e}", err=True)
            if err.more:
                click.echo(f"... and {err.more} more error{'s' if err.more != 1 else ''}", err=True)
            n = len(err.errors) + err.more
            click.echo(f"{n} error{'s' if n != 1 else ''} in the corpus; nothing was written", err=True)
            sys.exit(err.exit_code)
        except ArgmapError as err:
            click.echo(f"error: {err}", err=True)
            sys.exit(err.exit_code)
        except BrokenPipeError:
            raise
        except OSError as err:  # a machine fault argmap did not foresee: one line, not a traceback
            where = f"{err.filename}: " if err.filename else ""
            reason = err.strerror or str(err)
            click.echo(f"error: {where}{reason[:1].lower()}{reason[1:]}", err=True)
            sys.exit(1)

    return wrapper


def write_output(data: str | bytes | Iterable[str | bytes], out: str | None) -> None:
    """Write to ``out`` whole or not at all (:func:`argmap.files.write_file`), or to stdout when ``out`` is
    None or ``-``.

    ``data`` may be a list or iterator of text or byte pieces, written one after another (a large output is
    then never held as one text and its encoding at once)."""
    from argmap.errors import WriteError
    from argmap.files import write_file

    if out is None or out == "-":
        try:
            if isinstance(data, list) and all(isinstance(p, str) for p in data):
                for i in range(0, len(data), 4096):  # joined a few thousand at a time
                    sys.stdout.write("".join(data[i : i + 4096]))
                sys.stdout.flush()
            elif not isinstance(data, (str, bytes)):
                sys.stdout.flush()
                for piece in data:
                    if isinstance(piece, str):
                        piece = piece.encode("utf-8")
                    sys.stdout.buffer.write(piece)
                sys.stdout.buffer.flush()
            elif isinstance(data, bytes):
                sys.stdout.buffer.write(data)
                sys.stdout.buffer.flush()
            else:
                click.echo(data, nl=not data.endswith("\n"))
        except BrokenPipeError:
            raise
        except OSError as err:
            raise WriteError("standard output", err) from err
        return
    path = Path(out)
    if path.is_dir():
        raise click.UsageError(f"--out {out} is a folder; give a file name")
    if not path.parent.exists():
        raise click.UsageError(f"--out {out}: folder {path.parent} does not exist")
    write_file(path, data)


def note(message: str) -> None:
    """A note on standard error (what argmap did on its own, e.g. rebuilt a damaged store)."""
    click.echo(f"note: {message}", err=True)


def console():
    from rich.console import Console

    return Console(soft_wrap=False)


def echo_json(value: Any) -> None:
    from argmap.perf import json_indented

    click.echo(json_indented(value))


corpus_option = click.option(
    "--corpus",
    "corpus_dir",
    type=click.Path(file_okay=False),
    default=None,
    help="Debate corpus folder (default: the OPC debate shipped with argmap).",
)


def load(corpus_dir: str | None):
    from argmap.sources import load_corpus

    return load_corpus(corpus_dir)


def debate(corpus_dir: str | None, **options: Any):
    """The :class:`argmap.Debate` of ``--corpus`` (a folder only: the CLI does not take shipped names)."""
    from argmap.api import Debate

    return Debate(load(corpus_dir), **options)


def print_table(title: str, columns: Sequence[str], rows: Sequence[Sequence[str]], *, lines: bool = False) -> None:
    """A table of text cells on the terminal, or, when the terminal is too narrow to show every word of
    it whole (an id folded a few letters a line), each row as a block: its first cell (the id) on a line of
    its own, then one ``name  value`` line per other cell, long values wrapped under themselves.
    ``--json`` gives the whole values."""
    import textwrap

    from rich.table import Table

    out = console()
    # the narrowest the table can be with no word broken: each column its longest word, plus the borders
    words = [
        max((len(w) for cell in (col, *(r[i] for r in rows)) for w in str(cell).split()), default=1)
        for i, col in enumerate(columns)
    ]
    if not rows or sum(words) + 3 * len(columns) + 1 <= out.width:
        table = Table(title=title, show_lines=lines)
        for col, least in zip(columns, words, strict=True):
            table.add_column(col, overflow="fold", min_width=least)
        for row in rows:
            table.add_row(*row)
        out.print(table)
        return
    names = columns[1:]
    pad = max(len(n) for n in names) + 4
    width = max(out.width - pad, 20)
    blocks = [title]
    for row in rows:
        block = ["", str(row[0])]
        for name, cell in zip(names, row[1:], strict=True):
            text = textwrap.wrap(str(cell), width, break_on_hyphens=False) or [""]
            block.append(f"  {name:<{pad - 2}}{text[0]}".rstrip())
            block += [" " * pad + t for t in text[1:]]
        blocks += block
    click.echo("\n".join(blocks))


# ---------------------------------------------------------------- the command group


@click.group(context_settings=CONTEXT)
@click.version_option(package_name="argmap", prog_name="argmap")
def main() -> None:
    """argmap: a knowledge graph of a public policy debate.

    Claims, the exact quotes they rest on, who said them and where become RDF; supports and attacks make
    an argument graph to analyse, query with SPARQL, map and export. Every command works on the OPC
    (overdose prevention centers) debate shipped with argmap unless --corpus names another.
    """


from argmap.graph.rdf import format_names as _rdf_format_names  # noqa: E402  (light: names only)

ANALYSIS_HELP = (
    "Include each claim's analysis results (grounded label and reason, strength, PageRank, betweenness, "
    "community; arg: terms) when argmap's analysis module is present."
)


@main.command(context_settings=CONTEXT)
@corpus_option
@click.option("--out", "-o", default=None, help="Write to this file (default: standard output).")
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(_rdf_format_names(aliases=True), case_sensitive=False),
    default="turtle",
    show_default=True,
    help="RDF serialisation (the same names, and the same bytes, as `argmap export`).",
)
@click.option("--analysis/--no-analysis", default=True, show_default=True, help=ANALYSIS_HELP)
@click.option("--with-analysis", "legacy_analysis", is_flag=True, hidden=True, help="Older spelling of --analysis.")
@fail_cleanly
def build(corpus_dir: str | None, out: str | None, fmt: str, analysis: bool, legacy_analysis: bool) -> None:
    """Build the debate's RDF graph.

    TriG and N-Quads hold the debate in one named graph, named by the debate's base IRI.

    Example: argmap build --format turtle --out opc.ttl
    """
    from argmap.graph.rdf import rdf_format, serialized_pieces
    from argmap.perf import freeze_loaded, paused_gc

    with paused_gc():
        d = debate(corpus_dir)
        freeze_loaded()  # the corpus lives to the end: no collection walks it again
    metrics = d.metrics if analysis or legacy_analysis else None
    with paused_gc():  # nor the rows of triples (millions of tuples) while they are written: none is cyclic
        # what Debate.export(fmt) gives, as pieces written as they are made (never the whole text twice)
        write_output(serialized_pieces(d.corpus, rdf_format(fmt), metrics=metrics), out)
    if out:
        click.echo(f"wrote {out}", err=True)


@main.command(context_settings=CONTEXT)
@corpus_option
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@fail_cleanly
def validate(corpus_dir: str | None, as_json: bool) -> None:
    """Check a corpus: its files, ids, references and quotes, then the graph against the SHACL shapes.

    Exit code 0 when everything conforms, 1 otherwise.

    Example: argmap validate --corpus my-debate/
    """
    from argmap.graph.validate import Violation
    from argmap.perf import freeze_loaded, paused_gc

    with paused_gc():  # the corpus lives to the end, and the rows streamed to the engine are not cyclic
        d = debate(corpus_dir)
        freeze_loaded()  # no collection walks the corpus again
        summary = d.validate()
    corpus, drafts, shacl = d.corpus, summary["drafts"], summary["shacl"]
    if as_json:
        echo_json(summary)
    else:
        click.echo(
            f"corpus {corpus.root}: {summary['claims']} claims, {summary['relations']} relations, "
            f"{summary['sources']} sources, {summary['topics']} topics, {summary['speakers']} speakers"
        )
        click.echo(f"corpus checks: ok ({summary['quotes_verified']} quotes found in their sources)")
        for rel in drafts:
            click.echo(
                f"draft: {rel} is awaiting review, not loaded "
                f"(argmap draft --corpus {corpus.root} --accept {os.path.join(corpus.root, rel)})"
            )
        if shacl["conforms"]:
            click.echo(f"SHACL shapes: ok ({summary['triples']} triples conform)")
        else:
            click.echo(f"SHACL shapes: {len(shacl['violations'])} violation(s)")
            for v in shacl["violations"]:
                click.echo(f"  {shacl_line(Violation(**v), corpus.base)}")
    if not shacl["conforms"]:
        sys.exit(1)


def shacl_line(v, base: str) -> str:
    """One SHACL result as a line: where in the corpus, which node and path, what is wrong.

    >>> from argmap.graph.validate import Violation
    >>> shacl_line(Violation("https://e.org/d/claim/c1", "https://w3id.org/argmap/ns#stance", "a claim has exactly one stance: pro, con or neutral", "Violation", "MinCountConstraintComponent", "claims/a.yaml:3"), "https://e.org/d/")
    'claims/a.yaml:3: claim/c1 arg:stance: a claim has exactly one stance: pro, con or neutral (Violation, MinCountConstraintComponent)'
    """
    import re

    from argmap.graph.vocab import PREFIXES

    spaces = sorted(PREFIXES.items(), key=lambda x: -len(x[1]))

    def short(iri: str) -> str:
        for prefix, ns in spaces:
            if iri.startswith(ns):
                return f"{prefix}:{iri[len(ns) :]}"
        return f"<{iri}>"

    node = v.focus[len(base) :] if v.focus.startswith(base) and v.focus != base else v.focus
    path = re.sub(r"<([^>]*)>", lambda m: short(m.group(1)), v.path) if "<" in v.path else (short(v.path) if v.path else "")
    where = v.where or "(no corpus record)"
    return f"{where}: {node}{' ' + path if path else ''}: {v.message} ({v.severity}, {v.component})"


def selection_options(fn: Callable) -> Callable:
    for opt in reversed(
        [
            click.option("--topic", "topics", multiple=True, help="Only claims with this topic id (repeatable)."),
            click.option("--stance", type=click.Choice(list(STANCES)), help="Only claims of this stance."),
            click.option("--source", help="Only claims quoted from this source id."),
            click.option("--speaker", help="Only claims whose speaker's name, id or role contains this text."),
        ]
    ):
        fn = opt(fn)
    return fn


@main.command(context_settings=CONTEXT)
@corpus_option
@selection_options
@click.option(
    "--search",
    "-s",
    default=None,
    metavar="TEXT",
    help="Only claims whose text, quote or id holds every word of TEXT (as the map's search).",
)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array of claim objects.")
@fail_cleanly
def claims(corpus_dir, topics, stance, source, speaker, search, as_json) -> None:
    """List claims, with their stance, topics, speaker, source and exact quote.

    Example: argmap claims --stance con --topic crime

    Example: argmap claims --search "property values"
    """
    rows = debate(corpus_dir).select(topic=topics, stance=stance, source=source, speaker=speaker, search=search).records("claims")
    if as_json:
        echo_json(rows)
        return
    cells = [(r["id"], r["stance"], r["text"], r["speaker"], r["source"], f"“{r['quote']}”") for r in rows]
    print_table(f"{len(rows)} claim(s)", ("id", "stance", "claim", "speaker", "source", "quote"), cells, lines=True)


@main.command(context_settings=CONTEXT)
@corpus_option
@click.option(
    "--type",
    "types",
    multiple=True,
    type=click.Choice(["supports", "attacks", "undercuts"]),
    help="Only relations of this type (repeatable).",
)
@click.option("--from", "from_claim", default=None, metavar="CLAIM", help="Only relations from this claim id.")
@click.option(
    "--to", "to_claim", default=None, metavar="ID", help="Only relations to this claim id (or, for undercuts, relation id)."
)
@click.option("--topic", default=None, help="Only relations with an end about this topic id.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array of relation objects.")
@fail_cleanly
def relations(corpus_dir, types, from_claim, to_claim, topic, as_json) -> None:
    """List the support, attack and undercut relations between claims.

    Example: argmap relations --type attacks --topic crime

    Example: argmap relations --to chalfin-no-change-crime-disorder --json
    """
    d = debate(corpus_dir)
    rows = d.records("relations", d.find_relations(type=types, source=from_claim, target=to_claim, topic=topic))
    if as_json:
        echo_json(rows)
        return
    cells = [(r["from"], r["type"], r["to"], r["rationale"]) for r in rows]
    print_table(f"{len(rows)} relation(s)", ("from", "type", "to", "rationale"), cells)


@main.command(context_settings=CONTEXT)
@corpus_option
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array of source objects.")
@fail_cleanly
def sources(corpus_dir, as_json) -> None:
    """List the source documents with their kind, date and number of claims.

    Example: argmap sources
    """
    rows = debate(corpus_dir).records("sources")
    if as_json:
        echo_json(rows)
        return
    cells = [(r["id"], r["kind"], r["date"] or "", r["title"], r["publisher"] or "", str(r["claims"])) for r in rows]
    print_table(f"{len(rows)} source(s)", ("id", "kind", "date", "title", "publisher", "claims"), cells)


@main.command(context_settings=CONTEXT)
@corpus_option
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array of topic objects.")
@fail_cleanly
def topics(corpus_dir, as_json) -> None:
    """List the topics with their labels, broader topic and number of claims per side.

    Example: argmap topics
    """
    rows = debate(corpus_dir).records("topics")
    if as_json:
        echo_json(rows)
        return
    cells = [
        (r["id"], r["label"], r["broader"] or "", str(r["claims"]), *(str(r["claims_by_stance"][s]) for s in STANCES))
        for r in rows
    ]
    print_table(f"{len(rows)} topic(s)", ("id", "label", "broader", "claims", *STANCES), cells)


@main.command(context_settings=CONTEXT)
@corpus_option
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array of speaker objects.")
@fail_cleanly
def speakers(corpus_dir, as_json) -> None:
    """List the speakers (people, organisations, groups) with their role and number of claims.

    Example: argmap speakers --json
    """
    rows = debate(corpus_dir).records("speakers")
    if as_json:
        echo_json(rows)
        return
    cells = [(r["id"], r["name"], r["type"], r["role"] or "", str(r["claims"])) for r in rows]
    print_table(f"{len(rows)} speaker(s)", ("id", "name", "type", "role", "claims"), cells)


# ---------------------------------------------------------------- analysis


def _analysis_config(path: str | None) -> dict | None:
    """The --config file: YAML (or JSON) mapping analysis names to their options."""
    if path is None:
        return None
    import yaml

    from argmap.errors import AnalysisError
    from argmap.graph.analysis import check_config

    try:
        with open(path, encoding="utf-8") as fh:
            data = yaml.safe_load(fh)
        return check_config(data or {})
    except yaml.YAMLError as err:
        raise click.BadParameter(f"{path} is not valid YAML: {err}", param_hint="--config") from err
    except AnalysisError as err:
        raise click.BadParameter(f"{path}: {err}", param_hint="--config") from err


@main.command(context_settings=CONTEXT)
@corpus_option
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object whose keys are the analysis names.")
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, exists=True),
    default=None,
    help="YAML file of options per analysis, e.g. 'strength: {base: 0.5, by_kind: {statistic: 0.7}}'.",
)
@click.option(
    "--preferences",
    type=click.Choice(["evidence", "none"]),
    default="evidence",
    show_default=True,
    help="evidence: an attack defeats only a claim of no higher evidence level, base scores follow the levels; "
    "none: plain Dung (every attack defeats), every base score 0.5.",
)
@click.option(
    "--framework",
    "framework_file",
    type=click.Path(dir_okay=False, exists=True),
    default=None,
    help="Analyse an abstract framework file instead of a debate (ICCMA .apx, .tgf or 'p af N'); "
    "NAMEs: grounded, complete, preferred, stable.",
)
@click.argument("names", nargs=-1, metavar="[NAME]...")
@fail_cleanly
def analyze(
    corpus_dir: str | None,
    as_json: bool,
    config_file: str | None,
    preferences: str,
    framework_file: str | None,
    names: tuple[str, ...],
) -> None:
    """Analyse the argument graph (all analyses, or the NAMEs given).

    \b
    centrality     PageRank and betweenness; the most central claims per side
    contested      claims with the most attacks in and out
    unanswered     per side and topic, the claims nothing attacks
    balance        per topic, pro, con and neutral claims and their sources
    corroboration  claims backed by several sources; claims resting on one alone
    evidence       every claim's evidence level, from its source's design or kind
    grounded       in / out / undecided for every claim (Dung 1995), with a reason
    preferred      the preferred extensions, searched cycle by cycle
    strength       gradual strength on supports and attacks (DF-QuAD)
    communities    clusters of claims, labelled by their dominant topics
    unconnected    claims related to nothing, with the corpus's reason (standalone)

    By default an attack defeats only a claim of no higher evidence level (--preferences none: plain Dung).

    Example: argmap analyze grounded unanswered --json

    Example: argmap analyze --framework af.apx preferred stable --json
    """
    if framework_file is not None:
        from click.core import ParameterSource

        ctx = click.get_current_context()
        given = [
            f"--{param}"
            for param, key in (("corpus", "corpus_dir"), ("config", "config_file"), ("preferences", "preferences"))
            if ctx.get_parameter_source(key) is ParameterSource.COMMANDLINE
        ]
        if given:
            raise click.UsageError(
                f"--framework cannot be combined with {', '.join(given)}: an abstract framework has no corpus, "
                "no analysis options and no evidence levels (allowed with --framework: --json and the NAMEs "
                "grounded, complete, preferred, stable)"
            )
        _analyze_framework(framework_file, names, as_json)
        return
    from argmap.perf import freeze_loaded

    d = debate(corpus_dir, config=_analysis_config(config_file), preferences=preferences)
    P = d.projection
    freeze_loaded()  # the corpus and its projection live to the end: no collection walks them again
    results = d.analyze(*names)
    if as_json:
        echo_json(results)
        return
    from argmap.graph.analysis.tables import tables

    out = console()
    for name, result in results.items():
        for renderable in tables(name, result, P):
            out.print(renderable)
        out.print()


def _analyze_framework(path: str, names: tuple[str, ...], as_json: bool) -> None:
    """``argmap analyze --framework FILE``: the Dung semantics of an abstract framework file."""
    from argmap.graph.analysis.frameworks import SEMANTICS, read_framework, solve

    unknown = [n for n in names if n not in SEMANTICS]
    if unknown:
        raise click.UsageError(f"unknown semantics '{unknown[0]}' for --framework (expected one of: {', '.join(SEMANTICS)})")
    with open(path, "rb") as fh:
        data = fh.read()
    fw = read_framework(data, name=path)
    chosen = list(dict.fromkeys(names)) or list(SEMANTICS)
    results = {name: solve(fw, name) for name in chosen}
    if as_json:
        echo_json(results)
        return
    from argmap.graph.analysis.tables import framework_tables

    out = console()
    for name, result in results.items():
        for renderable in framework_tables(name, result):
            out.print(renderable)
        out.print()


# ---------------------------------------------------------------- exports

from argmap.export.registry import exporters as _exporters  # noqa: E402  (light: names and dotted paths only)
from argmap.export.registry import format_names as _format_names  # noqa: E402


def _export_help() -> str:
    lines = [
        "Export the debate, or the part the selection options choose, in FORMAT.",
        "",
        "Text formats go to standard output unless --out names a file. Binary formats (png, pdf) need --out "
        "or a pipe: they are never written to a terminal. csv writes two tables, claims.csv and relations.csv: "
        "--out DIR writes them into a folder (made if missing), --out NAME.csv writes NAME-claims.csv and "
        "NAME-relations.csv beside it. Every file is written whole or not at all.",
        "",
        "The analysis results (grounded label, strength, centrality), computed on the whole debate, are "
        "included when argmap's analysis module is present; --no-analysis leaves them out. The RDF formats "
        "are those of `argmap build`, with the same names and, for the whole debate, the same bytes.",
        "",
        "\b",
        "Formats (see also --list):",
    ]
    for e in _exporters():
        lines.append(f"  {e.name:<9} {e.description}")
    lines += [
        "",
        "Example: argmap export svg --topic crime --out crime.svg",
        "",
        "Example: argmap export brief --stance con --out objections.html",
        "",
        "Example: argmap export png --topic crime --stance con --widen 1 --out crime.png",
        "",
        "Example: argmap export png --slide --topic crime --stance con --widen 1 --out crime-slide.png",
        "",
        "Example: argmap export brief --summary --out glance.html",
    ]
    return "\n".join(lines)


def stdout_is_terminal() -> bool:
    """Whether standard output is a terminal (binary formats are not written to one)."""
    return sys.stdout.isatty()


def write_files(files: dict[str, str | bytes], out: str) -> list[str]:
    """Write several files at once: into folder ``out``, or beside ``out`` when it ends in ``.csv``
    (``NAME-claims.csv``). Every file is written to a temporary file first and only then are all renamed
    into place (a new folder appears whole), so an error leaves nothing half-written. Returns the paths
    written."""
    from argmap import files as writer

    path = Path(out)
    if out == "-":
        raise click.UsageError("this format writes several files; give --out FOLDER or --out NAME.csv")
    if path.suffix.lower() == ".csv":
        folder = path.parent
        targets = {name: folder / f"{path.stem}-{name}" for name in files}
        make_folder = False
    else:
        if path.exists() and not path.is_dir():
            raise click.UsageError(f"--out {out} is a file; give a folder, or a name ending in .csv")
        folder = path
        targets = {name: folder / name for name in files}
        make_folder = not path.exists()
    parent = folder.parent if make_folder else folder
    if not parent.exists():
        raise click.UsageError(f"--out {out}: folder {parent} does not exist")
    if make_folder:
        writer.write_tree(files, folder)  # the whole folder appears at once
    else:
        writer.write_files({targets[name]: data for name, data in files.items()})
    return [str(targets[name]) for name in files]


@main.command("export", context_settings=CONTEXT, help=_export_help())
@click.argument("fmt", metavar="FORMAT", required=False, type=click.Choice(_format_names(aliases=True), case_sensitive=False))
@corpus_option
@click.option("--out", "-o", default=None, help="Write to this file (csv: a folder, or NAME.csv).")
@click.option(
    "--format",
    "-f",
    "fmt_option",
    type=click.Choice(_format_names(aliases=True), case_sensitive=False),
    default=None,
    metavar="FORMAT",
    help="The format, as an option instead of FORMAT (e.g. --format brief-md).",
)
@selection_options
@click.option("--around", default=None, help="Only claims within --depth support/attack steps of this claim id.")
@click.option("--depth", type=click.IntRange(min=0), default=1, show_default=True, help="Steps for --around.")
@click.option(
    "--widen",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Also keep the claims within this many support/attack steps of the selected ones (their answers).",
)
@click.option(
    "--analysis/--no-analysis",
    default=None,
    help="Include analysis results when available (default: yes, except on slides).",
)
@click.option("--title", default=None, help="The title (default: what the selection shows, e.g. 'Crime: the objections').")
@click.option(
    "--slide", is_flag=True, help="Diagrams (svg, png, pdf, dot, mermaid): one slide, short claim titles in large type."
)
@click.option(
    "--aspect", type=click.Choice(["16:9", "4:3"]), default=None, help="The slide's shape with --slide [default: 16:9]."
)
@click.option(
    "--layout",
    type=click.Choice(["dot", "sfdp", "neato", "auto"]),
    default=None,
    help="Graphviz layout engine for svg, png, pdf, dot [default: auto: dot, or sfdp above 400 claims].",
)
@click.option("--summary", is_flag=True, help="brief, brief-md: only the first part, 'at a glance' (one or two A4 pages).")
@click.option("--excel", is_flag=True, help="csv: start each file with a byte order mark, so Excel reads it as UTF-8.")
@click.option("--list", "list_formats", is_flag=True, help="List the formats with their descriptions and exit.")
@fail_cleanly
def export(
    fmt,
    corpus_dir,
    out,
    fmt_option,
    topics,
    stance,
    source,
    speaker,
    around,
    depth,
    widen,
    analysis,
    title,
    slide,
    aspect,
    layout,
    summary,
    excel,
    list_formats,
) -> None:
    from argmap.export.registry import get_exporter

    if list_formats:
        for e in _exporters():
            aliases = f" (also: {', '.join(e.aliases)})" if e.aliases else ""
            click.echo(f"{e.name:<9} {e.kind:<6} .{e.extension:<8} {e.description}{aliases}")
        return
    if fmt and fmt_option and get_exporter(fmt).name != get_exporter(fmt_option).name:
        raise click.UsageError(f"two formats given: {fmt} and --format {fmt_option}; give one")
    name = fmt or fmt_option
    if not name:
        raise click.UsageError("give a FORMAT (see `argmap export --list`)")
    exporter = get_exporter(name)
    if exporter.binary and out in (None, "-") and stdout_is_terminal():
        raise click.UsageError(
            f"{exporter.name} is a binary format and is not written to a terminal; "
            f"give --out FILE.{exporter.extension} or pipe the output"
        )
    if exporter.multi_file and out is None:
        raise click.UsageError(f"{exporter.name} writes several files; give --out FOLDER or --out NAME.{exporter.extension}")

    if aspect is not None and not slide:
        raise click.UsageError("--aspect sets the shape of a slide: give it with --slide")
    given = {"slide": slide or None, "aspect": aspect if slide else None, "layout": layout, "summary": summary or None}
    given["excel"] = excel or None
    options = {k: v for k, v in given.items() if v is not None}
    for key in options:
        if key not in exporter.options:
            takers = [e.name for e in _exporters() if key in e.options]
            raise click.UsageError(f"--{key} works with {', '.join(takers)}, not with {exporter.name}")

    if title is not None and "title" not in exporter.options:
        takers = [e.name for e in _exporters() if "title" in e.options]
        raise click.UsageError(f"--title works with {', '.join(takers)}, not with {exporter.name}")
    chosen = debate(corpus_dir).select(topic=topics, stance=stance, source=source, speaker=speaker, around=around, depth=depth)
    part = chosen.widen(widen)
    data = part.export(exporter.name, analysis=analysis, title=title, **options)
    if exporter.multi_file:
        for path in write_files(data, out):
            click.echo(f"wrote {path}", err=True)
        return
    if exporter.name == "mermaid":
        from argmap.export.mermaid import size_warning

        warning = size_warning(data)
        if warning:
            click.echo(f"warning: {warning}", err=True)
    write_output(data, out)
    if out and out != "-":
        click.echo(f"wrote {out} ({len(part.claims)} claims, {len(part.relations)} relations)", err=True)


# ---------------------------------------------------------------- the interactive map


@main.command("map", context_settings=CONTEXT)
@corpus_option
@click.option(
    "--out",
    "-o",
    default=None,
    help="Write the map to this file ('-': standard output). Default: <debate id>.html in the current folder.",
)
@click.option("--title", default=None, help="Page title (default: the debate's title).")
@click.option(
    "--analysis/--no-analysis",
    default=True,
    show_default=True,
    help="Show the analysis results (grounded label, strength, centrality).",
)
@click.option(
    "--physics/--no-physics",
    default=None,
    help="Let vis-network's physics move the nodes (default: only for debates of up to 60 claims; the layout is computed either way).",
)
@click.option("--open", "open_browser", is_flag=True, help="Open the map in the default web browser when written.")
@fail_cleanly
def map_command(corpus_dir, out, title, analysis, physics, open_browser) -> None:
    """Write the interactive argument map: one HTML file that works offline in any browser.

    Claims are nodes (stance by colour, border and shape), supports and attacks are edges; click a claim to
    read its exact quote, speaker, source and analysis in the side panel. Filters, search (press /), a focus
    mode and the view in the address (e.g. map.html#stance=con&topic=crime) make it easy to share a view.
    The file needs no network: every script and style is inside it.

    Example: argmap map --out opc.html

    Example: argmap map --corpus my-debate/ --no-analysis
    """
    from argmap.export.htmlmap import map_filename

    d = debate(corpus_dir)
    corpus = d.corpus
    target = out or map_filename(corpus)
    write_output(str(d.map(title=title, analysis=analysis, physics=physics)), target)
    if target == "-":
        return
    click.echo(f"wrote {target} ({len(corpus.claims)} claims, {len(corpus.relations)} relations)", err=True)
    click.echo(str(Path(target).resolve()))
    if open_browser:
        import webbrowser

        webbrowser.open(Path(target).resolve().as_uri())


# ---------------------------------------------------------------- SPARQL: query, serve, push


def auth_options(fn: Callable) -> Callable:
    """--user and --token, for a server that wants a login (push, query --endpoint)."""
    fn = click.option("--token", default=None, help="Bearer token, e.g. QLever's access token (or ARGMAP_ENDPOINT_TOKEN).")(fn)
    return click.option(
        "--user", default=None, metavar="USER[:PASSWORD]", help="HTTP Basic or Digest credentials (or ARGMAP_ENDPOINT_USER)."
    )(fn)


def endpoint_auth(user: str | None, token: str | None):
    """The login for a remote server from the options or, failing them, the environment; None without one."""
    from argmap.graph.remote import Auth

    user = user or os.environ.get("ARGMAP_ENDPOINT_USER")
    token = token or os.environ.get("ARGMAP_ENDPOINT_TOKEN")
    if not (user or token):
        return None
    name, _, password = (user or "").partition(":")
    return Auth(user=name if user else None, password=password or None, token=token)


store_option = click.option(
    "--store",
    "store_dir",
    type=click.Path(file_okay=False),
    default=None,
    help="A persistent Oxigraph store folder: built from the corpus the first time (and again when the corpus "
    "changes), reused after. Default: an in-memory store.",
)
analysis_option = click.option(
    "--analysis/--no-analysis",
    default=True,
    show_default=True,
    help="Include each claim's analysis results (arg:groundedLabel, arg:strength, ...) in the graph.",
)


def open_persistent(store_dir: str, corpus_dir: str | None, *, with_analysis: bool):
    """The persistent store of ``--store`` (built or rebuilt when needed, which is said) and what it was built
    from: (store, :class:`argmap.graph.store.StoreInfo`)."""
    from argmap.graph import store as stores

    store, info, built = stores.persistent_store(store_dir, corpus_dir, with_analysis=with_analysis, notify=note)
    if built:
        click.echo(f"built store {store_dir} ({info.triples} triples from {info.corpus})", err=True)
    return store, info


def _query_text(query: str | None, query_file: str | None, named: str | None, params: tuple[str, ...]) -> str:
    from argmap.errors import QueryError
    from argmap.graph.sparql import bind_params, named_query, parse_param_options

    given = [n for n, v in (("QUERY", query), ("--file", query_file), ("--named", named)) if v is not None]
    if len(given) != 1:
        raise click.UsageError(
            "give one query: QUERY, --file FILE or --named NAME" if not given else f"give one query, not {' and '.join(given)}"
        )
    if params and named is None:
        raise click.UsageError("--param binds the parameters of a named query; use it with --named")
    if named is not None:
        try:
            return bind_params(named_query(named), parse_param_options(params))
        except QueryError as err:
            raise click.BadParameter(str(err), param_hint="--named/--param") from err
    if query_file is not None:
        try:
            return Path(query_file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            raise click.BadParameter(f"cannot read {query_file}: {err}", param_hint="--file") from err
    assert query is not None  # exactly one of the three was given
    return query


def _warn_unknown_params(params: tuple[str, ...], ask: Callable) -> None:
    """Warn about a named query's parameter values that name no topic, speaker or source in the graph."""
    from argmap.graph.sparql import KNOWN_VALUES, param_warnings, parse_param_options

    given = parse_param_options(params)
    known = {name: [r["id"] for r in ask(q, None).records()] for name, q in KNOWN_VALUES.items() if name in given}
    for warning in param_warnings(given, known):
        click.echo(f"warning: {warning}", err=True)


@main.command(context_settings=CONTEXT)
@click.argument("query", required=False, metavar="[QUERY]")
@corpus_option
@store_option
@click.option("--endpoint", default=None, metavar="URL", help="Run the query on this SPARQL 1.1 endpoint instead.")
@click.option(
    "--graph",
    "graph_iri",
    default=None,
    metavar="IRI",
    help="With --endpoint: query this named graph as the default graph (default-graph-uri), e.g. where push --graph put the debate.",
)
@click.option(
    "--file",
    "-F",
    "query_file",
    type=click.Path(dir_okay=False, exists=True),
    default=None,
    help="Read the query from this file.",
)
@click.option("--named", "-n", default=None, metavar="NAME", help="Run a named query (see --list).")
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE", help="Bind a named query's parameter (repeatable).")
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(["table", "csv", "tsv", "json", "xml", "turtle", "nt", "rdfxml", "jsonld", "nquads", "trig"]),
    default=None,
    help="Output format. Default: table for SELECT and ASK, turtle for CONSTRUCT and DESCRIBE (also nt, rdfxml, jsonld, nquads, trig).",
)
@click.option("--out", "-o", default=None, help="Write to this file (default: standard output).")
@click.option("--max-rows", type=click.IntRange(min=0), default=None, help="Keep at most this many rows.")
@click.option(
    "--timeout", type=click.FloatRange(min=0.1), default=60.0, show_default=True, help="Seconds to wait for --endpoint."
)
@analysis_option
@click.option(
    "--list", "list_named", is_flag=True, help="List the named queries, one a line, with their descriptions and parameters."
)
@auth_options
@fail_cleanly
def query(
    query,
    corpus_dir,
    store_dir,
    endpoint,
    graph_iri,
    query_file,
    named,
    params,
    fmt,
    out,
    max_rows,
    timeout,
    analysis,
    list_named,
    user,
    token,
) -> None:
    """Run a SPARQL query (SELECT, ASK, CONSTRUCT, DESCRIBE) on the debate graph.

    The query runs on an Oxigraph store holding the graph and the analysis results (in memory, or the
    persistent --store), or on a SPARQL server (--endpoint). Prefixes arg:, aif:, schema:, oa:, prov:,
    skos:, dcterms:, foaf:, rdf:, rdfs: and xsd: need no declaration. Updates, LOAD and SERVICE are refused.
    json is the W3C SPARQL 1.1 Query Results JSON format; a named query's parameters are bound with
    --param name=value. Details: docs/sparql.md.

    Example: argmap query "SELECT ?c WHERE { ?c arg:stance arg:Con }" --format csv

    Example: argmap query --named evidence-per-side --param topic=crime

    Example: argmap query --named claims-by-topic -p topic=crime -p stance=con --endpoint http://127.0.0.1:7878/query
    """
    from argmap.graph.sparql import named_queries, result_table, serialize_result

    if list_named:
        for name, nq in named_queries().items():  # one a line
            params = f"  [--param {', '.join(f'{p.name}=' for p in nq.params)}]" if nq.params else ""
            click.echo(f"{name:<24} {nq.description}{params}")
        return
    if endpoint is not None and (corpus_dir is not None or store_dir is not None):
        raise click.UsageError("--endpoint runs the query on a server; do not give --corpus or --store with it")
    if endpoint is None and (user or token or graph_iri):
        raise click.UsageError("--user, --token and --graph are for a server: give --endpoint URL with them")
    if graph_iri is not None:
        from argmap.errors import QueryError
        from argmap.graph.sparql import check_iri

        try:
            check_iri(graph_iri, what="--graph")
        except QueryError as err:
            raise click.BadParameter(str(err), param_hint="--graph") from err
    text = _query_text(query, query_file, named, params)
    from argmap.graph.sparql import unknown_terms

    for warning in unknown_terms(text):
        click.echo(f"warning: {warning}", err=True)
    if endpoint is not None:
        from argmap.graph.remote import remote_query

        def ask(q: str, limit: int | None = max_rows):
            return remote_query(
                endpoint, q, timeout=timeout, max_rows=limit, auth=endpoint_auth(user, token), default_graph=graph_iri
            )
    else:
        from argmap.graph.sparql import check_read_only, run_query

        check_read_only(text)  # refuse an update before building a store
        if store_dir is not None:
            store = open_persistent(store_dir, corpus_dir, with_analysis=analysis)[0]
        else:
            store = debate(corpus_dir)._store(analysis=analysis)

        def ask(q: str, limit: int | None = max_rows):
            return run_query(store, q, max_rows=limit)

    result = ask(text)
    if named is not None and params:
        _warn_unknown_params(params, ask)
    name = fmt or ("turtle" if result.kind == "graph" else "table")
    if name == "table" and result.kind != "graph":
        if out is not None:
            raise click.UsageError("--format table is for the terminal; give --format csv, tsv, json or xml with --out")
        console().print(result_table(result, title=named))
    elif name == "table":
        write_output(serialize_result(result, "turtle"), out)
    else:
        write_output(serialize_result(result, name), out)
    if result.truncated:
        click.echo(f"note: cut at {max_rows} rows (--max-rows)", err=True)
    if out and out != "-":
        click.echo(f"wrote {out}", err=True)


@main.command(context_settings=CONTEXT)
@corpus_option
@store_option
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Address to listen on (loopback only unless you say otherwise)."
)
@click.option("--port", type=click.IntRange(min=0, max=65535), default=8000, show_default=True, help="Port (0: a free one).")
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1),
    default=10.0,
    show_default=True,
    help="Seconds a query may run before it is stopped.",
)
@click.option("--max-rows", type=click.IntRange(min=1), default=10_000, show_default=True, help="Rows an answer holds at most.")
@click.option("--workers", type=click.IntRange(min=1, max=64), default=2, show_default=True, help="Query worker processes.")
@click.option(
    "--cors",
    default=None,
    metavar="ORIGIN|*",
    help="Let web pages from this origin (e.g. https://yasgui.org, or * for any) query the endpoint. Default: no CORS.",
)
@click.option(
    "--allow-host",
    "allow_hosts",
    multiple=True,
    metavar="NAME",
    help="Also answer requests whose Host header is NAME (repeatable); loopback names and --host always.",
)
@click.option(
    "--read-timeout",
    type=click.FloatRange(min=0.1),
    default=10.0,
    show_default=True,
    help="Seconds a client has to send its request (then 408).",
)
@click.option(
    "--max-connections", type=click.IntRange(min=1), default=64, show_default=True, help="Open connections at most (more: 503)."
)
@analysis_option
@click.option("--verbose", "-v", is_flag=True, help="Log every request on standard error.")
@fail_cleanly
def serve(
    corpus_dir,
    store_dir,
    host,
    port,
    timeout,
    max_rows,
    workers,
    cors,
    allow_hosts,
    read_timeout,
    max_connections,
    analysis,
    verbose,
) -> None:
    """Serve the debate graph: a read-only SPARQL 1.1 endpoint at /sparql, the map at / and a query page at /query.

    GET /sparql?query=..., POST url-encoded (query=...) or POST application/sparql-query; results as SPARQL
    JSON, XML, CSV or TSV (Turtle, N-Triples, RDF/XML, JSON-LD, N-Quads or TriG for CONSTRUCT and DESCRIBE)
    by the Accept header; GET /sparql alone gives the service description. The debate is the named graph
    of its base IRI; the default graph is the union of the graphs. Updates, LOAD and SERVICE are refused
    (403); a malformed query gets 400; a query past --timeout (time waiting for a worker included) is
    stopped (503); answers are cut at --max-rows. Details: docs/sparql.md.

    Example: argmap serve --port 8000

    Example: curl -H 'Accept: text/csv' 'http://127.0.0.1:8000/sparql?query=SELECT%20*%20%7B%3Fs%20%3Fp%20%3Fo%7D%20LIMIT%205'
    """
    import ipaddress
    import socket

    from argmap.graph import store as stores
    from argmap.server import make_server

    if store_dir is not None:
        info = open_persistent(store_dir, corpus_dir, with_analysis=analysis)[1]  # the workers open it read-only
        source = ("dir", store_dir)
        corpus_for_map = corpus_dir or info.corpus
    else:
        corpus = load(corpus_dir)
        source = ("nt", (stores.debate_ntriples(corpus, with_analysis=analysis), corpus.base))
        corpus_for_map = corpus_dir
    try:
        server = make_server(
            source,
            corpus_dir=corpus_for_map,
            host=host,
            port=port,
            timeout=timeout,
            max_rows=max_rows,
            workers=workers,
            with_analysis=analysis,
            verbose=verbose,
            read_timeout=read_timeout,
            max_connections=max_connections,
            cors=cors,
            allow_hosts=allow_hosts,
        )
    except OSError as err:
        raise click.UsageError(f"cannot listen on {host}:{port}: {err.strerror or err}") from err
    try:
        loopback = ipaddress.ip_address(socket.gethostbyname(host)).is_loopback
    except (OSError, ValueError):
        loopback = False
    if not loopback:
        click.echo(f"warning: listening on {host}, reachable from other machines", err=True)
    bound_host, bound_port = server.server_address[:2]
    click.echo(f"serving http://{bound_host}:{bound_port}/  (SPARQL endpoint /sparql, query page /query); Ctrl-C stops", err=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        server.pool.close()


@main.command(context_settings=CONTEXT)
@corpus_option
@click.option(
    "--endpoint",
    required=True,
    metavar="URL",
    help="The server's Graph Store Protocol address (with --update: its update address).",
)
@click.option(
    "--graph", "graph_iri", default=None, metavar="IRI", help="Load into this named graph (default: the default graph)."
)
@click.option("--append", is_flag=True, help="Add to the graph (POST) instead of replacing it (PUT).")
@click.option(
    "--update", "use_update", is_flag=True, help="Use SPARQL Update INSERT DATA in batches instead of the Graph Store Protocol."
)
@click.option(
    "--batch", type=click.IntRange(min=1), default=1000, show_default=True, help="Triples per INSERT DATA request (--update)."
)
@auth_options
@click.option(
    "--timeout", type=click.FloatRange(min=0.1), default=300.0, show_default=True, help="Seconds to wait for the server."
)
@analysis_option
@fail_cleanly
def push(corpus_dir, endpoint, graph_iri, append, use_update, batch, user, token, timeout, analysis) -> None:
    """Load the debate graph into an existing SPARQL server (Oxigraph, Fuseki, GraphDB, Virtuoso, QLever, ...).

    Sends the graph (with the analysis results unless --no-analysis) as N-Triples by the SPARQL 1.1 Graph
    Store HTTP Protocol: PUT replaces the graph, --append POSTs. --update sends SPARQL Update INSERT DATA
    in batches into a temporary graph, then MOVEs (or, with --append, ADDs) it over the graph in one
    request, so a failed push leaves the graph as it was. Then `argmap query --endpoint QUERY-URL` runs queries there. The addresses of
    common servers are in docs/sparql.md.

    Example: argmap push --endpoint http://127.0.0.1:7878/store

    Example: argmap push --endpoint http://localhost:3030/ds/data --graph https://w3id.org/argmap/debate/opc/
    """
    from argmap.errors import QueryError
    from argmap.graph import store as stores
    from argmap.graph.remote import push_by_update, push_graph
    from argmap.graph.sparql import check_iri

    if graph_iri is not None:
        try:
            check_iri(graph_iri, what="--graph")
        except QueryError as err:
            raise click.BadParameter(str(err), param_hint="--graph") from err
    auth = endpoint_auth(user, token)
    corpus = load(corpus_dir)
    data = stores.debate_ntriples(corpus, with_analysis=analysis)
    n = data.count(b"\n")
    where = f"graph <{graph_iri}>" if graph_iri else "the default graph"
    if use_update:
        sent = push_by_update(endpoint, data, graph=graph_iri, replace=not append, batch=batch, timeout=timeout, auth=auth)
        click.echo(f"pushed {n} triples to {where} at {endpoint} ({sent} update requests)", err=True)
    else:
        status = push_graph(endpoint, data, graph=graph_iri, replace=not append, timeout=timeout, auth=auth)
        click.echo(f"pushed {n} triples to {where} at {endpoint} (HTTP {status})", err=True)


# ---------------------------------------------------------------- synthetic debates


def write_tree(files: Mapping[str, str | bytes], out: str, *, force: bool = False) -> None:
    """Write a folder of files at ``out`` whole or not at all (:func:`argmap.files.write_tree`). An existing
    non-empty ``out`` is refused unless ``force``, and then replaced."""
    from argmap import files as writer

    path = Path(out)
    if path.exists() and not path.is_dir():
        raise click.UsageError(f"--out {out} is a file; give a folder")
    if path.is_dir() and any(path.iterdir()) and not force:
        raise click.UsageError(f"--out {out} is not empty; give an empty or new folder, or --force to replace it")
    parent = path.resolve().parent
    if not parent.is_dir():
        raise click.UsageError(f"--out {out}: folder {parent} does not exist")
    writer.write_tree(files, path, replace=True)


@main.command(context_settings=CONTEXT)
@click.option("--claims", "n_claims", type=click.IntRange(min=1), required=True, help="Number of claims.")
@click.option(
    "--sources", "n_sources", type=click.IntRange(min=1), default=None, help="Number of sources (default: one per ten claims)."
)
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed; the same seed gives the same files.")
@click.option("--out", "-o", required=True, type=click.Path(), help="Folder to write the corpus into (new or empty).")
@click.option("--force", is_flag=True, help="Replace --out even when it is not empty.")
@fail_cleanly
def synth(n_claims: int, n_sources: int | None, seed: int, out: str, force: bool) -> None:
    """Write a synthetic debate corpus of any size, for tests and benchmarks.

    The corpus has the shape of a real one (stance mix, topics, speakers with roles, sources whose texts
    hold every quote, statistics with figures, supports, attacks, undercuts and attack cycles) and passes
    `argmap validate`. Every name, figure and quote in it is invented.

    Example: argmap synth --claims 10000 --seed 1 --out synth-10k/
    """
    from argmap.sources.synth import synth_corpus

    files = synth_corpus(n_claims, sources=n_sources, seed=seed)
    write_tree(files, out, force=force)
    n_texts = sum(1 for p in files if p.startswith("texts/"))
    click.echo(f"wrote {out}: {n_claims} claims, {n_texts} sources ({len(files)} files)", err=True)


# ---------------------------------------------------------------- authoring: new, add-source, quote, draft


def write_files_atomic(files: Mapping[Path, str | bytes], *, remove: tuple[Path, ...] = ()) -> None:
    """Several corpus files written whole or not at all (:func:`argmap.files.write_files`); ``remove``
    names files deleted once all are in place."""
    from argmap.files import write_files as write_all

    write_all(dict(files))
    for path in remove:
        path.unlink(missing_ok=True)


def corpus_dir_or_fail(corpus_dir: str) -> Path:
    root = Path(corpus_dir)
    if not (root / "debate.yaml").is_file():
        raise click.UsageError(
            f"--corpus {corpus_dir} is not a debate corpus (no debate.yaml); make one with: argmap new DIR --title T --motion M"
        )
    return root


@main.command(context_settings=CONTEXT)
@click.argument("folder", type=click.Path())
@click.option("--title", required=True, help="The debate's title.")
@click.option("--motion", required=True, help="The motion that claims are for (pro) or against (con).")
@click.option("--id", "debate_id", default=None, help="The debate's id, a lower-case slug (default: made from the title).")
@fail_cleanly
def new(folder: str, title: str, motion: str, debate_id: str | None) -> None:
    """Make a new debate corpus in FOLDER (new or empty), ready for `argmap add-source`.

    The folder gets debate.yaml, empty topics, speakers, sources and relations files carrying the format's
    comments, texts/ and claims/. It validates at once.

    Example: argmap new car-free/ --title "Car-free downtown" --motion "The city should ban cars from downtown"
    """
    from argmap.sources.scaffold import ScaffoldError, new_debate

    path = Path(folder)
    if path.exists() and not path.is_dir():
        raise click.UsageError(f"{folder} is a file; give a new or empty folder")
    if path.is_dir() and any(path.iterdir()):
        raise click.UsageError(f"{folder} is not empty; give a new or empty folder (argmap new never overwrites)")
    try:
        files = new_debate(title=title, motion=motion, debate_id=debate_id)
    except ScaffoldError as err:
        raise click.UsageError(str(err)) from err
    write_tree(files, folder)
    click.echo(f"made {folder}: a new debate '{title}'")
    click.echo("next: add topics to topics.yaml, then a source:")
    click.echo(f"  argmap add-source --corpus {folder} FILE --id ID --kind news --title TITLE")


def read_input_file(name: str, what: str) -> bytes:
    """The bytes of a regular file named on the command line; anything else is a usage error."""
    import stat

    try:
        st = os.stat(name)
    except FileNotFoundError:
        raise click.UsageError(f"{what} {name}: no such file") from None
    except OSError as err:
        raise click.UsageError(f"{what} {name}: cannot read it ({err.strerror})") from None
    if not stat.S_ISREG(st.st_mode):
        kind = "a folder" if stat.S_ISDIR(st.st_mode) else "not a regular file (a device, pipe or socket)"
        raise click.UsageError(f"{what} {name} is {kind}; give a regular text file")
    try:
        return Path(name).read_bytes()
    except OSError as err:
        raise click.UsageError(f"{what} {name}: cannot read it ({err.strerror})") from None


@main.command("add-source", context_settings=CONTEXT)
@click.option(
    "--corpus", "corpus_dir", required=True, type=click.Path(file_okay=False), help="The debate corpus folder to add to."
)
@click.argument("file", required=False, type=click.Path(dir_okay=True))
@click.option(
    "--from-html",
    "html_file",
    default=None,
    type=click.Path(),
    help="Take the article text (and title, date, authors as suggestions) from a saved HTML page.",
)
@click.option("--id", "source_id", required=True, help="The source's id, a lower-case slug, e.g. gazette-2024.")
@click.option(
    "--kind",
    required=True,
    help="news, blog, study, preprint, report, court-ruling, legislation, op-ed, advocacy, letter, press-release or other.",
)
@click.option("--title", default=None, help="The document's title (with --from-html: default the page's).")
@click.option("--date", default=None, help="YYYY, YYYY-MM or YYYY-MM-DD.")
@click.option("--authors", multiple=True, help="An author's name as cited (repeatable, or several separated by ';').")
@click.option("--publisher", default=None, help="Who published it.")
@click.option("--url", default=None, help="Where it was published.")
@click.option("--excerpt", is_flag=True, help="The file holds only quoted passages, not the whole document.")
@fail_cleanly
def add_source(corpus_dir, file, html_file, source_id, kind, title, date, authors, publisher, url, excerpt) -> None:
    """Add a source document: copy its text into texts/ as UTF-8 and append its sources.yaml entry.

    A UTF-16 or Latin-1 file is converted (with a note); binary, empty and non-regular files are refused, as
    is an id already in sources.yaml. The entry is written in the file's own style; comments and order are
    kept. --from-html extracts the article text from a saved web page (trafilatura) and suggests the title,
    date and authors its metadata holds.

    Example: argmap add-source --corpus car-free/ gazette.txt --id gazette-2024 --kind news --title "Council votes"

    Example: argmap add-source --corpus car-free/ --from-html page.html --id gazette-2024 --kind news
    """
    from argmap.sources import intake

    root = corpus_dir_or_fail(corpus_dir)
    if (file is None) == (html_file is None):
        raise click.UsageError("give the source's text FILE, or --from-html PAGE (one of them)")
    names = [a.strip() for value in authors for a in value.split(";") if a.strip()]
    suggested: list[str] = []
    notes: list[str] = []
    if html_file is not None:
        raw = read_input_file(html_file, "--from-html")
        page = intake.decode_text(raw, html_file)
        article = intake.html_article(page.text, html_file)
        text = article.text
        notes.extend(n for n in page.notes if "line endings" not in n)
        for key, given, found in (
            ("title", title, article.title),
            ("date", date, article.date),
            ("publisher", publisher, article.publisher),
            ("url", url, article.url),
        ):
            if given is None and found:
                suggested.append(key)
        if not names and article.authors:
            names, suggested = list(article.authors), [*suggested, "authors"]
        title = title or article.title
        date = date or article.date
        publisher = publisher or article.publisher
        url = url or article.url
        if title is None:
            raise click.UsageError(f"--from-html {html_file}: the page has no title; give --title")
    else:
        decoded = intake.decode_text(read_input_file(file, "FILE"), file)
        text, notes = decoded.text, list(decoded.notes)
        if title is None:
            raise click.UsageError("missing option '--title' (the document's title)")
    src = intake.NewSource(
        id=source_id,
        kind=kind,
        title=title,
        authors=tuple(names),
        publisher=publisher,
        date=date,
        url=url,
        excerpt=excerpt,
        suggested=tuple(suggested),
    )
    try:
        intake.check_new_source(src)
    except intake.IntakeError as err:
        raise click.UsageError(str(err)) from err
    sources_path = root / "sources.yaml"
    old = sources_path.read_text(encoding="utf-8") if sources_path.is_file() else ""
    new_sources = intake.add_source_entry(old, src, display=str(sources_path))  # refuses a duplicate id
    text_rel = f"texts/{source_id}.txt"
    target = root / text_rel
    if target.exists():
        raise click.UsageError(f"{target} exists already; choose another --id (argmap add-source never overwrites a text)")
    (root / "texts").mkdir(exist_ok=True)
    write_files_atomic({target: text if text.endswith("\n") else text + "\n", sources_path: new_sources})
    for note in notes:
        click.echo(f"note: {note}", err=True)
    if suggested:
        shown = "; ".join(f"{k}: {getattr(src, k) if k != 'authors' else ', '.join(src.authors)}" for k in suggested)
        click.echo(f"from the page (suggestions, check them in sources.yaml): {shown}", err=True)
    words = len(text.split())
    click.echo(f"added source '{source_id}': {text_rel} ({words} words) and its entry in {sources_path}")
    click.echo(f"next: argmap draft --corpus {corpus_dir} --source {source_id}")


@main.command(context_settings=CONTEXT)
@corpus_option
@click.option("--source", "source_id", required=True, help="The id of the source to search.")
@click.argument("text")
@click.option("--json", "as_json", is_flag=True, help="Print the passages found as JSON.")
@fail_cleanly
def quote(corpus_dir: str | None, source_id: str, text: str, as_json: bool) -> None:
    """Find a passage typed loosely in a source and print it exactly as written, for a claim's quote.

    Quote marks, dashes, case and whitespace may differ, and a few words may be missing or wrong. Prints the
    exact passage, its offsets, its occurrence number when it occurs more than once, and a `quote:` line to
    paste into a claims file; when nothing matches, the nearest passages with their similarity (exit 1).

    Example: argmap quote --corpus car-free/ --source gazette-2024 "closing the street will save lives"
    """
    from argmap.sources import quotes
    from argmap.sources.intake import read_source_text, yaml_scalar
    from argmap.sources.loader import default_corpus_path

    src = read_source_text(corpus_dir or default_corpus_path(), source_id)
    if not text.split():
        raise click.UsageError("TEXT is empty; give the passage to look for")
    passages = quotes.find_loose(src.text, text)
    found = bool(passages) and passages[0].similarity >= quotes.LOOSE_MATCH
    if as_json:
        echo_json(
            {
                "source": src.id,
                "file": src.file,
                "found": found,
                "passages": [
                    {
                        "exact": p.exact,
                        "start": p.start,
                        "end": p.end,
                        "line": quotes.line_of(src.text, p.start),
                        "similarity": round(p.similarity, 3),
                        "occurrence": p.occurrence,
                        "occurrences": p.occurrences,
                    }
                    for p in passages
                ],
            }
        )
        if not found:
            sys.exit(1)
        return
    if not found:
        click.echo(
            f"not found in source '{src.id}' ({src.display}): no passage has {quotes.LOOSE_MATCH:.0%} of the words "
            "in order" + ("; the nearest:" if passages else "")
        )
        for p in passages:
            click.echo(
                f"  {p.similarity:.0%}  {src.display}:{quotes.line_of(src.text, p.start)} [{p.start}:{p.end}]  {' '.join(p.exact.split())}"
            )
        sys.exit(1)
    if len(passages) > 1:
        click.echo(f"found {len(passages)} equally close passages in source '{src.id}'; choose one:")
    for p in passages:
        where = f"{src.display}:{quotes.line_of(src.text, p.start)}"
        exact = p.exact == " ".join(text.split())
        click.echo(
            f"{'exact match' if exact else f'found ({p.similarity:.0%} of the words alike)'} at {where}, offsets {p.start}-{p.end}"
        )
        click.echo(f"  {' '.join(p.exact.split())}")
        click.echo(f"  quote: {yaml_scalar(' '.join(p.exact.split()))}")
        if p.occurrences > 1:
            click.echo(
                f"  occurrence: {p.occurrence}    # the passage occurs {p.occurrences} times; this is number {p.occurrence}"
            )


@main.command(context_settings=CONTEXT)
@click.option("--corpus", "corpus_dir", required=True, type=click.Path(file_okay=False), help="The debate corpus folder.")
@click.option("--source", "source_id", default=None, help="The source to draft claims from.")
@click.option("--out", "-o", default=None, help="The draft file to write (default: claims/<ID>.draft.yaml).")
@click.option("--force", is_flag=True, help="Replace an existing draft file (its edits are lost).")
@click.option(
    "--accept",
    "accept_file",
    default=None,
    type=click.Path(),
    help="Move the reviewed drafts of this draft file into the corpus.",
)
@click.option("--only", multiple=True, metavar="ID", help="With --accept: only this draft (repeatable).")
@fail_cleanly
def draft(corpus_dir, source_id, out, force, accept_file, only) -> None:
    """Draft claims from one source's text for review, or accept reviewed drafts into the corpus.

    Writes claims/<ID>.draft.yaml: for each sentence, list item or quoted remark that may be a claim, an exact
    quote, a first neutral text, a suggested stance, topics, speaker (an existing one or a proposed new one),
    kind, figures, a confidence and the cues behind them, and candidate supports/attacks on the debate's
    claims. Stance and topics are learnt from the debate's own labelled claims and its topic labels. validate
    reports draft files and does not load them. --accept moves the reviewed drafts (all, or --only ID ...)
    into claims/<ID>.yaml, adds the new speakers they use, and the relation candidates given a rationale.

    Example: argmap draft --corpus car-free/ --source gazette-2024

    Example: argmap draft --corpus car-free/ --accept car-free/claims/gazette-2024.draft.yaml --only gazette-2024-closing-street-save-lives
    """
    root = corpus_dir_or_fail(corpus_dir)
    if accept_file is not None:
        if source_id is not None or out is not None:
            raise click.UsageError("--accept takes a draft file alone (no --source or --out)")
        return _accept(root, corpus_dir, accept_file, tuple(only))
    if only:
        raise click.UsageError("--only goes with --accept FILE")
    if source_id is None:
        raise click.UsageError("give --source ID (the source to draft), or --accept FILE (reviewed drafts to accept)")
    from argmap.sources.draft import DraftError, draft_source, render_drafts

    corpus = load(corpus_dir)
    if source_id not in corpus.sources_by_id:
        known = ", ".join(sorted(corpus.sources_by_id)) or "none yet; add one with argmap add-source"
        raise click.UsageError(f"unknown source '{source_id}' (known sources: {known})")
    path = Path(out) if out else root / "claims" / f"{source_id}.draft.yaml"
    if path.exists() and not force:
        raise click.UsageError(f"{path} exists (perhaps reviewed already); accept it, delete it, or give --force to replace it")
    if not path.parent.is_dir():
        if out is None:
            path.parent.mkdir()
        else:
            raise click.UsageError(f"--out {out}: folder {path.parent} does not exist")
    try:
        ds = draft_source(corpus, source_id)
    except DraftError as err:
        raise click.UsageError(str(err)) from err
    write_files_atomic({path: render_drafts(ds, file=corpus.sources_by_id[source_id].file, corpus=corpus_dir, path=str(path))})
    kinds = ", ".join(f"{n} {s}" for s, n in sorted(__import__("collections").Counter(d.stance for d in ds.drafts).items()))
    click.echo(f"wrote {path}: {len(ds.drafts)} drafts ({kinds}), {len(ds.new_speakers)} new speakers proposed")
    click.echo(f"review it, then: argmap draft --corpus {corpus_dir} --accept {path}")


def _accept(root: Path, corpus_dir: str, accept_file: str, only: tuple[str, ...]) -> None:
    from argmap.sources.draft import accept_drafts
    from argmap.sources.loader import is_draft_file
    from argmap.sources.yamlio import load_yaml

    path = Path(accept_file)
    if not path.is_file():
        raise click.UsageError(f"--accept {accept_file}: no such file")
    if not is_draft_file(path.name):
        raise click.UsageError(f"--accept {accept_file}: not a draft file (draft files end in .draft.yaml)")
    corpus = load(corpus_dir)
    data = load_yaml(path, accept_file)  # invalid YAML: file:line
    draft_text = path.read_text(encoding="utf-8")

    def read(rel: str) -> str | None:
        p = root / rel
        return p.read_text(encoding="utf-8") if p.is_file() else None

    source_id = str(data.get("source")) if isinstance(data, dict) else ""
    result = accept_drafts(
        corpus,
        data,
        draft_text,
        display=accept_file,
        claims_text=read(f"claims/{source_id}.yaml"),
        speakers_text=read("speakers.yaml") or "",
        relations_text=read("relations.yaml"),
        only=only,
    )
    files: dict[Path, str] = {root / result.claims_file: result.claims_text}
    if result.speakers_text is not None:
        files[root / "speakers.yaml"] = result.speakers_text
    if result.relations_text is not None:
        files[root / "relations.yaml"] = result.relations_text
    if result.draft_text:
        files[path] = result.draft_text
    write_files_atomic(files, remove=() if result.draft_text else (path,))
    click.echo(f"accepted {len(result.accepted)} draft(s) into {root / result.claims_file}")
    if result.new_speakers:
        click.echo(f"added {len(result.new_speakers)} speaker(s) to speakers.yaml: {', '.join(result.new_speakers)}")
    if result.relations:
        click.echo(f"added {result.relations} relation(s) to relations.yaml")
    if result.dropped_relations:
        click.echo(f"left out {result.dropped_relations} relation candidate(s) without a rationale")
    click.echo(f"{result.remaining} draft(s) left in {path}" if result.remaining else f"removed {path} (no drafts left)")
    click.echo(f"next: argmap validate --corpus {corpus_dir}")


@main.command(context_settings=CONTEXT)
@click.option(
    "--corpus",
    "corpus_dir",
    required=True,
    type=click.Path(file_okay=False),
    help="The debate corpus folder to annotate (it is written).",
)
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Address to listen on: loopback only, unless --allow-remote-edit."
)
@click.option("--port", type=click.IntRange(min=0, max=65535), default=8001, show_default=True, help="Port (0: a free one).")
@click.option(
    "--allow-remote-edit",
    is_flag=True,
    help="Allow a --host other than loopback; every request then needs the token printed at start.",
)
@click.option(
    "--no-shacl", is_flag=True, help="Run only the corpus checks on a save, not the SHACL shapes (faster on a large corpus)."
)
@click.option("--verbose", "-v", is_flag=True, help="Log every request on standard error.")
@fail_cleanly
def annotate(corpus_dir, host, port, allow_remote_edit, no_shacl, verbose) -> None:
    """Annotate a corpus's sources in the browser: select a passage, make it a claim, link claims.

    A local page shows each source's text with its claims' quotes highlighted and the drafts of `argmap
    draft` (accept, edit or reject each). A selected passage becomes a claim through a form prefilled as `argmap
    draft` would; the claim is appended to claims/<source>.yaml with the exact passage as its quote, after
    the changed corpus passes the corpus checks and SHACL in a temporary copy. Relations go to
    relations.yaml. Binds 127.0.0.1; every write needs the page's session token. Details: docs/annotate.md.

    Example: argmap annotate --corpus car-free/ --port 8001
    """
    from argmap.annotate import RemoteEditRefused, make_annotate_server

    root = corpus_dir_or_fail(corpus_dir)
    load(corpus_dir)  # a corpus with errors is fixed first: every save checks the whole corpus
    try:
        server, annotator = make_annotate_server(
            root, host=host, port=port, allow_remote=allow_remote_edit, shacl=not no_shacl, verbose=verbose
        )
    except RemoteEditRefused as err:
        raise click.UsageError(str(err)) from err
    except OSError as err:
        raise click.UsageError(f"cannot listen on {host}:{port}: {err.strerror or err}") from err
    bound_host, bound_port = server.server_address[:2]
    url = f"http://{bound_host}:{bound_port}/"
    if annotator.access_token:
        url += f"?token={annotator.access_token}"
        click.echo(f"access token (every request needs it): {annotator.access_token}", err=True)
    click.echo(f"annotating {corpus_dir} at {url}  (writes the corpus; Ctrl-C stops)", err=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
