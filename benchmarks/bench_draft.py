"""How well `argmap draft` proposes the claims a person wrote: leave-one-source-out on the shipped OPC corpus.

For each source: remove its claims (and the relations touching them), draft the source from what is left
(the other sources' labelled claims and the topics' SKOS labels), and compare the drafts with the removed
hand claims.

- **recall**: a hand claim is *found* when a draft quote shares at least half of its words in one run. Both
  are passages of the same text, so the run is the words of the text inside both passages.
- **precision**: the share of drafts that share at least half of a hand claim's words in one run.
- **stance, topic, speaker, kind** agreement on the found claims, each with the draft that shares the most
  words with it: stance equal; topics: at least one in common, and the mean Jaccard index; speaker equal.
- **drafts per hand claim** (all drafts / hand claims) and **drafts per found claim**.

Reported per source and averaged (micro: pooled over claims; macro: the mean of the per-source figures), for
the two seed documents (muse-2025, fox-2021) and for the evidence sources separately. Targets on the seed
documents: recall >= 80%, stance right on >= 75% of the found claims, at most 2 drafts per hand claim.

    python benchmarks/bench_draft.py                 # every source; prints Markdown, writes results/draft.json
    python benchmarks/bench_draft.py --sources fox-2021,muse-2025 --detail
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from bisect import bisect_left, bisect_right
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from argmap.errors import ArgmapError  # noqa: E402
from argmap.sources import load_corpus  # noqa: E402
from argmap.sources.draft import DraftSet, draft_source, without_source_claims  # noqa: E402
from argmap.sources.quotes import words_with_offsets  # noqa: E402

SEEDS = ("muse-2025", "fox-2021")


def _word_span(starts: list[int], a: int, b: int) -> tuple[int, int]:
    """The word indices [i, j) of the text's words that lie inside [a, b)."""
    return bisect_left(starts, a), bisect_right(starts, b - 1)


def evaluate(corpus, source_id: str) -> dict:
    source = corpus.sources_by_id[source_id]
    hand = [c for c in corpus.claims if c.source == source_id]
    t0 = time.perf_counter()
    try:
        ds = draft_source(without_source_claims(corpus, source_id), source_id)
    except ArgmapError:  # a text with nothing to draft: no drafts
        ds = DraftSet(source=source_id, drafts=())
    seconds = time.perf_counter() - t0
    starts = [s for _, s, _ in words_with_offsets(source.text)]
    dspans = [_word_span(starts, d.start, d.end) for d in ds.drafts]
    found = []
    matched_drafts = set()
    for c in hand:
        hi, hj = _word_span(starts, c.located.start, c.located.end)
        n = max(1, hj - hi)
        best = None
        for k, (di, dj) in enumerate(dspans):
            shared = min(hj, dj) - max(hi, di)
            if shared * 2 >= n:
                matched_drafts.add(k)
                if best is None or (shared, -(dj - di)) > best[0]:
                    best = ((shared, -(dj - di)), k)
        if best is not None:
            found.append((c, ds.drafts[best[1]]))
    n_hand, n_drafts, n_found = len(hand), len(ds.drafts), len(found)

    def share(pred) -> float | None:
        return sum(1 for c, d in found if pred(c, d)) / n_found if n_found else None

    jacc = [len(set(c.topics) & set(d.topics)) / len(set(c.topics) | set(d.topics)) for c, d in found if c.topics or d.topics]
    return {
        "source": source_id,
        "hand": n_hand,
        "drafts": n_drafts,
        "found": n_found,
        "recall": n_found / n_hand if n_hand else None,
        "precision": len(matched_drafts) / n_drafts if n_drafts else None,
        "stance": share(lambda c, d: c.stance == d.stance),
        "topic_any": share(lambda c, d: bool(set(c.topics) & set(d.topics))),
        "topic_jaccard": sum(jacc) / len(jacc) if jacc else None,
        "speaker": share(lambda c, d: c.speaker == d.speaker),
        "kind": share(lambda c, d: c.kind == d.kind),
        "drafts_per_hand": n_drafts / n_hand if n_hand else None,
        "drafts_per_found": n_drafts / n_found if n_found else None,
        "seconds": seconds,
        "pairs": [
            {
                "hand": c.id,
                "draft": d.id,
                "stance": [c.stance, d.stance],
                "speaker": [c.speaker, d.speaker],
                "topics": [list(c.topics), list(d.topics)],
            }
            for c, d in found
        ],
        "missed": [c.id for c in hand if c.id not in {x.id for x, _ in found}],
    }


