"""The evidence beyond the two seed documents: studies, reports, rulings, laws, news and critiques.

Each evidence source is an excerpt: its stored text holds only short passages quoted in the researched
evidence list, never the whole document. These tests pin down which sources are in, that every evidence
claim rests on a quote that is really in its stored excerpt, that details the list could not verify stay
out, and that the crime objection of the seed texts is now answered and the answer itself contested.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from argmap.cli import main
from argmap.sources import default_corpus_path, load_corpus
from argmap.sources.model import DESIGNS, SOURCE_KINDS

SEEDS = ("muse-2025", "fox-2021")

# Every item of the evidence list marked verified ([V], or [V-2nd]: read in a secondary page) that names a
# finding with a quotable passage, with the kind it was given. Items without a finding or a quote (a title
# page only, methods only, an abstract only) are not sources.
EXPECTED_SOURCES = {
    # crime and disorder
    "chalfin-2023-jama": "study",
    "patch-2023-crime-311": "news",
    "hotair-chalfin-assaults": "other",
    "city-journal-chalfin-critique": "op-ed",
    "lehman-2023-nypost": "op-ed",
    "borquez-epidemiology-stops": "study",
    "allen-2026-jama-commerce": "study",
    "wood-2006-satpp": "study",
    "wood-2004-cmaj": "study",
    "myer-2018-jdi": "study",
    "freeman-2005-bocsar": "report",
    "msic-2003-final-report": "report",
    "alberta-2020-review": "report",
    "livingston-2020-appraisal": "advocacy",
    "schaefer-2023-medrxiv": "preprint",
    # overdose deaths and lives saved
    "marshall-2011-lancet": "study",
    "pike-lancet-analysis": "advocacy",
    "marshall-2012-lancet-reply": "letter",
    "milloy-2008-plos-one": "study",
    "harocopos-2022-jama": "study",
    "nyc-dohmh-2021-59-overdoses": "press-release",
    "onpoint-six-month-data": "press-release",
    "patch-2023-1k-overdoses": "news",
    "nydn-stayin-alive": "op-ed",
    "cbs-2018-de-blasio": "news",
    "ap-2021-nyc-oks-sites": "news",
    "nypost-2021-de-blasio-sites": "news",
    "kral-2020-nejm": "letter",
    "dfa-kings-cross-analysis": "advocacy",
    # drug use and treatment
    "kerr-2006-bmj": "study",
    "debeck-2011-dad": "study",
    "recoveryreview-2006-detox": "blog",
    "wood-2007-addiction": "study",
    "wood-2006-cmaj": "study",
    "health-canada-2008-insite": "report",
    # legal status
    "us-v-safehouse-2021": "court-ruling",
    "us-v-safehouse-2021-rehearing": "court-ruling",
    "us-v-safehouse-2019": "court-ruling",
    "law360-2021-scotus": "news",
    "us-v-safehouse-2024-rfra": "court-ruling",
    "ri-public-law-2021-185": "legislation",
    "ap-2021-rhode-island": "news",
    "ri-senate-2023-extension": "press-release",
    "providence-opc-2024": "news",
    "canada-v-phs-2011": "court-ruling",
    "giglio-2023-juh": "study",
    # critical and opposing
    "cbs-2023-williams": "news",
    "rosenstein-2018-nyt": "op-ed",
    "thecity-2022-harlem": "news",
    "cns-2022-east-harlem": "news",
    "fox5-east-harlem": "news",
    "ghc-2021-response": "press-release",
    "hnba-2022-letter": "letter",
    "nypost-2025-residents": "news",
}

# Findings read in a secondary page ([V-2nd]) rather than in the work itself.
SECONDHAND = (
    "patch-2023-crime-311",
    "hotair-chalfin-assaults",
    "msic-2003-final-report",
    "kral-2020-nejm",
    "recoveryreview-2006-detox",
    "wood-2007-addiction",
)

# Evidence claims that no relation touches: context with nothing in the corpus to bear on. A claim that
# loses its links by accident shows up here.
UNLINKED = {  # each marked standalone, with the reason (tests/test_opc_corpus.py checks the marks)
    "borquez-limited-evidence-stops",
    "health-canada-under-5pct-injections",
    "ghc-harlem-over-concentration",
}

HEADER = re.compile(r"^\[Excerpt: only the .+ (is|are) held in this corpus; the full (document|article) is not\.\]$")


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(default_corpus_path())


@pytest.fixture(scope="module")
def evidence_sources(corpus):
    return [s for s in corpus.sources if s.excerpt]


@pytest.fixture(scope="module")
def evidence_claims(corpus):
    excerpt = {s.id for s in corpus.sources if s.excerpt}
    return [c for c in corpus.claims if c.source in excerpt]


def _attackers(corpus, target: str) -> set[str]:
    return {r.source for r in corpus.relations if r.type in ("attacks", "undercuts") and r.target == target}


# --- Which sources are in ------------------------------------------------------------------------------


def test_every_expected_source_is_in_with_its_kind(corpus):
    for sid, kind in EXPECTED_SOURCES.items():
        assert sid in corpus.sources_by_id, sid
        assert corpus.sources_by_id[sid].kind == kind, sid


def test_evidence_sources_are_exactly_the_expected_ones(evidence_sources):
    assert {s.id for s in evidence_sources} == set(EXPECTED_SOURCES)
    assert not set(SEEDS) & set(EXPECTED_SOURCES)


def test_every_expected_source_has_a_claim(corpus):
    by_source = Counter(c.source for c in corpus.claims)
    for sid in EXPECTED_SOURCES:
        assert by_source[sid] >= 1, sid


def test_kinds_cover_the_range_of_evidence(evidence_sources):
    kinds = Counter(s.kind for s in evidence_sources)
    for kind in (
        "study",
        "preprint",
        "report",
        "court-ruling",
        "legislation",
        "op-ed",
        "news",
        "letter",
        "advocacy",
        "press-release",
    ):
        assert kinds[kind] >= 1, kind
    assert kinds["study"] >= 12


# --- Every evidence claim: citation, quote, kind -------------------------------------------------------


def test_every_evidence_claim_has_citation_quote_and_source_kind(corpus, evidence_claims):
    assert len(evidence_claims) >= 50
    for c in evidence_claims:
        src = corpus.sources_by_id[c.source]
        assert src.citation and len(src.citation) > 20, c.id
        assert _norm(c.quote), c.id
        assert src.kind in SOURCE_KINDS, c.id
        assert c.located is not None and _norm(c.located.exact) == _norm(c.quote), c.id


def test_quotes_are_in_the_stored_excerpts(corpus, evidence_claims):
    """Read each excerpt from disk (not the loader's copy) and find every quote of its claims in it."""
    root = Path(corpus.root)
    for c in evidence_claims:
        src = corpus.sources_by_id[c.source]
        text = _norm((root / src.file).read_text(encoding="utf-8"))
        assert text.count(_norm(c.quote)) == 1, c.id


def test_excerpts_hold_only_quoted_passages(corpus, evidence_sources):
    """A header line saying it is an excerpt, then passages, each of which some claim quotes."""
    root = Path(corpus.root)
    for src in evidence_sources:
        assert src.file == f"texts/{src.id}.txt", src.id
        paragraphs = [p for p in (root / src.file).read_text(encoding="utf-8").split("\n\n") if p.strip()]
        assert HEADER.match(paragraphs[0].strip()), src.id
        quotes = [_norm(c.quote) for c in corpus.claims if c.source == src.id]
        assert len(paragraphs) >= 2, src.id
        for p in paragraphs[1:]:
            assert "\n" not in p.strip(), (src.id, p)  # one passage per paragraph
            assert len(p) <= 400, (src.id, p)  # short passages only
            assert any(q in _norm(p) for q in quotes), (src.id, p)


def test_curly_punctuation_is_kept(corpus):
    texts = {s.id: s.text for s in corpus.sources}
    assert "“safe injection sites,”" in texts["rosenstein-2018-nyt"]
    assert "sites’ opening" in texts["city-journal-chalfin-critique"]
    assert "35·0%" in texts["marshall-2011-lancet"]


def _value_strings(value: float | int) -> list[str]:
    v = abs(value)
    out = [str(v)]
    if isinstance(v, float) and v.is_integer():
        out.append(str(int(v)))
    return out


def test_figures_are_in_the_quote_or_flagged_in_the_note(evidence_claims):
    """A figure that the quote does not hold is named in the claim's note, which says where it comes from."""
    for c in evidence_claims:
        quote = _norm(c.quote).replace(",", "").replace("·", ".")
        for f in c.figures:
            candidates = _value_strings(f.value)
            if any(s in quote for s in candidates):
                continue
            assert c.note and any(s in c.note for s in candidates), (c.id, f.value)


# --- Key findings as data ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("claim_id", "value", "unit_word"),
    [
        ("patch-crime-down", -82.7, "drug possession arrests"),
        ("patch-crime-down", -56.5, "weapons possession arrests"),
        ("patch-crime-down", -30.1, "911 calls about crime"),
        ("patch-311-drug-calls-up", 106, "311 calls"),
        ("patch-311-drug-calls-up", 33.3, "311 calls"),
        ("hotair-chalfin-aggravated-assaults", 30.4, "aggravated assaults"),
        ("hotair-chalfin-aggravated-assaults", -19.7, "simple assaults"),
        ("marshall-overdose-deaths-fell-35pct", -35.0, "fatal overdose rate"),
        ("marshall-overdose-deaths-fell-35pct", 253.8, "person-years"),
        ("marshall-overdose-deaths-fell-35pct", 165.1, "person-years"),
        ("schaefer-prices-lower-after-opening", -5.2, "sale price"),
        ("kerr-no-relapse-increase", 17, "relapse"),
        ("kerr-no-relapse-increase", 20, "relapse"),
        ("debeck-treatment-uptake", 1.33, "hazard ratio"),
        ("dohmh-59-overdoses-averted", 59, "overdoses averted"),
        ("kral-33-overdoses-reversed", 33, "overdoses"),
        ("pike-one-life-per-year", 1, "life saved per year"),
        ("ghc-harlem-over-concentration", 3.5, "population"),
    ],
)
def test_key_figure_is_data(corpus, claim_id, value, unit_word):
    c = corpus.claims_by_id[claim_id]
    assert c.kind == "statistic"
    assert any(f.value == value and unit_word in f.unit for f in c.figures), [(f.value, f.unit) for f in c.figures]


