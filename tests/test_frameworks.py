"""Abstract frameworks in and out (ICCMA apx, tgf, p af N), the SAT route against brute force, and
`argmap analyze --framework`."""

from __future__ import annotations

import json
from itertools import combinations
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from argmap.cli import main
from argmap.errors import FrameworkError
from argmap.graph.analysis import dung, sat
from argmap.graph.analysis.frameworks import detect, read_framework, render_apx, render_iccma, render_tgf, solve

MINI = Path(__file__).parent / "data" / "mini"


# ---------------------------------------------------------------- reading


def test_the_three_formats_read_to_the_same_framework():
    apx = "% a comment\narg(a). arg(b).\narg(c).\natt(a,b).\natt( b , c ).\n"
    tgf = "a\nb label ignored\nc\n#\na b\nb c\n"
    i23 = "p af 3\n# 1 is a\n1 2\n2 3\n"
    fa, ft, fi = read_framework(apx), read_framework(tgf), read_framework(i23)
    assert fa.names == ft.names == ["a", "b", "c"] and fi.names == ["1", "2", "3"]
    assert fa.attackers == ft.attackers == fi.attackers == [[], [0], [1]]
    assert [detect(t) for t in (apx, tgf, i23)] == ["apx", "tgf", "iccma"]
    assert detect("", "x.tgf") == "tgf" and detect("", "x.af") == "iccma"


@pytest.mark.parametrize(
    "name, text, where, message",
    [
        ("x.apx", "arg(a).\natt(a,b).\n", "x.apx:2:7", "attack names unknown argument 'b'"),
        ("x.apx", "arg(a).\n  arg(b)\n", "x.apx:2:3", "expected arg(NAME). or att(NAME,NAME). here"),
        ("x.apx", "arg(a).\natt(a).\n", "x.apx:2:6", "att(...) takes two names"),
        ("x.apx", "arg(a,b).\n", "x.apx:1:7", "arg(...) takes one name"),
        ("x.tgf", "a\nb\n#\na c\n", "x.tgf:4:3", "attack names unknown argument 'c'"),
        ("x.tgf", "a\n#\na\n", "x.tgf:3:1", "expected an attack 'ATTACKER TARGET'"),
        ("x.tgf", "a\n#\n#\n", "x.tgf:3:1", "a second '#' line"),
        ("x.af", "1 2\n", "x.af:1:1", "expected the header 'p af N' first"),
        ("x.af", "p af 2\n1  3\n", "x.af:2:4", "'3' is not an argument number from 1 to 2"),
        ("x.af", "p af 2\n1 2 2\n", "x.af:2:1", "expected an attack 'I J'"),
        ("x.af", "# only a comment\n", "x.af:1:1", "no 'p af N' header"),
    ],
)
def test_bad_framework_files_name_line_and_column(name, text, where, message):
    with pytest.raises(FrameworkError) as err:
        read_framework(text, name=name)
    assert str(err.value).startswith(f"{where}: ") and message in str(err.value)


def test_not_utf8_is_located():
    with pytest.raises(FrameworkError, match=r"x.apx:2:5: the file is not UTF-8 text"):
        read_framework(b"arg(a).\natt(\xff,a).\n", name="x.apx")


# ---------------------------------------------------------------- writing and reading back


def test_writers_round_trip():
    fw = dung.from_attacks(4, [(0, 1), (1, 0), (2, 3), (3, 3)], names=["a", "b-1", "c.x", "d_2"])
    for text in (render_apx(fw), render_tgf(fw), render_iccma(fw)):
        back = read_framework(text)
        assert back.attackers == fw.attackers
    assert read_framework(render_apx(fw)).names == fw.names == read_framework(render_tgf(fw)).names


# ---------------------------------------------------------------- semantics, against brute force


def brute(n: int, attacks: list[tuple[int, int]]):
    att = {(a, b) for a, b in attacks}

    def hit(S):
        return {b for a, b in att if a in S}

    def cf(S):
        return not any((a, b) in att for a in S for b in S)

    def defended(S):
        h = hit(S)
        return {x for x in range(n) if all(a in h for a, b in att if b == x)}

    sets = [frozenset(c) for k in range(n + 1) for c in combinations(range(n), k)]
    adm = [S for S in sets if cf(S) and S <= defended(S)]
    comp = [S for S in adm if S == defended(S)]
    pref = [S for S in adm if not any(S < T for T in adm)]
    stab = [S for S in sets if cf(S) and hit(S) == set(range(n)) - S]
    return set(comp), set(pref), set(stab)


@st.composite
def small_frameworks(draw, max_n: int = 7):
    n = draw(st.integers(min_value=0, max_value=max_n))
    pairs = [(a, b) for a in range(n) for b in range(n)]
    attacks = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=3 * n)) if pairs else []
    return n, attacks


@settings(max_examples=200, deadline=None)
@given(small_frameworks())
def test_sat_semantics_equal_brute_force(spec):
    n, attacks = spec
    fw = dung.from_attacks(n, attacks)
    comp, pref, stab = brute(n, attacks)
    assert set(sat.complete(n, fw.attackers, max_extensions=10_000)) == comp
    assert set(sat.stable(n, fw.attackers, max_extensions=10_000)) == stab
    assert set(sat.preferred(range(n), fw.attackers, max_extensions=10_000)) == pref
    forced = dung.preferred_extensions(fw, max_component=1)  # the SAT route on the undecided part
    assert forced.complete and set(forced.extensions) == pref
    assert forced.method == ("sat" if any(len(c) > 1 for c in forced.cyclic) else forced.method)
    searched = dung.preferred_extensions(fw, sat=False)
    assert set(searched.extensions) == pref


