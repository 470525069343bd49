"""`argmap annotate`: the pure core (selections, records, YAML append, versions, checks in a temporary copy),
the HTTP edge (tokens, Host check, 409 on a stale version, racing saves) and the page in a real Chromium,
driven with the mouse and the keyboard."""

from __future__ import annotations

import http.client
import importlib.util
import json
import re
import threading
from pathlib import Path

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # the browser tests skip (need)
    expect = None  # type: ignore[assignment]  # playwright missing: the browser tests skip

from conftest import ROOT, need

import argmap
from argmap.annotate import RemoteEditRefused, make_annotate_server
from argmap.sources import annotation as ann
from argmap.sources import load_corpus
from argmap.sources.draft import draft_source, render_drafts

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts"
AXE = ROOT / "tests" / "js" / "node_modules" / "axe-core" / "axe.min.js"
SECOND = "Shopkeepers said the lanes would cut parking"  # occurs twice in the gazette text


# ---------------------------------------------------------------- pure core


def test_selection_offsets_are_checked_against_the_text(mini):
    text = (mini / "texts/gazette-2024.txt").read_text(encoding="utf-8")
    second = text.index(SECOND, text.index(SECOND) + 1)
    sel = ann.check_selection(text, second, second + len(SECOND), SECOND)
    assert (sel.quote, sel.occurrence) == (SECOND, 2)
    with pytest.raises(ann.FormErrors) as err:
        ann.check_selection(text, second + 1, second + len(SECOND), SECOND)
    assert "does not match the source text" in err.value.errors["quote"]
    with pytest.raises(ann.FormErrors):
        ann.check_selection(text, 0, len(text) + 5, "x")
    with pytest.raises(ann.FormErrors):
        ann.check_selection(text, "0", 5, "Mayor")


def test_append_keeps_comments_and_order(mini):
    old = "# a comment kept\n\n" + (mini / "claims/study.yaml").read_text(encoding="utf-8")
    rec = {
        "id": "new-one",
        "text": "T: x",
        "quote": "Sales on the street did not fall.",
        "source": "study-2023",
        "stance": "pro",
        "topics": ["business"],
        "speaker": "gazette",
        "kind": "factual",
    }
    new, line = ann.append_claim(old, rec)
    assert new.startswith(old.rstrip("\n"))
    assert new.splitlines()[line - 1] == "- id: new-one"
    assert ann.field_at(new, line, line + 4) == "stance"


def test_check_changes_puts_errors_at_fields_and_touches_nothing(mini):
    before = (mini / "claims/study.yaml").read_text(encoding="utf-8")
    rec = {
        "id": "bad-quote",
        "text": "t",
        "quote": "Sales rose sharply.",
        "source": "study-2023",
        "stance": "pro",
        "topics": ["business"],
        "speaker": "gazette",
        "kind": "factual",
    }
    new, line = ann.append_claim(before, rec)
    with pytest.raises(ann.FormErrors) as err:
        ann.check_changes(mini, [ann.Change("claims/study.yaml", new, line)], shacl=False)
    assert "quote not found" in err.value.errors["quote"]
    assert (mini / "claims/study.yaml").read_text(encoding="utf-8") == before


def test_versions_refuse_a_changed_file():
    ann.check_versions({"a.yaml": "x"}, {"a.yaml": ann.version_of("x")})
    with pytest.raises(ann.StaleVersion, match="changed since you opened it"):
        ann.check_versions({"a.yaml": "y"}, {"a.yaml": ann.version_of("x")})


def test_a_claim_without_stance_names_the_field(mini):
    corpus = load_corpus(mini)
    sel = ann.Selection("Sales on the street did not fall.", 0, 1, None)
    with pytest.raises(ann.FormErrors) as err:
        ann.claim_record(
            corpus, "study-2023", sel, {"id": "x", "text": "t", "topics": ["nope"], "speaker": "gazette", "kind": "factual"}
        )
    assert set(err.value.errors) == {"stance", "topics"}


def test_remote_host_needs_allow_remote_edit(mini):
    with pytest.raises(RemoteEditRefused, match="--allow-remote-edit"):
        make_annotate_server(mini, host="0.0.0.0", port=0)


# ---------------------------------------------------------------- the HTTP edge


