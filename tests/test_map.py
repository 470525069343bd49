"""The interactive map (`argmap map`): pure rendering, the command, and the page in a real, offline Chromium."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import stat
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import DATA, ROOT, need

from argmap.cli import main, write_output
from argmap.export.htmlmap import layout, map_data, map_filename, render_map, script_json
from argmap.graph.analysis import metrics_for_corpus
from argmap.sources import load_corpus

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts"


@pytest.fixture(scope="module")
def opc():
    return load_corpus(None)


@pytest.fixture(scope="module")
def opc_metrics(opc):
    return metrics_for_corpus(opc)


@pytest.fixture(scope="module")
def hostile():
    return load_corpus(DATA / "hostile-map")


class Tags(HTMLParser):
    """Collects every start tag with its attributes, and the text of each script element."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[tuple[dict, str]] = []
        self._in: dict | None = None

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._in = dict(attrs)
            self.scripts.append((self._in, ""))

    def handle_data(self, data):
        if self._in is not None:
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)

    def handle_endtag(self, tag):
        if tag == "script":
            self._in = None


def parse(page: str) -> Tags:
    p = Tags()
    p.feed(page)
    return p


# ---------------------------------------------------------------- pure rendering


def test_page_loads_nothing_from_anywhere(opc, opc_metrics):
    page = render_map(opc, metrics=opc_metrics)
    tags = parse(page)
    assert not [t for t, a in tags.tags if t == "link"]
    assert not [a for t, a in tags.tags if t in ("script", "img", "iframe") and "src" in a]
    assert "cdn" not in page.split("<style>")[0].lower()
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page.split("<script")[0])
    csp = next(a["content"] for t, a in tags.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    # Every executable script is inline and allowed by its hash; the data scripts are JSON.
    kinds = [a.get("type", "js") for a, _ in tags.scripts]
    assert kinds == ["application/json"] * 4 + ["js", "js"]
    assert "vis.Network" in tags.scripts[-1][1] and "vis-network" in tags.scripts[-2][1][:400]


def test_json_in_the_page_is_escaped_and_reads_back(hostile):
    page = render_map(hostile)
    tags = parse(page)
    data_scripts = [text for a, text in tags.scripts if a.get("type") == "application/json"]
    for text in data_scripts:
        assert not set("<>&\u2028\u2029") & set(text), text[:200]
        json.loads(text)
    data = json.loads(data_scripts[0])
    by_id = {c["id"]: c for c in data["claims"]}
    for claim in hostile.claims:
        assert by_id[claim.id]["text"] == claim.text
        assert by_id[claim.id]["quote"] == claim.located.exact
    assert data["title"] == hostile.debate.title
    # Nothing of the payloads is markup anywhere in the page.
    for raw in ("<script>window", "<img src=x", "</script><script>", "<b>cases"):
        assert raw not in page
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in page.split("<style>")[0]  # the <title>
    # A javascript: address is never kept as a link.
    assert "url" not in next(s for s in data["sources"] if s["id"] == "evil-page")


def test_script_json_escapes():
    assert script_json("</script>&\u2028\u2029") == '"\\u003c/script\\u003e\\u0026\\u2028\\u2029"'
    assert json.loads(script_json({"a": "<!--"})) == {"a": "<!--"}


def test_same_corpus_same_bytes(opc, opc_metrics):
    assert render_map(opc, metrics=opc_metrics) == render_map(opc, metrics=opc_metrics)


def test_layout_motion_at_centre_every_claim_placed(opc):
    pos = layout(opc)
    assert pos[""] == (0.0, 0.0)
    assert set(pos) == {c.id for c in opc.claims} | {""}
    assert len(set(pos.values())) == len(pos)  # no two claims on the same spot


def test_map_data_has_evidence_quality_and_excerpts(opc, opc_metrics):
    data = map_data(opc, metrics=opc_metrics)
    src = {s["id"]: s for s in data["sources"]}
    excerpt_sources = [s for s in opc.sources if s.excerpt]
    assert excerpt_sources and all(src[s.id]["excerpt"] for s in excerpt_sources)
    designed = [s for s in opc.sources if s.design]
    assert designed and all(src[s.id]["design"] == s.design for s in designed)
    assert all(src[s.id].get("place") == s.place for s in opc.sources if s.place)
    claim = next(c for c in data["claims"] if c["m"]["grounded"] == "out")
    assert claim["m"]["reason"] and 0 <= claim["m"]["strength"] <= 1


def test_map_filename():
    assert map_filename(load_corpus(DATA / "mini")) == "mini.html"
    assert map_filename(load_corpus(DATA / "hostile-map")) == "hostile.html"


# ---------------------------------------------------------------- the command


def run(*args: str, code: int = 0):
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == code, (result.exit_code, result.output)
    return result


def test_map_command_default_file_in_current_folder(tmp_path, monkeypatch, mini_path):
    monkeypatch.chdir(tmp_path)
    old = os.umask(0o022)
    try:
        result = run("map", "--corpus", str(mini_path))
    finally:
        os.umask(old)
    out = tmp_path / "mini.html"
    assert out.is_file() and str(out.resolve()) in result.stdout
    assert stat.S_IMODE(out.stat().st_mode) == 0o644
    assert '"has_metrics":true' in out.read_text(encoding="utf-8")
    assert [p.name for p in tmp_path.iterdir()] == ["mini.html"]  # no temporary file left


def test_map_command_out_no_analysis_and_stdout(tmp_path, mini_path):
    out = tmp_path / "m.html"
    run("map", "--corpus", str(mini_path), "--out", str(out), "--no-analysis", "--no-physics")
    text = out.read_text(encoding="utf-8")
    assert '"has_metrics":false' in text and '"physics":false' in text
    assert run("map", "--corpus", str(mini_path), "--out", "-").stdout.startswith("<!DOCTYPE html>")


def test_map_command_same_bytes_twice(tmp_path, mini_path):
    a, b = tmp_path / "a.html", tmp_path / "b.html"
    run("map", "--corpus", str(mini_path), "--out", str(a))
    run("map", "--corpus", str(mini_path), "--out", str(b))
    assert a.read_bytes() == b.read_bytes()


def test_map_command_bad_corpus_writes_nothing(tmp_path, mini):
    (mini / "claims").joinpath("broken.yaml").write_text("- id: x\n  text: [unclosed\n", encoding="utf-8")
    out = tmp_path / "m.html"
    result = CliRunner().invoke(main, ["map", "--corpus", str(mini), "--out", str(out)])
    assert result.exit_code == 1 and "broken.yaml" in result.output and not out.exists()


def test_map_command_missing_folder_is_usage_error(tmp_path, mini_path):
    run("map", "--corpus", str(mini_path), "--out", str(tmp_path / "nope" / "m.html"), code=2)


@pytest.mark.parametrize("umask,mode", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_write_output_gives_the_umask_mode_not_mkstemps(tmp_path, umask, mode):
    old = os.umask(umask)
    try:
        write_output("x", str(tmp_path / "f.txt"))
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "f.txt").stat().st_mode) == mode


