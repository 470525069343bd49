"""The argument analyses: hand-made graphs with known answers, the test corpora, the CLI and the RDF output."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from argmap.cli import main
from argmap.errors import AnalysisError
from argmap.graph.analysis import ANALYSES, analysis_triples, claim_metrics, metrics_for_corpus, run_analyses
from argmap.graph.analysis.analyses import (
    balance,
    centrality,
    communities,
    contested,
    corroboration,
    grounded,
    preferred,
    strength,
    tiny,
    unanswered,
    unconnected,
)
from argmap.graph.analysis.gradual import aggregate, combine
from argmap.graph.analysis.tables import TABLES, tables
from argmap.graph.build import build_graph
from argmap.graph.projection import make_projection, project
from argmap.sources import load_corpus

DATA = Path(__file__).parent / "data"
MINI = DATA / "mini"
SCHOOL = DATA / "schoolweek"
GOLDEN = DATA / "golden" / "analyze-mini.json"
NAMES = [
    "centrality",
    "contested",
    "unanswered",
    "balance",
    "corroboration",
    "evidence",
    "grounded",
    "preferred",
    "strength",
    "communities",
    "unconnected",
]


def lr(v: dict) -> dict:
    """A grounded result's label and reason only."""
    return {"label": v["label"], "reason": v["reason"]}


def labels(P) -> dict[str, str]:
    return {c: v["label"] for c, v in grounded(P).items()}


def attacks(*pairs: str) -> list[tuple[str, str, str]]:
    """``"ab"`` is a attacks b."""
    return [(p[0], "attacks", p[1]) for p in pairs]


@pytest.fixture(scope="module")
def mini():
    return project(build_graph(load_corpus(MINI)))


@pytest.fixture(scope="module")
def school():
    return project(build_graph(load_corpus(SCHOOL)))


# ---------------------------------------------------------------- the registry


def test_registry_has_exactly_the_named_analyses():
    assert list(ANALYSES) == NAMES
    assert set(TABLES) == set(NAMES)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("which", ["tiny", "mini", "school", "empty"])
def test_every_analysis_returns_json_ready_data_and_renders(name, which, mini, school):
    P = {"tiny": tiny(), "mini": mini, "school": school, "empty": make_projection([])}[which]
    result = run_analyses(P, [name])[name]
    assert json.loads(json.dumps(result)) == result
    assert tables(name, result, P)


def test_run_analyses_refuses_unknown_names_and_options():
    with pytest.raises(AnalysisError, match="unknown analysis 'fame'.*centrality, contested"):
        run_analyses(tiny(), ["fame"])
    with pytest.raises(AnalysisError, match="unknown option 'bse' for analysis 'strength'"):
        run_analyses(tiny(), ["strength"], config={"strength": {"bse": 0.2}})
    with pytest.raises(AnalysisError, match="unknown analysis 'strenght' in the configuration"):
        run_analyses(tiny(), config={"strenght": {}})


# ---------------------------------------------------------------- grounded: hand-made graphs


def test_odd_cycle_is_undecided_and_has_one_empty_preferred_extension():
    P = make_projection("abc", attacks("ab", "bc", "ca"))
    g = grounded(P)
    assert {c: v["label"] for c, v in g.items()} == {"a": "undecided", "b": "undecided", "c": "undecided"}
    assert g["a"]["reason"] == "in an attack cycle with no accepted attacker (with b, c)"
    p = preferred(P)
    assert p["complete"] and p["extensions"] == [[]] and p["cycles"] == [["a", "b", "c"]]


def test_odd_cycle_broken_from_outside_reinstates():
    P = make_projection("abcd", attacks("ab", "bc", "ca", "da"))
    assert labels(P) == {"a": "out", "b": "in", "c": "out", "d": "in"}
    g = grounded(P)
    assert g["a"]["reason"] == "attacked by accepted claim d"
    assert g["b"]["reason"] == "its only attacker, a, is out"
    assert preferred(P)["extensions"] == [["b", "d"]]