class Running:
    def __init__(self, root: Path, host: str = "127.0.0.1", **kw):
        self.server, self.annotator = make_annotate_server(root, host=host, port=0, **kw)
        self.port = self.server.server_address[1]
        self.url = f"http://{host}:{self.port}/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def request(self, method, path, body=None, *, token=True, host=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Content-Type": "application/json", "Host": host or f"127.0.0.1:{self.port}"}
        if token:
            headers["X-Argmap-Token"] = self.annotator.csrf
        conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
        r = conn.getresponse()
        out = r.status, json.loads(r.read() or b"{}") if r.getheader("Content-Type", "").startswith("application/json") else None
        conn.close()
        return out

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def running(mini):
    r = Running(mini, shacl=False)
    yield r
    r.stop()


def _claim_body(root: Path, cid: str, versions: dict, **form):
    text = (root / "texts/study-2023.txt").read_text(encoding="utf-8")
    quote = "Sales on the street did not fall."
    start = text.index(quote)
    f = {"id": cid, "text": "Sales held.", "stance": "pro", "topics": ["business"], "speaker": "gazette", "kind": "factual"}
    f.update(form)
    return {"source": "study-2023", "start": start, "end": start + len(quote), "selected": quote, "form": f, "versions": versions}


def test_write_without_token_is_refused(running, mini):
    before = (mini / "claims/study.yaml").read_bytes()
    status, body = running.request("POST", "/api/claim", _claim_body(mini, "x1", {}), token=False)
    assert status == 403 and body["error"] == "token"
    assert (mini / "claims/study.yaml").read_bytes() == before


def test_foreign_host_header_is_refused(running):
    status, body = running.request("GET", "/api/sources", host="attacker.example:80")
    assert status == 403 and body["error"] == "host"


