"""Every `argmap` command run both ways, as a command and as the documented Python API call, gives the same:
bytes for export, build and map, rows for query, JSON for the listings, analyze and validate.

A meta-test fails when a command is neither compared here nor named, with its reason, as having no API call.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import argmap
from argmap.cli import main

DATA = Path(__file__).parent / "data"
MINI = str(DATA / "mini")
OPC = str(Path(argmap.__file__).parent / "corpora" / "opc")


def cli(*args: str) -> bytes:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


def cli_json(*args: str) -> Any:
    return json.loads(cli(*args, "--json"))


def jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, ensure_ascii=False))


def csv_rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


def as_bytes(data: str | bytes) -> bytes:
    return data if isinstance(data, bytes) else data.encode("utf-8")


def mini() -> argmap.Debate:
    return argmap.load(MINI)


def opc() -> argmap.Debate:
    return argmap.load(OPC)


# (command, its arguments, the API call, how the command's output is read)
BYTES = "bytes"
CASES: list[tuple[str, list[str], Callable[[], Any], str]] = [
    # the listings: JSON
    ("claims", ["--corpus", MINI], lambda: mini().records("claims"), "json"),
    ("claims", ["--corpus", MINI, "--stance", "con"], lambda: mini().select(stance="con").records("claims"), "json"),
    (
        "claims",
        ["--corpus", OPC, "--topic", "crime", "--speaker", "police", "--search", "crime"],
        lambda: opc().select(topic="crime", speaker="police", search="crime").records("claims"),
        "json",
    ),
    ("relations", ["--corpus", MINI], lambda: mini().records("relations"), "json"),
    (
        "relations",
        ["--corpus", MINI, "--type", "attacks", "--topic", "business"],
        lambda: (d := mini()).records("relations", d.find_relations(type="attacks", topic="business")),
        "json",
    ),
    (
        "relations",
        ["--corpus", OPC, "--to", "chalfin-no-change-crime-disorder"],
        lambda: (d := opc()).records("relations", d.find_relations(target="chalfin-no-change-crime-disorder")),
        "json",
    ),
    ("sources", ["--corpus", OPC], lambda: opc().records("sources"), "json"),
    ("topics", ["--corpus", OPC], lambda: opc().records("topics"), "json"),
    ("speakers", ["--corpus", OPC], lambda: opc().records("speakers"), "json"),
    ("validate", ["--corpus", MINI], lambda: mini().validate(), "json"),
    (
        "query",
        ["SELECT (COUNT(?g) AS ?n) WHERE { ?c arg:groundedLabel ?g }", "--corpus", MINI, "-f", "csv"],
        lambda: mini().query("SELECT (COUNT(?g) AS ?n) WHERE { ?c arg:groundedLabel ?g }").records(),
        "csv",
    ),
    # analyses: JSON
    ("analyze", ["--corpus", MINI], lambda: mini().analyze(), "json"),
    ("analyze", ["--corpus", OPC, "grounded", "strength"], lambda: opc().analyze("grounded", "strength"), "json"),
    (
        "analyze",
        ["--corpus", MINI, "--preferences", "none", "grounded"],
        lambda: argmap.load(MINI, preferences="none").analyze("grounded"),
        "json",
    ),
    # RDF: bytes
    ("build", ["--corpus", MINI], lambda: mini().export("turtle"), BYTES),
    ("build", ["--corpus", MINI, "--format", "nt", "--no-analysis"], lambda: mini().export("ntriples", analysis=False), BYTES),
    ("build", ["--corpus", MINI, "--format", "trig"], lambda: mini().export("trig"), BYTES),
    # the map: bytes
    ("map", ["--corpus", MINI, "--out", "-"], lambda: str(mini().map()), BYTES),
    (
        "map",
        ["--corpus", MINI, "--out", "-", "--no-analysis", "--title", "T"],
        lambda: str(mini().map(analysis=False, title="T")),
        BYTES,
    ),
    # SPARQL: rows
    (
        "query",
        ["SELECT ?c ?s WHERE { ?c arg:stance ?s } ORDER BY ?c", "--corpus", MINI, "--format", "csv"],
        lambda: mini().query("SELECT ?c ?s WHERE { ?c arg:stance ?s } ORDER BY ?c").records(),
        "csv",
    ),
    (
        "query",
        ["--named", "claims-by-topic", "-p", "topic=crime", "-p", "stance=con", "--corpus", OPC, "--format", "csv"],
        lambda: opc().query("claims-by-topic", topic="crime", stance="con").records(),
        "csv",
    ),
    (
        "query",
        ["SELECT (COUNT(?g) AS ?n) WHERE { ?c arg:groundedLabel ?g }", "--corpus", MINI, "--no-analysis", "-f", "csv"],
        lambda: mini().query("SELECT (COUNT(?g) AS ?n) WHERE { ?c arg:groundedLabel ?g }", analysis=False).records(),
        "csv",
    ),
]

# export: every format on a selection, and the options that change what is selected or drawn
SELECT_ARGS = ["--topic", "crime", "--stance", "con", "--widen", "1"]


def _opc_crime_objections() -> argmap.Debate:
    return opc().select(topic="crime", stance="con").widen(1)


EXPORTS: list[tuple[list[str], Callable[[str], Any]]] = [
    (["--corpus", MINI, "--topic", "cost"], lambda fmt: mini().select(topic="cost").export(fmt)),
    ([*SELECT_ARGS], lambda fmt: _opc_crime_objections().export(fmt)),
    (["--corpus", MINI, "--no-analysis"], lambda fmt: mini().export(fmt, analysis=False)),
]


def _formats() -> list[str]:
    from argmap.export.registry import exporters

    return [e.name for e in exporters()]


def test_every_command_is_compared_or_has_no_api_call():
    """A new command gets a case here, or a line in NOT_IN_THE_API saying why it has no API call."""
    compared = {name for name, *_ in CASES} | {"export", "serve"}
    assert set(main.commands) == compared | set(NOT_IN_THE_API)
    assert not compared & set(NOT_IN_THE_API)


#: Commands that write a corpus or talk to another server: files and sockets are the CLI's and the server's.
NOT_IN_THE_API = {
    "new": "writes a new corpus folder (argmap.sources.scaffold.new_debate returns its files)",
    "add-source": "writes a text and a sources.yaml entry (argmap.sources.intake)",
    "quote": "reads one source text (argmap.sources.quotes.find_loose)",
    "draft": "writes a draft file (argmap.sources.draft.draft_source, accept_drafts)",
    "annotate": "a local editing server that writes the corpus",
    "synth": "writes a synthetic corpus folder (argmap.sources.synth.synth_corpus returns its files)",
    "push": "sends the graph to another SPARQL server (argmap.graph.remote.push_graph)",
}


@pytest.mark.parametrize(
    "command,args,call,kind",
    CASES,
    ids=[f"{c}-{i}" for i, (c, *_) in enumerate(CASES)],
)
def test_command_equals_the_api(command, args, call, kind):
    if kind == "json":
        assert cli_json(command, *args) == jsonable(call())
    elif kind == "csv":
        rows = call()
        assert rows, "a comparison of nothing proves nothing"
        assert csv_rows(cli(command, *args)) == rows
    else:
        assert cli(command, *args) == as_bytes(call())


@pytest.mark.parametrize("fmt", _formats())
@pytest.mark.parametrize("i", range(len(EXPORTS)))
def test_export_equals_the_api(fmt, i, tmp_path):
    args, call = EXPORTS[i]
    data = call(fmt)
    if isinstance(data, dict):  # csv: a folder of files
        out = tmp_path / "out"
        CliRunner().invoke(main, ["export", fmt, *args, "--out", str(out)], catch_exceptions=False)
        assert {p.name: p.read_text(encoding="utf-8") for p in out.iterdir()} == data
        return
    assert cli("export", fmt, *args, "--out", "-") == as_bytes(data)


@pytest.mark.parametrize(
    "args,call",
    [
        (
            ["--slide", "--topic", "crime", "--stance", "con", "--widen", "1"],
            lambda: _opc_crime_objections().export("dot", slide=True),
        ),
        (["--summary", "--corpus", MINI], lambda: mini().export("brief-md", summary=True)),
        (
            ["--title", "Mine", "--corpus", MINI, "--stance", "pro"],
            lambda: mini().select(stance="pro").export("mermaid", title="Mine"),
        ),
        (
            ["--around", "save-lives", "--depth", "1", "--corpus", MINI],
            lambda: mini().select(around="save-lives").export("argdown"),
        ),
    ],
)
def test_export_options_equal_the_api(args, call):
    fmt = "dot" if "--slide" in args else "brief-md" if "--summary" in args else "mermaid" if "--title" in args else "argdown"
    assert cli("export", fmt, *args) == as_bytes(call())


def test_default_titles_say_what_was_selected():
    """The title a selection gets by default is the same both ways (it names the selection)."""
    text = _opc_crime_objections().export("mermaid")
    assert isinstance(text, str)
    assert "the objections and what answers them" in text
    assert cli("export", "mermaid", *SELECT_ARGS) == text.encode("utf-8")


def test_serve_answers_what_the_api_answers(tmp_path):
    """`argmap serve` (a real server on a free port) gives the rows of `Debate.query`."""
    q = "SELECT ?c ?s WHERE { ?c arg:stance ?s } ORDER BY ?c"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "argmap", "serve", "--corpus", MINI, "--port", "0", "--workers", "1"],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    try:
        assert proc.stderr is not None
        url = None
        for line in proc.stderr:
            found = re.search(r"serving (http://\S+/)", line)
            if found:
                url = found.group(1)
                break
        assert url, "the server did not say where it listens"
        request = urllib.request.Request(f"{url}sparql?{urllib.parse.urlencode({'query': q})}", headers={"Accept": "text/csv"})
        with urllib.request.urlopen(request, timeout=60) as response:
            served = csv_rows(response.read())
    finally:
        proc.terminate()
        proc.wait(timeout=60)
    assert served == mini().query(q).records() and served
