"""Finding a quoted passage in its source text.

Whitespace may differ between quote and source (line breaks, runs of spaces, non-breaking spaces);
every other character must be as written. Offsets are Unicode code points into the source text, as the
W3C Web Annotation ``TextPositionSelector`` counts them.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from argmap.sources.model import Quote

CONTEXT = 32  # characters of prefix and suffix kept for the TextQuoteSelector


def quote_pattern(quote: str) -> re.Pattern[str]:
    """A pattern matching ``quote`` with any run of whitespace standing for any other.

    >>> bool(quote_pattern("save  lives").search("will save\\u00a0lives and"))
    True
    """
    words = quote.split()
    return re.compile(r"\s+".join(re.escape(w) for w in words))


_WHITESPACE = re.compile(r"\s+")  # the same whitespace as ``quote_pattern``'s ``\s+`` and ``str.split``


class QuoteFinder:
    r"""Finds quotes in one text without compiling a pattern per quote.

    The text is indexed once: each run of whitespace becomes one space, and the places where that shortened
    the text are kept, so an offset in the short text maps back to the original. A quote, its words joined
    by single spaces, is then found with ``str.find``, which gives the same places as ``quote_pattern``'s
    ``finditer`` (its ``\s+`` always takes a whole run, since no word holds whitespace).

    >>> QuoteFinder("it saves\n  lives; it saves lives").find_all("saves lives")
    [(3, 16), (21, 32)]
    """

    def __init__(self, text: str):
        self.text = text
        self.short = _WHITESPACE.sub(" ", text)
        self._at: list[int] = []  # offsets in the short text from which ...
        self._shift: list[int] = []  # ... this many characters were taken out before them
        shift = 0
        for m in _WHITESPACE.finditer(text):
            if m.end() - m.start() > 1:
                shift += m.end() - m.start() - 1
                self._at.append(m.end() - shift)
                self._shift.append(shift)

    def _original(self, i: int) -> int:
        k = bisect_right(self._at, i)
        return i + (self._shift[k - 1] if k else 0)

    def find_all(self, quote: str) -> list[tuple[int, int]]:
        """Every non-overlapping place ``quote`` occurs, as (start, end) offsets into the original text."""
        needle = " ".join(quote.split())
        if not needle:
            return []
        out, i = [], self.short.find(needle)
        while i >= 0:
            end = i + len(needle)
            out.append((self._original(i), self._original(end - 1) + 1))
            i = self.short.find(needle, end)
        return out


def find_all(quote: str, text: str) -> list[tuple[int, int]]:
    """Every non-overlapping place ``quote`` occurs in ``text``, as (start, end) offsets.

    To find many quotes in one text, make one :class:`QuoteFinder` and ask it for each.

    >>> find_all("it’s", "it’s here, it’s there, its not")
    [(0, 4), (11, 15)]
    """
    return QuoteFinder(text).find_all(quote)


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