# ---------------------------------------------------------------- in a real browser, offline


@pytest.fixture(scope="module")
def browser():
    need(Path(CHROMIUM).exists(), f"Chromium at {CHROMIUM}")
    need(importlib.util.find_spec("playwright") is not None, "playwright missing: pip install -e '.[test]'")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True)
        yield b
        b.close()


@pytest.fixture(scope="module")
def pages(tmp_path_factory, opc, opc_metrics, hostile):
    folder = tmp_path_factory.mktemp("maps")
    files = {
        "opc": render_map(opc, metrics=opc_metrics),
        "hostile": render_map(hostile, metrics=metrics_for_corpus(hostile)),
        "plain": render_map(load_corpus(DATA / "mini")),  # no analysis; small, so physics on
    }
    out = {}
    for name, text in files.items():
        (folder / f"{name}.html").write_text(text, encoding="utf-8")
        out[name] = folder / f"{name}.html"
    return out


class Opened:
    def __init__(self, page, errors, requests):
        self.page, self.errors, self.requests = page, errors, requests

    def js(self, expr: str, arg=None):
        return self.page.evaluate(expr, arg)


def open_map(
    browser,
    path: Path,
    *,
    hash_: str = "",
    width: int = 1280,
    height: int = 800,
    bypass_csp: bool = False,
    init_script: str | None = None,
) -> Opened:
    """Open a map with every request that is not file:, data: or about: blocked and recorded."""
    context = browser.new_context(viewport={"width": width, "height": height}, bypass_csp=bypass_csp)
    page = context.new_page()
    if init_script:
        page.add_init_script(init_script)
    errors: list[str] = []
    requests: list[str] = []
    page.on("console", lambda m: errors.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: errors.append(f"pageerror: {e}"))

    def route(r):
        if r.request.url.split(":", 1)[0] in ("file", "data", "about"):
            r.continue_()
        else:
            requests.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("request", lambda r: None if r.url.split(":", 1)[0] in ("file", "data", "about") else requests.append(r.url))
    page.goto(path.as_uri() + hash_)
    page.wait_for_selector("body[data-ready=true]", state="attached", timeout=30000)
    return Opened(page, errors, requests)