def test_the_command_prints_the_address_it_answers_at(mini):
    """`argmap annotate` prints its URL with the host as text (mypy's str-bytes-safe warned that an address
    typed as any socket address would print as b'...'), and the page answers there."""
    import os
    import re
    import subprocess
    import sys
    import urllib.request

    proc = subprocess.Popen(
        [sys.executable, "-m", "argmap", "annotate", "--corpus", str(mini), "--port", "0", "--no-shacl"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert proc.stderr is not None  # stderr=PIPE
    try:
        line = proc.stderr.readline()
        m = re.search(r"annotating \S+ at (http://127\.0\.0\.1:\d+/)  ", line)
        assert m, line
        with urllib.request.urlopen(m.group(1), timeout=60) as r:
            assert r.status == 200 and "<title>argmap annotate</title>" in r.read().decode("utf-8")
    finally:
        proc.terminate()
        proc.wait(20)


def test_racing_saves_never_lose_a_write(running, mini):
    _, src = running.request("GET", "/api/source?id=study-2023")
    rel = "claims/study.yaml"
    results = []

    def save(i):
        results.append(running.request("POST", "/api/claim", _claim_body(mini, f"race-{i}", src["versions"]))[0])

    threads = [threading.Thread(target=save, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [200, 409, 409, 409]
    written = (mini / rel).read_text(encoding="utf-8")
    assert written.count("- id: race-") == 1
    saved = next(c.id for c in load_corpus(mini).claims if c.id.startswith("race-"))  # still valid
    conn = http.client.HTTPConnection("127.0.0.1", running.port, timeout=60)
    conn.request("GET", "/map", headers={"Host": f"127.0.0.1:{running.port}"})
    page = conn.getresponse().read().decode("utf-8")
    assert saved in page  # the map served shows the corpus as saved


# ---------------------------------------------------------------- the page in Chromium


@pytest.fixture(scope="module")
def browser():
    need(Path(CHROMIUM).exists(), f"Chromium at {CHROMIUM}")
    need(importlib.util.find_spec("playwright") is not None, "playwright missing: pip install -e '.[test]'")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True)
        yield b
        b.close()


@pytest.fixture
def site(mini):
    corpus = load_corpus(mini)
    ds = draft_source(corpus, "study-2023")
    (mini / "claims/study-2023.draft.yaml").write_text(
        render_drafts(ds, file="texts/study-2023.txt", corpus=str(mini), path="claims/study-2023.draft.yaml"), encoding="utf-8"
    )
    r = Running(mini)
    yield r
    r.stop()


def _open(browser, site, *, bypass_csp=False):
    ctx = browser.new_context(viewport={"width": 1400, "height": 900}, bypass_csp=bypass_csp)
    page = ctx.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(site.url)
    page.wait_for_selector("#text span")
    page.wait_for_selector('nav button[aria-current="true"]')
    return page, errors


def _open_source(page, sid):
    page.click(f'nav button[data-source="{sid}"]')
    expect(page.locator(f'nav button[data-source="{sid}"]')).to_have_attribute("aria-current", "true")
    page.wait_for_selector("body:not([data-opening])", state="attached")  # its text drawn, no other on the way


def _drag_select(page, start: int, end: int):
    """Select code points [start, end) of the text by dragging the mouse over them."""
    box = page.evaluate(
        """([a, b]) => {
          const spans = Array.from(document.querySelectorAll('#text [data-start]'));
          const at = (i, edge) => {
            const s = spans.filter((x) => Number(x.dataset.start) <= i).pop();
            const r = document.createRange();
            const k = i - Number(s.dataset.start);
            r.setStart(s.firstChild, k); r.setEnd(s.firstChild, k + 1);
            const rect = r.getBoundingClientRect();
            return edge ? [rect.right - 1, rect.top + rect.height / 2] : [rect.left + 1, rect.top + rect.height / 2];
          };
          return [at(a, false), at(b - 1, true)];
        }""",
        [start, end],
    )
    (x0, y0), (x1, y1) = box
    page.mouse.move(x0, y0)
    page.mouse.down()
    page.mouse.move((x0 + x1) / 2, (y0 + y1) / 2, steps=5)
    page.mouse.move(x1, y1, steps=5)
    page.mouse.up()


def test_mouse_selection_becomes_a_claim(browser, site, mini):
    page, errors = _open(browser, site)
    _open_source(page, "gazette-2024")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "annotate-source.png"), full_page=True)
    text = (mini / "texts/gazette-2024.txt").read_text(encoding="utf-8")
    start = text.index(SECOND, text.index(SECOND) + 1)
    _drag_select(page, start, start + len(SECOND))
    assert page.evaluate("document.getSelection().toString()") == SECOND
    page.click("#make-claim")
    page.wait_for_selector("#claim-panel:not([hidden])")
    assert page.text_content("#f-quote").startswith(SECOND)
    page.fill("#f-id", "shops-fear-parking")
    page.fill("#f-text", "Shopkeepers expect the lanes to cut parking.")
    page.select_option("#f-stance", "con")
    page.check("#topic-business")
    page.select_option("#f-speaker", "shopkeepers")
    page.screenshot(path=str(ARTIFACTS / "annotate-form.png"), full_page=True)
    page.click("#save-claim")
    expect(page.locator("#status")).to_contain_text("saved claim")
    written = (mini / "claims/gazette.yaml").read_text(encoding="utf-8")  # where the source's claims are
    assert f"  quote: {SECOND}\n  occurrence: 2\n" in written
    assert written.startswith((ROOT / "tests/data/mini/claims/gazette.yaml").read_text(encoding="utf-8"))  # kept as it was
    corpus = load_corpus(mini)
    q = corpus.claims_by_id["shops-fear-parking"].located
    assert q is not None and (q.start, q.exact) == (start, SECOND)
    expect(page.locator('#claims li[data-claim="shops-fear-parking"]')).to_have_count(1)
    assert errors == []


def test_invalid_save_shows_the_error_and_writes_nothing(browser, site, mini):
    page, _ = _open(browser, site)
    _open_source(page, "study-2023")
    text = (mini / "texts/study-2023.txt").read_text(encoding="utf-8")
    start = text.index("Crashes fell 40%")
    _drag_select(page, start, start + len("Crashes fell 40%"))
    page.click("#make-claim")
    page.wait_for_selector("#claim-panel:not([hidden])")
    page.select_option("#f-stance", "")
    before = {p.name: p.read_bytes() for p in (mini / "claims").iterdir()}
    page.click("#save-claim")
    expect(page.locator("#err-stance")).to_contain_text("stance")
    assert "stance" in page.text_content("#err-stance")
    assert page.get_attribute("#f-stance", "aria-invalid") == "true"
    page.screenshot(path=str(ARTIFACTS / "annotate-error.png"), full_page=True)
    assert {p.name: p.read_bytes() for p in (mini / "claims").iterdir()} == before


def test_accept_a_draft(browser, site, mini):
    page, errors = _open(browser, site)
    _open_source(page, "study-2023")
    first = page.get_attribute("#drafts li[data-draft]", "data-draft")
    assert page.locator("#text .hl.draft").count() > 0
    page.click(f'#drafts li[data-draft="{first}"] button.accept')
    expect(page.locator("#status")).to_contain_text(f"accepted draft {first}")
    assert f"- id: {first}\n" in (mini / "claims/study-2023.yaml").read_text(encoding="utf-8")
    assert first in load_corpus(mini).claims_by_id
    draft = mini / "claims/study-2023.draft.yaml"
    assert not draft.exists() or f"id: {first}\n" not in draft.read_text(encoding="utf-8")
    assert errors == []


def test_draw_an_attack(browser, site, mini):
    page, _ = _open(browser, site)
    page.select_option("#r-from", "sales-held")
    page.select_option("#r-type", "attacks")
    page.select_option("#r-to", "cost-2m")
    page.fill("#r-rationale", "Sales held up: the cost is paid back.")
    page.click("#save-relation")
    expect(page.locator("#status")).to_contain_text("saved relation")
    written = (mini / "relations.yaml").read_text(encoding="utf-8")
    assert written.endswith(
        "- from: sales-held\n  to: cost-2m\n  type: attacks\n  rationale: 'Sales held up: the cost is paid back.'\n"
    )
    assert "sales-held--attacks--cost-2m" in load_corpus(mini).relations_by_id


def test_two_tabs_racing(browser, site, mini):
    tabs = [_open(browser, site)[0] for _ in range(2)]
    text = (mini / "texts/study-2023.txt").read_text(encoding="utf-8")
    start = text.index("Sales on the street")
    for i, page in enumerate(tabs):
        _open_source(page, "study-2023")
        _drag_select(page, start, start + len("Sales on the street did not fall."))
        page.click("#make-claim")
        page.wait_for_selector("#claim-panel:not([hidden])")
        page.fill("#f-id", f"tab-{i}")
        page.select_option("#f-stance", "pro")
        page.select_option("#f-speaker", "gazette")
        if not page.is_checked("#topic-business"):
            page.check("#topic-business")
    tabs[0].click("#save-claim")
    expect(tabs[0].locator("#status")).to_contain_text("saved claim")
    tabs[1].click("#save-claim")
    expect(tabs[1].locator("#status")).to_contain_text("changed since you opened it")
    written = (mini / "claims/study.yaml").read_text(encoding="utf-8")
    assert "- id: tab-0\n" in written and "tab-1" not in written


def test_keyboard_only_selection(browser, site, mini):
    page, _ = _open(browser, site)
    _open_source(page, "study-2023")
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "text":
            break
    assert page.evaluate("document.activeElement.id") == "text"
    for _ in range(len("Crashes fell")):
        page.keyboard.press("Shift+ArrowRight")
    assert page.evaluate("document.getSelection().toString()") == "Crashes fell"
    page.keyboard.press("Enter")
    page.wait_for_selector("#claim-panel:not([hidden])")
    assert page.text_content("#f-quote") == "Crashes fell"


def test_axe_no_serious_violations(browser, site):
    need(AXE.exists(), f"axe-core at {AXE} (npm install --prefix tests/js --save-dev axe-core@4)")
    page, _ = _open(browser, site, bypass_csp=True)
    _open_source(page, "gazette-2024")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document).then(r => r.violations.map(v => [v.id, v.impact, v.nodes.length]))")
    bad = [v for v in result if v[1] in ("serious", "critical")]
    assert bad == []


