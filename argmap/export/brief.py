"""The printable debate brief: the handout an educator gives a class, as one HTML file or as Markdown.

For each topic, the case for and the case against side by side (and the context), each claim with its
exact quote and its source as a numbered citation, and which claims support or challenge it; then the
objections that nothing in the selection answers, a table of the statistics with their periods, places
and sources, and the list of sources (with study design, place and period for evidence).

Both renderers read one plain model (:func:`brief_model`); every piece of corpus text goes through one
escaping helper per syntax (:func:`html.escape`, :func:`md_text`), and links are only written for
``http``/``https`` addresses. The HTML has no script and forbids any with a Content-Security-Policy.
"""

from __future__ import annotations

import html
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from argmap.export.common import GROUNDED_WORDS, STANCE_STYLES, Metrics, fmt_number
from argmap.sources.model import STANCE_WORDS as MODEL_STANCE_WORDS
from argmap.sources.model import Claim, Corpus, Figure, Source

SIDES = (("pro", "The case for"), ("con", "The case against"))
ANALYSIS_NOTE = (
    "Analysis: in the grounded semantics of argumentation (Dung 1995), a claim is standing when every claim "
    "attacking it is defeated, defeated when a standing claim attacks it, and undecided otherwise. Strength "
    "is a score from 0 to 1 that weighs a claim's supporters against its attackers (DF-QuAD, Rago et al. 2016). "
    "The evidence level (1 to 8) comes from the source's study design or kind; an attack defeats a claim only "
    "when the attacker's evidence is at least as strong (an opinion piece does not defeat a study). "
    "All are computed on the whole debate."
)
# the one stance vocabulary (argmap.sources.model), in the brief's sentence case: For, Against, Context
STANCE_WORDS = {s: w.capitalize() for s, w in MODEL_STANCE_WORDS.items()}
# How much the "at a glance" part shows, so that it prints on one or two A4 pages.
GLANCE_STRONGEST = 4
GLANCE_UNANSWERED = 6
GLANCE_FIGURES = 5


# ---------------------------------------------------------------- the model


@dataclass
class ClaimView:
    claim: Claim
    speaker: str
    source: Source
    cite: int
    supported_by: list[Claim] = field(default_factory=list)
    attacked_by: list[Claim] = field(default_factory=list)
    supports: list[Claim] = field(default_factory=list)
    attacks: list[Claim] = field(default_factory=list)
    metrics: dict[str, Any] | None = None
    first_topic: str | None = None  # label of the topic it is given in full under, when not this one


@dataclass
class TopicSection:
    id: str
    label: str
    definition: str
    claims: dict[str, list[ClaimView]]  # stance -> claims


@dataclass
class StatRow:
    figure: Figure
    claim: Claim
    period: str | None
    place: str | None
    source: Source
    cite: int


@dataclass
class Glance:
    """The first part of the brief, "at a glance": what a class reads before the detail."""

    strongest: dict[str, list[ClaimView]]  # "pro"/"con" -> the strongest claims of the side, strongest first
    unanswered: list[ClaimView]  # objections nothing answers, strongest first (at most GLANCE_UNANSWERED)
    more_unanswered: int  # how many more the detail lists
    figures: list[StatRow]  # key figures, from the strongest claims first


@dataclass
class Brief:
    title: str
    motion: str
    description: str | None
    topics: list[TopicSection]
    unanswered: dict[str, list[ClaimView]]  # "con" -> objections no claim attacks; "pro" likewise
    statistics: list[StatRow]
    sources: list[tuple[int, Source]]
    n_claims: int
    n_relations: int
    has_metrics: bool
    glance: Glance | None = None
    whole_debate_lists: bool = False  # the unanswered lists are argmap analyze's (whole debate), not the selection's


def _speaker(corpus: Corpus, claim: Claim) -> str:
    sp = corpus.speakers_by_id[claim.speaker]
    return f"{sp.name}, {sp.role}" if sp.role else sp.name


def _ids(value: Any) -> list[str]:
    """Claim ids from an analysis list (ids, or objects with an ``id``)."""
    out = []
    for item in value or []:
        out.append(item if isinstance(item, str) else item.get("id") if isinstance(item, dict) else None)
    return [i for i in out if i]


