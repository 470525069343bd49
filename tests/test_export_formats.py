"""Every export format, read back with that format's own tool.

One ``test_roundtrip_<format>`` per registered format (a meta-test in test_export_registry.py checks
that). Each runs on the small debate (tests/data/mini) and on a hostile one (tests/data/hostile) whose
every text field carries markup and the punctuation of the output syntaxes, so escaping is tested by
reading the text back exactly.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest
from export_support import (
    HOSTILE,
    HOSTILE_MARKUP,
    MINI,
    ROOT,
    check_golden,
    chromium,
    fake_metrics,
    graphviz_dot,
    js_tool,
    puppeteer_config,
)

from argmap.export.registry import exporters, get_exporter
from argmap.sources import default_corpus_path, load_corpus

CORPORA = {"mini": MINI, "hostile": HOSTILE, "opc": default_corpus_path()}


@pytest.fixture(scope="module", params=sorted(CORPORA))
def corpus(request):
    return load_corpus(CORPORA[request.param])


@pytest.fixture(scope="module")
def mini():
    return load_corpus(MINI)


@pytest.fixture(scope="module")
def hostile():
    return load_corpus(HOSTILE)


def render(name, corpus, metrics=None):
    return get_exporter(name).render(corpus, metrics=metrics)


def norm(text: str) -> str:
    return " ".join(text.split())


def expected_relation_counts(corpus) -> Counter:
    return Counter(r.type for r in corpus.relations)


# ---------------------------------------------------------------- Graphviz


def _svg_nodes(svg: str) -> dict[str, list[str]]:
    """The text lines of each claim node in a Graphviz SVG, by claim id."""
    root = ET.fromstring(svg)
    ns = {"svg": "http://www.w3.org/2000/svg"}
    out = {}
    for g in root.iter("{http://www.w3.org/2000/svg}g"):
        gid = g.get("id", "")
        if gid.startswith("claim-"):
            out[gid[len("claim-") :]] = [t.text or "" for t in g.findall(".//svg:text", ns)]
    return out


def _claim_text_from_lines(lines: list[str]) -> str:
    # header line, wrapped text lines, "— speaker", optional "[analysis]"
    speaker = max(i for i, line in enumerate(lines) if line.startswith("— "))
    return norm(" ".join(lines[1:speaker]))


def _assert_svg_safe(svg: str) -> None:
    root = ET.fromstring(svg)
    tags = {el.tag.rsplit("}", 1)[-1] for el in root.iter()}
    assert not tags & {"script", "img", "iframe", "object", "embed", "foreignObject"}, tags


def test_roundtrip_dot(corpus, mini):
    """Graphviz itself reads the DOT: one node per claim, one edge per relation (two through a junction)."""
    exe = graphviz_dot()
    dot = render("dot", corpus)
    proc = subprocess.run([exe, "-Tjson"], input=dot.encode(), capture_output=True, check=False)
    assert proc.returncode == 0, proc.stderr.decode()
    g = json.loads(proc.stdout)
    names = [o["name"] for o in g.get("objects", [])]
    assert sorted(n[len("claim:") :] for n in names if n.startswith("claim:")) == sorted(c.id for c in corpus.claims)
    by_gvid = {o["_gvid"]: o["name"] for o in g["objects"]}
    edges = [(by_gvid[e["tail"]], by_gvid[e["head"]]) for e in g.get("edges", []) if e.get("style") != "invis"]
    graph_edges = [e for e in edges if not e[0].startswith("legend:")]
    undercut = {r.target for r in corpus.relations if r.type == "undercuts"}
    assert len(graph_edges) == len(corpus.relations) + len(undercut)
    legend = [n for n in names if n.startswith("legend:")]
    assert {"legend:pro", "legend:con", "legend:neutral"} <= set(legend)
    if corpus.root == mini.root:
        check_golden("mini.dot", dot)


def test_roundtrip_svg(corpus):
    """The SVG parses as XML, has a node per claim whose text reads back as the claim, and no script."""
    graphviz_dot()
    svg = render("svg", corpus)
    _assert_svg_safe(svg)
    nodes = _svg_nodes(svg)
    assert sorted(nodes) == sorted(c.id for c in corpus.claims)
    for c in corpus.claims:
        assert _claim_text_from_lines(nodes[c.id]) == norm(c.text)
        assert nodes[c.id][0].startswith({"pro": "FOR", "con": "AGAINST", "neutral": "CONTEXT"}[c.stance])


def test_roundtrip_svg_with_metrics(mini):
    graphviz_dot()
    metrics = fake_metrics(mini)
    nodes = _svg_nodes(render("svg", mini, metrics))
    for cid, lines in nodes.items():
        assert lines[-1].startswith("[") and "strength" in lines[-1]


def test_roundtrip_png(mini):
    graphviz_dot()
    png = render("png", mini)
    assert isinstance(png, bytes) and png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert width > 500 and height > 200


def test_roundtrip_pdf(mini):
    graphviz_dot()
    pdf = render("pdf", mini)
    assert isinstance(pdf, bytes) and pdf.startswith(b"%PDF-") and b"%%EOF" in pdf[-1024:]


def test_missing_dot_is_a_clear_error(mini, monkeypatch):
    from argmap.errors import ExportError

    monkeypatch.setenv("PATH", "")
    with pytest.raises(ExportError, match="`dot`"):
        render("svg", mini)
    assert render("dot", mini).startswith("digraph")  # the source needs no Graphviz


# ---------------------------------------------------------------- Mermaid


def _mmdc(tmp_path: Path, text: str) -> subprocess.CompletedProcess:
    exe = js_tool("mmdc")
    src = tmp_path / "in.mmd"
    src.write_text(text, encoding="utf-8")
    out = tmp_path / "out.svg"
    return subprocess.run(
        [exe, "-q", "-p", puppeteer_config(tmp_path), "-i", str(src), "-o", str(out)],
        capture_output=True,
        check=False,
        cwd=tmp_path,
    )


class _TextCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.chunks: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.chunks.append(data)


def test_roundtrip_mermaid(corpus, mini, tmp_path):
    """mermaid-cli (with Debian's chromium) renders the flowchart; every claim's text shows as text."""
    from argmap.errors import ExportError
    from argmap.sources.select import Selection, select, widen

    try:
        text = render("mermaid", corpus)
    except ExportError as err:
        # a debate too big for Mermaid's default maxTextSize: draw one topic and its answers instead
        assert "maxTextSize" in str(err)
        corpus = widen(corpus, select(corpus, Selection(topics=(corpus.claims[0].topics[0],))), 1)
        text = render("mermaid", corpus)
    if corpus.root == mini.root:
        check_golden("mini.mmd", text)
    proc = _mmdc(tmp_path, text)
    assert proc.returncode == 0, proc.stderr.decode() + proc.stdout.decode()
    svg = (tmp_path / "out.svg").read_text(encoding="utf-8")
    root = ET.fromstring(svg)
    tags = {el.tag.rsplit("}", 1)[-1] for el in root.iter()}
    assert not tags & {"script", "img", "iframe", "object", "embed", "a"}, tags
    nodes = {}
    for g in root.iter("{http://www.w3.org/2000/svg}g"):
        m = re.search(r"flowchart-(c_\w+)-\d+$", g.get("id", ""))
        if m:
            nodes[m.group(1)] = norm(" ".join(g.itertext()))
    from argmap.export.mermaid import node_ids

    ids = node_ids([c.id for c in corpus.claims], "c_")
    assert sorted(nodes) == sorted(ids.values())
    for c in corpus.claims:
        assert norm(c.text) in nodes[ids[c.id]]


def test_mermaid_refuses_text_longer_than_mermaid_draws(mini):
    from argmap.errors import ExportError
    from argmap.export.mermaid import render_mermaid

    assert len(render_mermaid(mini)) < 50_000
    with pytest.raises(ExportError, match="over the 1,000 that Mermaid draws"):
        render_mermaid(mini, max_chars=1000)


def test_mermaid_cli_rejects_bad_input(tmp_path):
    """The check above can fail: mermaid-cli refuses a flowchart with an unclosed label."""
    proc = _mmdc(tmp_path, 'flowchart BT\n  a["unclosed --> b\n')
    assert proc.returncode != 0


# ---------------------------------------------------------------- Argdown


def _argdown_json(tmp_path: Path, text: str) -> dict:
    exe = js_tool("argdown")
    src = tmp_path / "map.argdown"
    src.write_text(text, encoding="utf-8")
    proc = subprocess.run([exe, "json", str(src), str(tmp_path / "out")], capture_output=True, check=False)
    assert proc.returncode == 0, proc.stdout.decode() + proc.stderr.decode()
    return json.loads((tmp_path / "out" / "map.json").read_text(encoding="utf-8"))


def _statement_text(member: dict) -> str:
    """A statement's text without its trailing tags (their positions are in ``ranges``)."""
    text = member["text"]
    starts = [r["start"] for r in member.get("ranges", []) if r["type"] == "tag"]
    return norm(text[: min(starts)] if starts else text)


def test_roundtrip_argdown(corpus, mini, tmp_path):
    """The Argdown tool parses the file without error; statements, tags and relations read back."""
    text = render("argdown", corpus)
    if corpus.root == mini.root:
        check_golden("mini.argdown", text)
    doc = _argdown_json(tmp_path, text)
    assert sorted(doc["statements"]) == sorted(c.id for c in corpus.claims)
    for c in corpus.claims:
        members = [m for m in doc["statements"][c.id]["members"] if m.get("text")]
        assert len(members) == 1
        assert _statement_text(members[0]) == norm(c.text)
        assert members[0]["tags"] == [c.stance, *c.topics]
    undercut = {r.target for r in corpus.relations if r.type == "undercuts"}
    got = Counter((r["from"], r["to"], r["relationType"]) for r in doc["relations"])
    want: Counter[tuple[str, str, str]] = Counter()
    for r in corpus.relations:
        kind = {"supports": "support", "attacks": "attack", "undercuts": "undercut"}[r.type]
        if r.type == "undercuts":
            want[(r.source, r.target, kind)] += 1
        elif r.id in undercut:
            want[(r.source, r.id, "support")] += 1
            want[(r.id, r.target, kind)] += 1
        else:
            want[(r.source, r.target, kind)] += 1
    assert got == want


def test_argdown_rejects_bad_input(tmp_path):
    """The check above can fail: the Argdown tool exits non-zero on a syntax error."""
    exe = js_tool("argdown")
    src = tmp_path / "bad.argdown"
    src.write_text("[a]: text\n\n  - [b]\n", encoding="utf-8")
    proc = subprocess.run([exe, "json", str(src), str(tmp_path / "out")], capture_output=True, check=False)
    assert proc.returncode != 0


# ---------------------------------------------------------------- AIF


def test_roundtrip_aif(corpus, mini):
    text = render("aif", corpus)
    if corpus.root == mini.root:
        check_golden("mini.aif.json", text)
    doc = json.loads(text)
    types = Counter(n["type"] for n in doc["nodes"])
    rels = expected_relation_counts(corpus)
    assert types["I"] == len(corpus.claims)
    assert types["RA"] == rels["supports"]
    assert types["CA"] == rels["attacks"] + rels["undercuts"]
    assert types["L"] == types["YA"] == len(corpus.claims)
    assert sorted(n["text"] for n in doc["nodes"] if n["type"] == "I") == sorted(c.text for c in corpus.claims)
    ids = {n["nodeID"] for n in doc["nodes"]}
    assert len(ids) == len(doc["nodes"])
    assert all(e["fromID"] in ids and e["toID"] in ids for e in doc["edges"])
    # every scheme node has exactly one way in and one way out
    ins, outs = Counter(e["toID"] for e in doc["edges"]), Counter(e["fromID"] for e in doc["edges"])
    for n in doc["nodes"]:
        if n["type"] in ("RA", "CA", "YA"):
            assert ins[n["nodeID"]] >= 1 and outs[n["nodeID"]] == 1, n
    assert {p["participantID"] for p in doc["participants"]} == {loc["personID"] for loc in doc["locutions"]}


# ---------------------------------------------------------------- GraphML, GEXF


def _check_network(G, corpus, metrics):
    assert G.number_of_nodes() == len(corpus.claims)
    assert G.number_of_edges() == len(corpus.relations)
    for c in corpus.claims:
        data = G.nodes[c.id]
        assert data["stance"] == c.stance
        assert data["topics"] == ";".join(c.topics)
        assert data["source"] == c.source
        if metrics:
            assert data["grounded"] == metrics[c.id]["grounded"]
            assert float(data["strength"]) == pytest.approx(metrics[c.id]["strength"])
            assert int(data["community"]) == metrics[c.id]["community"]
        else:
            assert "grounded" not in data
    assert Counter(d["relation"] for _, _, d in G.edges(data=True)) == expected_relation_counts(corpus)


@pytest.mark.parametrize("with_metrics", [False, True])
def test_roundtrip_graphml(corpus, with_metrics):
    import networkx as nx

    metrics = fake_metrics(corpus) if with_metrics else None
    text = render("graphml", corpus, metrics)
    G = nx.read_graphml(io.BytesIO(text.encode("utf-8")), force_multigraph=True)
    _check_network(G, corpus, metrics)
    assert {G.nodes[c.id]["label"] for c in corpus.claims} == {c.text for c in corpus.claims}


@pytest.mark.parametrize("with_metrics", [False, True])
def test_roundtrip_gexf(corpus, with_metrics):
    import networkx as nx

    metrics = fake_metrics(corpus) if with_metrics else None
    text = render("gexf", corpus, metrics)
    assert "lastmodifieddate" not in text
    G = nx.read_gexf(io.BytesIO(text.encode("utf-8")))
    if not G.is_multigraph():
        G = nx.MultiDiGraph(G)
    _check_network(G, corpus, metrics)
    assert {G.nodes[c.id]["label"] for c in corpus.claims} == {c.text for c in corpus.claims}
    pro = next((c for c in corpus.claims if c.stance == "pro"), None)
    if pro:
        assert G.nodes[pro.id]["viz"]["color"]["b"] == 0xB2


# ---------------------------------------------------------------- RDF


def _oxigraph_triples(text: str, fmt_name: str):
    import pyoxigraph as ox

    from argmap.graph.rdf import rdf_format

    return [getattr(q, "triple", q) for q in ox.parse(text.encode("utf-8"), format=rdf_format(fmt_name).oxigraph())]


def _check_rdf(name: str, corpus, metrics=None):
    import pyoxigraph as ox

    from argmap.graph.rdf import debate_lines
    from argmap.graph.vocab import ARG, SCHEMA

    text = render(name, corpus, metrics)
    triples = _oxigraph_triples(text, name)
    assert len(triples) == len(debate_lines(corpus, metrics=metrics))
    texts = {(str(t.subject.value), t.object.value) for t in triples if t.predicate == ox.NamedNode(str(SCHEMA.text))}
    base = corpus.base
    assert texts >= {(f"{base}claim/{c.id}", c.text) for c in corpus.claims}
    grounded = [t for t in triples if t.predicate == ox.NamedNode(str(ARG.groundedLabel))]
    assert len(grounded) == (len(corpus.claims) if metrics else 0)


@pytest.mark.parametrize("with_metrics", [False, True])
def test_roundtrip_turtle(corpus, with_metrics):
    _check_rdf("turtle", corpus, fake_metrics(corpus) if with_metrics else None)


@pytest.mark.parametrize("with_metrics", [False, True])
def test_roundtrip_ntriples(corpus, with_metrics):
    _check_rdf("ntriples", corpus, fake_metrics(corpus) if with_metrics else None)


@pytest.mark.parametrize("with_metrics", [False, True])
def test_roundtrip_jsonld(corpus, with_metrics):
    _check_rdf("jsonld", corpus, fake_metrics(corpus) if with_metrics else None)


@pytest.mark.parametrize("with_metrics", [False, True])
def test_roundtrip_xml(corpus, with_metrics):
    _check_rdf("xml", corpus, fake_metrics(corpus) if with_metrics else None)


@pytest.mark.parametrize("with_metrics", [False, True])
def test_roundtrip_trig(corpus, with_metrics):
    _check_rdf("trig", corpus, fake_metrics(corpus) if with_metrics else None)


@pytest.mark.parametrize("with_metrics", [False, True])
def test_roundtrip_nquads(corpus, with_metrics):
    _check_rdf("nquads", corpus, fake_metrics(corpus) if with_metrics else None)


# ---------------------------------------------------------------- CSV


def test_roundtrip_csv(corpus, mini):
    files = render("csv", corpus)
    assert sorted(files) == ["claims.csv", "relations.csv"]
    if corpus.root == mini.root:
        check_golden("mini-claims.csv", files["claims.csv"])
        check_golden("mini-relations.csv", files["relations.csv"])
    claims = list(csv.DictReader(io.StringIO(files["claims.csv"])))
    assert [r["id"] for r in claims] == sorted(c.id for c in corpus.claims)
    by_id = {c.id: c for c in corpus.claims}
    for row in claims:
        text = by_id[row["id"]].text
        # a cell a spreadsheet would run as a formula is written with a leading apostrophe
        assert row["text"] == ("'" + text if text.startswith(("=", "+", "-", "@")) else text)
        assert row["quote"].lstrip("'") == by_id[row["id"]].located.exact
    rels = list(csv.DictReader(io.StringIO(files["relations.csv"])))
    assert sorted((r["from"], r["type"], r["to"]) for r in rels) == sorted((r.source, r.type, r.target) for r in corpus.relations)


def test_csv_carries_metrics(mini):
    metrics = fake_metrics(mini)
    claims = list(csv.DictReader(io.StringIO(render("csv", mini, metrics)["claims.csv"])))
    assert {r["id"]: r["grounded"] for r in claims} == {k: v["grounded"] for k, v in metrics.items()}
    assert {r["id"]: float(r["pagerank"]) for r in claims} == pytest.approx({k: v["pagerank"] for k, v in metrics.items()})


# ---------------------------------------------------------------- the brief


def _browser_read(page_html: str, tmp_path: Path) -> dict:
    """Open the page in Chromium; report dialogs, script and image elements, and the visible text."""
    from playwright.sync_api import sync_playwright

    exe = chromium()
    path = tmp_path / "brief.html"
    path.write_text(page_html, encoding="utf-8")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=exe, args=["--no-sandbox"])
        try:
            page = browser.new_page()
            dialogs: list[str] = []

            def on_dialog(d) -> None:
                dialogs.append(d.message)
                d.dismiss()

            page.on("dialog", on_dialog)
            page.goto(path.as_uri())
            result = page.evaluate(
                """() => ({
                    scripts: document.querySelectorAll('script').length,
                    images: document.querySelectorAll('img, iframe, object, embed').length,
                    text: document.body.innerText,
                    claims: [...document.querySelectorAll('.claim[id]')].map(e => e.id),
                    printColumns: getComputedStyle(document.querySelector('.case') || document.body).display,
                })"""
            )
            page.emulate_media(media="print")
            result["print_display"] = page.evaluate(
                "() => getComputedStyle(document.querySelector('.case') || document.body).display"
            )
            result["dialogs"] = dialogs
        finally:
            browser.close()
    return result


