"""Evidence levels and preference-based defeat: hand-made debates with known answers, the OPC corpus, the CLI,
the graph, and a property test (with all levels equal, defeats are Dung's attacks)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from argmap.cli import main
from argmap.errors import AnalysisError
from argmap.graph.analysis import claim_metrics, run_analyses
from argmap.graph.analysis.analyses import evidence, grounded, preferred, strength
from argmap.graph.build import build_graph
from argmap.graph.projection import Projection, make_projection, project
from argmap.sources import load_corpus
from argmap.sources.evidence import EvidenceOrder, source_level

MINI = Path(__file__).parent / "data" / "mini"

SOURCES = {
    "review": {"kind": "study", "design": "review"},
    "did": {"kind": "study", "design": "difference-in-differences"},
    "cohort": {"kind": "study", "design": "cohort"},
    "cohort2": {"kind": "study", "design": "before-after"},
    "news": {"kind": "news"},
    "oped": {"kind": "op-ed", "design": "opinion"},
    "blog": {"kind": "blog"},
}


def debate(claims: dict[str, str], relations) -> Projection:
    """Claims named to their source (a key of SOURCES)."""
    return make_projection({c: {"source": s} for c, s in claims.items()}, relations, sources=SOURCES)


def labels(P, **kw) -> dict[str, str]:
    return {c: v["label"] for c, v in grounded(P, **kw).items()}


# ---------------------------------------------------------------- the order


def test_default_order_ranks_designs_for_research_and_kinds_otherwise():
    assert source_level("study", "review") == 8
    assert source_level("study", "randomised-trial") == 7
    assert [source_level("study", d) for d in ("difference-in-differences", "synthetic-control", "interrupted-time-series")] == [
        6,
        6,
        6,
    ]
    assert source_level("study", "cohort") == source_level("study", "before-after") == 5
    assert source_level("study", "modelling") == source_level("study", None) == 4
    assert source_level("preprint", "interrupted-time-series") == 6
    assert source_level("report", None) == source_level("court-ruling", "court-ruling") == 3
    assert source_level("news", "difference-in-differences") == 2  # a news story about a study is secondhand
    for kind in ("op-ed", "blog", "advocacy", "press-release", "letter", "other"):
        assert source_level(kind, "opinion") == 1
    assert source_level(None, None) is None


def test_order_is_configurable_and_checked():
    order = EvidenceOrder.from_config({"by_kind": {"news": 3}, "by_design": {"modelling": 2}, "by_claim": {"x": 9}})
    assert order.level("news", None) == 3 and order.level("study", "modelling") == 2
    assert order.level("blog", None, claim="x") == 9
    with pytest.raises(AnalysisError, match="by_kind names unknown 'tweet'"):
        EvidenceOrder.from_config({"by_kind": {"tweet": 1}})
    with pytest.raises(AnalysisError, match=r"by_design\['review'\] must be an integer level, not 'high'"):
        EvidenceOrder.from_config({"by_design": {"review": "high"}})
    with pytest.raises(AnalysisError, match="unknown option 'levels' for analysis 'evidence'"):
        run_analyses(make_projection([]), ["evidence"], config={"evidence": {"levels": {}}})


def test_evidence_analysis_reports_levels_and_order():
    P = debate({"s": "did", "o": "oped", "n": "news"}, [])
    r = evidence(P)
    assert r["claims"]["s"] == {"level": 6, "basis": "study (difference-in-differences)"}
    assert r["claims"]["o"] == {"level": 1, "basis": "op-ed"}
    assert r["order"][0] == {"level": 8, "designs": ["review"], "kinds": []}
    assert [row["level"] for row in r["order"]] == [8, 7, 6, 5, 4, 3, 2, 1]


# ---------------------------------------------------------------- defeat: hand-made debates


def test_an_op_ed_attacking_a_study_does_not_defeat_it():
    P = debate({"study": "did", "oped": "oped"}, [("oped", "attacks", "study", "r1")])
    g = grounded(P)
    assert g["study"]["label"] == "in" and g["oped"]["label"] == "in"
    assert g["study"]["reason"] == (
        "attacked by oped, an op-ed (level 1); a weaker source does not defeat a study (difference-in-differences, level 6)"
    )
    assert g["study"]["not_defeated_by"] == [
        {
            "claim": "oped",
            "relation": "r1",
            "attacker_level": 1,
            "level": 6,
            "why": "a weaker source does not defeat a stronger one: oped is an op-ed (level 1), study is a study "
            "(difference-in-differences, level 6)",
        }
    ]
    assert g["study"]["evidence_level"] == 6
    plain = grounded(P, preferences="none")
    assert plain["study"]["label"] == "out" and plain["study"]["not_defeated_by"] == []
    assert plain["study"]["reason"] == "attacked by accepted claim oped"


def test_a_study_attacking_an_op_ed_defeats_it():
    P = debate({"study": "did", "oped": "oped"}, [("study", "attacks", "oped")])
    assert labels(P) == {"oped": "out", "study": "in"}


def test_equal_levels_rebutting_each_other_stay_undecided():
    P = debate({"a": "cohort", "b": "cohort2"}, [("a", "attacks", "b"), ("b", "attacks", "a")])
    assert labels(P) == {"a": "undecided", "b": "undecided"}
    assert preferred(P)["extensions"] == [["a"], ["b"]]
    assert all(v["not_defeated_by"] == [] for v in grounded(P).values())


def test_a_rebuttal_between_unequal_levels_is_won_by_the_stronger():
    P = debate({"strong": "review", "weak": "news"}, [("strong", "attacks", "weak"), ("weak", "attacks", "strong")])
    assert labels(P) == {"strong": "in", "weak": "out"}
    assert preferred(P)["extensions"] == [["strong"]]
    assert labels(P, preferences="none") == {"strong": "undecided", "weak": "undecided"}


def test_an_undercut_from_a_weak_source_still_defeats():
    # a study (6) attacks a cohort study (5) through r; a blog (1) undercuts r: the attack is stopped
    P = debate(
        {"did": "did", "cohort": "cohort", "blog": "blog"},
        [("did", "attacks", "cohort", "r"), ("blog", "undercuts", "r", "u")],
    )
    assert labels(P) == {"blog": "in", "cohort": "in", "did": "in"}
    assert grounded(P)["cohort"]["not_defeated_by"] == []  # not saved by its level: by the undercut
    without = debate({"did": "did", "cohort": "cohort"}, [("did", "attacks", "cohort", "r")])
    assert labels(without)["cohort"] == "out"


def test_a_cycle_is_broken_where_the_attacker_is_weaker():
    # a -> b -> c -> a, all blogs but c, a study: b's attack on c fails, so c stands, a falls and b stands
    P = debate({"a": "blog", "b": "blog", "c": "did"}, [("a", "attacks", "b"), ("b", "attacks", "c"), ("c", "attacks", "a")])
    assert labels(P) == {"a": "out", "b": "in", "c": "in"}
    assert labels(P, preferences="none") == {"a": "undecided", "b": "undecided", "c": "undecided"}
    p = preferred(P)
    assert p["complete"] and p["extensions"] == [["b", "c"]] and p["cycles"] == []


def test_a_claim_with_defeaters_and_weaker_attackers_says_both():
    P = debate({"t": "cohort", "x": "review", "o": "oped"}, [("x", "attacks", "t"), ("o", "attacks", "t")])
    g = grounded(P)["t"]
    assert g["label"] == "out"
    assert g["reason"] == (
        "attacked by accepted claim x; attacked by o, an op-ed (level 1); a weaker source does not defeat "
        "a study (cohort, level 5)"
    )


def test_unknown_levels_compare_as_plain_dung():
    P = make_projection({"a": {"source": "s"}, "b": {}}, [("a", "attacks", "b")], sources={"s": {"kind": "blog"}})
    assert labels(P) == {"a": "in", "b": "out"}
    assert grounded(P)["b"]["evidence_level"] is None


def test_by_claim_levels_from_the_configuration():
    P = debate({"a": "blog", "b": "blog"}, [("a", "attacks", "b")])
    r = run_analyses(P, ["grounded"], config={"evidence": {"by_claim": {"b": 3}}})["grounded"]
    assert r["b"]["label"] == "in" and r["b"]["reason"].endswith("does not defeat a claim of level 3")
    with pytest.raises(AnalysisError, match="by_claim names unknown claim"):
        run_analyses(P, ["grounded"], config={"evidence": {"by_claim": {"zz": 3}}})
    with pytest.raises(AnalysisError, match="unknown preferences 'some'"):
        run_analyses(P, ["grounded"], preferences="some")


# ---------------------------------------------------------------- strength from the evidence level


def test_strength_base_scores_follow_the_evidence_level():
    P = debate({"r": "review", "o": "oped", "n": "news", "x": "did"}, [])
    s = strength(P)["claims"]
    assert {c: v["base"] for c, v in s.items()} == {"n": 0.3, "o": 0.2, "r": 0.9, "x": 0.7}
    assert all(v["converged"] for v in s.values())
    assert {v["base"] for v in strength(P, preferences="none")["claims"].values()} == {0.5}
    assert {v["base"] for v in strength(P, base=0.4)["claims"].values()} == {0.4}
    assert strength(P, by_level={8: 0.95})["claims"]["r"]["base"] == 0.95


def test_a_study_outranks_a_blog_claim_that_many_weak_claims_support():
    """Regression: DF-QuAD's support saturates (six supporters of 0.2 lift a blog claim from 0.2 to 0.79,
    past a difference-in-differences study's 0.7); evidence-bounded support keeps it below."""
    weak = {f"w{i}": "blog" for i in range(6)}
    P = debate({"study": "did", "claim": "blog", **weak}, [(w, "supports", "claim") for w in weak])
    s = strength(P)
    assert s["support"] == "bounded"
    assert s["claims"]["study"]["strength"] == 0.7
    assert s["claims"]["claim"]["strength"] == pytest.approx(0.2 + 0.2 * 0.8 * (1 - 0.8**6), abs=1e-6)
    assert s["claims"]["claim"]["strength"] < 0.36 < s["claims"]["study"]["strength"]
    plain = strength(P, support="dfquad")
    assert plain["support"] == "dfquad" and plain["claims"]["claim"]["strength"] > 0.7  # what the fix prevents