def test_even_cycles_are_undecided_with_one_preferred_extension_per_side():
    P = make_projection("ab", attacks("ab", "ba"))
    assert labels(P) == {"a": "undecided", "b": "undecided"}
    assert preferred(P)["extensions"] == [["a"], ["b"]]
    Q = make_projection("abcd", attacks("ab", "bc", "cd", "da"))
    assert set(labels(Q).values()) == {"undecided"}
    r = preferred(Q)
    assert r["extensions"] == [["a", "c"], ["b", "d"]]
    assert r["skeptical"] == [] and r["credulous"] == ["a", "b", "c", "d"]


def test_self_defending_claim():
    # a and b attack each other: a defends itself against b, so {a} is admissible, though not grounded
    P = make_projection("ab", attacks("ab", "ba"))
    assert ["a"] in preferred(P)["extensions"]
    # with c also attacking b, b is out and a, defended, is in
    Q = make_projection("abc", attacks("ab", "ba", "cb"))
    assert labels(Q) == {"a": "in", "b": "out", "c": "in"}
    assert grounded(Q)["a"]["reason"] == "its only attacker, b, is out"
    assert preferred(Q)["extensions"] == [["a", "c"]]


def test_self_attacking_claim_is_undecided_and_in_no_extension():
    P = make_projection("st", [("s", "attacks", "s"), ("s", "attacks", "t")])
    g = grounded(P)
    assert lr(g["s"]) == {"label": "undecided", "reason": "attacks itself, and no accepted claim defeats it"}
    assert lr(g["t"]) == {"label": "undecided", "reason": "attacked by undecided claim s, and by no accepted claim"}
    assert preferred(P)["extensions"] == [[]]


def test_many_attackers_reason_names_them():
    P = make_projection("abcdxyz", attacks("xa", "ya", "za", "bx", "cy", "dz"))
    assert lr(grounded(P)["a"]) == {"label": "in", "reason": "all 3 attackers are out (x, y, z)"}


def test_support_chain_and_isolated_claim():
    claims = {
        "a": {"stance": "pro", "source": "s1", "topics": ["t"]},
        "b": {"stance": "pro", "source": "s2", "topics": ["t"]},
        "c": {"stance": "pro", "source": "s3", "topics": ["t"]},
        "lone": {"stance": "con", "source": "s4", "topics": ["u"]},
    }
    P = make_projection(claims, [("a", "supports", "b"), ("b", "supports", "c")])
    assert labels(P) == {"a": "in", "b": "in", "c": "in", "lone": "in"}
    assert grounded(P)["lone"]["reason"] == "unattacked"
    s = strength(P)["claims"]
    # DF-QuAD: b = 0.5 + 0.5 * 0.5, c = 0.5 + 0.5 * 0.75
    assert (s["a"]["strength"], s["b"]["strength"], s["c"]["strength"]) == (0.5, 0.75, 0.875)
    assert s["lone"]["strength"] == 0.5
    corr = corroboration(P)
    assert {r["id"]: r["sources"] for r in corr["corroborated"]} == {"b": ["s1", "s2"], "c": ["s1", "s2", "s3"]}
    assert corr["bare"] == ["a", "lone"]
    comms = communities(P)
    assert [c["claims"] for c in comms] == [["a", "b", "c"], ["lone"]]
    assert comms[1]["label"] == "u"
    m = claim_metrics(P)
    assert m["lone"]["betweenness"] == 0.0 and m["b"]["betweenness"] > 0
    assert unanswered(P)["con"] == ["lone"]


# ---------------------------------------------------------------- undercuts


def test_undercut_defeats_the_inference_not_the_premise():
    # a attacks b through r, u undercuts r; a also attacks c directly
    P = make_projection("abcu", [("a", "attacks", "b", "r"), ("a", "attacks", "c"), ("u", "undercuts", "r")])
    g = grounded(P)
    assert labels(P) == {"a": "in", "b": "in", "c": "out", "u": "in"}
    assert g["b"]["reason"] == "its only attacker, a (through relation r), is out"
    assert g["c"]["reason"] == "attacked by accepted claim a"
    assert preferred(P)["extensions"] == [["a", "b", "u"]]
    # the undercut edge is drawn to the premise of the relation it undercuts
    assert [(x, y, k, d["relation"]) for x, y, k, d in P.claims.edges(keys=True, data=True) if d["type"] == "undercuts"] == [
        ("u", "a", "u--undercuts--r", "r")
    ]
    assert (
        unanswered(
            make_projection({"a": {"stance": "con"}, "b": {}, "u": {}}, [("a", "attacks", "b", "r"), ("u", "undercuts", "r")])
        )["con"]
        == []
    )


