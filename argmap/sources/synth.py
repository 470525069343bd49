"""Synthetic debates: a corpus of any size, shaped like a real one, for tests and benchmarks.

``synth_corpus`` returns the files of a corpus folder (see docs/corpus-format.md) as a mapping from relative
path to content; it writes nothing (``argmap synth`` does). The debate is made up (a city ward by ward
deciding on supervised consumption sites) but has the shape of the OPC debate: a stance mix of about 40% pro,
30% con and 30% neutral claims, a SKOS topic scheme with broader topics, people with roles, organisations and
groups as speakers, sources of the usual kinds whose generated texts hold every claim's quote exactly once,
statistics with figures, and supports, attacks and undercuts that grow by replies, with attack cycles.

The same arguments give the same files, byte for byte.
"""

from __future__ import annotations

import json
import random
import re

# The motion and the topics of the made-up debate. Topics with a broader topic are not top concepts.
MOTION = "The city should open a supervised consumption site in every ward"
TOPICS: tuple[tuple[str, str, str, tuple[str, ...], str | None], ...] = (
    (
        "harm-reduction",
        "Harm reduction",
        "Reducing the harms of drug use for people who go on using drugs.",
        ("harm minimisation",),
        None,
    ),
    (
        "sites",
        "Supervised consumption sites",
        "The sites themselves: what they offer and how they are judged.",
        ("SCS", "safe consumption sites"),
        "harm-reduction",
    ),
    (
        "overdose-deaths",
        "Overdose deaths",
        "Deaths from overdose in the wards and whether the sites prevent them.",
        ("fatal overdoses",),
        None,
    ),
    (
        "treatment",
        "Treatment",
        "Whether the sites lead people into treatment for drug use.",
        ("referrals", "detox"),
        "harm-reduction",
    ),
    ("disease", "Disease transmission", "HIV, hepatitis C and infections from shared equipment.", ("HIV", "hepatitis C"), None),
    ("neighbourhood", "Neighbourhood impact", "What the sites change for the streets around them.", (), None),
    ("crime", "Crime", "Whether crime near the sites rises, falls or stays the same.", ("public safety",), "neighbourhood"),
    (
        "public-order",
        "Public order",
        "Public drug use, discarded needles and disorder near the sites.",
        ("disorder", "litter"),
        "neighbourhood",
    ),
    ("property", "Property values", "House prices and business near the sites.", ("house prices",), "neighbourhood"),
    ("costs", "Costs", "What the sites cost and what they save in health care.", ("public funds",), None),
    ("law", "Law", "Whether the sites are legal and what the courts have said.", ("legality",), None),
    ("evidence", "Quality of evidence", "How strong the studies of the sites are.", ("research quality",), None),
)
STANCE_MIX = (("pro", 0.42), ("con", 0.28), ("neutral", 0.30))
SOURCE_KINDS = (
    ("news", 14),
    ("study", 14),
    ("report", 5),
    ("op-ed", 4),
    ("press-release", 4),
    ("court-ruling", 3),
    ("letter", 3),
    ("advocacy", 3),
    ("blog", 2),
    ("legislation", 1),
    ("preprint", 1),
    ("other", 1),
)
STUDY_DESIGNS = (
    "difference-in-differences",
    "cohort",
    "interrupted-time-series",
    "before-after",
    "cross-sectional",
    "modelling",
    "review",
    "synthetic-control",
)
FIRST = (
    "Ada Alma Ben Cara Dev Eli Fay Gus Hana Ivo Jun Kai Lea Max Nia Oli Pia Rex Sam Tia Uma Vic Wen Yan Zoe Ari Bo Cy Dee Eve"
).split()
LAST = (
    "Abbott Baker Chen Diaz Evans Fischer Garcia Hughes Ito Jensen Khan Lopez Moreau Novak Okafor Patel Quinn "
    "Rossi Silva Tanaka Usman Varga Walsh Xu Yilmaz Zhou Brandt Costa Dubois Ekman Fonseca Gupta Haddad Ivanova "
    "Jovanovic Kowalski Larsen Mendes Nakamura Oduya"
).split()
ROLES = (
    ("Council member for Ward {w}", True),
    ("Public health researcher", False),
    ("Harm reduction outreach worker", False),
    ("Police captain, Ward {w} precinct", False),
    ("Resident of Ward {w}", False),
    ("Health reporter", False),
    ("Addiction physician", False),
    ("Business owner in Ward {w}", False),
    ("Pastor in Ward {w}", False),
    ("City budget analyst", False),
)
PARTIES = ("Civic Party", "People's Alliance", "Independent")
# Who publishes each kind of source (indexes into ORGS).
PUBLISHERS = {
    "news": (7, 8, 9),
    "op-ed": (7, 8),
    "study": (6,),
    "preprint": (6,),
    "report": (0, 1, 2, 6),
    "press-release": (0, 1, 2, 3),
    "court-ruling": (10,),
    "legislation": (11,),
    "letter": (4, 5),
    "advocacy": (3, 4),
    "blog": (3, 6),
    "other": tuple(range(12)),
}
ORGS = (
    "City Health Department",
    "Mayor's Office",
    "City Police Department",
    "Harm Reduction Coalition",
    "Ward Residents' Association",
    "Chamber of Commerce",
    "Institute for Drug Policy",
    "City Gazette",
    "Evening Courier",
    "Metro Public Radio",
    "State Court of Appeals",
    "City Council",
)
GROUPS = (
    ("supporters", "Supporters of the sites", "pro"),
    ("critics", "Critics of the sites", "con"),
    ("some-residents", "Some residents", "con"),
    ("researchers", "Researchers", "neutral"),
    ("outreach-workers", "Outreach workers", "pro"),
    ("business-owners", "Some business owners", "con"),
)

