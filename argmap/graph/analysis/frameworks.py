"""Abstract argumentation frameworks in and out: the ICCMA file formats, and the Dung semantics on them.

Three formats, as the International Competition on Computational Models of Argumentation uses them:

- ``apx`` (ASPARTIX): one fact a line, ``arg(a).`` and ``att(a,b).``; ``%`` starts a comment.
- ``tgf`` (trivial graph format): one argument name a line, a line ``#``, then one attack ``a b`` a line.
- ``iccma`` (ICCMA 2023): a header ``p af N``, then one attack ``i j`` a line between arguments ``1..N``;
  ``#`` starts a comment line.

:func:`read_framework` reads any of them (told by ``format`` or recognised from the text) and raises
:class:`~argmap.errors.FrameworkError` at ``file:line:column`` on bad input. :func:`render_apx`,
:func:`render_tgf` and :func:`render_iccma` write a :class:`~argmap.graph.analysis.dung.Framework`;
:func:`solve` runs ``grounded``, ``complete``, ``preferred`` or ``stable`` on one, returning the same JSON
shapes as the debate analyses. Pure: text in, text or data out.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from argmap.errors import FrameworkError
from argmap.graph.analysis import dung

FORMATS = ("apx", "tgf", "iccma")
SEMANTICS = ("grounded", "complete", "preferred", "stable")
_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-]*")
_FACT = re.compile(r"\s*(arg|att)\s*\(")


def _text(data: bytes | str, name: str) -> str:
    if isinstance(data, str):
        return data
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        col = err.start - (data.rfind(b"\n", 0, err.start) + 1) + 1
        raise FrameworkError(name, line, col, "the file is not UTF-8 text") from err


def detect(text: str, name: str = "") -> str:
    """The format of a framework file: from its name's extension, else from its first meaningful line.

    >>> detect("p af 3\\n1 2\\n"), detect("arg(a).\\n"), detect("a\\nb\\n#\\na b\\n")
    ('iccma', 'apx', 'tgf')
    """
    lower = name.lower()
    for ext, fmt in ((".apx", "apx"), (".tgf", "tgf"), (".i23", "iccma"), (".af", "iccma")):
        if lower.endswith(ext):
            return fmt
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("%"):
            continue
        if line.startswith("p "):
            return "iccma"
        if _FACT.match(line):
            return "apx"
        if line.startswith("#") and line != "#":
            continue
        return "tgf"
    return "apx"


def read_framework(data: bytes | str, *, name: str = "<framework>", format: str | None = None) -> dung.Framework:
    """A framework read from ``data`` in ``format`` (``apx``, ``tgf`` or ``iccma``; recognised when None).

    Examples
    --------
    >>> fw = read_framework("arg(a).\\narg(b).\\natt(a,b).\\n")
    >>> fw.names, fw.attackers
    (['a', 'b'], [[], [0]])
    >>> read_framework("arg(a).\\natt(a,c).\\n", name="x.apx")
    Traceback (most recent call last):
    ...
    argmap.errors.FrameworkError: x.apx:2:7: attack names unknown argument 'c' (declare it with arg(c). first)
    """
    text = _text(data, name)
    fmt = format or detect(text, name)
    readers: dict[str, Callable[[str, str], tuple[list[str], list[tuple[int, int]]]]] = {
        "apx": _read_apx,
        "tgf": _read_tgf,
        "iccma": _read_iccma,
    }
    if fmt not in readers:
        raise FrameworkError(name, None, None, f"unknown framework format '{fmt}' (expected one of: {', '.join(FORMATS)})")
    names, attacks = readers[fmt](text, name)
    return dung.from_attacks(len(names), attacks, names=names)


def _read_apx(text: str, name: str) -> tuple[list[str], list[tuple[int, int]]]:
    index: dict[str, int] = {}
    attacks: list[tuple[int, int]] = []
    pattern = re.compile(r"\s*(arg|att)\s*\(\s*([^,()\s]+)\s*(?:,\s*([^,()\s]+)\s*)?\)\s*\.\s*")
    for ln, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("%", 1)[0]
        pos = 0
        while pos < len(line):
            if not line[pos:].strip():
                break
            m = pattern.match(line, pos)
            if m is None:
                col = pos + (len(line[pos:]) - len(line[pos:].lstrip())) + 1
                raise FrameworkError(
                    name, ln, col, f"expected arg(NAME). or att(NAME,NAME). here, not {line[col - 1 : col + 11]!r}"
                )
            kind, a, b = m.group(1), m.group(2), m.group(3)
            for term, start in ((a, m.start(2)), (b, m.start(3))):
                if term is not None and not _NAME.fullmatch(term):
                    raise FrameworkError(name, ln, start + 1, f"'{term}' is not an argument name (letters, digits, _ . -)")
            if kind == "arg":
                if b is not None:
                    raise FrameworkError(name, ln, m.start(3) + 1, "arg(...) takes one name")
                index.setdefault(a, len(index))
            else:
                if b is None:
                    raise FrameworkError(name, ln, m.end(2) + 1, "att(...) takes two names, attacker and target")
                for term, start in ((a, m.start(2)), (b, m.start(3))):
                    if term not in index:
                        raise FrameworkError(
                            name, ln, start + 1, f"attack names unknown argument '{term}' (declare it with arg({term}). first)"
                        )
                attacks.append((index[a], index[b]))
            pos = m.end()
    return list(index), attacks


def _read_tgf(text: str, name: str) -> tuple[list[str], list[tuple[int, int]]]:
    index: dict[str, int] = {}
    attacks: list[tuple[int, int]] = []
    in_edges = False
    for ln, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        col0 = len(raw) - len(raw.lstrip()) + 1
        if line == "#":
            if in_edges:
                raise FrameworkError(name, ln, col0, "a second '#' line (a TGF file has one, between arguments and attacks)")
            in_edges = True
            continue
        parts = line.split()
        if not in_edges:
            if not _NAME.fullmatch(parts[0]):
                raise FrameworkError(name, ln, col0, f"'{parts[0]}' is not an argument name (letters, digits, _ . -)")
            index.setdefault(parts[0], len(index))  # a label after the name is allowed by TGF and ignored
            continue
        if len(parts) != 2:
            raise FrameworkError(name, ln, col0, f"expected an attack 'ATTACKER TARGET', not {line!r}")
        for m in re.finditer(r"\S+", raw):
            if m.group() not in index:
                raise FrameworkError(name, ln, m.start() + 1, f"attack names unknown argument '{m.group()}' (list it before '#')")
        attacks.append((index[parts[0]], index[parts[1]]))
    return list(index), attacks  # arguments and no '#': a framework without attacks


def _read_iccma(text: str, name: str) -> tuple[list[str], list[tuple[int, int]]]:
    n: int | None = None
    attacks: list[tuple[int, int]] = []
    for ln, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        col0 = len(raw) - len(raw.lstrip()) + 1
        parts = line.split()
        if n is None:
            if len(parts) != 3 or parts[0] != "p" or parts[1] != "af" or not parts[2].isdigit():
                raise FrameworkError(name, ln, col0, f"expected the header 'p af N' first, not {line!r}")
            n = int(parts[2])
            continue
        if parts[0] == "p":
            raise FrameworkError(name, ln, col0, "a second 'p af N' header")
        if len(parts) != 2:
            raise FrameworkError(name, ln, col0, f"expected an attack 'I J' (two argument numbers), not {line!r}")
        pos = col0 - 1
        pair = []
        for term in parts:
            pos = raw.index(term, pos)
            if not term.isdigit() or not 1 <= int(term) <= n:
                raise FrameworkError(name, ln, pos + 1, f"'{term}' is not an argument number from 1 to {n}")
            pair.append(int(term) - 1)
            pos += len(term)
        attacks.append((pair[0], pair[1]))
    if n is None:
        raise FrameworkError(name, 1, 1, "no 'p af N' header: the file is empty")
    return [str(i + 1) for i in range(n)], attacks


# ---------------------------------------------------------------- writers


def _pairs(fw: dung.Framework) -> list[tuple[int, int]]:
    return sorted((a, b) for b, srcs in enumerate(fw.attackers) for a in srcs)


def _check_names(fw: dung.Framework) -> None:
    for n in fw.names:
        if not _NAME.fullmatch(n):
            from argmap.errors import ExportError

            raise ExportError(f"argument name {n!r} cannot be written in apx or tgf (letters, digits, _ . - only)")


def render_apx(fw: dung.Framework) -> str:
    """The framework as ASPARTIX ``apx`` facts, arguments in order, attacks sorted.

    >>> print(render_apx(dung.from_attacks(2, [(0, 1)], names=["a", "b"])), end="")
    arg(a).
    arg(b).
    att(a,b).
    """
    _check_names(fw)
    lines = [f"arg({n})." for n in fw.names]
    lines += [f"att({fw.names[a]},{fw.names[b]})." for a, b in _pairs(fw)]
    return "\n".join(lines) + "\n"


def render_tgf(fw: dung.Framework) -> str:
    """The framework in trivial graph format.

    >>> print(render_tgf(dung.from_attacks(2, [(0, 1)], names=["a", "b"])), end="")
    a
    b
    #
    a b
    """
    _check_names(fw)
    lines = [*fw.names, "#", *(f"{fw.names[a]} {fw.names[b]}" for a, b in _pairs(fw))]
    return "\n".join(lines) + "\n"


def render_iccma(fw: dung.Framework, *, comments: bool = True) -> str:
    """The framework in the ICCMA 2023 format; with ``comments`` a ``#`` line names each argument number.

    >>> print(render_iccma(dung.from_attacks(2, [(0, 1)], names=["a", "b"])), end="")
    p af 2
    # 1 a
    # 2 b
    1 2
    """
    lines = [f"p af {len(fw.names)}"]
    if comments:
        lines += [f"# {i + 1} {n}" for i, n in enumerate(fw.names)]
    lines += [f"{a + 1} {b + 1}" for a, b in _pairs(fw)]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- semantics on a framework


def _extensions_record(fw: dung.Framework, labels: list[int], exts, *, complete: bool, message, method) -> dict[str, Any]:
    res = dung.PreferredResult(list(exts), complete, message, [], method)
    from argmap.graph.analysis.analyses import preferred_record

    out = preferred_record(fw, labels, res)
    cyclic = dung._cyclic(fw, [i for i, lab in enumerate(labels) if lab == dung.UNDEC])
    seen: set[int] = set()
    cycles = []
    for v, others in sorted(cyclic.items()):
        if v not in seen:
            comp = sorted([v, *others])
            seen.update(comp)
            cycles.append(sorted(fw.names[i] for i in comp))
    out["cycles"] = sorted(cycles)
    return out


def solve(fw: dung.Framework, semantics: str, *, max_extensions: int = 256, max_conflicts: int = 1_000_000) -> Any:
    """``semantics`` on ``fw``: ``grounded`` as :func:`~argmap.graph.analysis.analyses.grounded` shapes it
    (``{arg: {"label", "reason", "evidence_level": None, "not_defeated_by": []}}``), the others as
    :func:`~argmap.graph.analysis.analyses.preferred` does (``{"complete", "message", "method", "count",
    "extensions", "skeptical", "credulous", "grounded", "cycles"}``).

    Examples
    --------
    >>> fw = read_framework("p af 3\\n1 2\\n2 1\\n2 3\\n")
    >>> solve(fw, "preferred")["extensions"], solve(fw, "stable")["count"], solve(fw, "complete")["count"]
    ([['1', '3'], ['2']], 2, 3)
    >>> solve(fw, "grounded")["3"]["label"]
    'undecided'
    """
    if semantics not in SEMANTICS:
        from argmap.errors import AnalysisError

        raise AnalysisError(f"unknown semantics '{semantics}' (expected one of: {', '.join(SEMANTICS)})")
    labels = dung.grounded_labels(fw)
    if semantics == "grounded":
        reasons = dung.grounded_reasons(fw, labels)
        return {
            fw.names[i]: {
                "label": dung.LABEL_NAMES[labels[i]],
                "reason": reasons[i],
                "evidence_level": None,
                "not_defeated_by": [],
            }
            for i in range(len(fw.names))
        }
    if semantics == "preferred":
        r = dung.preferred_extensions(fw, labels, max_extensions=max_extensions, max_conflicts=max_conflicts)
        from argmap.graph.analysis.analyses import preferred_record

        return preferred_record(fw, labels, r)
    from argmap.graph.analysis import sat

    fn = sat.complete if semantics == "complete" else sat.stable
    if not sat.available():
        return _extensions_record(fw, labels, [], complete=False, message="python-sat is not installed", method=None)
    try:
        exts = fn(len(fw.names), fw.attackers, max_extensions=max_extensions, max_conflicts=max_conflicts)
    except sat.SatCut as cut:
        return _extensions_record(fw, labels, [], complete=False, message=cut.message, method=None)
    return _extensions_record(fw, labels, exts, complete=True, message=None, method="sat")
