"""The `argmap` command, in-process: every command, JSON shapes, exit codes, help and README coverage."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from argmap.cli import main

ROOT = Path(__file__).parent.parent


def run(*args: str, code: int = 0):
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == code, (result.exit_code, result.output)
    return result


def test_claims_json_shape_and_filters(mini_path):
    rows = json.loads(run("claims", "--corpus", str(mini_path), "--stance", "con", "--json").stdout)
    assert [r["id"] for r in rows] == ["hurt-sales", "cost-2m"]
    for key in ("id", "text", "stance", "topics", "speaker", "source", "quote", "iri"):
        assert key in rows[0]
    assert rows[1]["figures"] == [{"value": 2000000, "unit": "US dollars", "qualifier": "about"}]
    assert rows[0]["iri"] == "https://w3id.org/argmap/debate/mini/claim/hurt-sales"


@pytest.mark.parametrize(
    "args,expected",
    [
        (["--topic", "safety"], ["save-lives", "cost-small", "crashes-fell"]),
        (["--topic", "safety", "--stance", "pro", "--source", "study-2023"], ["crashes-fell"]),
        (["--speaker", "lee"], ["save-lives", "cost-small"]),
        (["--speaker", "mayor"], ["save-lives", "cost-small"]),
        (["--topic", "business", "--topic", "cost"], ["hurt-sales", "cost-2m", "cost-small", "sales-held"]),
    ],
)
def test_claims_filters(mini_path, args, expected):
    rows = json.loads(run("claims", "--corpus", str(mini_path), *args, "--json").stdout)
    assert [r["id"] for r in rows] == expected


def test_claims_unknown_topic_is_a_usage_error(mini_path):
    result = run("claims", "--corpus", str(mini_path), "--topic", "crime", code=2)
    assert "unknown topic 'crime' (known topics: business, cost, safety)" in result.output


def test_claims_bad_stance_is_a_usage_error(mini_path):
    result = run("claims", "--corpus", str(mini_path), "--stance", "against", code=2)
    assert "against" in result.output


def test_claims_table_shows_quotes(mini_path):
    out = run("claims", "--corpus", str(mini_path), "--stance", "con").stdout
    assert "2 claim(s)" in out and "hurt-sales" in out


def test_relations_json(mini_path):
    rows = json.loads(run("relations", "--corpus", str(mini_path), "--json").stdout)
    assert len(rows) == 5
    assert {"from": "sales-held", "to": "hurt-sales", "type": "attacks"}.items() <= rows[1].items()
    assert rows[1]["rationale"] == "Sales held up where lanes were built."


def test_sources_json(mini_path):
    rows = json.loads(run("sources", "--corpus", str(mini_path), "--json").stdout)
    assert [(r["id"], r["kind"], r["date"], r["claims"]) for r in rows] == [
        ("gazette-2024", "news", "2024-03-05", 4),
        ("study-2023", "study", "2023", 2),
    ]
    assert rows[1]["excerpt"] is True


def test_validate_ok_and_json(mini_path):
    out = run("validate", "--corpus", str(mini_path)).stdout
    assert "6 quotes found" in out and "SHACL shapes: ok" in out
    report = json.loads(run("validate", "--corpus", str(mini_path), "--json").stdout)
    assert report["shacl"]["conforms"] is True and report["claims"] == 6


@pytest.mark.parametrize(
    "fmt,marker",
    [
        ("turtle", "@prefix"),
        ("nt", "<https://"),
        ("jsonld", '"@id"'),
        ("xml", "<rdf:RDF"),
        ("trig", "@prefix"),
        ("nquads", "<https://"),
    ],
)
def test_build_formats(mini_path, tmp_path, fmt, marker):
    out = tmp_path / f"g.{fmt}"
    run("build", "--corpus", str(mini_path), "--format", fmt, "--out", str(out))
    assert marker in out.read_text(encoding="utf-8")


def test_build_out_into_missing_folder_is_usage_error(mini_path, tmp_path):
    run("build", "--corpus", str(mini_path), "--out", str(tmp_path / "nope" / "g.ttl"), code=2)


def test_unknown_option_exit_2():
    run("claims", "--nope", code=2)


def test_python_dash_m_runs():
    proc = subprocess.run([sys.executable, "-m", "argmap", "--help"], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0 and "Commands:" in proc.stdout


def test_help_does_not_import_heavy_libraries():
    code = "import sys; from argmap.cli import main; heavy = [m for m in ('rdflib', 'networkx', 'pyshacl', 'pyoxigraph', 'pyvis', 'rich') if m in sys.modules]; print(heavy)"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert proc.stdout.strip() == "[]", proc.stdout + proc.stderr


def commands() -> list[str]:
    return sorted(main.commands)


@pytest.mark.parametrize("name", commands())
def test_every_command_has_an_example_and_readme_section(name):
    help_text = run(name, "--help").stdout
    assert re.search(r"Example: argmap " + name, help_text), help_text
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"### `argmap {name}`" in readme