# --- Nothing unverified goes in ------------------------------------------------------------------------


def test_unverified_details_are_left_out(corpus):
    s = corpus.sources_by_id
    # City Journal critique: author and date not verified
    assert s["city-journal-chalfin-critique"].authors == ()
    assert s["city-journal-chalfin-critique"].date is None
    assert s["city-journal-chalfin-critique"].title.startswith("[")
    # undated items stay undated
    for sid in (
        "pike-lancet-analysis",
        "onpoint-six-month-data",
        "nydn-stayin-alive",
        "fox5-east-harlem",
        "dfa-kings-cross-analysis",
        "hotair-chalfin-assaults",
        "providence-opc-2024",
        "borquez-epidemiology-stops",
    ):
        assert s[sid].date is None, sid
    # the prosecutor's statement: the month is known, the day is not
    assert s["cbs-2023-williams"].date == "2023-08"
    # the NEJM letter's title was not verified
    assert s["kral-2020-nejm"].title.startswith("[")
    # an address known only in part is not a url
    assert s["hotair-chalfin-assaults"].url is None
    assert s["ap-2021-rhode-island"].url is None


def test_unverified_figures_are_absent(corpus):
    figures = {(c.source, f.value) for c in corpus.claims for f in c.figures}
    assert ("milloy-2008-plos-one", 1.9) not in figures and ("milloy-2008-plos-one", 12.0) not in figures
    assert ("harocopos-2022-jama", 125) not in figures
    everything = " ".join(
        [c.text + " " + (c.note or "") for c in corpus.claims]
        + [" ".join(filter(None, (x.title, x.citation, x.note))) for x in corpus.sources]
    )
    assert "1.9 to 12" not in everything
    assert "125 overdoses" not in everything
    assert "first clients" not in everything  # the date Providence began supervised use is not verified
    assert "unsanctioned" not in everything  # a word of the NEJM letter's unverified title