def claim_ids(corpus, *, stance=None, topic=None) -> list[str]:
    return sorted(c.id for c in corpus.claims if (stance is None or c.stance == stance) and (topic is None or topic in c.topics))


def click_claim(o: Opened, cid: str) -> None:
    """Bring the claim to the middle of the map and click it with the mouse."""
    o.js("id => argmap.network.focus('c:' + id, {scale: 1.0, animation: false})", cid)
    o.page.wait_for_timeout(50)
    x, y = o.js(
        """id => { const n = argmap.network; const p = n.canvasToDOM(n.getPosition('c:' + id));
                   const r = document.getElementById('map').getBoundingClientRect(); return [r.left + p.x, r.top + p.y]; }""",
        cid,
    )
    o.page.mouse.click(x, y)


def test_opc_map_loads_offline_with_every_claim_drawn(browser, pages, opc):
    o = open_map(browser, pages["opc"])
    assert o.errors == [] and o.requests == []
    assert o.js("() => argmap.drawnClaims()") == len(opc.claims) == 137
    assert o.js("() => argmap.nodes.get({filter: n => n.kind === 'claim'}).length") == len(opc.claims)
    relations = o.js("() => argmap.edges.get({filter: e => !!e.rel}).map(e => e.rel)")
    assert set(relations) == {r.id for r in opc.relations}
    assert o.page.locator("#count").inner_text() == "137 of 137 claims shown"
    ARTIFACTS.mkdir(exist_ok=True)
    o.page.screenshot(path=str(ARTIFACTS / "map-opc-1280x800.png"))
    o.page.context.close()


def test_clicking_a_claim_shows_its_exact_quote_and_links(browser, pages, opc, opc_metrics):
    o = open_map(browser, pages["opc"])
    crime = next(c for c in opc.claims if c.id == "muse-critics-crime-rates")
    click_claim(o, crime.id)
    panel = o.page.locator("#panel")
    assert panel.locator("h2").inner_text() == crime.text
    assert panel.locator("blockquote").inner_text() == crime.located.exact
    speaker = opc.speakers_by_id[crime.speaker]
    assert speaker.name in panel.inner_text()
    attackers = [r.source for r in opc.relations if r.target == crime.id and r.type == "attacks"]
    assert attackers
    texts = panel.locator("button.link").all_inner_texts()
    assert any(opc.claims_by_id[attackers[0]].text in t for t in texts)
    label = {"in": "standing", "out": "defeated", "undecided": "undecided"}[opc_metrics[crime.id]["grounded"]]
    assert panel.locator(".badge").inner_text() == label
    assert o.page.url.endswith(f"#claim={crime.id}")
    # Following an attacker in the panel selects it.
    panel.locator("button.link", has_text=opc.claims_by_id[attackers[0]].text).first.click()
    assert panel.locator("h2").inner_text() == opc.claims_by_id[attackers[0]].text
    assert o.errors == [] and o.requests == []
    o.page.context.close()


def test_evidence_panel_says_excerpt_only_with_design_place_period(browser, pages, opc):
    o = open_map(browser, pages["opc"])
    claim = next(c for c in opc.claims if opc.sources_by_id[c.source].excerpt and opc.sources_by_id[c.source].design)
    source = opc.sources_by_id[claim.source]
    o.js("id => argmap.select(id)", claim.id)
    text = o.page.locator("#panel").inner_text()
    assert "Excerpt only" in text and "not the whole document" in text
    assert source.design.replace("-", " ") in text
    for value in (source.place, source.period):
        if value:
            assert value in text
    seed = next(c for c in opc.claims if not opc.sources_by_id[c.source].excerpt)
    o.js("id => argmap.select(id)", seed.id)
    assert "Excerpt only" not in o.page.locator("#panel").inner_text()
    o.page.context.close()


