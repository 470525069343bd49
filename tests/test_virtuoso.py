"""A real Virtuoso (Debian's `virtuoso-opensource`, installed by scripts/test), configured by the test in a
temporary folder on free loopback ports, started and stopped by a fixture. `argmap push` loads the OPC graph
into it by the Graph Store Protocol and by SPARQL Update; then every named query through `--endpoint` gives
the same rows as on the embedded store (a GROUP_CONCAT column compared as a set: its order is the engine's)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import free_port, need, wait_until_answers

from argmap.cli import main
from argmap.graph.remote import remote_query
from argmap.graph.sparql import named_queries, run_query

GSP_GRAPH = "https://w3id.org/argmap/debate/opc/"
UPDATE_GRAPH = "https://example.org/graphs/opc-by-update"
VSP = Path("/var/lib/virtuoso-opensource-7/vsp")

INI = """[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
MaxClientConnections = 5
CheckpointInterval = 0
DirsAllowed = ., {d}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
MaxQueryMem = 200M
ThreadsPerQuery = 2
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {vsp}
MaxClientConnections = 5
ServerThreads = 5
Charset = UTF-8
[SPARQL]
ResultSetMaxRows = 100000
MaxQueryExecutionTime = 60
"""


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory):
    """The base address of a fresh Virtuoso (user dba, password dba: a new database's)."""
    command = shutil.which("virtuoso-t")
    need(command is not None, "Virtuoso (Debian package virtuoso-opensource; scripts/test installs it)")
    assert command is not None
    folder = tmp_path_factory.mktemp("virtuoso")
    http_port, sql_port = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(
        INI.format(d=folder, sql_port=sql_port, http_port=http_port, vsp=VSP if VSP.is_dir() else folder), encoding="utf-8"
    )
    proc = subprocess.Popen(
        [command, "+foreground", "+configfile", str(ini)], cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{http_port}"
    try:
        log = folder / "virtuoso.log"
        wait_until_answers(
            f"{base}/sparql?query=ASK%7B%7D",
            proc,
            what="Virtuoso",
            within=120,
            log=lambda: log.read_text() if log.exists() else "",
            every=0.5,
            request_timeout=5,
        )
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)


def run(*args: str, code: int = 0):
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == code, (result.exit_code, result.output)
    return result


@pytest.fixture(scope="module")
def pushed(virtuoso):
    """The OPC graph pushed twice: by the Graph Store Protocol (Digest login) and by SPARQL Update."""
    result = run("push", "--endpoint", f"{virtuoso}/sparql-graph-crud-auth", "--user", "dba:dba", "--graph", GSP_GRAPH)
    assert "(HTTP 201)" in result.stderr or "(HTTP 200)" in result.stderr
    result = run("push", "--endpoint", f"{virtuoso}/sparql-auth", "--user", "dba:dba", "--update", "--graph", UPDATE_GRAPH)
    assert "update requests" in result.stderr
    return virtuoso


@pytest.fixture(scope="module")
def local():
    from argmap.graph.store import memory_store
    from argmap.sources import load_corpus

    return memory_store(load_corpus())


def comparable(result, text: str) -> list[tuple]:
    """Rows as tuples of plain values, sorted (ties in ORDER BY are the engine's), with each GROUP_CONCAT
    column's words sorted."""
    concat = set(re.findall(r"(?is)GROUP_CONCAT\(.*?\)\s+AS\s+\?(\w+)", text))
    rows = [
        tuple(" ".join(sorted(v.split())) if k in concat and v else v for k, v in record.items()) for record in result.records()
    ]
    return sorted(rows, key=lambda row: tuple("" if v is None else v for v in row))


def test_the_default_graph_push_names_virtuosos_rule(virtuoso):
    result = run(
        "push", "--endpoint", f"{virtuoso}/sparql-graph-crud-auth", "--user", "dba:dba", "--corpus", "tests/data/mini", code=1
    )
    assert "not configured to have default graph" in result.stderr and "--graph IRI" in result.stderr


@pytest.mark.parametrize("graph", [GSP_GRAPH, UPDATE_GRAPH], ids=["gsp", "update"])
def test_both_pushes_hold_the_whole_graph(pushed, local, graph):
    n = remote_query(f"{pushed}/sparql", f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    assert int(str(n.records()[0]["n"])) == len(local)


@pytest.mark.parametrize("graph", [GSP_GRAPH, UPDATE_GRAPH], ids=["gsp", "update"])
@pytest.mark.parametrize("name", sorted(named_queries()))
def test_named_queries_give_the_same_rows_on_virtuoso(pushed, local, name, graph):
    text = named_queries()[name].text
    remote = remote_query(f"{pushed}/sparql", text, default_graph=graph)
    mine = run_query(local, text)
    assert remote.variables == mine.variables
    assert comparable(remote, text) == comparable(mine, text)
    assert mine.rows


def test_query_endpoint_graph_option(pushed):
    out = run(
        "query",
        "--endpoint",
        f"{pushed}/sparql",
        "--graph",
        GSP_GRAPH,
        "--named",
        "claims-by-topic",
        "-p",
        "topic=crime",
        "-p",
        "stance=con",
        "--format",
        "csv",
    ).stdout
    assert out.splitlines()[0] == "topic,side,claim,text,speaker,source,quote"
    assert any(line.startswith("crime,con,muse-critics-crime-rates,") for line in out.splitlines())