def test_defeated_undercut_leaves_the_attack_standing():
    P = make_projection("abuv", [("a", "attacks", "b", "r"), ("u", "undercuts", "r"), ("v", "attacks", "u")])
    assert labels(P) == {"a": "in", "b": "out", "u": "out", "v": "in"}
    assert grounded(P)["b"]["reason"] == "attacked by accepted claim a (through relation r)"


def test_inference_falls_with_its_premise():
    # x defeats a, so a's attack on b (undercut by a defeated u) no longer counts
    P = make_projection(
        "abuwx",
        [("x", "attacks", "a"), ("a", "attacks", "b", "r"), ("u", "undercuts", "r"), ("w", "attacks", "u")],
    )
    assert labels(P) == {"a": "out", "b": "in", "u": "out", "w": "in", "x": "in"}


def test_undercut_of_a_support_weakens_it_in_strength_only():
    plain = make_projection("ab", [("a", "supports", "b", "r")])
    cut = make_projection("abu", [("a", "supports", "b", "r"), ("u", "undercuts", "r")])
    assert labels(cut) == {"a": "in", "b": "in", "u": "in"}
    assert strength(plain)["claims"]["b"]["strength"] == 0.75
    # the support now counts 0.5 * (1 - 0.5): b = 0.5 + 0.5 * 0.25
    assert strength(cut)["claims"]["b"]["strength"] == 0.625


# ---------------------------------------------------------------- preferred: limits


def test_preferred_is_incomplete_when_even_the_sat_solver_is_cut():
    """Issue 16: past the search's limits SAT answers; when a SAT call runs out of its conflict budget the
    result is `complete: false` with a message, and the other analyses are unaffected."""
    import random

    rng = random.Random(7)  # a dense random framework: 150 arguments, 1,500 attacks, one big undecided part
    ids = [f"a{i:03d}" for i in range(150)]
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < 1500:
        pairs.add((rng.randrange(150), rng.randrange(150)))
    P = make_projection(ids, [(ids[a], "attacks", ids[b]) for a, b in sorted(pairs)])
    results = run_analyses(P, ["grounded", "preferred"], config={"preferred": {"max_conflicts": 1}})
    r = results["preferred"]
    assert r["complete"] is False and r["method"] is None and r["extensions"] == [] and r["count"] is None
    assert r["message"] == "the SAT solver gave up on a preferred extension after 1 conflicts ('max_conflicts')"
    assert len(results["grounded"]) == 150
    full = preferred(P)
    assert full["complete"] and full["method"] == "sat" and full["count"] >= 1


def test_preferred_limit_on_a_large_cycle_is_a_message_not_an_exception():
    ring = [f"c{i:03d}" for i in range(101)]
    rels = [(ring[i], "attacks", ring[(i + 1) % 101]) for i in range(101)]
    P = make_projection(ring + ["free"], rels)
    results = run_analyses(P, config={"preferred": {"sat": False}})
    r = results["preferred"]
    assert r["complete"] is False and r["count"] is None and r["extensions"] == []
    assert "undecided attack cycle of 101 arguments" in r["message"] and "max_component" in r["message"]
    assert r["grounded"] == ["free"]
    assert results["grounded"]["free"]["label"] == "in"
    r = run_analyses(P, ["preferred"], config={"preferred": {"max_component": 200, "sat": False}})["preferred"]
    assert r["complete"] and r["extensions"] == [["free"]] and r["method"] == "search"
    r = preferred(P, max_component=200, max_steps=50, sat=False)
    assert not r["complete"] and "more than 50 steps ('max_steps')" in r["message"]
    # past the search's limits the SAT route answers (an odd cycle: only the empty set is admissible)
    r = preferred(P)
    assert r["complete"] and r["method"] == "sat" and r["extensions"] == [["free"]]


