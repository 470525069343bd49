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


def write_output(data: str | bytes, out: str | None) -> None:
    """Write to ``out`` atomically (a temporary file renamed into place), or to stdout when ``out`` is None."""
    if out is None or out == "-":
        if isinstance(data, bytes):
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
    raw = data if isinstance(data, bytes) else data.encode("utf-8")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
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
    from argmap.graph.build import build_graph

    corpus = load(corpus_dir)
    graph = build_graph(corpus)
    if with_analysis:
        from argmap.graph.analysis import analysis_triples
        from argmap.graph.projection import project

        graph.addN((s, p, o, graph) for s, p, o in analysis_triples(project(graph), corpus.base))
    text = serialize_graph(graph, fmt)
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