def test_filter_con_and_crime_leaves_exactly_those_claims(browser, pages, opc):
    o = open_map(browser, pages["opc"])
    o.page.locator("input[name=stance][value=pro]").uncheck()
    o.page.locator("input[name=stance][value=neutral]").uncheck()
    o.page.select_option("#f-topic", "crime")
    expected = claim_ids(opc, stance="con", topic="crime")
    assert expected
    assert o.js("() => argmap.visibleClaims()") == expected
    assert o.js("() => argmap.drawnClaims()") == len(expected)
    assert o.page.url.endswith("#stance=con&topic=crime")
    o.page.select_option("#f-source", "fox-2021")
    assert o.js("() => argmap.visibleClaims()") == sorted(
        c.id for c in opc.claims if c.stance == "con" and "crime" in c.topics and c.source == "fox-2021"
    )
    o.page.locator("#reset").click()
    assert o.js("() => argmap.drawnClaims()") == len(opc.claims)
    assert o.errors == []
    o.page.context.close()


def test_url_hash_restores_the_view(browser, pages, opc):
    o = open_map(
        browser, pages["opc"], hash_="#stance=con&topic=crime&claim=muse-critics-crime-rates&focus=1&colour=grounded&show=sources"
    )
    state = o.js("() => argmap.state()")
    assert state["stances"] == ["con"] and state["topic"] == "crime" and state["claim"] == "muse-critics-crime-rates"
    assert state["focus"] is True and state["depth"] == 1 and state["colour"] == "grounded" and state["showSources"] is True
    assert o.page.locator("#f-topic").input_value() == "crime"
    assert o.page.locator("#colour-grounded").is_checked()
    assert o.page.locator("input[name=stance][value=pro]").is_checked() is False
    assert o.page.locator("#panel h2").inner_text() == opc.claims_by_id["muse-critics-crime-rates"].text
    shown_sources = o.js("() => argmap.nodes.get({filter: n => n.kind === 'source' && !n.hidden}).length")
    assert shown_sources >= 1
    # Focus mode: only con crime claims within one step of the selected claim (and the claim itself).
    near = {r.source for r in opc.relations if r.target == "muse-critics-crime-rates"} | {
        r.target for r in opc.relations if r.source == "muse-critics-crime-rates"
    }
    want = sorted({"muse-critics-crime-rates"} | {c for c in near if c in claim_ids(opc, stance="con", topic="crime")})
    assert o.js("() => argmap.visibleClaims()") == want
    # The state written back is the state read.
    assert (
        o.page.url.split("#", 1)[1]
        == "stance=con&topic=crime&claim=muse-critics-crime-rates&focus=1&colour=grounded&show=sources"
    )
    # Junk in the hash is ignored, not an error.
    o.page.goto(pages["opc"].as_uri() + "#stance=nope&topic=%E0%A4%A&claim=<x>")
    o.page.wait_for_selector("body[data-ready=true]", state="attached")
    assert o.js("() => argmap.visibleClaims().length") == len(opc.claims)
    assert o.errors == []
    o.page.context.close()