def test_hostile_text_is_inert(browser, mini):
    (mini / "texts/study-2023.txt").write_text(
        "Crashes fell 40% after protected lanes opened. <img src=x onerror=alert(1)><script>window.pwned=1</script>\n\nSales on the street did not fall.\n",
        encoding="utf-8",
    )
    r = Running(mini, shacl=False)
    try:
        page, errors = _open(browser, r)
        _open_source(page, "study-2023")
        assert page.locator("#text img, #text script").count() == 0
        assert "<script>window.pwned=1</script>" in page.text_content("#text")
        assert page.evaluate("window.pwned") is None
    finally:
        r.stop()


def test_remote_edit_needs_the_printed_access_token(mini):
    # 127.0.0.2 is not one of the loopback names the edit mode allows by default: it counts as remote
    r = Running(mini, host="127.0.0.2", allow_remote=True, shacl=False)
    try:
        token = r.annotator.access_token
        assert token
        conn = http.client.HTTPConnection("127.0.0.2", r.port, timeout=30)
        conn.request("GET", "/api/sources", headers={"Host": f"127.0.0.2:{r.port}"})
        resp = conn.getresponse()
        assert resp.status == 403 and json.loads(resp.read())["error"] == "access"
        conn.request("GET", f"/api/sources?token={token}", headers={"Host": f"127.0.0.2:{r.port}"})
        resp = conn.getresponse()
        assert resp.status == 200 and json.loads(resp.read())["debate"] == "Town bike lanes"
        conn.close()
    finally:
        r.stop()


