"""Authoring commands: `argmap new`, `argmap add-source`, `argmap quote` (drafts: test_authoring_draft.py)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from argmap.cli import main
from argmap.sources import load_corpus

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


# ---------------------------------------------------------------- argmap new


def test_new_makes_a_debate_that_validates_at_once(tmp_path):
    folder = tmp_path / "cars"
    res = run(
        "new", str(folder), "--title", "Should cities ban cars from downtown?", "--motion", "Cities should ban cars: downtown"
    )
    assert res.exit_code == 0, res.output
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()) == [
        "claims/README.md",
        "debate.yaml",
        "relations.yaml",
        "sources.yaml",
        "speakers.yaml",
        "texts/README.md",
        "topics.yaml",
    ]
    corpus = load_corpus(folder)
    assert corpus.debate.id == "should-cities-ban-cars-from-downtown"
    assert corpus.debate.motion == "Cities should ban cars: downtown"  # a colon is quoted, not a mapping
    assert "# The debate's topics" in (folder / "topics.yaml").read_text(encoding="utf-8")
    res = run("validate", "--corpus", str(folder))
    assert res.exit_code == 0, res.output
    assert "0 claims" in res.output and "SHACL shapes: ok" in res.output


def test_new_takes_an_id_and_refuses_a_bad_one(tmp_path):
    assert run("new", str(tmp_path / "a"), "--title", "T", "--motion", "M", "--id", "cars-2026").exit_code == 0
    assert load_corpus(tmp_path / "a").debate.id == "cars-2026"
    res = CliRunner().invoke(main, ["new", str(tmp_path / "b"), "--title", "T", "--motion", "M", "--id", "Bad Id"])
    assert res.exit_code == 2
    assert "bad debate id 'Bad Id'" in res.output and "lower-case letters" in res.output
    assert not (tmp_path / "b").exists()


def test_new_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    res = CliRunner().invoke(main, ["new", str(tmp_path), "--title", "T", "--motion", "M"])
    assert res.exit_code == 2
    assert "is not empty" in res.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]
    empty = tmp_path / "empty"
    empty.mkdir()
    assert run("new", str(empty), "--title", "T", "--motion", "M").exit_code == 0
    assert (empty / "debate.yaml").is_file()


def test_new_works_from_an_installed_copy(tmp_path):
    """The template is package data: build the package as an install would, and run `argmap new` from the
    built copy, away from the source tree."""
    src = tmp_path / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    shutil.copytree(ROOT / "argmap", src / "argmap", ignore=shutil.ignore_patterns("__pycache__", "corpora"))
    lib = tmp_path / "lib"
    subprocess.run(
        [sys.executable, "-c", "import setuptools; setuptools.setup()", "-q", "build_py", "--build-lib", str(lib)],
        cwd=src,
        check=True,
        capture_output=True,
    )
    shutil.rmtree(src)
    env = {**os.environ, "PYTHONPATH": str(lib)}
    out = tmp_path / "debate"
    proc = subprocess.run(
        [sys.executable, "-m", "argmap", "new", str(out), "--title", "Car-free downtown", "--motion", "Ban cars"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    assert (out / "claims" / "README.md").is_file()
    assert yaml.safe_load((out / "debate.yaml").read_text(encoding="utf-8"))["id"] == "car-free-downtown"


# ---------------------------------------------------------------- argmap add-source

HTML_PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>Cars out of downtown? | The Gazette</title>
<meta name="author" content="Sam Ortiz">
<meta property="article:published_time" content="2024-03-05">
<meta property="og:site_name" content="The Gazette"></head>
<body><nav><a href="/">Home</a> | <a href="/news">News</a> | Subscribe now</nav>
<article><h1>Cars out of downtown?</h1>
<p>The council voted on Tuesday to close Main Street to private cars from next spring.</p>
<p>“Closing the street will save lives and bring people back to the shops,” Mayor Ann Lee said.</p>
<p>Critics argue that shops will lose customers who drive in from the suburbs.</p>
</article>
<footer>Copyright The Gazette. All rights reserved. Cookie settings.</footer></body></html>
"""


