"""The `argmap` command. Only this module talks to the terminal and writes output files.

Exit codes: 0 ok; 1 the data or query is wrong (or the graph does not conform); 2 the command line is wrong.
"""

from __future__ import annotations

import functools
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any, Callable

import click

from argmap.errors import ArgmapError, CorpusErrors, SelectionError

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


# ---------------------------------------------------------------- edges: errors, output, console


def fail_cleanly(fn: Callable) -> Callable:
    """Turn argmap's own errors into a message on stderr and an exit code; never a traceback."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except SelectionError as err:
            raise click.UsageError(str(err)) from err
        except CorpusErrors as err:
            for e in err.errors:
                click.echo(f"error: {e}", err=True)
            n = len(err.errors)
            click.echo(f"{n} error{'s' if n != 1 else ''} in the corpus; nothing was written", err=True)
            sys.exit(err.exit_code)
        except ArgmapError as err:
            click.echo(f"error: {err}", err=True)
            sys.exit(err.exit_code)

    return wrapper


def new_file_mode(*, folder: bool = False) -> int:
    """The mode a newly made file (or folder) gets under the current umask; temporary files are made
    0600, so they are set to this before being moved into place."""
    mask = os.umask(0)
    os.umask(mask)
    return (0o777 if folder else 0o666) & ~mask


def write_output(data: str | bytes | list[str], out: str | None) -> None:
    """Write to ``out`` atomically (a temporary file renamed into place), or to stdout when ``out`` is None.

    ``data`` may be a list of text pieces, written one after another (a large output is then never held
    as one text and its encoding at once)."""
    pieces = None
    if isinstance(data, list):  # joined a few thousand at a time
        pieces = ("".join(data[i : i + 4096]) for i in range(0, len(data), 4096))
    if out is None or out == "-":
        if pieces is not None:
            for piece in pieces:
                sys.stdout.write(piece)
            sys.stdout.flush()
        elif isinstance(data, bytes):
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
        else:
            click.echo(data, nl=not data.endswith("\n"))
        return
    path = Path(out)
    if path.is_dir():
        raise click.UsageError(f"--out {out} is a folder; give a file name")
    if not path.parent.exists():
        raise click.UsageError(f"--out {out}: folder {path.parent} does not exist")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            if pieces is not None:
                for piece in pieces:
                    fh.write(piece.encode("utf-8"))
            else:
                fh.write(data if isinstance(data, bytes) else data.encode("utf-8"))
        os.chmod(tmp, new_file_mode())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def console():
    from rich.console import Console

    return Console(soft_wrap=False)


def echo_json(value: Any) -> None:
    click.echo(json.dumps(value, indent=2, ensure_ascii=False))


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


# ---------------------------------------------------------------- the command group


@click.group(context_settings=CONTEXT)
@click.version_option(package_name="argmap", prog_name="argmap")
def main() -> None:
    """argmap: a knowledge graph of a public policy debate.

    Claims, the exact quotes they rest on, who said them and where become RDF; supports and attacks make
    an argument graph to analyse, query with SPARQL, map and export. Every command works on the OPC
    (overdose prevention centers) debate shipped with argmap unless --corpus names another.
    """


@main.command(context_settings=CONTEXT)
@corpus_option
@click.option("--out", "-o", default=None, help="Write to this file (default: standard output).")
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(["turtle", "nt", "jsonld", "xml", "trig"]),
    default="turtle",
    show_default=True,
    help="RDF serialisation.",
)
@click.option(
    "--with-analysis",
    is_flag=True,
    help="Add each claim's analysis results (grounded label and reason, strength, PageRank, betweenness, "
    "community) with arg: terms.",
)
@fail_cleanly
def build(corpus_dir: str | None, out: str | None, fmt: str, with_analysis: bool) -> None:
    """Build the debate's RDF graph.

    Example: argmap build --format turtle --out opc.ttl
    """
    from argmap.export.rdf import serialize_graph
    from argmap.graph.store import debate_graph

    corpus = load(corpus_dir)
    if fmt == "nt" and not with_analysis:  # the same text, made without a graph: far faster and smaller
        from argmap.export.rdf import corpus_ntriple_lines

        write_output(corpus_ntriple_lines(corpus), out)
        if out:
            click.echo(f"wrote {out}", err=True)
        return
    text = serialize_graph(debate_graph(corpus, with_analysis=with_analysis), fmt)
    write_output(text, out)
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
    from argmap.graph.build import build_graph
    from argmap.graph.validate import validate_graph

    corpus = load(corpus_dir)
    graph = build_graph(corpus)
    report = validate_graph(graph)
    summary = {
        "corpus": corpus.root,
        "claims": len(corpus.claims),
        "relations": len(corpus.relations),
        "sources": len(corpus.sources),
        "topics": len(corpus.topics),
        "speakers": len(corpus.speakers),
        "triples": len(graph),
        "quotes_verified": len(corpus.claims),
    }
    if as_json:
        echo_json({**summary, "shacl": report.to_json()})
    else:
        click.echo(
            f"corpus {corpus.root}: {summary['claims']} claims, {summary['relations']} relations, "
            f"{summary['sources']} sources, {summary['topics']} topics, {summary['speakers']} speakers"
        )
        click.echo(f"corpus checks: ok ({summary['quotes_verified']} quotes found in their sources)")
        if report.conforms:
            click.echo(f"SHACL shapes: ok ({summary['triples']} triples conform)")
        else:
            click.echo(f"SHACL shapes: {len(report.violations)} violation(s)")
            for v in report.violations:
                click.echo(f"  {v.severity}: {v.focus} {v.path}: {v.message}")
    if not report.conforms:
        sys.exit(1)


def selection_options(fn: Callable) -> Callable:
    for opt in reversed(
        [
            click.option("--topic", "topics", multiple=True, help="Only claims with this topic id (repeatable)."),
            click.option("--stance", type=click.Choice(["pro", "con", "neutral"]), help="Only claims of this stance."),
            click.option("--source", help="Only claims quoted from this source id."),
            click.option("--speaker", help="Only claims whose speaker's name, id or role contains this text."),
        ]
    ):
        fn = opt(fn)
    return fn


@main.command(context_settings=CONTEXT)
@corpus_option
@selection_options
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array of claim objects.")
@fail_cleanly
def claims(corpus_dir, topics, stance, source, speaker, as_json) -> None:
    """List claims, with their stance, topics, speaker, source and exact quote.

    Example: argmap claims --stance con --topic crime
    """
    from argmap.sources.records import claim_record
    from argmap.sources.select import Selection, select

    corpus = load(corpus_dir)
    part = select(corpus, Selection(topics=tuple(topics), stance=stance, source=source, speaker=speaker))
    rows = [claim_record(corpus, c, corpus.base) for c in part.claims]
    if as_json:
        echo_json(rows)
        return
    from rich.table import Table

    table = Table(title=f"{len(rows)} claim(s)", show_lines=True)
    for col in ("id", "stance", "claim", "speaker", "source", "quote"):
        table.add_column(col, overflow="fold")
    for r in rows:
        table.add_row(r["id"], r["stance"], r["text"], r["speaker"], r["source"], f"“{r['quote']}”")
    console().print(table)


@main.command(context_settings=CONTEXT)
@corpus_option
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array of relation objects.")
@fail_cleanly
def relations(corpus_dir, as_json) -> None:
    """List the support, attack and undercut relations between claims.

    Example: argmap relations --json
    """
    from argmap.sources.records import relation_record

    corpus = load(corpus_dir)
    rows = [relation_record(corpus, r) for r in corpus.relations]
    if as_json:
        echo_json(rows)
        return
    from rich.table import Table

    table = Table(title=f"{len(rows)} relation(s)")
    for col in ("from", "type", "to", "rationale"):
        table.add_column(col, overflow="fold")
    for r in rows:
        table.add_row(r["from"], r["type"], r["to"], r["rationale"])
    console().print(table)


@main.command(context_settings=CONTEXT)
@corpus_option
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array of source objects.")
@fail_cleanly
def sources(corpus_dir, as_json) -> None:
    """List the source documents with their kind, date and number of claims.

    Example: argmap sources
    """
    from collections import Counter

    from argmap.sources.records import source_record

    corpus = load(corpus_dir)
    counts = Counter(c.source for c in corpus.claims)
    rows = [source_record(corpus, s, counts) for s in corpus.sources]
    if as_json:
        echo_json(rows)
        return
    from rich.table import Table

    table = Table(title=f"{len(rows)} source(s)")
    for col in ("id", "kind", "date", "title", "publisher", "claims"):
        table.add_column(col, overflow="fold")
    for r in rows:
        table.add_row(r["id"], r["kind"], r["date"] or "", r["title"], r["publisher"] or "", str(r["claims"]))
    console().print(table)


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
@click.argument("names", nargs=-1, metavar="[NAME]...")
@fail_cleanly
def analyze(corpus_dir: str | None, as_json: bool, config_file: str | None, names: tuple[str, ...]) -> None:
    """Analyse the argument graph (all analyses, or the NAMEs given).

    \b
    centrality     PageRank and betweenness; the most central claims per side
    contested      claims with the most attacks in and out
    unanswered     per side and topic, the claims nothing attacks
    balance        per topic, pro, con and neutral claims and their sources
    corroboration  claims backed by several sources; claims resting on one alone
    grounded       in / out / undecided for every claim (Dung 1995), with a reason
    preferred      the preferred extensions, searched cycle by cycle
    strength       gradual strength on supports and attacks (DF-QuAD)
    communities    clusters of claims, labelled by their dominant topics

    Example: argmap analyze grounded unanswered --json
    """
    from argmap.graph.analysis import ANALYSES, run_analyses

    unknown = [n for n in names if n not in ANALYSES]
    if unknown:
        raise click.UsageError(
            f"unknown analysis '{unknown[0]}' (expected one of: {', '.join(ANALYSES)})"
        )
    config = _analysis_config(config_file)
    from argmap.graph.build import build_graph
    from argmap.graph.projection import project

    corpus = load(corpus_dir)
    P = project(build_graph(corpus))
    chosen = list(dict.fromkeys(names)) or list(ANALYSES)
    results = run_analyses(P, chosen, config=config)
    if as_json:
        echo_json(results)
        return
    from argmap.graph.analysis.tables import tables

    out = console()
    for name, result in results.items():
        for renderable in tables(name, result, P):
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
        "included when argmap's analysis module is present; --no-analysis leaves them out.",
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


def analysis_metrics(corpus) -> dict | None:
    """The per-claim analysis results of ``corpus``, or None when the analysis module is not installed."""
    try:
        from argmap.graph.analysis import metrics_for_corpus
    except ImportError:
        return None
    return metrics_for_corpus(corpus)


def debate_analyses(corpus) -> dict | None:
    """The results of ``argmap analyze`` (unanswered, strength, grounded, centrality) for the whole of
    ``corpus``, or None when the analysis module is not installed: the brief's lists are these."""
    try:
        from argmap.graph.analysis import run_analyses
    except ImportError:
        return None
    from argmap.graph.build import build_graph
    from argmap.graph.projection import project

    return run_analyses(project(build_graph(corpus)), ["unanswered", "strength", "grounded", "centrality"])