def test_a_blog_claim_a_review_supports_stays_below_the_review():
    P = debate({"r": "review", "b": "blog"}, [("r", "supports", "b")])
    s = strength(P)["claims"]
    assert s["b"]["strength"] == pytest.approx(0.2 + 0.2 * 0.8 * 0.9, abs=1e-6)  # 0.344, not DF-QuAD's 0.92
    assert s["b"]["strength"] < s["r"]["strength"]
    assert strength(P, support="dfquad")["claims"]["b"]["strength"] == pytest.approx(0.92, abs=1e-6)


def test_claims_that_support_each_other_do_not_lift_themselves_to_one():
    """Regression: two blog claims supporting each other, unattacked, converged to exactly 1 under DF-QuAD."""
    P = debate({"a": "blog", "b": "blog"}, [("a", "supports", "b"), ("b", "supports", "a")])
    s = strength(P)
    assert s["converged"] and s["claims"]["a"]["strength"] == pytest.approx(0.2 / 0.84, abs=1e-6)
    assert strength(P, support="dfquad")["claims"]["a"]["strength"] == 1.0


def test_support_bounded_only_where_levels_count():
    """A claim with no level, and every claim under plain Dung, takes DF-QuAD's own support rule."""
    P = make_projection({"a": {}, "b": {}}, [("a", "supports", "b")])
    assert strength(P)["support"] == "dfquad" and strength(P)["claims"]["b"]["strength"] == 0.75
    Q = debate({"r": "review", "b": "blog"}, [("r", "supports", "b")])
    none = strength(Q, preferences="none")
    assert none["support"] == "dfquad" and none["claims"]["b"]["strength"] == 0.75
    with pytest.raises(AnalysisError, match="unknown support 'capped' \\(expected one of: bounded, dfquad\\)"):
        strength(Q, support="capped")
    r = run_analyses(Q, ["strength"], config={"strength": {"support": "dfquad"}})["strength"]
    assert r["claims"]["b"]["strength"] == pytest.approx(0.92, abs=1e-6)


