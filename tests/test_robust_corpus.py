"""Broken and hostile corpora (issue 19): each kind gives one clear `file:line: what (allowed)` error,
exit 1, no traceback, nothing written, and nothing read from outside the corpus folder."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from argmap.cli import main
from argmap.errors import CorpusErrors
from argmap.sources import load_corpus


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture edit: {old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def messages(corpus: Path) -> list[str]:
    with pytest.raises(CorpusErrors) as info:
        load_corpus(corpus)
    return [str(e) for e in info.value.errors]


def run_all_commands(corpus: Path, tmp_path: Path, pattern: str) -> None:
    """validate, build and map: exit 1, the message, no traceback, no output file (old one kept)."""
    out_dir = tmp_path / "out"
    out_dir.mkdir(exist_ok=True)
    (out_dir / "old.html").write_text("previous\n")
    for args in (
        ["validate", "--corpus", str(corpus)],
        ["build", "--corpus", str(corpus), "--out", str(out_dir / "g.ttl")],
        ["map", "--corpus", str(corpus), "--out", str(out_dir / "old.html")],
    ):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 1, (args, result.output)
        assert "Traceback" not in result.output, result.output
        assert re.search(pattern, result.output), result.output
    assert sorted(p.name for p in out_dir.iterdir()) == ["old.html"]
    assert (out_dir / "old.html").read_text() == "previous\n"


# ---------------------------------------------------------------- 1: nothing read outside the corpus folder

SECRET = "root:x:0:0:root:/root:/bin/bash\n"


def outside_copy(mini: Path, tmp_path: Path) -> Path:
    """A text outside the corpus that the corpus's quotes match (so today's loader accepts it), plus a secret."""
    outside = tmp_path / "outside.txt"
    outside.write_text(SECRET + (mini / "texts/gazette-2024.txt").read_text(encoding="utf-8"), encoding="utf-8")
    return outside


def test_a_source_file_with_dotdot_is_refused(mini, tmp_path):
    outside_copy(mini, tmp_path)
    edit(mini / "sources.yaml", "file: texts/gazette-2024.txt", "file: ../outside.txt")
    pattern = r"sources\.yaml:2: source 'gazette-2024': file '\.\./outside\.txt' must lie inside the corpus folder"
    assert any(re.search(pattern, m) for m in messages(mini)), messages(mini)
    run_all_commands(mini, tmp_path, pattern)


def test_an_absolute_source_file_is_refused(mini, tmp_path):
    outside = outside_copy(mini, tmp_path)
    edit(mini / "sources.yaml", "file: texts/gazette-2024.txt", f"file: {outside}")
    assert any(re.search(r"sources\.yaml:2: .*must lie inside the corpus folder", m) for m in messages(mini))


def test_a_text_symlink_leading_out_is_refused(mini, tmp_path):
    outside = outside_copy(mini, tmp_path)
    (mini / "texts/gazette-2024.txt").unlink()
    os.symlink(outside, mini / "texts/gazette-2024.txt")
    pattern = r"sources\.yaml:2: source 'gazette-2024': file 'texts/gazette-2024\.txt' must lie inside the corpus folder"
    assert any(re.search(pattern, m) for m in messages(mini)), messages(mini)
    run_all_commands(mini, tmp_path, pattern)
    # and the secret is in no message
    result = CliRunner().invoke(main, ["validate", "--corpus", str(mini)])
    assert "root:x" not in result.output


def test_a_texts_folder_symlink_leading_out_is_refused(mini, tmp_path):
    outside_dir = tmp_path / "elsewhere"
    shutil.move(str(mini / "texts"), outside_dir)
    os.symlink(outside_dir, mini / "texts")
    msgs = messages(mini)
    assert sum("must lie inside the corpus folder" in m for m in msgs) == 2, msgs


def test_a_yaml_symlink_leading_out_is_refused(mini, tmp_path):
    outside = tmp_path / "claims-elsewhere.yaml"
    shutil.move(str(mini / "claims/study.yaml"), outside)
    os.symlink(outside, mini / "claims/study.yaml")
    msgs = messages(mini)
    assert any(re.search(r"claims/study\.yaml: the file must lie inside the corpus folder", m) for m in msgs), msgs


def test_a_symlink_inside_the_folder_is_fine(mini):
    shutil.move(str(mini / "texts/study-2023.txt"), mini / "texts/real-study.txt")
    os.symlink("real-study.txt", mini / "texts/study-2023.txt")
    assert len(load_corpus(mini).claims) == 6


def test_a_corpus_reached_through_a_symlink_is_fine(mini, tmp_path):
    link = tmp_path / "link-to-mini"
    os.symlink(mini, link)
    assert len(load_corpus(link).claims) == 6


# ---------------------------------------------------------------- 2: base is an absolute http(s) IRI

BAD_BASES = [
    "not an iri",
    "debates/mini/",
    "javascript:alert(1)//",
    "https://example.org/debates/mini",  # no trailing / or #
    "https://exa mple.org/debates/",
    "https:///debates/",
    "ftp://example.org/debates/",
    "https://example.org/a#b#",
    'https://example.org/"x"/',
]


@pytest.mark.parametrize("base", BAD_BASES)
def test_a_base_that_is_not_an_absolute_http_iri_is_refused(mini, base):
    with (mini / "debate.yaml").open("a", encoding="utf-8") as fh:
        fh.write(f"base: '{base}'\n")
    msgs = messages(mini)
    assert any(re.search(r"debate\.yaml:5: base '.*' is not an absolute http\(s\) IRI ending in '/' or '#'", m) for m in msgs), (
        msgs
    )


def test_a_bad_base_fails_validate_build_and_map_cleanly(mini, tmp_path):
    with (mini / "debate.yaml").open("a", encoding="utf-8") as fh:
        fh.write("base: not an iri\n")
    run_all_commands(mini, tmp_path, r"debate\.yaml:5: base 'not an iri' is not an absolute http\(s\) IRI")
    result = CliRunner().invoke(main, ["query", "--corpus", str(mini), "ASK { ?s ?p ?o }"])
    assert result.exit_code == 1 and "Traceback" not in result.output and "not a valid URI" not in result.output


@pytest.mark.parametrize("base", ["https://example.org/debates/mini/", "http://example.org/d#", "https://EXAMPLE.org:8080/é/"])
def test_a_good_base_is_used(mini, base):
    with (mini / "debate.yaml").open("a", encoding="utf-8") as fh:
        fh.write(f"base: '{base}'\n")
    assert load_corpus(mini).base == base


# ---------------------------------------------------------------- 3: empty and whitespace-only YAML files

EMPTY_KINDS = {"": "empty", "  \n\n\t\n": "whitespace", "# nothing yet\n\n": "comments", "---\n": "document-marker"}
FILES = {
    "debate.yaml": "a mapping with id, title and motion",
    "topics.yaml": "a list of topics",
    "speakers.yaml": "a list of speakers",
    "sources.yaml": "a list of sources",
    "claims/study.yaml": "a list of claims",
    "relations.yaml": "a list of relations",
}


@pytest.mark.parametrize("content", list(EMPTY_KINDS), ids=list(EMPTY_KINDS.values()))
@pytest.mark.parametrize("rel", list(FILES))
def test_an_empty_yaml_file_is_one_clear_error(mini, rel, content):
    (mini / rel).write_text(content, encoding="utf-8")
    msgs = messages(mini)
    expected = re.escape(f"{rel}:1: the file holds nothing (expected {FILES[rel]}")
    assert re.search(expected, msgs[0]), msgs
    assert len(msgs) == 1, msgs  # nothing that only follows from it


def test_an_empty_debate_yaml_fails_every_command_cleanly(mini, tmp_path):
    (mini / "debate.yaml").write_text("", encoding="utf-8")
    run_all_commands(mini, tmp_path, r"debate\.yaml:1: the file holds nothing")
    for args in (["claims"], ["analyze", "grounded"], ["export", "mermaid"], ["query", "ASK { ?s ?p ?o }"]):
        result = CliRunner().invoke(main, [*args, "--corpus", str(mini)])
        assert result.exit_code == 1 and "Traceback" not in result.output, (args, result.output)
        assert "debate.yaml:1: the file holds nothing" in result.output


def test_an_explicit_empty_list_means_none(mini):
    (mini / "relations.yaml").write_text("[]\n", encoding="utf-8")
    assert load_corpus(mini).relations == ()


# ---------------------------------------------------------------- 4: the root error, not what follows from it


def test_a_bad_source_date_is_one_error_not_one_per_claim(mini):
    edit(mini / "sources.yaml", "date: 2024-03-05", "date: 2024-13-05")
    msgs = messages(mini)
    assert len(msgs) == 1 and "bad date '2024-13-05'" in msgs[0], msgs


def test_a_missing_text_file_is_one_error(mini):
    (mini / "texts/gazette-2024.txt").unlink()
    msgs = messages(mini)
    assert len(msgs) == 1 and "text file 'texts/gazette-2024.txt' not found" in msgs[0], msgs


def test_a_yaml_error_in_a_claims_file_is_one_error(mini):
    edit(mini / "claims/study.yaml", "  stance: pro\n", "  stance: [pro\n")
    msgs = messages(mini)
    assert len(msgs) == 1 and "claims/study.yaml" in msgs[0] and "not valid YAML" in msgs[0], msgs


def test_a_bad_topic_is_one_error(mini):
    edit(mini / "topics.yaml", "- id: business\n", "- id: Business\n")
    msgs = messages(mini)
    assert len(msgs) == 1 and "bad topic id 'Business'" in msgs[0], msgs


def test_a_bad_speaker_is_one_error(mini):
    text = (mini / "speakers.yaml").read_text(encoding="utf-8")
    found = re.search(r"type: (\w+)", text)
    assert found
    first_type = found.group(0)
    edit(mini / "speakers.yaml", first_type, "type: robot")
    msgs = messages(mini)
    assert len(msgs) == 1 and "unknown type 'robot'" in msgs[0], msgs


def test_an_undercut_of_a_relation_with_a_broken_end_is_not_reported(mini):
    with (mini / "relations.yaml").open("a", encoding="utf-8") as fh:
        fh.write("- from: cost-small\n  to: crashes-fell--supports--save-lives\n  type: undercuts\n  rationale: r\n")
    assert len(load_corpus(mini).relations) == 6
    edit(mini / "claims/study.yaml", "kind: statistic", "kind: guess")
    msgs = messages(mini)
    assert len(msgs) == 1 and "unknown kind 'guess'" in msgs[0], msgs


def test_a_real_unknown_reference_is_still_reported(mini):
    edit(mini / "sources.yaml", "date: 2024-03-05", "date: 2024-13-05")
    edit(mini / "claims/study.yaml", "source: study-2023", "source: study-2032")
    msgs = messages(mini)
    assert len(msgs) == 2 and any("unknown source 'study-2032'" in m for m in msgs), msgs


# ---------------------------------------------------------------- 5: text hygiene, odd files, cycles, many errors

HOSTILE_CHARS = {
    "nul": ("\\0", "U+0000"),
    "bell": ("\\a", "U+0007"),
    "escape": ("\\e", "U+001B"),
    "rlo": ("\\u202E", "U+202E"),
    "lre": ("\\u202A", "U+202A"),
    "rli": ("\\u2067", "U+2067"),
    "pdi": ("\\u2069", "U+2069"),
}


@pytest.mark.parametrize("char,code", list(HOSTILE_CHARS.values()), ids=list(HOSTILE_CHARS))
@pytest.mark.parametrize(
    "rel,old,new,label",
    [
        (
            "claims/gazette.yaml",
            "  text: Protected lanes would prevent deaths on Main Street.",
            '  text: "Protected {c}lanes would prevent deaths on Main Street."',
            "claim 'save-lives': 'text'",
        ),
        (
            "claims/gazette.yaml",
            "  kind: causal\n",
            '  kind: causal\n  title: "Lanes {c}save lives"\n',
            "claim 'save-lives': 'title'",
        ),
        ("speakers.yaml", "  name: Ann Lee", '  name: "Ann {c}Lee"', "speaker 'ann-lee': 'name'"),
        (
            "sources.yaml",
            "  title: Council debates Main Street lanes",
            '  title: "Council {c}debates"',
            "source 'gazette-2024': 'title'",
        ),
        ("topics.yaml", "  label: Safety", '  label: "Saf{c}ety"', "topic 'safety': 'label'"),
        ("debate.yaml", "title: Town bike lanes", 'title: "Town {c}bike lanes"', "debate 'mini': 'title'"),
    ],
    ids=["claim-text", "claim-title", "speaker-name", "source-title", "topic-label", "debate-title"],
)
def test_control_and_bidi_characters_are_refused(mini, rel, old, new, label, char, code):
    edit(mini / rel, old, new.replace("{c}", char))
    msgs = messages(mini)
    pattern = re.escape(f"{label} holds {code} (") + r"[A-Z -]+" + re.escape(") at character ")
    assert any(re.search(pattern, m) for m in msgs), msgs
    assert any("tab and line breaks are allowed" in m for m in msgs), msgs


def test_a_quote_with_a_bidi_override_is_refused(mini):
    edit(
        mini / "claims/study.yaml",
        "quote: Crashes fell 40% after protected lanes opened.",
        'quote: "Crashes fell 40%\\u202e after protected lanes opened."',
    )
    msgs = messages(mini)
    assert any("claim 'crashes-fell': 'quote' holds U+202E (RIGHT-TO-LEFT OVERRIDE) at character 17" in m for m in msgs), msgs


def test_tabs_and_line_breaks_are_fine(mini):
    edit(
        mini / "claims/gazette.yaml",
        "  text: Protected lanes would prevent deaths on Main Street.",
        '  text: "Protected\\tlanes would prevent\\ndeaths on Main Street."',
    )
    assert len(load_corpus(mini).claims) == 6


def test_a_fifo_as_a_text_file_is_not_a_regular_file(mini):
    (mini / "texts/study-2023.txt").unlink()
    os.mkfifo(mini / "texts/study-2023.txt")
    msgs = messages(mini)  # and does not hang reading it
    assert msgs == [m for m in msgs if "not a regular file" in m] and len(msgs) == 1, msgs
    assert re.search(
        r"sources\.yaml:\d+: source 'study-2023': text file 'texts/study-2023\.txt' is not a regular file \(a FIFO\)", msgs[0]
    )


def test_a_device_or_folder_as_a_text_file_is_not_a_regular_file(mini):
    edit(mini / "sources.yaml", "file: texts/study-2023.txt", "file: texts")
    msgs = messages(mini)
    assert any("text file 'texts' is not a regular file (a folder)" in m for m in msgs), msgs


def test_a_fifo_as_a_yaml_file_is_not_a_regular_file(mini):
    (mini / "relations.yaml").unlink()
    os.mkfifo(mini / "relations.yaml")
    (mini / "claims/study.yaml").unlink()
    os.mkfifo(mini / "claims/study.yaml")
    msgs = messages(mini)
    assert any(re.search(r"relations\.yaml: not a regular file \(a FIFO\)", m) for m in msgs), msgs
    assert any(re.search(r"claims/study\.yaml: not a regular file \(a FIFO\)", m) for m in msgs), msgs


def test_a_broader_cycle_is_refused_naming_it(mini):
    edit(
        mini / "topics.yaml",
        "  definition: Effects on shops along the street.\n",
        "  definition: Effects on shops along the street.\n  broader: cost\n",
    )
    msgs = messages(mini)
    assert any(
        re.search(r"topics\.yaml:\d+: topic 'business': broader topics form a cycle: business -> cost -> business", m)
        for m in msgs
    ), msgs
    assert len(msgs) == 1, msgs


def test_a_topic_broader_than_itself_is_refused(mini):
    edit(
        mini / "topics.yaml",
        "  definition: Whether the lanes make streets safer.\n",
        "  definition: Whether the lanes make streets safer.\n  broader: safety\n",
    )
    msgs = messages(mini)
    assert any("topic 'safety': broader topics form a cycle: safety -> safety" in m for m in msgs), msgs


def test_many_errors_stop_after_the_first_100(mini):
    claim = (mini / "claims/study.yaml").read_text(encoding="utf-8").split("- id: sales-held")[0]
    many = "".join(claim.replace("crashes-fell", f"bad-{i}").replace("stance: pro", "stance: against") for i in range(250))
    (mini / "claims/many.yaml").write_text(many, encoding="utf-8")
    with pytest.raises(CorpusErrors) as info:
        load_corpus(mini)
    assert len(info.value.errors) == 100 and info.value.more == 150
    assert str(info.value).endswith("\n... and 150 more")
    result = CliRunner().invoke(main, ["validate", "--corpus", str(mini)])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert (
        len(lines) == 102
        and lines[-2] == "... and 150 more errors"
        and lines[-1] == "250 errors in the corpus; nothing was written"
    )


def test_a_dangling_link_in_claims_is_one_error(mini):
    os.symlink("nowhere.yaml", mini / "claims/gone.yaml")
    msgs = messages(mini)
    assert len(msgs) == 1 and re.search(r"claims/gone\.yaml: cannot be read: no such file or directory", msgs[0]), msgs


YAML_CASES = {
    "scalars": "a: 1\nb: [x, 'y', \"z\", 2.5, true, null, ~, 2020-01-02, '', 0x1f, .inf, yes, on]\nc:\n",
    "aliases": "base: &b {k: v, n: [1, 2]}\none: *b\ntwo: *b\n",
    "merge keys": "base: &b {k: v}\nmerged:\n  <<: *b\n  j: w\n",
    "tags": "- !!set {a, b}\n- !!omap [a: 1]\n- !!str 12\n- !!int '7'\n",
    "nested": "- id: c1\n  figures:\n    - value: 3\n      unit: deaths\n  topics: [crime, costs]\n",
}


def _shape(x):
    from argmap.sources.yamlio import YMap

    if isinstance(x, YMap):
        return ("map", x.line, dict(x.key_lines), {k: _shape(v) for k, v in x.items()})
    if isinstance(x, list):
        return [_shape(v) for v in x]
    return x


@pytest.mark.parametrize("case", sorted(YAML_CASES))
def test_the_yaml_reader_gives_what_pyyamls_constructor_gives(case, tmp_path):
    # load_yaml makes mappings, lists and strings itself (a third of the time of reading a corpus): the
    # same values, lines and key lines as PyYAML's own constructor with argmap's mapping type
    from argmap.sources.yamlio import _Base, _Loader, load_yaml

    text = YAML_CASES[case]
    loader = _Loader(text)
    try:
        expected = _Base.get_single_data(loader)
    finally:
        loader.dispose()
    (tmp_path / "x.yaml").write_text(text, encoding="utf-8")
    got = load_yaml(tmp_path / "x.yaml", "x.yaml")
    assert _shape(got) == _shape(expected)
    if case == "aliases":
        assert got["one"] is got["two"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: 1\na: 2\n", "x.yaml:2: duplicate key 'a' (first at line 1); each key may appear once"),
        ("? [a]\n: b\n", "x.yaml:1: a mapping key must be plain text"),
        ("a: &r\n  b: *r\n", "x.yaml:1: not valid YAML: found unconstructable recursive node"),
    ],
)
def test_the_yaml_reader_refuses_what_it_refused_before(text, message, tmp_path):
    from argmap.errors import CorpusError
    from argmap.sources.yamlio import load_yaml

    (tmp_path / "x.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(CorpusError) as err:
        load_yaml(tmp_path / "x.yaml", "x.yaml")
    assert str(err.value) == message