def stage_files(files: dict[str, str | bytes], parent: Path) -> Path:
    """``files`` (relative path -> content) written into a new temporary folder inside ``parent``, with
    sub-folders as needed and the modes of new files; the caller moves them into place. On an error the
    temporary folder is removed and the error raised."""
    import shutil

    tmp = Path(tempfile.mkdtemp(prefix=".argmap-out.", dir=parent))
    try:
        for rel, data in sorted(files.items()):
            target = tmp / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
            os.chmod(target, new_file_mode())
        for folder in [tmp, *(p for p in tmp.rglob("*") if p.is_dir())]:
            os.chmod(folder, new_file_mode(folder=True))
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return tmp


def write_files(files: dict[str, str | bytes], out: str) -> list[str]:
    """Write several files at once: into folder ``out``, or beside ``out`` when it ends in ``.csv``
    (``NAME-claims.csv``). Everything is written to a temporary folder first and only then moved into
    place, so an error leaves nothing half-written. Returns the paths written."""
    import shutil

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
    tmp = stage_files(files, parent)
    try:
        if make_folder:
            os.replace(tmp, folder)  # the whole folder appears at once
        else:
            for name, target in targets.items():
                os.replace(tmp / name, target)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
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
@click.option("--slide", is_flag=True, help="Diagrams (svg, png, pdf, dot, mermaid): one slide, short claim titles in large type.")
@click.option("--aspect", type=click.Choice(["16:9", "4:3"]), default=None, help="The slide's shape with --slide [default: 16:9].")
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
    from argmap.sources.select import Selection, select
    from argmap.sources.select import widen as widen_selection

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

    corpus = load(corpus_dir)
    chosen = Selection(topics=tuple(topics), stance=stance, source=source, speaker=speaker, around=around, depth=depth)
    part = select(corpus, chosen)
    part = widen_selection(corpus, part, widen)
    if "title" in exporter.options:
        if title is None and not (chosen.empty and not widen):
            from argmap.export.slides import selection_title

            title = selection_title(
                corpus, topics=chosen.topics, stance=stance, source=source, speaker=speaker, around=around, widen=widen
            )
        if title is not None:
            options["title"] = title
    elif title is not None:
        takers = [e.name for e in _exporters() if "title" in e.options]
        raise click.UsageError(f"--title works with {', '.join(takers)}, not with {exporter.name}")
    if analysis is None:
        analysis = not slide  # a slide shows no analysis tags unless asked
    metrics = None
    if analysis:
        full = analysis_metrics(corpus)
        if full is not None:
            keep = {c.id for c in part.claims}
            metrics = {cid: m for cid, m in full.items() if cid in keep}
    if "topics" in exporter.options and chosen.topics:
        options["topics"] = chosen.topics
    if "analyses" in exporter.options and analysis:
        found = debate_analyses(corpus)
        if found is not None:
            options["analyses"] = found
    data = exporter.render(part, metrics=metrics, **options)
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
@click.option("--analysis/--no-analysis", default=True, show_default=True, help="Show the analysis results (grounded label, strength, centrality).")
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
    from argmap.export.htmlmap import map_filename, render_map

    corpus = load(corpus_dir)
    metrics = analysis_metrics(corpus) if analysis else None
    page = render_map(corpus, metrics=metrics, title=title, physics=physics)
    target = out or map_filename(corpus)
    write_output(page, target)
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
    return click.option("--user", default=None, metavar="USER[:PASSWORD]", help="HTTP Basic or Digest credentials (or ARGMAP_ENDPOINT_USER).")(fn)


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