def _strengths(analyses: dict[str, Any] | None, metrics: Metrics | None) -> dict[str, float]:
    """Each claim's strength: from ``argmap analyze strength`` when given, else from the metrics."""
    claims = ((analyses or {}).get("strength") or {}).get("claims") or {}
    out = {cid: float(v["strength"]) for cid, v in claims.items() if isinstance(v, dict) and v.get("strength") is not None}
    for cid, m in (metrics or {}).items():
        if cid not in out and m.get("strength") is not None:
            out[cid] = float(m["strength"])
    return out


def brief_model(
    corpus: Corpus,
    *,
    metrics: Metrics | None = None,
    title: str | None = None,
    topics: tuple[str, ...] = (),
    analyses: dict[str, Any] | None = None,
) -> Brief:
    """What the brief says, before any markup.

    ``topics`` (the selected ones) come first; every claim is given once, under the first of its topics
    that was selected, else its own first topic. ``analyses`` are the results of ``argmap analyze`` on
    the whole debate (``run_analyses``: unanswered, strength, ...): when given, the unanswered objections
    are that list (those in this selection), and the strongest claims are ranked by its strength.

    Sources are numbered in the order they are first cited (claims in topic order, then by id).

    Examples
    --------
    >>> from argmap.sources import load_corpus
    >>> b = brief_model(load_corpus("tests/data/mini"))
    >>> [t.id for t in b.topics], [v.claim.id for v in b.unanswered["con"]]
    (['safety', 'business', 'cost'], [])
    >>> [(n, s.id) for n, s in b.sources]
    [(1, 'study-2023'), (2, 'gazette-2024')]
    """
    claims = {c.id: c for c in corpus.claims}
    chosen = [t for t in topics if t in corpus.topics_by_id]
    by_topic: dict[str, list[Claim]] = defaultdict(list)
    for c in sorted(corpus.claims, key=lambda c: c.id):
        home = next((t for t in c.topics if t in chosen), c.topics[0] if c.topics else None)
        if home is not None:
            by_topic[home].append(c)
    rank = {t: i for i, t in enumerate(chosen)}
    shown = sorted((t for t in corpus.topics if t.id in by_topic), key=lambda t: rank.get(t.id, len(rank)))

    # number the sources in order of first citation
    cite: dict[str, int] = {}
    for t in shown:
        for c in by_topic[t.id]:
            cite.setdefault(c.source, len(cite) + 1)
    for c in sorted(corpus.claims, key=lambda c: c.id):
        cite.setdefault(c.source, len(cite) + 1)

    incoming: dict[str, dict[str, list[Claim]]] = defaultdict(lambda: defaultdict(list))
    outgoing: dict[str, dict[str, list[Claim]]] = defaultdict(lambda: defaultdict(list))
    for r in sorted(corpus.relations, key=lambda r: r.id):
        if r.type == "undercuts" or r.source not in claims or r.target not in claims:
            continue
        incoming[r.target][r.type].append(claims[r.source])
        outgoing[r.source][r.type].append(claims[r.target])

    def view(c: Claim) -> ClaimView:
        return ClaimView(
            claim=c,
            speaker=_speaker(corpus, c),
            source=corpus.sources_by_id[c.source],
            cite=cite[c.source],
            supported_by=incoming[c.id]["supports"],
            attacked_by=incoming[c.id]["attacks"],
            supports=outgoing[c.id]["supports"],
            attacks=outgoing[c.id]["attacks"],
            metrics=(metrics or {}).get(c.id),
        )

    sections = []
    given_under: dict[str, str] = {}  # claim id -> label of the topic it is given in full under
    for t in shown:
        groups: dict[str, list[ClaimView]] = {s: [] for s in ("pro", "con", "neutral")}
        for c in by_topic[t.id]:
            v = view(c)
            if c.id in given_under:
                v.first_topic = given_under[c.id]
            else:
                given_under[c.id] = t.label
            groups[c.stance].append(v)
        sections.append(TopicSection(t.id, t.label, t.definition, groups))

    ordered = sorted(corpus.claims, key=lambda c: c.id)
    listed = (analyses or {}).get("unanswered")
    if isinstance(listed, dict) and "con" in listed:
        # argmap analyze's lists (of the whole debate), restricted to this selection
        unanswered = {side: [view(claims[i]) for i in sorted(_ids(listed.get(side))) if i in claims] for side in ("con", "pro")}
    else:
        unanswered = {
            side: [view(c) for c in ordered if c.stance == side and not incoming[c.id]["attacks"]] for side in ("con", "pro")
        }
    stats = []
    for c in ordered:
        src = corpus.sources_by_id[c.source]
        for f in c.figures:
            stats.append(StatRow(f, c, f.period or src.period, f.place or src.place, src, cite[c.source]))
    sources = sorted(((n, corpus.sources_by_id[sid]) for sid, n in cite.items()), key=lambda p: p[0])

    # at a glance: the strongest claims of each side (strength, then how many claims back them), the
    # objections nothing answers, and the figures of the strongest claims
    power = _strengths(analyses, metrics)

    def key(c: Claim) -> tuple:
        return (-power.get(c.id, 0.0), -len(incoming[c.id]["supports"]), len(incoming[c.id]["attacks"]), c.id)

    def varied(side: str) -> list[ClaimView]:
        # the strongest, one per source first (a class hears several voices), then the rest in order
        ranked = sorted((c for c in corpus.claims if c.stance == side), key=key)
        firsts, seen = [], set()
        for c in ranked:
            if c.source not in seen:
                seen.add(c.source)
                firsts.append(c)
        picked = (firsts + [c for c in ranked if c not in firsts])[:GLANCE_STRONGEST]
        return [view(c) for c in sorted(picked, key=key)]

    strongest = {side: varied(side) for side in ("pro", "con")}
    open_con = sorted(unanswered["con"], key=lambda v: key(v.claim))
    by_claim: dict[str, list[StatRow]] = defaultdict(list)
    for row in stats:
        by_claim[row.claim.id].append(row)
    figures: list[StatRow] = []
    for c in sorted(corpus.claims, key=key):
        for row in by_claim[c.id][:1]:
            if figure_phrase(row.figure) not in {figure_phrase(f.figure) for f in figures}:
                figures.append(row)
    figures = figures[:GLANCE_FIGURES]
    glance = Glance(strongest, open_con[:GLANCE_UNANSWERED], max(0, len(open_con) - GLANCE_UNANSWERED), figures)
    return Brief(
        title=title or corpus.debate.title,
        motion=corpus.debate.motion,
        description=corpus.debate.description,
        topics=sections,
        unanswered=unanswered,
        statistics=stats,
        sources=sources,
        n_claims=len(corpus.claims),
        n_relations=len(corpus.relations),
        has_metrics=bool(metrics),
        glance=glance,
        whole_debate_lists=isinstance(listed, dict) and "con" in listed,
    )