def test_roundtrip_brief(corpus, tmp_path):
    """Chromium opens the brief: no script runs, no image loads, and every claim and quote shows as text."""
    page_html = render("brief", corpus)
    for bad in HOSTILE_MARKUP:
        assert bad not in page_html
    seen = _browser_read(page_html, tmp_path)
    assert seen["dialogs"] == [] and seen["scripts"] == 0 and seen["images"] == 0
    text = norm(seen["text"])
    for c in corpus.claims:
        assert norm(c.text) in text
        assert norm(c.located.exact) in text
    assert sorted(seen["claims"]) == sorted(f"claim-{c.id}" for c in corpus.claims)
    assert seen["print_display"] == "grid"  # the two cases stay side by side on paper
    for s in corpus.sources:
        if any(c.source == s.id for c in corpus.claims):
            assert norm(s.title) in text
            for fact in (s.design, s.place, s.period):
                if fact:
                    assert norm(fact) in text


def test_brief_sections(mini):
    page = render("brief", mini)
    for heading in ("The case for", "The case against", "Unanswered objections", "Statistics", "Sources"):
        assert heading in page
    # the statistics table lists the figure with its period, place and source
    stats = page[page.index('id="statistics"') :]
    row = stats[stats.index("40 percent fewer crashes") :]
    row = row[: row.index("</tr>")]
    assert "2018/2022" in row and "Springfield" in row and "[1]" in row
    assert "study design: before-after" in page


