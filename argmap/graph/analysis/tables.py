"""Rich tables a person can read, one set per analysis result. Pure: returns renderables; the CLI prints them."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from argmap.sources.model import STANCES

if TYPE_CHECKING:
    from argmap.graph.projection import Projection

LABEL_STYLE = {"in": "green", "out": "red", "undecided": "yellow"}
TEXT_WIDTH = 60


def _text(P: Projection, cid: str) -> str:
    text = P.claims.nodes[cid].get("text") or ""
    return text if len(text) <= TEXT_WIDTH else text[: TEXT_WIDTH - 1] + "…"


def _table(title: str, *columns: str, **kwargs: Any):
    from rich.table import Table

    table = Table(title=title, title_justify="left", **kwargs)
    for col in columns:
        if col == "claim":
            table.add_column(col, overflow="fold", ratio=1)
        elif col in ("why", "text", "claims", "attackers", "sources"):
            table.add_column(col, overflow="fold", ratio=2, min_width=20)
        else:
            table.add_column(col, overflow="fold")
    return table


def _ids(ids: list[str], *, limit: int = 8) -> str:
    more = len(ids) - limit
    return ", ".join(ids[:limit]) + (f" and {more} more" if more > 0 else "")


def _centrality(result: dict, P: Projection) -> list:
    note = " (betweenness estimated from a sample)" if result["betweenness_sampled"] else ""
    t = _table(f"Most central claims per side{note}", "side", "#", "claim", "text", "PageRank", "betweenness")
    claims = result["claims"]
    for side, ids in result["top"].items():
        for n, cid in enumerate(ids, start=1):
            m = claims[cid]
            t.add_row(side, str(n), cid, _text(P, cid), f"{m['pagerank']:.4f}", f"{m['betweenness']:.4f}")
    return [t]


def _contested(result: list, P: Projection) -> list:
    t = _table("Most contested claims", "claim", "stance", "attacks in/out", "undercuts in/out", "attackers")
    for r in result:
        t.add_row(
            r["id"],
            r["stance"],
            f"{r['attacks_in']}/{r['attacks_out']}",
            f"{r['undercuts_in']}/{r['undercuts_out']}",
            _ids(r["attackers"]),
        )
    return [t]


def _unanswered(result: dict, P: Projection) -> list:
    t = _table("Claims nothing attacks (for con: objections nobody answers)", "side", "claim", "text")
    for side in ("con", "pro"):
        for cid in result[side]:
            t.add_row(side, cid, _text(P, cid))
    by = _table("Unanswered claims per topic", "topic", "pro", "con")
    for topic, sides in result["by_topic"].items():
        by.add_row(topic, _ids(sides["pro"]), _ids(sides["con"]))
    return [t, by]


def _balance(result: dict, P: Projection) -> list:
    t = _table(
        "Balance per topic: claims (and sources) on each side",
        "topic",
        "label",
        "pro",
        "con",
        "neutral",
    )

    def cell(b: dict, side: str) -> str:
        return f"{b['claims'][side]} ({b['sources'][side]})"

    for topic, b in result["topics"].items():
        t.add_row(topic, b["label"], *(cell(b, s) for s in STANCES))
    o = result["overall"]
    t.add_row("all", "", *(cell(o, s) for s in STANCES), style="bold")
    return [t]


def _corroboration(result: dict, P: Projection) -> list:
    t = _table("Claims backed by more than one source", "claim", "stance", "sources")
    for r in result["corroborated"]:
        t.add_row(r["id"], r["stance"], ", ".join(r["sources"]))
    bare = set(result["bare"])
    b = _table("Claims resting on one source alone (nothing supports them)", "claim", "stance", "source", "text")
    for r in result["single_source"]:
        if r["id"] in bare:
            b.add_row(r["id"], r["stance"], r["source"] or "", _text(P, r["id"]))
    return [t, b]


def _grounded(result: dict, P: Projection) -> list:
    from collections import Counter

    counts = Counter(v["label"] for v in result.values())
    title = "Grounded labelling: " + ", ".join(f"{counts[k]} {k}" for k in ("in", "out", "undecided"))
    saved = sum(1 for v in result.values() if v.get("not_defeated_by"))
    if saved:
        title += f" ({saved} with attacks from weaker sources, which do not defeat)"
    t = _table(title, "claim", "side/lvl", "label", "why")  # lvl: evidence level
    for cid, v in result.items():
        label = v["label"]
        level = "" if v.get("evidence_level") is None else f"/{v['evidence_level']}"
        stance = P.claims.nodes[cid].get("stance") or ""
        t.add_row(cid, stance + level, f"[{LABEL_STYLE[label]}]{label}[/]", v["reason"])
    return [t]


def _evidence(result: dict, P: Projection) -> list:
    order = _table("Evidence levels (higher = stronger)", "level", "designs (research)", "source kinds")
    for row in result["order"]:
        order.add_row(str(row["level"]), ", ".join(row["designs"]), ", ".join(row["kinds"]))
    t = _table("Evidence level of each claim", "claim", "stance", "level", "from", "text")
    rows = sorted(result["claims"].items(), key=lambda kv: (-(kv[1]["level"] or 0), kv[0]))
    for cid, v in rows:
        level = "" if v["level"] is None else str(v["level"])
        stance = P.claims.nodes[cid].get("stance") or ""
        t.add_row(cid, stance, level, v["basis"] or "", _text(P, cid))
    return [order, t]


def _preferred(result: dict, P: Projection) -> list:
    from rich.text import Text

    out: list = []
    if not result["complete"]:
        out.append(Text(f"Preferred extensions not computed: {result['message']}", style="yellow"))
        return out
    base = set(result["grounded"])
    t = _table(
        f"{result['count']} preferred extension(s); each adds to the {len(base)} grounded claims",
        "#",
        "claims beyond the grounded extension",
    )
    for n, ext in enumerate(result["extensions"], start=1):
        t.add_row(str(n), _ids([c for c in ext if c not in base], limit=20) or "(none)")
    out.append(t)
    s = _table("Acceptance", "", "claims")
    s.add_row("sceptical (in every extension)", _ids(result["skeptical"], limit=20))
    s.add_row("credulous (in some extension)", _ids(result["credulous"], limit=20))
    s.add_row("undecided attack cycles", "; ".join(_ids(c) for c in result["cycles"]) or "(none)")
    out.append(s)
    return out


def _strength(result: dict, P: Projection) -> list:
    conv = "converged" if result["converged"] else f"NOT converged after {result['rounds']} rounds"
    note = f"; {result['cyclic_components']} cycle(s) iterated, {conv}" if result["cyclic_components"] else ""
    bounded = ", support bounded by evidence" if result.get("support") == "bounded" else ""
    t = _table(f"Strength, {result['semantics']}{bounded}{note}", "claim", "stance", "base", "strength", "text")
    rows = sorted(result["claims"].items(), key=lambda kv: (-kv[1]["strength"], kv[0]))
    for cid, v in rows:
        value = f"{v['strength']:.3f}" + ("" if v.get("converged", True) else " (not settled)")
        t.add_row(cid, P.claims.nodes[cid].get("stance") or "", f"{v['base']:.3f}", value, _text(P, cid))
    return [t]


def _communities(result: list, P: Projection) -> list:
    t = _table("Communities of claims", "#", "size", "topics", "pro/con/neutral", "claims")
    for c in result:
        s = c["stances"]
        t.add_row(str(c["id"]), str(c["size"]), c["label"], f"{s['pro']}/{s['con']}/{s['neutral']}", _ids(c["claims"]))
    return [t]


def _unconnected(result: dict, P: Projection) -> list:
    n, bare = len(result["claims"]), len(result["unexplained"])
    t = _table(f"Claims related to nothing: {n}, {bare} without a reason", "claim", "stance", "source", "why")
    for r in result["claims"]:
        t.add_row(r["id"], r["stance"], r["source"] or "", r["reason"] or "[yellow](no reason given)[/]")
    out = [t]
    if result["stale"]:
        s = _table("Marked standalone, yet related", "claim", "text")
        for cid in result["stale"]:
            s.add_row(cid, _text(P, cid))
        out.append(s)
    return out


TABLES: dict[str, Callable[[Any, Projection], list]] = {
    "centrality": _centrality,
    "contested": _contested,
    "unanswered": _unanswered,
    "balance": _balance,
    "corroboration": _corroboration,
    "evidence": _evidence,
    "grounded": _grounded,
    "preferred": _preferred,
    "strength": _strength,
    "communities": _communities,
    "unconnected": _unconnected,
}


def tables(name: str, result: Any, P: Projection) -> list:
    """The rich renderables that show analysis ``name``'s result.

    Examples
    --------
    >>> from argmap.graph.analysis import run_analyses
    >>> from argmap.graph.analysis.analyses import tiny
    >>> P = tiny()
    >>> [t.title for t in tables("grounded", run_analyses(P, ["grounded"])["grounded"], P)]
    ['Grounded labelling: 4 in, 1 out, 2 undecided']
    """
    return TABLES[name](result, P)


def framework_tables(name: str, result: Any) -> list:
    """The rich renderables for semantics ``name`` of ``argmap analyze --framework`` (no debate behind it).

    Examples
    --------
    >>> from argmap.graph.analysis.frameworks import read_framework, solve
    >>> fw = read_framework("p af 2\\n1 2\\n")
    >>> [t.title for t in framework_tables("grounded", solve(fw, "grounded"))]
    ['Grounded labelling: 1 in, 1 out, 0 undecided']
    """
    from collections import Counter

    from rich.text import Text

    if name == "grounded":
        counts = Counter(v["label"] for v in result.values())
        title = "Grounded labelling: " + ", ".join(f"{counts[k]} {k}" for k in ("in", "out", "undecided"))
        t = _table(title, "argument", "label", "why")
        for arg, v in result.items():
            t.add_row(arg, f"[{LABEL_STYLE[v['label']]}]{v['label']}[/]", v["reason"])
        return [t]
    if not result["complete"]:
        return [Text(f"{name.capitalize()} extensions not computed: {result['message']}", style="yellow")]
    t = _table(f"{result['count']} {name} extension(s)", "#", "arguments", min_width=40)
    for n, ext in enumerate(result["extensions"], start=1):
        t.add_row(str(n), _ids(ext, limit=30) or "(empty)")
    s = _table("Acceptance", "", "arguments")
    s.add_row("sceptical (in every extension)", _ids(result["skeptical"] or [], limit=30))
    s.add_row("credulous (in some extension)", _ids(result["credulous"] or [], limit=30))
    return [t, s]
