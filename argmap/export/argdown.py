"""The debate in Argdown (argdown.org), the plain-text syntax for argument maps.

Each claim is a statement titled by its id, defined once under a heading for its first topic, with its
topics and its stance as tags; the claims that support or attack it are listed under it (``+ [id]``,
``- [id]``). A relation that is undercut becomes an argument ``<relation-id>`` (its rationale as the
description) standing between the two claims, so the undercutting claim can attack its inference
(``<_ [id]``), which is how Argdown draws undercuts.

All corpus text passes through :func:`argdown_text`, so it is read back exactly as written.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict

from argmap.export.common import STANCE_STYLES, Metrics, analysis_line, sorted_relations, undercut_targets
from argmap.sources.model import Corpus

# Characters that can open an Argdown token anywhere in a line: comments (// /* <!--), data ({ }),
# front matter (===), references and mentions ([ ] < > @), tags (#), bold and italics (* _), escapes (\).
_ALWAYS = set("\\/<>{}[]#*_@=")
# '.' and ':' open a shortcode (".x." or ":x:") only when a non-space follows.
_BEFORE_NONSPACE = set(".:")


def argdown_text(text: str) -> str:
    r"""``text`` as Argdown statement text that reads back as exactly ``text`` (whitespace collapsed).

    Every character that could start an Argdown token is escaped with a backslash.

    >>> argdown_text("e.g. <b>#1</b> costs $2.5m: *much*")
    'e\\.g. \\<b\\>\\#1\\<\\/b\\> costs $2\\.5m: \\*much\\*'
    """
    text = " ".join(text.split())
    out = []
    for i, ch in enumerate(text):
        nxt = text[i + 1] if i + 1 < len(text) else " "
        if ch in _ALWAYS or (ch in _BEFORE_NONSPACE and not nxt.isspace()):
            out.append("\\" + ch)
        else:
            out.append(ch)
    return "".join(out)


def _yaml_str(text: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is valid YAML), with '=' escaped so no run of
    '===' can close the front matter."""
    return json.dumps(" ".join(text.split()), ensure_ascii=False).replace("=", "\\u003d")


_TAG = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


def _tag(name: str) -> str:
    """An Argdown tag for an id (ids are slugs; anything else is bracketed and escaped)."""
    return f"#{name}" if _TAG.match(name) else f"#({argdown_text(name).replace(')', '')})"


def render_argdown(corpus: Corpus, *, metrics: Metrics | None = None) -> str:
    """The debate as Argdown text.

    Examples
    --------
    >>> from argmap.sources import load_corpus
    >>> text = render_argdown(load_corpus("tests/data/mini"))
    >>> print(text[text.index("[save-lives]"):].split("\\n\\n")[0])
    [save-lives]: Protected lanes would prevent deaths on Main Street. #pro #safety
      + [crashes-fell]
      - [hurt-sales]
    """
    d = corpus.debate
    lines = ["===", f"title: {_yaml_str(d.title)}", f"subTitle: {_yaml_str(d.motion)}", "color:", "  tagColors:"]
    for stance, st in STANCE_STYLES.items():
        lines.append(f'    {stance}: "{st.colour}"')
    lines += ["===", ""]

    undercut = undercut_targets(corpus)
    incoming: dict[str, list[str]] = defaultdict(list)  # claim id -> relation lines under it
    arguments: list[list[str]] = []
    for r in sorted_relations(corpus):
        if r.type == "undercuts":
            continue  # written under the argument it undercuts
        sign = "+" if r.type == "supports" else "-"
        if r.id in undercut:
            block = [f"<{r.id}>: {argdown_text(r.rationale)}", f"  + [{r.source}]", f"  {sign}> [{r.target}]"]
            for u in sorted_relations(corpus):
                if u.type == "undercuts" and u.target == r.id:
                    block.append(f"  <_ [{u.source}]")
            arguments.append(block)
        else:
            incoming[r.target].append(f"  {sign} [{r.source}]")

    by_topic: dict[str, list] = defaultdict(list)
    for c in corpus.claims:
        by_topic[c.topics[0] if c.topics else ""].append(c)
    topic_order = [t.id for t in corpus.topics if t.id in by_topic] + ([""] if "" in by_topic else [])
    for tid in topic_order:
        label = corpus.topics_by_id[tid].label if tid else "Other claims"
        lines += [f"# {argdown_text(label)}", ""]
        for c in sorted(by_topic[tid], key=lambda c: c.id):
            tags = " ".join(_tag(t) for t in (c.stance, *c.topics))
            extra = analysis_line((metrics or {}).get(c.id))
            note = f" ({argdown_text(extra)})" if extra else ""
            lines.append(f"[{c.id}]: {argdown_text(c.text)}{note} {tags}")
            lines.extend(incoming.get(c.id, []))
            lines.append("")
    if arguments:
        lines += ["# Relations that are undercut", ""]
        for block in arguments:
            lines.extend(block)
            lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"