def test_brief_unanswered_objections(hostile):
    """A con claim no one attacks is listed as unanswered; an attacked one is not."""
    from argmap.export.brief import brief_model

    b = brief_model(hostile)
    unanswered = [v.claim.id for v in b.unanswered["con"]]
    assert "markdown-claim" in unanswered and "img-claim" not in unanswered and "bracket-claim" not in unanswered


def test_brief_never_links_unsafe_urls(hostile):
    page = render("brief", hostile)
    assert 'href="javascript' not in page.lower()
    assert 'href="https://example.org/study?a=1&amp;b=%222%22"' in page
    assert 'href="https://doi.org/10.0000/%3Cscript%3E"' in page


def _markdown_to_html(tmp_path: Path, text: str) -> str:
    exe = js_tool("markdown-it")
    src = tmp_path / "brief.md"
    src.write_text(text, encoding="utf-8")
    proc = subprocess.run([exe, str(src)], capture_output=True, check=False)
    assert proc.returncode == 0, proc.stderr.decode()
    return proc.stdout.decode("utf-8")


def test_roundtrip_brief_md(corpus, tmp_path):
    """markdown-it (with raw HTML allowed) renders the Markdown: no tag comes from corpus text, and every
    claim and quote reads back as text."""
    text = render("brief-md", corpus)
    rendered = _markdown_to_html(tmp_path, text)
    parsed = _TextCollector()
    parsed.feed(rendered)
    assert not set(parsed.tags) & {"script", "img", "b", "iframe"}, set(parsed.tags)
    shown = norm(html.unescape("".join(parsed.chunks)))
    for c in corpus.claims:
        assert norm(c.text) in shown
        assert norm(c.located.exact) in shown


