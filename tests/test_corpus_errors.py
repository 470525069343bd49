"""One broken corpus per kind of bad input, each with the message a user sees.

Every case copies the mini corpus, breaks one thing, and checks the loader's message (file:line, what is
wrong, what is allowed), the CLI's exit code 1, that no traceback is printed and no output file is left.
"""

from __future__ import annotations

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


def break_yaml(c):
    edit(c / "claims/gazette.yaml", "  stance: pro\n", "  stance: [pro\n")


def missing_field(c):
    edit(
        c / "claims/gazette.yaml",
        "  kind: causal\n",
        "",
    )


def duplicate_id(c):
    edit(c / "claims/study.yaml", "- id: sales-held", "- id: save-lives")


def unknown_topic(c):
    edit(c / "claims/study.yaml", "topics: [business]", "topics: [busines]")


def unknown_stance(c):
    edit(c / "claims/gazette.yaml", "stance: con", "stance: against")


def unknown_kind(c):
    edit(c / "claims/study.yaml", "kind: factual", "kind: opinion")


def unknown_relation_target(c):
    edit(c / "relations.yaml", "to: hurt-sales", "to: hurt-sale")


def self_relation(c):
    edit(c / "relations.yaml", "- from: sales-held\n  to: hurt-sales", "- from: sales-held\n  to: sales-held")


def quote_not_found(c):
    edit(c / "claims/study.yaml", "quote: Sales on the street did not fall.", "quote: Sales on the street did not drop.")


def ambiguous_quote(c):
    edit(c / "claims/gazette.yaml", "  occurrence: 1\n", "")


def missing_text_file(c):
    (c / "texts/study-2023.txt").unlink()


def bad_date(c):
    edit(c / "sources.yaml", "date: 2024-03-05", "date: 2024-13-05")


def not_utf8(c):
    p = c / "claims/study.yaml"
    p.write_bytes(p.read_bytes().replace(b"Sales did not fall", b"Sales did not f\xe4ll"))


def empty_folder(c):
    shutil.rmtree(c)
    c.mkdir()


def unknown_field(c):
    edit(c / "claims/study.yaml", "  kind: factual\n", "  kind: factual\n  stence: pro\n")


def bad_figure(c):
    edit(c / "claims/gazette.yaml", "value: 2000000", "value: '2,000,000'")


def curly_apostrophe_changed(c):
    # the source has a curly quote; a straight one is a different character, not whitespace
    edit(
        c / "claims/gazette.yaml",
        "protected lanes “will save lives on Main Street.”",
        'protected lanes "will save lives on Main Street."',
    )


CASES = [
    (break_yaml, r"claims/gazette\.yaml:\d+: not valid YAML"),
    (missing_field, r"claims/gazette\.yaml:1: claim 'save-lives' is missing required field 'kind' \(required: id, text, quote"),
    (duplicate_id, r"claims/study\.yaml:\d+: duplicate claim id 'save-lives' \(first defined at .*claims/gazette\.yaml:1\)"),
    (
        unknown_topic,
        r"claims/study\.yaml:\d+: claim 'sales-held': unknown topic 'busines'; did you mean 'business'\? \(known topics: business, cost, safety\)",
    ),
    (
        unknown_stance,
        r"claims/gazette\.yaml:\d+: claim 'hurt-sales': unknown stance 'against' \(expected one of: pro, con, neutral\)",
    ),
    (
        unknown_kind,
        r"claims/study\.yaml:\d+: claim 'sales-held': unknown kind 'opinion' \(expected one of: statistic, factual, causal, evaluative, policy\)",
    ),
    (
        unknown_relation_target,
        r"relations\.yaml:\d+: relation 'sales-held--attacks--hurt-sale': unknown claim 'hurt-sale'; did you mean 'hurt-sales'\?",
    ),
    (self_relation, r"relations\.yaml:\d+: relation 'sales-held--attacks--sales-held' relates claim 'sales-held' to itself"),
    (
        quote_not_found,
        r"claims/study\.yaml:\d+: claim 'sales-held': quote not found in source 'study-2023' .*the source has 'fall\.'",
    ),
    (
        ambiguous_quote,
        r"claims/gazette\.yaml:\d+: claim 'hurt-sales': quote occurs 2 times in source 'gazette-2024' \(at .*gazette-2024\.txt:2, .*gazette-2024\.txt:5\); .*occurrence: N",
    ),
    (missing_text_file, r"sources\.yaml:\d+: source 'study-2023': text file 'texts/study-2023\.txt' not found"),
    (bad_date, r"sources\.yaml:\d+: source 'gazette-2024': bad date '2024-13-05' \(expected YYYY, YYYY-MM or YYYY-MM-DD"),
    (not_utf8, r"claims/study\.yaml:\d+: not valid UTF-8 \(byte 0xe4 at column \d+\)"),
    (empty_folder, r"not a debate corpus: the folder is empty"),
    (unknown_field, r"claims/study\.yaml:\d+: unknown field 'stence' in claim; did you mean 'stance'\?"),
    (bad_figure, r"claims/gazette\.yaml:\d+: claim 'cost-2m': figure value '2,000,000' is not a number"),
    (curly_apostrophe_changed, r"claim 'save-lives': quote not found in source 'gazette-2024'"),
]