@pytest.fixture
def fresh(tmp_path) -> Path:
    folder = tmp_path / "cars"
    assert (
        run("new", str(folder), "--title", "Car-free downtown", "--motion", "The city should ban cars from downtown").exit_code
        == 0
    )
    return folder


def add(fresh: Path, *args: str):
    return CliRunner().invoke(main, ["add-source", "--corpus", str(fresh), *args])


def test_add_source_copies_the_text_and_appends_the_entry(fresh, tmp_path):
    doc = tmp_path / "gazette.txt"
    doc.write_text("The council voted to close Main Street to cars.\n", encoding="utf-8")
    res = add(
        fresh,
        str(doc),
        "--id",
        "gazette-2024",
        "--kind",
        "news",
        "--title",
        "Lanes: the vote",
        "--authors",
        "Sam Ortiz; Ann Lee",
        "--date",
        "2024-03-05",
        "--publisher",
        "The Gazette",
    )
    assert res.exit_code == 0, res.output
    assert (fresh / "texts" / "gazette-2024.txt").read_text(encoding="utf-8") == doc.read_text(encoding="utf-8")
    sources = (fresh / "sources.yaml").read_text(encoding="utf-8")
    assert sources.startswith("# The source documents.")  # the comments are kept
    assert (
        "- id: gazette-2024\n  file: texts/gazette-2024.txt\n  title: 'Lanes: the vote'\n  authors: [Sam Ortiz, Ann Lee]\n"
        in sources
    )
    corpus = load_corpus(fresh)
    (src,) = corpus.sources
    assert (src.id, src.title, src.authors, src.date, src.publisher) == (
        "gazette-2024",
        "Lanes: the vote",
        ("Sam Ortiz", "Ann Lee"),
        "2024-03-05",
        "The Gazette",
    )


def test_add_source_keeps_the_file_s_style_comments_and_order(mini, tmp_path):
    path = mini / "sources.yaml"
    before = "# my sources, by hand\n" + path.read_text(encoding="utf-8").replace(
        "- id: study-2023", "# the study\n- id: study-2023"
    )
    path.write_text(before, encoding="utf-8")
    doc = tmp_path / "d.txt"
    doc.write_text("Shops on Main Street reported steady sales.\n", encoding="utf-8")
    res = add(mini, str(doc), "--id", "shops-2025", "--kind", "report", "--title", "Shop sales", "--date", "2025")
    assert res.exit_code == 0, res.output
    after = path.read_text(encoding="utf-8")
    assert after.startswith(before)  # nothing that was there changed
    # mini's entries have no blank line between them, so neither does the new one; key order as the file's
    assert (
        after[len(before) :]
        == "- id: shops-2025\n  file: texts/shops-2025.txt\n  title: Shop sales\n  date: 2025\n  kind: report\n  excerpt: false\n"
    )
    assert [s.id for s in load_corpus(mini).sources] == ["gazette-2024", "study-2023", "shops-2025"]


def test_add_source_refuses_a_duplicate_id_with_its_line(mini, tmp_path):
    doc = tmp_path / "d.txt"
    doc.write_text("Some text.\n", encoding="utf-8")
    before = (mini / "sources.yaml").read_bytes()
    res = add(mini, str(doc), "--id", "study-2023", "--kind", "study", "--title", "T")
    assert res.exit_code == 1
    assert f"{mini / 'sources.yaml'}:9: a source with id 'study-2023' is already here" in res.output
    assert (mini / "sources.yaml").read_bytes() == before