def figure_phrase(f: Figure) -> str:
    """A figure as words: qualifier, number, unit.

    >>> figure_phrase(Figure(value=2000000, unit="US dollars", qualifier="about"))
    'about 2,000,000 US dollars'
    """
    return " ".join(p for p in (f.qualifier, fmt_number(f.value), f.unit) if p)


def safe_url(url: str | None) -> str | None:
    """``url`` when it is an http(s) address, with quotes, angle brackets, spaces and non-ASCII
    characters percent-encoded; None for any other scheme (no ``javascript:`` or ``data:`` links).

    >>> safe_url('https://example.org/a?q="x"'), safe_url("javascript:alert(1)")
    ('https://example.org/a?q=%22x%22', None)
    """
    from urllib.parse import quote

    if url and re.match(r"^https?://[^/\s]", url.strip(), flags=re.IGNORECASE):
        return quote(url.strip(), safe=":/?#[]@!$&()*+,;=%~-._")
    return None


def source_details(src: Source) -> list[tuple[str, str]]:
    """The labelled facts of a source for the sources list, in a fixed order."""
    rows = []
    if src.kind:
        rows.append(("kind", src.kind))
    if src.design:
        rows.append(("study design", src.design))
    if src.place:
        rows.append(("place", src.place))
    if src.period:
        rows.append(("period", src.period))
    if src.excerpt:
        rows.append(("note", "only quoted passages are held, not the whole document"))
    return rows


def _analysis_words(m: dict[str, Any] | None) -> str | None:
    if not m:
        return None
    parts = []
    if m.get("grounded") is not None:
        label = f"{GROUNDED_WORDS.get(m['grounded'], m['grounded'])} in the grounded semantics"
        if m.get("grounded_reason"):
            label += f" — {m['grounded_reason']}"
        parts.append(label)
    if m.get("evidence_level") is not None:
        parts.append(f"evidence level {m['evidence_level']} of 8 ({m.get('evidence') or 'source kind'})")
    if m.get("strength") is not None:
        unsettled = " (did not settle: in a cycle whose strengths kept moving)" if m.get("strength_converged") is False else ""
        parts.append(f"strength {float(m['strength']):.2f}{unsettled}")
    return "; ".join(parts) or None


