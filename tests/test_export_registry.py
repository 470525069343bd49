"""The exporter registry: names, aliases, lazy loading, documentation, and a test for every format."""

from __future__ import annotations

import ast
import re
import subprocess
import sys

import pytest
from export_support import MINI, ROOT

from argmap.errors import ExportError
from argmap.export.registry import Exporter, exporters, format_names, formats_markdown, get_exporter
from argmap.sources import load_corpus

REQUIRED = {
    "svg", "png", "pdf", "dot", "mermaid", "argdown", "aif", "graphml", "gexf",
    "jsonld", "turtle", "ntriples", "xml", "trig", "nquads", "csv", "brief", "brief-md", "apx", "tgf", "iccma",
}  # fmt: skip


def test_the_issue_formats_are_registered():
    assert set(format_names()) == REQUIRED


def test_names_and_aliases_are_unique():
    names = format_names(aliases=True)
    assert len(names) == len(set(names))


@pytest.mark.parametrize("exporter", exporters(), ids=lambda e: e.name)
def test_every_name_and_alias_finds_its_exporter(exporter: Exporter):
    for name in (exporter.name, *exporter.aliases, exporter.name.upper()):
        assert get_exporter(name) is exporter


@pytest.mark.parametrize("exporter", exporters(), ids=lambda e: e.name)
def test_every_exporter_renders_the_type_it_declares(exporter: Exporter):
    if exporter.binary:
        from export_support import graphviz_dot

        graphviz_dot()
    data = exporter.render(load_corpus(MINI))
    if exporter.multi_file:
        assert isinstance(data, dict) and data and all(isinstance(v, str) for v in data.values())
        assert all(name.endswith("." + exporter.extension) for name in data)
    elif exporter.binary:
        assert isinstance(data, bytes) and data
    else:
        assert isinstance(data, str) and data.endswith("\n")


def test_unknown_format_names_the_known_ones():
    with pytest.raises(ExportError, match="unknown export format 'docx'.*brief-md"):
        get_exporter("docx")


def test_registry_imports_no_format_module():
    """The registry holds dotted paths: importing it (as the CLI does) loads no exporter or heavy library."""
    code = (
        "import sys, argmap.cli\n"
        "bad = [m for m in sys.modules if m.startswith('argmap.export.') and m not in "
        "('argmap.export.registry',)] + [m for m in ('rdflib', 'networkx', 'pyoxigraph') if m in sys.modules]\n"
        "print(bad)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert proc.stdout.strip() == "[]"


def test_every_registered_format_has_a_roundtrip_test():
    """Meta-test: each format needs a ``test_roundtrip_<name>`` in tests/test_export_formats.py."""
    tree = ast.parse((ROOT / "tests" / "test_export_formats.py").read_text(encoding="utf-8"))
    tests = {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}
    missing = [e.name for e in exporters() if f"test_roundtrip_{e.name.replace('-', '_')}" not in tests]
    assert missing == [], f"formats without a round-trip test: {missing}"


def test_docs_list_every_format_as_the_registry_does():
    """README.md and docs/export.md carry the registry's format table, word for word."""
    for rel in ("README.md", "docs/export.md"):
        doc = (ROOT / rel).read_text(encoding="utf-8")
        m = re.search(r"<!-- formats:start[^>]*-->\n(.*?)<!-- formats:end -->", doc, flags=re.S)
        assert m, f"{rel} lacks the formats:start/formats:end markers"
        assert m.group(1) == formats_markdown(), (
            f"the format table in {rel} is out of date; regenerate it with "
            "python -c 'from argmap.export.registry import formats_markdown as f; print(f())'"
        )
        for name in format_names():
            assert f"`{name}`" in doc