def test_preferred_sat_route_cut_says_so():
    claims = [f"{x}{i}" for i in range(9) for x in "ab"]
    rels = [r for i in range(9) for r in ((f"a{i}", "attacks", f"b{i}"), (f"b{i}", "attacks", f"a{i}"))]
    P = make_projection(claims, rels)
    r = preferred(P, max_component=1, max_extensions=3)
    assert not r["complete"] and r["method"] is None
    assert "larger than the search limit of 1" in r["message"]
    assert "the SAT route stopped too: more than 3 preferred extensions" in r["message"]
    r = preferred(P, max_component=1, max_extensions=600)
    assert r["complete"] and r["method"] == "sat" and r["count"] == 512
    assert r["extensions"] == preferred(P, max_extensions=600)["extensions"]


def test_preferred_limit_on_the_number_of_extensions():
    claims = [f"{x}{i}" for i in range(9) for x in "ab"]
    rels = [r for i in range(9) for r in ((f"a{i}", "attacks", f"b{i}"), (f"b{i}", "attacks", f"a{i}"))]
    P = make_projection(claims, rels)
    r = preferred(P)
    assert not r["complete"] and "more than 256 preferred extensions" in r["message"]
    assert preferred(P, max_extensions=512)["count"] == 512


# ---------------------------------------------------------------- DF-QuAD


def test_dfquad_functions():
    assert aggregate([]) == 0.0
    assert aggregate([0.2]) == 0.2
    assert aggregate([0.5, 0.5, 0.5]) == 0.875
    assert combine(0.4, 0.5, 0.5) == 0.4
    assert combine(0.4, 1.0, 0.0) == 0.0
    assert combine(0.4, 0.0, 1.0) == 1.0
    assert combine(0.4, 0.25, 0.75) == pytest.approx(0.4 + 0.6 * 0.5)


def test_strength_base_scores_from_configuration():
    P = make_projection(
        {"a": {"stance": "pro", "kind": "statistic"}, "b": {"stance": "con"}, "c": {"stance": "con"}},
        [("a", "attacks", "b")],
    )
    r = run_analyses(
        P,
        ["strength"],
        config={"strength": {"base": 0.3, "by_stance": {"con": 0.8}, "by_kind": {"statistic": 0.9}, "by_claim": {"c": 0.1}}},
    )["strength"]["claims"]
    assert r["a"] == {"base": 0.9, "strength": 0.9, "converged": True}
    assert r["b"]["base"] == 0.8 and r["b"]["strength"] == pytest.approx(0.8 - 0.8 * 0.9)
    assert r["c"] == {"base": 0.1, "strength": 0.1, "converged": True}
    with pytest.raises(AnalysisError, match=r"by_stance\['pro'\] must be a number from 0 to 1"):
        strength(P, by_stance={"pro": 2})
    with pytest.raises(AnalysisError, match="unknown claim"):
        strength(P, by_claim={"zz": 0.2})


def test_strength_on_a_cycle_that_does_not_settle_says_so():
    P = make_projection("ab", attacks("ab", "ba"))
    r = strength(P, base=1.0, max_rounds=50)
    assert r["converged"] is False and r["rounds"] == 50 and r["cyclic_components"] == 1
    assert r["unsettled"] == ["a", "b"] and r["claims"]["a"]["converged"] is False
    settled = strength(P)
    assert settled["converged"] is True
    assert settled["claims"]["a"]["strength"] == pytest.approx(1 / 3, abs=1e-6)


# ---------------------------------------------------------------- other analyses on tiny graphs


def test_contested_unanswered_balance_centrality_on_tiny():
    P = tiny()
    rows = contested(P, k=None)
    assert [r["id"] for r in rows] == ["c1", "c2", "p4", "p2", "p3"]
    assert rows[0]["attackers"] == ["p3"] and rows[0]["attacked"] == ["p2"]
    u = unanswered(P)
    assert u == {
        "pro": ["p1", "p3"],
        "con": [],
        "by_topic": {"cost": {"pro": ["p3"], "con": []}, "safety": {"pro": ["p1"], "con": []}},
    }
    b = balance(P)
    assert b["topics"]["safety"]["claims"] == {"pro": 2, "con": 0, "neutral": 1}
    assert b["overall"]["sources"] == {"pro": 2, "con": 1, "neutral": 1}
    c = centrality(P, k=1)
    assert c["top"] == {"pro": ["p4"], "con": ["c2"], "neutral": ["n1"]}
    assert c["betweenness_sampled"] is False
    assert abs(sum(v["pagerank"] for v in c["claims"].values()) - 1) < 1e-5
    assert centrality(P, max_work=10)["betweenness_sampled"] is True