def test_add_source_converts_utf16_and_latin1_with_a_note(fresh, tmp_path):
    u16 = tmp_path / "u16.txt"
    u16.write_bytes("Café owners say “sales fell”.\r\n".encode("utf-16"))
    res = add(fresh, str(u16), "--id", "u16", "--kind", "news", "--title", "T")
    assert res.exit_code == 0, res.output
    assert "is UTF-16: converted to UTF-8" in res.output
    assert (fresh / "texts" / "u16.txt").read_bytes() == "Café owners say “sales fell”.\n".encode()
    lat = tmp_path / "lat.txt"
    lat.write_bytes("Naïve café".encode("latin-1"))
    res = add(fresh, str(lat), "--id", "lat", "--kind", "news", "--title", "T")
    assert res.exit_code == 0, res.output
    assert "read as Windows-1252 and converted to UTF-8" in res.output
    assert (fresh / "texts" / "lat.txt").read_text(encoding="utf-8") == "Naïve café\n"
    assert len(load_corpus(fresh).sources) == 2


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "is empty"),
        (b"  \n\n\t\n", "is empty"),
        (b"%PDF-1.7\n\x00\x01\x02binary", "is not a text file (it holds binary data: a NUL byte at offset 9)"),
    ],
    ids=["empty", "blank", "binary"],
)
def test_add_source_refuses_binary_and_empty_files(fresh, tmp_path, content, message):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    before = (fresh / "sources.yaml").read_bytes()
    res = add(fresh, str(bad), "--id", "bad", "--kind", "news", "--title", "T")
    assert res.exit_code == 1
    assert message in res.output
    assert (fresh / "sources.yaml").read_bytes() == before and not (fresh / "texts" / "bad.txt").exists()


def test_add_source_refuses_what_is_not_a_regular_file(fresh, tmp_path):
    res = add(fresh, str(tmp_path), "--id", "d", "--kind", "news", "--title", "T")
    assert res.exit_code == 2 and "is a folder" in res.output
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    res = add(fresh, str(fifo), "--id", "p", "--kind", "news", "--title", "T")
    assert res.exit_code == 2 and "not a regular file" in res.output
    res = add(fresh, str(tmp_path / "missing.txt"), "--id", "m", "--kind", "news", "--title", "T")
    assert res.exit_code == 2 and "no such file" in res.output


def test_add_source_refuses_bad_options_saying_what_is_allowed(fresh, tmp_path):
    doc = tmp_path / "d.txt"
    doc.write_text("Text.\n", encoding="utf-8")
    res = add(fresh, str(doc), "--id", "d", "--kind", "newspaper", "--title", "T")
    assert res.exit_code == 2 and "unknown kind 'newspaper'" in res.output and "news, blog, study" in res.output
    res = add(fresh, str(doc), "--id", "D 1", "--kind", "news", "--title", "T")
    assert res.exit_code == 2 and "bad source id 'D 1'" in res.output
    res = add(fresh, str(doc), "--id", "d", "--kind", "news", "--title", "T", "--date", "5 March 2024")
    assert res.exit_code == 2 and "bad date '5 March 2024' (expected YYYY, YYYY-MM or YYYY-MM-DD)" in res.output
    assert not list((fresh / "texts").glob("*.txt"))


def test_add_source_from_html_extracts_the_article_and_suggests_its_metadata(fresh, tmp_path):
    page = tmp_path / "page.html"
    page.write_text(HTML_PAGE, encoding="utf-8")
    res = add(fresh, "--from-html", str(page), "--id", "gazette-2024", "--kind", "news")
    assert res.exit_code == 0, res.output
    text = (fresh / "texts" / "gazette-2024.txt").read_text(encoding="utf-8")
    assert "“Closing the street will save lives and bring people back to the shops,” Mayor Ann Lee said." in text
    assert "Critics argue that shops will lose customers" in text
    assert "Subscribe now" not in text and "Cookie settings" not in text  # navigation and footer left out
    assert "from the page (suggestions" in res.output
    (src,) = load_corpus(fresh).sources
    assert (src.title, src.authors, src.date) == ("Cars out of downtown?", ("Sam Ortiz",), "2024-03-05")
    sources = (fresh / "sources.yaml").read_text(encoding="utf-8")
    assert "# title, date, publisher, authors: found in the HTML page's metadata; check them" in sources


