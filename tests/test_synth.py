"""Synthetic debates: `synth_corpus` and `argmap synth` write corpora that load, validate and keep their shape."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from argmap.cli import main
from argmap.graph.build import build_graph
from argmap.graph.validate import validate_graph
from argmap.sources import load_corpus
from argmap.sources.synth import synth_corpus


def write(files: dict[str, str], root: Path) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def digest(files: dict[str, str]) -> str:
    h = hashlib.sha256()
    for rel in sorted(files):
        h.update(rel.encode() + b"\0" + files[rel].encode() + b"\0")
    return h.hexdigest()


def attack_cycles(corpus) -> bool:
    G = nx.DiGraph((r.source, r.target) for r in corpus.relations if r.type == "attacks")
    return any(True for _ in nx.simple_cycles(G, length_bound=2))


@pytest.mark.parametrize("claims,sources,seed", [(1, None, 0), (7, 2, 3), (120, None, 1), (600, 40, 9)])
def test_corpus_loads_validates_and_has_the_counts_asked(tmp_path, claims, sources, seed):
    corpus = load_corpus(write(synth_corpus(claims, sources=sources, seed=seed), tmp_path / "c"))
    assert len(corpus.claims) == claims
    assert len(corpus.sources) == (sources or max(1, (claims + 9) // 10))
    report = validate_graph(build_graph(corpus))
    assert report.conforms, report.violations[:3]


def test_shape_like_a_real_debate(tmp_path):
    corpus = load_corpus(write(synth_corpus(2000, seed=4), tmp_path / "c"))
    stances = Counter(c.stance for c in corpus.claims)
    assert all(0.2 < stances[s] / 2000 < 0.5 for s in ("pro", "con", "neutral")), stances
    types = Counter(r.type for r in corpus.relations)
    assert types["supports"] > types["attacks"] > types["undercuts"] > 0, types
    assert attack_cycles(corpus)
    stats = [c for c in corpus.claims if c.kind == "statistic"]
    assert stats and all(c.figures for c in stats)
    assert {s.type for s in corpus.speakers} == {"person", "organization", "group"}
    assert any(s.role for s in corpus.speakers) and any(t.broader for t in corpus.topics)
    assert len({s.kind for s in corpus.sources}) >= 8
    # every quote occurs exactly once in its source, so no claim needs `occurrence`
    texts = {s.id: s.text for s in corpus.sources}
    assert all(texts[c.source].count(c.quote) == 1 for c in corpus.claims)
    # an attack joins claims of opposite stance, or involves a neutral one
    by_id = corpus.claims_by_id
    for r in corpus.relations:
        if r.type == "attacks":
            pair = {by_id[r.source].stance, by_id[r.target].stance}
            assert pair == {"pro", "con"} or "neutral" in pair, r


def test_small_debates_have_a_cycle(tmp_path):
    for seed in range(5):
        corpus = load_corpus(write(synth_corpus(12, seed=seed), tmp_path / f"c{seed}"))
        assert attack_cycles(corpus), seed


def test_deterministic_for_a_seed():
    assert synth_corpus(300, seed=5) == synth_corpus(300, seed=5)
    assert digest(synth_corpus(300, seed=5)) != digest(synth_corpus(300, seed=6))
    assert digest(synth_corpus(300, seed=5)) != digest(synth_corpus(300, sources=7, seed=5))


def test_bad_sizes_are_refused():
    with pytest.raises(ValueError):
        synth_corpus(0)
    with pytest.raises(ValueError):
        synth_corpus(5, sources=0)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(claims=st.integers(1, 60), sources=st.one_of(st.none(), st.integers(1, 20)), seed=st.integers(0, 10**6))
def test_any_small_debate_loads(tmp_path_factory, claims, sources, seed):
    root = tmp_path_factory.mktemp("h")
    corpus = load_corpus(write(synth_corpus(claims, sources=sources, seed=seed), root))
    assert len(corpus.claims) == claims
    assert all(c.located is not None for c in corpus.claims)


# ---------------------------------------------------------------- the command


def run(*args: str, code: int = 0):
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == code, result.output
    return result


def test_cli_writes_a_valid_corpus_byte_for_byte_the_same(tmp_path):
    run("synth", "--claims", "150", "--seed", "2", "--out", str(tmp_path / "a"))
    run("synth", "--claims", "150", "--seed", "2", "--out", str(tmp_path / "b"))
    files_a = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file())
    assert files_a == sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*") if p.is_file())
    assert all((tmp_path / "a" / p).read_bytes() == (tmp_path / "b" / p).read_bytes() for p in files_a)
    assert len([p for p in files_a if p.parts[0] == "texts"]) == 15
    out = run("validate", "--corpus", str(tmp_path / "a")).output
    assert "150 claims" in out and "SHACL shapes: ok" in out


def test_cli_refuses_a_non_empty_folder_unless_forced(tmp_path):
    out = tmp_path / "corpus"
    out.mkdir()
    (out / "keep.txt").write_text("mine", encoding="utf-8")
    result = run("synth", "--claims", "10", "--out", str(out), code=2)
    assert "not empty" in result.output and "--force" in result.output
    assert [p.name for p in out.iterdir()] == ["keep.txt"]
    run("synth", "--claims", "10", "--out", str(out), "--force")
    assert not (out / "keep.txt").exists() and (out / "debate.yaml").is_file()
    assert [p.name for p in tmp_path.iterdir()] == ["corpus"]  # no temporary folder left behind


def test_cli_into_an_empty_folder_and_bad_arguments(tmp_path):
    (tmp_path / "empty").mkdir()
    run("synth", "--claims", "5", "--sources", "2", "--out", str(tmp_path / "empty"))
    assert len(list((tmp_path / "empty" / "texts").iterdir())) == 2
    run("synth", "--claims", "0", "--out", str(tmp_path / "x"), code=2)
    run("synth", "--claims", "5", code=2)
    (tmp_path / "file").write_text("", encoding="utf-8")
    run("synth", "--claims", "5", "--out", str(tmp_path / "file"), code=2)
    run("synth", "--claims", "5", "--out", str(tmp_path / "no" / "such"), code=2)
    assert not (tmp_path / "x").exists()


def test_cli_as_a_process(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "argmap", "synth", "--claims", "30", "--out", str(tmp_path / "p")],
        capture_output=True,
        text=True,
        env=os.environ,
    )
    assert proc.returncode == 0, proc.stderr
    assert "30 claims" in proc.stderr and (tmp_path / "p" / "relations" / "undercuts.yaml").is_file()


# ---------------------------------------------------------------- the fast paths large corpora take


def reference_ntriples(graph) -> str:
    """rdflib's own N-Triples of a graph, lines sorted (what `argmap build --format nt` wrote before)."""
    lines = sorted(line for line in graph.serialize(format="nt").split("\n") if line.strip())
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("which", ["opc", "synth"])
def test_ntriples_without_a_graph_equal_the_graphs(tmp_path, which):
    # argmap writes N-Triples itself, from the model; rdflib, reading them and writing them again, gives the
    # same lines: the escaping is rdflib's own
    from argmap.graph.rdf import debate_graph, debate_metrics, serialize

    root = None if which == "opc" else write(synth_corpus(300, seed=3), tmp_path / "c")
    corpus = load_corpus(root)
    assert serialize(corpus, "nt") == reference_ntriples(build_graph(corpus))
    metrics = {c.id: {"grounded": "in", "strength": 0.5, "community": 2} for c in corpus.claims[:20]}
    assert serialize(corpus, "nt", metrics=metrics).count("\n") == len(build_graph(corpus)) + 60
    full = debate_graph(corpus, with_analysis=True)
    assert serialize(corpus, "nt", metrics=debate_metrics(corpus)) == reference_ntriples(full)


def test_build_nt_command_equals_the_graphs(tmp_path):
    root = write(synth_corpus(100, seed=8), tmp_path / "c")
    out = run("build", "--corpus", str(root), "--format", "nt", "--no-analysis").output
    assert out == reference_ntriples(build_graph(load_corpus(root)))
