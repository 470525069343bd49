"""The map shows each claim's evidence level and why attacks failed to defeat it, and can switch between
evidence-weighted verdicts (the default, as `argmap analyze`) and plain Dung semantics."""

from __future__ import annotations

import json
import re

import pytest
from test_map import browser, open_map  # noqa: F401  (browser: a fixture)

from argmap.export.htmlmap import map_data, render_map
from argmap.graph.analysis import metrics_for_corpus
from argmap.sources import load_corpus

CHALFIN = "chalfin-no-change-crime-disorder"  # a difference-in-differences study attacked by an op-ed claim


@pytest.fixture(scope="module")
def opc():
    return load_corpus()


@pytest.fixture(scope="module")
def page(tmp_path_factory, opc):
    path = tmp_path_factory.mktemp("evidence") / "opc.html"
    path.write_text(render_map(opc, metrics=metrics_for_corpus(opc)), encoding="utf-8")
    return path


def test_map_data_carries_both_verdicts_and_the_evidence(opc):
    weighed = metrics_for_corpus(opc)
    plain = metrics_for_corpus(opc, preferences="none")
    rows = {c["id"]: c for c in map_data(opc, metrics=weighed, plain=plain)["claims"]}
    row = rows[CHALFIN]
    assert row["m"]["grounded"] == weighed[CHALFIN]["grounded"] == "in"
    assert row["m0"]["grounded"] == plain[CHALFIN]["grounded"] == "out"
    assert row["m"]["evidence_level"] == weighed[CHALFIN]["evidence_level"] > 1
    assert [x["claim"] for x in row["m"]["not_defeated_by"]] == [x["claim"] for x in weighed[CHALFIN]["not_defeated_by"]]
    assert all(rows[cid]["m"]["evidence_level"] == m["evidence_level"] for cid, m in weighed.items())


def test_render_map_computes_the_plain_verdicts_itself(opc, page):
    found = re.search(r'id="argmap-data">(.*?)</script>', page.read_text(encoding="utf-8"))
    assert found
    data = json.loads(found.group(1))
    row = next(c for c in data["claims"] if c["id"] == CHALFIN)
    assert row["m0"]["grounded"] == "out" and row["m"]["grounded"] == "in"


def panel_analysis(o) -> str:
    text = o.page.locator("#panel").inner_text()
    return text[text.upper().index("ANALYSIS") :]


def test_panel_shows_evidence_and_the_toggle_switches_to_plain_dung(browser, page):  # noqa: F811
    o = open_map(browser, page, hash_=f"#claim={CHALFIN}")
    text = panel_analysis(o)
    assert "standing" in text and "level 6 of 8" in text and "difference-in-differences" in text
    assert "Attacks that do not defeat it" in text and "a weaker source does not defeat" in text
    box = o.page.locator("#weigh-evidence")
    assert box.is_checked()
    box.uncheck()
    text = panel_analysis(o)
    assert "defeated" in text and "Plain Dung" in text and "Attacks that do not defeat it" not in text
    assert "prefs=none" in o.js("() => location.hash")
    # the grounded overlay follows the toggle: the study is coloured as defeated
    o.page.locator("#colour-grounded").check()
    fill = o.js(f"() => argmap.nodes.get('c:{CHALFIN}').color")
    out = o.js("() => JSON.parse(document.getElementById('argmap-data').textContent).grounded_colours.out")
    assert json.dumps(fill).count(out) >= 1
    assert o.errors == [] and o.requests == []
    o.page.context.close()


def test_plain_dung_is_kept_in_the_address(browser, page):  # noqa: F811
    o = open_map(browser, page, hash_=f"#claim={CHALFIN}&prefs=none")
    assert not o.page.locator("#weigh-evidence").is_checked()
    assert "defeated" in panel_analysis(o)
    o.page.context.close()


def test_brief_names_each_claims_evidence_level_and_why_an_attack_failed():
    from click.testing import CliRunner

    from argmap.cli import main

    out = CliRunner().invoke(main, ["export", "brief-md", "--topic", "crime"], catch_exceptions=False).output
    line = next(x for x in out.splitlines() if "Analysis:" in x and "city-journal-aggravated-assaults-error, an op-ed" in x)
    assert "standing" in line and "evidence level 6 of 8 (study (difference-in-differences))" in line
    assert "a weaker source does not defeat a study" in line
