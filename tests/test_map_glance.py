"""The map at a glance (issue 15): names over the overview, labels on a phone, the "at a glance" panel against the
analysis, the claims list and the keyboard, axe-core, the search filter, the phone's filters sheet, the legend."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import DATA, ROOT, need
from test_map import ARTIFACTS, browser, open_map, settled  # noqa: F401  (browser: a fixture)

from argmap.export.htmlmap import _isolated, claim_lines, glance_data, map_data, render_map
from argmap.graph.analysis import metrics_for_corpus, run_analyses
from argmap.graph.build import build_graph
from argmap.graph.projection import project
from argmap.sources import load_corpus

AXE = ROOT / "tests" / "js" / "node_modules" / "axe-core" / "axe.min.js"

# Every text drawn on a canvas, recorded before the page's scripts run.
FILL_TEXT = """(() => { window.__texts = []; const f = CanvasRenderingContext2D.prototype.fillText;
  CanvasRenderingContext2D.prototype.fillText = function (t) { window.__texts.push(String(t)); return f.apply(this, arguments); }; })()"""


@pytest.fixture(scope="module")
def opc():
    return load_corpus(None)


@pytest.fixture(scope="module")
def seven(tmp_path_factory) -> Path:
    """The mini debate and a seventh claim: loose context that no relation touches."""
    root = tmp_path_factory.mktemp("seven") / "mini7"
    shutil.copytree(DATA / "mini", root)
    with open(root / "claims" / "study.yaml", "a", encoding="utf-8") as fh:
        fh.write(
            "- id: mayor-backs\n  text: The mayor, Ann Lee, backs the protected lanes.\n  quote: Mayor Ann Lee said\n"
            "  source: gazette-2024\n  stance: neutral\n  topics: [safety]\n  speaker: ann-lee\n  kind: factual\n"
        )
    return root


@pytest.fixture(scope="module")
def maps(tmp_path_factory, opc, seven):
    folder = tmp_path_factory.mktemp("glance")
    c7 = load_corpus(seven)
    files = {
        "opc": render_map(opc, metrics=metrics_for_corpus(opc)),
        "seven": render_map(c7, metrics=metrics_for_corpus(c7)),
        "plain": render_map(load_corpus(DATA / "mini")),
    }
    for name, text in files.items():
        (folder / f"{name}.html").write_text(text, encoding="utf-8")
    return {name: folder / f"{name}.html" for name in files}


def analysis(corpus):
    P = project(build_graph(corpus))
    return run_analyses(P, ["strength", "unanswered", "contested"], config={"contested": {"k": None}})


def drawn_texts(o) -> list[str]:
    """The texts drawn on the canvas by one full drawing of the map as it is now."""
    settled(o)
    o.page.wait_for_timeout(300)
    o.js("() => { window.__texts = []; argmap.network.redraw(); }")
    o.js("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    return o.js("() => window.__texts")


def labelled(corpus, texts: list[str], ids) -> set[str]:
    """The claims among ``ids`` whose every label line was drawn."""
    seen = set(texts)
    return {cid for cid in ids if all(line in seen for line in claim_lines(corpus.claims_by_id[cid].short_title).split("\n"))}


def axe_violations(o) -> list[dict]:
    need(AXE.is_file(), f"axe-core in {AXE.parent} (npm ci --prefix tests/js)")
    o.page.evaluate(AXE.read_text(encoding="utf-8") + "\n;0")  # evaluated by the debugger: the page's CSP stays on
    found = o.js(
        "() => axe.run(document, {resultTypes: ['violations']}).then(r => r.violations.map(v => "
        "({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' '))})))"
    )
    return [v for v in found if v["impact"] in ("serious", "critical")]


# ---------------------------------------------------------------- pure data


def test_glance_data_is_the_analysis(opc):
    g = glance_data(opc)
    r = analysis(opc)
    strength = {cid: v["strength"] for cid, v in r["strength"]["claims"].items()}
    for side in ("pro", "con"):
        ids = [c.id for c in opc.claims if c.stance == side]
        best = max(strength[c] for c in ids)
        assert g[side]["strongest"][0] in ids and strength[g[side]["strongest"][0]] == best
        assert [strength[c] for c in g[side]["strongest"]] == sorted((strength[c] for c in ids), reverse=True)[:5]
        assert sorted(g[side]["unanswered"]) == sorted(r["unanswered"][side])
        assert [row["id"] for row in g[side]["contested"]] == [row["id"] for row in r["contested"] if row["stance"] == side][:5]
    assert g["con"]["unanswered"]  # the OPC debate has objections nobody answered


def test_map_data_regions_name_sides_topics_and_loose_rows(opc):
    page = render_map(opc, metrics=metrics_for_corpus(opc))
    import json
    import re

    found = re.search(r'id="argmap-data">(.*?)</script>', page)
    assert found
    data = json.loads(found.group(1))
    kinds = {(r["kind"], r["label"]) for r in data["regions"]}
    assert ("side", "FOR the motion") in kinds and ("side", "AGAINST the motion") in kinds
    assert ("topic", "Crime") in kinds
    loose = [r for r in data["regions"] if r["kind"] == "loose"]
    n_loose = sum(opc.claims_by_id[c].stance == "neutral" for c in _isolated(opc))  # context no relation touches
    assert loose and f"{n_loose} background claims" in loose[0]["label"]
    assert data["rank"][0] in {c.id for c in opc.claims} and len(data["rank"]) == len(opc.claims)
    rows = {c["id"]: c for c in map_data(opc)["claims"]}
    assert all(rows[c.id]["title"] == c.short_title for c in opc.claims)


# ---------------------------------------------------------------- the overview names the debate


def test_overview_names_the_motion_sides_topics_and_central_claims(browser, maps, opc):  # noqa: F811
    o = open_map(browser, maps["opc"], width=1440, height=900, init_script=FILL_TEXT)
    texts = drawn_texts(o)
    motion_lines = [line for line in o.js("() => argmap.nodes.get('m').label").split("\n")]
    assert all(line in texts for line in motion_lines)
    assert "FOR THE MOTION" in texts and "AGAINST THE MOTION" in texts
    assert "Crime" in texts
    n_loose = sum(opc.claims_by_id[c].stance == "neutral" for c in _isolated(opc))
    assert any(t.startswith(f"CONTEXT: {n_loose} background claims") for t in texts)
    got = labelled(opc, texts, [c.id for c in opc.claims])
    assert len(got) >= 8, got
    drawn = o.js("() => argmap.overlay().claims")
    assert drawn[:3] and set(drawn) <= got
    ARTIFACTS.mkdir(exist_ok=True)
    o.page.screenshot(path=str(ARTIFACTS / "glance-overview-1440x900.png"))
    assert o.errors == [] and o.requests == []
    o.page.context.close()


@pytest.mark.parametrize("which,hash_", [("opc", "#topic=crime"), ("seven", "")], ids=["crime", "seven-claims"])
def test_a_phone_draws_the_labels_the_desktop_draws(browser, maps, opc, seven, which, hash_):  # noqa: F811
    corpus = opc if which == "opc" else load_corpus(seven)
    seen = {}
    for size in ((1440, 900), (390, 844)):
        o = open_map(browser, maps[which], hash_=hash_, width=size[0], height=size[1], init_script=FILL_TEXT)
        shown = o.js("() => argmap.visibleClaims()")
        seen[size] = labelled(corpus, drawn_texts(o), shown)
        if size[0] == 390:
            ARTIFACTS.mkdir(exist_ok=True)
            o.page.screenshot(path=str(ARTIFACTS / f"glance-phone-{which}.png"))
        assert o.errors == [] and o.requests == []
        o.page.context.close()
    desktop, phone = seen[(1440, 900)], seen[(390, 844)]
    assert len(desktop) == len(shown) and len(shown) >= 7  # the desktop labels every claim shown
    assert desktop - phone == set()


# ---------------------------------------------------------------- at a glance


def test_the_glance_panel_lists_the_analysis_and_selects_and_centres(browser, maps, opc):  # noqa: F811
    r = analysis(opc)
    strength = {cid: v["strength"] for cid, v in r["strength"]["claims"].items()}
    o = open_map(browser, maps["opc"], width=1440, height=900)
    panel = o.page.locator("#panel")
    assert panel.locator(".kicker").first.inner_text().upper() == "AT A GLANCE"
    for side in ("pro", "con"):
        sec = panel.locator(f"section.glance.{side}")
        strongest = sec.locator("ol.strongest button").evaluate_all("bs => bs.map(b => b.dataset.claim)")
        ids = sorted((c.id for c in opc.claims if c.stance == side), key=lambda c: (-strength[c], c))
        assert strongest == ids[:5]
        # each with its source
        first = opc.claims_by_id[strongest[0]]
        assert opc.sources_by_id[first.source].title in sec.locator("ol.strongest li").first.inner_text()
        more = sec.locator("button.more-btn")
        if more.count():
            more.click()
        unanswered = sec.locator("ol.unanswered button").evaluate_all("bs => bs.map(b => b.dataset.claim)")
        assert sorted(unanswered) == sorted(r["unanswered"][side])
        contested = sec.locator("ol.contested button").evaluate_all("bs => bs.map(b => b.dataset.claim)")
        assert contested == [row["id"] for row in r["contested"] if row["stance"] == side][:5]
    # An item selects its claim, centres it and moves the focus to the panel's heading.
    target = r["unanswered"]["con"][0]
    o.page.locator(f"section.glance.con ol.unanswered button[data-claim='{target}']").click()
    assert o.js("() => argmap.state().claim") == target
    assert o.js("() => document.activeElement.id") == "panel-title"
    assert o.page.locator("#panel h2").inner_text() == opc.claims_by_id[target].text
    settled(o)
    p = o.js("id => argmap.network.canvasToDOM(argmap.network.getPosition('c:' + id))", target)
    m = o.page.locator("#map").bounding_box()
    assert abs(p["x"] - m["width"] / 2) < 2 and abs(p["y"] - m["height"] / 2) < 2
    # Back to the glance: the button, then Escape returns the focus to the item.
    o.page.keyboard.press("Escape")
    assert o.js("() => argmap.state().claim") == ""
    assert o.js("() => document.activeElement.dataset.claim") == target
    assert o.errors == [] and o.requests == []
    o.page.context.close()


def test_the_glance_follows_the_weigh_evidence_toggle(browser, maps, opc):  # noqa: F811
    """Issue 16: the strongest claims at a glance are those of the preferences chosen; weighing evidence (the
    default) they are research, plain (DF-QuAD from 0.5 everywhere) the blog's much-supported claims."""
    level = metrics_for_corpus(opc)
    plain = run_analyses(project(build_graph(opc)), ["strength"], preferences="none")["strength"]["claims"]
    o = open_map(browser, maps["opc"], width=1440, height=900)
    ids = "bs => bs.map(b => b.dataset.claim)"
    weighed = o.page.locator("section.glance.pro ol.strongest button").evaluate_all(ids)
    assert [level[c]["evidence_level"] >= 4 for c in weighed] == [True] * 5
    o.page.locator("#weigh-evidence").uncheck()
    unweighed = o.page.locator("section.glance.pro ol.strongest button").evaluate_all(ids)
    pro = sorted((c.id for c in opc.claims if c.stance == "pro"), key=lambda c: (-plain[c]["strength"], c))
    assert unweighed == pro[:5] and unweighed != weighed
    assert "plain: every claim starts at 0.5" in o.page.locator("#panel").inner_text()
    o.page.locator("#weigh-evidence").check()
    assert o.page.locator("section.glance.pro ol.strongest button").evaluate_all(ids) == weighed
    assert o.errors == [] and o.requests == []
    o.page.context.close()