@pytest.mark.parametrize("breaker,pattern", CASES, ids=[c[0].__name__ for c in CASES])
def test_bad_corpus_message(mini: Path, breaker, pattern):
    breaker(mini)
    with pytest.raises(CorpusErrors) as info:
        load_corpus(mini)
    messages = [str(e) for e in info.value.errors]
    assert any(re.search(pattern, m) for m in messages), messages


@pytest.mark.parametrize("breaker,pattern", CASES, ids=[c[0].__name__ for c in CASES])
def test_bad_corpus_cli_exit_1_no_traceback_no_output(mini: Path, tmp_path: Path, breaker, pattern):
    breaker(mini)
    out = tmp_path / "out.ttl"
    result = CliRunner().invoke(main, ["build", "--corpus", str(mini), "--out", str(out)])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert re.search(pattern, result.output), result.output
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out.ttl")]


def test_bad_corpus_keeps_existing_output(mini: Path, tmp_path: Path):
    out = tmp_path / "out.ttl"
    out.write_text("previous build\n")
    unknown_stance(mini)
    result = CliRunner().invoke(main, ["build", "--corpus", str(mini), "--out", str(out)])
    assert result.exit_code == 1
    assert out.read_text() == "previous build\n"


def test_all_errors_reported_at_once(mini: Path):
    unknown_stance(mini)
    unknown_kind(mini)
    with pytest.raises(CorpusErrors) as info:
        load_corpus(mini)
    assert len(info.value.errors) == 2


def test_occurrence_out_of_range(mini: Path):
    edit(mini / "claims/gazette.yaml", "occurrence: 1", "occurrence: 3")
    with pytest.raises(CorpusErrors, match=r"occurrence 3 is out of range \(the quote occurs 2 time\(s\): 1 to 2\)"):
        load_corpus(mini)


def test_occurrence_picks_the_second(mini: Path):
    edit(mini / "claims/gazette.yaml", "occurrence: 1", "occurrence: 2")
    corpus = load_corpus(mini)
    q = corpus.claims_by_id["hurt-sales"].located
    assert q is not None
    text = corpus.sources_by_id["gazette-2024"].text
    assert q.start == text.rindex("Shopkeepers said")


def test_undercut_must_target_a_relation(mini: Path):
    with (mini / "relations.yaml").open("a", encoding="utf-8") as fh:
        fh.write("- from: cost-small\n  to: save-lives\n  type: undercuts\n  rationale: wrong target\n")
    with pytest.raises(CorpusErrors, match=r"an undercut's 'to' must be the id of a supports or attacks relation"):
        load_corpus(mini)


def test_nonexistent_corpus_folder_exit_1(tmp_path: Path):
    result = CliRunner().invoke(main, ["validate", "--corpus", str(tmp_path / "nope")])
    assert result.exit_code == 1
    assert "no such corpus folder" in result.output
