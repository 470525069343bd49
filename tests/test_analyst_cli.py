"""The analyst's listings: claims --search, relations filters, topics and speakers (CLI and API agree)."""

from __future__ import annotations

import json

from click.testing import CliRunner
from conftest import DATA

from argmap.cli import main
from argmap.sources import load_corpus

MINI = DATA / "mini"


def cli(*args: str):
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result


def cli_json(*args: str):
    result = cli(*args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_claims_search_matches_text_quote_and_id_like_the_map():
    rows = cli_json("claims", "--search", "PROPERTY values")
    assert [r["id"] for r in rows] == ["muse-community-property-values"]
    # every word must occur; a word found only in the quote counts
    corpus = load_corpus()
    claim, word = next(
        (c, w) for c in corpus.claims for w in c.quote.lower().split() if w.isalpha() and len(w) > 6 and w not in c.text.lower()
    )
    assert claim.id in {r["id"] for r in cli_json("claims", "--search", word)}
    assert cli_json("claims", "--search", f"{word} zzzz-nothing") == []
    # search combines with the other filters
    both = cli_json("claims", "--search", "crime", "--stance", "con")
    assert both and all(r["stance"] == "con" for r in both)


def test_relations_filters():
    attacks = cli_json("relations", "--corpus", str(MINI), "--type", "attacks")
    assert attacks and {r["type"] for r in attacks} == {"attacks"}
    to = cli_json("relations", "--corpus", str(MINI), "--to", "hurt-sales")
    assert [r["from"] for r in to] == ["sales-held"]
    frm = cli_json("relations", "--corpus", str(MINI), "--from", "crashes-fell")
    assert [r["to"] for r in frm] == ["save-lives"]
    topic = cli_json("relations", "--corpus", str(MINI), "--topic", "cost")
    corpus = load_corpus(MINI)
    about = {c.id for c in corpus.claims if "cost" in c.topics}
    assert topic and all(r["from"] in about or r["to"] in about for r in topic)
    assert len(cli_json("relations", "--corpus", str(MINI), "--type", "supports", "--type", "attacks")) == sum(
        r.type in ("supports", "attacks") for r in corpus.relations
    )


def test_relations_unknown_claim_is_an_error():
    result = cli("relations", "--corpus", str(MINI), "--to", "no-such-claim")
    assert result.exit_code == 2 and "unknown claim 'no-such-claim' for --to" in result.output


def test_topics_and_speakers_list_ids_labels_and_counts():
    corpus = load_corpus(MINI)
    topics = cli_json("topics", "--corpus", str(MINI))
    assert [t["id"] for t in topics] == [t.id for t in corpus.topics]
    cost = next(t for t in topics if t["id"] == "cost")
    assert cost["label"] == "Cost" and cost["broader"] == "business"
    assert cost["claims"] == sum("cost" in c.topics for c in corpus.claims) == 2
    assert cost["claims_by_stance"] == {"pro": 1, "con": 1, "neutral": 0}
    speakers = cli_json("speakers", "--corpus", str(MINI))
    assert [s["id"] for s in speakers] == [s.id for s in corpus.speakers]
    assert next(s for s in speakers if s["id"] == "ann-lee")["claims"] == sum(c.speaker == "ann-lee" for c in corpus.claims)
    table = cli("topics", "--corpus", str(MINI)).output
    assert "Cost" in table and "business" in table


def test_unknown_named_query_parameter_value_warns_with_the_nearest():
    result = CliRunner().invoke(main, ["query", "--named", "claims-by-topic", "-p", "topic=crimes", "--format", "csv"])
    assert result.exit_code == 0
    assert result.stdout.strip() == "topic,side,claim,text,speaker,source,quote"  # nothing matched...
    assert "no topic 'crimes' in the graph" in result.stderr and "did you mean crime?" in result.stderr  # ...and it says why
    ok = CliRunner().invoke(main, ["query", "--named", "claims-by-topic", "-p", "topic=crime", "--format", "csv"])
    assert ok.exit_code == 0 and "warning" not in ok.stderr and ok.stdout.count("\n") > 1
    speaker = CliRunner().invoke(main, ["query", "--named", "who-said-what", "-p", "speaker=de-blasio", "--format", "csv"])
    assert "no speaker 'de-blasio'" in speaker.stderr and "bill-de-blasio" in speaker.stderr


def test_every_kind_of_node_carries_its_id_as_schema_identifier():
    import argmap

    d = argmap.load("mini")
    q = """SELECT ?kind (COUNT(DISTINCT ?n) AS ?n_with_id) WHERE {
      VALUES (?cls ?kind) { (arg:Debate "debate") (schema:Claim "claim") (schema:CreativeWork "source")
                            (skos:Concept "topic") (aif:RA-node "support") (aif:CA-node "attack") }
      ?n a ?cls ; schema:identifier ?id } GROUP BY ?kind ORDER BY ?kind"""
    got = {r["kind"]: int(str(r["n_with_id"])) for r in d.query(q).records()}
    c = d.corpus
    assert got == {
        "debate": 1,
        "claim": len(c.claims),
        "source": len(c.sources),
        "topic": len(c.topics),
        "support": sum(r.type == "supports" for r in c.relations),
        "attack": sum(r.type != "supports" for r in c.relations),
    }
    speakers = d.query("SELECT ?id WHERE { ?c prov:wasAttributedTo ?s . ?s schema:identifier ?id }").records()
    assert {r["id"] for r in speakers} == {cl.speaker for cl in c.claims}


def test_listings_keep_ids_whole_on_a_narrow_terminal_and_a_wide_one():
    """At 80 columns the claims listing prints a block per claim (the id whole on its own line, a line per
    field); at 200 columns a table whose id column holds each id on one line."""
    corpus = load_corpus()
    crime_con = sorted(c.id for c in corpus.claims if c.stance == "con" and "crime" in c.topics)
    narrow = CliRunner(env={"COLUMNS": "80"}).invoke(main, ["claims", "--topic", "crime", "--stance", "con"])
    assert narrow.exit_code == 0, narrow.output
    lines = narrow.output.splitlines()
    assert lines[0] == f"{len(crime_con)} claim(s)"
    assert sorted(line for line in lines if line in crime_con) == crime_con  # each id alone on a line
    assert all(len(line) <= 80 for line in lines)
    first = corpus.claims_by_id[lines[2]]
    assert lines[3].split() == ["stance", first.stance] and lines[4].startswith("  claim    ")
    wide = CliRunner(env={"COLUMNS": "200"}).invoke(main, ["claims", "--topic", "crime", "--stance", "con"])
    cells = [line.split("│")[1].strip() for line in wide.output.splitlines() if line.startswith("│")]
    assert sorted(c for c in cells if c) == crime_con  # one line per id: no id folded onto a second line