def open_store(corpus_dir: str | None, store_dir: str | None, *, with_analysis: bool):
    """The Oxigraph store a query runs on: a persistent one in ``store_dir``, else one in memory."""
    from argmap.graph import store as stores

    if store_dir is not None:
        store, info, built = stores.persistent_store(store_dir, corpus_dir, with_analysis=with_analysis)
        if built:
            click.echo(f"built store {store_dir} ({info.triples} triples from {info.corpus})", err=True)
        return store
    return stores.memory_store(load(corpus_dir), with_analysis=with_analysis)


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
    return query


@main.command(context_settings=CONTEXT)
@click.argument("query", required=False, metavar="[QUERY]")
@corpus_option
@store_option
@click.option("--endpoint", default=None, metavar="URL", help="Run the query on this SPARQL 1.1 endpoint instead.")
@click.option("--file", "-F", "query_file", type=click.Path(dir_okay=False, exists=True), default=None, help="Read the query from this file.")
@click.option("--named", "-n", default=None, metavar="NAME", help="Run a named query (see --list).")
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE", help="Bind a named query's parameter (repeatable).")
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(["table", "csv", "tsv", "json", "xml", "turtle", "nt"]),
    default=None,
    help="Output format. Default: table for SELECT and ASK, turtle for CONSTRUCT and DESCRIBE.",
)
@click.option("--out", "-o", default=None, help="Write to this file (default: standard output).")
@click.option("--max-rows", type=click.IntRange(min=0), default=None, help="Keep at most this many rows.")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=60.0, show_default=True, help="Seconds to wait for --endpoint.")
@analysis_option
@click.option("--list", "list_named", is_flag=True, help="List the named queries, one a line, with their descriptions and parameters.")
@auth_options
@fail_cleanly
def query(query, corpus_dir, store_dir, endpoint, query_file, named, params, fmt, out, max_rows, timeout, analysis, list_named, user, token) -> None:
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
    if endpoint is None and (user or token):
        raise click.UsageError("--user and --token are for a server: give --endpoint URL with them")
    text = _query_text(query, query_file, named, params)
    from argmap.graph.sparql import unknown_terms

    for warning in unknown_terms(text):
        click.echo(f"warning: {warning}", err=True)
    if endpoint is not None:
        from argmap.graph.remote import remote_query

        result = remote_query(endpoint, text, timeout=timeout, max_rows=max_rows, auth=endpoint_auth(user, token))
    else:
        from argmap.graph.sparql import check_read_only, run_query

        check_read_only(text)  # refuse an update before building a store
        result = run_query(open_store(corpus_dir, store_dir, with_analysis=analysis), text, max_rows=max_rows)
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
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (loopback only unless you say otherwise).")
@click.option("--port", type=click.IntRange(min=0, max=65535), default=8000, show_default=True, help="Port (0: a free one).")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=10.0, show_default=True, help="Seconds a query may run before it is stopped.")
@click.option("--max-rows", type=click.IntRange(min=1), default=10_000, show_default=True, help="Rows an answer holds at most.")
@click.option("--workers", type=click.IntRange(min=1, max=64), default=2, show_default=True, help="Query worker processes.")
@analysis_option
@click.option("--verbose", "-v", is_flag=True, help="Log every request on standard error.")
@fail_cleanly
def serve(corpus_dir, store_dir, host, port, timeout, max_rows, workers, analysis, verbose) -> None:
    """Serve the debate graph: a read-only SPARQL 1.1 endpoint at /sparql, the map at / and a query page at /query.

    GET /sparql?query=..., POST url-encoded (query=...) or POST application/sparql-query; results as SPARQL
    JSON, XML, CSV or TSV (Turtle or N-Triples for CONSTRUCT) by the Accept header. Updates, LOAD and
    SERVICE are refused (403); a malformed query gets 400; a query past --timeout is stopped (503); answers
    are cut at --max-rows. Details: docs/sparql.md.

    Example: argmap serve --port 8000

    Example: curl -H 'Accept: text/csv' 'http://127.0.0.1:8000/sparql?query=SELECT%20*%20%7B%3Fs%20%3Fp%20%3Fo%7D%20LIMIT%205'
    """
    import ipaddress
    import socket

    from argmap.graph import store as stores
    from argmap.server import make_server

    if store_dir is not None:
        _store, info, built = stores.persistent_store(store_dir, corpus_dir, with_analysis=analysis)
        if built:
            click.echo(f"built store {store_dir} ({info.triples} triples from {info.corpus})", err=True)
        del _store  # the workers open it read-only
        source = ("dir", store_dir)
        corpus_for_map = corpus_dir or info.corpus
    else:
        corpus = load(corpus_dir)
        source = ("nt", stores.ntriples(stores.debate_graph(corpus, with_analysis=analysis)))
        corpus_for_map = corpus_dir
    try:
        server = make_server(
            source, corpus_dir=corpus_for_map, host=host, port=port, timeout=timeout, max_rows=max_rows,
            workers=workers, with_analysis=analysis, verbose=verbose,
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
@click.option("--endpoint", required=True, metavar="URL", help="The server's Graph Store Protocol address (with --update: its update address).")
@click.option("--graph", "graph_iri", default=None, metavar="IRI", help="Load into this named graph (default: the default graph).")
@click.option("--append", is_flag=True, help="Add to the graph (POST) instead of replacing it (PUT).")
@click.option("--update", "use_update", is_flag=True, help="Use SPARQL Update INSERT DATA in batches instead of the Graph Store Protocol.")
@click.option("--batch", type=click.IntRange(min=1), default=5000, show_default=True, help="Triples per INSERT DATA request (--update).")
@auth_options
@click.option("--timeout", type=click.FloatRange(min=0.1), default=300.0, show_default=True, help="Seconds to wait for the server.")
@analysis_option
@fail_cleanly
def push(corpus_dir, endpoint, graph_iri, append, use_update, batch, user, token, timeout, analysis) -> None:
    """Load the debate graph into an existing SPARQL server (Oxigraph, Fuseki, GraphDB, Virtuoso, QLever, ...).

    Sends the graph (with the analysis results unless --no-analysis) as N-Triples by the SPARQL 1.1 Graph
    Store HTTP Protocol: PUT replaces the graph, --append POSTs. --update sends SPARQL Update INSERT DATA
    in batches instead. Then `argmap query --endpoint QUERY-URL` runs queries there. The addresses of
    common servers are in docs/sparql.md.

    Example: argmap push --endpoint http://127.0.0.1:7878/store

    Example: argmap push --endpoint http://localhost:3030/ds/data --graph https://w3id.org/argmap/debate/opc/
    """
    from argmap.graph import store as stores
    from argmap.graph.remote import push_by_update, push_graph

    auth = endpoint_auth(user, token)
    corpus = load(corpus_dir)
    data = stores.ntriples(stores.debate_graph(corpus, with_analysis=analysis))
    n = data.count(b"\n")
    where = f"graph <{graph_iri}>" if graph_iri else "the default graph"
    if use_update:
        sent = push_by_update(endpoint, data, graph=graph_iri, replace=not append, batch=batch, timeout=timeout, auth=auth)
        click.echo(f"pushed {n} triples to {where} at {endpoint} ({sent} update requests)", err=True)
    else:
        status = push_graph(endpoint, data, graph=graph_iri, replace=not append, timeout=timeout, auth=auth)
        click.echo(f"pushed {n} triples to {where} at {endpoint} (HTTP {status})", err=True)


# ---------------------------------------------------------------- synthetic debates


def write_tree(files: dict[str, str | bytes], out: str, *, force: bool = False) -> None:
    """Write a folder of files at ``out`` whole or not at all: into a temporary folder beside it, then
    renamed into place. An existing non-empty ``out`` is refused unless ``force``, and then replaced."""
    import shutil

    path = Path(out)
    if path.exists() and not path.is_dir():
        raise click.UsageError(f"--out {out} is a file; give a folder")
    if path.is_dir() and any(path.iterdir()) and not force:
        raise click.UsageError(f"--out {out} is not empty; give an empty or new folder, or --force to replace it")
    parent = path.resolve().parent
    if not parent.is_dir():
        raise click.UsageError(f"--out {out}: folder {parent} does not exist")
    tmp = stage_files(files, parent)
    old = None
    try:
        if path.is_dir() and any(path.iterdir()):
            old = Path(tempfile.mkdtemp(prefix=f".{path.name}.old.", dir=parent))
            os.replace(path, old / "corpus")
        os.replace(tmp, path)  # an empty folder is replaced; the corpus appears at once
    except BaseException:
        if old is not None and not path.exists():
            os.replace(old / "corpus", path)  # put the old folder back
        raise
    finally:
        for leftover in (tmp, old):
            if leftover is not None and leftover.exists():
                shutil.rmtree(leftover, ignore_errors=True)


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