# ---------------------------------------------------------------- determinism


def test_output_is_byte_stable_across_processes():
    """Two fresh interpreters with different hash seeds write identical text for every text format."""
    graphviz_dot()
    script = (
        "import json, sys\n"
        "from argmap.export.registry import exporters\n"
        "from argmap.sources import load_corpus\n"
        "c = load_corpus(sys.argv[1])\n"
        "out = {}\n"
        "for e in exporters():\n"
        "    if e.binary: continue\n"
        "    data = e.render(c)\n"
        "    out[e.name] = data\n"
        "print(json.dumps(out, sort_keys=True))\n"
    )
    outputs = []
    for seed in ("1", "2"):
        env = {**__import__("os").environ, "PYTHONHASHSEED": seed}
        proc = subprocess.run([sys.executable, "-c", script, str(HOSTILE)], capture_output=True, check=True, cwd=ROOT, env=env)
        outputs.append(json.loads(proc.stdout))
    assert outputs[0] == outputs[1]
    assert set(outputs[0]) == {e.name for e in exporters() if not e.binary}


@pytest.mark.parametrize("fmt", ["brief", "brief-md"])
def test_brief_explains_and_shows_analysis(mini, fmt):
    metrics = fake_metrics(mini)
    text = render(fmt, mini, metrics)
    assert "grounded semantics" in text and "Dung 1995" in text
    assert text.count("Analysis: ") >= len(mini.claims)
    assert "<script>" not in text  # the made-up reasons carry markup, escaped like everything else
    assert "grounded semantics" not in render(fmt, mini)


