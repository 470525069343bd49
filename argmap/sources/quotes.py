"""Finding a quoted passage in its source text.

Whitespace may differ between quote and source (line breaks, runs of spaces, non-breaking spaces);
every other character must be as written. Offsets are Unicode code points into the source text, as the
W3C Web Annotation ``TextPositionSelector`` counts them.
"""

from __future__ import annotations

import re

from argmap.sources.model import Quote

CONTEXT = 32  # characters of prefix and suffix kept for the TextQuoteSelector


def quote_pattern(quote: str) -> re.Pattern[str]:
    """A pattern matching ``quote`` with any run of whitespace standing for any other.

    >>> bool(quote_pattern("save  lives").search("will save\\u00a0lives and"))
    True
    """
    words = quote.split()
    return re.compile(r"\s+".join(re.escape(w) for w in words))


def find_all(quote: str, text: str) -> list[tuple[int, int]]:
    """Every non-overlapping place ``quote`` occurs in ``text``, as (start, end) offsets.

    >>> find_all("it’s", "it’s here, it’s there, its not")
    [(0, 4), (11, 15)]
    """
    if not quote.split():
        return []
    return [m.span() for m in quote_pattern(quote).finditer(text)]


def locate(text: str, start: int, end: int) -> Quote:
    """The located passage with its prefix and suffix context."""
    return Quote(
        exact=text[start:end],
        start=start,
        end=end,
        prefix=text[max(0, start - CONTEXT) : start],
        suffix=text[end : end + CONTEXT],
    )


def line_of(text: str, offset: int) -> int:
    """1-based line number of a character offset."""
    return text.count("\n", 0, offset) + 1


def divergence(quote: str, text: str) -> str:
    """Say where a quote that is not in the text stops matching, to help fix it.

    >>> divergence("save many lives", "they save lives")
    "the longest part found is 'save' (then the quote has 'many', the source has 'lives')"
    >>> divergence("zzz", "abc")
    'no word of it at the start of any passage'
    """
    words = quote.split()
    lo, hi, best = 1, len(words), None
    # binary search on the number of leading words that still occur
    while lo <= hi:
        mid = (lo + hi) // 2
        m = quote_pattern(" ".join(words[:mid])).search(text)
        if m:
            best, lo = (mid, m), mid + 1
        else:
            hi = mid - 1
    if best is None:
        return "no word of it at the start of any passage"
    n, m = best
    found = " ".join(words[:n])
    if len(found) > 60:
        found = "…" + found[-57:]
    after = text[m.end() :].split(maxsplit=1)
    theirs = after[0] if after else "(end of text)"
    return f"the longest part found is '{found}' (then the quote has '{words[n]}', the source has '{theirs}')"
