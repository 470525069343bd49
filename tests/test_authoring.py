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
    res = run("new", str(folder), "--title", "Should cities ban cars from downtown?", "--motion", "Cities should ban cars: downtown")
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
