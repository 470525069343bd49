"""`argmap annotate`: the pure core (selections, records, YAML append, versions, checks in a temporary copy),
the HTTP edge (tokens, Host check, 409 on a stale version, racing saves) and the page in a real Chromium,
driven with the mouse and the keyboard."""

from __future__ import annotations

import http.client
import importlib.util
import json
import threading
from pathlib import Path

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # the browser tests skip (need)
    expect = None  # type: ignore[assignment]  # playwright missing: the browser tests skip

from conftest import ROOT, need

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