def test_solve_shapes_match_the_debate_analyses():
    fw = read_framework("p af 4\n1 2\n2 1\n3 4\n4 3\n")
    p = solve(fw, "preferred")
    assert set(p) == {"complete", "message", "method", "count", "extensions", "skeptical", "credulous", "grounded", "cycles"}
    assert p["count"] == 4 and p["cycles"] == [["1", "2"], ["3", "4"]]
    assert solve(fw, "complete")["count"] == 9 and solve(fw, "stable")["count"] == 4
    g = solve(fw, "grounded")
    assert g["1"] == {
        "label": "undecided",
        "reason": "in an attack cycle with no accepted attacker (with 2)",
        "evidence_level": None,
        "not_defeated_by": [],
    }
    cut = solve(fw, "complete", max_extensions=3)
    assert not cut["complete"] and "more than 3 complete extensions" in cut["message"]


def test_a_large_cycle_is_answered_by_sat():
    n = 301
    fw = dung.from_attacks(n, [(i, (i + 1) % n) for i in range(n)] + [(i, (i + 7) % n) for i in range(0, n, 3)])
    r = dung.preferred_extensions(fw)
    assert r.complete and r.method == "sat"
    # every extension is admissible and maximal, checked directly
    for E in r.extensions:
        assert not any(a in E for b in E for a in fw.attackers[b])
        hit = {t for e in E for t in fw.targets[e]}
        assert all(set(fw.attackers[x]) <= hit for x in E)
        for y in set(range(n)) - E:
            bigger = E | {y}
            hit2 = {t for e in bigger for t in fw.targets[e]}
            conflict = any(a in bigger for b in bigger for a in fw.attackers[b])
            assert conflict or not all(set(fw.attackers[x]) <= hit2 for x in bigger)


# ---------------------------------------------------------------- the CLI


def test_analyze_framework_json_and_tables(tmp_path):
    f = tmp_path / "af.apx"
    f.write_text("arg(a).\narg(b).\narg(c).\natt(a,b).\natt(b,a).\natt(b,c).\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["analyze", "--framework", str(f), "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert list(data) == ["grounded", "complete", "preferred", "stable"]
    assert data["preferred"]["extensions"] == [["a", "c"], ["b"]]
    assert data["stable"]["extensions"] == [["a", "c"], ["b"]]
    res = CliRunner().invoke(main, ["analyze", "--framework", str(f), "preferred"])
    assert res.exit_code == 0 and "2 preferred extension(s)" in res.output
    res = CliRunner().invoke(main, ["analyze", "--framework", str(f), "semi-stable"])
    assert res.exit_code == 2 and "unknown semantics 'semi-stable'" in res.output


@pytest.mark.parametrize(
    "extra, named",
    [
        (["--corpus", str(MINI)], "--corpus"),
        (["--config", "CFG"], "--config"),
        (["--preferences", "none"], "--preferences"),
        (["--preferences", "evidence"], "--preferences"),  # the default, but given: still meaningless here
        (["--corpus", str(MINI), "--config", "CFG"], "--corpus, --config"),
    ],
)
def test_analyze_framework_refuses_debate_options(tmp_path, extra, named):
    """Regression: --corpus, --config and --preferences were silently ignored with --framework."""
    f = tmp_path / "af.apx"
    f.write_text("arg(a).\narg(b).\natt(a,b).\n", encoding="utf-8")
    cfg = tmp_path / "cfg.yaml"
    cfg.write_text("strength: {base: 0.5}\n", encoding="utf-8")
    extra = [str(cfg) if a == "CFG" else a for a in extra]
    res = CliRunner().invoke(main, ["analyze", "--framework", str(f), *extra, "grounded"])
    assert res.exit_code == 2, res.output
    assert f"--framework cannot be combined with {named}: an abstract framework has no corpus" in res.output
    assert "allowed with --framework: --json and the NAMEs grounded, complete, preferred, stable" in res.output
    assert "Traceback" not in res.output and "{" not in res.output


def test_analyze_framework_bad_file_is_a_clean_error(tmp_path):
    f = tmp_path / "af.tgf"
    f.write_text("a\n#\na zz\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["analyze", "--framework", str(f)])
    assert res.exit_code == 1
    assert f"{f}:3:3: attack names unknown argument 'zz'" in res.output
    assert "Traceback" not in res.output


@pytest.mark.parametrize("fmt", ["apx", "tgf", "iccma"])
def test_exported_debate_frameworks_read_back_to_plain_dung(fmt, tmp_path):
    out = tmp_path / f"mini.{fmt}"
    res = CliRunner().invoke(main, ["export", fmt, "--corpus", str(MINI), "--out", str(out)])
    assert res.exit_code == 0, res.output
    res = CliRunner().invoke(main, ["analyze", "--framework", str(out), "--json", "grounded", "preferred"])
    data = json.loads(res.output)
    plain = json.loads(
        CliRunner()
        .invoke(main, ["analyze", "--corpus", str(MINI), "--json", "--preferences", "none", "grounded", "preferred"])
        .output
    )
    if fmt == "iccma":  # numbers, named in the comments
        names = [line.split(" ", 2)[2] for line in out.read_text().splitlines() if line.startswith("# ")]
        data["grounded"] = {names[int(k) - 1]: v for k, v in data["grounded"].items()}
        data["preferred"]["extensions"] = sorted(sorted(names[int(x) - 1] for x in e) for e in data["preferred"]["extensions"])
    assert {k: v["label"] for k, v in data["grounded"].items()} == {k: v["label"] for k, v in plain["grounded"].items()}
    assert data["preferred"]["extensions"] == plain["preferred"]["extensions"]