# ---------------------------------------------------------------- HTML


CSS = """
:root { --pro: #0072B2; --con: #D55E00; --neutral: #000000; }
* { box-sizing: border-box; }
body { font: 11pt/1.45 Georgia, "Times New Roman", serif; color: #111; max-width: 62rem; margin: 0 auto; padding: 1.5rem; }
h1 { font-size: 1.7rem; margin: 0 0 .3rem; }
h2 { font-size: 1.3rem; margin: 2rem 0 .3rem; border-bottom: 1px solid #999; break-after: avoid; }
h3 { font-size: 1rem; margin: .4rem 0; text-transform: uppercase; letter-spacing: .05em; break-after: avoid; }
.motion { font-size: 1.1rem; }
.meta, .definition, .cite, .rel, .analysis { color: #333; }
.definition { font-style: italic; margin: 0 0 .6rem; }
.case { display: grid; grid-template-columns: 1fr 1fr; gap: 1.2rem; }
.side { padding-left: .7rem; }
.side.pro { border-left: 4px solid var(--pro); }
.side.con { border-left: 4px dashed var(--con); }
.side.neutral { border-left: 4px dotted var(--neutral); margin-top: 1rem; }
.side.pro h3 { color: var(--pro); } .side.con h3 { color: var(--con); }
.claim { break-inside: avoid; margin: 0 0 .9rem; }
.claim .text { font-weight: bold; margin: 0; }
.claim.ref .text { font-weight: normal; }
.claim .id { font: .75rem/1 ui-monospace, monospace; color: #555; }
blockquote { margin: .3rem 0 .2rem .8rem; font-style: italic; }
.cite, .rel, .analysis { font-size: .85rem; margin: .1rem 0; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; }
th, td { border: 1px solid #999; padding: .25rem .4rem; text-align: left; vertical-align: top; }
th { background: #eee; }
ol.sources li { margin-bottom: .4rem; break-inside: avoid; }
.legend { font-size: .85rem; border: 1px solid #999; padding: .4rem .6rem; margin: 1rem 0; }
.legend span { padding: 0 .4rem; margin-right: .6rem; }
.legend .pro { border-left: 4px solid var(--pro); } .legend .con { border-left: 4px dashed var(--con); }
.legend .neutral { border-left: 4px dotted var(--neutral); }
.glance ol, .glance ul { margin: .2rem 0 .6rem; padding-left: 1.3rem; }
.glance li { margin-bottom: .3rem; break-inside: avoid; }
.glance .text { font-weight: bold; }
.glance .cite { font-size: .85rem; }
.glance table.figures th { width: 11rem; background: none; }
header.detail { margin-top: 2rem; }
@media (max-width: 40rem) { .case { grid-template-columns: 1fr; } }
@media print {
  @page { size: A4; margin: 15mm 13mm; }
  body { max-width: none; padding: 0; font-size: 10pt; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  a { color: inherit; text-decoration: none; }
  ol.sources a[href^="http"]::after { content: " <" attr(href) ">"; font-size: .8em; word-break: break-all; }
  h2 { break-before: auto; }
  .glance { break-after: page; font-size: 9.5pt; line-height: 1.35; }
  .glance li { margin-bottom: .2rem; }
  .glance h2 { margin-top: .6rem; }
}
""".strip()