def test_large_map_keeps_page_like_proportions():
    """The whole OPC debate (over a hundred claims) is not drawn as one long strip.

    Since the seeds were fully linked (issue 22) most claims form one connected group of 111, whose
    widest ranks the row packing cannot split: measured 4.5 : 1 with the rows, 6.6 : 1 without them
    (before the linking, with many unconnected claims, it was under 4 : 1).
    """
    graphviz_dot()
    corpus = load_corpus(default_corpus_path())
    svg = ET.fromstring(render("svg", corpus))
    width, height = (float(svg.attrib[k].removesuffix("pt")) for k in ("width", "height"))
    assert width / height < 5, (width, height)
    assert '"layout:row-1"' in render("dot", corpus)
    assert '"layout:row-1"' not in render("dot", load_corpus(MINI))  # small maps are left alone


def test_real_analysis_results_read_back(corpus):
    """The analysis module's own results go through GraphML, GEXF, RDF, CSV and the brief intact."""
    import networkx as nx

    from argmap.graph.analysis import metrics_for_corpus

    metrics = metrics_for_corpus(corpus)
    assert set(metrics) == {c.id for c in corpus.claims}
    for fmt in ("graphml", "gexf"):
        text = render(fmt, corpus, metrics)
        reader = nx.read_graphml if fmt == "graphml" else nx.read_gexf
        G = reader(io.BytesIO(text.encode("utf-8")))
        for cid, m in metrics.items():
            assert G.nodes[cid]["grounded"] == m["grounded"]
            assert float(G.nodes[cid]["pagerank"]) == pytest.approx(m["pagerank"], abs=1e-6)
    _check_rdf("turtle", corpus, metrics)
    rows = list(csv.DictReader(io.StringIO(render("csv", corpus, metrics)["claims.csv"])))
    assert {r["id"]: r["grounded"] for r in rows} == {cid: m["grounded"] for cid, m in metrics.items()}
    page = render("brief", corpus, metrics)
    assert page.count('<p class="analysis">') == len(corpus.claims)