def test_without_analysis_the_glance_says_why(browser, maps):  # noqa: F811
    o = open_map(browser, maps["plain"])
    assert "without the analysis" in o.page.locator("#panel").inner_text()
    o.page.context.close()


def test_the_glance_is_a_tab_on_a_phone(browser, maps, opc):  # noqa: F811
    o = open_map(browser, maps["opc"], width=390, height=844)
    assert o.page.locator("#panel").is_hidden()
    o.page.locator("#open-glance").click()
    assert o.page.locator("#panel").is_visible()
    assert o.page.locator("#open-glance").get_attribute("aria-expanded") == "true"
    assert o.page.locator("section.glance.con ol.strongest button").count() == 5
    o.page.keyboard.press("Escape")
    assert o.page.locator("#panel").is_hidden()
    assert o.js("() => document.activeElement.id") == "open-glance"
    o.page.context.close()


# ---------------------------------------------------------------- keyboard and screen readers


def test_every_claim_shown_is_in_a_list_reached_by_keyboard(browser, maps, opc):  # noqa: F811
    o = open_map(browser, maps["opc"], hash_="#stance=con&topic=crime")
    want = o.js("() => argmap.visibleClaims()")
    listed = o.page.locator("#claim-items li:not([hidden]) button").evaluate_all("bs => bs.map(b => b.dataset.claim)")
    assert sorted(listed) == want
    assert o.page.locator("#claim-items button[tabindex='0']").count() == 1  # one Tab stop
    # The skip link takes the focus into the list; arrows move; Enter selects; focus goes to the heading.
    o.page.keyboard.press("Tab")
    o.page.keyboard.press("Tab")
    assert o.js("() => document.activeElement.textContent") == "Skip to the list of claims"
    o.page.keyboard.press("Enter")
    assert o.js("() => document.activeElement.dataset.claim") == listed[0]
    assert o.page.locator("#claim-list").bounding_box()["width"] > 100  # shown while it has the focus
    o.page.keyboard.press("ArrowDown")
    second = o.js("() => document.activeElement.dataset.claim")
    assert second == listed[1]
    o.page.keyboard.press("Enter")
    assert o.js("() => argmap.state().claim") == second
    assert o.js("() => document.activeElement.id") == "panel-title"
    assert o.page.url.endswith(f"claim={second}")
    o.page.keyboard.press("Escape")
    assert o.js("() => argmap.state().claim") == ""
    assert o.js("() => document.activeElement.dataset.claim") == second
    # Filters are mirrored: with the stance filter changed the list follows.
    o.js("() => { location.hash = '#stance=pro'; }")
    o.page.wait_for_function("() => argmap.state().stances.join() === 'pro'")
    n = o.page.locator("#claim-items li:not([hidden])").count()
    assert n == len([c for c in opc.claims if c.stance == "pro"])
    assert o.errors == []
    o.page.context.close()