def test_per_claim_converged_flags_mark_only_the_cycle_that_did_not_settle():
    P = debate({"a": "did", "b": "did", "c": "blog"}, [("a", "attacks", "b"), ("b", "attacks", "a")])
    r = strength(P, base=1.0, max_rounds=50)
    assert r["converged"] is False and r["unsettled"] == ["a", "b"]
    assert {c: v["converged"] for c, v in r["claims"].items()} == {"a": False, "b": False, "c": True}


# ---------------------------------------------------------------- the OPC corpus


@pytest.fixture(scope="module")
def opc():
    return project(build_graph(load_corpus()))


def test_chalfin_study_is_no_longer_out_because_of_the_city_journal_op_ed(opc):
    study = "chalfin-no-change-crime-disorder"
    g = grounded(opc)[study]
    assert g["label"] == "in"
    assert g["evidence_level"] == 6
    assert [r["claim"] for r in g["not_defeated_by"]] == ["city-journal-aggravated-assaults-error"]
    assert "an op-ed (level 1); a weaker source does not defeat a study (difference-in-differences, level 6)" in g["reason"]
    plain = grounded(opc, preferences="none")[study]
    assert plain == {**plain, "label": "out", "reason": "attacked by accepted claim city-journal-aggravated-assaults-error"}
    m = claim_metrics(opc)[study]
    assert m["grounded"] == "in" and m["evidence_level"] == 6 and m["not_defeated_by"] == g["not_defeated_by"]