def test_a_stale_version_is_refused_with_409(running, mini):
    _, src = running.request("GET", "/api/source?id=study-2023")
    (mini / "claims/study.yaml").write_text(
        (mini / "claims/study.yaml").read_text(encoding="utf-8") + "# edited\n", encoding="utf-8"
    )
    before = (mini / "claims/study.yaml").read_bytes()
    status, body = running.request("POST", "/api/claim", _claim_body(mini, "late", src["versions"]))
    assert status == 409 and "changed since you opened it" in body["message"]
    assert (mini / "claims/study.yaml").read_bytes() == before


# ---------------------------------------------------------------- drafts: edit and reject


def _snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_edit_a_draft_saves_the_edited_claim_with_the_drafts_quote(browser, site, mini):
    page, errors = _open(browser, site)
    _open_source(page, "study-2023")
    did = "study-2023-sales-street-fall"
    page.click(f'#drafts li[data-draft="{did}"] button.edit')
    page.wait_for_selector("#claim-panel:not([hidden])")
    assert page.text_content("#claim-heading") == f"Edit draft {did}"
    assert page.text_content("#f-quote") == "Sales on the street did not fall."
    assert page.input_value("#f-id") == did
    assert page.input_value("#f-text") == "Sales on the street did not fall."
    assert page.input_value("#f-stance") == "con"
    assert page.is_checked("#topic-business")
    # the draft names a speaker it proposes (new_speakers): the form opens with it as a new speaker
    assert page.input_value("#f-speaker") == "+new"
    assert page.input_value("#f-new_speaker_id") == "study-2023-author"
    page.fill("#f-text", "Shop sales on the street held up after the lanes opened.")
    page.select_option("#f-stance", "pro")
    page.select_option("#f-speaker", "gazette")
    assert page.is_hidden("#new-speaker")
    before_speakers = (mini / "speakers.yaml").read_bytes()
    page.click("#save-claim")
    expect(page.locator("#status")).to_contain_text(f"saved claim {did}")
    expect(page.locator(f'#drafts li[data-draft="{did}"]')).to_have_count(0)
    expect(page.locator(f'#claims li[data-claim="{did}"]')).to_have_count(1)
    c = load_corpus(mini).claims_by_id[did]
    assert (c.text, c.stance, c.speaker, c.quote) == (
        "Shop sales on the street held up after the lanes opened.",
        "pro",
        "gazette",
        "Sales on the street did not fall.",
    )
    assert (
        f"- id: {did}\n  text: Shop sales on the street held up after the lanes opened.\n  quote: Sales on the street did not fall.\n"
        in (mini / "claims/study.yaml").read_text(encoding="utf-8")
    )
    draft = (mini / "claims/study-2023.draft.yaml").read_text(encoding="utf-8")
    assert did not in draft and "study-2023-crashes-fell-40-after" in draft
    assert (mini / "speakers.yaml").read_bytes() == before_speakers  # the proposed speaker was not used
    assert errors == []


