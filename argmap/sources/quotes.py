"""Finding a quoted passage in its source text.

Whitespace may differ between quote and source (line breaks, runs of spaces, non-breaking spaces);
every other character must be as written. Offsets are Unicode code points into the source text, as the
W3C Web Annotation ``TextPositionSelector`` counts them.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

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
_RUN = re.compile(r"\s\s+")  # the runs of _WHITESPACE longer than one character


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
        for m in _RUN.finditer(text):  # only runs of two or more shorten the text (one is one space)
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


# ---------------------------------------------------------------- finding a passage typed loosely

# Quote marks and dashes that a person types one way and a source writes another.
_FOLD = str.maketrans(
    {
        "‘": "'",
        "’": "'",
        "‚": "'",
        "‛": "'",
        "′": "'",
        "`": "'",
        "´": "'",
        "“": '"',
        "”": '"',
        "„": '"',
        "‟": '"',
        "″": '"',
        "«": '"',
        "»": '"',
        "‐": "-",
        "‑": "-",
        "‒": "-",
        "–": "-",
        "—": "-",
        "―": "-",
        "−": "-",
    }
)
_WORD = re.compile(r"\w+(?:['’‘`´]\w+)*")
LOOSE_MATCH = 0.75  # word similarity from which a loosely typed passage counts as found


def fold(text: str) -> str:
    """``text`` with quote marks and dashes made plain and letters lower-case, for loose comparison.

    >>> fold("It’s “Safe” — Really")
    'it\\'s "safe" - really'
    """
    return text.translate(_FOLD).lower()


def words_with_offsets(text: str) -> list[tuple[str, int, int]]:
    """The words of ``text`` (letters and digits, apostrophes inside a word kept), folded, with offsets.

    >>> words_with_offsets("It’s safe—really.")
    [("it's", 0, 4), ('safe', 5, 9), ('really', 10, 16)]
    """
    return [(fold(m.group()), m.start(), m.end()) for m in _WORD.finditer(text)]


@dataclass(frozen=True)
class Passage:
    """A passage of a source found for a loosely typed quote: ``exact`` as written at ``[start, end)``,
    ``similarity`` in [0, 1] (the share of words the two have in common, in order), ``occurrence`` (1-based)
    and ``occurrences``: how often ``exact`` itself occurs in the text (a quote that occurs more than once
    needs ``occurrence: N`` in the claims file)."""

    exact: str
    start: int
    end: int
    similarity: float
    occurrence: int = 1
    occurrences: int = 1


def _similarity(a: list[str], b: list[str]) -> tuple[float, list]:
    from difflib import SequenceMatcher

    sm = SequenceMatcher(None, a, b, autojunk=False)
    blocks = [blk for blk in sm.get_matching_blocks() if blk.size]
    matched = sum(blk.size for blk in blocks)
    return (2 * matched / (len(a) + len(b)) if a or b else 0.0), blocks


def find_loose(text: str, typed: str, *, nearest: int = 3) -> list[Passage]:
    """The passages of ``text`` that best match ``typed``, best first: a passage typed with other quote
    marks, dashes, case or whitespace, or with a few words missing or wrong, is found as written.

    The first passage has ``similarity >= LOOSE_MATCH`` when the quote is found; otherwise the list holds
    the ``nearest`` closest passages, for the person to choose from. Every exact occurrence of a passage is
    returned (``occurrence`` 1, 2, ...) when it occurs more than once.

    >>> src = "The city said: “Overdose prevention centres save lives.” Critics disagree."
    >>> p = find_loose(src, '"overdose prevention centers save lives"')[0]
    >>> p.exact, p.start, p.end, round(p.similarity, 2)
    ('“Overdose prevention centres save lives.”', 15, 56, 0.8)
    >>> find_loose(src, "critics  DISAGREE.")[0].exact
    'Critics disagree.'
    >>> [(p.exact, p.occurrence, p.occurrences) for p in find_loose("We save lives. They save lives.", "save lives")]
    [('save lives', 1, 2), ('save lives', 2, 2)]
    """
    tokens = words_with_offsets(text)
    want = [w for w, _, _ in words_with_offsets(typed)]
    if not tokens or not want:
        return []
    words = [w for w, _, _ in tokens]
    m = len(want)
    wanted = set(want)
    # 1. windows of the typed length, ranked by how many of the typed words they hold (a sliding count)
    hits = [1 if w in wanted else 0 for w in words]
    starts: list[tuple[int, int]] = []
    count = sum(hits[:m])
    for i in range(0, max(1, len(words) - m + 1)):
        if i:
            count += (hits[i + m - 1] if i + m - 1 < len(words) else 0) - hits[i - 1]
        starts.append((count, i))
    starts.sort(key=lambda t: (-t[0], t[1]))
    # 2. the best few refined with a word alignment, the window widened so missing words can be absorbed
    spans: dict[tuple[int, int], float] = {}
    slack = max(2, m // 4)
    for _, i in starts[: max(12, 4 * nearest)]:
        lo, hi = max(0, i - slack), min(len(words), i + m + slack)
        ratio, blocks = _similarity(want, words[lo:hi])
        if not blocks:
            continue
        first, last = blocks[0], blocks[-1]
        # unmatched typed words before the first match (or after the last) stand for the source's words there
        b0 = max(0, lo + first.b - first.a)
        b1 = min(len(words), lo + last.b + last.size + (m - last.a - last.size))
        ratio, _ = _similarity(want, words[b0:b1])
        key = (b0, b1)
        spans[key] = max(ratio, spans.get(key, 0.0))
    ranked = sorted(spans.items(), key=lambda kv: (-kv[1], kv[0]))
    found: list[Passage] = []
    taken: list[tuple[int, int]] = []
    for (b0, b1), ratio in ranked:
        if any(b0 < t1 and t0 < b1 for t0, t1 in taken):
            continue  # overlaps a better passage
        taken.append((b0, b1))
        start, end = _with_marks(text, typed, tokens[b0][1], tokens[b1 - 1][2])
        found.append(Passage(text[start:end], start, end, ratio))
    if not found or found[0].similarity < LOOSE_MATCH:
        return found[:nearest]
    # found: the best passage and any as good (the same words elsewhere), each with its occurrence number
    finder = QuoteFinder(text)
    out = []
    for p in (p for p in found if p.similarity == found[0].similarity):
        same = finder.find_all(p.exact)
        k = next((k for k, (s, _) in enumerate(same) if s == p.start), 0)
        out.append(Passage(p.exact, p.start, p.end, p.similarity, occurrence=k + 1, occurrences=max(1, len(same))))
    return sorted(out, key=lambda p: p.start)


def _with_marks(text: str, typed: str, start: int, end: int) -> tuple[int, int]:
    """Widen ``[start, end)`` over the punctuation the typed quote has before its first word and after its
    last (a closing full stop, quote marks), where the source has the same marks."""
    typed = typed.strip()
    lead = fold(typed[: len(typed) - len(typed.lstrip("\"'“”‘’«»([—–- "))])
    trail = fold(typed[len(typed.rstrip(".,;:!?\"'“”‘’«»)]…—–- ")) :])
    lead, trail = lead.replace(" ", ""), trail.replace(" ", "")
    if lead:
        run = 0
        while run < 3 and start - run > 0 and not text[start - run - 1].isspace() and not text[start - run - 1].isalnum():
            run += 1
        before = fold(text[start - run : start])
        if before.endswith(lead):
            start -= len(lead)
        elif any(q in before for q in "\"'" if q in lead):
            start -= len(before) - min(before.find(q) for q in "\"'" if q in before and q in lead)
    if trail:
        run = 0
        while run < 3 and end + run < len(text) and not text[end + run].isspace() and not text[end + run].isalnum():
            run += 1
        after = fold(text[end : end + run])
        if after.startswith(trail):
            end += len(trail)
        elif any(q in after for q in "\"'" if q in trail):  # ."  typed as "  : the full stop is the source's
            end += max(after.rfind(q) for q in "\"'" if q in trail) + 1
    return start, end
