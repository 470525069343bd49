"""Slide mode (`argmap export svg|png|pdf --slide`), measured as a teacher's slide: a 16:9 (or 4:3) canvas,
every text at least 18 px once the slide is shown at 1920x1080, the selection's own title, no ids, no analysis
tags unless asked; a selection too big for one slide is refused with advice, or split over PDF pages."""

from __future__ import annotations

import io
import re
import struct
import xml.etree.ElementTree as ET

import pytest
from click.testing import CliRunner
from export_support import graphviz_dot

from argmap.cli import main
from argmap.sources import load_corpus

SVG = "{http://www.w3.org/2000/svg}"


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def opc():
    return load_corpus("argmap/corpora/opc")


def measure(svg: str) -> dict:
    """The slide's viewBox ratio, and every text's size in pixels once the SVG is shown 1920 px wide
    (Graphviz's scale transform on the drawing included)."""
    root = ET.fromstring(svg)
    _, _, w, h = (float(x) for x in root.attrib["viewBox"].split())
    scale = 1.0
    for g in root.iter(f"{SVG}g"):
        m = re.search(r"scale\(([\d.]+)", g.get("transform", ""))
        if m and g.get("class") == "graph":
            scale = float(m.group(1))
    texts = [(t.text or "", float(t.attrib["font-size"])) for t in root.iter(f"{SVG}text")]
    px = [size * scale * 1920 / w for _, size in texts]
    return {"ratio": w / h, "px": px, "texts": [t for t, _ in texts], "width": w, "height": h}


def test_crime_slide_is_16_9_with_large_type_and_no_ids(opc):
    graphviz_dot()
    result = run("export", "svg", "--slide", "--topic", "crime", "--widen", "1")
    assert result.exit_code == 0, result.output
    m = measure(result.stdout)
    assert m["ratio"] == pytest.approx(16 / 9, rel=1e-3)
    assert min(m["px"]) >= 18, sorted(m["px"])[:5]
    text = " ".join(m["texts"])
    assert m["texts"][0] == "Crime: the claims and what answers them"
    assert "Overdose prevention centers" not in text
    for c in opc.claims:
        assert c.id not in text  # no ids on a slide
    assert "strength" not in text and "defeated" not in text and "standing" not in text
    assert "FOR" in m["texts"] and "AGAINST" in m["texts"]  # greyscale: the stance in words


def test_slide_uses_short_titles(opc):
    graphviz_dot()
    result = run("export", "svg", "--slide", "--topic", "crime", "--stance", "con", "--widen", "1")
    assert result.exit_code == 0, result.output
    m = measure(result.stdout)
    assert m["texts"][0] == "Crime: the objections and what answers them"
    lines = " ".join(m["texts"])
    crime = [c for c in opc.claims if "crime" in c.topics and c.stance == "con"]
    for c in crime:
        first = c.short_title.split()[:2]
        assert " ".join(first) in lines
        assert c.text not in lines or c.text == c.short_title


def test_analysis_tags_only_when_asked():
    graphviz_dot()
    result = run("export", "svg", "--slide", "--topic", "crime", "--stance", "con", "--analysis")
    assert result.exit_code == 0, result.output
    assert "strength" in " ".join(measure(result.stdout)["texts"])


def test_4_3_slide():
    graphviz_dot()
    result = run("export", "svg", "--slide", "--aspect", "4:3", "--topic", "crime", "--stance", "con")
    assert result.exit_code == 0, result.output
    m = measure(result.stdout)
    assert m["ratio"] == pytest.approx(4 / 3, rel=1e-3)
    # a 4:3 slide is shown 1440 px wide on a 1080-line screen
    assert min(m["px"]) * 1440 / 1920 >= 18


def test_slide_png_is_1920_by_1080(tmp_path):
    graphviz_dot()
    out = tmp_path / "crime.png"
    result = run("export", "png", "--slide", "--topic", "crime", "--widen", "1", "--out", str(out))
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", data[16:24]) == (1920, 1080)


def test_whole_debate_does_not_fit_one_slide_and_says_so():
    graphviz_dot()
    result = CliRunner().invoke(main, ["export", "svg", "--slide"])
    assert result.exit_code == 2
    assert "does not fit legibly" in result.output and "--out slides.pdf" in result.output
    assert "Traceback" not in result.output


def test_whole_debate_splits_over_pdf_pages(tmp_path, opc):
    graphviz_dot()
    from pypdf import PdfReader

    out = tmp_path / "slides.pdf"
    result = run("export", "pdf", "--slide", "--out", str(out))
    assert result.exit_code == 0, result.output
    reader = PdfReader(io.BytesIO(out.read_bytes()))
    assert len(reader.pages) > 1
    for page in reader.pages:
        box = page.mediabox
        assert float(box.width) / float(box.height) == pytest.approx(16 / 9, rel=1e-3)
    text = " ".join(page.extract_text() for page in reader.pages)
    assert f"(1/{len(reader.pages)})" in text and f"({len(reader.pages)}/{len(reader.pages)})" in text


def test_split_parts_hold_every_claim_once(opc):
    graphviz_dot()
    from argmap.export.graphviz import min_zoom, slide_drawing, slide_parts

    parts = slide_parts(opc)
    ids = sorted(c.id for p in parts for c in p.claims)
    assert ids == sorted(c.id for c in opc.claims)
    for p in parts[:3]:
        _, zoom = slide_drawing(p)
        assert zoom >= min_zoom() - 1e-9


def test_aspect_without_slide_and_slide_for_a_table_are_usage_errors():
    r = CliRunner().invoke(main, ["export", "svg", "--aspect", "4:3"])
    assert r.exit_code == 2 and "--slide" in r.output
    r = CliRunner().invoke(main, ["export", "argdown", "--slide"])
    assert r.exit_code == 2 and "--slide works with" in r.output


@pytest.mark.parametrize("layout", ["dot", "sfdp", "neato"])
def test_layout_engines_draw_every_claim(mini_path, layout):
    graphviz_dot()
    result = run("export", "svg", "--layout", layout, "--corpus", str(mini_path), "--no-analysis")
    assert result.exit_code == 0, result.output
    corpus = load_corpus(mini_path)
    ids = {g.get("id") for g in ET.fromstring(result.stdout).iter(f"{SVG}g")}
    assert {f"claim-{c.id}" for c in corpus.claims} <= ids


def test_auto_layout_switches_to_sfdp_for_large_graphs(tmp_path):
    from argmap.export.graphviz import AUTO_DOT_MAX, choose_layout, render_dot

    runner = CliRunner()
    out = tmp_path / "big"
    assert runner.invoke(main, ["synth", "--claims", str(AUTO_DOT_MAX + 50), "--out", str(out)]).exit_code == 0
    big = load_corpus(out)
    assert choose_layout(big) == "sfdp"
    assert 'layout="sfdp"' in render_dot(big)
    assert 'layout="sfdp"' not in render_dot(load_corpus("tests/data/mini"))