def test_search_enter_focuses_the_heading_and_escape_goes_back(browser, maps, opc):  # noqa: F811
    o = open_map(browser, maps["opc"])
    o.page.locator("#q").click()
    o.page.keyboard.type("130 lives")
    o.page.keyboard.press("Enter")
    assert o.js("() => document.activeElement.id") == "panel-title"
    assert o.page.locator("#results").is_hidden()
    o.page.keyboard.press("Escape")
    assert o.js("() => document.activeElement.id") == "q"
    o.page.context.close()


@pytest.mark.parametrize(
    "state",
    ["default", "selected", "search", "phone", "phone-filters"],
)
def test_axe_finds_no_serious_or_critical_violation(browser, maps, state):  # noqa: F811
    phone = state.startswith("phone")
    o = open_map(
        browser,
        maps["opc"],
        width=390 if phone else 1440,
        height=844 if phone else 900,
        hash_="#claim=muse-critics-crime-rates" if state == "selected" else "",
    )
    if state == "search":
        o.page.locator("#q").click()
        o.page.keyboard.type("crime")
        assert o.page.locator("#results").is_visible()
    if state == "phone-filters":
        o.page.locator("#toggle-filters").click()
    assert axe_violations(o) == []
    o.page.context.close()


# ---------------------------------------------------------------- search filters the map