def test_opc_strongest_claims_start_from_their_evidence(opc):
    s = strength(opc)["claims"]
    assert s["chalfin-no-change-crime-disorder"]["base"] == 0.7
    assert s["city-journal-aggravated-assaults-error"]["base"] == 0.2
    assert s["chalfin-no-change-crime-disorder"]["strength"] > s["city-journal-aggravated-assaults-error"]["strength"]


def test_opc_strongest_pro_claims_are_research_not_blog_assertions(opc):
    """Regression: the five strongest pro claims were muse-2025 blog claims (three at 1.0), lifted by many
    supporters and by supporting each other; now they are studies and reviews (level 4 and up)."""
    s = strength(opc)["claims"]
    level = {c: v["level"] for c, v in evidence(opc)["claims"].items()}

    def top(side, k=5):
        ids = [c for c in s if opc.claims.nodes[c].get("stance") == side]
        return sorted(ids, key=lambda c: (-s[c]["strength"], c))[:k]

    assert [level[c] >= 4 for c in top("pro")] == [True] * 5
    assert level[top("con", 1)[0]] >= 4
    assert max(s[c]["strength"] for c in s if level[c] == 1) < 0.36  # a blog or op-ed claim: at most 1 - 0.8**2


# ---------------------------------------------------------------- the CLI and the graph


def test_claims_and_sources_json_carry_the_evidence_level():
    res = CliRunner().invoke(main, ["claims", "--json", "--source", "chalfin-2023-jama"])
    assert res.exit_code == 0, res.output
    assert [c["evidence_level"] for c in json.loads(res.output)] == [6]
    res = CliRunner().invoke(main, ["claims", "--json", "--corpus", str(MINI)])
    assert {c["id"]: c["evidence_level"] for c in json.loads(res.output)}["crashes-fell"] == 5
    res = CliRunner().invoke(main, ["sources", "--json", "--corpus", str(MINI)])
    assert sorted(s["evidence_level"] for s in json.loads(res.output)) == [2, 5]