def _e(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _claim_ref_html(c: Claim) -> str:
    return f'<a href="#claim-{_e(c.id)}">{_e(STANCE_WORDS[c.stance])}: {_e(c.text)}</a>'


def _claim_html(v: ClaimView, anchored: set[str]) -> list[str]:
    c = v.claim
    if v.first_topic is not None and c.id in anchored:
        # given in full under an earlier topic: a reference only
        return [
            f'<div class="claim ref {_e(c.stance)}"><p class="text">{_claim_ref_html(c)} '
            f'<span class="meta">(in full under {_e(v.first_topic)})</span></p></div>'
        ]
    anchor = f' id="claim-{_e(c.id)}"' if c.id not in anchored else ""
    anchored.add(c.id)
    out = [f'<div class="claim {_e(c.stance)}"{anchor}>']
    out.append(f'<p class="text">{_e(c.text)} <span class="id">[{_e(c.id)}]</span></p>')
    quote = c.located.exact if c.located else c.quote
    out.append(f"<blockquote>“{_e(quote)}”</blockquote>")
    date = f", {_e(v.source.date)}" if v.source.date else ""
    out.append(
        f'<p class="cite">— {_e(v.speaker)} · <cite>{_e(v.source.title)}</cite>{date} '
        f'<a href="#source-{v.cite}">[{v.cite}]</a></p>'
    )
    for label, items in (("Supported by", v.supported_by), ("Challenged by", v.attacked_by)):
        if items:
            refs = "; ".join(_claim_ref_html(x) for x in items)
            out.append(f'<p class="rel">{label}: {refs}</p>')
    words = _analysis_words(v.metrics)
    if words:
        out.append(f'<p class="analysis">Analysis: {_e(words)}</p>')
    out.append("</div>")
    return out


def render_brief_html(
    corpus: Corpus,
    *,
    metrics: Metrics | None = None,
    title: str | None = None,
    topics: tuple[str, ...] = (),
    analyses: dict[str, Any] | None = None,
    summary: bool = False,
) -> str:
    """The brief as one self-contained HTML page with a print stylesheet: first "at a glance" (the
    motion, the strongest claims of each side with their sources, the unanswered objections, the key
    figures; one or two A4 pages), then the detail topic by topic. ``summary`` writes the first part alone.
    ``title``, ``topics`` and ``analyses`` are as in :func:`brief_model`.

    Examples
    --------
    >>> from argmap.sources import load_corpus
    >>> page = render_brief_html(load_corpus("tests/data/mini"))
    >>> page.startswith("<!DOCTYPE html>"), "<script" in page, 'id="claim-save-lives"' in page
    (True, False, True)
    """
    b = brief_model(corpus, metrics=metrics, title=title, topics=topics, analyses=analyses)
    out = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="argmap">',
        f"<title>{_e(b.title)} — debate brief</title>",
        f"<style>\n{CSS}\n</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{_e(b.title)}</h1>",
        f'<p class="motion"><strong>Motion:</strong> {_e(b.motion)}</p>',
        f'<p class="meta">{b.n_claims} claims, {b.n_relations} relations, {len(b.sources)} sources.</p>',
        "</header>",
    ]
    out.extend(_glance_html(b, summary=summary))
    if summary:
        out += ["</body>", "</html>"]
        return "\n".join(out) + "\n"
    out.append('<header class="detail">')
    out.append("<h2>The debate in detail</h2>")
    if b.description:
        out.append(f"<p>{_e(b.description)}</p>")
    out.append('<p class="meta">Every claim is followed by the exact words it rests on and a numbered citation.</p>')
    if b.has_metrics:
        out.append(f'<p class="meta">{_e(ANALYSIS_NOTE)}</p>')
    legend = " ".join(f'<span class="{s}">{_e(STANCE_WORDS[s])} ({_e(st.border)} line)</span>' for s, st in STANCE_STYLES.items())
    out.append(f'<div class="legend"><strong>Key:</strong> {legend}</div>')
    out.append("</header>")

    anchored: set[str] = set()
    out.append("<main>")
    for t in b.topics:
        out.append(f'<section class="topic" id="topic-{_e(t.id)}">')
        out.append(f"<h2>{_e(t.label)}</h2>")
        out.append(f'<p class="definition">{_e(t.definition)}</p>')
        out.append('<div class="case">')
        for side, heading in SIDES:
            out.append(f'<div class="side {side}">')
            out.append(f"<h3>{_e(heading)}</h3>")
            if not t.claims[side]:
                out.append('<p class="meta">No claims in this selection.</p>')
            for v in t.claims[side]:
                out.extend(_claim_html(v, anchored))
            out.append("</div>")
        out.append("</div>")
        if t.claims["neutral"]:
            out.append('<div class="side neutral">')
            out.append("<h3>Context</h3>")
            for v in t.claims["neutral"]:
                out.extend(_claim_html(v, anchored))
            out.append("</div>")
        out.append("</section>")

    out.append('<section id="unanswered">')
    out.append("<h2>Unanswered objections</h2>")
    out.append(f'<p class="definition">{_e(_unanswered_note(b))}</p>')
    out.extend(_unanswered_html(b.unanswered["con"]))
    out.append("<h3>Unchallenged points in favour</h3>")
    out.extend(_unanswered_html(b.unanswered["pro"]))
    out.append("</section>")

    out.append('<section id="statistics">')
    out.append("<h2>Statistics</h2>")
    if b.statistics:
        out.append("<table>")
        out.append("<thead><tr><th>Figure</th><th>Claim</th><th>Period</th><th>Place</th><th>Source</th></tr></thead>")
        out.append("<tbody>")
        for s in b.statistics:
            out.append(
                f"<tr><td>{_e(figure_phrase(s.figure))}</td><td>{_claim_ref_html(s.claim)}</td>"
                f"<td>{_e(s.period or '—')}</td><td>{_e(s.place or '—')}</td>"
                f'<td><a href="#source-{s.cite}">[{s.cite}]</a> {_e(s.source.title)}</td></tr>'
            )
        out.append("</tbody>")
        out.append("</table>")
    else:
        out.append('<p class="meta">No statistics in this selection.</p>')
    out.append("</section>")

    out.append('<section id="sources">')
    out.append("<h2>Sources</h2>")
    out.append('<ol class="sources">')
    for n, src in b.sources:
        out.append(f'<li id="source-{n}" value="{n}">{_source_html(src)}</li>')
    out.append("</ol>")
    out.append("</section>")
    out.append("</main>")
    out.append("</body>")
    out.append("</html>")
    return "\n".join(out) + "\n"