# Claim templates: (kind, topic, quote, text, unit of the figure or None). {w} is the claim's ward number, which
# makes every quote unique; {v} the figure's value; {y} a year.
CLAIMS: dict[str, tuple[tuple[str, ...], ...]] = {
    "pro": (
        (
            "statistic",
            "overdose-deaths",
            "In Ward {w} staff reversed {v} overdoses at the site in {y}, and no one died",
            "Site staff in Ward {w} reversed {v} overdoses in {y} with no deaths.",
            "overdoses reversed",
        ),
        (
            "statistic",
            "overdose-deaths",
            "Overdose deaths in Ward {w} fell by {v} percent in the year after the site opened",
            "Overdose deaths in Ward {w} fell {v}% in the site's first year.",
            "percent fewer overdose deaths",
        ),
        (
            "causal",
            "treatment",
            "The site in Ward {w} has brought people who were never in care into treatment",
            "The Ward {w} site brings people who had no care into treatment.",
        ),
        (
            "evaluative",
            "sites",
            "A site in Ward {w} is the humane answer to a crisis that is killing our neighbours",
            "A site in Ward {w} is a humane answer to the overdose crisis.",
        ),
        (
            "policy",
            "sites",
            "Ward {w} should have its own site before the next winter",
            "Ward {w} should open a site before next winter.",
        ),
        (
            "statistic",
            "public-order",
            "Needle litter in Ward {w} dropped by {v} percent once the site was open",
            "Discarded needles in Ward {w} fell {v}% after the site opened.",
            "percent less needle litter",
        ),
        (
            "statistic",
            "disease",
            "New hepatitis C cases among clients of the Ward {w} site fell by {v} percent in {y}",
            "Hepatitis C cases among the Ward {w} site's clients fell {v}% in {y}.",
            "percent fewer hepatitis C cases",
        ),
    ),
    "con": (
        (
            "statistic",
            "crime",
            "Police in Ward {w} logged {v} more drug arrests in {y} than the year before the site opened",
            "Drug arrests in Ward {w} rose by {v} in {y} after the site opened.",
            "more drug arrests",
        ),
        (
            "causal",
            "crime",
            "The site in Ward {w} draws dealers to the blocks around it",
            "The Ward {w} site draws drug dealing to the nearby blocks.",
        ),
        (
            "evaluative",
            "neighbourhood",
            "Residents of Ward {w} were never asked whether they wanted a site on their street",
            "Ward {w} residents were not consulted about the site.",
        ),
        (
            "policy",
            "costs",
            "The money for a site in Ward {w} would do more good spent on treatment beds",
            "Funds for a Ward {w} site should go to treatment beds instead.",
        ),
        (
            "statistic",
            "property",
            "House prices near the Ward {w} site lagged the city by {v} percent in {y}",
            "House prices near the Ward {w} site trailed the city by {v}% in {y}.",
            "percent lower house prices",
        ),
        (
            "factual",
            "law",
            "Federal law still forbids anyone to run a place like the one in Ward {w}",
            "Federal law forbids running a site like the one in Ward {w}.",
        ),
    ),
    "neutral": (
        (
            "statistic",
            "overdose-deaths",
            "Ward {w} recorded {v} overdose deaths in {y}",
            "There were {v} overdose deaths in Ward {w} in {y}.",
            "overdose deaths",
        ),
        (
            "factual",
            "harm-reduction",
            "The site in Ward {w} opened in {y} beside an existing syringe service",
            "The Ward {w} site opened in {y} next to a syringe service.",
        ),
        (
            "statistic",
            "sites",
            "About {v} people used the Ward {w} site in its first six months",
            "About {v} people used the Ward {w} site in its first six months.",
            "people served",
        ),
        (
            "factual",
            "law",
            "The council vote on the site in Ward {w} was delayed until {y}",
            "The council vote on a Ward {w} site was put off to {y}.",
        ),
        (
            "causal",
            "evidence",
            "Researchers could not separate the effect of the Ward {w} site from the citywide trend",
            "The Ward {w} site's effect cannot be told apart from the citywide trend.",
        ),
    ),
}
FILLER = (
    "The meeting ran late into the evening.",
    "Several speakers asked for more data before any decision.",
    "The figures were published on the city's open data portal.",
    "Officials said the review would continue next year.",
    "Questions from the audience were taken at the end.",
    "The report's appendix lists its methods and limits.",
    "Local shops reported a quiet season.",
    "A vote is expected after the summer recess.",
    "The authors thank the outreach teams for their help.",
    "Comparable programmes abroad have been running for two decades.",
)
RATIONALE = {
    "supports": "The {a} claim gives a reason to accept the {b} claim it answers.",
    "attacks": "The {a} claim contradicts the {b} claim it answers.",
    "undercuts": "The {a} claim questions whether the linked claim is a reason for its target at all.",
}
_PLAIN = re.compile(r"^[A-Za-z][A-Za-z0-9 ,.()'’%/-]*$")
_RESERVED = {"yes", "no", "true", "false", "null", "on", "off", "y", "n"}