def test_reject_a_draft_removes_it_and_writes_nothing_else(browser, site, mini):
    page, errors = _open(browser, site)
    _open_source(page, "study-2023")
    did = "study-2023-crashes-fell-40-after"
    before = _snapshot(mini)
    page.click(f'#drafts li[data-draft="{did}"] button.reject')
    expect(page.locator("#status")).to_contain_text(f"rejected draft {did}")
    expect(page.locator(f'#drafts li[data-draft="{did}"]')).to_have_count(0)
    expect(page.locator("#drafts li[data-draft]")).to_have_count(1)
    after = _snapshot(mini)
    draft = "claims/study-2023.draft.yaml"
    assert {k: v for k, v in after.items() if k != draft} == {k: v for k, v in before.items() if k != draft}
    assert did not in after[draft].decode("utf-8") and "study-2023-sales-street-fall" in after[draft].decode("utf-8")
    assert errors == []


# ---------------------------------------------------------------- the map view updates after a save


def test_an_open_map_updates_after_a_save(browser, site, mini):
    ctx = browser.new_context(viewport={"width": 1200, "height": 800})
    the_map = ctx.new_page()
    the_map.goto(site.url + "map")
    expect(the_map.locator("#claim-list")).to_contain_text("Claims shown (6 of 6)")
    assert "Shopkeepers fear" not in the_map.text_content("#claim-list")
    page, errors = _open(browser, site)
    _open_source(page, "gazette-2024")
    text = (mini / "texts/gazette-2024.txt").read_text(encoding="utf-8")
    start = text.index(SECOND)
    _drag_select(page, start, start + len(SECOND))
    page.click("#make-claim")
    page.wait_for_selector("#claim-panel:not([hidden])")
    page.fill("#f-id", "shops-fear-parking")
    page.fill("#f-text", "Shopkeepers fear the lanes would cut parking.")
    page.select_option("#f-stance", "con")
    page.check("#topic-business")
    page.select_option("#f-speaker", "shopkeepers")
    page.click("#save-claim")
    expect(page.locator("#status")).to_contain_text("saved claim shops-fear-parking")
    # the map tab, not touched since it opened, reloads itself and shows the new claim
    # (it polls every 1.5 s, then draws the map with its analysis again: allow for a loaded machine)
    expect(the_map.locator("#claim-list")).to_contain_text("Claims shown (7 of 7)", timeout=60_000)
    expect(the_map.locator("#claim-list")).to_contain_text("AGAINST: Shopkeepers fear the lanes would cut parking.")
    assert '"shops-fear-parking"' in the_map.evaluate("document.getElementById('argmap-data').textContent")
    assert errors == []


def test_the_map_page_keeps_its_policy_and_adds_only_its_own_script(running, mini):
    conn = http.client.HTTPConnection("127.0.0.1", running.port, timeout=60)
    conn.request("GET", "/map", headers={"Host": f"127.0.0.1:{running.port}"})
    page = conn.getresponse().read().decode("utf-8")
    conn.request("GET", "/api/version", headers={"Host": f"127.0.0.1:{running.port}"})
    version = json.loads(conn.getresponse().read())["version"]
    conn.close()
    assert f'<script src="/map-live.js" data-version="{version}"></script>' in page
    policy = page.split('http-equiv="Content-Security-Policy" content="', 1)[1].split('"', 1)[0]
    assert policy.startswith("default-src &#x27;none&#x27;; script-src &#x27;self&#x27; &#x27;sha256-")
    assert policy.endswith("connect-src &#x27;self&#x27;")
    # the rest is the map `argmap map` draws, analysis included (the strongest claims at a glance)
    csp = re.compile(r'<meta http-equiv="Content-Security-Policy" content="[^"]*">')
    drawn = csp.sub("", page.replace(f'<script src="/map-live.js" data-version="{version}"></script>\n', ""))
    assert drawn == csp.sub("", str(argmap.load(str(mini)).map()))


# ---------------------------------------------------------------- a new speaker or topic typed in


