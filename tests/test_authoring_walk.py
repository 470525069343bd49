"""README's "Writing a debate", end to end: new -> topics -> add-source -> draft -> review -> accept -> validate -> map,
on a small text written for this test, with the commands as a user types them."""

from __future__ import annotations

from pathlib import Path

import yaml
from click.testing import CliRunner

from argmap.cli import main
from argmap.sources import load_corpus

ROOT = Path(__file__).resolve().parent.parent

GAZETTE = """\
COUNCIL VOTES TO CLOSE MAIN STREET

By Sam Ortiz

The city council voted on Tuesday to close downtown to private cars from next spring. “Closing the street will save lives, and it will bring people back to the shops,” Mayor Ann Lee said after the vote.

Critics argue that shops will lose the customers who drive in from the suburbs. Opponents point out that deliveries will be harder for small businesses.

According to the city, traffic crashes downtown killed 14 people in 2023, up nearly 20% from the year before.
"""

TOPICS = """\
- id: safety
  label: Safety
  alt_labels: [road safety, crashes, lives]
  definition: Whether closing downtown to cars makes its streets safer.
- id: business
  label: Business
  alt_labels: [shops, customers, deliveries, businesses]
  definition: What a car-free downtown does to its shops.
"""


def typed(line: str) -> list[str]:
    """A command line as a user types it (after `argmap`), split as a shell would for these simple cases."""
    import shlex

    return shlex.split(line)


def run(line: str, cwd: Path):
    import os

    old = os.getcwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(main, typed(line))
    finally:
        os.chdir(old)


def test_readme_walks_through_every_step_in_order():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Writing a debate") : readme.index("## The graph")]
    commands = [
        ln.split()[1] + (" --accept" if "--accept" in ln else "") for ln in section.splitlines() if ln.startswith("argmap ")
    ]
    steps = ["new", "add-source", "draft", "quote", "draft --accept", "validate", "map"]
    positions = [commands.index(s) for s in steps]
    assert positions == sorted(positions), commands


def test_writing_a_debate_end_to_end(tmp_path):
    (tmp_path / "gazette.txt").write_text(GAZETTE, encoding="utf-8")
    # 1. the folder
    res = run('new car-free/ --title "Car-free downtown" --motion "The city should ban cars from downtown"', tmp_path)
    assert res.exit_code == 0, res.output
    folder = tmp_path / "car-free"
    # 2. the topics, replacing the [] under the comments
    topics = folder / "topics.yaml"
    topics.write_text(topics.read_text(encoding="utf-8").replace("[]\n", TOPICS), encoding="utf-8")
    # 3. the source
    res = run(
        'add-source --corpus car-free/ gazette.txt --id gazette-2024 --kind news --title "Council votes to close Main Street" --authors "Sam Ortiz" --date 2024-03-05',
        tmp_path,
    )
    assert res.exit_code == 0, res.output
    # 4. the drafts
    res = run("draft --corpus car-free/ --source gazette-2024", tmp_path)
    assert res.exit_code == 0, res.output
    draft_file = folder / "claims" / "gazette-2024.draft.yaml"
    res = run("validate --corpus car-free/", tmp_path)
    assert res.exit_code == 0 and "awaiting review" in res.output, res.output
    data = yaml.safe_load(draft_file.read_text(encoding="utf-8"))
    by_quote = {d["quote"]: d for d in data["drafts"]}
    assert by_quote["Closing the street will save lives"]["speaker"] == "ann-lee"
    assert {"id": "ann-lee", "name": "Ann Lee", "type": "person", "role": "Mayor"} in data["new_speakers"]
    critics = by_quote["Critics argue that shops will lose the customers who drive in from the suburbs."]
    assert (critics["speaker"], critics["stance"], critics["topics"][0]) == ("critics", "con", "business")
    crashes = next(d for q, d in by_quote.items() if q.startswith("According to the city, traffic crashes"))
    assert crashes["kind"] == "statistic"
    assert {"value": 14, "unit": "people", "period": "2023"} in crashes["figures"]
    # 5. the review: find a shorter quote loosely, keep three drafts, rewrite a text
    res = run('quote --corpus car-free/ --source gazette-2024 "Traffic crashes down town killed 14 people in 2023"', tmp_path)
    assert res.exit_code == 0, res.output
    exact = res.output.splitlines()[1].strip()
    assert exact == "traffic crashes downtown killed 14 people in 2023"
    text = draft_file.read_text(encoding="utf-8")
    text = text.replace(f"quote: {crashes['quote']}", f"quote: {exact}")
    text = text.replace(f"text: {critics['text']}", "text: Critics say the shops will lose customers who drive in.")
    draft_file.write_text(text, encoding="utf-8")
    keep = [by_quote["Closing the street will save lives"]["id"], critics["id"], crashes["id"]]
    # 6. accept the reviewed ones
    res = run(
        "draft --corpus car-free/ --accept car-free/claims/gazette-2024.draft.yaml " + " ".join(f"--only {i}" for i in keep),
        tmp_path,
    )
    assert res.exit_code == 0, res.output
    assert f"accepted {len(keep)} draft(s)" in res.output
    # 7. validate and map
    res = run("validate --corpus car-free/", tmp_path)
    assert res.exit_code == 0, res.output
    assert "3 claims" in res.output and "SHACL shapes: ok" in res.output
    corpus = load_corpus(folder)
    claims = {c.id: c for c in corpus.claims}
    assert claims[critics["id"]].text == "Critics say the shops will lose customers who drive in."
    assert claims[crashes["id"]].quote == exact and claims[crashes["id"]].kind == "statistic"
    speakers = {s.id: s for s in corpus.speakers}
    lee = speakers[claims[keep[0]].speaker]
    assert (lee.id, lee.name, lee.role) == ("ann-lee", "Ann Lee", "Mayor")
    res = run("map --corpus car-free/ --out car-free.html --no-analysis", tmp_path)
    assert res.exit_code == 0, res.output
    html = (tmp_path / "car-free.html").read_text(encoding="utf-8")
    assert "Critics say the shops will lose customers who drive in." in html
    assert "traffic crashes downtown killed 14 people in 2023" in html
