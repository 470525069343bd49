"""`argmap export`: formats, selection, where output goes, errors and exit codes, analysis results."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from export_support import HOSTILE, MINI, fake_metrics, graphviz_dot

import argmap.cli as cli
import argmap.graph.analysis as analysis
from argmap.cli import main
from argmap.export.registry import exporters, get_exporter
from argmap.graph.analysis import metrics_for_corpus
from argmap.sources import load_corpus


def run(*args: str):
    return CliRunner().invoke(main, ["export", *args], catch_exceptions=False)


def claim_ids_in_csv(folder: Path) -> list[str]:
    with open(folder / "claims.csv", encoding="utf-8", newline="") as fh:
        return [row["id"] for row in csv.DictReader(fh)]


# ---------------------------------------------------------------- listing and help


def test_list_names_every_format():
    result = run("--list")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert [line.split()[0] for line in lines] == [e.name for e in exporters()]
    assert "brief-md" in result.output and "Printable debate brief" in result.output


def test_help_names_every_format_and_has_an_example():
    result = run("--help")
    assert result.exit_code == 0
    for e in exporters():
        assert f"  {e.name} " in result.output
    assert "Example: argmap export" in result.output


# ---------------------------------------------------------------- text to stdout and files


def test_text_format_goes_to_stdout():
    result = run("mermaid", "--corpus", str(MINI), "--no-analysis")
    assert result.exit_code == 0
    assert result.output == get_exporter("mermaid").render(load_corpus(MINI))


def test_out_writes_the_file_and_says_so(tmp_path):
    out = tmp_path / "map.argdown"
    result = run("argdown", "--corpus", str(MINI), "--out", str(out))
    assert result.exit_code == 0
    corpus = load_corpus(MINI)
    expected = get_exporter("argdown").render(corpus, metrics=metrics_for_corpus(corpus))
    assert out.read_text(encoding="utf-8") == expected
    assert "(standing · strength" in expected  # the real analysis, not patched out
    assert f"wrote {out}" in result.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["map.argdown"]  # no temporary file left


def test_format_option_is_the_same_as_the_argument():
    a = run("brief-md", "--corpus", str(MINI))
    b = run("--format", "brief-md", "--corpus", str(MINI))
    c = run("md", "--corpus", str(MINI))
    assert a.exit_code == b.exit_code == c.exit_code == 0
    assert a.output == b.output == c.output
    assert a.output.startswith("# Town bike lanes — debate brief")


def test_two_different_formats_is_a_usage_error():
    result = run("dot", "--format", "mermaid", "--corpus", str(MINI))
    assert result.exit_code == 2 and "two formats" in result.output


def test_no_format_is_a_usage_error():
    result = run("--corpus", str(MINI))
    assert result.exit_code == 2 and "--list" in result.output


def test_unknown_format_is_a_usage_error():
    result = run("docx", "--corpus", str(MINI))
    assert result.exit_code == 2 and "brief-md" in result.output


def test_out_in_a_missing_folder_is_a_usage_error(tmp_path):
    result = run("dot", "--corpus", str(MINI), "--out", str(tmp_path / "nope" / "map.dot"))
    assert result.exit_code == 2 and "does not exist" in result.output


# ---------------------------------------------------------------- binary formats


def test_binary_format_is_not_written_to_a_terminal(monkeypatch):
    monkeypatch.setattr(cli, "stdout_is_terminal", lambda: True)
    result = run("png", "--corpus", str(MINI))
    assert result.exit_code == 2
    assert "--out FILE.png" in result.output


def test_binary_format_goes_to_a_pipe():
    graphviz_dot()
    result = CliRunner().invoke(main, ["export", "png", "--corpus", str(MINI)], catch_exceptions=False)
    assert result.exit_code == 0
    assert result.stdout_bytes.startswith(b"\x89PNG")


def test_pdf_to_file(tmp_path):
    graphviz_dot()
    out = tmp_path / "map.pdf"
    result = run("pdf", "--corpus", str(MINI), "--out", str(out))
    assert result.exit_code == 0
    assert out.read_bytes().startswith(b"%PDF-")


def test_missing_graphviz_exits_1_naming_dot(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", "")
    result = run("svg", "--corpus", str(MINI), "--out", str(tmp_path / "map.svg"))
    assert result.exit_code == 1
    assert "`dot`" in result.stderr and "graphviz" in result.stderr.lower()
    assert not (tmp_path / "map.svg").exists()


# ---------------------------------------------------------------- csv: several files


def test_csv_into_a_new_folder(tmp_path):
    out = tmp_path / "tables"
    result = run("csv", "--corpus", str(MINI), "--out", str(out))
    assert result.exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == ["claims.csv", "relations.csv"]
    assert claim_ids_in_csv(out) == sorted(c.id for c in load_corpus(MINI).claims)


def test_csv_into_an_existing_folder(tmp_path):
    (tmp_path / "keep.txt").write_text("x")
    result = run("csv", "--corpus", str(MINI), "--out", str(tmp_path))
    assert result.exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["claims.csv", "keep.txt", "relations.csv"]


def test_csv_beside_a_file_name(tmp_path):
    result = run("csv", "--corpus", str(MINI), "--out", str(tmp_path / "lanes.csv"))
    assert result.exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lanes-claims.csv", "lanes-relations.csv"]


def test_csv_needs_out():
    result = run("csv", "--corpus", str(MINI))
    assert result.exit_code == 2 and "--out" in result.output
    assert run("csv", "--corpus", str(MINI), "--out", "-").exit_code == 2


def test_csv_half_written_leaves_nothing(tmp_path, monkeypatch):
    """When writing the second table fails, neither table appears and no temporary folder is left."""
    import errno

    from argmap import files

    real = files._write_temp

    def failing(tmp, data, *, sync):
        if tmp.name == "relations.csv":
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(tmp, data, sync=sync)

    monkeypatch.setattr(files, "_write_temp", failing)
    out = tmp_path / "tables"
    result = run("csv", "--corpus", str(MINI), "--out", str(out))
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"error: cannot write {out / 'relations.csv'}: no space left on device" in result.output
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------- selection


def exported_ids(tmp_path: Path, *selection: str) -> list[str]:
    out = tmp_path / "sel"
    result = run("csv", "--corpus", str(MINI), "--out", str(out), *selection)
    assert result.exit_code == 0, result.output
    return claim_ids_in_csv(out)


def test_topic_selection(tmp_path):
    assert exported_ids(tmp_path, "--topic", "cost") == ["cost-2m", "cost-small"]


def test_stance_and_source_selection(tmp_path):
    assert exported_ids(tmp_path, "--stance", "con") == ["cost-2m", "hurt-sales"]
    assert exported_ids(tmp_path, "--source", "study-2023") == ["crashes-fell", "sales-held"]


def test_around_selection(tmp_path):
    assert exported_ids(tmp_path, "--around", "save-lives", "--depth", "1") == ["crashes-fell", "hurt-sales", "save-lives"]
    assert exported_ids(tmp_path, "--around", "save-lives", "--depth", "0") == ["save-lives"]


def test_selection_applies_to_diagrams_and_brief():
    dot = run("dot", "--corpus", str(MINI), "--topic", "cost").output
    assert '"claim:cost-2m"' in dot and '"claim:save-lives"' not in dot
    brief = run("brief", "--corpus", str(MINI), "--stance", "con").output
    assert "The lanes would cost about two million dollars." in brief
    assert "Protected lanes would prevent deaths" not in brief


@pytest.mark.parametrize(
    "args, message",
    [
        (("--topic", "weather"), "unknown topic 'weather'"),
        (("--source", "nope"), "unknown source 'nope'"),
        (("--around", "nope"), "unknown claim 'nope'"),
    ],
)
def test_unknown_selection_is_a_usage_error(args, message):
    result = run("dot", "--corpus", str(MINI), *args)
    assert result.exit_code == 2 and message in result.output


def test_bad_corpus_exits_1(tmp_path):
    result = run("dot", "--corpus", str(tmp_path / "none"))
    assert result.exit_code == 1 and "no such corpus folder" in result.stderr


# ---------------------------------------------------------------- analysis results


def test_analysis_results_are_included_when_available(monkeypatch, tmp_path):
    monkeypatch.setattr(analysis, "metrics_for_corpus", lambda corpus, **_: fake_metrics(corpus))
    out = tmp_path / "g.graphml"
    assert run("graphml", "--corpus", str(MINI), "--out", str(out)).exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert 'attr.name="grounded"' in text and 'attr.name="strength"' in text
    assert run("graphml", "--corpus", str(MINI), "--out", str(out), "--no-analysis").exit_code == 0
    assert 'attr.name="grounded"' not in out.read_text(encoding="utf-8")


def test_analysis_is_of_the_whole_debate_then_selected(monkeypatch, tmp_path):
    seen = []

    def metrics(corpus, **_):
        seen.append(len(corpus.claims))
        return fake_metrics(corpus)

    monkeypatch.setattr(analysis, "metrics_for_corpus", metrics)
    out = tmp_path / "t"
    assert run("csv", "--corpus", str(MINI), "--topic", "cost", "--out", str(out)).exit_code == 0
    assert seen == [len(load_corpus(MINI).claims)]
    with open(out / "claims.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    full = fake_metrics(load_corpus(MINI))
    assert {r["id"]: r["grounded"] for r in rows} == {cid: full[cid]["grounded"] for cid in ("cost-2m", "cost-small")}


def test_real_analysis_feeds_every_format(tmp_path):
    """Every text format accepts the real analysis results (nothing patched)."""
    for e in exporters():
        if e.binary or e.name in ("svg",):
            continue
        args = [e.name, "--corpus", str(HOSTILE)]
        if e.multi_file:
            args += ["--out", str(tmp_path / "csv")]
        result = run(*args)
        assert result.exit_code == 0, (e.name, result.output)
    brief = run("brief", "--corpus", str(MINI)).output
    assert "Analysis: " in brief


def test_hostile_corpus_exports_in_every_format(tmp_path):
    graphviz_dot()
    for e in exporters():
        out = tmp_path / (e.name + ("" if e.multi_file else "." + e.extension))
        result = run(e.name, "--corpus", str(HOSTILE), "--out", str(out))
        assert result.exit_code == 0, (e.name, result.output)
        assert out.exists()


def test_stdout_text_is_utf8():
    result = run("brief-md", "--corpus", str(MINI))
    assert "“will save lives on Main Street.”" in result.stdout_bytes.decode("utf-8")


def test_written_files_get_the_usual_permissions(tmp_path):
    """Files are staged as private temporary files; what lands has the mode the umask gives (not 0600)."""
    old = os.umask(0o022)
    try:
        assert run("dot", "--corpus", str(MINI), "--out", str(tmp_path / "m.dot")).exit_code == 0
        assert run("csv", "--corpus", str(MINI), "--out", str(tmp_path / "t")).exit_code == 0
    finally:
        os.umask(old)
    assert (tmp_path / "m.dot").stat().st_mode & 0o777 == 0o644
    assert (tmp_path / "t").stat().st_mode & 0o777 == 0o755
    assert (tmp_path / "t" / "claims.csv").stat().st_mode & 0o777 == 0o644


def test_widen_adds_the_answers(tmp_path):
    """--stance con --widen 1: the objections and the claims that answer (or are answered by) them."""
    assert exported_ids(tmp_path, "--stance", "con", "--widen", "1") == [
        "cost-2m", "cost-small", "hurt-sales", "sales-held", "save-lives"
    ]  # fmt: skip
    assert exported_ids(tmp_path, "--topic", "business", "--widen", "0") == ["hurt-sales", "sales-held"]


def test_csv_excel_writes_a_bom(tmp_path):
    result = run("csv", "--corpus", str(MINI), "--excel", "--out", str(tmp_path / "t"))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "t" / "claims.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert (tmp_path / "t" / "relations.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_brief_summary_is_the_first_part_only():
    result = run("brief-md", "--corpus", str(MINI), "--summary")
    assert result.exit_code == 0, result.output
    assert "## At a glance" in result.stdout and "## Sources" not in result.stdout


def test_option_for_another_format_is_a_usage_error():
    result = CliRunner().invoke(main, ["export", "turtle", "--summary", "--corpus", str(MINI)])
    assert result.exit_code == 2 and "--summary works with brief, brief-md" in result.output


def test_selection_title_heads_the_diagram():
    result = run("dot", "--corpus", str(MINI), "--topic", "safety", "--stance", "con", "--widen", "1")
    assert result.exit_code == 0, result.output
    assert 'label="Safety: the objections and what answers them"' in result.stdout