def test_graph_holds_arg_evidence_level_and_conforms():
    from rdflib import Literal, URIRef

    from argmap.graph.validate import validate_graph
    from argmap.graph.vocab import ARG

    corpus = load_corpus(MINI)
    g = build_graph(corpus)
    node = URIRef(f"{corpus.base}claim/crashes-fell")
    assert list(g.objects(node, ARG.evidenceLevel)) == [Literal(5)]
    assert len(list(g.subject_objects(ARG.evidenceLevel))) == len(corpus.claims)
    assert validate_graph(g).conforms


def test_analyze_preferences_option():
    base = ["analyze", "--json", "grounded", "strength"]
    ev = json.loads(CliRunner().invoke(main, base).output)
    none = json.loads(CliRunner().invoke(main, [*base, "--preferences", "none"]).output)
    study = "chalfin-no-change-crime-disorder"
    assert ev["grounded"][study]["label"] == "in" and none["grounded"][study]["label"] == "out"
    assert ev["strength"]["claims"][study]["base"] == 0.7 and none["strength"]["claims"][study]["base"] == 0.5
    res = CliRunner().invoke(main, [*base, "--preferences", "maybe"])
    assert res.exit_code == 2 and "'maybe' is not one of 'evidence', 'none'" in res.output


def test_analyze_config_evidence_section(tmp_path):
    cfg = tmp_path / "analysis.yaml"
    cfg.write_text("evidence:\n  by_kind: {news: 9}\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["analyze", "--corpus", str(MINI), "--json", "--config", str(cfg), "evidence", "grounded"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["evidence"]["claims"]["hurt-sales"]["level"] == 9
    # the news claim hurt-sales now outranks the study claim sales-held that attacks it
    assert data["grounded"]["hurt-sales"]["label"] == "in"
    cfg.write_text("evidence:\n  by_kind: {news: high}\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["analyze", "--corpus", str(MINI), "--config", str(cfg)])
    assert res.exit_code == 2 and "by_kind['news'] must be an integer level" in res.output


# ---------------------------------------------------------------- property: equal levels are plain Dung


@st.composite
def debates(draw, max_n: int = 9):
    n = draw(st.integers(min_value=0, max_value=max_n))
    names = [f"a{i}" for i in range(n)]
    pairs = [(a, b) for a in names for b in names]
    attacks = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=3 * n)) if pairs else []
    rels = [(a, "attacks", b, f"r{k}") for k, (a, b) in enumerate(attacks)]
    if rels:  # a few undercuts of attacks, from any claim
        for k, (u, target) in enumerate(
            draw(st.lists(st.tuples(st.sampled_from(names), st.sampled_from([r[3] for r in rels])), max_size=2))
        ):
            rels.append((u, "undercuts", target, f"u{k}"))
    levels = draw(st.lists(st.integers(min_value=1, max_value=4), min_size=n, max_size=n))
    return names, rels, levels


@settings(max_examples=150, deadline=None)
@given(debates(), st.sampled_from(sorted(SOURCES)))
def test_with_all_levels_equal_defeat_is_plain_dung(spec, source):
    names, rels, _ = spec
    P = make_projection({c: {"source": source} for c in names}, rels, sources=SOURCES)
    assert grounded(P) == grounded(P, preferences="none")
    assert preferred(P) == preferred(P, preferences="none")


@settings(max_examples=150, deadline=None)
@given(debates())
def test_defeats_are_the_attacks_the_levels_allow(spec):
    from argmap.graph.analysis import dung

    names, rels, levels = spec
    P = make_projection(names, rels)
    lv = dict(zip(names, levels))
    fw = dung.framework(P, levels=lv)
    plain = dung.framework(P)
    blocked = {rid for items in fw.blocked.values() for rid, _ in items}
    for src, rtype, dst, rid in rels:
        if rtype == "attacks":
            assert (rid in blocked) == (lv[src] < lv[dst])
    # every defeat between claims is an attack of the plain framework
    for b in range(fw.n_claims):
        for a in fw.attackers[b]:
            if a < fw.n_claims:
                assert a in plain.attackers[b]
    # the grounded labelling on defeats is still a legal labelling of the defeat framework
    lab = dung.grounded_labels(fw)
    for x in range(len(lab)):
        if lab[x] == dung.IN:
            assert all(lab[a] == dung.OUT for a in fw.attackers[x])
        if lab[x] == dung.OUT:
            assert any(lab[a] == dung.IN for a in fw.attackers[x])