# ---------------------------------------------------------------- argmap quote

FOX = "fox-2021"


def quote(*args: str):
    return CliRunner().invoke(main, ["quote", *args])


@pytest.mark.parametrize(
    "typed, exact",
    [
        # straight apostrophe for a curly one, case, a word typed wrong ("nation" for "country"), a comma left out
        (
            "im proud to show cities in this nation that after decades of failure a smarter approach is possible.",
            "I’m proud to show cities in this country that after decades of failure, a smarter approach is possible.",
        ),
        # a word missing ("overdose"), whitespace doubled
        (
            "The city reported 596  deaths in the\nfirst quarter of this year",
            "The city reported 596 overdose deaths in the first quarter of this year",
        ),
        # a hyphen typed for the en dash, "5" for "five"
        ("first quarter of this year - which it says", "first quarter of this year – which it says"),
        ('"The national overdose epidemic is a 5-alarm fire', '"The national overdose epidemic is a five-alarm fire'),
    ],
)
def test_quote_finds_a_passage_typed_loosely_and_prints_it_as_written(typed, exact):
    res = quote("--source", FOX, typed)
    assert res.exit_code == 0, res.output
    lines = res.output.splitlines()
    assert lines[1] == f"  {exact}"
    text = (ROOT / "argmap/corpora/opc/texts/fox-2021.txt").read_text(encoding="utf-8")
    start, end = (int(x) for x in lines[0].rsplit("offsets ", 1)[1].split("-"))
    assert " ".join(text[start:end].split()) == exact


def test_quote_json_gives_offsets_occurrences_and_similarity():
    res = quote("--source", "muse-2025", "HARM reduction", "--json")
    assert res.exit_code == 0, res.output
    import json

    data = json.loads(res.output)
    text = (ROOT / "argmap/corpora/opc/texts/muse-2025.txt").read_text(encoding="utf-8")
    assert data["found"] is True
    assert [(p["occurrence"], p["occurrences"]) for p in data["passages"]] == [(1, 3), (2, 3), (3, 3)]
    for p in data["passages"]:
        assert text[p["start"] : p["end"]] == p["exact"] == "harm reduction" and p["similarity"] == 1.0
    assert "occurrence: 2" in quote("--source", "muse-2025", "harm reduction").output


def test_quote_not_found_lists_the_nearest_passages_with_their_similarity():
    res = quote("--source", FOX, "the sale of needles was legalised by the governor")
    assert res.exit_code == 1
    assert "not found in source 'fox-2021'" in res.output and "the nearest:" in res.output
    nearest = [ln for ln in res.output.splitlines() if ln.startswith("  ")]
    assert 1 <= len(nearest) <= 3
    assert "possession and sale of hypodermic needles" in nearest[0]
    assert nearest[0].split()[0].endswith("%")


def test_quote_unknown_source_lists_the_known_ids(mini):
    res = quote("--corpus", str(mini), "--source", "gazete-2024", "lanes")
    assert res.exit_code == 1
    assert "unknown source 'gazete-2024'; did you mean 'gazette-2024'? (known sources: gazette-2024, study-2023)" in res.output
    assert "Traceback" not in res.output


def test_quote_reads_the_source_even_when_the_corpus_is_unfinished(mini):
    """A person finds quotes while writing claims: a broken claims file does not stop `quote`."""
    (mini / "claims" / "broken.yaml").write_text("- id: x\n  quote: [unclosed\n", encoding="utf-8")
    text = (mini / "texts" / "gazette-2024.txt").read_text(encoding="utf-8")
    words = text.split()[:6]
    res = quote("--corpus", str(mini), "--source", "gazette-2024", " ".join(words).upper())
    assert res.exit_code == 0, res.output
    assert res.output.splitlines()[1].strip().split()[:3] == words[:3]