def test_keyboard_search_selects_a_claim(browser, pages, opc):
    o = open_map(browser, pages["opc"])
    o.page.locator("#map").click(position={"x": 5, "y": 5})
    o.page.keyboard.press("/")
    assert o.js("() => document.activeElement.id") == "q"
    o.page.keyboard.type("130 lives")
    results = o.page.locator("#results button[data-claim]")
    want = sorted(c.id for c in opc.claims if "130 lives" in (c.text + c.located.exact).lower())
    assert sorted(results.evaluate_all("bs => bs.map(b => b.dataset.claim)")) == want
    o.page.keyboard.press("ArrowDown")
    o.page.keyboard.press("ArrowDown")
    second = o.js("() => document.activeElement.dataset.claim")
    assert second == results.nth(1).get_attribute("data-claim")
    o.page.keyboard.press("Enter")
    assert o.page.locator("#panel h2").inner_text() == opc.claims_by_id[second].text
    assert o.page.locator("#results").is_hidden()
    # Escape closes the panel; the quote search also finds words only in the quote.
    o.page.locator("#map").click(position={"x": 5, "y": 5})
    o.page.keyboard.press("Escape")
    assert o.js("() => argmap.state().claim") == ""
    all_text = " ".join(c.text.lower() for c in opc.claims)
    quote_only, word = next(
        (c, w)
        for c in sorted(opc.claims, key=lambda c: c.id)
        for w in re.findall(r"[a-z]{7,}", c.located.exact.lower())
        if w not in all_text
    )
    o.page.keyboard.press("/")
    o.page.keyboard.type(word)
    found = o.page.locator("#results button[data-claim]").evaluate_all("bs => bs.map(b => b.dataset.claim)")
    assert quote_only.id in found
    assert o.errors == []
    o.page.context.close()


@pytest.mark.parametrize("bypass_csp", [False, True], ids=["with-csp", "escaping-alone"])
def test_hostile_corpus_runs_nothing_and_shows_text(browser, pages, hostile, bypass_csp):
    o = open_map(browser, pages["hostile"], bypass_csp=bypass_csp)
    assert o.js("() => document.title") == f"{hostile.debate.title}: argument map"
    o.page.locator("#show-sources").check()
    o.page.locator("#show-speakers").check()
    o.page.locator("#colour-grounded").check()
    for claim in hostile.claims:
        o.js("id => argmap.select(id)", claim.id)
        assert o.js("() => document.querySelector('#panel h2').textContent") == claim.text
        assert o.js("() => document.querySelector('#panel blockquote').textContent") == claim.located.exact
    # Tooltips (hover) and the search results hold text too.
    o.js("id => argmap.select(id)", "img-claim")
    o.page.mouse.move(
        *o.js("""() => { const n = argmap.network; const p = n.canvasToDOM(n.getPosition('c:img-claim'));
        const r = document.getElementById('map').getBoundingClientRect(); return [r.left + p.x, r.top + p.y]; }""")
    )
    tip = o.page.locator("div.vis-tooltip")
    tip.wait_for(state="visible", timeout=5000)
    assert hostile.claims_by_id["img-claim"].text in tip.inner_text()
    o.page.keyboard.press("/")
    o.page.keyboard.type("script")
    assert o.page.locator("#results button[data-claim]").count() >= 2
    o.js("() => argmap.select('study-claim')")
    panel = o.js("() => document.getElementById('panel').textContent")
    assert "Springfield <script>window.__pwned=1</script>" in panel and "percent of <b>cases</b>" in panel
    assert o.js("() => window.__pwned") is None
    assert o.js("() => document.querySelectorAll('img, iframe, object, embed').length") == 0
    assert o.js("() => document.scripts.length") == 6
    assert o.js("() => [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))") == [
        "#q",
        "#claim-list",
        "https://example.org/study?a=1&b=%222%22",
    ]
    assert o.requests == []
    assert [e for e in o.errors if "Content Security Policy" not in e] == []
    o.page.context.close()


def test_phone_width_bottom_sheet_and_filters_button(browser, pages, opc):
    o = open_map(browser, pages["opc"], width=390, height=844)
    page = o.page
    assert page.locator("#filters").is_hidden()
    page.locator("#toggle-filters").click()
    assert page.locator("#filters").is_visible()
    box = page.locator("#f-topic").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    page.keyboard.press("Escape")
    assert page.locator("#filters").is_hidden()
    assert page.locator("#panel").is_hidden()
    canvas = page.locator("#map canvas").bounding_box()
    assert canvas["width"] == pytest.approx(390, abs=1)
    click_claim(o, "muse-critics-crime-rates")
    sheet = page.locator("#panel").bounding_box()
    assert sheet["width"] == pytest.approx(390, abs=1)
    assert sheet["y"] > 844 * 0.4 and sheet["y"] + sheet["height"] == pytest.approx(844, abs=1)
    assert page.locator("#panel blockquote").inner_text() == opc.claims_by_id["muse-critics-crime-rates"].located.exact
    # The selected claim is drawn above the sheet, not under it.
    y = o.js("() => argmap.network.canvasToDOM(argmap.network.getPosition('c:muse-critics-crime-rates')).y")
    top = page.locator("#map").bounding_box()["y"]
    assert top + y < sheet["y"]
    scroll_width = o.js("() => document.documentElement.scrollWidth")
    assert scroll_width <= 390
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "map-opc-390x844.png"))
    assert o.errors == [] and o.requests == []
    page.context.close()