def _unanswered_note(b: Brief) -> str:
    if b.whole_debate_lists:
        return "Claims against the motion that nothing in the whole debate challenges (as argmap analyze unanswered lists them)."
    return "Claims against the motion that no claim in this selection challenges."


def _source_words(v: ClaimView) -> str:
    date = f", {v.source.date}" if v.source.date else ""
    return f"{v.speaker} · {v.source.title}{date}"


def _glance_html(b: Brief, *, summary: bool) -> list[str]:
    g = b.glance
    assert g is not None
    out = ['<section id="at-a-glance" class="glance">', "<h2>At a glance</h2>", '<div class="case">']
    for side, heading in (("pro", "Strongest points for"), ("con", "Strongest points against")):
        out.append(f'<div class="side {side}"><h3>{heading}</h3>')
        if not g.strongest[side]:
            out.append('<p class="meta">None in this selection.</p>')
        else:
            out.append("<ol>")
            for v in g.strongest[side]:
                out.append(
                    f'<li><span class="text">{_e(v.claim.text)}</span> <span class="cite">— {_e(_source_words(v))}</span></li>'
                )
            out.append("</ol>")
        out.append("</div>")
    out.append("</div>")
    out.append("<h3>Unanswered objections</h3>")
    if not g.unanswered:
        out.append('<p class="meta">None: every objection in this selection is answered.</p>')
    else:
        out.append('<ul class="open">')
        for v in g.unanswered:
            out.append(f'<li>{_e(v.claim.text)} <span class="cite">— {_e(_source_words(v))}</span></li>')
        out.append("</ul>")
        if g.more_unanswered:
            where = "the full brief lists them" if summary else "listed under Unanswered objections below"
            out.append(f'<p class="meta">and {g.more_unanswered} more ({where}).</p>')
    out.append("<h3>Key figures</h3>")
    if not g.figures:
        out.append('<p class="meta">No figures in this selection.</p>')
    else:
        out.append('<table class="figures"><tbody>')
        for s in g.figures:
            where = ", ".join(p for p in (s.period, s.place) if p)
            out.append(
                f"<tr><th>{_e(figure_phrase(s.figure))}</th><td>{_e(s.claim.short_title)}"
                f'{" (" + _e(where) + ")" if where else ""} <span class="cite">— {_e(s.source.title)}</span></td></tr>'
            )
        out.append("</tbody></table>")
    out.append("</section>")
    return out


def _unanswered_html(views: list[ClaimView]) -> list[str]:
    if not views:
        return ['<p class="meta">None: every one is challenged.</p>']
    out = ["<ul>"]
    for v in views:
        out.append(f'<li>{_claim_ref_html(v.claim)} — {_e(v.speaker)} <a href="#source-{v.cite}">[{v.cite}]</a></li>')
    out.append("</ul>")
    return out