def test_items_without_a_verified_finding_are_not_sources(corpus):
    titles = " ".join(s.title for s in corpus.sources)
    assert "all-cause mortality" not in titles  # Kennedy et al. 2019: only its methods were read
    assert "on-site detoxification" not in titles.lower()  # Gaddis et al. 2017: abstract only


def test_secondhand_findings_name_the_page_they_were_read_in(corpus):
    for sid in SECONDHAND:
        src = corpus.sources_by_id[sid]
        assert "secondary page" in (src.note or ""), sid
        assert src.read_in or "known only in part" in (src.note or ""), sid
    assert corpus.sources_by_id["msic-2003-final-report"].read_in == "http://drugwarfacts.org/node/912"


# --- Evidence quality as data --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sid", "design"),
    [
        ("chalfin-2023-jama", "difference-in-differences"),
        ("borquez-epidemiology-stops", "synthetic-control"),
        ("myer-2018-jdi", "interrupted-time-series"),
        ("schaefer-2023-medrxiv", "interrupted-time-series"),
        ("kerr-2006-bmj", "before-after"),
        ("debeck-2011-dad", "cohort"),
        ("milloy-2008-plos-one", "modelling"),
        ("health-canada-2008-insite", "review"),
        ("us-v-safehouse-2021", "court-ruling"),
        ("rosenstein-2018-nyt", "opinion"),
    ],
)
def test_design_is_recorded(corpus, sid, design):
    assert corpus.sources_by_id[sid].design == design