def test_without_analysis_no_analysis_controls_and_physics_settles(browser, pages):
    mini = load_corpus(DATA / "mini")
    o = open_map(browser, pages["plain"], hash_="#colour=grounded")
    assert o.js("() => argmap.network.physics.options.enabled") is False  # switched off once settled
    assert o.page.locator("#analysis-controls").is_hidden()
    o.js("() => argmap.select('hurt-sales')")
    text = o.page.locator("#panel").inner_text()
    q = mini.claims_by_id["hurt-sales"].located
    assert q is not None and q.exact in text and "ANALYSIS" not in text.upper().split("TOPICS")[-1]
    assert o.js("() => argmap.drawnClaims()") == len(mini.claims)
    assert "colour" not in o.page.url.split("#", 1)[1]  # an analysis view without the analysis is dropped
    assert o.errors == [] and o.requests == []
    o.page.context.close()


# ---------------------------------------------------------------- the view: fitted, legible, nothing covered

NODE_RECTS = """() => {
  const n = argmap.network, r = document.getElementById('map').getBoundingClientRect();
  return n.body.nodeIndices.filter(id => !id.startsWith('j:')).map(id => {
    const b = n.getBoundingBox(id), a = n.canvasToDOM({x: b.left, y: b.top}), c = n.canvasToDOM({x: b.right, y: b.bottom});
    return {id: id, left: r.left + a.x, top: r.top + a.y, right: r.left + c.x, bottom: r.top + c.y};
  });
}"""


def settled(o: Opened) -> None:
    """Wait until a camera animation has ended and the map has been drawn twice since (boxes are measured
    when drawn)."""
    o.page.wait_for_function("() => !argmap.moving()", timeout=10000)
    o.js("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


def map_rect(o: Opened) -> dict:
    return o.js(
        "() => { const r = document.getElementById('map').getBoundingClientRect(); return {left: r.left, top: r.top, right: r.right, bottom: r.bottom}; }"
    )


def overlap(a: dict, b: dict) -> bool:
    return a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]


def claim_label_px(o: Opened) -> dict[str, float]:
    """Each drawn claim's label size on screen, in pixels."""
    return o.js(
        "() => { const n = argmap.network, s = n.getScale(); const out = {};"
        " n.body.nodeIndices.filter(id => id.startsWith('c:')).forEach(id => { out[id] = n.body.nodes[id].options.font.size * s; }); return out; }"
    )


PAINTED = """rects => {
  const canvas = document.querySelector('#map canvas'), ctx = canvas.getContext('2d'), dpr = window.devicePixelRatio || 1;
  const m = canvas.getBoundingClientRect(), px = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  return rects.map(r => { let painted = 0;  // of five points across the middle, how many are not the map's background
    for (const f of [0.3, 0.4, 0.5, 0.6, 0.7]) {
      const x = Math.round((r.left + f * (r.right - r.left) - m.left) * dpr), y = Math.round(((r.top + r.bottom) / 2 - m.top) * dpr);
      const i = 4 * (y * canvas.width + x);
      if (Math.abs(px[i] - 250) + Math.abs(px[i + 1] - 250) + Math.abs(px[i + 2] - 248) > 12) { painted++; }
    }
    return [r.id, painted]; });
}"""