def test_search_filters_the_map_and_the_hash_keeps_it(browser, maps, opc):  # noqa: F811
    words = "crime"
    matches = sorted(c.id for c in opc.claims if words in (c.text + "\n" + c.located.exact + "\n" + c.id).lower())
    o = open_map(browser, maps["opc"])
    o.page.locator("#q").click()
    o.page.keyboard.type(words)
    o.page.locator("#results .r-filter").click()
    assert o.js("() => argmap.visibleClaims()") == matches
    assert o.page.url.endswith("#q=crime&match=only")
    assert o.js("() => argmap.drawnClaims()") == len(matches)
    o.page.select_option("#f-match", "near")
    near = set(matches)
    for r in opc.relations:
        ends = [r.source, r.target if r.target in opc.claims_by_id else opc.relations_by_id[r.target].target]
        if r.type == "undercuts" and r.target in opc.relations_by_id:
            ends.append(opc.relations_by_id[r.target].source)
        for a in ends:
            if a in matches:
                near.update(e for e in ends if e in opc.claims_by_id)
    assert set(o.js("() => argmap.visibleClaims()")) == near
    o.page.context.close()
    o = open_map(browser, maps["opc"], hash_="#q=crime&match=only")
    assert o.js("() => argmap.visibleClaims()") == matches
    assert o.page.locator("#q").input_value() == "crime"
    o.page.context.close()