# ---------------------------------------------------------------- abstract frameworks: apx, tgf, iccma


def _debate_framework(corpus):
    from argmap.graph.analysis.dung import framework
    from argmap.graph.build import build_graph
    from argmap.graph.projection import project

    return framework(project(build_graph(corpus)))


def _framework_roundtrip(fmt, corpus):
    from argmap.graph.analysis.frameworks import read_framework

    text = render(fmt, corpus)
    assert text == render(fmt, corpus)  # deterministic
    fw = _debate_framework(corpus)
    back = read_framework(text, format=fmt)
    assert back.attackers == fw.attackers
    assert len(back.names) == len(fw.names) >= len(corpus.claims)
    return text, fw, back


def test_roundtrip_apx(corpus):
    text, fw, back = _framework_roundtrip("apx", corpus)
    assert back.names == fw.names
    assert text.count("att(") == sum(len(a) for a in fw.attackers)


def test_roundtrip_tgf(corpus):
    text, fw, back = _framework_roundtrip("tgf", corpus)
    assert back.names == fw.names and text.splitlines().count("#") == 1


def test_roundtrip_iccma(corpus):
    text, fw, back = _framework_roundtrip("iccma", corpus)
    assert text.splitlines()[0] == f"p af {len(fw.names)}"
    assert [line.split(" ", 2)[2] for line in text.splitlines() if line.startswith("# ")] == fw.names