def _select_and_open(page, mini, sid, passage, *, nth=0):
    text = (mini / f"texts/{sid}.txt").read_text(encoding="utf-8")
    start = -1
    for _ in range(nth + 1):
        start = text.index(passage, start + 1)
    _open_source(page, sid)
    _drag_select(page, start, start + len(passage))
    assert page.evaluate("document.getSelection().toString()") == passage
    page.click("#make-claim")
    page.wait_for_selector("#claim-panel:not([hidden])")
    expect(page.locator("#f-quote")).to_contain_text(passage)


def _new_topic(page, tid: str, label: str, definition: str) -> None:
    """Open the form's "A new topic" and type one in."""
    page.click("#new-topic summary")
    page.fill("#f-new_topic_id", tid)
    page.fill("#f-new_topic_label", label)
    page.fill("#f-new_topic_definition", definition)


def test_a_new_speaker_and_topic_are_written_with_the_claim(browser, site, mini):
    page, errors = _open(browser, site)
    _select_and_open(page, mini, "gazette-2024", SECOND, nth=1)
    page.fill("#f-id", "parking-worry")
    page.fill("#f-text", "Shopkeepers expect the lanes to cut parking.")
    page.select_option("#f-stance", "con")
    for box in page.locator("#f-topics input[type=checkbox]").all():  # whatever was suggested: the new topic only
        box.set_checked(False)
    page.select_option("#f-speaker", "+new")
    page.fill("#f-new_speaker_id", "traders-guild")
    page.fill("#f-new_speaker_name", "Traders' Guild")
    page.select_option("#f-new_speaker_type", "organization")
    _new_topic(page, "parking", "Parking", "Where cars can stop: spaces lost or kept.")
    page.click("#save-claim")
    expect(page.locator("#status")).to_contain_text("saved claim parking-worry")
    expect(page.locator("#status")).to_contain_text("new speaker traders-guild, new topic parking")
    corpus = load_corpus(mini)
    c = corpus.claims_by_id["parking-worry"]
    assert (c.speaker, c.topics) == ("traders-guild", ("parking",))
    assert corpus.speakers_by_id["traders-guild"].name == "Traders' Guild"
    assert corpus.topics_by_id["parking"].definition == "Where cars can stop: spaces lost or kept."
    shipped = ROOT / "tests/data/mini"
    for rel in ("speakers.yaml", "topics.yaml"):  # appended, everything that was there kept
        assert (mini / rel).read_text(encoding="utf-8").startswith((shipped / rel).read_text(encoding="utf-8"))
    assert (
        (mini / "speakers.yaml")
        .read_text(encoding="utf-8")
        .endswith("\n- id: traders-guild\n  name: Traders' Guild\n  type: organization\n")
    )
    # the new ones are in the form's choices now
    _select_and_open(page, mini, "study-2023", "Crashes fell")
    assert page.locator('#f-speaker option[value="traders-guild"]').count() == 1
    assert page.locator("#topic-parking").count() == 1
    assert errors == []


def _new_body(mini, src, **form):
    fields = {
        "speaker": "+new",
        "new_speaker": {"id": "cycle-club", "name": "Cycle Club", "type": "organization"},
        "topics": [],
        "new_topic": {"id": "parking", "label": "Parking", "definition": "Spaces for cars."},
    }
    fields.update(form)
    return _claim_body(mini, "with-new", src["versions"], **fields)


def test_a_failed_second_write_leaves_the_first_file_untouched(running, mini, monkeypatch):
    import errno
    import os

    from argmap import files

    _, src = running.request("GET", "/api/source?id=study-2023")
    before = _snapshot(mini)
    real = os.replace
    done = []

    def second_fails(a, b):
        done.append(b)
        if len(done) == 2:
            raise OSError(errno.EIO, "Input/output error")
        return real(a, b)

    monkeypatch.setattr(files.os, "replace", second_fails)
    status, body = running.request("POST", "/api/claim", _new_body(mini, src))
    assert status == 400 and "input/output error" in body["message"].lower(), body
    assert len(done) >= 2 and Path(done[0]).name == "study.yaml"  # the claims file was replaced, then put back
    assert _snapshot(mini) == before
    monkeypatch.setattr(files.os, "replace", real)
    status, body = running.request("POST", "/api/claim", _new_body(mini, src))
    assert status == 200 and (body["new_speaker"], body["new_topic"]) == ("cycle-club", "parking")
    corpus = load_corpus(mini)
    assert corpus.claims_by_id["with-new"].speaker == "cycle-club" and "parking" in corpus.topics_by_id