def test_results_are_deterministic():
    a = json.dumps(run_analyses(tiny()), sort_keys=True)
    b = json.dumps(run_analyses(tiny()), sort_keys=True)
    assert a == b


# ---------------------------------------------------------------- the test corpora


def test_mini_grounded_matches_its_relations(mini):
    g = grounded(mini)
    assert lr(g["crashes-fell"]) == {"label": "in", "reason": "unattacked"}
    assert lr(g["sales-held"]) == {"label": "in", "reason": "unattacked"}
    assert lr(g["hurt-sales"]) == {"label": "out", "reason": "attacked by accepted claim sales-held"}
    assert lr(g["save-lives"]) == {"label": "in", "reason": "its only attacker, hurt-sales, is out"}
    assert g["cost-2m"]["label"] == g["cost-small"]["label"] == "undecided"
    # every out claim is attacked by an in claim, per the corpus's own relations
    corpus = load_corpus(MINI)
    for cid, v in g.items():
        attackers = [r.source for r in corpus.relations if r.type == "attacks" and r.target == cid]
        if v["label"] == "out":
            assert any(g[a]["label"] == "in" for a in attackers)
        if v["label"] == "in":
            assert all(g[a]["label"] == "out" for a in attackers)


def test_mini_other_analyses(mini):
    r = run_analyses(mini)
    assert r["preferred"]["extensions"] == [
        ["cost-2m", "crashes-fell", "sales-held", "save-lives"],
        ["cost-small", "crashes-fell", "sales-held", "save-lives"],
    ]
    assert r["unanswered"]["pro"] == ["crashes-fell", "sales-held"] and r["unanswered"]["con"] == []
    assert [c["id"] for c in r["corroboration"]["corroborated"]] == ["save-lives"]
    assert r["balance"]["topics"]["safety"]["claims"] == {"pro": 3, "con": 0, "neutral": 0}
    # base 0.3 (news), raised by two supports, but by evidence-bounded support at most to 1 - 0.7 ** 2 = 0.51
    assert r["strength"]["claims"]["save-lives"]["strength"] == 0.4008
    assert run_analyses(mini, ["strength"], preferences="none")["strength"]["claims"]["save-lives"]["strength"] == 0.625
    assert sorted(sum((c["claims"] for c in r["communities"]), [])) == sorted(mini.claims.nodes)


def test_schoolweek_undercut_and_corroboration(school):
    g = grounded(school)
    assert {c for c, v in g.items() if v["label"] == "out"} == {"keep-week", "scores-held"}
    assert g["scores-fell"]["reason"] == "its only attacker, scores-held (through relation held-vs-fell), is out"
    s = strength(school, preferences="none")["claims"]
    assert s["scores-fell"]["strength"] == pytest.approx(0.357143, abs=1e-6)
    assert s["keep-week"]["strength"] == pytest.approx(0.473214, abs=1e-6)
    corr = corroboration(school)
    assert corr["corroborated"] == [{"id": "scores-held", "stance": "pro", "sources": ["board-2024", "review-2023"]}]


def test_projection_from_rdf(school):
    P = school
    a = P.claims.nodes["saves-money"]
    assert (a["stance"], a["kind"], a["topics"], a["source"], a["speaker"]) == (
        "pro",
        "statistic",
        ["budget"],
        "board-2024",
        "lee-park",
    )
    assert P.relations["review-too-small"].target == "held-vs-fell"
    assert P.claims.edges["scores-held", "scores-fell", "held-vs-fell"]["rationale"].startswith("Scores that held")
    assert P.topics == {"budget": "Budget", "families": "Families", "learning": "Learning", "staffing": "Staffing"}
    assert P.sources.nodes[("source", "review-2023")]["design"] == "before-after"
    assert sorted(P.sources.neighbors(("source", "review-2023"))) == [("claim", "pilot-scores")]
    assert P.speakers.nodes[("speaker", "lee-park")]["name"] == "Lee Park"
    assert P.speakers.degree(("speaker", "dana-reyes")) == 2


def test_projection_of_a_reparsed_graph_gives_the_same_results():
    from rdflib import Graph

    from argmap.graph.rdf import ntriples

    g = build_graph(load_corpus(SCHOOL))
    again = Graph().parse(data=ntriples(g), format="nt")
    assert run_analyses(project(again)) == run_analyses(project(g))