# ---------------------------------------------------------------- a strength that does not settle, everywhere


UNSETTLED = {"strength": {"by_claim": {"cost-2m": 1.0, "cost-small": 1.0}}}


def test_a_claim_whose_cycle_does_not_settle_is_marked_in_every_output(tmp_path):
    """The mini debate's cost-2m and cost-small attack each other; from base 1.0 their strengths flip between
    0 and 1 each round. Every output that shows strength says which claims did not settle."""
    import yaml

    from argmap.export.brief import render_brief_html, render_brief_markdown
    from argmap.export.common import analysis_line
    from argmap.export.htmlmap import map_data
    from argmap.export.networks import render_graphml
    from argmap.export.tables import render_csv
    from argmap.graph.analysis import analysis_triples, metrics_for_corpus
    from argmap.graph.rdf import debate_lines
    from argmap.graph.vocab import ARG

    cycle = {"cost-2m", "cost-small"}
    cfg = tmp_path / "cfg.yaml"
    cfg.write_text(yaml.safe_dump(UNSETTLED), encoding="utf-8")
    res = CliRunner().invoke(main, ["analyze", "--corpus", str(MINI), "--config", str(cfg), "--json", "strength"])
    assert res.exit_code == 0, res.output
    s = json.loads(res.output)["strength"]
    assert s["converged"] is False and s["unsettled"] == sorted(cycle)
    assert {c for c, v in s["claims"].items() if not v["converged"]} == cycle
    res = CliRunner().invoke(main, ["analyze", "--corpus", str(MINI), "--config", str(cfg), "strength"])
    assert "NOT converged after 200 rounds" in res.output and res.output.count("(not settled)") == 2

    corpus = load_corpus(MINI)
    m = metrics_for_corpus(corpus, config=UNSETTLED)
    assert {c for c, v in m.items() if v["strength_converged"] is False} == cycle
    lines = debate_lines(corpus, metrics=m)
    flag = f"<{ARG.strengthConverged}>"
    false = [ln.split()[0] for ln in lines if f'{flag} "false"^^' in ln]
    assert sorted(x.rsplit("/", 1)[-1].rstrip(">") for x in false) == sorted(cycle)
    assert sum(f'{flag} "true"^^' in ln for ln in lines) == len(m) - 2
    P = project(build_graph(corpus))
    triples = {
        (str(t[0]).rsplit("/", 1)[-1], t[2].toPython())
        for t in analysis_triples(P, "https://e.org/d/", config=UNSETTLED)
        if t[1] == ARG.strengthConverged
    }
    assert {c for c, ok in triples if not ok} == cycle
    rows = list(csv.DictReader(io.StringIO(render_csv(corpus, metrics=m)["claims.csv"])))
    assert {r["id"] for r in rows if r["strength_converged"] == "false"} == cycle
    assert {r["strength_converged"] for r in rows if r["id"] not in cycle} == {"true"}
    assert 'attr.name="strength_converged"' in render_graphml(corpus, metrics=m)
    assert (analysis_line(m["cost-2m"]) or "").endswith("(did not settle)")
    data = {c["id"]: c for c in map_data(corpus, metrics=m, plain=m)["claims"]}
    assert {c for c, v in data.items() if v["m"]["settled"] is False} == cycle
    assert data["cost-2m"]["m0"]["settled"] is False and data["save-lives"]["m"]["settled"] is True
    for page in (render_brief_html(corpus, metrics=m), render_brief_markdown(corpus, metrics=m)):
        assert page.count("did not settle: in a cycle whose strengths kept moving") == 2
