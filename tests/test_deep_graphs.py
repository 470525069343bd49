"""Deep graphs: a chain of thousands of claims (each supports the next) goes through every graph walk.

Regression for the recursive depth-first search in the Graphviz layout, which ended in a RecursionError on a
chain of 1,500 claims; the other walks (selection widening, the projection, the analyses, the map) take
the same chain.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from export_support import graphviz_dot

from argmap.cli import main
from argmap.sources import load_corpus

CHAIN = 2000


def write_chain(folder: Path, n: int) -> Path:
    """A corpus of ``n`` claims c0 -> c1 -> ... (each supports the next), one source holding every quote."""
    (folder / "texts").mkdir(parents=True)
    (folder / "claims").mkdir()
    (folder / "debate.yaml").write_text("id: chain\ntitle: A long chain\nmotion: The chain holds\n", encoding="utf-8")
    (folder / "topics.yaml").write_text("- id: links\n  label: Links\n  definition: Links of the chain.\n", encoding="utf-8")
    (folder / "speakers.yaml").write_text("- id: smith\n  name: A. Smith\n  type: person\n", encoding="utf-8")
    (folder / "sources.yaml").write_text(
        "- id: book\n  file: texts/book.txt\n  title: The chain book\n  kind: report\n  date: 2024\n", encoding="utf-8"
    )
    (folder / "texts" / "book.txt").write_text("".join(f"Link number {i} holds. " for i in range(n)), encoding="utf-8")
    claims = "".join(
        f"- id: c{i}\n  text: Link {i} holds.\n  quote: Link number {i} holds.\n  source: book\n"
        f"  stance: {'pro' if i % 2 else 'neutral'}\n  topics: [links]\n  speaker: smith\n  kind: factual\n"
        for i in range(n)
    )
    (folder / "claims" / "book.yaml").write_text(claims, encoding="utf-8")
    relations = "".join(
        f"- from: c{i}\n  to: c{i + 1}\n  type: supports\n  rationale: Each link holds the next.\n" for i in range(n - 1)
    )
    (folder / "relations.yaml").write_text(relations, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def chain(tmp_path_factory):
    # CPython's default stack limit, whatever another test or library in this worker set it to
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(1000)
    try:
        yield write_chain(tmp_path_factory.mktemp("deep") / "chain", CHAIN)
    finally:
        sys.setrecursionlimit(old)


def test_the_chain_is_deeper_than_the_stack(chain):
    """The fixture is a real regression: a recursive walk over it would overflow Python's stack."""
    corpus = load_corpus(chain)
    assert len(corpus.claims) == CHAIN and len(corpus.relations) == CHAIN - 1
    assert CHAIN > sys.getrecursionlimit()


@pytest.mark.parametrize("fmt", ["dot", "svg", "png", "pdf"])
def test_chain_exports_in_every_graphviz_format(chain, tmp_path, fmt):
    graphviz_dot()
    out = tmp_path / f"chain.{fmt}"
    result = CliRunner().invoke(main, ["export", fmt, "--corpus", str(chain), "--out", str(out), "--no-analysis"])
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    magic = {"png": b"\x89PNG", "pdf": b"%PDF"}
    if fmt in magic:
        assert data.startswith(magic[fmt])
    else:
        text = data.decode("utf-8")
        # every claim drawn, and the chain's first and last links joined by its edges
        assert text.count("Link 1999 holds") == 1 and text.count("Link 0 holds") == 1
        if fmt == "dot":
            assert text.count("->") >= CHAIN - 1


def test_chain_widens_and_analyses_from_one_end(chain):
    """Selecting one end and widening by the whole length reaches the other end; the analyses finish."""
    runner = CliRunner()
    result = runner.invoke(main, ["export", "csv", "--corpus", str(chain), "--around", "c0", "--depth", str(CHAIN), "--out", "-"])
    assert result.exit_code in (0, 2)  # csv may refuse standard output; the selection itself must not crash
    assert "RecursionError" not in result.output
    result = runner.invoke(main, ["analyze", "grounded", "--json", "--corpus", str(chain)])
    assert result.exit_code == 0, result.output
    assert '"c1999"' in result.output


def test_chain_map_is_written(chain, tmp_path):
    out = tmp_path / "chain.html"
    result = CliRunner().invoke(main, ["map", "--corpus", str(chain), "--out", str(out)])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert "Link 1999 holds." in html and "Link 0 holds." in html
