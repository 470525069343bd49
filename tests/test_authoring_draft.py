"""`argmap draft` and `argmap draft --accept`: drafts from a source's text, reviewed and accepted."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from argmap.cli import main
from argmap.sources import load_corpus
from argmap.sources.draft import attribution, figures_in, segment

HERALD = """\
Main Street lanes: the council decides

By Sam Ortiz | March 9, 2024

The town council will vote next week on protected bike lanes for Main Street. "Protected lanes will save lives, and they will bring families back downtown," Mayor Ann Lee said on Monday.

Shopkeepers argue that the lanes will take away parking and hurt sales. According to the Gazette, sales fell by nearly 12% in a nearby town in the first year after lanes were built.

A study of Springfield found that crashes fell by 40 percent after protected lanes opened in 2019. The lanes would cost about $2 million, the council says.
"""


def cli(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def herald(mini: Path, tmp_path: Path) -> Path:
    """The mini corpus with a new source, added as a user would."""
    doc = tmp_path / "herald.txt"
    doc.write_text(HERALD, encoding="utf-8")
    res = cli(
        "add-source",
        "--corpus",
        str(mini),
        str(doc),
        "--id",
        "herald-2024",
        "--kind",
        "news",
        "--title",
        "Main Street lanes: the council decides",
        "--authors",
        "Sam Ortiz",
        "--date",
        "2024-03-09",
    )
    assert res.exit_code == 0, res.output
    return mini


def drafts_of(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_draft_writes_a_draft_file_that_validate_reports_and_does_not_load(herald):
    res = cli("draft", "--corpus", str(herald), "--source", "herald-2024")
    assert res.exit_code == 0, res.output
    path = herald / "claims" / "herald-2024.draft.yaml"
    assert f"wrote {path}: 7 drafts" in res.output
    data = drafts_of(path)
    assert data["source"] == "herald-2024"
    text = (herald / "texts" / "herald-2024.txt").read_text(encoding="utf-8")
    by_quote = {d["quote"]: d for d in data["drafts"]}
    for d in data["drafts"]:  # every quote is exact
        assert d["quote"] in text
        assert 0 <= d["confidence"] <= 1 and d["cues"]
        assert set(d) >= {"id", "text", "quote", "source", "stance", "topics", "speaker", "kind", "confidence", "cues"}
    # quoted speech apart from its attribution, one clause each, the existing speaker named
    lives = by_quote["Protected lanes will save lives"]
    assert (lives["speaker"], lives["stance"], lives["kind"], lives["topics"]) == ("ann-lee", "pro", "causal", ["safety"])
    assert lives["text"] == "According to Ann Lee, protected lanes will save lives."
    assert {"to": "save-lives", "type": "supports", "score": lives["relations"][0]["score"]} == lives["relations"][0]
    assert by_quote["they will bring families back downtown"]["speaker"] == "ann-lee"
    # a group that argues, an existing group speaker
    shops = by_quote["Shopkeepers argue that the lanes will take away parking and hurt sales."]
    assert (shops["speaker"], shops["stance"], shops["topics"]) == ("shopkeepers", "con", ["business"])
    # statistics with qualifier, unit and period
    sales = by_quote[
        "According to the Gazette, sales fell by nearly 12% in a nearby town in the first year after lanes were built."
    ]
    assert sales["kind"] == "statistic" and sales["speaker"] == "gazette"
    assert sales["figures"] == [{"value": 12, "unit": "percent", "qualifier": "nearly"}]
    cost = by_quote["The lanes would cost about $2 million, the council says."]
    assert cost["figures"] == [{"value": 2000000, "unit": "US dollars", "qualifier": "about"}]
    assert (cost["speaker"], cost["stance"]) == ("town-council", "con")
    # the author is a new speaker, proposed
    assert data["new_speakers"] == [{"id": "sam-ortiz", "name": "Sam Ortiz", "type": "person"}]
    # the headline and byline are page furniture
    assert not any("council decides" in q or "By Sam Ortiz" in q for q in by_quote)
    res = cli("validate", "--corpus", str(herald))
    assert res.exit_code == 0, res.output
    assert "draft: claims/herald-2024.draft.yaml is awaiting review, not loaded" in res.output
    assert not any(c.source == "herald-2024" for c in load_corpus(herald).claims)


def test_draft_is_deterministic(herald, tmp_path):
    a, b = tmp_path / "a.draft.yaml", tmp_path / "b.draft.yaml"
    assert cli("draft", "--corpus", str(herald), "--source", "herald-2024", "--out", str(a)).exit_code == 0
    assert cli("draft", "--corpus", str(herald), "--source", "herald-2024", "--out", str(b)).exit_code == 0
    assert a.read_bytes().replace(b"a.draft.yaml", b"X") == b.read_bytes().replace(b"b.draft.yaml", b"X")


def test_draft_refuses_to_overwrite_a_draft_file_unless_forced(herald):
    assert cli("draft", "--corpus", str(herald), "--source", "herald-2024").exit_code == 0
    path = herald / "claims" / "herald-2024.draft.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "# my review notes\n", encoding="utf-8")
    res = cli("draft", "--corpus", str(herald), "--source", "herald-2024")
    assert res.exit_code == 2 and "exists (perhaps reviewed already)" in res.output
    assert path.read_text(encoding="utf-8").endswith("# my review notes\n")
    assert cli("draft", "--corpus", str(herald), "--source", "herald-2024", "--force").exit_code == 0
    assert "# my review notes" not in path.read_text(encoding="utf-8")


def test_accept_moves_the_reviewed_drafts_into_the_corpus(herald):
    assert cli("draft", "--corpus", str(herald), "--source", "herald-2024").exit_code == 0
    path = herald / "claims" / "herald-2024.draft.yaml"
    text = path.read_text(encoding="utf-8")
    # the reviewer gives one relation candidate a rationale and rewrites one text
    text = text.replace(
        "{to: save-lives, type: supports, score: 0.",
        "{to: save-lives, type: supports, rationale: The mayor restates it, score: 0.",
        1,
    )
    text = text.replace(
        "text: According to Ann Lee, protected lanes will save lives.", "text: The mayor says protected lanes will save lives."
    )
    path.write_text(text, encoding="utf-8")
    speakers_before = (herald / "speakers.yaml").read_text(encoding="utf-8")
    res = cli("draft", "--corpus", str(herald), "--accept", str(path))
    assert res.exit_code == 0, res.output
    assert "accepted 7 draft(s)" in res.output and "added 1 speaker(s) to speakers.yaml: sam-ortiz" in res.output
    assert "added 1 relation(s)" in res.output and "left out" in res.output and "removed" in res.output
    assert not path.exists()
    assert (herald / "speakers.yaml").read_text(encoding="utf-8").startswith(speakers_before)
    corpus = load_corpus(herald)
    mine = [c for c in corpus.claims if c.source == "herald-2024"]
    assert len(mine) == 7
    lives = next(c for c in mine if c.quote == "Protected lanes will save lives")
    assert lives.text == "The mayor says protected lanes will save lives." and lives.located is not None
    assert corpus.sources_by_id["herald-2024"].text[lives.located.start : lives.located.end] == lives.quote
    (rel,) = [r for r in corpus.relations if r.rationale == "The mayor restates it"]
    assert rel.target == "save-lives" and rel.type == "supports" and rel.source in {c.id for c in mine}
    stat = next(c for c in mine if c.figures)
    assert stat.figures[0].unit in ("percent", "US dollars")
    assert "confidence" not in (herald / "claims" / "herald-2024.yaml").read_text(encoding="utf-8")
    assert cli("validate", "--corpus", str(herald)).exit_code == 0


def test_accept_only_some_keeps_the_rest_as_written(herald):
    assert cli("draft", "--corpus", str(herald), "--source", "herald-2024").exit_code == 0
    path = herald / "claims" / "herald-2024.draft.yaml"
    ids = [d["id"] for d in drafts_of(path)["drafts"]]
    path.write_text(path.read_text(encoding="utf-8").replace("drafts:\n", "drafts:\n  # reviewed up to here\n"), encoding="utf-8")
    res = cli("draft", "--corpus", str(herald), "--accept", str(path), "--only", ids[1], "--only", ids[3])
    assert res.exit_code == 0, res.output
    assert "accepted 2 draft(s)" in res.output and "5 draft(s) left" in res.output
    left = path.read_text(encoding="utf-8")
    assert "# reviewed up to here" in left and left.startswith("# Draft claims for source 'herald-2024'")
    assert [d["id"] for d in drafts_of(path)["drafts"]] == [i for k, i in enumerate(ids) if k not in (1, 3)]
    assert {c.id for c in load_corpus(herald).claims if c.source == "herald-2024"} == {ids[1], ids[3]}
    res = cli("draft", "--corpus", str(herald), "--accept", str(path), "--only", "no-such-draft")
    assert res.exit_code == 1 and "--only no-such-draft: no draft with that id here" in res.output


def test_accept_reports_a_draft_file_edited_into_invalid_yaml_at_its_line(herald):
    assert cli("draft", "--corpus", str(herald), "--source", "herald-2024").exit_code == 0
    path = herald / "claims" / "herald-2024.draft.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    n = next(i for i, ln in enumerate(lines) if ln.startswith("    topics:"))
    lines[n] = "    topics: [safety"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = sorted(p.name for p in (herald / "claims").iterdir())
    res = cli("draft", "--corpus", str(herald), "--accept", str(path))
    assert res.exit_code == 1
    assert f"{path}:{n + 2}: not valid YAML" in res.output or f"{path}:{n + 1}: not valid YAML" in res.output
    assert "Traceback" not in res.output
    assert sorted(p.name for p in (herald / "claims").iterdir()) == before


def test_accept_refuses_bad_fields_naming_file_line_and_what_is_allowed(herald):
    assert cli("draft", "--corpus", str(herald), "--source", "herald-2024").exit_code == 0
    path = herald / "claims" / "herald-2024.draft.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("stance: con", "stance: against", 1).replace("quote: Shopkeepers argue", "quote: Shop owners argue", 1)
    path.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    stance_line = next(i for i, ln in enumerate(lines) if "stance: against" in ln) + 1
    quote_line = next(i for i, ln in enumerate(lines) if "quote: Shop owners argue" in ln) + 1
    res = cli("draft", "--corpus", str(herald), "--accept", str(path))
    assert res.exit_code == 1
    assert (
        f"{path}:{stance_line}: draft '" in res.output
        and "unknown stance 'against' (expected one of: pro, con, neutral)" in res.output
    )
    assert f"{path}:{quote_line}: draft '" in res.output and "quote not found in source 'herald-2024'" in res.output
    assert not (herald / "claims" / "herald-2024.yaml").exists() and path.exists()


def test_draft_errors_say_what_is_allowed(herald, tmp_path):
    res = cli("draft", "--corpus", str(herald), "--source", "herald-2025")
    assert (
        res.exit_code == 2 and "unknown source 'herald-2025' (known sources: gazette-2024, herald-2024, study-2023)" in res.output
    )
    res = cli("draft", "--corpus", str(herald))
    assert res.exit_code == 2 and "give --source ID" in res.output
    doc = tmp_path / "list.txt"
    doc.write_text("PARKING\nMain Street\nBike lanes\n", encoding="utf-8")
    assert (
        cli("add-source", "--corpus", str(herald), str(doc), "--id", "notes", "--kind", "other", "--title", "Notes").exit_code
        == 0
    )
    res = cli("draft", "--corpus", str(herald), "--source", "notes")
    assert res.exit_code == 1
    assert "texts/notes.txt: no sentences found to draft from" in res.output
    assert not (herald / "claims" / "notes.draft.yaml").exists()


# ---------------------------------------------------------------- the parts


def test_segment_keeps_list_items_with_their_lead_in_and_leaves_furniture_out():
    text = (
        "WHAT WE OFFER\n\nThe primary services include:\n\n  • Clean, sterile supplies and a safe environment\n"
        "  • Housing assistance referrals\n\nCLICK HERE TO GET THE APP\n\n"
        "Critics argue that the centers enable drug use; they also worry that crime will rise nearby.\n"
    )
    units = [(text[u.start : u.end], u.item, u.lead) for u in segment(text)]
    assert units == [
        ("Clean, sterile supplies and a safe environment", True, "The primary services include:"),
        ("Housing assistance referrals", True, "The primary services include:"),
        ("Critics argue that the centers enable drug use", False, None),
        ("they also worry that crime will rise nearby.", False, None),
    ]


@pytest.mark.parametrize(
    "sentence, name, kind",
    [
        ('"It is a fire," NYC Health Commissioner Dr. Dave A. Chokshi said in a statement.', "Dave A. Chokshi", "person"),
        ("Opponents point out that these facilities operate in a grey area.", "opponents", "group"),
        ("Some community members express fears about property values.", "some community members", "group"),
        ("The first two sites opened Tuesday, according to the New York Times", "New York Times", "organization"),
        (
            'The bill "was passed under the guise of compassion," State Sen. Andrew Lanza, a Republican representing Staten Island, told the newspaper.',
            "Andrew Lanza",
            "person",
        ),
    ],
)
def test_attribution_cues(sentence, name, kind):
    att = attribution(sentence)
    assert att is not None and (att.name, att.kind) == (name, kind)


def test_no_attribution_without_a_cue():
    assert attribution("A study of Springfield found that crashes fell.") is None
    assert attribution("The council voted to close the street.") is None


def test_figures_keep_qualifiers_units_and_periods():
    found = [f for f, _ in figures_in("these sites reported over 45,000 visits from more than 2,000 individual participants")]
    assert [(f.value, f.unit, f.qualifier) for f in found] == [
        (45000, "visits", "over"),
        (2000, "individual participants", "more than"),
    ]