# ---------------------------------------------------------------- issue 17: interchange and brief fixes


def test_graphml_key_ids_are_unique_and_igraph_reads_it(corpus, tmp_path):
    """Every <key> has its own id (d0..dn) and an attr.name; networkx and igraph both read the file."""
    import igraph

    text = render("graphml", corpus, fake_metrics(corpus))
    root = ET.fromstring(text)
    keys = [k for k in root.iter("{http://graphml.graphdrawing.org/xmlns}key")]
    ids = [k.attrib["id"] for k in keys]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"d\d+", i) for i in ids)
    assert all(k.get("attr.name") for k in keys)
    assert {(k.get("for"), k.get("attr.name")) for k in keys} >= {("node", "label"), ("edge", "label")}
    path = tmp_path / "g.graphml"
    path.write_text(text, encoding="utf-8")
    g = igraph.Graph.Read_GraphML(str(path))
    assert g.vcount() == len(corpus.claims) and g.ecount() == len(corpus.relations)
    assert sorted(g.vs["id"]) == sorted(c.id for c in corpus.claims)
    assert Counter(g.es["relation"]) == expected_relation_counts(corpus)
    assert sorted(set(g.vs["stance"])) == sorted({c.stance for c in corpus.claims})


def test_gexf_has_no_networkx_key_column(corpus):
    import networkx as nx

    text = render("gexf", corpus)
    assert "networkx_key" not in text
    G = nx.read_gexf(io.BytesIO(text.encode("utf-8")))
    ids = {d.get("id", k) for _, _, k, d in nx.MultiDiGraph(G).edges(keys=True, data=True)}
    assert ids == {r.id for r in corpus.relations if r.type != "undercuts" or r.target in corpus.relations_by_id}