def _source_html(src: Source) -> str:
    parts = []
    if src.citation:
        parts.append(_e(src.citation))
    else:
        if src.authors:
            parts.append(_e(", ".join(src.authors)) + ".")
        parts.append(f"<cite>{_e(src.title)}</cite>.")
        pub = ", ".join(p for p in (src.publisher, src.date) if p)
        if pub:
            parts.append(_e(pub) + ".")
    details = "; ".join(f"{_e(k)}: {_e(v)}" for k, v in source_details(src))
    if details:
        parts.append(f'<span class="meta">({details})</span>')
    if src.doi:
        doi_url = safe_url(f"https://doi.org/{src.doi.strip()}")
        parts.append(f'DOI <a href="{_e(doi_url)}">{_e(src.doi)}</a>' if doi_url else f"DOI {_e(src.doi)}")
    url = safe_url(src.url)
    if url:
        parts.append(f'<a href="{_e(url)}">{_e(url)}</a>')
    elif src.url:
        parts.append(_e(src.url))
    return " ".join(parts)


# ---------------------------------------------------------------- Markdown

_MD_ESCAPE = {ch: "\\" + ch for ch in "\\`*_[]|#~$"}
_MD_ESCAPE.update({"<": "&lt;", ">": "&gt;", "&": "&amp;"})


def md_text(text: str) -> str:
    r"""``text`` as inline Markdown that shows exactly ``text``: whitespace collapsed, Markdown's
    emphasis, link, table, heading, strikethrough and math characters backslash-escaped and ``<``,
    ``>``, ``&`` written as entities, so no raw HTML passes through.

    >>> md_text("<b>*x*</b> | $2 & [y](z)")
    '&lt;b&gt;\\*x\\*&lt;/b&gt; \\| \\$2 &amp; \\[y\\](z)'
    """
    return "".join(_MD_ESCAPE.get(ch, ch) for ch in " ".join(text.split()))


def md_url(url: str) -> str:
    """An http(s) address as a Markdown link destination (``<…>`` form, with ``<``, ``>`` and spaces
    percent-encoded)."""
    return "<" + url.replace(" ", "%20").replace("<", "%3C").replace(">", "%3E") + ">"


def _claim_md(v: ClaimView) -> list[str]:
    c = v.claim
    if v.first_topic is not None:
        return [f"- {md_text(c.text)} `[{c.id}]` (in full under {md_text(v.first_topic)})"]
    quote = c.located.exact if c.located else c.quote
    date = f", {md_text(v.source.date)}" if v.source.date else ""
    out = [
        f"- **{md_text(c.text)}** `[{c.id}]`",
        f"  > “{md_text(quote)}”",
        "  >",
        f"  > — {md_text(v.speaker)} · *{md_text(v.source.title)}*{date} \\[{v.cite}\\]",
    ]
    for label, items in (("Supported by", v.supported_by), ("Challenged by", v.attacked_by)):
        if items:
            refs = "; ".join(f"`{x.id}` ({STANCE_WORDS[x.stance].lower()})" for x in items)
            out.append(f"  - {label}: {refs}")
    words = _analysis_words(v.metrics)
    if words:
        out.append(f"  - Analysis: {md_text(words)}")
    return out