def assert_fitted_and_legible(o: Opened, want: list[str], *, min_px: float = 12) -> None:
    """The drawn claims are ``want``; they fill a good part of the map, inside it, painted on the canvas, with
    labels of at least ``min_px`` pixels that are drawn, and no two overlap."""
    assert o.js("() => argmap.visibleClaims()") == want
    rects = [r for r in o.js(NODE_RECTS) if r["id"].startswith("c:")]
    assert sorted(r["id"][2:] for r in rects) == want
    m = map_rect(o)
    for r in rects:
        assert (
            m["left"] - 1 <= r["left"]
            and r["right"] <= m["right"] + 1
            and m["top"] - 1 <= r["top"]
            and r["bottom"] <= m["bottom"] + 1
        ), r
    width = max(r["right"] for r in rects) - min(r["left"] for r in rects)
    height = max(r["bottom"] for r in rects) - min(r["top"] for r in rects)
    assert width >= 0.5 * (m["right"] - m["left"]) or height >= 0.5 * (m["bottom"] - m["top"]), (width, height, m)
    assert 0 < o.js("() => argmap.network.getScale()") <= 1.5
    assert [i for i, painted in o.page.evaluate(PAINTED, rects) if painted < 4] == []
    sizes = claim_label_px(o)
    assert min(sizes.values()) >= min_px, sizes
    assert o.js(
        "() => argmap.network.body.nodeIndices.filter(id => id.startsWith('c:')).every(id => argmap.network.body.nodes[id].labelModule.visible())"
    )
    for i, a in enumerate(rects):
        for b in rects[i + 1 :]:
            assert not overlap(a, b), (a["id"], b["id"])


def test_filtering_fits_the_view_to_the_claims_left_and_reset_puts_them_back(browser, pages, opc):
    o = open_map(browser, pages["opc"])
    full = o.js("() => argmap.network.getScale()")
    # At the full view the labels would be specks: they are not drawn at all.
    assert o.js(
        "() => argmap.network.body.nodeIndices.filter(id => id.startsWith('c:')).every(id => !argmap.network.body.nodes[id].labelModule.visible())"
    )
    o.page.locator("input[name=stance][value=pro]").uncheck()
    o.page.locator("input[name=stance][value=neutral]").uncheck()
    o.page.select_option("#f-topic", "crime")
    settled(o)
    assert o.js("() => argmap.network.getScale()") > 3 * full
    assert_fitted_and_legible(o, claim_ids(opc, stance="con", topic="crime"))
    # Reset: every claim back where the layout put it, and the whole map in view again.
    o.page.locator("#reset").click()
    settled(o)
    pos = layout(opc)
    drawn = o.js("() => argmap.network.getPositions(argmap.network.body.nodeIndices.filter(id => id.startsWith('c:')))")
    assert len(drawn) == len(opc.claims)
    moved = [
        c.id
        for c in opc.claims
        if abs(drawn[f"c:{c.id}"]["x"] - pos[c.id][0]) >= 1 or abs(drawn[f"c:{c.id}"]["y"] - pos[c.id][1]) >= 1
    ]
    assert moved == []  # (vis-network gives positions as integers)
    assert o.js("() => argmap.network.getScale()") == pytest.approx(full, rel=0.1)
    assert o.errors == []
    o.page.context.close()


@pytest.mark.parametrize(
    "hash_,want",
    [
        ("#stance=con&topic=crime", lambda opc: claim_ids(opc, stance="con", topic="crime")),
        (
            "#claim=muse-critics-crime-rates&focus=1",
            lambda opc: sorted(
                {"muse-critics-crime-rates"}
                | {r.source for r in opc.relations if r.target == "muse-critics-crime-rates"}
                | {r.target for r in opc.relations if r.source == "muse-critics-crime-rates"}
            ),
        ),
    ],
    ids=["con-crime", "focus-1"],
)
def test_an_opened_link_shows_its_claims_fitted_at_once(browser, pages, opc, hash_, want):
    o = open_map(browser, pages["opc"], hash_=hash_)
    assert o.js("() => argmap.moving()") is False  # no animation on opening
    settled(o)
    assert_fitted_and_legible(o, want(opc))
    o.page.context.close()


def test_phone_focus_is_drawn_above_the_sheet(browser, pages, opc):
    o = open_map(browser, pages["opc"], hash_="#claim=muse-critics-crime-rates&focus=1", width=390, height=844)
    settled(o)
    sheet = o.page.locator("#panel").bounding_box()
    rects = o.js(NODE_RECTS)
    assert len([r for r in rects if r["id"].startswith("c:")]) == len(o.js("() => argmap.visibleClaims()")) > 3
    assert all(r["bottom"] <= sheet["y"] + 1 and r["top"] >= map_rect(o)["top"] - 1 for r in rects), (rects, sheet)
    o.page.context.close()