METRICS = ("recall", "precision", "stance", "topic_any", "topic_jaccard", "speaker", "kind")


def pooled(rows: list[dict]) -> dict:
    """Micro averages: every claim counts once, pooled over the sources."""
    hand = sum(r["hand"] for r in rows)
    drafts = sum(r["drafts"] for r in rows)
    found = sum(r["found"] for r in rows)
    out = {"source": "pooled", "hand": hand, "drafts": drafts, "found": found}
    out["recall"] = found / hand if hand else None
    out["precision"] = sum((r["precision"] or 0) * r["drafts"] for r in rows) / drafts if drafts else None
    for m in ("stance", "topic_any", "topic_jaccard", "speaker", "kind"):
        out[m] = sum((r[m] or 0) * r["found"] for r in rows) / found if found else None
    out["drafts_per_hand"] = drafts / hand if hand else None
    out["drafts_per_found"] = drafts / found if found else None
    out["seconds"] = sum(r["seconds"] for r in rows)
    return out


def macro(rows: list[dict]) -> dict:
    out = {
        "source": "mean of sources",
        "hand": sum(r["hand"] for r in rows),
        "drafts": sum(r["drafts"] for r in rows),
        "found": sum(r["found"] for r in rows),
    }
    for m in (*METRICS, "drafts_per_hand", "drafts_per_found"):
        vals = [r[m] for r in rows if r[m] is not None]
        out[m] = sum(vals) / len(vals) if vals else None
    out["seconds"] = sum(r["seconds"] for r in rows)
    return out


def _pct(v) -> str:
    return "–" if v is None else f"{100 * v:.0f}%"


def _num(v) -> str:
    return "–" if v is None else f"{v:.2f}"


def table(rows: list[dict]) -> str:
    head = "| source | hand | drafts | found | recall | precision | stance | topic (any) | topic (Jaccard) | speaker | kind | drafts/hand | drafts/found |"
    lines = [head, "|" + " --- |" * 13]
    for r in rows:
        lines.append(
            f"| {r['source']} | {r['hand']} | {r['drafts']} | {r['found']} | {_pct(r['recall'])} | {_pct(r['precision'])} | "
            f"{_pct(r['stance'])} | {_pct(r['topic_any'])} | {_num(r['topic_jaccard'])} | {_pct(r['speaker'])} | {_pct(r['kind'])} | "
            f"{_num(r['drafts_per_hand'])} | {_num(r['drafts_per_found'])} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sources", default=None, help="comma-separated source ids (default: every source with claims)")
    ap.add_argument("--detail", action="store_true", help="print each found claim's stance and speaker, and the missed claims")
    ap.add_argument("--out", default=str(HERE / "results" / "draft.json"), help="where to write the figures (JSON)")
    opts = ap.parse_args(argv)
    corpus = load_corpus(None)
    with_claims = sorted({c.source for c in corpus.claims})
    ids = opts.sources.split(",") if opts.sources else with_claims
    rows = [evaluate(corpus, sid) for sid in ids]
    seeds = [r for r in rows if r["source"] in SEEDS]
    evidence = [r for r in rows if r["source"] not in SEEDS]
    print("## argmap draft, leave-one-source-out on the OPC corpus\n")
    if seeds:
        print("### The two seed documents\n")
        print(table(seeds + ([pooled(seeds)] if len(seeds) > 1 else [])))
        print()
    if evidence:
        print(f"### The {len(evidence)} evidence sources (excerpts of one to three passages)\n")
        print(table([pooled(evidence), macro(evidence)]))
        print()
        if opts.detail:
            print(table(evidence))
            print()
    print("### All sources\n")
    print(table([pooled(rows), macro(rows)]))
    if opts.detail:
        for r in rows:
            print(f"\n{r['source']}: missed {r['missed']}")
            for p in r["pairs"]:
                flag = "" if p["stance"][0] == p["stance"][1] else "  STANCE"
                flag += "" if p["speaker"][0] == p["speaker"][1] else "  SPEAKER"
                print(f"  {p['hand']:45} {p['stance'][0]:>8}/{p['stance'][1]:<8} {p['speaker'][0]}/{p['speaker'][1]}{flag}")
    out = Path(opts.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps({"rows": [{k: v for k, v in r.items() if k != "pairs"} for r in rows]}, indent=1) + "\n", encoding="utf-8"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
