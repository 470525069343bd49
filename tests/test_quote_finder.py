"""The quote finder gives exactly the places the whitespace-tolerant pattern finds (regression: the loader
compiled one regular expression per claim, which dominated loading large corpora)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from argmap.sources.quotes import QuoteFinder, find_all, quote_pattern

# few letters and many kinds of whitespace, so quotes recur and straddle runs of spaces, tabs, line breaks
ALPHABET = st.sampled_from(list("ab’.") + [" ", "  ", "\n", "\t", "\u00a0", "\u2009", "\r\n", "\x1c"])
texts = st.lists(ALPHABET, max_size=60).map("".join)


def by_pattern(quote: str, text: str) -> list[tuple[int, int]]:
    if not quote.split():
        return []
    return [m.span() for m in quote_pattern(quote).finditer(text)]


@settings(max_examples=400, deadline=None)
@given(text=texts, quote=texts)
def test_finder_equals_pattern(text, quote):
    assert QuoteFinder(text).find_all(quote) == by_pattern(quote, text)


@settings(max_examples=200, deadline=None)
@given(text=texts, data=st.data())
def test_finder_finds_slices_of_the_text(text, data):
    i = data.draw(st.integers(0, len(text)))
    j = data.draw(st.integers(i, len(text)))
    quote = text[i:j]
    assert QuoteFinder(text).find_all(quote) == by_pattern(quote, text)


def test_one_finder_many_quotes():
    text = "Deaths fell.\n\nDeaths  fell again; deaths\u00a0fell."
    finder = QuoteFinder(text)
    assert finder.find_all("Deaths fell") == [(0, 11), (14, 26)]
    assert finder.find_all("deaths fell.") == [(34, 46)]
    assert finder.find_all("   ") == [] and finder.find_all("rose") == []
    assert find_all("fell again", text) == [(22, 32)]