@pytest.mark.parametrize("width,height", [(1280, 800), (390, 844)])
def test_the_legend_covers_no_node(browser, pages, width, height):
    o = open_map(browser, pages["opc"], width=width, height=height)
    o.js("() => { document.getElementById('legend').open = true; }")  # folded on a phone: open it
    o.page.wait_for_timeout(1200)  # vis-network notices a resized container within a second
    o.js("() => argmap.network.fit({animation: false})")
    settled(o)
    legend = o.page.locator("#legend").bounding_box()
    assert legend["height"] > 10 and "attacks" in o.page.locator("#legend").inner_text()
    box = {
        "left": legend["x"],
        "top": legend["y"],
        "right": legend["x"] + legend["width"],
        "bottom": legend["y"] + legend["height"],
    }
    rects = o.js(NODE_RECTS)
    assert len(rects) >= 138  # every claim and the motion
    assert [r["id"] for r in rects if overlap(r, box)] == []
    o.page.context.close()


def test_lines_are_readable_at_the_overview_and_attacks_dashed(browser, pages, opc):
    o = open_map(browser, pages["opc"])
    lines = """() => { const n = argmap.network, s = n.getScale();
      return argmap.edges.get({filter: e => !!e.rel && !e.id.endsWith(':a')}).map(e => { const o = n.body.edges[e.id].options;
        return {rel: e.rel, px: o.width * s, dash: Array.isArray(o.dashes) ? o.dashes.map(d => d * s) : o.dashes,
                colour: o.color.color, arrow: o.arrows.to.enabled ? o.arrows.to.type : null}; }); }"""
    kind = {r.id: r.type for r in opc.relations}
    for scale in (None, 1.0):  # the full view, then zoomed in
        if scale:
            o.js(f"() => argmap.network.moveTo({{scale: {scale}, animation: false}})")
            settled(o)
        seen = o.js(lines)
        assert {kind[e["rel"]] for e in seen} == {"supports", "attacks", "undercuts"}
        for e in seen:
            assert e["px"] >= 1.5, e
            if kind[e["rel"]] == "supports":
                assert e["dash"] is False and e["colour"] == "#0072B2" and e["arrow"] == "arrow"
            elif kind[e["rel"]] == "attacks":
                assert e["dash"][0] >= 4 and e["colour"] == "#D55E00" and e["arrow"] == "bar", e
            else:
                assert e["dash"][0] < e["dash"][1] and e["colour"] == "#CC79A7" and e["arrow"] == "bar", e
    assert o.errors == []
    o.page.context.close()


def test_a_small_debate_is_legible_at_once(browser, pages):
    """A debate small enough to be read whole is drawn close enough together (after physics has settled)."""
    mini = load_corpus(DATA / "mini")
    o = open_map(browser, pages["plain"])
    settled(o)
    assert_fitted_and_legible(o, sorted(c.id for c in mini.claims))
    assert o.errors == []
    o.page.context.close()


@pytest.mark.parametrize("width,height", [(1280, 800), (1100, 640)])
def test_a_small_debate_opens_with_every_claim_readable_in_a_small_window(browser, pages, width, height):
    """A debate small enough to read at once is drawn close together and fitted, every claim with its own
    label, in a window (or a notebook's frame) too small for the reading zoom: at the phone's zoom then."""
    o = open_map(browser, pages["plain"], width=width, height=height)
    settled(o)
    assert_fitted_and_legible(o, sorted(c.id for c in load_corpus(DATA / "mini").claims), min_px=9)
    assert o.errors == []
    o.page.context.close()


def test_the_legend_stays_beside_the_panel_with_every_key_shown(browser, pages):
    """With the grounded colours on, every legend entry (the long notes wrap) ends left of the panel."""
    o = open_map(browser, pages["opc"], width=1366, height=768)
    o.page.check("#colour-grounded")
    o.page.wait_for_timeout(100)
    right = o.js(
        "() => Math.max(...Array.from(document.querySelectorAll('.legend li')).filter(l => l.offsetParent).map(l => l.getBoundingClientRect().right))"
    )
    panel = o.js("() => document.getElementById('panel').getBoundingClientRect().left")
    assert right <= panel + 1, (right, panel)
    o.page.context.close()
