"""The map's filters (``visibleClaims`` in export/templates/map.js) and :func:`argmap.sources.select.select` follow
one set of rules: the map, opened in Chromium on the OPC debate, shows for each of many selections (given in its
address, as a shared link gives them) exactly the claims ``select`` chooses."""

from __future__ import annotations

import importlib.util
import random
import urllib.parse
from pathlib import Path

import pytest
from conftest import need

from argmap.export.htmlmap import render_map
from argmap.sources import load_corpus
from argmap.sources.select import Selection, select

ROOT = Path(__file__).parent.parent
OPC = ROOT / "argmap" / "corpora" / "opc"
CHROMIUM = "/usr/bin/chromium"

# The address is set as a shared link sets it and the map is told at once, so the answer follows synchronously.
VISIBLE_AFTER = """h => {
  history.replaceState(null, "", h ? "#" + h : location.pathname);
  dispatchEvent(new HashChangeEvent("hashchange"));
  return argmap.visibleClaims();
}"""


def map_hash(sel: Selection) -> str:
    """The map's address for a selection (what the map writes when its controls are set so)."""
    parts = []
    for key, value in (
        ("stance", sel.stance),
        ("topic", sel.topics[0] if sel.topics else None),
        ("source", sel.source),
        ("speaker", sel.speaker),
        ("q", sel.search),
        ("match", "only" if sel.search else None),
        ("claim", sel.around),
        ("focus", str(sel.depth) if sel.around else None),
    ):
        if value is not None:
            parts.append(f"{key}={urllib.parse.quote(value, safe='')}")
    return "&".join(parts)


def selections(corpus) -> list[Selection]:
    """Every topic, stance, source and speaker alone; speaker texts (parts of names and roles, in other case);
    searches; the neighbourhood of claims that undercut or are undercut; and random mixes of them."""
    rnd = random.Random(23)
    topics = [t.id for t in corpus.topics]
    sources = [s.id for s in corpus.sources]
    speakers = [p.id for p in corpus.speakers]
    texts = ["police", "MAYOR", "health", "Council", "director", "de", "new york", "nobody-at-all"]
    texts += [p.name.split()[-1].upper() for p in corpus.speakers[:12]]
    texts += [p.role.split()[0] for p in corpus.speakers if p.role][:8]
    searches = ["crime", "overdose deaths", "needle", "property values", "PERCENT", "nyc opc", "zzz-nothing"]
    undercuts = [r for r in corpus.relations if r.type == "undercuts"]
    focus = sorted({r.source for r in undercuts} | {r.target for r in corpus.relations if r.type != "undercuts"})[:40]
    focus += sorted({corpus.relations_by_id[r.target].source for r in undercuts if r.target in corpus.relations_by_id})
    out = [Selection()]
    out += [Selection(topics=(t,)) for t in topics]
    out += [Selection(stance=s) for s in ("pro", "con", "neutral")]
    out += [Selection(source=s) for s in sources]
    out += [Selection(speaker=s) for s in speakers + texts]
    out += [Selection(search=q) for q in searches]
    out += [Selection(around=c, depth=d) for c in focus for d in (1, 2)]
    for _ in range(150):
        out.append(
            Selection(
                topics=(rnd.choice(topics),) if rnd.random() < 0.5 else (),
                stance=rnd.choice(("pro", "con", "neutral")) if rnd.random() < 0.5 else None,
                source=rnd.choice(sources) if rnd.random() < 0.2 else None,
                speaker=rnd.choice(speakers + texts) if rnd.random() < 0.3 else None,
                search=rnd.choice(searches) if rnd.random() < 0.3 else None,
                around=rnd.choice(focus) if rnd.random() < 0.4 else None,
                depth=rnd.choice((1, 2, 3)),
            )
        )
    return out


@pytest.fixture(scope="module")
def opened(tmp_path_factory):
    need(Path(CHROMIUM).exists(), f"Chromium at {CHROMIUM}")
    need(importlib.util.find_spec("playwright") is not None, "playwright missing: pip install -e '.[test]'")
    from playwright.sync_api import sync_playwright

    corpus = load_corpus(OPC)
    path = tmp_path_factory.mktemp("filter") / "opc.html"
    path.write_text(render_map(corpus), encoding="utf-8")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(path.as_uri())
        page.wait_for_selector("body[data-ready=true]", state="attached", timeout=30000)
        yield corpus, page, errors
        browser.close()


def test_the_map_shows_what_select_chooses(opened):
    corpus, page, errors = opened
    cases = selections(corpus)
    assert len(cases) > 300
    differ = []
    sizes = set()
    for sel in cases:
        want = sorted(c.id for c in select(corpus, sel).claims)
        got = page.evaluate("h => argmap.claimsFor(h)", map_hash(sel))
        sizes.add(len(want))
        if got != want:
            differ.append((sel, sorted(set(got) - set(want)), sorted(set(want) - set(got))))
    assert differ == [] and errors == []
    # and the address, given to the map as a shared link gives it, shows those claims (a sample: every change
    # of the address moves the view)
    for sel in cases[:: max(1, len(cases) // 12)]:
        assert page.evaluate(VISIBLE_AFTER, map_hash(sel)) == sorted(c.id for c in select(corpus, sel).claims)
        page.wait_for_function("() => !argmap.moving()", timeout=10000)
    assert len(sizes) > 20  # the selections chose many different parts, not all nothing or everything


def test_a_speaker_text_in_the_address_is_an_option_of_the_speaker_filter(opened):
    corpus, page, _errors = opened
    page.evaluate(VISIBLE_AFTER, "speaker=MAYOR")
    assert page.locator("#f-speaker").input_value() == "MAYOR"
    assert page.locator("#f-speaker option:checked").inner_text() == "“MAYOR” (name, id or role)"
    want = sorted(c.id for c in select(corpus, Selection(speaker="MAYOR")).claims)
    assert want and page.evaluate("() => argmap.visibleClaims()") == want
