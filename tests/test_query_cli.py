"""`argmap query`, in-process: queries, named queries and their parameters, formats, the persistent store,
and the exit codes of a wrong query (1) and a wrong command line (2)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from argmap.cli import main
from argmap.graph.sparql import named_queries


def run(*args: str, code: int = 0):
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == code, (result.exit_code, result.output)
    assert "Traceback" not in result.output
    return result


CON = "SELECT ?id WHERE { ?c arg:stance arg:Con ; schema:identifier ?id } ORDER BY ?id"


def test_list_names_every_named_query_with_its_description():
    lines = run("query", "--list").stdout.splitlines()
    queries = named_queries()
    assert len(lines) == len(queries)
    for line, (name, q) in zip(lines, queries.items()):
        assert line.startswith(f"{name} ") and q.description in line
        for p in q.params:
            assert f"{p.name}=" in line


def test_query_formats(mini_path):
    m = str(mini_path)
    assert run("query", CON, "--corpus", m, "-f", "csv").stdout_bytes == b"id\r\ncost-2m\r\nhurt-sales\r\n"
    assert run("query", CON, "--corpus", m, "-f", "tsv").stdout == '?id\n"cost-2m"\n"hurt-sales"\n'
    data = json.loads(run("query", CON, "--corpus", m, "-f", "json").stdout)
    assert [b["id"]["value"] for b in data["results"]["bindings"]] == ["cost-2m", "hurt-sales"]
    assert "<literal>cost-2m</literal>" in run("query", CON, "--corpus", m, "-f", "xml").stdout
    table = run("query", CON, "--corpus", m).stdout
    assert "cost-2m" in table and "2 rows" in table


def test_construct_defaults_to_turtle(mini_path):
    out = run("query", "CONSTRUCT { ?c arg:stance arg:Con } WHERE { ?c arg:stance arg:Con }", "--corpus", str(mini_path)).stdout
    assert out.startswith("@prefix arg: <https://w3id.org/argmap/ns#> .")
    assert out.count("arg:stance arg:Con") == 2


def test_ask(mini_path):
    assert run("query", "ASK { ?c arg:stance arg:Neutral }", "--corpus", str(mini_path), "-f", "json").stdout.strip() == (
        '{"head": {}, "boolean": false}'
    )


def test_named_query_with_parameters():
    out = run("query", "--named", "claims-by-topic", "--param", "topic=crime", "-p", "stance=con", "-f", "csv").stdout
    rows = out.splitlines()
    assert rows[0] == "topic,side,claim,text,speaker,source,quote"
    assert all(r.startswith("crime,con,") for r in rows[1:]) and len(rows) > 2


def test_query_from_a_file_to_a_file(tmp_path, mini_path):
    qf = tmp_path / "q.rq"
    qf.write_text(CON, encoding="utf-8")
    out = tmp_path / "out.csv"
    result = run("query", "--file", str(qf), "--corpus", str(mini_path), "-f", "csv", "--out", str(out))
    assert out.read_bytes() == b"id\r\ncost-2m\r\nhurt-sales\r\n"
    assert f"wrote {out}" in result.stderr


def test_max_rows(mini_path):
    result = run("query", CON, "--corpus", str(mini_path), "-f", "csv", "--max-rows", "1")
    assert result.stdout_bytes == b"id\r\ncost-2m\r\n" and "cut at 1 rows" in result.stderr


def test_persistent_store(tmp_path, mini):
    folder = tmp_path / "store"
    first = run("query", CON, "--corpus", str(mini), "--store", str(folder), "-f", "csv")
    assert "built store" in first.stderr and first.stdout_bytes == b"id\r\ncost-2m\r\nhurt-sales\r\n"
    again = run("query", CON, "--store", str(folder), "-f", "csv")
    assert "built store" not in again.stderr and again.stdout == first.stdout


@pytest.mark.parametrize(
    "query,message",
    [
        ("SELECT ?x WHERE {\n  ?x ?y ?z .\n  FILTER(?x = }", "error: malformed query at 3:16:"),
        ("INSERT DATA { <http://e/a> <http://e/b> <http://e/c> }", "error: refused at 1:1: INSERT is an update"),
        ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", "error: refused at 1:18: SERVICE"),
    ],
)
def test_a_wrong_query_exits_1_with_a_message(mini_path, query, message):
    result = run("query", query, "--corpus", str(mini_path), code=1)
    assert message in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize(
    "args,message",
    [
        ([], "give one query: QUERY, --file FILE or --named NAME"),
        (["ASK {}", "--named", "statistics"], "give one query, not QUERY and --named"),
        (["--named", "nope"], "unknown named query 'nope' (expected one of: accepted-claims,"),
        (["--named", "statistics", "-p", "stance=con"], "has no parameter 'stance' (expected one of: topic)"),
        (["--named", "claims-by-topic", "-p", "stance=against"], "expected one of: pro, con, neutral"),
        (["--named", "claims-by-topic", "-p", "stance"], "--param stance: expected name=value"),
        (["ASK {}", "-p", "topic=crime"], "--param binds the parameters of a named query"),
        (["ASK {}", "--endpoint", "http://127.0.0.1:9/q", "--corpus", "x"], "do not give --corpus or --store"),
        (["ASK {}", "-f", "yaml"], "'yaml' is not one of"),
    ],
)
def test_a_wrong_command_line_exits_2(args, message):
    result = run("query", *args, code=2)
    assert message in result.stderr


def test_table_to_a_file_is_refused(tmp_path, mini_path):
    result = run("query", CON, "--corpus", str(mini_path), "--out", str(tmp_path / "x.txt"), code=2)
    assert "--format table is for the terminal" in result.stderr
    assert not (tmp_path / "x.txt").exists()


def test_help_examples():
    for cmd in ("query", "serve", "push"):
        assert f"Example: argmap {cmd}" in run(cmd, "--help").stdout


def test_an_unknown_argmap_term_is_named_with_the_nearest_real_one(mini_path):
    # A typo in one of our terms matches nothing; the answer (no rows) comes with a warning saying why.
    typo = "SELECT ?id WHERE {\n  ?c a arg:Klaim ;\n     arg:stanse arg:Con ; schema:identifier ?id }"
    result = run("query", typo, "--corpus", str(mini_path), "-f", "csv")
    assert result.stdout_bytes == b"id\r\n"
    assert "warning: 2:8: arg:Klaim is not an argmap term (did you mean schema:Claim?)" in result.stderr
    assert "warning: 3:6: arg:stanse is not an argmap term (did you mean arg:stance?)" in result.stderr
    # the real terms, and a query with its own arg: prefix, raise no warning
    assert "warning" not in run("query", CON, "--corpus", str(mini_path), "-f", "csv").stderr
    own = "PREFIX arg: <http://example.org/> SELECT ?x WHERE { ?x arg:anything ?y }"
    assert "warning" not in run("query", own, "--corpus", str(mini_path), "-f", "csv").stderr