def test_designs_places_and_periods(corpus, evidence_sources):
    for s in evidence_sources:
        assert s.design is None or s.design in DESIGNS, s.id
        assert s.place, s.id
    assert corpus.sources_by_id["chalfin-2023-jama"].period == "2019-01/2022-12"
    with_design = [s for s in evidence_sources if s.design]
    assert len(with_design) >= 30


# --- The argument: who answers whom --------------------------------------------------------------------


def test_crime_objection_is_attacked_and_the_attacker_is_attacked(corpus):
    attackers = _attackers(corpus, "muse-critics-crime-rates")
    assert {"chalfin-no-change-crime-disorder", "wood-satpp-no-rise-trafficking-assaults"} <= attackers
    # at least one attacker is itself attacked
    counter_attacked = {a for a in attackers if _attackers(corpus, a)}
    assert "chalfin-no-change-crime-disorder" in counter_attacked
    assert "city-journal-aggravated-assaults-error" in _attackers(corpus, "chalfin-no-change-crime-disorder")
    # and the counter-attack rests on the study's own figure
    supports = {(r.source, r.target) for r in corpus.relations if r.type == "supports"}
    assert ("hotair-chalfin-aggravated-assaults", "city-journal-aggravated-assaults-error") in supports
    # the crime objection also has evidence on its side, which is contested in turn
    assert ("alberta-crime-rose-near-sites", "muse-critics-crime-rates") in supports
    assert "livingston-no-statistical-controls" in _attackers(corpus, "alberta-crime-rose-near-sites")


def test_lives_saved_study_critique_and_reply(corpus):
    supported = {r.target for r in corpus.relations if r.type == "supports" and r.source == "marshall-overdose-deaths-fell-35pct"}
    assert {"muse-prevent-deaths", "fox-130-lives-estimate"} <= supported
    assert "pike-one-life-per-year" in _attackers(corpus, "marshall-overdose-deaths-fell-35pct")
    assert "marshall-reply-effect-local" in _attackers(corpus, "pike-one-life-per-year")


def test_legal_objection_is_supported_by_the_safehouse_ruling(corpus):
    supporters = {r.source for r in corpus.relations if r.type == "supports" and r.target == "muse-opponents-federal-grey-area"}
    assert {"third-circuit-856-violation", "williams-prepared-to-enforce"} <= supporters
    assert "third-circuit-856-violation" in _attackers(corpus, "mchugh-not-contemplated-by-congress")