def test_metrics_for_corpus(mini):
    m = metrics_for_corpus(load_corpus(MINI))
    assert set(m) == set(mini.claims.nodes)
    assert m["hurt-sales"]["grounded"] == "out"
    assert set(m["hurt-sales"]) == {
        "evidence_level",
        "evidence",
        "grounded",
        "grounded_reason",
        "not_defeated_by",
        "strength",
        "strength_converged",
        "pagerank",
        "betweenness",
        "community",
    }


# ---------------------------------------------------------------- RDF output


def test_analysis_triples_are_deterministic_and_typed(mini):
    from rdflib.namespace import XSD

    from argmap.graph.vocab import ARG

    base = "https://w3id.org/argmap/debate/mini/"
    t1 = list(analysis_triples(mini, base))
    t2 = list(analysis_triples(project(build_graph(load_corpus(MINI))), base))
    assert t1 == t2 and len(t1) == 6 * 7
    by = {(str(s).rsplit("/", 1)[-1], p): o for s, p, o in t1}
    assert by["hurt-sales", ARG.groundedLabel] == ARG.Out
    assert by["cost-2m", ARG.groundedLabel] == ARG.Undecided
    assert by["save-lives", ARG.strength].datatype == XSD.decimal
    assert str(by["save-lives", ARG.strength]) == "0.400800"
    assert by["save-lives", ARG.community].datatype == XSD.integer
    assert (
        by["save-lives", ARG.strengthConverged].datatype == XSD.boolean
        and by["save-lives", ARG.strengthConverged].toPython() is True
    )


def test_build_with_analysis_answers_sparql_for_accepted_con_claims(tmp_path):
    import pyoxigraph

    out = tmp_path / "school.ttl"
    res = CliRunner().invoke(main, ["build", "--corpus", str(SCHOOL), "--with-analysis", "--out", str(out)])
    assert res.exit_code == 0, res.output
    store = pyoxigraph.Store()
    store.load(out.read_bytes(), format=pyoxigraph.RdfFormat.TURTLE)
    query = """
        PREFIX arg: <https://w3id.org/argmap/ns#>
        PREFIX dcterms: <http://purl.org/dc/terms/>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        PREFIX schema: <https://schema.org/>
        SELECT ?id WHERE {
          ?c arg:stance arg:Con ; arg:groundedLabel arg:In ; dcterms:subject ?t ; schema:identifier ?id .
          ?t skos:notation "learning" .
        } ORDER BY ?id
    """
    rows = store.query(query)
    assert isinstance(rows, pyoxigraph.QuerySolutions)
    assert [row["id"].value for row in rows] == ["scores-fell", "small-review"]
    plain = CliRunner().invoke(main, ["build", "--corpus", str(SCHOOL), "--no-analysis"])
    assert "groundedLabel" not in plain.output and "groundedLabel" in out.read_text()


def test_build_with_analysis_conforms_to_the_shapes(tmp_path):
    from argmap.graph.validate import validate_graph

    corpus = load_corpus(SCHOOL)
    g = build_graph(corpus)
    g.addN((s, p, o, g) for s, p, o in analysis_triples(project(g), corpus.base))
    assert validate_graph(g).conforms


# ---------------------------------------------------------------- the CLI