def _scalar(value: str, *, flow: bool = False) -> str:
    """A YAML scalar for ``value``: plain when that is unambiguous, else JSON-quoted (valid YAML).

    >>> _scalar("Ward 12"), _scalar("yes"), _scalar("a: b"), _scalar("a, b", flow=True)
    ('Ward 12', '"yes"', '"a: b"', '"a, b"')
    """
    if _PLAIN.match(value) and value.lower() not in _RESERVED and not (flow and "," in value):
        return value
    return json.dumps(value, ensure_ascii=False)


def _flow(items: list[str]) -> str:
    return "[" + ", ".join(_scalar(i, flow=True) for i in items) + "]"


def _weighted(rng: random.Random, pairs: tuple[tuple[str, float], ...]) -> str:
    x = rng.random() * sum(w for _, w in pairs)
    for name, w in pairs:
        x -= w
        if x < 0:
            return name
    return pairs[-1][0]


def _stance_relation(a: str, b: str, rng: random.Random) -> str:
    """The relation a claim of stance ``a`` bears to a claim of stance ``b`` that it answers."""
    if a == b:
        return "supports"
    if "neutral" not in (a, b):
        return "attacks"
    return "attacks" if rng.random() < 0.2 else "supports"


def synth_corpus(claims: int, *, sources: int | None = None, seed: int = 0) -> dict[str, str]:
    """The files of a synthetic debate corpus with ``claims`` claims: relative path -> UTF-8 text.

    ``sources`` defaults to one source for every ten claims. Deterministic: the same arguments give the
    same files.

    Examples
    --------
    >>> files = synth_corpus(40, seed=1)
    >>> sorted(p for p in files if not p.startswith(("texts/", "claims/", "relations/")))
    ['debate.yaml', 'sources.yaml', 'speakers.yaml', 'topics.yaml']
    >>> sorted(p for p in files if p.startswith("relations/"))[:3]
    ['relations/costs.yaml', 'relations/crime.yaml', 'relations/disease.yaml']
    >>> synth_corpus(40, seed=1) == files
    True
    """
    if claims < 1:
        raise ValueError("a synthetic debate needs at least one claim")
    n_sources = max(1, (claims + 9) // 10) if sources is None else sources
    if n_sources < 1:
        raise ValueError("a synthetic debate needs at least one source")
    rng = random.Random(f"argmap-synth/{claims}/{n_sources}/{seed}")
    wid = len(str(claims))
    files: dict[str, str] = {}

    files["debate.yaml"] = (
        f"# A synthetic debate made by `argmap synth --claims {claims} --sources {n_sources} --seed {seed}`.\n"
        f"id: synthetic\n"
        f"title: Supervised consumption sites, ward by ward (synthetic)\n"
        f"motion: {MOTION}\n"
        f"description: >-\n"
        f"  A made-up debate with {claims} claims from {n_sources} made-up sources, generated for tests and\n"
        f"  benchmarks. Every name, figure and quote in it is invented.\n"
    )

    lines = ["# The debate's topics, a SKOS concept scheme.", ""]
    for tid, label, definition, alts, broader in TOPICS:
        lines += [f"- id: {tid}", f"  label: {_scalar(label)}"]
        if alts:
            lines.append(f"  alt_labels: {_flow(list(alts))}")
        lines.append(f"  definition: {_scalar(definition)}")
        if broader:
            lines.append(f"  broader: {broader}")
        lines.append("")
    files["topics.yaml"] = "\n".join(lines)

    # speakers: people (about one for every five claims), the organisations, the groups
    n_people = max(4, claims // 5)
    people = []
    lines = ["# People, organisations and groups (all made up).", "", "# Organisations", ""]
    org_ids = []
    for name in ORGS:
        oid = re.sub(r"[^a-z0-9]+", "-", name.lower().replace("'", "")).strip("-")
        org_ids.append((oid, name))
        lines += [f"- id: {oid}", f"  name: {_scalar(name)}", "  type: organization", ""]
    lines += ["# Groups", ""]
    for gid, name, _ in GROUPS:
        lines += [f"- id: {gid}", f"  name: {_scalar(name)}", "  type: group", ""]
    lines += ["# People", ""]
    for k in range(n_people):
        first, last = FIRST[k % len(FIRST)], LAST[(k // len(FIRST)) % len(LAST)]
        middle = k // (len(FIRST) * len(LAST))
        name = f"{first} {chr(65 + middle % 26)}. {last}" + (f" {middle // 26 + 1}" if middle >= 26 else "")
        pid = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        ward = rng.randrange(1, 1000)
        role, elected = ROLES[rng.randrange(len(ROLES))]
        lines += [f"- id: {pid}", f"  name: {_scalar(name)}", "  type: person", f"  role: {_scalar(role.format(w=ward))}"]
        if elected:
            lines += [f"  party: {_scalar(PARTIES[rng.randrange(len(PARTIES))])}", f"  district: Ward {ward}"]
        if rng.random() < 0.3:
            lines.append(f"  affiliation: {org_ids[rng.randrange(len(org_ids))][0]}")
        lines.append("")
        people.append((pid, name))
    files["speakers.yaml"] = "\n".join(lines)

    # sources: metadata; their texts are written once the claims are known
    src_meta = []
    lines = ["# The sources (all made up); texts/<id>.txt holds each one's text.", ""]
    kinds = tuple((k, float(w)) for k, w in SOURCE_KINDS)
    for s in range(n_sources):
        kind = _weighted(rng, kinds)
        sid = f"{kind}-{s + 1:0{len(str(n_sources))}d}"
        year = 2015 + rng.randrange(11)
        date = [f"{year}", f"{year}-{rng.randrange(1, 13):02d}", f"{year}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"][
            rng.randrange(3)
        ]
        authors = list(dict.fromkeys(people[rng.randrange(len(people))] for _ in range(rng.randrange(0, 3))))
        oid, publisher = org_ids[rng.choice(PUBLISHERS[kind])]
        excerpt = kind in ("study", "report", "court-ruling") and rng.random() < 0.5
        title = f"{TOPICS[rng.randrange(len(TOPICS))][1]} in the wards: {kind.replace('-', ' ')} {s + 1}"
        lines += [f"- id: {sid}", f"  file: texts/{sid}.txt", f"  title: {_scalar(title)}"]
        names = [a[1] for a in authors]
        if rng.random() < 0.1:
            names.append(f"{FIRST[rng.randrange(len(FIRST))]} Outside")  # an author who is not a speaker
        if names:
            lines.append(f"  authors: {_flow(names)}")
        lines += [f"  publisher: {_scalar(publisher)}", f"  date: {date}", f"  kind: {kind}"]
        if rng.random() < 0.6:
            lines.append(f"  url: https://example.org/synthetic/{sid}")
        lines.append(f"  excerpt: {'true' if excerpt else 'false'}")
        if kind in ("study", "preprint"):
            lines += [
                f"  doi: 10.5555/synthetic.{s + 1}",
                f"  design: {STUDY_DESIGNS[rng.randrange(len(STUDY_DESIGNS))]}",
                f"  period: {year - 3}-01/{year - 1}-12",
            ]
        if rng.random() < 0.3:
            lines.append(f"  place: Ward {rng.randrange(1, 1000)}")
        lines.append("")
        src_meta.append((sid, kind, authors, oid, excerpt))
    files["sources.yaml"] = "\n".join(lines)

    # claims: stance by the mix; each quotes one source, is said by one of its authors, its publisher or a group
    topic_ids = [t[0] for t in TOPICS]
    stances = [_weighted(rng, STANCE_MIX) for _ in range(claims)]
    cids = [f"c{i + 1:0{wid}d}" for i in range(claims)]
    by_topic: dict[str, list[str]] = {t: [] for t in topic_ids}
    first_topic: list[str] = []
    quotes_of: list[list[str]] = [[] for _ in range(n_sources)]
    for i in range(claims):
        stance = stances[i]
        tpl = CLAIMS[stance][rng.randrange(len(CLAIMS[stance]))]
        kind, topic, quote, text = tpl[:4]
        unit = tpl[4] if len(tpl) > 4 else None
        value: float
        ward, year, value = i + 1, 2015 + rng.randrange(11), rng.randrange(2, 400)
        if unit and "percent" in unit:
            value = rng.randrange(3, 60) + rng.choice((0, 0.5))
        quote = quote.format(w=ward, v=value, y=year) + "."  # the full stop: "Ward 1." is not in "Ward 12."
        text = text.format(w=ward, v=value, y=year)
        s = rng.randrange(n_sources)
        sid, _, authors, oid, _ = src_meta[s]
        quotes_of[s].append(quote)
        who = rng.random()
        if authors and who < 0.5:
            speaker = authors[rng.randrange(len(authors))][0]
        elif who < 0.75:
            speaker = oid
        else:
            speaker = rng.choice([g for g, _, side in GROUPS if side == stance])
        extra = rng.sample(topic_ids, (rng.random() < 0.4) + (rng.random() < 0.1))
        topics = [topic, *sorted(set(extra) - {topic}, key=topic_ids.index)]
        rec = [
            f"- id: {cids[i]}",
            f"  text: {_scalar(text)}",
            f"  quote: {_scalar(quote)}",
            f"  source: {sid}",
            f"  stance: {stance}",
            f"  topics: {_flow(topics)}",
            f"  speaker: {speaker}",
            f"  kind: {kind}",
        ]
        if kind == "statistic":
            rec += ["  figures:", f"    - value: {value}", f"      unit: {_scalar(unit or '')}"]
            if quote.startswith("About"):
                rec.append("      qualifier: about")
            if "{y}" in tpl[2]:
                rec.append(f'      period: "{year}"')
            rec.append(f"      place: Ward {ward}")
        if rng.random() < 0.05:
            rec.append("  note: Generated; the figure and the quote are invented.")
        by_topic[topics[0]].append("\n".join(rec) + "\n")
        first_topic.append(topics[0])
    for tid, recs in by_topic.items():
        if recs:
            files[f"claims/{tid}.yaml"] = f"# Claims whose first topic is {tid}.\n\n" + "\n".join(recs)

    # texts: filler sentences around the quotes, one paragraph a line (as the OPC texts are)
    for s, (sid, kind, _, _, excerpt) in enumerate(src_meta):
        parts = [
            f"Synthetic {kind.replace('-', ' ')} number {s + 1}."
            if not excerpt
            else f"[Excerpts from synthetic {kind} number {s + 1}.]",
            "",
        ]
        paragraph: list[str] = []
        for q in quotes_of[s] or ["Nothing in this source is quoted."]:
            if not excerpt:
                paragraph.append(FILLER[rng.randrange(len(FILLER))])
            paragraph.append(q)
            if len(paragraph) >= 4 or excerpt:
                parts.append(" ".join(paragraph))
                paragraph = []
        if paragraph:
            parts.append(" ".join(paragraph))
        files[f"texts/{sid}.txt"] = "\n".join(parts) + "\n"

    # relations: each claim after the first answers one or two earlier claims (supports or attacks by
    # stance); some attacks are answered back (two-cycles), a few claims attack a later one (longer cycles)
    seen: set[tuple[int, int]] = set()
    rels: list[tuple[int, str, int]] = []

    def add(a: int, b: int, t: str | None = None) -> str | None:
        if a == b or (a, b) in seen:
            return None
        t = t or _stance_relation(stances[a], stances[b], rng)
        seen.add((a, b))
        rels.append((a, t, b))
        return t

    for i in range(1, claims):
        for _ in range(1 if rng.random() < 0.6 else 2):
            j = rng.randrange(i)
            if add(i, j) == "attacks" and rng.random() < 0.08:
                add(j, i)
        if rng.random() < 0.02 and i + 1 < claims:
            add(i, rng.randrange(i + 1, claims))
    attacks = [(a, b) for a, t, b in rels if t == "attacks"]
    attack_set = set(attacks)
    if attacks and not any((b, a) in attack_set for a, b in attacks):
        a, b = next(((a, b) for a, b in attacks if "neutral" not in (stances[a], stances[b])), attacks[0])
        if (b, a) in seen:  # b already supports a: make that an attack
            rels.remove(next(r for r in rels if r[0] == b and r[2] == a))
            seen.discard((b, a))
        add(b, a, "attacks")  # at least one cycle, however small the debate
    # one file a topic (the first topic of the claim the relation starts from), as claims/ is: a corpus of
    # 100k claims in one file would be unlike any written by hand, and slow to read and fix
    rel_lines: dict[str, list[str]] = {}
    rel_ids = []
    for a, t, b in rels:
        rel_ids.append((f"{cids[a]}--{t}--{cids[b]}", a))
        rel_lines.setdefault(first_topic[a], []).extend(
            [
                f"- from: {cids[a]}",
                f"  to: {cids[b]}",
                f"  type: {t}",
                f"  rationale: {_scalar(RATIONALE[t].format(a=stances[a], b=stances[b]))}",
                "",
            ]
        )
    for tid in topic_ids:
        if tid in rel_lines:
            head = [f"# Supports and attacks from claims whose first topic is {tid} (generated).", ""]
            files[f"relations/{tid}.yaml"] = "\n".join(head + rel_lines[tid])

    # undercuts: about 2% of the claims attack the inference of a relation made by the other side
    lines = ["# Undercuts: a claim against the inference of a relation (its `to` is a relation id).", ""]
    opposite = {"pro": "con", "con": "pro", "neutral": "pro"}
    done: set[tuple[int, str]] = set()
    want = max(1, len(rel_ids) // 40) if rel_ids else 0
    for _ in range(want * 20):
        if len(done) >= want:
            break
        rid, a = rel_ids[rng.randrange(len(rel_ids))]
        c = rng.randrange(claims)
        if stances[c] != opposite[stances[a]] or c == a or (c, rid) in done:
            continue
        done.add((c, rid))
        lines += [
            f"- from: {cids[c]}",
            f"  to: {rid}",
            "  type: undercuts",
            f"  rationale: {_scalar(RATIONALE['undercuts'].format(a=stances[c]))}",
            "",
        ]
    files["relations/undercuts.yaml"] = "\n".join(lines) if len(lines) > 2 else lines[0] + "\n[]\n"
    return files