def test_property_value_objection_has_evidence_both_ways(corpus):
    assert "allen-no-change-commerce" in _attackers(corpus, "muse-community-property-values")
    supporters = {r.source for r in corpus.relations if r.type == "supports" and r.target == "muse-community-property-values"}
    assert "schaefer-prices-lower-after-opening" in supporters


def test_undercuts_attack_inferences(corpus):
    undercuts = [r for r in corpus.relations if r.type == "undercuts"]
    assert len(undercuts) >= 3
    rels = corpus.relations_by_id
    for u in undercuts:
        assert u.target in rels and rels[u.target].type in ("supports", "attacks"), u.id
        assert u.source in corpus.claims_by_id, u.id
    targets = {u.source: u.target for u in undercuts}
    assert targets["chalfin-no-change-crime-disorder"] == "patch-311-drug-calls-up--supports--muse-critics-more-drug-activity"
    assert targets["recoveryreview-why-18pct-good"] == "recoveryreview-18pct-detox--supports--muse-bridge-to-treatment"


def test_every_evidence_relation_has_a_rationale_and_attacks_join_opposites(corpus, evidence_claims):
    ids = {c.id for c in evidence_claims}
    rels = [r for r in corpus.relations if r.source in ids or r.target in ids]
    assert len(rels) >= 70
    for r in rels:
        assert len(r.rationale) >= 30, r.id
        if r.type == "attacks":
            a, b = corpus.claims_by_id[r.source], corpus.claims_by_id[r.target]
            assert {a.stance, b.stance} == {"pro", "con"}, r.id


def test_evidence_claims_are_linked_except_context(corpus, evidence_claims):
    linked = {r.source for r in corpus.relations} | {r.target for r in corpus.relations}
    unlinked = {c.id for c in evidence_claims if c.id not in linked}
    assert unlinked == UNLINKED


def test_research_claims_speak_through_their_author_teams(corpus, evidence_claims):
    for c in evidence_claims:
        sp = corpus.speakers_by_id[c.speaker]
        if sp.id.endswith("-authors"):
            assert sp.type == "group", sp.id
            assert sp.id.removesuffix("-authors") in corpus.sources_by_id, sp.id
    assert corpus.claims_by_id["chalfin-no-change-crime-disorder"].speaker == "chalfin-2023-jama-authors"
    # the authors' reply is spoken by the team of the study it defends
    assert corpus.claims_by_id["marshall-reply-effect-local"].speaker == "marshall-2011-lancet-authors"


# --- The graph and the CLI -----------------------------------------------------------------------------


def test_graph_says_the_evidence_sources_are_excerpts(corpus):
    from rdflib import Literal
    from rdflib.namespace import DCTERMS

    from argmap.graph.build import Iris, build_graph
    from argmap.graph.vocab import ARG

    g = build_graph(corpus)
    iri = Iris(corpus)
    for sid in EXPECTED_SOURCES:
        node = iri.source(sid)
        assert g.value(node, ARG.excerptOnly) == Literal(True), sid
        assert g.value(node, DCTERMS.bibliographicCitation) is not None, sid
    for sid in SEEDS:
        assert g.value(iri.source(sid), ARG.excerptOnly) == Literal(False), sid
    assert g.value(iri.source("chalfin-2023-jama"), ARG.studyDesign) is not None


def test_validate_passes():
    result = CliRunner().invoke(main, ["validate"])
    assert result.exit_code == 0, result.output
    assert "corpus checks: ok" in result.output
    assert "SHACL shapes: ok" in result.output


def test_validate_json_counts(corpus):
    import json

    result = CliRunner().invoke(main, ["validate", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["sources"] == len(EXPECTED_SOURCES) + len(SEEDS)
    assert data["claims"] == len(corpus.claims)
    assert data["quotes_verified"] == len(corpus.claims)
    assert data["shacl"]["conforms"] is True
