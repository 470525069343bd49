"""The unanswered-objections named query, rewritten to run in linear time, gives the rows it gave before."""

from __future__ import annotations

import pytest

from argmap.graph.sparql import bind_params, named_query, run_query
from argmap.graph.store import memory_store
from argmap.sources import load_corpus

# the query as it was: FILTER NOT EXISTS re-ran its pattern once per con claim (quadratic)
OLD_ANSWERED = """
  FILTER NOT EXISTS { ?attacker arg:attacks ?c }
  FILTER NOT EXISTS { ?undercutter arg:undercuts ?relation . ?relation aif:Premise|aif:Conflicting ?c }
"""


def _old_query(new: str) -> str:
    start = new.index("  # answered:")
    end = new.index("}\nORDER BY")
    return new[:start] + OLD_ANSWERED + new[end:]


def _rows(store, text):
    result = run_query(store, text, max_rows=10**9)
    return [tuple(str(v) for v in row) for row in result.rows]


@pytest.mark.parametrize("topic", [None, "crime", "deaths"])
def test_unanswered_objections_rows_are_unchanged_on_opc(topic):
    store = memory_store(load_corpus(), with_analysis=False)
    params = {"topic": topic} if topic else {}
    new = bind_params(named_query("unanswered-objections"), params)
    assert "FILTER NOT EXISTS {" not in new and new.count("MINUS {") == 2
    rows = _rows(store, new)
    assert rows == _rows(store, _old_query(new))
    if topic is None:
        assert len(rows) > 3


def test_unanswered_objections_rows_are_unchanged_on_a_synthetic_debate_with_undercuts(tmp_path):
    from argmap.sources.synth import synth_corpus

    root = tmp_path / "c"
    for rel, text in synth_corpus(400, seed=5).items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    corpus = load_corpus(root)
    assert any(r.type == "undercuts" for r in corpus.relations)
    store = memory_store(corpus, with_analysis=False)
    new = bind_params(named_query("unanswered-objections"), {})
    rows = _rows(store, new)
    assert rows and rows == _rows(store, _old_query(new))