# ---------------------------------------------------------------- the phone's filters sheet


def test_phone_filters_sheet_has_done_closes_on_map_tap_covers_nothing_of_the_bar(browser, maps):  # noqa: F811
    o = open_map(browser, maps["opc"], width=390, height=844)
    page = o.page
    page.locator("#toggle-filters").click()
    sheet = page.locator("#filters").bounding_box()
    for opener in ("#toggle-filters", "#q"):
        b = page.locator(opener).bounding_box()
        assert b["y"] + b["height"] <= sheet["y"] + 0.5, opener
    done = page.locator("#filters-done")
    assert done.is_visible()
    d = done.bounding_box()
    assert d["y"] + d["height"] <= 844
    done.click()
    assert page.locator("#filters").is_hidden()
    assert o.js("() => document.activeElement.id") == "toggle-filters"
    page.locator("#toggle-filters").click()
    assert page.locator("#filters").is_visible()
    m = page.locator("#map").bounding_box()
    page.mouse.click(m["x"] + 10, m["y"] + m["height"] - 10)  # below the sheet, on the map
    assert page.locator("#filters").is_hidden()
    assert o.errors == []
    o.page.context.close()


# ---------------------------------------------------------------- the legend and the overlays


def test_the_legend_explains_every_mark_and_grounded_keeps_the_stance(browser, maps, opc):  # noqa: F811
    o = open_map(browser, maps["opc"], hash_="#colour=grounded&size=strength&show=sources,speakers")
    legend = o.page.locator("#legend").inner_text()
    for words in (
        "for the motion",
        "against",
        "context",
        "the motion",
        "no relation touches",
        "supports",
        "attacks",
        "undercuts",
        "the link's middle",
        "bears on the motion directly",
        "regions",
        "most central",
        "standing",
        "defeated",
        "undecided",
        "weak to strong",
        "a source",
        "a speaker",
    ):
        assert words in legend, words
    con = next(c for c in opc.claims if c.stance == "con")
    node = o.js(
        "id => { const n = argmap.network.body.nodes['c:' + id].options; return {b: n.color.border, w: n.borderWidth, d: n.shapeProperties.borderDashes}; }",
        con.id,
    )
    assert node["b"] == "#D55E00" and node["w"] >= 4 and node["d"]  # heavy dashed vermillion border under the grounded fill
    o.page.context.close()


def test_sources_and_speakers_only_for_the_selected_claim(browser, maps, opc):  # noqa: F811
    o = open_map(browser, maps["opc"], hash_="#show=sources,speakers")
    edges = "() => argmap.edges.get({filter: e => (e.kind === 'source' || e.kind === 'speaker') && !e.hidden}).length"
    assert o.js(edges) == 0  # no hairball: the nodes alone
    cid = "muse-critics-crime-rates"
    o.js("id => argmap.select(id)", cid)
    claim = opc.claims_by_id[cid]
    shown = o.js(
        "() => argmap.nodes.get({filter: n => (n.kind === 'source' || n.kind === 'speaker') && !n.hidden}).map(n => n.id)"
    )
    assert sorted(shown) == sorted([f"s:{claim.source}", f"p:{claim.speaker}"])
    sharing = [c for c in opc.claims if c.source == claim.source] + [c for c in opc.claims if c.speaker == claim.speaker]
    assert o.js(edges) == len(sharing)
    ARTIFACTS.mkdir(exist_ok=True)
    o.page.screenshot(path=str(ARTIFACTS / "glance-sources-selected.png"))
    o.page.context.close()
