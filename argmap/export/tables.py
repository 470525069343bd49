"""Two CSV tables for spreadsheets: ``claims.csv`` and ``relations.csv``.

UTF-8 (with a byte order mark for Excel when asked: ``excel=True``, ``--excel``), comma-separated, a header row, fields quoted when needed (RFC 4180, with ``\\n`` line ends), rows
sorted by id. A text cell that a spreadsheet would take for a formula (starting with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return) gets a leading apostrophe, the usual guard against formula injection
(OWASP, "CSV Injection"); numbers are written as numbers.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from argmap.export.common import Metrics, fmt_number, metric_columns, metric_value, sorted_claims, sorted_relations
from argmap.sources.model import Corpus, Figure

CLAIM_COLUMNS = [
    "id",
    "stance",
    "kind",
    "text",
    "topics",
    "speaker_id",
    "speaker",
    "speaker_role",
    "source_id",
    "source_title",
    "source_date",
    "quote",
    "quote_start",
    "quote_end",
    "figures",
]
RELATION_COLUMNS = ["id", "from", "type", "to", "rationale"]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    """A value as a safe CSV cell: None is empty, text that looks like a formula is prefixed with ``'``.

    >>> csv_cell("=HYPERLINK(1)"), csv_cell(-3), csv_cell(None), csv_cell("ok")
    ("'=HYPERLINK(1)", -3, '', 'ok')
    """
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def figure_text(f: Figure) -> str:
    """One figure as a phrase.

    >>> figure_text(Figure(value=2000000, unit="US dollars", qualifier="about"))
    'about 2,000,000 US dollars'
    >>> figure_text(Figure(value=40, unit="percent", period="2018/2022", place="Springfield"))
    '40 percent (2018/2022, Springfield)'
    """
    text = " ".join(p for p in (f.qualifier, fmt_number(f.value), f.unit) if p)
    where = ", ".join(p for p in (f.period, f.place) if p)
    return f"{text} ({where})" if where else text


def _table(columns: list[str], rows: list[dict]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(columns)
    for row in rows:
        w.writerow([csv_cell(row.get(col)) for col in columns])
    return buf.getvalue()


BOM = "\ufeff"


def _csv_metric(value):
    """A metric in a CSV cell: ``true``/``false`` for a flag (as in JSON and RDF), else :func:`metric_value`."""
    return ("true" if value else "false") if isinstance(value, bool) else metric_value(value)


def render_csv(corpus: Corpus, *, metrics: Metrics | None = None, excel: bool = False) -> dict[str, str]:
    """The claims and relations tables, as ``{"claims.csv": text, "relations.csv": text}``.

    ``excel`` starts each file with a byte order mark (U+FEFF): Excel on Windows opens a CSV without one in
    the local code page and garbles every non-ASCII character; with it, Excel reads UTF-8. Other tools
    (Python's ``utf-8-sig``, LibreOffice, pandas) read either.

    Examples
    --------
    >>> from argmap.sources import load_corpus
    >>> files = render_csv(load_corpus("tests/data/mini"))
    >>> sorted(files)
    ['claims.csv', 'relations.csv']
    >>> files["relations.csv"].splitlines()[0]
    'id,from,type,to,rationale'
    """
    extra = metric_columns(metrics)
    claims = []
    for c in sorted_claims(corpus):
        sp = corpus.speakers_by_id[c.speaker]
        src = corpus.sources_by_id[c.source]
        row = {
            "id": c.id,
            "stance": c.stance,
            "kind": c.kind,
            "text": c.text,
            "topics": ";".join(c.topics),
            "speaker_id": sp.id,
            "speaker": sp.name,
            "speaker_role": sp.role,
            "source_id": src.id,
            "source_title": src.title,
            "source_date": src.date,
            "quote": c.located.exact if c.located else c.quote,
            "quote_start": c.located.start if c.located else None,
            "quote_end": c.located.end if c.located else None,
            "figures": "; ".join(figure_text(f) for f in c.figures),
        }
        m = (metrics or {}).get(c.id) or {}
        row.update({k: _csv_metric(m.get(k)) for k in extra})
        claims.append(row)
    relations = [
        {"id": r.id, "from": r.source, "type": r.type, "to": r.target, "rationale": r.rationale} for r in sorted_relations(corpus)
    ]
    start = BOM if excel else ""
    return {
        "claims.csv": start + _table(CLAIM_COLUMNS + extra, claims),
        "relations.csv": start + _table(RELATION_COLUMNS, relations),
    }