def test_analyze_json_has_one_key_per_analysis():
    res = CliRunner().invoke(main, ["analyze", "--corpus", str(MINI), "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert list(data) == NAMES


def test_analyze_json_names_in_order_given():
    res = CliRunner().invoke(main, ["analyze", "--corpus", str(MINI), "--json", "grounded", "unanswered"])
    assert res.exit_code == 0
    data = json.loads(res.output)
    assert list(data) == ["grounded", "unanswered"]
    assert lr(data["grounded"]["hurt-sales"]) == {"label": "out", "reason": "attacked by accepted claim sales-held"}
    assert set(data["unanswered"]) == {"pro", "con", "by_topic"}


def test_analyze_json_output_regression():
    """The whole --json output on the mini corpus, against a golden file (ARGMAP_UPDATE_GOLDEN=1 rewrites it)."""
    res = CliRunner().invoke(main, ["analyze", "--corpus", str(MINI), "--json"])
    assert res.exit_code == 0
    if os.environ.get("ARGMAP_UPDATE_GOLDEN") == "1":
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(res.output, encoding="utf-8")
    assert json.loads(res.output) == json.loads(GOLDEN.read_text(encoding="utf-8"))


def test_analyze_unknown_name_is_a_usage_error():
    res = CliRunner().invoke(main, ["analyze", "--corpus", str(MINI), "grounded", "fame"])
    assert res.exit_code == 2
    assert "unknown analysis 'fame'" in res.output
    assert ", ".join(NAMES) in res.output


def test_analyze_tables():
    res = CliRunner().invoke(main, ["analyze", "--corpus", str(MINI), "grounded", "preferred"])
    assert res.exit_code == 0, res.output
    assert "Grounded labelling: 3 in, 1 out, 2 undecided" in res.output
    assert "attacked by accepted claim sales-held" in res.output
    assert "2 preferred extension(s)" in res.output
    assert "Most central" not in res.output


def test_analyze_config_file(tmp_path):
    cfg = tmp_path / "analysis.yaml"
    cfg.write_text("strength:\n  base: 0.2\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["analyze", "--corpus", str(MINI), "--json", "--config", str(cfg), "strength"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["strength"]["claims"]["crashes-fell"]["base"] == 0.2
    cfg.write_text("strength:\n  bse: 0.2\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["analyze", "--corpus", str(MINI), "--config", str(cfg)])
    assert res.exit_code == 2 and "unknown option 'bse' for analysis 'strength'" in res.output


def test_analyze_help_and_readme_name_every_analysis():
    res = CliRunner().invoke(main, ["analyze", "--help"])
    assert "Example: argmap analyze" in res.output
    root = Path(__file__).parent.parent
    for doc in ("README.md", "docs/analysis.md"):
        text = (root / doc).read_text(encoding="utf-8")
        for name in NAMES:
            assert name in res.output
            assert f"`{name}`" in text, (doc, name)
        assert "--with-analysis" in text


def test_projection_reads_other_stores_through_the_public_api():
    from rdflib import Dataset, URIRef

    from argmap.graph.projection import _memory_index

    g0 = build_graph(load_corpus(SCHOOL))
    ds = Dataset()
    g = ds.graph(URIRef("urn:test:debate"))
    for t in g0:
        g.add(t)
    ds.graph(URIRef("urn:test:other")).add((URIRef("urn:x"), URIRef("urn:p"), URIRef("urn:y")))
    assert _memory_index(g0) is not None and _memory_index(g) is None
    slow, fast = project(g), project(g0)
    assert sorted(slow.claims.nodes(data=True)) == sorted(fast.claims.nodes(data=True))
    assert sorted(slow.claims.edges(keys=True, data=True)) == sorted(fast.claims.edges(keys=True, data=True))
    assert (slow.relations, slow.topics, slow.source_info, slow.speaker_info) == (
        fast.relations,
        fast.topics,
        fast.source_info,
        fast.speaker_info,
    )


# ---------------------------------------------------------------- the OPC corpus, against its own relations


@pytest.fixture(scope="module")
def opc():
    corpus = load_corpus()
    return corpus, project(build_graph(corpus))


@pytest.mark.parametrize("preferences", ["none", "evidence"])
def test_opc_grounded_labels_follow_the_corpus_relations(opc, preferences):
    from argmap.sources.evidence import source_level

    corpus, P = opc
    g = grounded(P, preferences=preferences)
    assert set(g) == {c.id for c in corpus.claims}
    label = {c: v["label"] for c, v in g.items()}
    source = {s.id: s for s in corpus.sources}
    level: dict[str, int] = {}
    for c in corpus.claims:
        known = source_level(source[c.source].kind, source[c.source].design)
        assert known is not None, c.source  # every OPC source has a kind
        level[c.id] = known

    def defeat(r) -> bool:  # with preferences, an attack from a weaker claim is no defeat
        return preferences == "none" or level[r.source] >= level[r.target]

    cutters: dict[str, list[str]] = {}
    for r in corpus.relations:
        if r.type == "undercuts":
            cutters.setdefault(r.target, []).append(r.source)

    def inference(r) -> str:  # the attack r = (a attacks b) as ASPIC+ reads it, undercuts included
        cut = [label[u] for u in cutters.get(r.id, [])]
        if label[r.source] == "in" and all(c == "out" for c in cut):
            return "in"
        if label[r.source] == "out" or "in" in cut:
            return "out"
        return "undecided"

    for cid, lab in label.items():
        incoming = [inference(r) for r in corpus.relations if r.type == "attacks" and r.target == cid and defeat(r)]
        if lab == "in":
            assert all(x == "out" for x in incoming), cid
        elif lab == "out":
            assert "in" in incoming, cid
            assert g[cid]["reason"].startswith("attacked by accepted claim ")
        else:
            assert "in" not in incoming and "undecided" in incoming, cid
    assert any(v == "out" for v in label.values()) and any(v == "in" for v in label.values())


def test_opc_other_analyses_agree_with_the_corpus(opc):
    corpus, P = opc
    r = run_analyses(P)
    assert json.loads(json.dumps(r)) == r
    ground = set(r["preferred"]["grounded"])
    assert r["preferred"]["complete"]
    assert all(ground <= set(e) for e in r["preferred"]["extensions"])
    attacked = {x.target for x in corpus.relations if x.type == "attacks"}
    undercut_premises = {
        rel.source for u in corpus.relations if u.type == "undercuts" for rel in [corpus.relations_by_id[u.target]]
    }
    stance = {c.id: c.stance for c in corpus.claims}
    for side in ("pro", "con"):
        expected = sorted(c for c, s in stance.items() if s == side and c not in attacked | undercut_premises)
        assert r["unanswered"][side] == expected
    assert r["strength"]["converged"]
    assert all(0 <= v["strength"] <= 1 for v in r["strength"]["claims"].values())
    supported_only = {x.target for x in corpus.relations if x.type == "supports"} - attacked
    for cid in supported_only:
        assert r["strength"]["claims"][cid]["strength"] >= r["strength"]["claims"][cid]["base"]
    assert sorted(c for com in r["communities"] for c in com["claims"]) == sorted(stance)
    n_sources = {c.id: c.source for c in corpus.claims}
    for row in r["corroboration"]["corroborated"]:
        assert n_sources[row["id"]] in row["sources"] and len(row["sources"]) >= 2


# ---------------------------------------------------------------- unconnected


def test_unconnected_lists_claims_no_relation_touches_with_their_reasons():
    claims = {
        "a": {"stance": "pro", "source": "s1"},
        "b": {"stance": "con", "source": "s1"},
        "u": {"stance": "con", "source": "s2"},
        "ctx": {"source": "s2", "standalone": "background that nothing argues from"},
        "lost": {"source": "s1"},
        "marked": {"stance": "pro", "source": "s2", "standalone": "left over from an earlier edit"},
    }
    rels = [("a", "attacks", "b"), ("u", "undercuts", "a--attacks--b"), ("marked", "supports", "a")]
    r = unconnected(make_projection(claims, rels))
    assert r["claims"] == [
        {"id": "ctx", "stance": "neutral", "source": "s2", "reason": "background that nothing argues from"},
        {"id": "lost", "stance": "neutral", "source": "s1", "reason": None},
    ]
    assert r["unexplained"] == ["lost"]
    assert r["stale"] == ["marked"]  # an undercutter ("u") counts as related, like any relation's ends


def test_unconnected_reads_the_standalone_field_through_the_graph(tmp_path):
    import shutil

    shutil.copytree(MINI, tmp_path / "mini")
    claims = sorted((tmp_path / "mini" / "claims").glob("*.yaml"))[0]
    text = claims.read_text(encoding="utf-8")
    claims.write_text(text.rstrip("\n") + "\n  standalone: kept as context\n", encoding="utf-8")
    corpus = load_corpus(tmp_path / "mini")
    last = [c for c in corpus.claims if c.standalone]
    assert [c.standalone for c in last] == ["kept as context"]
    r = unconnected(project(build_graph(corpus)))
    assert r["stale"] == [last[0].id]  # the mini corpus relates every claim
    res = CliRunner().invoke(main, ["analyze", "--corpus", str(tmp_path / "mini"), "unconnected"])
    assert res.exit_code == 0, res.output
    assert "Claims related to nothing: 0, 0 without a reason" in res.output
    assert "Marked standalone, yet related" in res.output