@pytest.mark.parametrize(
    ("form", "field", "message"),
    [
        ({"new_speaker": {"id": "gazette", "name": "G", "type": "organization"}}, "new_speaker_id", "already in speakers.yaml"),
        ({"new_speaker": {"id": "cc", "name": "", "type": "club"}}, "new_speaker_type", "unknown type 'club'"),
        ({"new_topic": {"id": "safety", "label": "S", "definition": "d"}}, "new_topic_id", "already in topics.yaml"),
        ({"new_topic": {"id": "Parking", "label": "P", "definition": "d"}}, "new_topic_id", "bad id 'Parking'"),
        ({"new_topic": {"id": "parking", "label": "P", "definition": ""}}, "new_topic_definition", "needs a definition"),
        ({"topics": ["nope"], "new_topic": {}}, "topics", "unknown topic 'nope'"),
    ],
)
def test_a_bad_new_speaker_or_topic_is_refused_at_its_field(running, mini, form, field, message):
    _, src = running.request("GET", "/api/source?id=study-2023")
    before = _snapshot(mini)
    status, body = running.request("POST", "/api/claim", _new_body(mini, src, **form))
    assert status == 400 and message in body["fields"][field], body
    assert _snapshot(mini) == before


# ---------------------------------------------------------------- errors at their fields in the page


def test_errors_show_at_their_fields_and_nothing_is_written(browser, site, mini):
    page, errors = _open(browser, site)
    _select_and_open(page, mini, "gazette-2024", "Mayor Ann Lee said")
    before = _snapshot(mini)
    # a stance missing and a new topic with a bad id: each shown at its own field
    page.select_option("#f-stance", "")
    _new_topic(page, "Bad Topic", "Bad", "d")
    page.click("#save-claim")
    expect(page.locator("#err-stance")).to_contain_text("a claim needs a stance")
    expect(page.locator("#err-new_topic_id")).to_contain_text("bad id 'Bad Topic'")
    assert page.get_attribute("#f-new_topic_id", "aria-invalid") == "true"
    assert page.text_content("#err-quote") == "" and page.text_content("#err-id") == ""
    assert _snapshot(mini) == before
    # the source text changed on disk since the passage was selected: the quote no longer matches
    page.select_option("#f-stance", "pro")
    page.fill("#f-new_topic_id", "")
    page.fill("#f-new_topic_label", "")
    page.fill("#f-new_topic_definition", "")
    path = mini / "texts/gazette-2024.txt"  # (a passage no claim quotes: the corpus stays valid)
    path.write_text(path.read_text(encoding="utf-8").replace("Mayor Ann Lee", "Major Ann Lee"), encoding="utf-8")
    before = _snapshot(mini)
    page.click("#save-claim")
    expect(page.locator("#err-quote")).to_contain_text("does not match the source text")
    assert page.text_content("#err-stance") == ""
    assert _snapshot(mini) == before
    assert errors == []


@pytest.mark.parametrize("state", ["form-open", "error-shown", "edit-draft-new-speaker"])
def test_axe_with_the_form(browser, site, mini, state):
    need(AXE.exists(), f"axe-core at {AXE} (npm install --prefix tests/js --save-dev axe-core@4)")
    page, _ = _open(browser, site, bypass_csp=True)
    if state == "edit-draft-new-speaker":
        _open_source(page, "study-2023")
        page.click('#drafts li[data-draft="study-2023-sales-street-fall"] button.edit')
        page.wait_for_selector("#new-speaker:not([hidden])")
    else:
        _select_and_open(page, mini, "study-2023", "Crashes fell 40%")
    if state == "error-shown":
        page.select_option("#f-stance", "")
        page.select_option("#f-speaker", "+new")
        page.click("#new-topic summary")
        page.fill("#f-new_topic_id", "Bad Topic")
        page.click("#save-claim")
        expect(page.locator("#err-stance")).to_contain_text("stance")
        expect(page.locator("#err-new_speaker_id")).not_to_be_empty()
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document).then(r => r.violations.map(v => [v.id, v.impact, v.nodes.length]))")
    assert [v for v in result if v[1] in ("serious", "critical")] == []