def render_brief_markdown(
    corpus: Corpus,
    *,
    metrics: Metrics | None = None,
    title: str | None = None,
    topics: tuple[str, ...] = (),
    analyses: dict[str, Any] | None = None,
    summary: bool = False,
) -> str:
    """The brief as Markdown (CommonMark with GitHub tables): "at a glance" first, then the detail
    (``summary``: the first part alone), as :func:`render_brief_html`.

    Examples
    --------
    >>> from argmap.sources import load_corpus
    >>> text = render_brief_markdown(load_corpus("tests/data/mini"))
    >>> text.splitlines()[0]
    '# Town bike lanes — debate brief'
    """
    b = brief_model(corpus, metrics=metrics, title=title, topics=topics, analyses=analyses)
    out = [f"# {md_text(b.title)} — debate brief", "", f"**Motion:** {md_text(b.motion)}", ""]
    out += [f"{b.n_claims} claims, {b.n_relations} relations, {len(b.sources)} sources.", ""]
    out += _glance_md(b, summary=summary)
    if summary:
        return "\n".join(out).rstrip("\n") + "\n"
    out += ["## The debate in detail", ""]
    if b.description:
        out += [md_text(b.description), ""]
    out += [
        "Every claim is followed by the exact words it rests on and a numbered citation; `[id]` is the claim's id.",
        "",
    ]
    if b.has_metrics:
        out += [md_text(ANALYSIS_NOTE), ""]
    for t in b.topics:
        out += [f"## {md_text(t.label)}", "", f"*{md_text(t.definition)}*", ""]
        for side, heading in (*SIDES, ("neutral", STANCE_WORDS["neutral"])):
            if side == "neutral" and not t.claims[side]:
                continue
            out += [f"### {heading}", ""]
            if not t.claims[side]:
                out.append("No claims in this selection.")
            for v in t.claims[side]:
                out += _claim_md(v)
            out.append("")
    out += ["## Unanswered objections", "", md_text(_unanswered_note(b)), ""]
    out += _unanswered_md(b.unanswered["con"])
    out += ["### Unchallenged points in favour", ""]
    out += _unanswered_md(b.unanswered["pro"])
    out += ["## Statistics", ""]
    if b.statistics:
        out += ["| Figure | Claim | Period | Place | Source |", "| --- | --- | --- | --- | --- |"]
        for s in b.statistics:
            out.append(
                f"| {md_text(figure_phrase(s.figure))} | {md_text(s.claim.text)} `[{s.claim.id}]` | "
                f"{md_text(s.period or '—')} | {md_text(s.place or '—')} | \\[{s.cite}\\] {md_text(s.source.title)} |"
            )
        out.append("")
    else:
        out += ["No statistics in this selection.", ""]
    out += ["## Sources", ""]
    for n, src in b.sources:
        out.append(f"{n}. {_source_md(src)}")
    return "\n".join(out).rstrip("\n") + "\n"


def _glance_md(b: Brief, *, summary: bool) -> list[str]:
    g = b.glance
    assert g is not None
    out = ["## At a glance", ""]
    for side, heading in (("pro", "Strongest points for"), ("con", "Strongest points against")):
        out += [f"### {heading}", ""]
        if not g.strongest[side]:
            out += ["None in this selection.", ""]
            continue
        out += [f"{n}. **{md_text(v.claim.text)}** — {md_text(_source_words(v))}" for n, v in enumerate(g.strongest[side], 1)]
        out.append("")
    out += ["### Unanswered objections", ""]
    if not g.unanswered:
        out += ["None: every objection in this selection is answered.", ""]
    else:
        out += [f"- {md_text(v.claim.text)} — {md_text(_source_words(v))}" for v in g.unanswered]
        out.append("")
        if g.more_unanswered:
            where = "the full brief lists them" if summary else "listed under Unanswered objections below"
            out += [f"and {g.more_unanswered} more ({where}).", ""]
    out += ["### Key figures", ""]
    if not g.figures:
        out += ["No figures in this selection.", ""]
    for s in g.figures:
        where = ", ".join(p for p in (s.period, s.place) if p)
        out.append(
            f"- **{md_text(figure_phrase(s.figure))}**: {md_text(s.claim.short_title)}"
            f"{' (' + md_text(where) + ')' if where else ''} — {md_text(s.source.title)}"
        )
    out.append("")
    return out


def _unanswered_md(views: list[ClaimView]) -> list[str]:
    if not views:
        return ["None: every one is challenged.", ""]
    return [f"- {md_text(v.claim.text)} `[{v.claim.id}]` — {md_text(v.speaker)} \\[{v.cite}\\]" for v in views] + [""]


def _source_md(src: Source) -> str:
    parts = []
    if src.citation:
        parts.append(md_text(src.citation))
    else:
        if src.authors:
            parts.append(md_text(", ".join(src.authors)) + ".")
        parts.append(f"*{md_text(src.title)}*.")
        pub = ", ".join(p for p in (src.publisher, src.date) if p)
        if pub:
            parts.append(md_text(pub) + ".")
    details = "; ".join(f"{k}: {md_text(v)}" for k, v in source_details(src))
    if details:
        parts.append(f"({details})")
    if src.doi:
        doi_url = safe_url(f"https://doi.org/{src.doi.strip()}")
        parts.append(f"DOI [{md_text(src.doi)}]({md_url(doi_url)})" if doi_url else f"DOI {md_text(src.doi)}")
    url = safe_url(src.url)
    if url:
        parts.append(f"[{md_text(url)}]({md_url(url)})")
    elif src.url:
        parts.append(md_text(src.url))
    return " ".join(parts)