def test_csv_excel_starts_with_a_bom(mini):
    from argmap.export.tables import render_csv

    plain = render_csv(mini)
    excel = render_csv(mini, excel=True)
    for name in plain:
        assert not plain[name].startswith("\ufeff")
        assert excel[name] == "\ufeff" + plain[name]
        # what Excel's utf-8-sig reading gives back is the plain table
        assert excel[name].encode("utf-8").decode("utf-8-sig") == plain[name]


def test_mermaid_warns_near_its_limit(mini):
    from argmap.export.mermaid import size_warning

    assert size_warning(render("mermaid", mini)) is None
    assert "near Mermaid's default limit" in (size_warning("x" * 45_000) or "")


def test_mermaid_slide_labels_are_short_titles(mini, tmp_path):
    from argmap.export.mermaid import render_mermaid

    text = render_mermaid(mini, slide=True, title="Road safety")
    assert 'title: "Road safety"' in text
    for c in mini.claims:
        assert c.id not in re.sub(r"c_\w+", "", text)
    proc = _mmdc(tmp_path, text)
    assert proc.returncode == 0, proc.stderr.decode()


def _pdf_pages(page_html: str, tmp_path: Path) -> int:
    from playwright.sync_api import sync_playwright

    path = tmp_path / "brief.html"
    path.write_text(page_html, encoding="utf-8")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium(), args=["--no-sandbox"])
        try:
            page = browser.new_page()
            page.goto(path.as_uri())
            pdf = page.pdf(format="A4", prefer_css_page_size=True)
        finally:
            browser.close()
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def _opc_analyses():
    from argmap.api import Debate

    opc = load_corpus(ROOT / "argmap" / "corpora" / "opc")
    return opc, Debate(opc).analyze("unanswered", "strength", "grounded", "centrality")


def test_opc_brief_summary_prints_on_at_most_two_a4_pages(tmp_path):
    from argmap.export.brief import render_brief_html

    opc, analyses = _opc_analyses()
    summary = render_brief_html(opc, analyses=analyses, summary=True)
    assert "At a glance" in summary and "The debate in detail" not in summary
    assert _pdf_pages(summary, tmp_path) <= 2


def test_brief_lists_equal_argmap_analyze(tmp_path):
    """The brief's unanswered objections are `argmap analyze unanswered`'s, in a selection those selected."""
    from argmap.export.brief import brief_model
    from argmap.sources.select import Selection, select, widen

    opc, analyses = _opc_analyses()
    b = brief_model(opc, analyses=analyses)
    assert sorted(v.claim.id for v in b.unanswered["con"]) == sorted(analyses["unanswered"]["con"])
    assert sorted(v.claim.id for v in b.unanswered["pro"]) == sorted(analyses["unanswered"]["pro"])
    part = widen(opc, select(opc, Selection(topics=("crime",))), 1)
    b = brief_model(part, analyses=analyses, topics=("crime",))
    ids = {c.id for c in part.claims}
    assert sorted(v.claim.id for v in b.unanswered["con"]) == sorted(i for i in analyses["unanswered"]["con"] if i in ids)
    assert b.topics[0].id == "crime"  # the selected topic first
    # every claim once, under the selected topic when it has it
    listed = [v.claim.id for t in b.topics for side in t.claims.values() for v in side]
    assert sorted(listed) == sorted(ids)
    crime = next(t for t in b.topics if t.id == "crime")
    assert {v.claim.id for side in crime.claims.values() for v in side} == {c.id for c in part.claims if "crime" in c.topics}
